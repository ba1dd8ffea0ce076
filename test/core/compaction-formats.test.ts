import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, isError } from '../../src/analyze.js';
import { clean } from '../../src/ingest/clean.js';
import { FORMATS } from '../../src/formats/index.js';
import type { Analysis, Frame, ParsedReport } from '../../src/model.js';

// The formats that hand their reports over one by one (kernel, the sanitizers): on a dense
// text most reports are compacted as they come, and whichever one is analysed must have the
// very frames the format parses for it.

const FIX = join(__dirname, '..', 'fixtures');

function dense(dir: string, copies: number): string {
  const files = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort().map((f) => readFileSync(join(dir, f), 'utf8'));
  const parts: string[] = [];
  for (let r = 0; r < copies; r++) parts.push(...files);
  return parts.join('\n');
}

const names = (frames: Frame[]): string[] => frames.map((f) => `${f.function ?? '?'} ${f.file ?? ''}:${f.line ?? ''}`);
const stackNames = (r: { threads: { frames: Frame[] }[]; stacks: { frames: Frame[] }[] }): string[][] => [...r.threads.map((t) => names(t.frames)), ...r.stacks.map((s) => names(s.frames))];

describe.each([
  ['kernel', 'kernel', 4],
  ['asan', 'sanitizers', 2],
  ['tsan', 'sanitizers', 10],
] as const)('compacted %s reports', (format, area, copies) => {
  const text = dense(join(FIX, area), copies);
  const f = FORMATS.find((x) => x.id === format)!;
  const parsed: ParsedReport[] = f.find(clean(text));

  it(`analyses any ${format} report of a dense text with the frames its format parses`, () => {
    expect(parsed.length).toBeGreaterThan(40);
    const all = analyze(text) as Analysis;
    expect(isError(all)).toBe(false);
    // report numbers (1-based, across formats) of this format's reports, by their lines
    const numbers = new Map(all.reports!.filter((r) => r.format === format).map((r) => [r.startLine - 1, r.number]));
    const picks = [0, 1, Math.floor(parsed.length / 2), parsed.length - 5].map((k) => parsed[k]).filter((p) => numbers.has(p.startLine));
    expect(picks.length).toBeGreaterThan(2);
    for (const p of picks) {
      const a = analyze(text, { pick: numbers.get(p.startLine) }) as Analysis;
      expect(a.format).toBe(format);
      expect(stackNames(a)).toEqual(stackNames(p));
    }
  });
});
