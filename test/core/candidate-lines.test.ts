import { describe, expect, it } from 'vitest';
import { candidateIndex, candidateLines, clean, nextCandidate } from '../../src/ingest/clean.js';
import { detect } from '../../src/detect.js';

/** The lines of a cleaned doc that hold `s`, the slow way. */
function holding(lines: string[], s: string): number[] {
  return lines.flatMap((l, i) => (l.includes(s) ? [i] : []));
}

const LOG = [
  'boot ok',
  '```',
  '[  12.345678] BUG: kernel NULL pointer dereference, address: 0000000000000008',
  'plain line',
  '2026-11-25T10:00:00.123Z INFO worker: #0 not a frame but holds the string',
  '```',
  '#0  0x000055d1c2a1b2c4 in cart_total (c=0x0) at cart.c:19',
  '#1  0x000055d1c2a1b300 in main () at main.c:12',
  'tail',
].join('\n');

describe('candidate lines (where a registered string occurs)', () => {
  it('lists every cleaned line that holds the string, in order, counting past dropped fence lines', () => {
    for (const input of [LOG, Buffer.from(LOG)]) {
      const doc = clean(input);
      for (const s of ['#0 ', '#1 ', 'BUG: ']) {
        const c = candidateLines(doc, [s]);
        expect(c, s).not.toBeNull();
        expect([...c!], s).toEqual(holding(doc.lines, s));
      }
      expect([...candidateLines(doc, ['#0 ', '#1 '])!]).toEqual([...holding(doc.lines, '#0 '), ...holding(doc.lines, '#1 ')].sort((a, b) => a - b));
    }
  });

  it('finds the string in a long text walked in parallel streams, at every line', () => {
    const lines: string[] = [];
    for (let i = 0; i < 50_000; i++) lines.push(i % 997 === 0 ? `x #0  0x1 in f${i} () at a.c:${i}` : `line ${i} of filler text`);
    // over 1 MB: a string input is walked in chunks, each at its own offset
    const text = lines.join('\n').repeat(2);
    for (const input of [text, Buffer.from(text)]) {
      const doc = clean(input);
      const want = holding(doc.lines, '#0 ');
      expect(want.length).toBeGreaterThan(50);
      expect([...candidateLines(doc, ['#0 '])!]).toEqual(want);
    }
  });

  it('keeps quoted pastes indexed: the cleaned line is part of the raw one', () => {
    const doc = clean(LOG.split('\n').map((l) => '> ' + l).join('\n'));
    expect([...candidateLines(doc, ['#1 '])!]).toEqual(holding(doc.lines, '#1 '));
  });

  it('gives no index where offsets or lines do not match the text: non-ASCII text, control characters, unknown strings', () => {
    expect(candidateLines(clean('héllo\n#0  0x1 in f () at a.c:1'), ['#0 '])).toBeNull();
    expect(candidateLines(clean('#\x1b[1m0  0x1 in f () at a.c:1'), ['#0 '])).toBeNull();
    expect(candidateLines(clean(LOG), ['no such registered string'])).toBeNull();
  });

  it('gives up the index when the strings are on most lines (every line of a log holds an @), and the crash is still found', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `mail to user${i}@example.com sent`);
    lines.splice(2500, 0, 'Program received signal SIGSEGV, Segmentation fault.', '#0  0x1 in cart_total (c=0x0) at cart.c:19', '#1  0x2 in main () at main.c:12');
    const doc = clean(Buffer.from(lines.join('\n')));
    expect(candidateLines(doc, ['@'])).toBeNull();
    const det = detect(doc);
    expect(det.reports[det.picked].threads[0].frames[0].function).toBe('cart_total');
  });

  it('steps from one candidate to the next', () => {
    const c = Int32Array.from([3, 7, 7, 20]);
    expect(candidateIndex(c, 0)).toBe(0);
    expect(candidateIndex(c, 4)).toBe(1);
    expect(candidateIndex(c, 21)).toBe(4);
    expect(nextCandidate(c, 8, 99)).toBe(20);
    expect(nextCandidate(c, 21, 99)).toBe(99);
    expect(nextCandidate(null, 5, 99)).toBe(5);
  });

  it('the same crash is found whether or not the text is indexed', () => {
    const indexed = detect(clean(LOG));
    const nonAscii = detect(clean(LOG.replace('boot ok', 'boot ok ✓')));
    expect(indexed.reports.map((r) => [r.format, r.startLine])).toEqual(nonAscii.reports.map((r) => [r.format, r.startLine]));
    expect(indexed.reports.length).toBeGreaterThan(0);
  });
});
