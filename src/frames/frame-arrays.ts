/**
 * Walking a report's frames arrays once each.
 * Takes: a parsed report and a callback. Gives: one call per distinct frames array of its
 * threads, extra stacks and groups, in that order. A dump's threads that print the same
 * stack may share one array (Go goroutines, folded groups): roles, demangling and facts
 * need each frame once.
 */
import type { Frame, ParsedReport } from '../model.js';

export function forEachFrameArray(r: ParsedReport, fn: (frames: Frame[]) => void): void {
  const seen = new Set<Frame[]>();
  let last: Frame[] | null = null;
  const visit = (frames: Frame[]): void => {
    // A thread usually repeats its neighbour's array: compare with it before the Set.
    if (frames === last || seen.has(frames)) return;
    seen.add(frames);
    last = frames;
    fn(frames);
  };
  // Indexed: an unoptimised for-of allocates per thread, and a dump has thousands.
  for (let k = 0; k < r.threads.length; k++) visit(r.threads[k].frames);
  for (let k = 0; k < r.stacks.length; k++) visit(r.stacks[k].frames);
  for (let k = 0; k < r.groups.length; k++) visit(r.groups[k].frames);
}
