/**
 * The contract of a format module (DESIGN: "one module with one job").
 * Takes: the cleaned document (ingest). Gives: every report of its format found in it,
 * as `ParsedReport`s with line ranges, frames innermost first, and the raw facts.
 *
 * Rules for every format module:
 * - linear in the input: one pass over `doc.lines`, a cheap `includes`/`startsWith` test
 *   before any regex, and no regex that can backtrack catastrophically (no nested
 *   quantifiers over the same characters; anchor and bound what you can);
 * - never throw on hostile input: a line it cannot read is skipped;
 * - frames carry `role: 'unknown'` unless the format knows better (`roleHint`): roles are
 *   assigned afterwards by rule packs (src/rules);
 * - a report cut off by the end of the text gets `complete: false` and a `truncated` fact.
 */
import type { ParsedReport } from '../model.js';
import type { Doc } from '../ingest/doc.js';

export interface FormatModule {
  /** Format id as it appears in `Analysis.format` (`gdb`, `asan`, `kernel`, …). */
  id: string;
  /**
   * When two reports of different formats overlap, the higher priority one is kept
   * (e.g. a sanitizer report beats the glibc messages inside it). Default 0.
   */
  priority?: number;
  /**
   * Strings at least one of which occurs in any text of this format (`AddressSanitizer`,
   * `Call Trace:`). When none occurs anywhere in the input, `find` is not run: a 200 MB
   * log costs one fast substring search per format instead of a parse. Absent = always run.
   */
  triggers?: string[];
  /**
   * Every report of the format in the document, in text order. A module may take `emit`
   * and hand each report to it as soon as it is complete, returning an empty array then:
   * detection compacts the reports of a dense text as they come (see detect.ts), so their
   * frames do not all stay alive. Without `emit` (tests, a second parse) it returns them.
   * Given `emit`, a module may build a report compacted from the start when detection would
   * compact it anyway (formats/compacted.ts: `mayBuildCompacted`, `bornCompacted`): it then
   * counts its frames instead of making them, and every other field is what a whole parse gives.
   */
  find(doc: Doc, emit?: (r: ParsedReport) => void): ParsedReport[];
}
