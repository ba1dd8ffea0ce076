import { describe, expect, it } from 'vitest';
import { msan } from '../../src/formats/msan.js';
import { casesFor, checkTruth, parseWith, fixtureText } from '../fixtures/sanitizers/harness.js';
import { TRUTH } from '../fixtures/sanitizers/harness.js';
import { checkEndToEnd } from '../fixtures/sanitizers/harness.js';

describe('msan: fixtures from programs with planted bugs', () => {
  for (const name of casesFor('msan')) {
    it(`${name}: kind, crash frame, origin stacks, message`, () => {
      const { report } = checkTruth(msan, name);
      expect(report.message).toMatch(/^MemorySanitizer: use-of-uninitialized-value /);
      expect(report.title).toBe(`use-of-uninitialized-value in ${TRUTH[name].function}`);
    });
  }

  it('keeps the origin stack (where the value was created) apart from the use', () => {
    const { report, crash } = parseWith(msan, fixtureText('msan-use-of-uninitialized-value-clang'));
    const origin = report.stacks.find((s) => s.role === 'origin')!;
    expect(origin.title).toContain('created by a heap allocation');
    expect(origin.frames.map((f) => f.function)).toContain('gauge_alloc');
    expect(crash?.function).toBe('gauge_check');
  });

  it('leaves AddressSanitizer reports to the asan module', () => {
    expect(msan.find({ lines: fixtureText('asan-heap-use-after-free-clang').split('\n') })).toEqual([]);
  });
});

describe('msan: end to end through analyze()', () => {
  for (const name of casesFor('msan')) {
    it(`${name}: kind, crash frame (first app frame, not an interceptor), message, stacks`, () => {
      checkEndToEnd(name);
    });
  }
});
