import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clean } from '../../src/ingest/clean.js';
import { FORMATS } from '../../src/formats/index.js';
import { compacted, COMPACT_AFTER, KEEP_FULL } from '../../src/formats/compacted.js';
import type { ParsedReport } from '../../src/model.js';

// On a dense text the sanitizer and kernel readers build most reports compacted (formats/compacted.ts):
// they count the frames of a stack instead of making them, and make only the crashing
// stack's top. Such a report must say what the same report parsed whole says: the same
// lines, kind, message, title, facts, access and signal, the same number of frames and
// the same top function (what `--list`, the pick and the overlap rules read).

const FIX = join(__dirname, '..', 'fixtures');

/** The fixtures of `area`, `copies` times over. */
function dense(area: string, copies: number): string {
  const dir = join(FIX, area);
  const files = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort().map((f) => readFileSync(join(dir, f), 'utf8'));
  const parts: string[] = [];
  for (let r = 0; r < copies; r++) parts.push(...files);
  return parts.join('\n');
}

function frameCount(r: ParsedReport): number {
  const c = compacted.get(r);
  if (c !== undefined) return c.frames;
  return [...r.threads, ...r.stacks, ...r.groups].reduce((n, s) => n + s.frames.length, 0);
}

function topOf(r: ParsedReport): string | null {
  const c = compacted.get(r);
  if (c !== undefined) return c.top;
  return (r.threads.find((t) => t.crashed) ?? r.threads[0])?.frames[0]?.function ?? null;
}

const said = (r: ParsedReport) => ({
  lines: [r.startLine, r.endLine, r.complete],
  kind: r.kind,
  message: r.message,
  title: r.title,
  facts: r.facts,
  access: r.access,
  signal: r.signal,
  thread: r.crashingThreadId,
  frames: frameCount(r),
  top: topOf(r),
});

// The kernel parser finishes each report KEEP_FULL reports late, when it knows that many
// follow; the sanitizer readers count the headlines still ahead.
describe.each([
  ['asan', 'sanitizers', 3],
  ['msan', 'sanitizers', 20],
  ['tsan', 'sanitizers', 12],
  ['lsan', 'sanitizers', 20],
  ['kernel', 'kernel', 4],
] as const)('%s reports built compacted', (id, area, copies) => {
  const text = dense(area, copies);
  const f = FORMATS.find((x) => x.id === id)!;

  it('say what the same reports parsed whole say, and only the last few are whole', () => {
    const doc = clean(text);
    const whole = f.find(doc);
    const handed: ParsedReport[] = [];
    f.find(doc, (r) => handed.push(r));
    expect(whole.length).toBeGreaterThan(COMPACT_AFTER + KEEP_FULL + 10);
    expect(handed.map(said)).toEqual(whole.map(said));
    // Nobody compacted these but the format itself: the first COMPACT_AFTER and the last
    // KEEP_FULL are whole, the others were built compacted.
    const built = handed.map((r) => compacted.has(r));
    expect(built.slice(0, COMPACT_AFTER).every((b) => !b)).toBe(true);
    expect(built.slice(-KEEP_FULL).every((b) => !b)).toBe(true);
    expect(built.slice(COMPACT_AFTER, -KEEP_FULL).every((b) => b)).toBe(true);
    // They count frames they did not make: a stack of several frames each.
    expect(handed.slice(COMPACT_AFTER, -KEEP_FULL).some((r) => frameCount(r) > 3)).toBe(true);
    // the whole ones are the same reports, frames and all
    for (let k = 0; k < handed.length; k++) if (!built[k]) expect(handed[k]).toEqual(whole[k]);
  });

  it('make no frames when they are not handed to detection', () => {
    for (const r of f.find(clean(text))) expect(compacted.has(r)).toBe(false);
  });
});
