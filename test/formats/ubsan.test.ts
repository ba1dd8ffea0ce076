import { describe, expect, it } from 'vitest';
import { ubsan } from '../../src/formats/ubsan.js';
import { casesFor, checkTruth, fixtureText, parseWith } from '../fixtures/sanitizers/harness.js';
import { checkEndToEnd } from '../fixtures/sanitizers/harness.js';

describe('ubsan: fixtures from programs with planted undefined behaviour', () => {
  for (const name of casesFor('ubsan')) {
    it(`${name}: kind, location, message`, () => {
      const { report } = checkTruth(ubsan, name);
      expect(report.message).toContain(': runtime error: ');
    });
  }

  it('with a stack: the crash frame is the function, the title names the check', () => {
    const text = fixtureText('ubsan-signed-overflow-stack-clang');
    const { report, crash } = parseWith(ubsan, text);
    expect(crash?.function).toBe('meter_scale');
    expect(report.title).toBe('signed-integer-overflow in meter_scale');
    expect(report.endLine).toBe(text.split('\n').findIndex((l) => l.startsWith('SUMMARY: UndefinedBehaviorSanitizer')));
  });

  it('without a stack: one frame at the reported file, line and column', () => {
    const { report, crash } = parseWith(ubsan, fixtureText('ubsan-shift-clang'));
    expect(crash).toMatchObject({ file: 'ubsan_shift.c', line: 5, column: 13 });
    expect(report.title).toBe('shift-exponent in ubsan_shift.c');
  });

  it('reads a deadly signal under UBSan', () => {
    const text = [
      'UndefinedBehaviorSanitizer:DEADLYSIGNAL',
      '==812==ERROR: UndefinedBehaviorSanitizer: SEGV on unknown address 0x000000000010 (pc 0x55a1 bp 0x7ffd sp 0x7ffd T812)',
      '==812==The signal is caused by a READ memory access.',
      '==812==Hint: address points to the zero page.',
      '    #0 0x55a1c2 in tally_read /home/dev/tally/tally.c:31:14',
      '    #1 0x55a1d0 in main /home/dev/tally/main.c:9:3',
      '',
      'UndefinedBehaviorSanitizer can not provide additional info.',
      'SUMMARY: UndefinedBehaviorSanitizer: SEGV /home/dev/tally/tally.c:31:14 in tally_read',
      '==812==ABORTING',
    ].join('\n');
    const { report, crash } = parseWith(ubsan, text);
    expect(report.kind?.kind).toBe('null-deref');
    expect(report.signal?.faultAddress).toBe('0x000000000010');
    expect(crash?.function).toBe('tally_read');
  });
});

describe('ubsan: end to end through analyze()', () => {
  for (const name of casesFor('ubsan')) {
    it(`${name}: kind, crash frame (first app frame, not an interceptor), message, stacks`, () => {
      checkEndToEnd(name);
    });
  }
});

describe('ubsan: other runtimes quoting a runtime error', () => {
  it('a log line with a Go panic message and no UBSan location or stack is not a UBSan report', () => {
    const lines = [
      'project/test/m.go:118 (0x5b3aea9449a5)',
      '2026/01/26 09:04:35 .../m/m.go:210:r.1() [E] Panic in m: runtime error: slice bounds out of range [:-1]',
      'runtime/panic.go:129 (0x5b3aea398e53)',
    ];
    expect(ubsan.find({ lines })).toEqual([]);
  });

  it('a UBSan line without a stack still reads at file:line:col, <unknown> or (module+offset)', () => {
    for (const where of ['src/a.c:12:5', 'src/a.c:12', '<unknown>', '(/out/fuzzer+0x4a1d)']) {
      const rs = ubsan.find({ lines: [`${where}: runtime error: signed integer overflow: 2147483647 + 1 cannot be represented in type 'int'`] });
      expect(rs.length, where).toBe(1);
      expect(rs[0].kind?.kind).toBe('undefined-behavior');
    }
  });
});

describe('ubsan: hostile input', () => {
  it('a 1 MB line with the marker and frames without locations do not throw', () => {
    const lines = ['x'.repeat(1 << 20) + ': runtime error: ' + ':'.repeat(1 << 16), '    #0 0x1 in', '    #1 zz'];
    const rs = ubsan.find({ lines });
    expect(rs.length).toBe(1);
    expect(rs[0].kind?.kind).toBe('undefined-behavior');
  });
});
