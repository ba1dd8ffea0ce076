import { describe, expect, it } from 'vitest';
import { lsan } from '../../src/formats/lsan.js';
import { asan } from '../../src/formats/asan.js';
import { casesFor, checkTruth, fixtureText, parseWith, TRUTH } from '../fixtures/sanitizers/harness.js';
import { checkEndToEnd } from '../fixtures/sanitizers/harness.js';

const LEAKS = [...casesFor('lsan'), ...casesFor('asan').filter((n) => TRUTH[n].kind === 'leak')];

describe('lsan: fixtures from programs with planted leaks', () => {
  for (const name of LEAKS) {
    it(`${name}: kind leak, allocation stack of the first direct leak, totals`, () => {
      const truth = { ...TRUTH[name], format: 'lsan' };
      TRUTH[name] = truth;
      const { report } = checkTruth(lsan, name);
      expect(report.message).toMatch(/43 byte\(s\) leaked in 4 allocation\(s\)\.$/);
      expect(report.title).toBe('memory leak in roster_add');
      // Every other record (the second direct leak, the indirect ones) is an allocated stack.
      expect(report.stacks.length).toBeGreaterThanOrEqual(2);
      expect(report.stacks.some((s) => s.title?.startsWith('Indirect leak of'))).toBe(true);
      expect(report.facts.some((f) => f.text.startsWith('2 direct leak record(s) (32 bytes)'))).toBe(true);
    });
  }

  it('is not read by the asan module (ASan leaves the leak list to lsan)', () => {
    expect(asan.find({ lines: fixtureText('asan-leak-clang').split('\n') })).toEqual([]);
  });

  it('marks a leak list without SUMMARY as truncated', () => {
    const text = fixtureText('lsan-leak-gcc').split('\n').slice(0, 9).join('\n');
    const { report } = parseWith(lsan, text);
    expect(report.complete).toBe(false);
    expect(report.facts.some((f) => f.code === 'truncated')).toBe(true);
    expect(report.kind?.kind).toBe('leak');
  });
});

describe('lsan: end to end through analyze()', () => {
  for (const name of [...casesFor('lsan'), ...casesFor('asan').filter((n) => TRUTH[n].kind === 'leak')]) {
    it(`${name}: kind, crash frame (first app frame, not an interceptor), message, stacks`, () => {
      checkEndToEnd(name);
    });
  }
});

describe('lsan: hostile input', () => {
  it('a leak record with a huge count and no frames does not throw', () => {
    const lines = ['==1==ERROR: LeakSanitizer: detected memory leaks', 'Direct leak of 99999999999999999999 byte(s) in 1 object(s) allocated from:', '    #0 ' + '0x'.repeat(1 << 18)];
    expect(() => lsan.find({ lines })).not.toThrow();
  });
});
