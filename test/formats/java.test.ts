import { describe, expect, it } from 'vitest';
import { parseJava, parseJavaFrame } from '../../src/formats/java.js';
import { basename, crashingThread, docOf, firstFrameIn, fixtures, handwritten } from '../fixtures/runtimes/load.js';
import { endToEnd } from '../fixtures/runtimes/e2e.js';
import { analyze, isError } from '../../src/analyze.js';
import { clean } from '../../src/ingest/clean.js';

const all = fixtures('java');

describe('java format on real JDK output', () => {
  it('has every planted bug, in v1 and v2', () => {
    const cases = new Set(all.map((f) => f.truth.case));
    expect([...cases].sort()).toEqual(['caused-by', 'deadlock', 'npe', 'oom', 'stack-overflow', 'suppressed', 'worker-thread']);
    expect(all.filter((f) => f.truth.version === 'v2').length).toBe(7);
  });

  for (const fx of all) {
    const t = fx.truth;
    it(`${fx.name}: kind ${t.kind}, exception chain, thread and crash location`, () => {
      const reports = parseJava(docOf(fx.text));
      expect(reports.length).toBe(1);
      const r = reports[0];
      expect(r.kind?.kind).toBe(t.kind);
      if (t.exceptionType) expect(r.exception?.type).toBe(t.exceptionType);
      if (t.rootCause) expect(r.exception?.causes.at(-1)?.type).toBe(t.rootCause);
      const th = crashingThread(r)!;
      expect(th.crashed).toBe(true);
      if (t.thread) expect(th.name).toBe(t.thread);
      const crash = firstFrameIn(th.frames, t.file)!;
      expect(crash.function).toBe(t.crashFunction);
      expect(crash.line).toBe(t.line);
      expect(crash.module).toBe('org.harbor.tally');
      for (const f of th.frames.slice(0, crash.index)) expect(basename(f.file)).not.toBe(t.file);
    });
  }

  it('fills `... N more` of the root cause from the enclosing trace', () => {
    const r = parseJava(docOf(all.find((f) => f.name === 'caused-by.default.v1')!.text))[0];
    expect(r.exception?.causes.map((c) => c.type)).toEqual(['java.lang.IllegalArgumentException', 'java.lang.NumberFormatException']);
    const fr = crashingThread(r)!.frames.map((f) => f.function);
    expect(fr[0]).toBe('java.lang.NumberFormatException.forInputString');
    expect(fr.at(-1)).toBe('org.harbor.tally.Tally.main');
    expect(crashingThread(r)!.frames.map((f) => f.index)).toEqual(fr.map((_, i) => i));
  });

  it('keeps `Suppressed:` traces as suppressed stacks', () => {
    const r = parseJava(docOf(all.find((f) => f.name === 'suppressed.default.v1')!.text))[0];
    expect(r.stacks).toHaveLength(1);
    expect(r.stacks[0].role).toBe('suppressed');
    expect(r.stacks[0].title).toContain('java.io.IOException');
    expect(r.stacks[0].frames[0].function).toBe('org.harbor.tally.Tally.closeLedger');
  });

  it('reads a jstack dump: the deadlock cycle, thread ids, states, lock-chain, groups', () => {
    const r = parseJava(docOf(all.find((f) => f.name === 'deadlock.jstack.v1')!.text))[0];
    expect(r.kind?.kind).toBe('deadlock');
    const th = crashingThread(r)!;
    expect(th.name).toBe('clerk-a');
    expect(th.id).toMatch(/^\d+$/);
    expect(th.state).toBe('BLOCKED (on object monitor)');
    expect(r.stacks).toEqual([expect.objectContaining({ role: 'lock-chain' })]);
    expect(r.stacks[0].title).toContain('clerk-b');
    expect(r.message).toContain('which is held by "clerk-b"');
    expect(r.threads.length).toBeGreaterThan(10);
    expect(r.groups.reduce((n, g) => n + g.count, 0)).toBe(r.threads.length);
  });
});

describe('java format on hand-written shapes', () => {
  it('Android logcat FATAL EXCEPTION: prefixes stripped, root cause NPE drives the stack', () => {
    const r = parseJava(docOf(handwritten('android-logcat-npe.txt')))[0];
    expect(r.kind?.kind).toBe('null-deref');
    expect(r.exception?.type).toBe('java.lang.RuntimeException');
    expect(r.exception?.causes).toEqual([{ type: 'java.lang.NullPointerException', message: "Attempt to invoke virtual method 'int java.lang.String.length()' on a null object reference" }]);
    const th = crashingThread(r)!;
    expect(th.name).toBe('main');
    expect(th.frames[0]).toMatchObject({ function: 'org.quillapps.tidelog.entry.TideFormatter.format', file: 'TideFormatter.kt', line: 27 });
    // `... 12 more` restored from the outer trace: the stack ends in ZygoteInit.main.
    expect(th.frames.at(-1)!.function).toBe('com.android.internal.os.ZygoteInit.main');
    expect(r.facts.some((f) => f.code === 'program' && f.text.includes('org.quillapps.tidelog'))).toBe(true);
    expect(r.startLine).toBe(1);
  });

  it('hs_err header: signal, fault address, problematic native frame, Java frames below it', () => {
    const r = parseJava(docOf(handwritten('jvm-hs-err.txt')))[0];
    expect(r.signal).toMatchObject({ name: 'SIGSEGV', faultAddress: '0x0000000000000008', code: 'SEGV_MAPERR' });
    expect(r.kind?.kind).toBe('null-deref');
    expect(r.crashingThreadId).toBe('31338');
    const fr = crashingThread(r)!.frames;
    expect(fr[0]).toMatchObject({ function: 'gf_apply_kernel', module: 'libgrainfilter.so', roleHint: 'app' });
    expect(fr[1]).toMatchObject({ function: 'org.grainworks.NativeFilter.apply', module: 'org.grainworks' });
    expect(fr.filter((f) => f.function === 'org.grainworks.Filter.main')).toHaveLength(1);
  });

  it('frame text: Java modules, hidden lambda classes, native methods', () => {
    expect(parseJavaFrame('\tat java.base@17.0.15/java.lang.Thread.run(Thread.java:840)', 0)).toMatchObject({ function: 'java.lang.Thread.run', module: 'java.lang', file: 'Thread.java', line: 840 });
    expect(parseJavaFrame('\tat org.x.A$$Lambda$1/0x00007fb58c000a10.run(Unknown Source)', 0)).toMatchObject({ function: 'org.x.A$$Lambda$1/0x00007fb58c000a10.run', file: null });
    expect(parseJavaFrame('\tat java.lang.Object.wait(java.base@17.0.15/Native Method)', 0)).toMatchObject({ function: 'java.lang.Object.wait', file: 'java.base@17.0.15/Native Method' });
    expect(parseJavaFrame('\tat app//org.y.B.go(B.kt:3)', 0)).toMatchObject({ function: 'org.y.B.go', line: 3 });
  });

  it('a trace embedded in a log with timestamps before and after', () => {
    const r = parseJava(docOf([
      '2026-11-25 10:00:01 INFO starting pier service',
      'java.lang.IllegalStateException: berth 4 already assigned',
      '\tat org.pier.Berths.assign(Berths.java:55)',
      '\tat org.pier.Main.main(Main.java:12)',
      '2026-11-25 10:00:02 INFO shutting down',
    ].join('\n')));
    expect(r).toHaveLength(1);
    expect(r[0].startLine).toBe(1);
    expect(r[0].endLine).toBe(3);
    expect(r[0].crashingThreadId).toBe('main');
    expect(r[0].threads[0].name).toBeNull();
  });

  it('leaves V8 and .NET traces to their own formats', () => {
    expect(parseJava(docOf("TypeError: Cannot read properties of undefined (reading 'x')\n    at route (/srv/a.js:3:9)\n    at main (/srv/a.js:9:1)"))).toEqual([]);
    expect(parseJava(docOf('System.ArgumentException: bad berth\n   at Harbor.Dock.Moor(String name) in /src/Dock.cs:line 42'))).toEqual([]);
  });

  it('in a cleaned log, finds a trace whose first `at` line is six lines below its header, and a dump thread with only nid=', () => {
    // Through clean(): the format jumps between lines holding a trigger and reads the six above each.
    const noise = Array.from({ length: 3000 }, (_, k) => `2026-11-25 10:00:${String(k % 60).padStart(2, '0')} INFO tide ${k} ok`);
    const text = [
      ...noise,
      'java.lang.IllegalStateException: berth 4 already assigned',
      'reason: one', 'reason: two', 'reason: three', 'reason: four', 'reason: five',
      '\tat org.pier.Berths.assign(Berths.java:55)',
      '\tat org.pier.Main.main(Main.java:12)',
      ...noise,
      '"pier-worker-1" os_prio=0 nid=0x4d2 waiting on condition',
      '   java.lang.Thread.State: WAITING (parking)',
      '\tat jdk.internal.misc.Unsafe.park(Native Method)',
      '\tat org.pier.Worker.run(Worker.java:40)',
      ...noise,
    ].join('\n');
    const r = parseJava(clean(text));
    expect(r.map((x) => x.startLine)).toEqual([3000, 6008]);
    expect(r[0].exception?.message).toContain('berth 4');
    expect(r[1].threads[0].name).toBe('pier-worker-1');
  });

  it('a logcat trace after thousands of plain lines is still read as logcat', () => {
    const noise = Array.from({ length: 3000 }, (_, k) => `plain line ${k}`).join('\n');
    const r = parseJava(docOf(`${noise}\n${handwritten('android-logcat-npe.txt')}`));
    expect(r).toHaveLength(1);
    expect(r[0].facts.some((f) => f.text === 'Android: FATAL EXCEPTION in thread main')).toBe(true);
    expect(r[0].threads[0].name).toBe('main');
  });

  it('survives hostile input and finds every trace of a long log', () => {
    expect(() => parseJava(docOf('java.lang.X: ' + 'a'.repeat(1_000_000) + '\n\tat ' + '('.repeat(100_000)))).not.toThrow();
    expect(parseJava(docOf('no.trace.here\nplain text'))).toEqual([]);
    const block = ['java.lang.RuntimeException: tick', '\tat org.a.B.c(B.java:1)', '\tat org.a.B.main(B.java:2)', 'INFO ok'];
    const lines: string[] = [];
    for (let k = 0; k < 50_000; k++) lines.push(...block);
    expect(parseJava({ lines })).toHaveLength(50_000);
  });
});

describe('java through analyze: every way a frame line gets pasted still finds the trace', () => {
  // The format runs only when the text holds one of its triggers (`at ` after indentation,
  // a line start or a prefix ingest strips): each shape here must keep holding one.
  const lines = ['java.lang.IllegalStateException: quote failed', 'at org.harbor.tally.Tally.quote(Tally.java:96)', 'at org.harbor.tally.Tally.main(Tally.java:106)'];
  const shapes: Array<[string, string[]]> = [
    ['tab-indented frames', lines.map((l, k) => (k > 0 ? '\t' + l : l))],
    ['space-indented frames', lines.map((l, k) => (k > 0 ? '    ' + l : l))],
    ['frames without indentation', lines],
    ['frames after mail quoting', lines.map((l) => '> ' + l)],
    ['frames after a syslog prefix', lines.map((l) => 'May 01 12:34:56 host app[42]: ' + l)],
    ['frames after a UTC timestamp', lines.map((l) => '2026-11-25T10:00:00.123Z ' + l)],
    ['frames in a log with a level', lines.map((l) => '2026-11-25 10:00:00,123 ERROR: ' + l)],
  ];
  for (const [name, text] of shapes) {
    it(name, () => {
      const a = analyze(['INFO started', ...text, 'INFO stopped', ''].join('\n'));
      if (isError(a)) throw new Error(a.error.message);
      expect(a.format).toBe('java');
      expect(a.crashFrame?.function).toBe('org.harbor.tally.Tally.quote');
    });
  }

  it('a log whose only `at` is in prose has no Java report', () => {
    const a = analyze('INFO look at the docs\nWARN that format is deprecated\nINFO retrying at 10:00\n');
    expect(isError(a) && a.error.code).toBe('no-crash');
  });
});

endToEnd('java', 'java');
