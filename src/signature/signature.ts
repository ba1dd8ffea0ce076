/**
 * The signature: a stable key for "the same bug" (DESIGN, "Signature rules").
 * Takes: the kind, the crashing stack, the crash frame index, an exception root type and
 * the title. Gives: `{ version, text, id }` — `kind | f1 | f2 | f3` from the first three
 * significant frames starting at the crash frame (crash-handling, plumbing and unknown
 * frames skipped; library and runtime frames only when no app frame exists; inlined
 * frames count), names normalised; scripting frames as `basename:function`; with no
 * qualifying frame `kind | title` with numbers and addresses removed. `id` is the first
 * 16 hex digits of the SHA-256 of `text`.
 */
import { createHash } from 'node:crypto';
import type { CrashKind, Frame, Signature } from '../model.js';
import { normalizeFunction } from './normalize.js';
import { globMatch } from '../rules/glob.js';

export const SIGNATURE_VERSION = 1;

/** Formats whose frames are named `basename:function` in signatures. */
export const SCRIPT_FORMATS = new Set(['python', 'node', 'javascript', 'ruby', 'php']);

function baseName(path: string): string {
  const k = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return k >= 0 ? path.slice(k + 1) : path;
}

export function frameKey(f: Frame, script: boolean): string {
  const fn = normalizeFunction(f.function ?? '??');
  if (script && f.file) return `${baseName(f.file)}:${fn}`;
  return fn;
}

export function significantFrames(frames: Frame[], crashIndex: number, count = 3, ignore: string[] = []): Frame[] {
  if (crashIndex < 0) return [];
  const rest = frames.slice(crashIndex);
  const hasApp = rest.some((f) => f.role === 'app');
  const out: Frame[] = [];
  for (const f of rest) {
    if (f.role === 'crash-handling' || f.role === 'plumbing' || f.role === 'unknown') continue;
    if (hasApp && f.role !== 'app') continue;
    if (!f.function) continue;
    if (ignore.length > 0 && ignore.some((g) => globMatch(g, f.function!))) continue;
    out.push(f);
    if (out.length >= count) break;
  }
  return out;
}

export function sigId(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

export function makeSignature(input: {
  kind: CrashKind;
  format: string;
  frames: Frame[];
  crashIndex: number;
  exceptionType: string | null;
  title: string;
  count?: number;
  ignore?: string[];
}): Signature {
  const script = SCRIPT_FORMATS.has(input.format);
  const keys = significantFrames(input.frames, input.crashIndex, input.count ?? 3, input.ignore ?? []).map((f) => frameKey(f, script));
  const parts: string[] = [input.kind];
  if (input.exceptionType) parts.push(normalizeFunction(input.exceptionType));
  if (keys.length > 0) parts.push(...keys);
  else {
    const t = input.title
      .replace(/0x[0-9a-fA-F]+/g, '')
      .replace(/\d+/g, '')
      .replace(/\s+/g, ' ')
      .trim();
    parts.push(t);
  }
  const text = parts.join(' | ');
  return { version: SIGNATURE_VERSION, text, id: sigId(text) };
}
