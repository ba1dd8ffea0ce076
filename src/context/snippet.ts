/**
 * The code at the crash: the lines around a frame's line, with the crash line marked, and
 * the check that the source tree is the build that crashed.
 * Takes: a file's text, a 1-based line, a context width (default ±5). Gives: the snippet in
 * the shape of `Context.snippet`, and a comparison of the debugger-printed source line with
 * the file's line.
 */
import type { SnippetLine } from '../model.js';

export const DEFAULT_CONTEXT_LINES = 5;
/** Longest line kept in a snippet (characters); longer lines are cut with `…`. */
const MAX_LINE_CHARS = 400;

/** Split text into lines (`\n`, `\r\n` or `\r`), without a phantom last line. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Lines `line - contextLines … line + contextLines` (clipped to the file) with `crash: true`
 * on `line`. Null when the line is not in the file.
 */
export function extractSnippet(
  lines: string[],
  line: number,
  contextLines = DEFAULT_CONTEXT_LINES,
): { startLine: number; lines: SnippetLine[] } | null {
  if (!Number.isInteger(line) || line < 1 || line > lines.length) return null;
  const width = Math.max(0, Math.min(Math.floor(contextLines), 200));
  const start = Math.max(1, line - width);
  const end = Math.min(lines.length, line + width);
  const out: SnippetLine[] = [];
  for (let n = start; n <= end; n++) {
    let text = lines[n - 1].replace(/\s+$/, '');
    if (text.length > MAX_LINE_CHARS) text = text.slice(0, MAX_LINE_CHARS) + '…';
    out.push({ number: n, text, crash: n === line });
  }
  return { startLine: start, lines: out };
}

function normalise(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * Does the line the debugger printed (gdb's `608\t    assert(...)`, text only) match the
 * file's line? Whitespace differences (tabs expanded, trailing blanks) do not count; a
 * printed line that gdb cut short matches when it is a prefix of the file's line.
 */
export function sourceLineMatches(fileLine: string, printed: string): boolean {
  const a = normalise(fileLine);
  const b = normalise(printed);
  if (a === b) return true;
  return b.length >= 20 && a.startsWith(b);
}

/** The note the context gives when the printed line and the file differ. */
export function mismatchNote(file: string, line: number, fileLine: string, printed: string): string {
  const cut = (s: string) => {
    const t = normalise(s);
    return t.length > 120 ? t.slice(0, 120) + '…' : t;
  };
  return (
    `the source is not the crashed build: the debugger printed "${cut(printed)}" for ${file}:${line}, ` +
    `but the file has "${cut(fileLine)}" there; line numbers and blame may be off`
  );
}
