/**
 * Char-code tests the runtime formats (java, node, dotnet, …) run on every line before any
 * string work: where a line's text starts and ends, as `trim` sees it, without a trimmed copy.
 * Takes: strings. Gives: positions and booleans.
 */

/** Whitespace as `String.prototype.trim` sees it. */
export function isWs(c: number): boolean {
  if (c === 32 || c === 9) return true;
  if (c < 128) return c >= 10 && c <= 13;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Index of the first character `trimStart` keeps (the length when blank). */
export function textStart(l: string): number {
  const n = l.length;
  let s = 0;
  while (s < n && isWs(l.charCodeAt(s))) s++;
  return s;
}

/** Index of the last character `trimEnd` keeps (-1 when blank). */
export function textEnd(l: string): number {
  let e = l.length - 1;
  while (e >= 0 && isWs(l.charCodeAt(e))) e--;
  return e;
}

/** True when the line's text (after leading whitespace) starts with `at `: a frame line of the JVM, V8 or .NET. */
export function startsWithAt(l: string): boolean {
  const s = textStart(l);
  return l.charCodeAt(s) === 97 /* a */ && l.charCodeAt(s + 1) === 116 /* t */ && l.charCodeAt(s + 2) === 32;
}

/**
 * Triggers for formats whose frames are `at …` lines (JVM, V8, .NET): `at ` after what may
 * precede it on a line of a paste or log, i.e. indentation, a line start, or the end of a
 * prefix that ingest strips (`> ` quoting, `…: ` syslog and logcat tags, dmesg `] `, a UTC
 * timestamp). Unlike a bare `at ` (every `that `, `format `), these are absent from ordinary
 * logs, so such a log costs those formats nothing. Not `<digit> at `: crash reports say
 * `PID: 2210 at …` and `size 4 at addr`.
 */
export const AT_LINE_TRIGGERS: string[] = ['\tat ', '  at ', '\nat ', '\n at ', '>at ', '> at ', ':at ', ': at ', ']at ', '] at ', 'Z at '];
