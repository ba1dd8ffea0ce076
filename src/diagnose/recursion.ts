/**
 * Recursion: a repeating cycle of frames.
 * Takes: a stack. Gives: the shortest cycle (1 to 16 functions) that repeats at least 8
 * times in a row, where it starts and how deep it goes, or null. O(frames × 16).
 */
import type { Frame } from '../model.js';

export interface Cycle {
  functions: string[];
  start: number;
  repeats: number;
  frames: number;
}

export function findCycle(frames: Frame[], minRepeats = 8): Cycle | null {
  // Frames without a symbol are told apart by their address (a stripped recursion repeats one).
  const names = frames.map((f) => f.function ?? (f.address ? `?? ${f.address}` : '??'));
  let best: Cycle | null = null;
  for (let p = 1; p <= 16; p++) {
    // Longest run where names[i] === names[i + p], judged when the run ends (one object per
    // run, not one per frame of a 50,000-frame recursion).
    let run = 0;
    let runStart = 0;
    const close = () => {
      const repeats = Math.floor((run + p) / p);
      if (run > 0 && repeats >= minRepeats && (!best || run + p > best.frames)) {
        best = { functions: names.slice(runStart, runStart + p), start: runStart, repeats, frames: run + p };
      }
    };
    for (let i = 0; i + p < names.length; i++) {
      if (names[i] === names[i + p] && names[i] !== '??') {
        if (run === 0) runStart = i;
        run++;
      } else {
        close();
        run = 0;
      }
    }
    close();
    if (best && (best as Cycle).functions.length === p) break;
  }
  return best;
}
