/**
 * MemorySanitizer reports.
 * Takes: the cleaned document. Gives: one ParsedReport per `WARNING: MemorySanitizer: …`:
 * kind uninitialized-value (through the kind table), the use stack as the crashing thread,
 * the origin chain (`Uninitialized value was stored to memory at` / `was created by …`) as
 * `origin` stacks, the SUMMARY line as message, title `use-of-uninitialized-value in f`.
 * MSan prints the same shape as ASan, so the shared reader in asan.ts does the work.
 */
import type { ParsedReport } from '../model.js';
import type { Doc } from '../ingest/doc.js';
import type { FormatModule } from './format.js';
import { readSanitizerReports, type SanitizerSpec } from './asan.js';

const MSAN: SanitizerSpec = { format: 'msan', tools: ['MemorySanitizer'], skipHeadline: null };

export const msan: FormatModule = {
  id: 'msan',
  priority: 10,
  triggers: ['MemorySanitizer'],
  find(doc: Doc, emit?: (r: ParsedReport) => void): ParsedReport[] {
    return readSanitizerReports(doc, MSAN, emit);
  },
};
