/**
 * Ingest: from what people paste to clean lines.
 * Takes: the raw input (string or bytes). Gives: a Doc whose lines have lost what pasting
 * and logging add — malformed UTF-8 (replaced), CR, ANSI colour and control sequences,
 * `> ` quoting from mail and issue replies, markdown code fences, and log prefixes
 * (ISO timestamps, also bracketed and with a container runtime's stream tag, syslog/journald
 * `Mon DD HH:MM:SS host prog[pid]: `, Docker Compose's `web-1  | `, dmesg
 * `[  123.456789]`, Android logcat `03-14 10:22:33.123  1250  1250 F DEBUG   : `).
 *
 * Every step is one pass over each line with anchored, bounded patterns: linear time.
 */
import type { Doc } from './doc.js';
import { expandJsonLogs, JSON_LOG_STRINGS } from './json-logs.js';

const ANSI_CSI = /\x1b\[[0-9;?]{0,32}[ -\/]{0,4}[@-~]/g;
const ANSI_OSC = /\x1b\][^\x07\x1b]{0,512}(?:\x07|\x1b\\)/g;
const OTHER_CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]/g;

/**
 * Log prefixes. Each pattern is anchored and bounded, and tried only where its first
 * characters fit (the line starting at `s[at]`, at least 8 chars long). Each is sticky
 * (anchored where `lastIndex` points) and matches no `\n`, so it reads a line the same
 * inside the whole text as on its own: `test` at the line's start leaves the prefix's end in
 * `lastIndex`, with no match array and no line string.
 */
// dmesg / kernel console: "[  123.456789] " optionally followed by "[    T12] " or "[ C1] "
// (`dmesgEnd` reads it by hand in the bytes of an ASCII text).
const DMESG = /\[[^\S\n]{0,12}\d{1,10}\.\d{1,9}\](?:[^\S\n]?\[[^\S\n]{0,6}[TC]\d{1,7}\])?[^\S\n]?/y;
// ISO 8601 timestamps: "2024-05-01T12:34:56.789Z ", "2024-05-01 12:34:56,789 ", with a level
// and the blanks after it ("… ERROR   "), else one blank: the line's own indentation stays
// (a Python traceback's `  File`, a Go frame's tab). After the blank, what a container
// runtime's log adds ("stderr F ", CRI: stream and partial/full tag) or journald's short-iso
// output ("host prog[123]: ").
const ISO = /\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?(?: {1,4}(?:TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|CRITICAL|NOTICE)\b:?[ \t]{1,4}|[ \t](?:std(?:out|err) [FP] ?|[\w.\-]{1,64} [\w.\/@\-]{1,64}\[\d{1,10}\]: )?)/y;
// The same timestamp in brackets, as CI consoles print it: "[2024-05-01T12:34:56.789Z] "
const BRACKET_ISO = /\[\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?\] ?/y;
// syslog / journald short: "May 01 12:34:56 host prog[123]: " (prog may contain / - . _ @)
const SYSLOG = /[A-Z][a-z]{2} {1,2}\d{1,2} \d\d:\d\d:\d\d [\w.\-]{1,64} [\w.\/@\-]{1,64}(?:\[\d{1,10}\])?: /y;
// Android logcat threadtime: "03-14 10:22:33.123  1250  1250 F DEBUG   : "
const LOGCAT = /\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} {1,6}\d{1,7} {1,6}\d{1,7} [VDIWEFA] [^:\n]{0,64}: ?/y;
// Android logcat brief: "F/DEBUG   ( 1250): "
const LOGCAT_BRIEF = /[VDIWEFA]\/[^(:\n]{1,64}\( {0,6}\d{1,7}\): ?/y;

/**
 * Where the log prefix of the line `s[at, end)` ends (`at` when it has none). The first char
 * picks the patterns that can match (`[`: dmesg; a digit: ISO, then logcat; an upper-case
 * letter: syslog, then logcat brief), each tried only when a char further on fits, in that
 * order: a plain branch per line rather than a call per pattern. `bytes`, when given, holds
 * the text one byte per char (see `dmesgEnd`).
 */
function prefixEnd(s: string, at: number, end: number, bytes: DataView | null = null): number {
  if (end - at < 8) return at;
  const c0 = s.charCodeAt(at);
  if (c0 === 91) {
    const e = bytes !== null ? dmesgEnd(bytes, at, end) : stickyEnd(DMESG, s, at, end);
    return e > at || s.charCodeAt(at + 5) !== 45 ? e : stickyEnd(BRACKET_ISO, s, at, end);
  }
  if (c0 >= 48 && c0 <= 57) {
    if (s.charCodeAt(at + 4) === 45) {
      const e = stickyEnd(ISO, s, at, end);
      if (e > at) return e;
    }
    return s.charCodeAt(at + 2) === 45 ? stickyEnd(LOGCAT, s, at, end) : at;
  }
  if (c0 >= 97 && c0 <= 122) return composeEnd(s, at, end, bytes);
  if (c0 >= 65 && c0 <= 90) {
    if (s.charCodeAt(at + 3) === 32) {
      const e = stickyEnd(SYSLOG, s, at, end);
      if (e > at) return e;
    }
    return s.charCodeAt(at + 1) === 47 ? stickyEnd(LOGCAT_BRIEF, s, at, end) : composeEnd(s, at, end, bytes);
  }
  return at;
}

/**
 * Docker Compose's prefix, `web-1  | ` (`web_1  | ` before Compose v2): a service name
 * ending in its replica number, padding, a bar and a blank. What follows may carry a prefix
 * of its own (`docker compose logs -t` puts a timestamp there). Read by hand: a line that
 * starts with a word fails at the word's end.
 */
function composeEnd(s: string, at: number, end: number, bytes: DataView | null): number {
  let i = at;
  const limit = Math.min(end, at + 64);
  while (i < limit && isNameChar(s.charCodeAt(i))) i++;
  // the replica number, after a `-` or `_`
  let d = i;
  while (d > at && isDigit(s.charCodeAt(d - 1))) d--;
  if (d === i || d - at < 2 || (s.charCodeAt(d - 1) !== 45 && s.charCodeAt(d - 1) !== 95)) return at;
  let j = i;
  while (j < end && j - i <= 40 && s.charCodeAt(j) === 32) j++;
  if (j === i || j >= end || s.charCodeAt(j) !== 124 /* | */) return at;
  j++;
  if (j < end && s.charCodeAt(j) === 32) j++;
  return j < end ? prefixEnd(s, j, end, bytes) : j;
}

/** A char of a Compose service name: `[A-Za-z0-9_.-]`. */
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46;
}

/**
 * `stickyEnd(DMESG, text, at, end)` read in `bytes`, the text one byte per char: its ASCII
 * chars as they are, every other char as a byte from 0x80 up (clean's input bytes when
 * there are as many as chars: each byte is an ASCII char or a malformed one, U+FFFD). The
 * regex was a third of clean's time on a kernel log (every line starts with `[`), its call
 * and `lastIndex` costing more than its matching (~660 instructions a line).
 *
 * The time printk writes, `[%5lu.%06lu]` (right-aligned seconds below 100000), is checked
 * in three words: ~100 instructions where reading it a byte at a time took ~500. Any other
 * shape goes through the pattern's runs, one byte at a time: they are of disjoint classes
 * (blanks, digits, then a `.`, `]`, `T`/`C`), so a greedy run never gives a char back: each
 * run is read to its end and its length checked, and the optional parts are taken exactly
 * when they match whole. No char the pattern knows is non-ASCII but its Unicode blanks,
 * which are never one byte. The pattern matches no `\n`: a match ends on its line.
 */
export function dmesgEnd(bytes: DataView, at: number, end: number): number {
  const n = bytes.byteLength;
  lastStamp = STAMP_UNKNOWN;
  if (at >= n || bytes.getUint8(at) !== 91) return at;
  let i = at + 14;
  const printk = i <= n && printkTime(bytes, at);
  if (!printk) {
    i = at + 1;
    // [^\S\n]{0,12}
    let from = i;
    while (i < n && isBlank(bytes.getUint8(i))) i++;
    if (i - from > 12) return at;
    // \d{1,10}\.
    from = i;
    while (i < n && isDigit(bytes.getUint8(i))) i++;
    if (i === from || i - from > 10 || i >= n || bytes.getUint8(i) !== 46) return at;
    // \d{1,9}\]
    from = ++i;
    while (i < n && isDigit(bytes.getUint8(i))) i++;
    if (i === from || i - from > 9 || i >= n || bytes.getUint8(i) !== 93) return at;
    i++;
  }
  // (?:[^\S\n]?\[[^\S\n]{0,6}[TC]\d{1,7}\])?
  // A printk time with no `[` right after it has no caller tag (STAMP_TIME); one with a tag
  // right after it, its blanks all spaces, gets the tag's code; any other shape stays unknown.
  const stampEnd = i;
  let stamp = printk && (stampEnd >= n || bytes.getUint8(stampEnd) !== 91) ? STAMP_TIME : STAMP_UNKNOWN;
  let j = i < n && isBlank(bytes.getUint8(i)) ? i + 1 : i;
  if (j < n && bytes.getUint8(j) === 91) {
    let from = ++j;
    let spaces = true;
    while (j < n && isBlank(bytes.getUint8(j))) {
      if (bytes.getUint8(j) !== 32) spaces = false;
      j++;
    }
    if (j - from <= 6 && j < n && (bytes.getUint8(j) === 84 || bytes.getUint8(j) === 67)) {
      const c = bytes.getUint8(j) === 67;
      from = ++j;
      let value = 0;
      while (j < n && isDigit(bytes.getUint8(j))) value = value * 10 + bytes.getUint8(j++) - 48;
      if (j > from && j - from <= 7 && j < n && bytes.getUint8(j) === 93) {
        i = j + 1;
        if (printk && spaces && bytes.getUint8(stampEnd) === 91) stamp = stampTag(c, j - from, value);
      }
    }
  }
  // [^\S\n]?
  if (i < n && isBlank(bytes.getUint8(i))) i++;
  if (i > end) return at;
  lastStamp = stamp;
  return i;
}

/**
 * What `Doc.stamps` says of a cleaned line (see doc.ts): 0 unknown; STAMP_NONE the line lost
 * no prefix (it is its raw line); STAMP_TIME it lost a printk time `[%5lu.%06lu]` with no `[`
 * right after it; STAMP_TIME | STAMP_TAG | kind, digits and value: one followed right away by
 * a caller tag `[` + up to six spaces + `T`/`C` + 1-7 digits + `]`.
 */
export const STAMP_NONE = 1;
export const STAMP_TIME = 2;
export const STAMP_TAG = 4;
const STAMP_UNKNOWN = 0;
/** A tag's code: `C` (else `T`) in bit 3, its digits' count in bits 4-6, its value from bit 7 (below 10^7 < 2^24). */
function stampTag(c: boolean, digits: number, value: number): number {
  return STAMP_TIME | STAMP_TAG | (c ? 8 : 0) | (digits << 4) | (value << 7);
}

/** The caller tag a STAMP_TAG code stands for, as the line spelt it (`T0042`: leading zeros kept). */
export function stampTagText(code: number): string {
  return ((code & 8) !== 0 ? 'C' : 'T') + String(code >>> 7).padStart((code >> 4) & 7, '0');
}

/** The stamp of the line `dmesgEnd` read last (when it stripped a prefix): read by `someLines`. */
let lastStamp = STAMP_UNKNOWN;

const HIGH = 0xf0f0f0f0 | 0;
const DIGITS = 0x30303030;
/** True when the four bytes of `w` are digits: each is 0x3_, and stays so with 6 added. */
function digits4(w: number): boolean {
  return (w & HIGH) === DIGITS && ((w + 0x06060606) & HIGH) === DIGITS;
}

/**
 * True when `bytes[at, at + 14)` is `[`, up to four spaces then digits (five chars), `.`,
 * six digits and `]` (the words are read little-endian: a word's first byte is its lowest).
 */
function printkTime(bytes: DataView, at: number): boolean {
  const w0 = bytes.getInt32(at, true);
  const w1 = bytes.getInt32(at + 4, true);
  const w2 = bytes.getInt32(at + 8, true);
  const w3 = bytes.getInt32(at + 10, true);
  // `[`, `.` and `]` where they stand; fraction digits at + 7, at + 8 to + 11, at + 12.
  if ((w0 & 255) !== 91 || ((w1 >> 16) & 255) !== 46 || w3 >>> 24 !== 93 || !digits4(w2)) return false;
  if (!isDigit(w1 >>> 24) || !isDigit((w3 >> 16) & 255) || !isDigit((w1 >> 8) & 255)) return false;
  // at + 1 to + 4: k spaces then digits. The spaces are the low bytes that are 0 in `z`;
  // replaced by `0`s, all four must then be digits.
  const s = (w0 >>> 8) | (w1 << 24);
  const z = s ^ 0x20202020;
  const k = z === 0 ? 4 : (31 - Math.clz32(z & -z)) >> 3;
  const spaces = k === 4 ? -1 : (1 << (8 * k)) - 1;
  return digits4((s & ~spaces) | (DIGITS & spaces));
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** True for a byte of `[^\S\n]` (tab, vertical tab, form feed, CR, space). */
function isBlank(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13 && c !== 10);
}

/** Where the sticky `re` matching at `at` ends, when that is past `at` and within `end`; else `at`. */
function stickyEnd(re: RegExp, s: string, at: number, end: number): number {
  re.lastIndex = at;
  if (re.test(s) && re.lastIndex > at && re.lastIndex <= end) return re.lastIndex;
  return at;
}

/** True when the line holds a character below 0x20 other than tab, or DEL. */
const ANY_CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;
function hasControl(line: string): boolean {
  return ANY_CONTROL.test(line);
}

function decode(input: string | Uint8Array): string {
  if (typeof input === 'string') return input;
  // Invalid sequences become U+FFFD; a BOM is dropped.
  return new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(input);
}

function stripQuote(line: string): string {
  // "> ", ">> ", "> > " quoting from mail and issue replies.
  let i = 0;
  let stripped = false;
  while (i < line.length && i < 64) {
    const c = line.charCodeAt(i);
    if (c === 62 /* > */) {
      stripped = true;
      i++;
      if (line.charCodeAt(i) === 32) i++;
    } else if (c === 32 && stripped === false && i < 3) {
      i++;
    } else break;
  }
  if (!stripped) return line;
  return line.slice(i);
}

/** Docs whose lines lost control characters or ANSI sequences inside them (see `linesAreSubstrings`). */
const controlDocs = new WeakSet<Doc>();
let sawControl = false;

/**
 * True when every cleaned line of `doc` is a substring of `doc.raw` (nothing was removed
 * from inside a line): then a string absent from `raw` is absent from every line, and a
 * reader may skip looking for it line by line.
 */
export function linesAreSubstrings(doc: Doc): boolean {
  return doc.raw !== undefined && !controlDocs.has(doc);
}

const rawHits = new WeakMap<Doc, Map<string, boolean>>();
/** `doc.raw.includes(s)`, memoised per document (formats share markers; each is one scan of the text). */
export function rawIncludes(doc: Doc, s: string): boolean {
  if (doc.raw === undefined) return true;
  let m = rawHits.get(doc);
  if (!m) rawHits.set(doc, (m = new Map()));
  let hit = m.get(s);
  if (hit === undefined) m.set(s, (hit = doc.raw.includes(s)));
  return hit;
}

interface Automaton {
  strings: string[];
  /**
   * The Aho-Corasick transitions, `delta[state << 8 | byte]`, each holding the next state
   * already shifted (`next << 8`), with the sign bit set where some string ends: a step is
   * `st = delta[st | byte]`, one table read and one OR (the shift was a quarter of a step).
   */
  delta: Int32Array;
  /** For each state, the indexes into `strings` that end there (empty for most). */
  outs: number[][];
  /** The longest string's length. */
  maxLen: number;
}

const automata = new Map<string, Automaton>();
const encoder = new TextEncoder();
const smallBytes = new Uint8Array(4096 * 3 + 4);

/** The sign bit of a `delta` entry: a string ends in that state. */
const ACCEPT = 0x80000000 | 0;
/** States a shifted state number fits in (below the sign bit). */
const MAX_STATES = 1 << 23;

/** Aho-Corasick over `strings` (each made of chars 0..127); null when it would be too large. */
function automaton(strings: string[]): Automaton | null {
  const key = JSON.stringify(strings);
  const cached = automata.get(key);
  if (cached) return cached;
  let chars = 0;
  for (const str of strings) chars += str.length;
  if (chars + 1 >= MAX_STATES) return null;
  // The trie first, in the table's own rows: delta[st << 8 | c] is st's child on c (0: none;
  // the root is no one's child), grown as states are added; each state's children are also
  // chained (`firstChild`, `sibling`, `charOf`). No row per state is allocated and filled.
  let delta = new Int32Array(Math.min(chars + 1, 1024) << 8);
  const firstChild = new Int32Array(chars + 1);
  const sibling = new Int32Array(chars + 1);
  const charOf = new Int32Array(chars + 1);
  const outs: number[][] = [[]];
  let n = 1;
  for (let k = 0; k < strings.length; k++) {
    const str = strings[k];
    let st = 0;
    for (let j = 0; j < str.length; j++) {
      const c = str.charCodeAt(j) & 255;
      const at = (st << 8) | c;
      if (delta[at] === 0) {
        if (n << 8 === delta.length) {
          const grown = new Int32Array(Math.min(chars + 1, n * 2) << 8);
          grown.set(delta);
          delta = grown;
        }
        charOf[n] = c;
        sibling[n] = firstChild[st];
        firstChild[st] = n;
        delta[at] = n++;
        outs.push([]);
      }
      st = delta[at];
    }
    if (st > 0) outs[st].push(k);
  }
  // Breadth first, each row becomes the state's transitions (shifted, with ACCEPT) in place:
  // a copy of its failure state's row (shallower, so already done; the root's row for the
  // root's children, whose chars no string starts with stay 0: the root), then its
  // children written over it. A state's outputs are complete when it is reached (its
  // failure state's were). One block copy per state instead of 256 steps (~25 ms cold).
  const fail = new Int32Array(n);
  const queue = new Int32Array(n);
  let qn = 0;
  for (let t = firstChild[0]; t > 0; t = sibling[t]) {
    queue[qn++] = t;
    delta[charOf[t]] = outs[t].length > 0 ? (t << 8) | ACCEPT : t << 8;
  }
  for (let q = 0; q < qn; q++) {
    const st = queue[q];
    const row = st << 8;
    const failRow = fail[st] << 8;
    delta.copyWithin(row, failRow, failRow + 256);
    for (let t = firstChild[st]; t > 0; t = sibling[t]) {
      const c = charOf[t];
      const f = (delta[failRow | c] & STATE) >> 8;
      fail[t] = f;
      if (outs[f].length > 0) outs[t] = outs[t].concat(outs[f]);
      queue[qn++] = t;
      delta[row | c] = outs[t].length > 0 ? (t << 8) | ACCEPT : t << 8;
    }
  }
  if (delta.length !== n << 8) delta = delta.slice(0, n << 8);
  let maxLen = 0;
  for (const str of strings) maxLen = Math.max(maxLen, str.length);
  const a = { strings, delta, outs, maxLen };
  if (automata.size < 16) automata.set(key, a);
  return a;
}

const preparedLists = new WeakMap<string[], { plain: string[]; automaton: Automaton | null }>();

/**
 * Which of `strings` occur in `doc.raw`, in one pass over the text (Aho-Corasick) instead of
 * one `includes` per string; the answers feed `rawIncludes`. Each absent string used to cost
 * a full scan of the text: ~90 format triggers and message markers, ~1 s on a 50 MB log.
 */
export function prefetchRaw(doc: Doc, strings: string[]): void {
  const raw = doc.raw;
  if (raw === undefined) return;
  let m = rawHits.get(doc);
  if (!m) rawHits.set(doc, (m = new Map()));
  lookUp(raw, m, strings);
}

/** The characters `cleanLine` acts on (controls, CR, ESC, NUL), as strings. */
const CONTROL_STRINGS: string[] = [];
for (let c = 0; c < 32; c++) if (c !== 9 && c !== 10) CONTROL_STRINGS.push(String.fromCharCode(c));
CONTROL_STRINGS.push('\x7f');

let registered: string[] = [];
let combined: string[] | null = null;

/**
 * Strings every document will be asked about (detect registers the format triggers and
 * message markers): clean looks them up in the same pass over the text as the control
 * characters, so the text is walked once.
 */
export function registerRawStrings(strings: string[]): void {
  registered = [...new Set([...registered, ...strings])];
  combined = null;
}

function lookUp(raw: string, m: Map<string, boolean>, strings: string[], input?: Uint8Array, log: HitLog | null = null): Automaton | null {
  // A fresh document (the usual case) looks up the caller's whole list, whose automaton is
  // kept with the list; otherwise only the strings not looked up yet.
  const todo = m.size === 0 ? strings : strings.filter((str) => !m!.has(str));
  if (todo.length === 0) return null;
  // The text is walked as UTF-8 bytes (a byte loop is several times faster than charCodeAt):
  // an ASCII string occurs in the text exactly when its bytes occur in the UTF-8 bytes, since
  // multi-byte sequences hold no ASCII byte. The same holds for the input bytes the text was
  // decoded from (`input`): the decoder keeps every ASCII byte and turns everything else
  // (a BOM, malformed sequences) into non-ASCII characters, so those are walked directly.
  // Strings with non-ASCII chars are left to `includes` (not memoised here).
  let prepared = todo === strings ? preparedLists.get(strings) : undefined;
  if (!prepared) {
    const plain = [...new Set(todo)].filter((str) => {
      if (str.length === 0) return false;
      for (let j = 0; j < str.length; j++) {
        const c = str.charCodeAt(j);
        if (c > 127) return false;
      }
      return true;
    });
    prepared = { plain, automaton: plain.length > 0 ? automaton(plain) : null };
    if (todo === strings) preparedLists.set(strings, prepared);
  }
  const plain = prepared.plain;
  if (prepared.automaton === null) {
    // No strings, or too many to build an automaton of: one search each.
    for (const str of plain) m.set(str, raw.includes(str));
    return null;
  }
  const a = prepared.automaton;
  const scan: Scan = { found: new Uint8Array(plain.length), left: plain.length, log, base: 0 };
  if (input !== undefined) {
    // One byte per char exactly when the text is ASCII (a BOM or any multi-byte sequence
    // makes the text shorter than its bytes).
    if (log !== null) log.exact = input.length === raw.length;
    walk(a, input, 0, input.length, 0, scan);
    if (log !== null) mergeParts(log);
  } else {
    const CHUNK = 1 << 20;
    const bytes = raw.length <= 4096 ? smallBytes : new Uint8Array(Math.min(raw.length, CHUNK) * 3 + 4);
    let st = 0;
    for (let from = 0; from < raw.length && st >= 0; from += CHUNK) {
      const chunk = from === 0 && raw.length <= CHUNK ? raw : raw.slice(from, from + CHUNK);
      const { written } = encoder.encodeInto(chunk, bytes);
      if (log !== null && written !== chunk.length) log.exact = false;
      scan.base = from;
      st = walk(a, bytes, 0, written, st, scan);
      if (log !== null) mergeParts(log);
    }
  }
  for (let k = 0; k < plain.length; k++) m.set(plain[k], scan.found[k] === 1);
  return a;
}

interface Scan {
  /** found[k] = 1 once strings[k] was seen. */
  found: Uint8Array;
  /** How many strings are still unseen. */
  left: number;
  /** Where every match was seen (clean's pass keeps them for `candidateLines`); null: stop once all are found. */
  log: HitLog | null;
  /** Added to a byte's index in the walked buffer to give its offset in the text. */
  base: number;
}

/**
 * Every match of the automaton's strings in the text: `hits[k] = offset * STATES + state`,
 * the offset of the match's last character and the automaton state there (its `outs` name
 * the strings that end there), in text order. Offsets are in bytes, which are the text's
 * char offsets only when the text is ASCII (`exact`); otherwise the log is not used.
 * Each of a walk's four streams logs into its own part (each part is in text order), and
 * the parts are merged after each walk: no sort. Past `cap` hits (a log whose every line
 * holds a trigger, such as an `@` in each) the log gives up: an index that lists most
 * lines saves nothing, and the formats read every line as they would without it.
 */
interface HitLog {
  hits: Float64Array;
  n: number;
  exact: boolean;
  parts: Float64Array[];
  partN: number[];
  cap: number;
}
const STATES = 1 << 23;

function newHitLog(textLength: number): HitLog {
  return { hits: new Float64Array(256), n: 0, exact: true, parts: [0, 1, 2, 3].map(() => new Float64Array(64)), partN: [0, 0, 0, 0], cap: 1024 + (textLength >> 6) };
}

function logHit(log: HitLog, stream: number, offset: number, st: number): void {
  let part = log.parts[stream];
  const n = log.partN[stream];
  if (n === part.length) {
    if (log.n + n >= log.cap) {
      log.exact = false;
      return;
    }
    const grown = new Float64Array(n * 2);
    grown.set(part);
    log.parts[stream] = part = grown;
  }
  part[n] = offset * STATES + (st >> 8);
  log.partN[stream] = n + 1;
}

/** Appends the parts' hits to the log in text order (a merge of four ordered runs). */
function mergeParts(log: HitLog): void {
  let total = log.n;
  for (let p = 0; p < 4; p++) total += log.partN[p];
  if (total > log.cap) log.exact = false;
  if (!log.exact) {
    log.partN.fill(0);
    return;
  }
  if (total > log.hits.length) {
    const grown = new Float64Array(Math.max(total, log.hits.length * 2));
    grown.set(log.hits.subarray(0, log.n));
    log.hits = grown;
  }
  const at = [0, 0, 0, 0];
  for (;;) {
    let best = -1;
    let min = Infinity;
    for (let p = 0; p < 4; p++) {
      if (at[p] < log.partN[p] && log.parts[p][at[p]] < min) {
        min = log.parts[p][at[p]];
        best = p;
      }
    }
    if (best < 0) break;
    log.hits[log.n++] = min;
    at[best]++;
  }
  log.partN.fill(0);
}

/**
 * Marks the strings ending in the state `st` (shifted, sign bit cleared) found at byte `i`;
 * true when none is left to find and no hit log is kept (the walk may stop).
 */
function mark(outs: number[][], st: number, scan: Scan, i: number, stream: number): boolean {
  const o = outs[st >> 8];
  for (let k = 0; k < o.length; k++) {
    if (scan.found[o[k]] === 0) {
      scan.found[o[k]] = 1;
      scan.left--;
    }
  }
  if (scan.log !== null) {
    if (scan.log.exact) logHit(scan.log, stream, scan.base + i, st);
    return false;
  }
  return scan.left === 0;
}

/** Below this many bytes one stream walks the range. */
const STREAMS_FROM = 1 << 16;
const STATE = 0x7fffffff;
/** Whether an Int32Array holds a word's first byte in its low bits (the streams read words so). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Runs the automaton over `bytes[from, to)` starting in state `st` (shifted, as `delta`
 * holds it). Gives the state at `to` (-1 once every string was found, the walk stops there).
 *
 * A long range is walked as four streams interleaved in one loop: each table read depends
 * on the one before it in its own stream only, so the CPU overlaps the four chains (~2x
 * faster than one stream). Each stream reads its bytes four at a time, as the words of an
 * Int32Array over the same memory (one bounds-checked read per four bytes instead of one per
 * byte: the walk was ~28 instructions a byte, half of them reading the byte). The words are
 * those aligned in the buffer; the bytes before the first and after the last are walked one
 * by one. Streams 1-3 start in the root state at least `maxLen` bytes before their part:
 * the automaton's state only depends on the last `maxLen` bytes read, so it is exact by the
 * time the part begins, and every match found in the overlap is a real one.
 */
function walk(a: Automaton, bytes: Uint8Array, from: number, to: number, st: number, scan: Scan): number {
  if (to - from < STREAMS_FROM || to - from < 16 * a.maxLen || !LITTLE_ENDIAN) return walk1(a, bytes, from, to, st, scan);
  // Bytes up to the first aligned word, then `nw` words from `w0`, then the bytes after.
  const first = from + ((4 - ((bytes.byteOffset + from) & 3)) & 3);
  const nw = (to - first) >> 2;
  const last = first + 4 * nw;
  if ((st = walk1(a, bytes, from, first, st, scan, 0)) < 0) return -1;
  const words = new Int32Array(bytes.buffer, bytes.byteOffset + first, nw);
  // Stream j's part is words [j * part, (j + 1) * part) (the last one's ends at `nw`); streams
  // 1-3 start `back` words (at least `maxLen` bytes) before theirs.
  const part = Math.ceil(nw / 4);
  const back = (a.maxLen + 3) >> 2;
  const w1 = part - back;
  const w2 = 2 * part - back;
  const w3 = 3 * part - back;
  // Every stream walks `len` words; the last one's range ends at `nw`.
  const len = nw - w3;
  const s = new Int32Array(5);
  s[0] = st;
  // Streams 0-2 walk `part + back` words at most (a few past their part's end, harmless);
  // stream 3 `len` ≤ that.
  for (let k = 0; k < len; k += WORDS_PER_CALL) {
    if (!walkWords(a, bytes, words, first, w1, w2, w3, k, Math.min(k + WORDS_PER_CALL, len), s, scan)) return -1;
  }
  const k = len;
  // Stream j's part ends at word (j + 1) * part; stream 3's at `nw`, then the last bytes.
  if (k < part && walk1(a, bytes, first + 4 * k, first + 4 * part, s[0], scan, 0) < 0) return -1;
  if (w1 + k < 2 * part && walk1(a, bytes, first + 4 * (w1 + k), first + 4 * 2 * part, s[1], scan, 1) < 0) return -1;
  if (w2 + k < 3 * part && walk1(a, bytes, first + 4 * (w2 + k), first + 4 * 3 * part, s[2], scan, 2) < 0) return -1;
  return walk1(a, bytes, last, to, s[3], scan, 3);
}

/** Words of each stream one call of `walkWords` steps through. */
const WORDS_PER_CALL = 1 << 12;

/**
 * The four streams through their words `k` to `end` (stream j's word k is `wj + k`; stream
 * 0's is k), from and to the states in `s`; false once the walk may stop. The loop (`run4`)
 * stops at a byte where a stream reaches an accepting state (`s[4]`: which byte of word
 * `k`); the matches are marked here, out of it, and each stream steps through the rest of
 * the word byte by byte.
 *
 * `walk` calls it per block of words rather than once per text: a function run once per
 * document is compiled while its loop runs (OSR), before the code around the loop has any
 * type feedback, and the next document threw that code away and compiled it again (~100M
 * instructions of a 20 MB kernel log's second run); called hundreds of times, it is
 * compiled whole, once.
 */
function walkWords(a: Automaton, bytes: Uint8Array, words: Int32Array, first: number, w1: number, w2: number, w3: number, k: number, end: number, s: Int32Array, scan: Scan): boolean {
  while ((k = run4(a.delta, words, 0, w1, w2, w3, k, end, s)) < end) {
    const r = s[4];
    const b0 = first + 4 * k;
    const b1 = first + 4 * (w1 + k);
    const b2 = first + 4 * (w2 + k);
    const b3 = first + 4 * (w3 + k);
    if ((s[0] = atMatch(a, bytes, b0 + r, b0 + 4, s[0], scan, 0)) < 0) return false;
    if ((s[1] = atMatch(a, bytes, b1 + r, b1 + 4, s[1], scan, 1)) < 0) return false;
    if ((s[2] = atMatch(a, bytes, b2 + r, b2 + 4, s[2], scan, 2)) < 0) return false;
    if ((s[3] = atMatch(a, bytes, b3 + r, b3 + 4, s[3], scan, 3)) < 0) return false;
    k++;
  }
  return true;
}

/**
 * A stream that stopped with the state `st` at byte `i` of the word ending before `end`:
 * marks the strings ending there when it is accepting, then steps through the rest of the
 * word. Gives the state at the word's end (-1: the walk may stop).
 */
function atMatch(a: Automaton, bytes: Uint8Array, i: number, end: number, st: number, scan: Scan, stream: number): number {
  const { delta, outs } = a;
  if (st < 0 && mark(outs, (st &= STATE), scan, i, stream)) return -1;
  for (let j = i + 1; j < end; j++) {
    st = delta[st | bytes[j]];
    if (st < 0 && mark(outs, (st &= STATE), scan, j, stream)) return -1;
  }
  return st;
}

/**
 * The four streams' loop: steps them a word (four bytes, first byte lowest) at a time from
 * word `k` until `len` or until one of them reaches an accepting state (its word is
 * returned, which of its bytes in `s[4]`; the states there are left in `s`). It is kept this
 * small, with no call and nothing to run after a match, so that V8 compiles it in a few ms
 * (while the first, cold run is still interpreting it) and its code never meets an operation
 * it has no type feedback for (which threw the compiled loop away when it was part of `walk`).
 */
function run4(delta: Int32Array, words: Int32Array, o0: number, o1: number, o2: number, o3: number, k: number, len: number, s: Int32Array): number {
  let s0 = s[0];
  let s1 = s[1];
  let s2 = s[2];
  let s3 = s[3];
  let r = 0;
  for (; k < len; k++) {
    const x0 = words[o0 + k];
    const x1 = words[o1 + k];
    const x2 = words[o2 + k];
    const x3 = words[o3 + k];
    s0 = delta[s0 | (x0 & 255)];
    s1 = delta[s1 | (x1 & 255)];
    s2 = delta[s2 | (x2 & 255)];
    s3 = delta[s3 | (x3 & 255)];
    if ((s0 | s1 | s2 | s3) < 0) break;
    s0 = delta[s0 | ((x0 >> 8) & 255)];
    s1 = delta[s1 | ((x1 >> 8) & 255)];
    s2 = delta[s2 | ((x2 >> 8) & 255)];
    s3 = delta[s3 | ((x3 >> 8) & 255)];
    if ((s0 | s1 | s2 | s3) < 0) {
      r = 1;
      break;
    }
    s0 = delta[s0 | ((x0 >> 16) & 255)];
    s1 = delta[s1 | ((x1 >> 16) & 255)];
    s2 = delta[s2 | ((x2 >> 16) & 255)];
    s3 = delta[s3 | ((x3 >> 16) & 255)];
    if ((s0 | s1 | s2 | s3) < 0) {
      r = 2;
      break;
    }
    s0 = delta[s0 | (x0 >>> 24)];
    s1 = delta[s1 | (x1 >>> 24)];
    s2 = delta[s2 | (x2 >>> 24)];
    s3 = delta[s3 | (x3 >>> 24)];
    if ((s0 | s1 | s2 | s3) < 0) {
      r = 3;
      break;
    }
  }
  s[0] = s0;
  s[1] = s1;
  s[2] = s2;
  s[3] = s3;
  s[4] = r;
  return k;
}

function walk1(a: Automaton, bytes: Uint8Array, from: number, to: number, st: number, scan: Scan, stream = 0): number {
  const { delta, outs } = a;
  const s = new Int32Array(1);
  s[0] = st;
  for (let i = from; (i = run1(delta, bytes, i, to, s)) < to; i++) {
    if (mark(outs, (s[0] &= STATE), scan, i, stream)) return -1;
  }
  return s[0];
}

/** One stream's loop, as `run4`: stops at `to` or at an accepting state (state left in `s[0]`). */
function run1(delta: Int32Array, bytes: Uint8Array, i: number, to: number, s: Int32Array): number {
  let st = s[0];
  for (; i < to; i++) {
    st = delta[st | bytes[i]];
    if (st < 0) break;
  }
  s[0] = st;
  return i;
}

export function cleanLine(raw: string, quoted: boolean): string {
  let line = raw;
  if (line.endsWith('\r')) line = line.slice(0, -1);
  if (hasControl(line)) {
    sawControl = true;
    if (line.indexOf('\x1b') !== -1) line = line.replace(ANSI_OSC, '').replace(ANSI_CSI, '');
    if (line.indexOf('\r') !== -1) {
      // A carriage return inside a line: the terminal showed what came after the last one.
      line = line.slice(line.lastIndexOf('\r') + 1);
    }
    line = line.replace(OTHER_CONTROL, '');
  }
  return cleanPlainLine(line, quoted);
}

/** `cleanLine` for a line known to hold no control character (nor CR). */
function cleanPlainLine(line: string, quoted: boolean): string {
  if (quoted) line = stripQuote(line);
  const at = prefixEnd(line, 0, line.length);
  return at > 0 ? line.slice(at) : line;
}

/** True when most non-empty lines of a sample start with `>`: the paste is quoted. */
function looksQuoted(lines: string[]): boolean {
  let quoted = 0;
  let total = 0;
  for (let i = 0; i < lines.length && total < 400; i++) {
    const l = lines[i].trimStart();
    if (l.length === 0) continue;
    total++;
    if (l.startsWith('>') && !l.startsWith('>>>')) quoted++;
  }
  return total > 0 && quoted * 3 >= total;
}

/** `looksQuoted` of the text's first lines, without splitting the rest. */
function textLooksQuoted(text: string): boolean {
  const sample: string[] = [];
  let nonEmpty = 0;
  for (let start = 0; start <= text.length && nonEmpty < 400; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const l = text.slice(start, end);
    sample.push(l);
    if (l.trimStart().length > 0) nonEmpty++;
    start = end + 1;
  }
  return looksQuoted(sample);
}

export function splitLines(text: string): string[] {
  return text.split('\n');
}

/** True when a cleaned line is a markdown code fence (it carries nothing). */
function isFence(line: string): boolean {
  const f = line.charCodeAt(0);
  if ((f !== 96 && f !== 126) || !(line.startsWith('```') || line.startsWith('~~~'))) return false;
  const rest = line.replace(/^(`{3,}|~{3,})/, '').trim();
  return /^[\w+-]{0,20}$/.test(rest);
}

export function clean(input: string | Uint8Array, jsonLogs = true): Doc {
  const text = decode(input);
  sawControl = false;
  // One pass over the whole text (with the registered strings) spares a control-character
  // test per line, and logs where each registered string occurs (`candidateLines`).
  const hits = new Map<string, boolean>();
  combined ??= [...CONTROL_STRINGS, ...registered, ...JSON_LOG_STRINGS];
  const log = newHitLog(text.length);
  const a = lookUp(text, hits, combined, typeof input === 'string' ? undefined : input, log);
  // JSON log lines holding a crash (escaped newlines): the lines they hold are the text
  if (jsonLogs && hits.get(JSON_LOG_STRINGS[0]) && hits.get(JSON_LOG_STRINGS[1])) {
    const expanded = expandJsonLogs(text);
    if (expanded !== null) return clean(expanded, false);
  }
  let plain = true;
  for (let k = 0; k < CONTROL_STRINGS.length && plain; k++) if (hits.get(CONTROL_STRINGS[k])) plain = false;
  const quoted = textLooksQuoted(text);
  // The logged hits (in text order), then the line of each.
  const sorted = log.exact && a !== null ? log.hits.subarray(0, log.n) : EMPTY_HITS;
  const hitLine = new Int32Array(sorted.length).fill(-1);
  // the input's bytes, when they are one per char of the text (see `dmesgEnd`)
  const oneByte = typeof input !== 'string' && input.length === text.length ? input : null;
  const { lines, first, rawStarts, stamps } = plain && !quoted ? plainLines(text, sorted, hitLine, oneByte !== null ? new DataView(oneByte.buffer, oneByte.byteOffset, oneByte.length) : null) : { ...cleanLines(text, quoted, hits, sorted, hitLine), rawStarts: undefined, stamps: undefined };
  const doc: Doc = { lines, raw: text, first };
  if (rawStarts !== undefined) doc.rawStarts = rawStarts;
  if (stamps !== undefined) doc.stamps = stamps;
  if (rawStarts !== undefined && oneByte !== null) doc.bytes = oneByte;
  rawHits.set(doc, hits);
  if (sawControl) controlDocs.add(doc);
  else if (a !== null && log.exact) docHits.set(doc, { automaton: a, hits: sorted, lines: hitLine, sets: new Map(), states: null });
  return doc;
}

const EMPTY_HITS = new Float64Array(0);

/** The hits of clean's pass, each with the cleaned line it is on (-1: a dropped line). */
interface DocHits {
  automaton: Automaton;
  hits: Float64Array;
  lines: Int32Array;
  /** `candidateLines` answers, by the strings asked for. */
  sets: Map<string, Int32Array | null>;
  /** Each hit's automaton state (`hits[k] % STATES`), worked out once for all the sets asked for. */
  states: Int32Array | null;
}

function hitStates(hits: Float64Array): Int32Array {
  const states = new Int32Array(hits.length);
  for (let k = 0; k < hits.length; k++) states[k] = hits[k] % STATES;
  return states;
}
const docHits = new WeakMap<Doc, DocHits>();

/**
 * The lines of `doc` that may hold one of `strings`, ascending: every line that holds one
 * is in the list (a few more may be, where the string was in a stripped log prefix). Null
 * when there is no such index (a Doc built by hand, a non-ASCII text, lines that lost
 * characters from inside them, a string clean did not look up): then scan every line.
 * A format whose reports can only open on a line holding one of its triggers jumps from
 * one candidate to the next instead of reading every line of a large log.
 */
export function candidateLines(doc: Doc, strings: readonly string[]): Int32Array | null {
  const h = docHits.get(doc);
  if (h === undefined) return null;
  const key = strings.join('\u0000');
  let out = h.sets.get(key);
  if (out !== undefined) return out;
  const all = h.automaton.strings;
  const wanted = new Uint8Array(all.length);
  out = null;
  let ok = true;
  for (const str of strings) {
    const k = all.indexOf(str);
    if (k < 0) ok = false;
    else wanted[k] = 1;
  }
  if (ok) {
    const outs = h.automaton.outs;
    // Per automaton state, whether a wanted string ends there: 0 not known yet, 1 no, 2 yes.
    const verdict = new Uint8Array(outs.length);
    const lines = new Int32Array(h.hits.length);
    const states = (h.states ??= hitStates(h.hits));
    let n = 0;
    let last = -1;
    for (let k = 0; k < h.hits.length; k++) {
      const line = h.lines[k];
      if (line <= last) continue;
      const st = states[k];
      if (verdict[st] === 0) {
        verdict[st] = 1;
        const o = outs[st];
        for (let j = 0; j < o.length; j++) if (wanted[o[j]] === 1) verdict[st] = 2;
      }
      if (verdict[st] === 2) lines[n++] = last = line;
    }
    out = lines.slice(0, n);
  }
  h.sets.set(key, out);
  return out;
}

/**
 * The first of the ascending `lines` at or after `from` (`end` when none): where a scan that
 * only cares about candidate lines goes next. `lines` null: `from` itself.
 */
export function nextCandidate(lines: Int32Array | null, from: number, end: number): number {
  if (lines === null) return from;
  const k = candidateIndex(lines, from);
  return k < lines.length ? lines[k] : end;
}

/** Index of the first of the ascending `lines` at or after `from` (`lines.length` when none). */
export function candidateIndex(lines: Int32Array, from: number): number {
  let lo = 0;
  let hi = lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (lines[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The lines of a text with no control character and no quoting, read straight out of the
 * text: each line's log prefix is matched where it stands and the line sliced once, past it
 * (splitting first made two strings per line, and on a fresh heap copying the survivors
 * through the young generation cost more than the work).
 */
function plainLines(text: string, hits: Float64Array, hitLine: Int32Array, bytes: DataView | null): { lines: string[]; first: Uint8Array; rawStarts: Uint32Array | undefined; stamps: Uint32Array | undefined } {
  const r: LineRead = { text, bytes, hits, hitLine, lines: [], first: new Uint8Array(1024), starts: new Uint32Array(1024), stamps: new Uint32Array(1024), n: 0, h: 0, fences: false };
  for (let start = 0; start <= text.length; ) start = someLines(r, start, Math.min(start + CHARS_PER_CALL, text.length));
  const { lines, first, starts, stamps, n } = r;
  starts[n] = text.length + 1;
  return { lines, first: first.subarray(0, n), rawStarts: r.fences ? undefined : starts.subarray(0, n + 1), stamps: r.fences ? undefined : stamps.subarray(0, n) };
}

/** `plainLines`' reading so far: its text, and the lines, first chars and starts read. */
interface LineRead {
  text: string;
  bytes: DataView | null;
  hits: Float64Array;
  hitLine: Int32Array;
  lines: string[];
  first: Uint8Array;
  starts: Uint32Array;
  stamps: Uint32Array;
  n: number;
  /** The first hit not yet given its line. */
  h: number;
  fences: boolean;
}

/** Chars of text (to the next line's start) one call of `someLines` reads. */
const CHARS_PER_CALL = 1 << 16;

/**
 * Reads the lines of `r.text` starting from `start` up to `limit` (a line may run past
 * it) into `r`; gives the next line's start. `plainLines` calls it per block of text, not
 * once per text, for the reason `walkWords` is: a function run once per document is compiled
 * while its loop runs, without type feedback for the code after the loop, and every later
 * document left that code at the loop's end and ran the next one's first lines in the
 * interpreter.
 */
function someLines(r: LineRead, start: number, limit: number): number {
  const { text, bytes, hits, hitLine, lines } = r;
  let { first, starts, stamps, n, h } = r;
  while (start <= limit) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const at = prefixEnd(text, start, end, bytes);
    const f = at < end ? text.charCodeAt(at) : 0;
    const line = text.slice(at, end);
    const lineStart = start;
    start = end + 1;
    if ((f === 96 || f === 126) && isFence(line)) {
      r.fences = true;
      while (h < hits.length && hits[h] < start * STATES) h++;
      continue;
    }
    // The hits up to this line's newline are on it (a string ending in `\n` too).
    while (h < hits.length && hits[h] < start * STATES) hitLine[h++] = n;
    if (n + 1 >= first.length) {
      const f2 = new Uint8Array(n * 2);
      f2.set(first);
      r.first = first = f2;
      const s2 = new Uint32Array(n * 2);
      s2.set(starts);
      r.starts = starts = s2;
      const p2 = new Uint32Array(n * 2);
      p2.set(stamps);
      r.stamps = stamps = p2;
    }
    // what was stripped: nothing, or what dmesgEnd read of it (prefixEnd's other patterns: unknown)
    stamps[n] = at === lineStart ? STAMP_NONE : bytes !== null && bytes.getUint8(lineStart) === 91 ? lastStamp : STAMP_UNKNOWN;
    starts[n] = lineStart;
    first[n++] = f < 255 ? f : 255;
    lines.push(line);
  }
  r.n = n;
  r.h = h;
  return start;
}


/** The lines of any text: split, then each cleaned of controls, quoting and its log prefix. */
function cleanLines(text: string, quoted: boolean, hits: Map<string, boolean>, logged: Float64Array, hitLine: Int32Array): { lines: string[]; first: Uint8Array } {
  const rawLines = splitLines(text);
  let plain = true;
  for (let k = 0; k < CONTROL_STRINGS.length && plain; k++) if (hits.get(CONTROL_STRINGS[k])) plain = false;
  // Cleaned lines are written over the split ones (never ahead of the reading index).
  const lines = rawLines;
  let n = 0;
  // Lines that lost characters from inside them (controls, ANSI sequences): a registered
  // string can occur in the cleaned line without occurring in the raw text.
  let changed: string[] | null = null;
  const first = new Uint8Array(rawLines.length);
  let h = 0;
  let start = 0;
  for (let i = 0; i < rawLines.length; i++) {
    start += rawLines[i].length + 1;
    let line: string;
    if (plain) line = cleanPlainLine(rawLines[i], quoted);
    else {
      const was: boolean = sawControl;
      sawControl = false;
      line = cleanLine(rawLines[i], quoted);
      if (sawControl) (changed ??= []).push(line);
      sawControl ||= was;
    }
    if (isFence(line)) {
      while (h < logged.length && logged[h] < start * STATES) h++;
      continue;
    }
    while (h < logged.length && logged[h] < start * STATES) hitLine[h++] = n;
    const f = line.charCodeAt(0);
    first[n] = f < 255 ? f : line.length === 0 ? 0 : 255;
    lines[n++] = line;
  }
  lines.length = n;
  if (changed !== null) {
    const more = new Map<string, boolean>();
    lookUp(changed.join('\n'), more, combined!);
    for (const [str, hit] of more) if (hit) hits.set(str, true);
  }
  return { lines, first: n === first.length ? first : first.subarray(0, n) };
}
