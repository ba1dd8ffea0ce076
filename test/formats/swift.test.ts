import { describe, expect, it } from 'vitest';
import { parseSwift } from '../../src/formats/swift.js';
import { crashingThread, docOf, handwritten } from '../fixtures/runtimes/load.js';
import { analyze } from '../../src/analyze.js';
import type { Analysis } from '../../src/model.js';

describe('swift format on hand-written shapes (no Swift toolchain on the build machine)', () => {
  it('5.9+ backtracer: message, trap location, named crashed thread, frames with files', () => {
    const r = parseSwift(docOf(handwritten('swift-backtracer.txt')));
    expect(r).toHaveLength(1);
    expect(r[0].kind?.kind).toBe('null-deref');
    expect(r[0].message).toBe('Fatal error: Unexpectedly found nil while unwrapping an Optional value');
    expect(r[0].facts.find((f) => f.text.startsWith('trapped at'))?.value).toBe('Sources/Lighthouse/BeamSchedule.swift:42');
    const th = crashingThread(r[0])!;
    expect(th).toMatchObject({ id: '0', name: 'main' });
    expect(th.frames[0]).toMatchObject({ function: 'BeamSchedule.nextSweep', module: 'lighthouse', line: 42, column: 38 });
    expect(th.frames[2].function).toBe('Lighthouse.main');
    expect(th.frames[3].roleHint).toBe('runtime');
  });

  it('older `Current stack trace:` form: panic kind, trap machinery hinted as crash-handling', () => {
    const r = parseSwift(docOf(handwritten('swift-current-stack.txt')))[0];
    expect(r.kind?.kind).toBe('panic');
    expect(r.message).toBe('Fatal error: Index out of range');
    expect(r.facts.some((f) => f.value === 'Swift/ContiguousArrayBuffer.swift:600')).toBe(true);
    const fr = crashingThread(r)!.frames;
    expect(fr).toHaveLength(10);
    expect(fr[0]).toMatchObject({ function: 'swift_reportError', roleHint: 'crash-handling' });
    expect(fr[2]).toMatchObject({ function: null, roleHint: 'runtime' });
    expect(fr[5]).toMatchObject({ function: '_assertionFailure', roleHint: 'crash-handling' });
    expect(fr[6]).toMatchObject({ function: '$s10lighthouse12BeamScheduleV5lampsSiyF', module: 'lighthouse' });
  });

  it('a bare message without a stack still makes a report; hostile input does not throw', () => {
    const r = parseSwift(docOf('Fatal error: Division by zero'));
    expect(r[0].kind?.kind).toBe('panic');
    expect(r[0].threads[0].frames).toEqual([]);
    expect(() => parseSwift(docOf('Fatal error: ' + 'x: '.repeat(300000) + '\nCurrent stack trace:\n0 ' + ' '.repeat(100000) + '0x1 a'))).not.toThrow();
    expect(parseSwift(docOf('no swift here: Fatal errors are fine'))).toEqual([]);
  });
});

describe('swift end to end', () => {
  it('crash frame is the app function, not the trap machinery', () => {
    const a = analyze(handwritten('swift-backtracer.txt'), { input: 'x' }) as Analysis;
    expect(a.format).toBe('swift');
    expect(a.kind).toBe('null-deref');
    expect(a.crashFrame?.function).toBe('BeamSchedule.nextSweep');
    expect(a.crashFrame?.line).toBe(42);
  });

  it('the older form with the shell\'s `Illegal instruction` after it is one Swift report', () => {
    const a = analyze(handwritten('swift-current-stack.txt'), { input: 'x' }) as Analysis;
    expect(a.format).toBe('swift');
    expect(a.kind).toBe('panic');
    expect(a.signal?.name).toBe('SIGILL');
    expect(a.crashFrame?.function).toBe('$s10lighthouse12BeamScheduleV5lampsSiyF');
  });
});
