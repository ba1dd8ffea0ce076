/**
 * End to end through analyze(): a C++ program's own backtrace_symbols handler prints
 * mangled names (test/fixtures/demangle/bt_journal, made by scripts/make-demangle-corpus.sh
 * with the truth it knows from the planted bug).
 *
 * NEEDS WIRING: these pass once analyze() calls demangleReport(report) (or at least
 * demangleFrames on all frames) from src/frames/demangle-frames.ts right after the report is
 * picked, before rules and roles. Until then the crash frame reads `_ZN5store…`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, isError } from '../../src/analyze.js';

const DIR = new URL('../fixtures/demangle/bt_journal/', import.meta.url);
const truth = JSON.parse(readFileSync(new URL('truth.json', DIR), 'utf8')) as {
  kind: string;
  kinds: Record<string, string>;
  crashFrame: { function: string; rawFunction: string; file: string; line: number };
};

describe.each(['O0', 'O2'])('bt_journal %s: glibc backtrace_symbols with mangled C++ names (needs demangleReport wired into analyze)', (build) => {
  const text = readFileSync(new URL(`${build}.run-backtrace.txt`, DIR), 'utf8');

  it('names the crash frame demangled, keeps the mangled symbol as rawFunction, and the kind', () => {
    const r = analyze(text, { input: `${build}.run-backtrace.txt` });
    if (isError(r)) throw new Error(r.error.message);
    expect(r.format).toBe('glibc-backtrace');
    expect(r.kind).toBe(truth.kind);
    expect(r.crashFrame?.function).toBe(truth.crashFrame.function);
    expect(r.crashFrame?.rawFunction).toBe(truth.crashFrame.rawFunction);
    expect(r.crashFrame?.role).toBe('app');
    expect(r.title).toContain('store::Journal::replay');
  });

  it('demangles the callers too, and leaves C names alone', () => {
    const r = analyze(text);
    if (isError(r)) throw new Error(r.error.message);
    const names = r.threads.flatMap((t) => t.frames.map((f) => f.function));
    expect(names).toContain('run_batch(std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const&, store::Journal&)');
    expect(names).toContain('main');
    expect(names.some((n) => n?.startsWith('_Z'))).toBe(false);
  });
});

describe('bt_journal under valgrind --demangle=no (needs demangleReport wired into analyze)', () => {
  const text = readFileSync(new URL('O0.valgrind-demangle-no.txt', DIR), 'utf8');

  it('names the crash frame demangled with its file and line, in the title and signature too', () => {
    const r = analyze(text, { input: 'O0.valgrind-demangle-no.txt' });
    if (isError(r)) throw new Error(r.error.message);
    expect(r.format).toBe('valgrind');
    expect(r.kind).toBe(truth.kinds['valgrind-demangle-no']);
    expect(r.crashFrame).toMatchObject({
      function: truth.crashFrame.function,
      rawFunction: truth.crashFrame.rawFunction,
      file: truth.crashFrame.file,
      line: truth.crashFrame.line,
    });
    expect(r.title).toContain(truth.crashFrame.function);
    expect(r.title).not.toContain('_ZN');
    expect(r.signature.text).toContain('store::Journal::replay');
    expect(r.signature.text).not.toContain('_Z');
  });
});
