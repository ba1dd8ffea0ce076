import { describe, expect, it } from 'vitest';
import { parseGo, foldGoroutines } from '../../src/formats/go.js';
import { basename, crashingThread, docOf, firstFrameIn, fixtures } from '../fixtures/runtimes/load.js';
import { endToEnd } from '../fixtures/runtimes/e2e.js';
import { clusterfuzzCases } from '../fixtures/runtimes/peer.js';
import { analyze } from '../../src/analyze.js';
import type { Analysis } from '../../src/model.js';

const all = fixtures('go');

describe('go format on real toolchain output', () => {
  it('has every planted bug, in v1 and v2', () => {
    const cases = new Set(all.map((f) => f.truth.case));
    expect([...cases].sort()).toEqual(['concurrent-map', 'deadlock', 'gotest-fail', 'index', 'many-goroutines', 'nil-map', 'nil-pointer', 'oom', 'race', 'stack-overflow']);
    expect(all.some((f) => f.truth.version === 'v2')).toBe(true);
  });

  for (const fx of all) {
    const t = fx.truth;
    it(`${fx.name}: kind ${t.kind}, crashing goroutine and crash location`, () => {
      const reports = parseGo(docOf(fx.text));
      expect(reports.length).toBe(1);
      const r = reports[0];
      expect(r.kind?.kind).toBe(t.kind);
      expect(r.complete).toBe(true);
      const th = crashingThread(r)!;
      expect(th.crashed).toBe(true);
      // (a test that failed without a panic has no goroutine: its report names the test)
      if (t.case === 'gotest-fail') expect(th.name).toBe('TestManifestCount');
      else expect(th.id).toMatch(/^\d+$/);
      const crash = firstFrameIn(th.frames, t.file)!;
      expect(crash.function).toBe(t.crashFunction);
      expect(crash.line).toBe(t.line);
      // the package: `main`, or its import path in a test binary
      const fn = t.crashFunction!;
      expect(crash.module).toBe(fn.slice(0, fn.indexOf('.', fn.lastIndexOf('/') + 1)));
      for (const f of th.frames.slice(0, crash.index)) expect(basename(f.file)).not.toBe(t.file);
    });
  }

  it('reads a race detector report: access, the previous access and creation sites as stacks', () => {
    const fx = all.find((f) => f.name === 'race.default.v1')!;
    const r = parseGo(docOf(fx.text))[0];
    expect(r.kind?.kind).toBe('data-race');
    expect(r.access).toMatchObject({ type: 'read' });
    expect(r.access?.address).toMatch(/^0x[0-9a-f]+$/);
    expect(r.stacks.map((s) => s.role)).toEqual(['other-access', 'goroutine-created', 'goroutine-created']);
    expect(r.stacks[0].frames[0]).toMatchObject({ function: 'main.addTonnage', line: fx.truth.line });
    expect(crashingThread(r)!.state).toBe('running');
    expect(r.startLine).toBe(0);
  });

  it('reads the signal line of a nil dereference', () => {
    const fx = all.find((f) => f.name === 'nil-pointer.default.v1')!;
    const r = parseGo(docOf(fx.text))[0];
    expect(r.signal).toEqual({ name: 'SIGSEGV', code: '0x1', faultAddress: '0x0' });
    expect(r.message).toBe('runtime error: invalid memory address or nil pointer dereference');
  });

  it('keeps the runtime frames GOTRACEBACK=system shows, innermost first', () => {
    const fx = all.find((f) => f.name === 'nil-pointer.system.v1')!;
    const th = crashingThread(parseGo(docOf(fx.text))[0])!;
    expect(th.frames.slice(0, 3).map((f) => f.function)).toEqual(['panic', 'runtime.panicmem', 'runtime.sigpanic']);
    expect(th.frames[th.frames.length - 1].function).toBe('runtime.goexit');
  });

  it('folds 200 goroutines blocked on one channel into one group, and keeps `created by`', () => {
    const fx = all.find((f) => f.name === 'many-goroutines.all.v1')!;
    const r = parseGo(docOf(fx.text))[0];
    expect(r.threads.length).toBeGreaterThanOrEqual(202);
    const big = r.groups[0];
    expect(big.count).toBe(200);
    expect(big.state).toBe('chan receive');
    expect(big.frames[0].function).toBe('main.crane');
    expect(big.ids!.length).toBe(200);
    expect(r.stacks).toEqual([expect.objectContaining({ role: 'goroutine-created', thread: r.crashingThreadId })]);
    expect(r.stacks[0].frames[0].function).toBe('main.main');
    expect(r.facts.some((f) => f.code === 'blocked-threads')).toBe(true);
  });
});

describe('go format shapes beyond the fixtures', () => {
  const dump = (n: number, crashFirst: boolean) => {
    const blocked: string[] = [];
    for (let g = 0; g < n; g++) {
      blocked.push(`goroutine ${100 + g} [chan receive, ${g % 2 ? 5 : 12} minutes]:`, 'example.invalid/pier/queue.(*Belt).Next(0xc000120000)', '\t/src/pier/queue/belt.go:88 +0x3d', 'created by example.invalid/pier.Start in goroutine 1', '\t/src/pier/pier.go:40 +0x85', '');
    }
    const crash = ['goroutine 7 [running]:', 'example.invalid/pier.(*Gate).Open(0x0)', '\t/src/pier/gate.go:17 +0x1d', 'main.main()', '\t/src/pier/cmd/main.go:9 +0x25', ''];
    return ['panic: runtime error: invalid memory address or nil pointer dereference', '[signal SIGSEGV: segmentation violation code=0x1 addr=0x8 pc=0x4a1b2c]', '', ...(crashFirst ? [...crash, ...blocked] : [...blocked, ...crash])].join('\n');
  };

  it('summarises waiting states with their durations', () => {
    const r = parseGo(docOf(dump(10, true)))[0];
    expect(r.groups[0]).toMatchObject({ count: 10, state: 'chan receive, 5~12 minutes' });
    expect(r.groups[0].frames[0].module).toBe('example.invalid/pier/queue');
    expect(r.kind?.kind).toBe('null-deref');
    expect(r.signal?.faultAddress).toBe('0x8');
  });

  it('parses a 10,000-goroutine dump into one group', () => {
    const text = dump(10_000, true);
    const r = parseGo(docOf(text))[0];
    expect(r.threads.length).toBe(10_001);
    expect(r.groups[0].count).toBe(10_000);
  });

  it('reads deadlocks, concurrent map writes and out-of-memory as their kinds', () => {
    const k = (s: string) => parseGo(docOf(s + '\n\ngoroutine 1 [running]:\nmain.main()\n\t/src/a/main.go:3 +0x1\n'))[0].kind?.kind;
    expect(k('fatal error: all goroutines are asleep - deadlock!')).toBe('deadlock');
    expect(k('fatal error: concurrent map writes')).toBe('data-race');
    expect(k('fatal error: runtime: out of memory')).toBe('oom');
    expect(k('runtime: goroutine stack exceeds 1000000000-byte limit\nfatal error: stack overflow')).toBe('stack-overflow');
    // A user's panic text never picks a kind.
    expect(k('panic: checksum corrupted: stack overflow of the ledger')).toBe('panic');
  });

  it('takes a SIGQUIT dump as a snapshot, not a crash', () => {
    const r = parseGo(docOf('SIGQUIT: quit\nPC=0x45d421 m=0 sigcode=0\n\ngoroutine 1 [select]:\nmain.main()\n\t/src/a/main.go:3 +0x1\n'))[0];
    expect(r.kind).toBeNull();
    expect(r.crashingThreadId).toBeNull();
    expect(r.facts.some((f) => f.code === 'breakpoint')).toBe(true);
  });

  it('marks a dump cut off in the middle as incomplete', () => {
    const r = parseGo(docOf('panic: boom\n\ngoroutine 1 [running]:\nmain.a()'))[0];
    expect(r.complete).toBe(false);
  });

  it('groups equal stacks only', () => {
    const f = (fn: string) => ({ index: 0, function: fn, rawFunction: fn, inlined: false, role: 'unknown' as const, file: 'x.go', line: 1 });
    const g = foldGoroutines([
      { id: '1', name: null, crashed: false, state: 'select', frames: [f('a')] },
      { id: '2', name: null, crashed: false, state: 'select', frames: [f('b')] },
      { id: '3', name: null, crashed: false, state: 'select', frames: [f('a')] },
    ]);
    expect(g.map((x) => [x.count, x.ids])).toEqual([[2, ['1', '3']], [1, ['2']]]);
  });

  it('gives goroutines that print the same stack one frames array, and a longer stack its own', () => {
    const g = (id: number, extra: string[] = []) => [`goroutine ${id} [select]:`, 'main.wait(0xc0000a2000)', '\t/src/a/main.go:12 +0x1d', ...extra, ''];
    const text = ['panic: boom', '', ...g(1), ...g(2), ...g(3, ['main.main()', '\t/src/a/main.go:30 +0x2']), ...g(4)].join('\n');
    const r = parseGo(docOf(text))[0];
    expect(r.threads.map((t) => t.frames.length)).toEqual([1, 1, 2, 1]);
    expect(r.threads[1].frames).toBe(r.threads[0].frames);
    expect(r.threads[3].frames).toBe(r.threads[0].frames);
    expect(r.threads[2].frames.map((f) => [f.function, f.line])).toEqual([['main.wait', 12], ['main.main', 30]]);
    expect(r.groups.map((x) => x.count)).toEqual([3, 1]);
  });

  it('keeps one entry per goroutine id printed twice, the one with a stack, out of order too', () => {
    const text = ['panic: boom', '', 'goroutine 9 [running]:', '', 'goroutine 3 [select]:', 'main.a()', '\t/src/a.go:1 +0x1', '', 'goroutine 9 [running]:', 'main.b()', '\t/src/b.go:2 +0x1', '', 'goroutine 007 [select]:', 'main.a()', '\t/src/a.go:1 +0x1', '', 'goroutine 007 [select]:', 'main.c()', '\t/src/c.go:3 +0x1', ''].join('\n');
    const r = parseGo(docOf(text))[0];
    expect(r.threads.map((t) => t.id)).toEqual(['9', '3', '007']);
    expect(r.threads[0].frames[0].function).toBe('main.b');
    expect(r.threads[2].frames[0].function).toBe('main.a');
    expect(r.crashingThreadId).toBe('9');
  });

  it('survives hostile input', () => {
    expect(() => parseGo(docOf('panic: ' + 'x'.repeat(1_000_000) + '\n\ngoroutine 1 [' + ']'.repeat(10000)))).not.toThrow();
    expect(parseGo(docOf('just a log line\npanicky: no'))).toEqual([]);
  });
});

endToEnd('go', 'go');

describe('go against ClusterFuzz expectations (peer suite, read at run time)', () => {
  const cases = clusterfuzzCases(/golang_|go_braces/).filter((c) => c.state.length > 0 && c.state[0] !== 'NULL');
  it.skipIf(cases.length === 0)('the crashing goroutine holds, in order, the frames ClusterFuzz keys the crash by', () => {
    const misses: string[] = [];
    for (const c of cases) {
      const a = analyze(c.text, { input: c.name }) as Analysis;
      const th = a.threads.find((t) => t.crashed);
      const names = (th?.frames ?? []).map((f) => (f.function ?? '').replace(/^.*\//, ''));
      // ClusterFuzz puts the panic message first for ASSERT-like types; keep frame names only.
      const want = c.state.filter((s) => names.includes(s));
      const ordered = want.every((s, k) => k === 0 || names.indexOf(s) > names.indexOf(want[k - 1]));
      const framesWanted = c.crashType === 'ASSERT' || c.crashType === 'Fatal error' ? c.state.length - 1 : c.state.length;
      if (a.format !== 'go' || want.length < framesWanted || !ordered) misses.push(`${c.name}: ${a.format} [${names.slice(0, 5).join(', ')}] vs ${c.state.join(' ; ')}`);
      // By design the crash frame is the first program frame, never the panic machinery.
      if (a.format === 'go') expect(['app', 'library', 'runtime']).toContain(a.crashFrame?.role);
    }
    // Known difference: a Go panic inside a log with a custom header that UBSan's
    // `runtime error:` reader claims.
    expect(misses.length, misses.join('\n')).toBeLessThanOrEqual(1);
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });
});

describe('go dumps pasted out of order', () => {
  it('takes the running goroutine as the one that panicked, wherever it stands', async () => {
    const { readFileSync } = await import('node:fs');
    const dump = readFileSync(new URL('../fixtures/runtimes/go/many-goroutines.all.v1.txt', import.meta.url), 'utf8');
    const blocks = dump.split('\n\n');
    // panic header, then the waiting goroutines, with the running one moved to the middle.
    const waiting = blocks.slice(2);
    const mid = Math.floor(waiting.length / 2);
    const text = [blocks[0], ...waiting.slice(0, mid), blocks[1], ...waiting.slice(mid)].join('\n\n');
    const a = analyze(text) as Analysis;
    expect(a.kind).toBe('panic');
    expect(a.crashFrame?.function).toBe('main.inspectHull');
    expect(a.threads.find((t) => t.crashed)?.state).toMatch(/^running/);
  });
});
