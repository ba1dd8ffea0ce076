/**
 * What the tests of the hand-written formats (Windows, Apple, Android, Breakpad) share:
 * a Doc from text, the fixture folder's files, the crashed thread, and DESIGN's crash frame
 * with roles from the default rule packs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, ParsedReport } from '../../src/model.js';
import { defaultRules } from '../../src/rules/load.js';
import { assignRoles } from '../../src/rules/roles.js';
import { crashFrame as pickCrashFrame } from '../../src/diagnose/crash-frame.js';

const RULES = defaultRules();

/** A Doc as ingest would give it for a clean paste (CR dropped). */
export function doc(text: string) {
  return { lines: text.split('\n').map((l) => l.replace(/\r$/, '')) };
}

/** DESIGN's crash frame, with roles from the rule packs. */
export function crashFrame(frames: Frame[]): Frame | null {
  assignRoles(frames, RULES);
  return pickCrashFrame(frames);
}

/** The thread the report marks as crashed. */
export function crashed(r: ParsedReport) {
  return r.threads.find((t) => t.id === r.crashingThreadId) ?? null;
}

/** The fixture folder of one format, and a reader of its files. */
export function fixtures(format: string): { dir: string; load: (name: string) => string } {
  const dir = join(import.meta.dirname, '../fixtures', format);
  return { dir, load: (name: string) => readFileSync(join(dir, name), 'utf8') };
}
