/**
 * Structured (JSON) log lines with a crash inside: a logger that writes one JSON object per
 * line keeps a traceback or stack trace as one string value with escaped newlines
 * (`{"level":"error","exc_info":"Traceback (most recent call last):\n  File …"}`, zap's
 * `"stacktrace":"main.main\n\t/app/main.go:12"`, logstash's `"stack_trace"`), and Docker's
 * json-file driver wraps every output line in `{"log":"…\n","stream":"stderr",…}`.
 * Takes: the decoded text. Gives: the text with each such line replaced by the lines its
 * values hold (its message first), or null when no line is one (the text is used as it is).
 * Each candidate line is parsed once with JSON.parse (linear; a line that is not JSON, or
 * nests too deep, stays as it was).
 */

/** Lines longer than this are left alone (a JSON line of a crash is kilobytes). */
const MAX_LINE = 1 << 20;
/** How deep into nested objects values are looked for (`{"error":{"stack":"…"}}`). */
const MAX_DEPTH = 4;
/** Fields whose single-line value is the log line's own message, written before the rest. */
const MESSAGE_KEYS = ['msg', 'message', 'event', 'error', 'err'];

/** The strings clean's pass must look up to know whether any line can be such a JSON line. */
export const JSON_LOG_STRINGS = ['{"', '\\n'];

export function expandJsonLogs(text: string): string | null {
  let out: string[] | null = null;
  let from = 0;
  // Escaped newlines (`\` `n`): only a line holding two (a value of three lines or more: any
  // stack) can hold a crash's lines, and most of a JSON log's lines hold none. Each one is
  // found once, by a search that starts past the one before: no line is searched twice.
  let esc = -1;
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (esc < start) esc = nextEscape(text, start);
    let two = false;
    if (esc < end) {
      esc = nextEscape(text, esc + 2);
      two = esc < end;
    }
    // (Docker's json-file lines hold one, the output line's own end; `log` comes first)
    const lines = two || (esc !== Infinity && text.startsWith('{"log":', start)) ? jsonLine(text, start, end) : null;
    if (lines !== null) {
      (out ??= []).push(text.slice(from, start), lines.join('\n'));
      from = end;
    }
    start = end + 1;
  }
  if (out === null) return null;
  out.push(text.slice(from));
  return out.join('');
}

/** Where the next escaped newline at or after `from` is; Infinity when there is none. */
function nextEscape(text: string, from: number): number {
  const i = text.indexOf('\\n', from);
  return i < 0 ? Infinity : i;
}

/** The lines the JSON object on `text[start, end)` holds, or null when it is not one that holds any. */
function jsonLine(text: string, start: number, end: number): string[] | null {
  let a = start;
  while (a < end && (text.charCodeAt(a) === 32 || text.charCodeAt(a) === 9)) a++;
  let b = end;
  while (b > a && (text.charCodeAt(b - 1) === 32 || text.charCodeAt(b - 1) === 13 || text.charCodeAt(b - 1) === 9)) b--;
  if (b - a < 8 || b - a > MAX_LINE || text.charCodeAt(a) !== 123 /* { */ || text.charCodeAt(a + 1) !== 34 /* " */ || text.charCodeAt(b - 1) !== 125 /* } */) return null;
  let value: unknown;
  try {
    value = JSON.parse(text.slice(a, b));
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const obj = value as Record<string, unknown>;
  // Docker's json-file driver: one output line per object
  if (typeof obj.log === 'string' && (typeof obj.stream === 'string' || typeof obj.time === 'string')) return [obj.log.replace(/\r?\n$/, '')];
  const blocks: string[] = [];
  collect(obj, 0, blocks);
  if (blocks.length === 0) return null;
  const head = MESSAGE_KEYS.map((k) => obj[k]).find((v): v is string => typeof v === 'string' && !v.includes('\n'));
  const lines = head !== undefined ? [head] : [];
  for (const block of blocks) for (const l of block.split('\n')) lines.push(l.endsWith('\r') ? l.slice(0, -1) : l);
  return lines;
}

/** Every string value under `v` that holds a newline, in the order the object lists them. */
function collect(v: unknown, depth: number, out: string[]): void {
  if (typeof v === 'string') {
    if (v.includes('\n')) out.push(v.replace(/\n+$/, ''));
    return;
  }
  if (depth >= MAX_DEPTH || v === null || typeof v !== 'object') return;
  for (const x of Array.isArray(v) ? v : Object.values(v)) collect(x, depth + 1, out);
}
