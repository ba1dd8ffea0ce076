/**
 * The cleaned document every format module reads.
 * `lines` are the input's lines after ingest/clean.ts removed what people's pasting adds
 * (ANSI colours, CR, `> ` quoting, code fences, log prefixes).
 */
export interface Doc {
  lines: string[];
  /** The decoded input before cleaning, for fast whole-text substring tests (format triggers). */
  raw?: string;
}
