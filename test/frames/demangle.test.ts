/**
 * The demangler against binutils c++filt: a generated corpus (scripts/make-demangle-corpus.sh:
 * g++/clang++ objects, libstdc++ exports, a rustc crate in v0 and legacy mangling, each
 * symbol with c++filt's output) and a curated list of the shapes crash reports show.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { demangle, demangleName } from '../../src/frames/demangle.js';
import { demangleFrames, demangleReport, demangleText } from '../../src/frames/demangle-frames.js';
import type { Frame, ParsedReport } from '../../src/model.js';

const FIXTURES = new URL('../fixtures/demangle/', import.meta.url);

function corpus(): Array<{ sym: string; want: string }> {
  const text = readFileSync(new URL('corpus.tsv', FIXTURES), 'utf8');
  const rows: Array<{ sym: string; want: string }> = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const tab = line.indexOf('\t');
    rows.push({ sym: line.slice(0, tab), want: line.slice(tab + 1) });
  }
  return rows;
}

function cxxfiltAvailable(): boolean {
  try {
    execFileSync('c++filt', ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** A Rust legacy symbol from its path segments (lengths computed, not typed). */
function rustLegacy(parts: string[]): string {
  return `_ZN${parts.map((p) => `${p.length}${p}`).join('')}E`;
}

describe('corpus agreement with c++filt', () => {
  const rows = corpus();

  it('holds a few thousand symbols of every scheme', () => {
    expect(rows.length).toBeGreaterThan(2000);
    expect(rows.filter((r) => r.sym.startsWith('_R')).length).toBeGreaterThan(100);
    expect(rows.filter((r) => /17h[0-9a-f]{16}E$/.test(r.sym)).length).toBeGreaterThan(10);
  });

  it('agrees on at least 95% overall, on C++ and on Rust separately, and is rarely wrong', () => {
    const groups: Record<string, { n: number; ok: number; wrong: number }> = {
      cxx: { n: 0, ok: 0, wrong: 0 },
      rust: { n: 0, ok: 0, wrong: 0 },
    };
    const misses: string[] = [];
    for (const r of rows) {
      const g = r.sym.startsWith('_R') || /17h[0-9a-f]{16}E$/.test(r.sym) ? groups.rust : groups.cxx;
      g.n++;
      const d = demangle(r.sym);
      if ((d ?? r.sym) === r.want) g.ok++;
      else {
        if (d !== null) g.wrong++;
        misses.push(`${r.sym}\n  c++filt: ${r.want}\n  ours:    ${d}`);
      }
    }
    const total = groups.cxx.n + groups.rust.n;
    const ok = groups.cxx.ok + groups.rust.ok;
    const pct = (a: number, b: number): string => ((100 * a) / b).toFixed(2);
    console.log(
      `demangle corpus: ${ok}/${total} agree with c++filt (${pct(ok, total)}%); ` +
        `C++ ${pct(groups.cxx.ok, groups.cxx.n)}% of ${groups.cxx.n}, Rust ${pct(groups.rust.ok, groups.rust.n)}% of ${groups.rust.n}; ` +
        `${groups.cxx.wrong + groups.rust.wrong} differing non-null outputs`,
    );
    if (process.env.DEMANGLE_MISSES) console.log(misses.join('\n'));
    expect(ok / total).toBeGreaterThanOrEqual(0.95);
    expect(groups.cxx.ok / groups.cxx.n).toBeGreaterThanOrEqual(0.95);
    expect(groups.rust.ok / groups.rust.n).toBeGreaterThanOrEqual(0.95);
    // Null (left mangled) is the answer for what we do not know, not a wrong name.
    expect((groups.cxx.wrong + groups.rust.wrong) / total).toBeLessThan(0.01);
  });
});

/** Shapes crash reports commonly show, with c++filt's output for each (100% required). */
const CURATED: Array<[string, string]> = [
  ['_ZN5store7Journal6replayEi', 'store::Journal::replay(int)'],
  ['_ZN5store7Journal6replayEi.isra.0', 'store::Journal::replay(int) [clone .isra.0]'],
  ['_ZN5store7Journal6replayEi.constprop.0', 'store::Journal::replay(int) [clone .constprop.0]'],
  ['_ZN5store7Journal6replayEi.cold', 'store::Journal::replay(int) [clone .cold]'],
  ['_ZN5store7Journal6replayEi.part.0.isra.0', 'store::Journal::replay(int) [clone .part.0] [clone .isra.0]'],
  ['_ZNK5store7Journal6replayERKSt6vectorINS_6RecordESaIS2_EEb', 'store::Journal::replay(std::vector<store::Record, std::allocator<store::Record> > const&, bool) const'],
  ['_ZN5store7JournalC2ERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEE', 'store::Journal::Journal(std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const&)'],
  ['_ZN5store7JournalD0Ev', 'store::Journal::~Journal()'],
  ['_ZN5store7JournalD1Ev', 'store::Journal::~Journal()'],
  ['_ZN5store7JournallsERKNS_6RecordE', 'store::Journal::operator<<(store::Record const&)'],
  ['_ZN5store7JournalixEm', 'store::Journal::operator[](unsigned long)'],
  ['_ZNK5store7JournalclEii', 'store::Journal::operator()(int, int) const'],
  ['_ZNK5store7JournalcvbEv', 'store::Journal::operator bool() const'],
  ['_ZNK5store7JournalcvPKcEv', 'store::Journal::operator char const*() const'],
  ['_ZN12_GLOBAL__N_110hidden_sumEPKNS_6HiddenEPFiiEMS0_i', '(anonymous namespace)::hidden_sum((anonymous namespace)::Hidden const*, int (*)(int), int (anonymous namespace)::Hidden::*)'],
  ['_ZZN5store7Journal6replayEiENKUlRNS_6RecordEE_clES2_', 'store::Journal::replay(int)::{lambda(store::Record&)#1}::operator()(store::Record&) const'],
  ['_ZN5store7Journal4eachIZNS0_6replayEiEUlRNS_6RecordEE_EEvT_', 'void store::Journal::each<store::Journal::replay(int)::{lambda(store::Record&)#1}>(store::Journal::replay(int)::{lambda(store::Record&)#1})'],
  ['_ZN6engine8clamp_toIiEET_S1_S1_S1_', 'int engine::clamp_to<int>(int, int, int)'],
  ['_ZN3net4wire6encodeILNS0_2OpE0EEEiRKNS0_5FrameERA32_c', 'int net::wire::encode<(net::wire::Op)0>(net::wire::Frame const&, char (&) [32])'],
  ['_ZTVN5store7JournalE', 'vtable for store::Journal'],
  ['_ZTIN5store7JournalE', 'typeinfo for store::Journal'],
  ['_ZTSN5store7JournalE', 'typeinfo name for store::Journal'],
  ['_ZGVZ13counter_valuevE7counter', 'guard variable for counter_value()::counter'],
  ['_ZThn8_N5store7JournalD1Ev', 'non-virtual thunk to store::Journal::~Journal()'],
  ['_ZL13counter_valuev', 'counter_value()'],
  ['_ZNSt6vectorIiSaIiEE17_M_realloc_insertIJRKiEEEvN9__gnu_cxx17__normal_iteratorIPiS1_EEDpOT_', 'void std::vector<int, std::allocator<int> >::_M_realloc_insert<int const&>(__gnu_cxx::__normal_iterator<int*, std::vector<int, std::allocator<int> > >, int const&)'],
  ['_ZNSsC1EPKcRKSaIcE', 'std::basic_string<char, std::char_traits<char>, std::allocator<char> >::basic_string(char const*, std::allocator<char> const&)'],
  ['_ZNSt10unique_ptrIN5store7JournalESt14default_deleteIS1_EED2Ev', 'std::unique_ptr<store::Journal, std::default_delete<store::Journal> >::~unique_ptr()'],
  ['_ZNSt8functionIFviEEclEi', 'std::function<void (int)>::operator()(int)'],
  ['_ZNSt6thread11_State_implINS_8_InvokerISt5tupleIJPFvPN5store7JournalEES4_EEEEE6_M_runEv', 'std::thread::_State_impl<std::thread::_Invoker<std::tuple<void (*)(store::Journal*), store::Journal> > >::_M_run()'],
  ['_ZSt9terminatev', 'std::terminate()'],
  ['_ZN4kiln5applyIA17_cEEvRKT_', 'void kiln::apply<char [17]>(char const (&) [17])'],
  ['_ZN4kiln4holdIKNS_6LedgerEEEvRKT_', 'void kiln::hold<kiln::Ledger const>(kiln::Ledger const&)'],
  ['_ZN9__gnu_cxx27__verbose_terminate_handlerEv', '__gnu_cxx::__verbose_terminate_handler()'],
  ['_ZNKSt5ctypeIcE8do_widenEc', 'std::ctype<char>::do_widen(char) const'],
  [rustLegacy(['core', 'panicking', 'panic_fmt', 'h0123456789abcdef']), 'core::panicking::panic_fmt::h0123456789abcdef'],
  [rustLegacy(['std', 'rt', 'lang_start', '_$u7b$$u7b$closure$u7d$$u7d$', 'h0f1e2d3c4b5a6978']), 'std::rt::lang_start::{{closure}}::h0f1e2d3c4b5a6978'],
  [
    rustLegacy(['_$LT$ledger..Ledger$LT$T$GT$$u20$as$u20$ledger..Audit$GT$', 'audit', 'h9a8b7c6d5e4f3a2b']),
    '<ledger::Ledger<T> as ledger::Audit>::audit::h9a8b7c6d5e4f3a2b',
  ],
  ['_RNvCs1234_7mycrate4main', 'mycrate[3c1c0]::main'],
  ['_RNCNvCs1234_7mycrate4main0B3_', 'mycrate[3c1c0]::main::{closure#0}'],
  ['_RNvNtCs1234_7mycrate3foo3bar', 'mycrate[3c1c0]::foo::bar'],
];

const NOT_MANGLED = ['main', 'lru_unlink', '_start', '__libc_start_main', '_Z', '_ZN', '_Zfoo', '_R', '_Rb_tree_insert_and_rebalance', 'std::vector<int>::push_back', '', '_ZN5store7Journal6replay', '_ZN5store7Journal6replayEi+0x1d'];

describe('curated crash shapes', () => {
  it.each(CURATED)('%s', (sym, want) => {
    expect(demangle(sym)).toBe(want);
  });

  it.runIf(cxxfiltAvailable())('the curated expectations are what the installed c++filt prints', () => {
    const out = execFileSync('c++filt', { input: CURATED.map(([s]) => s).join('\n') + '\n' }).toString().split('\n');
    CURATED.forEach(([, want], i) => expect(out[i]).toBe(want));
  });

  it('Rust v0 const generics print as rustc-demangle (rustfilt) does, with the type suffix', () => {
    // c++filt 2.40 prints `<10: usize>` here; rustfilt prints `<10usize>`, the form kept.
    expect(demangle('_RINvNtCs1234_7mycrate6escape14escape_unicodeKja_EB4_')).toBe('mycrate[3c1c0]::escape::escape_unicode::<10usize>');
  });

  it('Mach-O symbols carry one more underscore', () => {
    expect(demangle('__ZN5store7Journal6replayEi')).toBe('store::Journal::replay(int)');
  });

  it('a Rust legacy symbol with an LLVM suffix keeps the path', () => {
    expect(demangle(rustLegacy(['ledger', 'settle', 'h0011223344556677']) + '.llvm.1234567890')).toBe('ledger::settle::h0011223344556677');
  });

  it.each(NOT_MANGLED)('%j is not demangled', (name) => {
    expect(demangle(name)).toBeNull();
  });
});

describe('hostile symbols', () => {
  it('refuses inputs over 4 KB', () => {
    const long = '_ZN' + '3abc'.repeat(1100) + '1fEv';
    expect(long.length).toBeGreaterThan(4096);
    expect(demangle(long)).toBeNull();
  });

  it('bounds substitution blow-up: each level names the previous type twice, 40 levels', () => {
    // 1a, then PFv<prev><prev>E again and again: 2^40 copies of `a` if printed in full.
    const ref = (i: number): string => (i === 0 ? 'S_' : `S${(i - 1).toString(36).toUpperCase()}_`);
    let sym = '_Z1f1a';
    let last = 0;
    for (let k = 1; k <= 40; k++) {
      sym += `PFv${ref(last)}${ref(last)}E`;
      last += 2; // the function type and the pointer to it are both candidates
    }
    expect(demangle('_Z1f1aPFvS_S_EPFvS1_S1_E')).toBe('f(a, void (*)(a, a), void (*)(void (*)(a, a), void (*)(a, a)))');
    const r = demangle(sym);
    expect(r).toBeNull();
  });

  it('deep nesting and garbage never throw', () => {
    const cases = ['_Z1f' + 'P'.repeat(3000) + 'i', '_Z1f' + 'A1_'.repeat(1000) + 'i', '_ZN' + 'N'.repeat(2000), '_R' + 'I'.repeat(3000), '_RNvB_1a', '_RNvCs_1aBz_'];
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const alphabet = 'NESTIJLXZPRKVOFCDabcdefghijlmstvxy0123456789_$.';
    for (let i = 0; i < 3000; i++) {
      let s = i % 2 ? '_Z' : '_R';
      const len = 2 + (rnd() % 60);
      for (let j = 0; j < len; j++) s += alphabet[rnd() % alphabet.length];
      cases.push(s);
    }
    for (const c of cases) {
      const r = demangle(c);
      expect(r === null || typeof r === 'string').toBe(true);
    }
  });
});

describe('demangleFrames', () => {
  const frame = (fn: string | null, raw: string | null = fn): Frame => ({ index: 0, function: fn, rawFunction: raw, inlined: false, role: 'unknown' });

  it('demangles mangled names and keeps the mangled text as rawFunction', () => {
    const frames = [frame('_ZN5store7Journal6replayEi'), frame('main'), frame(null), frame('_ZN5store7Journal6replayEi.cold', null)];
    demangleFrames(frames);
    expect(frames[0]).toMatchObject({ function: 'store::Journal::replay(int)', rawFunction: '_ZN5store7Journal6replayEi' });
    expect(frames[1]).toMatchObject({ function: 'main', rawFunction: 'main' });
    expect(frames[2].function).toBeNull();
    expect(frames[3]).toMatchObject({ function: 'store::Journal::replay(int) [clone .cold]', rawFunction: '_ZN5store7Journal6replayEi.cold' });
  });

  it('keeps an offset glued to the symbol out of the name', () => {
    const frames = [frame('_ZN5store7Journal6replayEi+0x1d'), frame('_ZNK5store7JournalclEii+28')];
    demangleFrames(frames);
    expect(frames[0].function).toBe('store::Journal::replay(int)');
    expect(frames[0].rawFunction).toBe('_ZN5store7Journal6replayEi+0x1d');
    expect(frames[1].function).toBe('store::Journal::operator()(int, int) const');
  });

  it('keeps a @plt or symbol-version suffix after the demangled name', () => {
    const frames = [frame('_ZN5store7Journal6replayEi@plt'), frame('_ZSt9terminatev@@GLIBCXX_3.4')];
    demangleFrames(frames);
    expect(frames.map((f) => f.function)).toEqual(['store::Journal::replay(int)@plt', 'std::terminate()@@GLIBCXX_3.4']);
  });

  it('leaves names it cannot demangle alone', () => {
    const frames = [frame('_ZN5store7Journal6replay'), frame('_Rb_tree_increment')];
    demangleFrames(frames);
    expect(frames.map((f) => f.function)).toEqual(['_ZN5store7Journal6replay', '_Rb_tree_increment']);
  });
});

describe('demangleReport', () => {
  const frame = (fn: string): Frame => ({ index: 0, function: fn, rawFunction: fn, inlined: false, role: 'unknown' });

  it('demangles frames of threads, extra stacks and groups, the title and the assertion function', () => {
    const report = {
      threads: [{ id: '1', name: null, crashed: true, state: null, frames: [frame('_ZN5store7Journal6replayEi')] }],
      stacks: [{ role: 'freed', frames: [frame('_ZdlPv')] }],
      groups: [{ count: 2, state: null, frames: [frame('_ZSt9terminatev')] }],
      title: 'null-deref READ of size 4 in _ZN5store7Journal6replayEi.',
      message: 'Invalid read in _ZN5store7Journal6replayEi',
      assertion: { expression: 'e != nullptr', file: null, line: null, function: '_ZNK5store7JournalclEii' },
    } as unknown as ParsedReport;
    demangleReport(report);
    expect(report.threads[0].frames[0].function).toBe('store::Journal::replay(int)');
    expect(report.stacks[0].frames[0].function).toBe('operator delete(void*)');
    expect(report.groups[0].frames[0].function).toBe('std::terminate()');
    expect(report.title).toBe('null-deref READ of size 4 in store::Journal::replay(int).');
    expect(report.assertion?.function).toBe('store::Journal::operator()(int, int) const');
    expect(report.message).toBe('Invalid read in _ZN5store7Journal6replayEi');
  });

  it('leaves text without mangled words as it is', () => {
    expect(demangleText('segv in lru_unlink')).toBe('segv in lru_unlink');
    expect(demangleText('in _ZN5store7Journal6replay and _ZSt9terminatev')).toBe('in _ZN5store7Journal6replay and std::terminate()');
  });
});

describe('demangleName (the entity alone, for signatures)', () => {
  it.each([
    ['_ZN5store7Journal6replayEi.isra.0', 'store::Journal::replay'],
    ['_ZNK5store7JournalclEii', 'store::Journal::operator()'],
    ['_ZN6engine8clamp_toIiEET_S1_S1_S1_', 'engine::clamp_to<int>'],
    ['_ZNK5store7JournalcvPKcEv', 'store::Journal::operator char const*'],
    ['_ZN1AcvT_IiEEv', 'A::operator int<int>'],
    ['_ZZN5store7Journal6replayEiENKUlRNS_6RecordEE_clES2_', 'store::Journal::replay(int)::{lambda(store::Record&)#1}::operator()'],
    ['_ZTVN5store7JournalE', 'vtable for store::Journal'],
    [rustLegacy(['core', 'panicking', 'panic_fmt', 'h0123456789abcdef']), 'core::panicking::panic_fmt'],
    ['_RNCNvCs1234_7mycrate4main0B3_', 'mycrate[3c1c0]::main::{closure#0}'],
  ])('%s → %s', (sym, want) => {
    expect(demangleName(sym)).toBe(want);
  });

  it('is null where demangle is', () => {
    expect(demangleName('main')).toBeNull();
    expect(demangleName('_ZN5store7Journal6replay')).toBeNull();
  });
});
