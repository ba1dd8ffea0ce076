/**
 * JSON output: the contract (DESIGN, "The model"; schema/analysis.schema.json).
 * Takes: an Analysis or an error result. Gives: one line of JSON (NDJSON for several
 * inputs) or an indented document. Internal fields (`roleHint`) are dropped.
 */
import type { Analysis, AnalysisError } from '../model.js';

const DROP = new Set(['roleHint']);

export function renderJson(a: Analysis | AnalysisError, pretty: boolean): string {
  return JSON.stringify(a, (k, v) => (DROP.has(k) ? undefined : v), pretty ? 2 : undefined) + '\n';
}
