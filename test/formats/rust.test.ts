import { describe, expect, it } from 'vitest';
import { parseRust, cleanRustName } from '../../src/formats/rust.js';
import { basename, crashingThread, docOf, firstFrameIn, fixtures, handwritten } from '../fixtures/runtimes/load.js';
import { analysed, endToEnd } from '../fixtures/runtimes/e2e.js';

// Rust panics printed by the program itself; `gdb` variants are the same bugs seen through gdb.
const all = fixtures('rust').filter((f) => f.truth.variant !== 'gdb');
const viaGdb = fixtures('rust').filter((f) => f.truth.variant === 'gdb');

describe('rust format on real toolchain output', () => {
  it('has fixtures for every case, debug and release, RUST_BACKTRACE unset/1/full, v1 and v2', () => {
    const cases = new Set(all.map((f) => f.truth.case));
    expect([...cases].sort()).toEqual(['alloc-fail', 'explicit', 'index-oob', 'overflow', 'stack-overflow', 'thread-expect', 'unwrap-none']);
    const variants = new Set(all.map((f) => f.truth.variant));
    for (const v of ['debug-bt0', 'debug-bt1', 'debug-btfull', 'release-bt0', 'release-bt1', 'release-btfull']) expect(variants).toContain(v);
  });

  for (const fx of all) {
    const t = fx.truth;
    it(`${fx.name}: kind ${t.kind}, thread, message and crash location`, () => {
      const reports = parseRust(docOf(fx.text));
      expect(reports.length).toBe(1);
      const r = reports[0];
      expect(r.kind?.kind).toBe(t.kind);
      const th = crashingThread(r)!;
      expect(th).toBeDefined();
      expect(th.crashed).toBe(true);
      if (t.thread) expect(th.name).toBe(t.thread);
      else if (t.kind === 'panic') expect(th.name).toBe('main');
      if (t.kind === 'panic') {
        // The header's location is the planted line, in every build and backtrace mode.
        const at = r.facts.find((f) => f.text.startsWith('panicked at'));
        expect(at?.value).toMatch(new RegExp(`^${t.file.replace('.', '\\.')}:${t.line}:\\d+$`));
        expect(r.message).toBeTruthy();
      }
      const hasBacktrace = !t.variant.endsWith('bt0') && t.frames !== 'none';
      if (!hasBacktrace) {
        // Only the panic's own location is known: one frame, no function name.
        expect(th.frames.length).toBeLessThanOrEqual(1);
        if (t.kind === 'panic' && th.frames.length === 1) {
          expect(th.frames[0].function).toBeNull();
          expect(th.frames[0].file).toBe(t.file);
          expect(th.frames[0].line).toBe(t.line);
        }
        return;
      }
      expect(th.frames.length).toBeGreaterThan(2);
      // Innermost first: indexes in order, and the program's main below the crash.
      th.frames.forEach((f, i) => expect(f.index).toBe(i));
      expect(th.frames.every((f) => f.function === null || !/::h[0-9a-f]{16}$/.test(f.function))).toBe(true);
      expect(th.frames.every((f) => f.function === null || !/\[[0-9a-f]{16}\]/.test(f.function))).toBe(true);
      if (t.frames === 'yes') {
        const crash = firstFrameIn(th.frames, t.file)!;
        expect(crash.function).toBe(t.crashFunction);
        expect(crash.line).toBe(t.line);
        expect(crash.module).toBe('ledgerd');
        // Everything above it is std/core/alloc (panic machinery).
        for (const f of th.frames.slice(0, crash.index)) expect(basename(f.file)).not.toBe(t.file);
      } else {
        // Release builds inline the function into its caller: an app frame of the crate is still there.
        expect(th.frames.some((f) => f.module === 'ledgerd')).toBe(true);
      }
    });
  }
});

describe('rust format shapes beyond the fixtures', () => {
  it('strips symbol hashes and crate disambiguators, keeping the raw name', () => {
    expect(cleanRustName('ledgerd::main::he4ab3ce58cb74003')).toBe('ledgerd::main');
    expect(cleanRustName('std[e28293b1aa0f68bd]::rt::lang_start_internal')).toBe('std::rt::lang_start_internal');
    expect(cleanRustName('_$LT$std..sys_common..backtrace.._print..DisplayBacktrace$u20$as$u20$core..fmt..Display$GT$::fmt::h50f7b755f1835a1b')).toBe('<std::sys_common::backtrace::_print::DisplayBacktrace as core::fmt::Display>::fmt');
    expect(cleanRustName('libfuzzer_sys::initialize::_$u7b$$u7b$closure$u7d$$u7d$::h31ff8ab17e93ba40')).toBe('libfuzzer_sys::initialize::_{{closure}}');
    const r = parseRust(docOf([
      "thread 'main' panicked at 'called `Result::unwrap()` on an `Err` value: ParseIntError { kind: InvalidDigit }', src/config.rs:41:37",
      'stack backtrace:',
      '   0:     0x5585a1b2c3d4 - std::backtrace_rs::backtrace::libunwind::trace::h5a7f0a5c3b3c1d2e',
      '   1:     0x5585a1b2c3d4 - core::result::unwrap_failed::h0123456789abcdef',
      '   2:     0x5585a1b2c400 - quillmark::config::load::hfedcba9876543210',
      '                               at /home/dev/quillmark/src/config.rs:41:37',
      '   3:     0x5585a1b2c500 - main',
      '   4:                0x0 - <unknown>',
    ].join('\n')))[0];
    expect(r.message).toContain('ParseIntError');
    expect(r.facts[0].value).toBe('src/config.rs:41:37');
    const f = r.threads[0].frames;
    expect(f[2].function).toBe('quillmark::config::load');
    expect(f[2].rawFunction).toBe('quillmark::config::load::hfedcba9876543210');
    expect(f[2].file).toBe('/home/dev/quillmark/src/config.rs');
    expect(f[2].line).toBe(41);
    expect(f[0].inlined).toBe(true); // shares its address with frame 1
    expect(f[4].function).toBeNull();
  });

  it('reads unnamed threads and a panic while panicking as one report', () => {
    const rs = parseRust(docOf([
      "thread '<unnamed>' (77) panicked at src/pool.rs:12:9:",
      'worker lost its queue',
      "thread '<unnamed>' (77) panicked while processing panic. aborting.",
    ].join('\n')));
    expect(rs.length).toBe(1);
    expect(rs[0].crashingThreadId).toBe('77');
    expect(rs[0].threads[0].name).toBe('<unnamed>');
    expect(rs[0].facts.some((f) => f.text.includes('panic while panicking'))).toBe(true);
  });

  it('marks a backtrace cut off by the end of the text as incomplete', () => {
    const r = parseRust(docOf([
      "thread 'main' (9) panicked at src/main.rs:3:5:",
      'boom',
      'stack backtrace:',
      '   0: rust_begin_unwind',
      '   1: core::panicking::panic_fmt',
      '   2: ferry::dock',
    ].join('\n')))[0];
    expect(r.complete).toBe(false);
    expect(r.facts.some((f) => f.code === 'truncated')).toBe(true);
  });

  it('an error returned from main with an anyhow chain and backtrace', () => {
    const r = parseRust(docOf(handwritten('rust-anyhow-main-error.txt')));
    expect(r).toHaveLength(1);
    expect(r[0].exception).toEqual({
      type: 'Error',
      message: 'failed to load ledger "east"',
      causes: [{ type: 'Error', message: 'failed to read /srv/ledgerd/east.toml' }, { type: 'Error', message: 'No such file or directory (os error 2)' }],
    });
    expect(r[0].kind?.kind).toBe('uncaught-exception');
    const fr = r[0].threads[0].frames;
    expect(fr[1]).toMatchObject({ function: 'ledgerd::config::read_config', file: './src/config.rs', line: 22 });
    const a = analysed({ name: 'anyhow', path: '', text: handwritten('rust-anyhow-main-error.txt'), truth: {} as never });
    expect(a.crashFrame?.function).toBe('ledgerd::config::read_config');
    // Plain log lines starting with `Error:` are not reports.
    expect(parseRust(docOf('Error: connection refused\nretrying in 5s'))).toEqual([]);
  });

  it('an anyhow chain without a backtrace is found by analyze, with CRLF or LF line ends', () => {
    // `Caused by:` alone on its line is the trigger (Java's is followed by a class name).
    const text = 'Error: failed to load ledger "east"\n\nCaused by:\n    0: failed to read /srv/ledgerd/east.toml\n    1: No such file or directory (os error 2)\n';
    for (const t of [text, text.replace(/\n/g, '\r\n')]) {
      const a = analysed({ name: 'anyhow', path: '', text: t, truth: {} as never });
      expect(a.format).toBe('rust');
      expect(a.exception?.causes.map((c) => c.message)).toEqual(['failed to read /srv/ledgerd/east.toml', 'No such file or directory (os error 2)']);
    }
  });

  it('survives hostile input', () => {
    const junk = ["thread '" + 'x'.repeat(1_000_000), 'stack backtrace:', '   0: ' + '<'.repeat(100_000), '\uFFFD\uFFFD'].join('\n');
    expect(() => parseRust(docOf(junk))).not.toThrow();
    expect(parseRust(docOf('nothing to see\nhere'))).toEqual([]);
  });
});

endToEnd('rust', 'rust', (f) => f.truth.variant !== 'gdb');

describe('rust frames seen through gdb (break rust_panic), with the rust rule pack', () => {
  it('has gdb fixtures', () => expect(viaGdb.length).toBeGreaterThanOrEqual(4));
  for (const fx of viaGdb) {
    it(`${fx.name}: the crash frame is the program's function, under the panic machinery`, () => {
      const a = analysed(fx);
      expect(a.format).toBe('gdb');
      expect(a.topFrame?.function).toContain('rust_panic');
      expect(a.crashFrame?.function).toBe(fx.truth.crashFunction);
      expect(a.crashFrame?.line).toBe(fx.truth.line);
      // Everything between the breakpoint and the program's frame is panic machinery or std.
      const th = a.threads.find((t) => t.crashed) ?? a.threads[0];
      for (const f of th.frames.slice(0, a.crashFrame!.index)) expect(['crash-handling', 'runtime', 'library']).toContain(f.role);
    });
  }
  it('line shifts keep the signature', () => {
    for (const c of new Set(viaGdb.map((f) => f.truth.case))) {
      const [v1, v2] = ['v1', 'v2'].map((v) => analysed(viaGdb.find((f) => f.truth.case === c && f.truth.version === v)!).signature.id);
      expect(v2).toBe(v1);
    }
  });
});
