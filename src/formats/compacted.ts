/**
 * Compacted reports: kept without their frames arrays.
 * A dense text (a fuzzing or CI log of thousands of reports) would keep every report's
 * frames alive until detection picks one, and the young generation would copy them all.
 * Past COMPACT_AFTER reports of one format, each report but the last KEEP_FULL of that
 * format is kept without its frames: what detection and `--list` need (lines, kind,
 * message, title, frame count, top function) stays, here. The analysed report, if
 * compacted, gets its frames back from a second parse (detect.ts, `restoreFrames`).
 *
 * Detection compacts a report as its format hands it over. A format that knows a report
 * will be compacted (it is past COMPACT_AFTER and more of its reports follow) may build it
 * compacted from the start (`bornCompacted`), without making the frames it would drop:
 * the same report, with less work.
 */
import type { ParsedReport } from '../model.js';

/** Reports of one format a text may hold before detection compacts them. */
export const COMPACT_AFTER = 32;
/** The last reports of a format detection keeps whole. */
export const KEEP_FULL = 3;

/** What a compacted report keeps of its frames. */
export interface Compacted {
  /** Frames of its threads, stacks and groups (what `frameCount` counted before). */
  frames: number;
  /** The innermost frame's function of the crashed (else first) thread. */
  top: string | null;
}

export const compacted = new WeakMap<ParsedReport, Compacted>();

/**
 * Records `r` as compacted with `frames` frames and `top` as its top function, and drops
 * whatever frames arrays it holds. The format calls it on a report it built compacted.
 */
export function bornCompacted(r: ParsedReport, frames: number, top: string | null): void {
  compacted.set(r, { frames, top });
  r.threads = [];
  r.stacks = [];
  r.groups = [];
}

/**
 * Whether a format reading with detection's `emit` may build its next report compacted:
 * `emitted` of its reports came before, and at least `after` more candidate openers
 * follow (a candidate may yield no report: a compacted report among the last few is only
 * slower to analyse, as `restoreFrames` parses it again).
 */
export function mayBuildCompacted(emit: unknown, emitted: number, after: number): boolean {
  return emit !== undefined && emitted >= COMPACT_AFTER && after >= KEEP_FULL;
}
