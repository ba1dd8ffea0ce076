/**
 * The cleaned document every format module reads.
 * `lines` are the input's lines after ingest/clean.ts removed what people's pasting adds
 * (ANSI colours, CR, `> ` quoting, code fences, log prefixes).
 */
export interface Doc {
  lines: string[];
}
