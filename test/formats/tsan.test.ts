import { describe, expect, it } from 'vitest';
import { tsan } from '../../src/formats/tsan.js';
import { casesFor, checkTruth, fixtureText, parseWith } from '../fixtures/sanitizers/harness.js';
import { analyzeFixture, checkEndToEnd } from '../fixtures/sanitizers/harness.js';

describe('tsan: fixtures from programs with planted races', () => {
  for (const name of casesFor('tsan')) {
    it(`${name}: kind, crash frame, access, stacks, message`, () => {
      const { report } = checkTruth(tsan, name);
      expect(report.message).toMatch(/^ThreadSanitizer: /);
    });
  }

  it('a data race: both accesses, the threads that made them and the location', () => {
    const { report } = parseWith(tsan, fixtureText('tsan-data-race-clang'));
    expect(report.title).toBe('data race in counter_bump');
    expect(report.crashingThreadId).toBe('2');
    expect(report.access).toMatchObject({ type: 'write', size: 4 });
    const other = report.stacks.find((s) => s.role === 'other-access')!;
    expect(other.thread).toBe('1');
    expect(other.frames[0].function).toBe('counter_bump');
    const created = report.stacks.filter((s) => s.role === 'thread-created').map((s) => s.thread);
    expect(created).toEqual(['2', '1']);
    expect(report.facts.some((f) => f.text.startsWith("Location is global 'shared_counter'"))).toBe(true);
  });

  it('lock-order inversion: a potential deadlock with the lock chain', () => {
    const { report } = parseWith(tsan, fixtureText('tsan-lock-order-inversion-clang'));
    expect(report.kind?.kind).toBe('deadlock');
    expect(report.stacks.map((s) => s.role)).toEqual(['lock-chain']);
    expect(report.stacks[0].frames.map((f) => f.function)).toContain('vault_transfer');
    expect(report.title).toBe('lock-order-inversion in vault_audit');
  });

  it('heap-use-after-free: the free is the freed stack', () => {
    const { report } = parseWith(tsan, fixtureText('tsan-heap-use-after-free-clang'));
    expect(report.stacks.find((s) => s.role === 'freed')?.frames[0].function).toBe('free');
    expect(report.title).toBe('heap-use-after-free WRITE of size 4 in mailbox_poke');
  });

  it('reads the mutexes held at an access', () => {
    const text = [
      '==================',
      'WARNING: ThreadSanitizer: data race (pid=77)',
      '  Write of size 8 at 0x7b0c00000010 by thread T3 (mutexes: write M11):',
      '    #0 ledger_post /home/dev/bank/ledger.c:40:9 (bank+0x4a1f2)',
      '',
      '  Previous read of size 8 at 0x7b0c00000010 by thread T1:',
      '    #0 ledger_peek /home/dev/bank/ledger.c:55:12 (bank+0x4a3b0)',
      '',
      '  Mutex M11 (0x7b0c00000040) created at:',
      '    #0 pthread_mutex_init <null> (bank+0x3c2d1)',
      '    #1 ledger_init /home/dev/bank/ledger.c:12:3 (bank+0x4a0a0)',
      '',
      'SUMMARY: ThreadSanitizer: data race /home/dev/bank/ledger.c:40:9 in ledger_post',
      '==================',
    ].join('\n');
    const { report, crash } = parseWith(tsan, text);
    expect(crash?.function).toBe('ledger_post');
    expect(report.crashingThreadId).toBe('3');
    expect(report.facts.some((f) => f.text === 'Mutexes held: write M11')).toBe(true);
    expect(report.stacks.map((s) => s.role)).toEqual(['other-access', 'lock-chain']);
    expect(report.endLine).toBe(13);
  });
});

describe('tsan: end to end through analyze()', () => {
  for (const name of casesFor('tsan')) {
    it(`${name}: kind, crash frame (first app frame, not an interceptor), message, stacks`, () => {
      checkEndToEnd(name);
    });
  }

  it('a data race names both threads', () => {
    const a = analyzeFixture('tsan-data-race-clang');
    expect(a.title).toBe('data race in counter_bump');
    expect(a.stacks.find((s) => s.role === 'other-access')?.thread).toBe('1');
  });
});

describe('tsan: hostile input', () => {
  it('a report cut off mid-stack is incomplete; junk does not throw', () => {
    const lines = fixtureText('tsan-data-race-clang').split('\n').slice(0, 5);
    const [r] = tsan.find({ lines });
    expect(r.complete).toBe(false);
    expect(r.facts.some((f) => f.code === 'truncated')).toBe(true);
    expect(() => tsan.find({ lines: ['WARNING: ThreadSanitizer: ' + '('.repeat(1 << 20), '    #0 ' + ' '.repeat(1 << 20), '\uFFFD\uFFFD'] })).not.toThrow();
  });
});
