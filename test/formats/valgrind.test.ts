import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { valgrind } from '../../src/formats/valgrind.js';
import { casesFor, checkTruth, fixtureText, parseWith } from '../fixtures/sanitizers/harness.js';
import { analyzeFixture, checkEndToEnd, FIXTURES } from '../fixtures/sanitizers/harness.js';
import { analyze, isError } from '../../src/analyze.js';
import { clean } from '../../src/ingest/clean.js';
import type { Analysis } from '../../src/model.js';

describe('valgrind: fixtures from programs with planted bugs', () => {
  for (const name of casesFor('valgrind')) {
    it(`${name}: kind, crash frame, access, stacks, message`, () => {
      checkTruth(valgrind, name);
    });
  }

  it('an invalid read in a free\'d block: freed and allocated stacks, headline as message', () => {
    const { report } = parseWith(valgrind, fixtureText('valgrind-invalid-read-free'));
    expect(report.message).toBe('Invalid read of size 4');
    expect(report.stacks.map((s) => s.role)).toEqual(['freed', 'allocated']);
    expect(report.stacks[0].frames.map((f) => f.function)).toContain('ticket_drop');
    expect(report.title).toBe('use-after-free READ of size 4 in ticket_peek');
  });

  it('SIGSEGV at address 0x4: a NULL dereference with the signal and fault address', () => {
    const { report } = parseWith(valgrind, fixtureText('valgrind-segv-null'));
    expect(report.kind?.kind).toBe('null-deref');
    expect(report.signal).toMatchObject({ name: 'SIGSEGV', number: 11, faultAddress: '0x4' });
    expect(report.access).toMatchObject({ type: 'write', size: 4, address: '0x4' });
  });

  it('leaks: the first definitely-lost record is the crash', () => {
    const { report } = parseWith(valgrind, fixtureText('valgrind-leak'));
    expect(report.message).toMatch(/definitely lost in loss record 3 of 4$/);
    expect(report.title).toBe('memory leak in roster_add');
  });

  it('helgrind: the conflicting access and the announced threads', () => {
    const { report } = parseWith(valgrind, fixtureText('valgrind-helgrind-race'));
    expect(report.crashingThreadId).toBe('3');
    expect(report.title).toBe('data race in counter_bump');
    const other = report.stacks.find((s) => s.role === 'other-access')!;
    expect(other.thread).toBe('2');
    expect(report.stacks.filter((s) => s.role === 'thread-created').map((s) => s.thread).sort()).toEqual(['2', '3']);
  });

  it('a paste cut off before ERROR SUMMARY is incomplete', () => {
    const lines = fixtureText('valgrind-invalid-read-free').split('\n');
    const cut = lines.slice(0, lines.findIndex((l) => l.includes('Block was alloc')) + 2).join('\n');
    const { report } = parseWith(valgrind, cut);
    expect(report.complete).toBe(false);
    expect(report.facts.some((f) => f.code === 'truncated')).toBe(true);
  });

  it('does not throw on hostile input', () => {
    const lines = ['==1== Invalid read of size 99999999999999999999', '==1==    at 0x' + 'f'.repeat(1 << 20), '==1==    by 0x1: (', '==x== junk'];
    expect(() => valgrind.find({ lines })).not.toThrow();
  });
});

describe('valgrind: end to end through analyze()', () => {
  for (const name of casesFor('valgrind')) {
    it(`${name}: kind, crash frame (first app frame, not an interceptor), message, stacks`, () => {
      checkEndToEnd(name);
    });
  }

  it('valgrind SIGSEGV at 0x4 is a NULL dereference in rudder_set', () => {
    const a = analyzeFixture('valgrind-segv-null');
    expect(a.kind).toBe('null-deref');
    expect(a.crashFrame?.function).toBe('rudder_set');
    expect(a.signal?.name).toBe('SIGSEGV');
  });
});

describe('valgrind: shapes the fixture programs do not make', () => {
  it('a call through a NULL function pointer is a NULL dereference of kind call', () => {
    const text = [
      '==4410== Memcheck, a memory error detector',
      '==4410== Thread 2 dispatcher:',
      '==4410== Jump to the invalid address stated on the next line',
      '==4410==    at 0x0: ???',
      '==4410==    by 0x109A2C: hook_fire (hooks.c:77)',
      '==4410==    by 0x109B10: dispatcher_main (dispatch.c:31)',
      '==4410==  Address 0x0 is not stack\'d, malloc\'d or (recently) free\'d',
      '==4410== ',
      '==4410== Process terminating with default action of signal 11 (SIGSEGV)',
      '==4410==  Bad permissions for mapped region at address 0x0',
      '==4410==    at 0x0: ???',
      '==4410==    by 0x109A2C: hook_fire (hooks.c:77)',
      '==4410== ERROR SUMMARY: 1 errors from 1 contexts (suppressed: 0 from 0)',
    ].join('\n');
    const { report, crash } = parseWith(valgrind, text);
    expect(report.kind?.kind).toBe('null-deref');
    expect(report.access?.type).toBe('call');
    expect(report.crashingThreadId).toBe('2');
    expect(report.signal?.faultAddress).toBe('0x0');
    expect(crash?.function).toBe('hook_fire');
  });
});

describe('valgrind: runs in a log of many runs', () => {
  const vgNames = casesFor('valgrind');
  const pidOf = (text: string) => /^==(\d+)== /m.exec(text)![1];

  function analyzed(text: string): Analysis {
    const a = analyze(text);
    if (isError(a)) throw new Error(a.error.message);
    return a;
  }

  it('every fixture concatenated three times: each report found once per copy, none swallowed by a valgrind run', () => {
    // As the bench's dense corpus: every generated fixture, in name order.
    const one = readdirSync(FIXTURES).filter((f) => f.endsWith('.txt')).sort().map((f) => readFileSync(join(FIXTURES, f), 'utf8'));
    // What each fixture gives alone.
    const expected: Record<string, number> = {};
    for (const t of one) {
      for (const r of analyzed(t).reports ?? []) expected[r.format] = (expected[r.format] ?? 0) + 3;
    }
    const text = [...one, ...one, ...one].join('\n');
    const a = analyzed(text);
    const got: Record<string, number> = {};
    for (const r of a.reports ?? []) got[r.format] = (got[r.format] ?? 0) + 1;
    expect(got).toEqual(expected);
    expect(got.valgrind).toBe(3 * vgNames.length);
    // No valgrind report runs past the fixture it came from.
    const longest = Math.max(...one.map((t) => t.split('\n').length));
    for (const r of a.reports ?? []) expect(r.endLine - r.startLine).toBeLessThan(longest);
  });

  it('the same valgrind run pasted twice (same pid) is two reports', () => {
    const t = fixtureText('valgrind-invalid-read-free');
    const { reports } = parseWith(valgrind, t + '\n' + t);
    expect(reports).toHaveLength(2);
    expect(reports.map((r) => r.title)).toEqual(['use-after-free READ of size 4 in ticket_peek', 'use-after-free READ of size 4 in ticket_peek']);
    expect(reports[0].endLine).toBeLessThan(reports[1].startLine);
    expect(reports.every((r) => r.complete && !r.facts.some((f) => f.text.includes('more valgrind error')))).toBe(true);
  });

  it('an AddressSanitizer report with the pid of a valgrind run: ASan\'s `==pid==ERROR:` lines are not valgrind\'s', () => {
    const vg = fixtureText('valgrind-invalid-read-free');
    const asanText = fixtureText('asan-heap-use-after-free-gcc');
    const asanPid = /^==(\d+)==ERROR/m.exec(asanText)![1];
    // The same pid in both (pids are reused across runs of a test suite).
    const asanSamePid = asanText.split(`==${asanPid}==`).join(`==${pidOf(vg)}==`);
    for (const text of [vg + '\n' + asanSamePid, asanSamePid + '\n' + vg]) {
      const a = analyzed(text);
      expect((a.reports ?? []).map((r) => r.format).sort()).toEqual(['asan', 'valgrind']);
      const lines = text.split('\n');
      const v = a.reports!.find((r) => r.format === 'valgrind')!;
      const range = lines.slice(v.startLine - 1, v.endLine);
      expect(range.some((l) => l.includes('AddressSanitizer') || l.includes('ABORTING'))).toBe(false);
      expect(range[0]).toContain('Memcheck, a memory error detector');
      expect(range[range.length - 1]).toContain('ERROR SUMMARY:');
    }
    const { reports } = parseWith(valgrind, vg + '\n' + asanSamePid + '\n' + vg);
    expect(reports).toHaveLength(2);
  });

  it('the error list of `-s` after the first ERROR SUMMARY stays in the run and adds no errors', () => {
    const t = fixtureText('valgrind-invalid-read-free');
    const pid = pidOf(t);
    const lines = t.replace(/\n+$/, '').split('\n');
    const err = lines.filter((l) => /Invalid read|    (at|by) 0x|Address 0x|Block was/.test(l));
    const listed = [...lines, `==${pid}== `, `==${pid}== 1 errors in context 1 of 1:`, ...err, `==${pid}== `, lines[lines.length - 1]].join('\n');
    const { reports } = parseWith(valgrind, listed);
    expect(reports).toHaveLength(1);
    expect(reports[0].endLine).toBe(listed.split('\n').length - 1);
    expect(reports[0].facts.some((f) => f.text.includes('more valgrind error'))).toBe(false);
  });

  it('the tool of a run: memcheck unless a Helgrind or drd banner names another; a memcheck banner wins', () => {
    const run = (banner: string) =>
      [`==7== ${banner}`, '==7== Invalid free() / delete / delete[] / realloc()', '==7==    at 0x4844: free (vg_replace_malloc.c:9)', '==7==    by 0x1091: main (a.c:3)', '==7== ERROR SUMMARY: 1 errors from 1 contexts'].join('\n');
    const reason = (banner: string) => valgrind.find(clean(run(banner)))[0].kind?.reason;
    expect(reason('Memcheck, a memory error detector')).toMatch(/^valgrind memcheck: /);
    expect(reason('Helgrind, a thread error detector')).toMatch(/^valgrind helgrind: /);
    expect(reason('drd, a thread error detector')).toMatch(/^valgrind drd: /);
    expect(reason('Helgrind, or rather Memcheck, a memory error detector')).toMatch(/^valgrind memcheck: /);
    expect(reason('Copyright (C) 2002-2022')).toMatch(/^valgrind memcheck: /);
  });
});
