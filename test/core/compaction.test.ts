import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, isError } from '../../src/analyze.js';
import { clean } from '../../src/ingest/clean.js';
import { detect, restoreFrames } from '../../src/detect.js';
import { FORMATS } from '../../src/formats/index.js';
import type { Analysis, ParsedReport } from '../../src/model.js';

// A dense text keeps only the last few reports of a format whole; the others keep what
// `--list` and detection need, and the analysed one gets its frames back from a re-parse.

const ONE = readFileSync(join(__dirname, '..', 'fixtures', 'native', 'bt_symbols', 'O0.run-backtrace.txt'), 'utf8');
// 60 crashes of one program, each with its own invented function at the top (the signal
// handler's two frames left out, so `--list` names that function).
const BARE = ONE.split('\n').filter((l) => !l.includes('+0x11de') && !l.includes('+0x3c050')).join('\n');
const MANY = Array.from({ length: 60 }, (_, i) => BARE.replace('lru_unlink', `lru_unlink_${i}`)).join('\n');

const glibc = FORMATS.find((f) => f.id === 'glibc-backtrace')!;
const functions = (r: ParsedReport): string[] => r.threads.flatMap((t) => t.frames.map((f) => f.function ?? '?'));

describe('compacted reports of a dense text', () => {
  it('keeps every report of a long text, with the last ones whole and the earlier ones without frames', () => {
    const doc = clean(MANY);
    const full = glibc.find(doc);
    expect(full.length).toBe(60);
    const det = detect(doc);
    const mine = det.reports.filter((r) => r.format === 'glibc-backtrace');
    expect(mine.map((r) => r.startLine)).toEqual(full.map((r) => r.startLine));
    expect(mine[0].threads).toEqual([]);
    expect(functions(mine[59])).toEqual(functions(full[59]));
    expect(det.reports[det.picked]).toBe(mine[59]);
  });

  it('gives any compacted report its frames back exactly', () => {
    const doc = clean(MANY);
    const full = glibc.find(doc);
    const mine = detect(doc).reports.filter((r) => r.format === 'glibc-backtrace');
    for (const k of [0, 17, 40]) {
      restoreFrames(doc, mine[k]);
      expect(functions(mine[k])).toEqual(functions(full[k]));
      expect(functions(mine[k])).toContain(`lru_unlink_${k}`);
    }
  });

  it('analyses an early report picked by number, and lists every report with its own headline', () => {
    const a = analyze(MANY, { pick: 3 });
    expect(isError(a)).toBe(false);
    const an = a as Analysis;
    expect(an.topFrame?.function).toBe('lru_unlink_2');
    expect(an.reports).toHaveLength(60);
    expect(an.reports!.filter((r) => r.picked).map((r) => r.number)).toEqual([3]);
    const last = analyze(MANY) as Analysis;
    expect(last.topFrame?.function).toBe('lru_unlink_59');
    expect(last.signature).not.toBe(an.signature);
    expect(last.reports!.map((r) => r.headline)).toEqual(an.reports!.map((r) => r.headline));
    expect(an.reports!.map((r) => r.headline)).toEqual(Array.from({ length: 60 }, (_, i) => `SIGSEGV in lru_unlink_${i}`));
  });
});
