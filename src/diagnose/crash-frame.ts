/**
 * The crash frame (DESIGN, `crashFrame`).
 * Takes: the crashing stack with roles. Gives: the frame to look at first: skip frame 0 up
 * to and including `<signal handler called>` and every crash-handling frame; then the
 * first `app` frame; else the first `library` or `runtime` frame; else the first
 * `plumbing` frame; else null.
 *
 * One refinement of DESIGN's rule: when no app frame exists but frames without symbols
 * (`?? ()`) lie between the top and the first plumbing frame, the crash is in code
 * crashlens cannot name (a stripped binary), so the crash frame is null rather than
 * the library function the nameless code called (`free`, `start_thread`); the quality
 * notes say which frame lacks its symbol.
 */
import type { Frame } from '../model.js';

export function crashFrameIndex(frames: Frame[]): number {
  let start = 0;
  // Frames above the signal handler frame ran because of the signal.
  const limit = Math.min(frames.length, 64);
  for (let i = 0; i < limit; i++) {
    if (frames[i].function === '<signal handler called>') {
      start = i + 1;
      break;
    }
  }
  let firstLib = -1;
  let firstPlumbing = -1;
  let firstUnknown = -1;
  for (let i = start; i < frames.length; i++) {
    const r = frames[i].role;
    if (r === 'unknown' && firstUnknown < 0 && firstPlumbing < 0) firstUnknown = i;
    if (r === 'crash-handling' || r === 'unknown') continue;
    if (r === 'app') return i;
    if ((r === 'library' || r === 'runtime') && firstLib < 0) firstLib = i;
    if (r === 'plumbing' && firstPlumbing < 0) firstPlumbing = i;
  }
  if (firstUnknown >= 0) return -1;
  if (firstLib >= 0) return firstLib;
  return firstPlumbing;
}

export function crashFrame(frames: Frame[]): Frame | null {
  const i = crashFrameIndex(frames);
  return i >= 0 ? frames[i] : null;
}
