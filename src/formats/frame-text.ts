/**
 * Reading the text of one debugger frame: `func<T> (a=1, s="x(y") at file.c:12`.
 * Takes: the part of a gdb frame line after `#N  0x… in `. Gives: function name, argument
 * text, and the location (`at file:line` or `from /lib/…`).
 *
 * C++ names contain parentheses and spaces (`(anonymous namespace)::f`, `operator()`,
 * `std::function<void ()>`), and argument strings contain anything, so this is a small
 * forward scanner over the characters — linear, no regex backtracking.
 */

export interface FrameText {
  function: string | null;
  args: string | null;
  file: string | null;
  line: number | null;
  column: number | null;
  from: string | null;
}

const OPERATOR_TOKENS = ['()', '[]', '<<=', '>>=', '<=>', '->*', '->', '<<', '>>', '<=', '>=', '<', '>', 'new[]', 'delete[]'];

/** Index of the `(` that opens gdb's argument list, or -1. */
function findArgsOpen(s: string): number {
  let angle = 0;
  let paren = 0;
  let bracket = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === 'o' && s.startsWith('operator', i) && (i === 0 || !/[\w]/.test(s[i - 1]))) {
      let j = i + 8;
      while (s[j] === ' ') j++;
      const tok = OPERATOR_TOKENS.find((t) => s.startsWith(t, j));
      if (tok) {
        i = j + tok.length - 1;
        continue;
      }
      continue;
    }
    if (c === '<') angle++;
    else if (c === '>') {
      if (angle > 0) angle--;
    } else if (c === '[') bracket++;
    else if (c === ']') {
      if (bracket > 0) bracket--;
    } else if (c === '(') {
      if (angle === 0 && paren === 0 && bracket === 0 && i > 0 && s[i - 1] === ' ') return i;
      paren++;
    } else if (c === ')') {
      if (paren > 0) paren--;
    }
  }
  return -1;
}

/** Index just after the `)` closing the group opened at `open`, honouring quotes. */
function findArgsClose(s: string, open: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || (c === "'" && /[=,\s{(]/.test(s[i - 1] ?? ''))) quote = c;
    else if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

const AT_LOCATION = /^ at (.+?):(\d+)(?::(\d+))?\s*$/;
const FROM_LOCATION = /^ from (\S.*?)\s*$/;

export function parseFrameText(text: string): FrameText {
  const out: FrameText = { function: null, args: null, file: null, line: null, column: null, from: null };
  let s = text.trim();
  if (s.length === 0) return out;
  const open = findArgsOpen(s);
  let rest = '';
  if (open >= 0) {
    const close = findArgsClose(s, open);
    out.function = s.slice(0, open).trim();
    if (close > 0) {
      out.args = s.slice(open + 1, close - 1);
      rest = s.slice(close);
    } else {
      // Truncated argument list: keep what there is.
      out.args = s.slice(open + 1);
      rest = '';
    }
  } else {
    // No argument list: `func at file.c:3`, `func from lib`, or just `func`.
    const at = s.lastIndexOf(' at ');
    const from = s.lastIndexOf(' from ');
    const cut = Math.max(at, from);
    out.function = (cut > 0 ? s.slice(0, cut) : s).trim();
    rest = cut > 0 ? s.slice(cut) : '';
  }
  if (out.function === '??' || out.function === '') out.function = null;
  if (rest.length > 0) {
    const at = AT_LOCATION.exec(rest);
    if (at) {
      out.file = at[1];
      out.line = Number(at[2]);
      out.column = at[3] ? Number(at[3]) : null;
    } else {
      const from = FROM_LOCATION.exec(rest);
      if (from) out.from = from[1];
    }
  }
  return out;
}

/**
 * Split gdb's argument text into `name=value` pairs at top-level commas.
 * `s=0x55d1c4f0e8a0, req=0x0, name=0x4006f4 "a, b"` → [[s,0x55…],[req,0x0],[name,…]].
 */
export function splitArgs(args: string): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  const push = (end: number) => {
    const part = args.slice(start, end).trim();
    const eq = part.indexOf('=');
    if (eq > 0) out.push({ name: part.slice(0, eq).trim(), value: part.slice(eq + 1).trim() });
  };
  for (let i = 0; i < args.length; i++) {
    const c = args[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"') quote = c;
    else if (c === '(' || c === '{' || c === '[' || c === '<') depth++;
    else if (c === ')' || c === '}' || c === ']' || c === '>') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      push(i);
      start = i + 1;
    }
  }
  push(args.length);
  return out;
}
