import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { glibcBacktrace, parseGlibcFrame, signalFromText } from '../../src/formats/glibc-backtrace.js';
import type { Analysis, ParsedReport } from '../../src/model.js';
import { analyze } from '../../src/analyze.js';

const NATIVE = join(__dirname, '..', 'fixtures', 'native');
const BT = join(NATIVE, 'bt_symbols');

function parse(text: string): ParsedReport[] {
  return glibcBacktrace.find({ lines: text.split('\n') });
}

const truth = JSON.parse(readFileSync(join(BT, 'truth.json'), 'utf8')) as {
  crashFrame: { function: string };
};
const handlerOutputs = readdirSync(BT).filter((f) => f.includes('.run-') || f.endsWith('.shell.txt'));

describe('glibc-backtrace: the bt_symbols program\'s own SIGSEGV handler output', () => {
  it('has fixtures for every build and banner', () => {
    expect(handlerOutputs.length).toBeGreaterThanOrEqual(9);
  });

  for (const file of handlerOutputs) {
    it(`${file}: frames innermost first, handler frames marked, signal from the header`, () => {
      const text = readFileSync(join(BT, file), 'utf8');
      const reports = parse(text);
      expect(reports).toHaveLength(1);
      const r = reports[0];
      expect(r.format).toBe('glibc-backtrace');
      expect(r.complete).toBe(true);
      expect(r.signal).toMatchObject({ name: 'SIGSEGV', number: 11 });
      expect(r.crashingThreadId).toBe('1');
      const frames = r.threads[0].frames;
      frames.forEach((f, i) => expect(f.index).toBe(i));
      // frame 0: the handler that called backtrace(); frame 1: the signal trampoline in libc.
      expect(frames[0].module).toBe('./bt_symbols');
      expect(frames[1].module).toMatch(/libc\.so\.6$/);
      expect(frames[1].function).toBeNull();
      expect(frames[0].roleHint).toBe('crash-handling');
      expect(frames[1].roleHint).toBe('crash-handling');
      expect(r.facts.find((f) => f.code === 'signal-handler')?.frame).toBe(1);
      // Below the trampoline: the faulting function (exported, so named even when stripped).
      expect(frames[2].function).toBe(truth.crashFrame.function);
      expect(frames[2].roleHint).toBeUndefined();
      expect(frames[2].address).toMatch(/^0x[0-9a-f]+$/);
      expect(frames.some((f) => f.function === 'main')).toBe(true);
      expect(frames[frames.length - 1].function).toBe('_start');
      // Static functions have no exported name: an offset only.
      expect(frames.some((f) => f.function === null && f.module === './bt_symbols' && f.rawFunction?.startsWith('+0x'))).toBe(true);
      const obtained = /Obtained (\d+) stack frames/.exec(text);
      if (obtained) expect(frames).toHaveLength(Number(obtained[1]));
    });
  }

  it('marks a list shorter than "Obtained N stack frames" as cut off', () => {
    const text = readFileSync(join(BT, 'O0.run-obtained.txt'), 'utf8').split('\n');
    const cut = text.filter((l) => !l.includes('_start+'));
    const [r] = parse(cut.join('\n'));
    expect(r.complete).toBe(false);
    expect(r.facts.some((f) => f.code === 'truncated')).toBe(true);
  });

  it('finds nothing in the gdb and lldb outputs of the native fixtures', () => {
    const programs = readdirSync(NATIVE).filter((d) => existsSync(join(NATIVE, d, 'truth.json')));
    for (const p of programs) {
      for (const f of readdirSync(join(NATIVE, p)).filter((x) => x.includes('.gdb-') || x.includes('.lldb-'))) {
        expect(parse(readFileSync(join(NATIVE, p, f), 'utf8')), `${p}/${f}`).toEqual([]);
      }
    }
  });
});

describe('glibc-backtrace: frame line shapes', () => {
  it('reads symbol+offset, offset-only, spaced and symbol-less lines', () => {
    expect(parseGlibcFrame('./bt_symbols(lru_unlink+0xc)[0x55555555530d]')).toEqual({
      module: './bt_symbols', symbol: 'lru_unlink', offset: '0xc', address: '0x55555555530d',
    });
    expect(parseGlibcFrame('/lib/x86_64-linux-gnu/libc.so.6(+0x3c050)[0x7ffff7e11050]')).toEqual({
      module: '/lib/x86_64-linux-gnu/libc.so.6', symbol: null, offset: '0x3c050', address: '0x7ffff7e11050',
    });
    expect(parseGlibcFrame('./a.out(main+0x15) [0x8048a1d]')).toMatchObject({ module: './a.out', symbol: 'main' });
    expect(parseGlibcFrame('./ledgerd[0x400b1d]')).toMatchObject({ module: './ledgerd', symbol: null, address: '0x400b1d' });
    expect(parseGlibcFrame('./ledgerd() [0x400b1d]')).toMatchObject({ module: './ledgerd', symbol: null });
    expect(parseGlibcFrame('/opt/kiln/bin/kilnd(_ZN4kiln5Queue4pushEi+0x2f)[0x4011af]')).toMatchObject({ symbol: '_ZN4kiln5Queue4pushEi' });
  });

  it('rejects ordinary log text with brackets', () => {
    expect(parseGlibcFrame('connected to peer [0x1f]')).toBeNull();
    expect(parseGlibcFrame('value(x)[not-an-address]')).toBeNull();
    expect(parseGlibcFrame('some (thing+0xzz)[0x10]')).toBeNull();
  });

  it('reads signals from handler headers', () => {
    expect(signalFromText('Caught signal 11 (Segmentation fault)')).toEqual({ name: 'SIGSEGV', number: 11 });
    expect(signalFromText('Received SIGBUS, dumping stack')).toEqual({ name: 'SIGBUS', number: 7 });
    expect(signalFromText('*** fatal signal 6 ***')).toEqual({ name: 'SIGABRT', number: 6 });
    expect(signalFromText('Backtrace:')).toBeNull();
  });
});

describe('glibc-backtrace: the old glibc abort banner', () => {
  const banner = [
    'ledgerd: starting 4 workers',
    "*** Error in `./ledgerd': double free or corruption (fasttop): 0x0000000001c3e010 ***",
    '======= Backtrace: =========',
    '/lib/x86_64-linux-gnu/libc.so.6(+0x777e5)[0x7f2b1c6a97e5]',
    '/lib/x86_64-linux-gnu/libc.so.6(+0x8037a)[0x7f2b1c6b237a]',
    '/lib/x86_64-linux-gnu/libc.so.6(cfree+0x4c)[0x7f2b1c6b653c]',
    './ledgerd[0x400b1d]',
    './ledgerd(main+0x3a)[0x400c2a]',
    '/lib/x86_64-linux-gnu/libc.so.6(__libc_start_main+0xf0)[0x7f2b1c652830]',
    './ledgerd(_start+0x29)[0x4009d9]',
    '======= Memory map: ========',
    '00400000-00402000 r-xp 00000000 08:01 393219                             /srv/ledgerd/ledgerd',
    '00601000-00602000 r--p 00001000 08:01 393219                             /srv/ledgerd/ledgerd',
    'Aborted (core dumped)',
  ];

  it('takes the message, kind and program from the *** Error in line and ends at the memory map', () => {
    const [r] = parse(banner.join('\n'));
    expect(r.startLine).toBe(1);
    expect(r.endLine).toBe(12);
    expect(r.message).toBe('double free or corruption (fasttop)');
    expect(r.kind?.kind).toBe('double-free');
    expect(r.signal?.name).toBe('SIGABRT');
    expect(r.facts.find((f) => f.code === 'program')?.value).toBe('./ledgerd');
    expect(r.facts.find((f) => f.code === 'heap-message')?.value).toBe('0x0000000001c3e010');
    const frames = r.threads[0].frames;
    expect(frames).toHaveLength(7);
    expect(frames[2].function).toBe('cfree');
    // No handler here: nothing is marked as crash handling by this parser.
    expect(frames.every((f) => f.roleHint === undefined)).toBe(true);
  });

  it('needs two frames, or a header, before calling a line a backtrace', () => {
    expect(parse('loaded ./plugin.so(+0x10)[0x7f0000001010] ok')).toEqual([]);
    expect(parse('./plugin.so(+0x10)[0x7f0000001010]')).toEqual([]);
    expect(parse('Backtrace:\n./plugin.so(+0x10)[0x7f0000001010]')).toHaveLength(1);
  });

  it('reads 100,000 frames and never throws on hostile input', () => {
    const line = './m(f+0x1)[0x1]';
    const [r] = parse(Array.from({ length: 100_000 }, () => line).join('\n'));
    expect(r.threads[0].frames).toHaveLength(100_000);
    expect(() => parse('('.repeat(1_000_000) + '[0x1]\n' + '[0x'.repeat(300_000) + '\n\ud800')).not.toThrow();
    const error = "*** Error in `" + "': ".repeat(200_000) + ' ***';
    expect(() => parse([error, 'Backtrace:', './m(f+0x1)[0x1]'].join('\n'))).not.toThrow();
  });
});

describe('glibc backtrace: frames given as module offsets', () => {
  const text = [
    'Caught signal 11 (Segmentation fault)',
    './tallyd(+0x1a2b)[0x55d1c2a1ba2b]',
    '/lib/x86_64-linux-gnu/libc.so.6(+0x3c050)[0x7ffff7e11050]',
    './tallyd(+0x12c4)[0x55d1c2a1b2c4]',
    './tallyd(+0x1400)[0x55d1c2a1b400]',
    '/lib/x86_64-linux-gnu/libc.so.6(__libc_start_main+0x85)[0x7ffff7dfc305]',
  ].join('\n');
  it('keep the offset into the module of a frame with no symbol, and addr2line names the first of the program', () => {
    const a = analyze(text) as Analysis;
    const frames = a.threads[0].frames;
    expect(frames[2]).toMatchObject({ function: null, module: './tallyd', moduleOffset: '0x12c4' });
    expect(frames[4]).toMatchObject({ function: '__libc_start_main' });
    expect(frames[4].moduleOffset).toBeUndefined();
    expect(a.nextSteps.map((s) => s.command)).toContain('addr2line -f -C -i -e ./tallyd 0x12c4');
  });
});
