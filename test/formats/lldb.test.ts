import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lldb, parseFrameLine, parseStopReason, parseSymbol } from '../../src/formats/lldb.js';
import type { ParsedReport } from '../../src/model.js';

const NATIVE = join(__dirname, '..', 'fixtures', 'native');

interface Truth {
  program: string;
  source: string;
  kind: string;
  crashFrame: { function: string; file: string; line: number } | null;
  markerLines: number[];
  topFrame: string | null;
  exactLine: boolean;
  exportedSymbol: boolean;
  threadName: string | null;
  mode: 'run' | 'attach';
}

function parse(text: string): ParsedReport[] {
  return lldb.find({ lines: text.split('\n') });
}

/** Function names compared the way a reader would: no template arguments, no `long int`/`long`. */
function bare(name: string | null | undefined): string {
  let s = name ?? '';
  let out = '';
  let depth = 0;
  for (const c of s) {
    if (c === '<') depth++;
    else if (c === '>') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += c;
  }
  s = out;
  return s.trim();
}

const SIGNAL_FOR_KIND: Record<string, string> = {
  'null-deref': 'SIGSEGV',
  segv: 'SIGSEGV',
  'stack-overflow': 'SIGSEGV',
  fpe: 'SIGFPE',
  abort: 'SIGABRT',
  assertion: 'SIGABRT',
  'double-free': 'SIGABRT',
  'heap-corruption': 'SIGABRT',
  'stack-smashing': 'SIGABRT',
  'uncaught-exception': 'SIGABRT',
};

const programs = existsSync(NATIVE) ? readdirSync(NATIVE).filter((d) => existsSync(join(NATIVE, d, 'truth.json'))) : [];

describe('lldb: real lldb 14 output of the planted-bug programs', () => {
  it('has fixtures to read', () => {
    expect(programs.length).toBeGreaterThanOrEqual(10);
  });

  for (const program of programs) {
    const truth = JSON.parse(readFileSync(join(NATIVE, program, 'truth.json'), 'utf8')) as Truth;
    const files = readdirSync(join(NATIVE, program)).filter((f) => f.includes('.lldb-'));
    for (const file of files) {
      const build = file.split('.')[0];
      it(`${program}/${file}: one report, the crashing thread, its frames and stop reason`, () => {
        const reports = parse(readFileSync(join(NATIVE, program, file), 'utf8'));
        expect(reports).toHaveLength(1);
        const r = reports[0];
        expect(r.format).toBe('lldb');
        expect(r.complete).toBe(true);
        for (const t of r.threads) {
          t.frames.forEach((f, i) => expect(f.index).toBe(i));
          expect(t.frames.length).toBeGreaterThan(0);
        }
        if (truth.mode === 'attach') {
          // Attached to a hung process: every thread stopped by SIGSTOP, none crashed.
          expect(r.crashingThreadId).toBeNull();
          expect(r.signal).toBeNull();
          expect(r.threads.length).toBe(3);
          // An attach is no breakpoint: diagnosis must still look for blocked threads.
          expect(r.facts.some((f) => f.code === 'breakpoint')).toBe(false);
          if (build !== 'stripped') {
            const blocked = r.threads.flatMap((t) => t.frames.filter((f) => f.module === program).map((f) => `${f.function}:${f.line}`));
            for (const line of truth.markerLines) expect(blocked.some((b) => b.endsWith(`:${line}`))).toBe(true);
          }
          return;
        }
        const crashed = r.threads.filter((t) => t.crashed);
        expect(crashed).toHaveLength(1);
        expect(r.crashingThreadId).toBe(crashed[0].id);
        if (truth.threadName) expect(crashed[0].name).toBe(truth.threadName);
        expect(r.signal?.name).toBe(SIGNAL_FOR_KIND[truth.kind]);
        if (truth.kind === 'null-deref') {
          // lldb shows the fault address: a small offset into a NULL struct.
          expect(BigInt(r.signal!.faultAddress!)).toBeLessThan(0x1000n);
        }
        if (truth.kind === 'stack-overflow') {
          expect(BigInt(r.signal!.faultAddress!)).toBeGreaterThan(0x1000n);
          expect(crashed[0].frames.length).toBeGreaterThan(1000);
        }
        const frames = crashed[0].frames;
        if (truth.topFrame && (build !== 'stripped' || truth.exportedSymbol)) {
          expect(bare(frames[0].function)).toBe(bare(truth.topFrame));
          expect(frames[0].module).toBe(program);
        }
        if (truth.crashFrame && build !== 'stripped') {
          const hit = frames.find((f) => bare(f.function) === bare(truth.crashFrame!.function));
          expect(hit, `no frame ${truth.crashFrame.function}`).toBeDefined();
          expect(hit!.file).toBe(truth.crashFrame.file);
          if (truth.exactLine) expect(hit!.line).toBe(truth.crashFrame.line);
          expect(hit!.module).toBe(program);
        }
        if (build === 'stripped' && !truth.exportedSymbol && truth.topFrame) {
          // No symbols: frame 0 is in the program but has no name, file or line.
          expect(frames[0].module).toBe(program);
          expect(frames[0].function).toBeNull();
          expect(frames[0].file ?? null).toBeNull();
          expect(r.facts.some((f) => f.code === 'no-symbols')).toBe(true);
        }
      });
    }
  }
});

describe('lldb: frame and stop-reason shapes', () => {
  it('reads module, function, arguments and a file:line:column location', () => {
    const f = parseFrameLine('0', '0x000055555555519b', 'evloop`scsi_complete_req(req=0x0000000000000000, status=2) at evloop.c:41:17');
    expect(f).toMatchObject({
      index: 0,
      address: '0x000055555555519b',
      module: 'evloop',
      function: 'scsi_complete_req',
      args: 'req=0x0000000000000000, status=2',
      file: 'evloop.c',
      line: 41,
      column: 17,
      inlined: false,
    });
  });

  it('takes the name without a parameter list, offset or clone suffix, and keeps the raw text', () => {
    expect(parseSymbol('std::terminate() + 21')).toMatchObject({ function: 'std::terminate', args: null });
    expect(parseSymbol('store::Journal::replay(unsigned int) (.cold)')).toMatchObject({
      function: 'store::Journal::replay',
      raw: 'store::Journal::replay(unsigned int) (.cold)',
    });
    expect(parseSymbol('(anonymous namespace)::SlotTable<long int>::acquire(this=<unavailable>, key=<unavailable>) const')).toMatchObject({
      function: '(anonymous namespace)::SlotTable<long int>::acquire',
      args: 'this=<unavailable>, key=<unavailable>',
    });
    expect(parseSymbol('std::function<long (int)>::operator()(this=0x1, __args#0=2)')).toMatchObject({
      function: 'std::function<long (int)>::operator()',
      args: 'this=0x1, __args#0=2',
    });
    expect(parseSymbol('___lldb_unnamed_symbol27 + 50').function).toBeNull();
  });

  it('marks [inlined] frames and reads locations with [opt] / [artificial] markers', () => {
    const f = parseFrameLine('8', '0x1064', 'pure_virtual`main [inlined] Codec::Codec(this=<unavailable>) at pure_virtual.cpp:9:19');
    expect(f).toMatchObject({ function: 'Codec::Codec', inlined: true, line: 9, module: 'pure_virtual' });
    const g = parseFrameLine('3', '0x2', 'libc.so.6`___pthread_join(threadid=<unavailable>) at pthread_join.c:24:10 [artificial]');
    expect(g).toMatchObject({ function: '___pthread_join', file: 'pthread_join.c', line: 24, column: 10 });
    const h = parseFrameLine('0', '0x100003f50', 'widget`crash_me + 16 at main.c:5:8 [opt]');
    expect(h).toMatchObject({ function: 'crash_me', file: 'main.c', line: 5 });
  });

  it('does not take an argument value holding " at f.c:1:2" for the location', () => {
    const f = parseFrameLine('5', '0x7', 'libc.so.6`__libc_start_call_main(main=(t`main at t.c:1:11), argc=1)');
    expect(f.file ?? null).toBeNull();
    expect(f.function).toBe('__libc_start_call_main');
  });

  it('reads Linux signals with fault address, and Mach exceptions', () => {
    expect(parseStopReason('signal SIGSEGV: invalid address (fault address: 0x4)').signal).toEqual({
      name: 'SIGSEGV', number: 11, code: 'invalid address', faultAddress: '0x4',
    });
    expect(parseStopReason('signal SIGFPE: integer divide by zero').signal).toMatchObject({ name: 'SIGFPE', code: 'integer divide by zero' });
    const mach = parseStopReason('EXC_BAD_ACCESS (code=1, address=0x0)');
    expect(mach.signal).toEqual({ name: 'EXC_BAD_ACCESS', code: '1', faultAddress: '0x0' });
    expect(mach.kind?.kind).toBe('null-deref');
    expect(parseStopReason('EXC_BAD_ACCESS (code=2, address=0x16fdff000)').kind?.kind).toBe('segv');
    expect(parseStopReason('breakpoint 1.1').breakpoint).toBe(true);
  });
});

describe('lldb: reports written the way people paste them', () => {
  const macos = [
    '(lldb) bt',
    "* thread #1, queue = 'com.apple.main-thread', stop reason = EXC_BAD_ACCESS (code=1, address=0x0)",
    '  * frame #0: 0x0000000100003f50 quillpad`qp_buffer_len(buf=0x0000000000000000) at buffer.c:27:15',
    '    frame #1: 0x0000000100003f9c quillpad`main(argc=1, argv=0x000000016fdff4a8) at main.c:12:10',
    '    frame #2: 0x000000018f6a0274 dyld`start + 2840',
    '(lldb) ',
  ];

  it('reads a macOS EXC_BAD_ACCESS backtrace: queue name, NULL-page kind, frames', () => {
    const [r] = parse(macos.join('\n'));
    expect(r.crashingThreadId).toBe('1');
    expect(r.threads[0].name).toBe('com.apple.main-thread');
    expect(r.signal).toMatchObject({ name: 'EXC_BAD_ACCESS', faultAddress: '0x0' });
    expect(r.kind?.kind).toBe('null-deref');
    expect(r.threads[0].frames.map((f) => f.function)).toEqual(['qp_buffer_len', 'main', 'start']);
    expect(r.startLine).toBe(1);
    expect(r.endLine).toBe(4);
  });

  it('reads the older `thread #N: tid = …` header and unnamed threads', () => {
    const text = [
      '* thread #1: tid = 0x1c2d3, 0x00007fff8b1e2f06 libsystem_kernel.dylib`__pthread_kill + 10, queue = \'com.apple.main-thread\', stop reason = signal SIGABRT',
      '  * frame #0: 0x00007fff8b1e2f06 libsystem_kernel.dylib`__pthread_kill + 10',
      '    frame #1: 0x00007fff8a3e34ec libsystem_c.dylib`abort + 129',
      '    frame #2: 0x0000000100000f2a ferrydock`dock_release(d=0x0000000100200000) + 42 at dock.c:88',
      '  thread #2: tid = 0x1c2d4, 0x00007fff8b1e3e6a libsystem_kernel.dylib`__workq_kernreturn + 10',
      '    frame #0: 0x00007fff8b1e3e6a libsystem_kernel.dylib`__workq_kernreturn + 10',
    ].join('\n');
    const [r] = parse(text);
    expect(r.threads.map((t) => [t.id, t.lwp, t.crashed])).toEqual([['1', '0x1c2d3', true], ['2', '0x1c2d4', false]]);
    expect(r.threads[1].name).toBeNull();
    expect(r.signal?.name).toBe('SIGABRT');
    expect(r.threads[0].frames[2]).toMatchObject({ function: 'dock_release', file: 'dock.c', line: 88 });
  });

  it('makes one report of the stop display and the following `thread backtrace all`', () => {
    const text = readFileSync(join(NATIVE, 'divzero', 'O0.lldb-bt-all.txt'), 'utf8');
    const [r] = parse(text);
    expect(r.threads).toHaveLength(1);
    expect(r.threads[0].frames.length).toBeGreaterThan(2);
    expect(r.sourceLine?.text).toContain('s->total / s->count');
    expect(r.facts.find((f) => f.code === 'program')?.value).toBe('/tmp/crashlens-fixtures/O0/divzero');
  });

  it('keeps two sessions separated by other text apart', () => {
    const one = macos.slice(1, 5);
    const [a, b] = parse([...one, 'then I rebuilt and ran it again:', ...one].join('\n'));
    expect(a.endLine).toBe(3);
    expect(b.startLine).toBe(5);
  });

  it('treats a breakpoint stop as no crash', () => {
    const [r] = parse([
      "* thread #1, name = 'tidewatch', stop reason = breakpoint 1.1",
      '  * frame #0: 0x0000555555555139 tidewatch`tw_tick(n=3) at tick.c:9:5',
      '    frame #1: 0x0000555555555160 tidewatch`main at tick.c:20:3',
    ].join('\n'));
    expect(r.facts.some((f) => f.code === 'breakpoint')).toBe(true);
    expect(r.signal).toBeNull();
  });

  it('marks a paste cut off inside a frame as incomplete', () => {
    const text = [...macos.slice(1, 3), '    frame #1: 0x0000000100003f9c quillpad`main(argc=1, argv=0x000000'].join('\n');
    const [r] = parse(text);
    expect(r.complete).toBe(false);
    expect(r.facts.some((f) => f.code === 'truncated')).toBe(true);
  });

  it('finds nothing in text without lldb threads and never throws on hostile input', () => {
    expect(parse('thread #1 is a forum post title\nframe #2 of the film')).toEqual([]);
    const ats = "  * frame #0: 0x1 m`f(s=\"" + ' at x:1'.repeat(150_000) + '")';
    expect(() => parse(["* thread #1, stop reason = signal SIGSEGV", ats].join('\n'))).not.toThrow();
    const junk = ['* thread #1, name = \'' + 'x'.repeat(1_000_000), '  * frame #0: 0x1 ' + '('.repeat(200_000), '\u0000\ufffd`', 'frame #'];
    expect(() => parse(junk.join('\n'))).not.toThrow();
    const many = Array.from({ length: 50_000 }, (_, i) => `    frame #${i}: 0x0000000000001000 m\`f${i}(a=${'('.repeat(3)}) at f.c:${i}:1`);
    const [r] = parse(["* thread #1, stop reason = signal SIGSEGV: invalid address (fault address: 0x10)", ...many].join('\n'));
    expect(r.threads[0].frames).toHaveLength(50_000);
  });
});
