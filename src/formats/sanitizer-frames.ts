/**
 * Sanitizer frame lines and the small helpers every sanitizer format shares.
 * Takes: one line of ASan/MSan/TSan/UBSan/LSan/HWASan output. Gives: a `Frame` (function,
 * address, module, file, line, column) or null, and helpers for thread ids, access lines,
 * `==pid==` prefixes, short function names for titles and runtime-frame hints, plus the
 * per-document line index the sanitizer and valgrind readers start from.
 *
 * Frame shapes read (by index arithmetic over the line, no regex on the usual shapes):
 *   `    #0 0x4f3c1a in func file.c:12:5`
 *   `    #1 0x7f… in func (/lib/x86_64-linux-gnu/libc.so.6+0x2724a) (BuildId: 8d1f…)`
 *   `    #2 0x55… (/path/bin+0x1234)`                         (no symbol)
 *   `    #0 counter_bump src/race.c:8:17 (bin+0xd0108) (BuildId: …)`   (TSan: no pc)
 *   `    #0 pthread_create <null> (bin+0x513ad)`
 *   `    #1 0x… in queue_tail(std::vector<int> const&) /src/q.cpp:7`  (C++ names with spaces)
 */
import type { Access, Confidence, CrashKind, Frame, Role } from '../model.js';
import { newFrame } from '../model.js';
import type { Doc } from '../ingest/doc.js';
import { candidateLines } from '../ingest/clean.js';
import { kindForClass } from '../diagnose/kind-table.js';

export interface SanitizerFrameLine {
  /** The number after `#`. */
  number: number;
  frame: Frame;
}

const SO_NAME = /^[\w.+-]{1,200}\.so(?:\.\d{1,6}){0,4}$/;

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The characters `String.prototype.trim` removes. */
export function isWs(c: number): boolean {
  if (c === 32) return true;
  if (c < 32) return c >= 9 && c <= 13;
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0xfeff || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
    c === 0x202f || c === 0x205f || c === 0x3000;
}

/**
 * Where `+0x<hex>` ends `s[from, to)`: the index of its `+` when `s[plus+1, to)` is `0x` and
 * 1–16 hex digits and `plus > from`, else -1. The same answer as taking the last `+0x` in the
 * range and testing what follows it (after the last `+0x` come only hex digits, so reading
 * them backwards from `to` reaches it), without searching past `to`.
 */
function hexTail(s: string, from: number, to: number): number {
  let k = to - 1;
  while (k > from && isHexCode(s.charCodeAt(k))) k--;
  const digits = to - 1 - k;
  if (digits < 1 || digits > 16) return -1;
  const plus = k - 2;
  if (plus <= from || s.charCodeAt(k) !== 120 || s.charCodeAt(k - 1) !== 48 || s.charCodeAt(plus) !== 43) return -1;
  return plus;
}

/**
 * A hex digit as these readers have always taken one: `c | 32` is a digit or `a`–`f`, so
 * `0-9A-Fa-f` and the control codes 16–25 (which fold onto the digits).
 */
function isHexCode(c: number): boolean {
  const l = c | 32; // folds A-F onto a-f (and would fold control codes 16-25 onto digits)
  return (c >= 48 && c <= 57) || (l >= 97 && l <= 102);
}

/** Positions of the spaces of the line being parsed, from where its frame text starts. */
const SPACES = new Int32Array(64);
let spaceCount = 0;
/** More spaces than SPACES holds: the space searches scan the text instead. */
let spacesOverflow = false;

function collectSpaces(s: string, from: number): void {
  spaceCount = 0;
  spacesOverflow = false;
  let k = s.indexOf(' ', from);
  while (k >= 0) {
    if (spaceCount === SPACES.length) {
      spacesOverflow = true;
      return;
    }
    SPACES[spaceCount++] = k;
    k = s.indexOf(' ', k + 1);
  }
}

/** Last space in `s[from, to)` (of the collected line), else -1. */
function lastSpace(s: string, from: number, to: number): number {
  if (spacesOverflow) {
    for (let k = to - 1; k >= from; k--) if (s.charCodeAt(k) === 32) return k;
    return -1;
  }
  for (let j = spaceCount - 1; j >= 0; j--) {
    const p = SPACES[j];
    if (p >= to) continue;
    return p >= from ? p : -1;
  }
  return -1;
}

/** Last ` (` wholly inside `s[from, to)` (of the collected line), else -1. */
function lastSpaceParen(s: string, from: number, to: number): number {
  if (spacesOverflow) {
    for (let k = to - 2; k >= from; k--) if (s.charCodeAt(k) === 32 && s.charCodeAt(k + 1) === 40) return k;
    return -1;
  }
  for (let j = spaceCount - 1; j >= 0; j--) {
    const p = SPACES[j];
    if (p + 2 > to) continue;
    if (p < from) return -1;
    if (s.charCodeAt(p + 1) === 40) return p;
  }
  return -1;
}

/** `to` moved back over the blanks (as `trim` reads them) that end `s[from, to)`. */
export function trimEndTo(s: string, from: number, to: number): number {
  while (to > from) {
    const c = s.charCodeAt(to - 1);
    // Printable ASCII first: no call for the usual last char.
    if ((c > 32 && c < 160) || !isWs(c)) break;
    to--;
  }
  return to;
}

/** `from` moved on over the blanks (as `trim` reads them) that start `s[from, to)`. */
export function skipWs(s: string, from: number, to: number): number {
  while (from < to) {
    const c = s.charCodeAt(from);
    if (c !== 32 && ((c > 32 && c < 160) || !isWs(c))) break;
    from++;
  }
  return from;
}

/**
 * `s[from, to)` is `word`. Every test runs on every call: a compiled caller
 * has then seen it, where a call first made late (TSan's `<null>`, after a log's ASan
 * frames) would throw the compiled code away in a cold run.
 */
function isWord(s: string, from: number, to: number, word: string): boolean {
  const sameLength = to - from === word.length;
  return s.startsWith(word, from) && sameLength;
}

/** `s[from, to)` contains `ch`. */
function hasChar(s: string, ch: string, from: number, to: number): boolean {
  const k = s.indexOf(ch, from);
  return k >= 0 && k < to;
}

/** `s[from, to)` contains `part` wholly. (Every read runs on every call; see isWord.) */
function hasText(s: string, part: string, from: number, to: number): boolean {
  const last = to - part.length;
  const k = s.indexOf(part, from);
  return k <= last && k >= 0;
}

/** Digits run `s[from, to)` of 1–9 digits ending exactly at `to`, starting at `from`. */
function digitsExactly(s: string, from: number, to: number): boolean {
  if (to - from < 1 || to - from > 9) return false;
  for (let k = from; k < to; k++) if (!isDigitCode(s.charCodeAt(k))) return false;
  return true;
}

const TERMINATOR = /[\n\r\u2028\u2029]/;

/** What the last `lineColAt` found: the colon that ends the file and the one before the column (-1: none). */
let locColon = -1;
let locColon2 = -1;

/**
 * `file:line[:col]` in `s[from, to)`, read as `^(.*?):(\d+)(?::(\d+))?$` would read it (the
 * shortest file part): the file, with locColon/locColon2 set, or null when the token is no
 * location.
 */
function lineColAt(s: string, from: number, to: number): string | null {
  let last = -1;
  let prev = -1;
  for (let k = s.indexOf(':', from); k >= 0 && k < to; k = s.indexOf(':', k + 1)) {
    prev = last;
    last = k;
  }
  if (last < 0) return null;
  let colon = -1;
  let colon2 = -1;
  if (prev >= 0 && digitsExactly(s, prev + 1, last) && digitsExactly(s, last + 1, to)) {
    colon = prev;
    colon2 = last;
  } else if (digitsExactly(s, last + 1, to)) colon = last;
  else return null;
  const file = s.slice(from, colon);
  // `.` matches no line terminator.
  if (TERMINATOR.test(file)) return null;
  locColon = colon;
  locColon2 = colon2;
  return file;
}

function numberIn(s: string, from: number, to: number): number {
  let n = 0;
  for (let k = from; k < to; k++) n = n * 10 + (s.charCodeAt(k) - 48);
  return n;
}

/**
 * Parse a sanitizer frame line, or null when the line is not one. One forward scan with
 * index arithmetic (no regex and no intermediate strings on the usual shapes): the address
 * token, then the trailing `(BuildId: …)` and `(module+0x…)` groups peeled off from the
 * end, then a `file:line:col` / `<null>` / `x.o` location token, and the name between.
 */
export function parseSanitizerFrame(line: string): SanitizerFrameLine | null {
  const frame = frameOfLine(line, 0);
  if (frame === null) return null;
  // A frame read alone is indexed by its number.
  frame.index = frameNumber;
  return { number: frameNumber, frame };
}

/** The `#` number of the last line `frameOfLine` read as a frame. */
let frameNumber = 0;

/**
 * What a frame line says after its number and address (`in func file.c:12:5`,
 * `(module+0x…) (BuildId: …)`): it depends on that text alone, so one parse serves every
 * line that ends the same way.
 */
interface Tail {
  fn: string | null;
  module: string | null;
  /** The module offset (the frame's address when the line has no pc). */
  offset: string | null;
  file: string | null;
  line: number | null;
  column: number | null;
}

/**
 * Tails already parsed, by their text, for the document readFrames is reading (null
 * outside it). The stacks of a log repeat — the same crash reported again, the same
 * runtime and libc frames under every report — and a tail's parse costs several times its
 * lookup; the frames of repeated tails also share their strings instead of each holding
 * its own slices (a third of the memory the young generation must copy).
 */
let tails: Map<string, Tail> | null = null;
const tailMemos = new WeakMap<string[], Map<string, Tail>>();
/** Tails longer than this are parsed each time (no long keys kept). */
const MAX_TAIL_KEY = 400;
/** Distinct tails kept per document: a log of all-different stacks stops adding at this. */
const MAX_TAILS = 20000;

/**
 * The usual start of a frame line: up to 12 blanks, `#N`, spaces, and the pc when there is
 * one (lastIndex: where the pc ends, or where the rest starts when there is none; a pc is
 * as PC reads it). The same lines the character loop of frameOfOddLine takes without a `.N`
 * (inlined) number; one regex test instead of a loop per character and a second test for
 * the pc, which matters most in a cold run, before the loops are optimised.
 */
const FRAME_START = /[ \t]{0,12}#\d{1,7} +(?:0x[0-9A-Fa-f]{1,16}(?= |$))?/y;
/** A pc: `0x` and 1–16 hex digits (as isHexCode takes them), ending at a space or the end. */
const PC = /0x[0-9A-Fa-f]{1,16}(?= |$)/y;

/**
 * The frame of a line, with `index` (its place in the stack being read: set here, so frames
 * are never written to after they are made), its number in `frameNumber`.
 */
function frameOfLine(line: string, index: number): Frame | null {
  FRAME_START.lastIndex = 0;
  if (!FRAME_START.test(line)) return frameOfOddLine(line, index);
  const end = FRAME_START.lastIndex;
  // The number: the digits after the `#` (within the blanks the regex allows).
  let k = line.indexOf('#') + 1;
  let num = 0;
  for (let c = line.charCodeAt(k); c !== 32; c = line.charCodeAt(++k)) num = num * 10 + (c - 48);
  // (Not past the end: a line of blanks after `#N` would throw the compiled code away.)
  while (k < line.length && line.charCodeAt(k) === 32) k++;
  // A match that goes on past the spaces took the pc.
  if (end > k) return frameAfterPc(line, k, end, num, false, index);
  return frameAfterNumber(line, k, num, false, index);
}

/** frameOfLine for the lines FRAME_START does not take: Fuchsia's inlined `#1.1`, and lines that are no frame. */
function frameOfOddLine(line: string, index: number): Frame | null {
  const len = line.length;
  // `#` within the first 13 characters, only blanks before it.
  let hash = -1;
  for (let k = 0; k < len && k <= 12; k++) {
    const c = line.charCodeAt(k);
    if (c === 35) {
      hash = k;
      break;
    }
    if (c !== 32 && c !== 9) return null;
  }
  if (hash < 0) return null;
  let i = hash + 1;
  let num = 0;
  const numStart = i;
  while (i < len && i - numStart < 7 && isDigitCode(line.charCodeAt(i))) num = num * 10 + (line.charCodeAt(i++) - 48);
  if (i === numStart) return null;
  // Fuchsia's symbolizer numbers inlined frames `#1.1`, `#1.2` before the real `#1`.
  let inlined = false;
  // Reads stay within the line: a read past its end (a line ending after `#12`) gives
  // NaN, the same answers, but throws the compiled reader away, which is compiled again.
  if (i + 1 < len && line.charCodeAt(i) === 46 && isDigitCode(line.charCodeAt(i + 1))) {
    inlined = true;
    i++;
    while (i < len && i < hash + 20 && isDigitCode(line.charCodeAt(i))) i++;
  }
  if (i >= len || line.charCodeAt(i) !== 32) return null;
  while (i < len && line.charCodeAt(i) === 32) i++;
  return frameAfterNumber(line, i, num, inlined, index);
}

/** The frame of a line whose `#N` has been read; `rs` is where the rest of the line starts. */
function frameAfterNumber(line: string, rs: number, num: number, inlined: boolean, index: number): Frame | null {
  if (!line.startsWith('0x', rs)) return frameOfTail(line, rs, num, inlined, index, null);
  PC.lastIndex = rs;
  if (!PC.test(line)) return null;
  return frameAfterPc(line, rs, PC.lastIndex, num, inlined, index);
}

/** The frame of a line whose pc is `line[pcStart, pcEnd)`. */
function frameAfterPc(line: string, pcStart: number, pcEnd: number, num: number, inlined: boolean, index: number): Frame | null {
  let rs = skipWs(line, pcEnd, line.length);
  if (line.startsWith('in ', rs)) rs += 3;
  return frameOfTail(line, rs, num, inlined, index, line.slice(pcStart, pcEnd));
}

/** The frame of a line whose number and pc (`address`, null: none) have been read; `rs`: where the rest starts. */
function frameOfTail(line: string, rs: number, num: number, inlined: boolean, index: number, address: string | null): Frame | null {
  const tail = tailAt(line, rs);
  // Read even when the line has a pc: a property first read late (TSan's frames have no pc,
  // and follow ASan's) would throw the compiled reader away in a cold run.
  const offset = tail.offset;
  if (tail.fn === null && tail.module === null && address === null) return null;
  frameNumber = num;
  return makeFrame(index, tail.fn, inlined, address ?? offset, tail.module, tail.file, tail.line, tail.column);
}

/** The Tail of the frame line's text from `rs` on: remembered, or parsed (and remembered). */
function tailAt(line: string, rs: number): Tail {
  if (tails === null || line.length - rs > MAX_TAIL_KEY) return parseTail(line, rs);
  const key = line.slice(rs);
  const known = tails.get(key);
  if (known !== undefined) return known;
  const tail = parseTail(line, rs);
  if (tails.size < MAX_TAILS) tails.set(key, tail);
  return tail;
}

/** The Tail of a frame line, read from `line[rs, end)` alone. */
function parseTail(line: string, rs: number): Tail {
  // The text left to read is [rs, re).
  let re = line.length;
  collectSpaces(line, rs);
  // Trailing `(BuildId: …)` and `(module+0x…)` groups.
  let module: string | null = null;
  let offset: string | null = null;
  re = trimEndTo(line, rs, re);
  for (let guard = 0; guard < 3 && re > rs && line.charCodeAt(re - 1) === 41; guard++) {
    const open = lastSpaceParen(line, rs, re);
    const at = open >= 0 ? open + 1 : line.charCodeAt(rs) === 40 ? rs : -1;
    if (at < 0) break;
    const a = at + 1;
    const b = re - 1;
    if (line.startsWith('BuildId:', a) && a + 8 <= b) {
      re = trimEndTo(line, rs, at);
      continue;
    }
    const plus = hexTail(line, a, b);
    if (plus >= 0) {
      module = line.slice(a, plus);
      offset = line.slice(plus + 1, b);
      re = trimEndTo(line, rs, at);
      continue;
    }
    break;
  }
  if (isWord(line, rs, re, '(<unknown module>)') || isWord(line, rs, re, '<unknown module>')) re = rs;
  {
    // `<<application>>+0xacf4c`, `libfoo.so+0x1234` printed without parentheses.
    const last = lastSpace(line, rs, re);
    if (last > rs && line.charCodeAt(re - 1) !== 41) {
      const t0 = last + 1;
      const plus = hexTail(line, t0, re);
      if (plus >= 0 && !hasChar(line, '(', t0, re)) {
        module ??= line.slice(t0, plus);
        offset ??= line.slice(plus + 1, re);
        re = trimEndTo(line, rs, last);
      }
    }
  }
  // The name is [fs, fe); a location token after it.
  let fs = rs;
  let fe = re;
  let file: string | null = null;
  let lineNo: number | null = null;
  let column: number | null = null;
  const sp = lastSpace(line, rs, re);
  if (sp > rs) {
    const t0 = sp + 1;
    const tl = re - t0;
    let loc: string | null = null;
    let isLoc = false;
    if (isWord(line, t0, re, '<null>')) isLoc = true;
    else {
      if (line.charCodeAt(re - 1) !== 41 && hasChar(line, ':', t0, re)) loc = lineColAt(line, t0, re);
      isLoc = loc !== null || (tl >= 2 && line.charCodeAt(re - 2) === 46 && line.charCodeAt(re - 1) === 111);
    }
    if (isLoc) {
      fe = trimEndTo(line, rs, sp);
      if (loc !== null) {
        file = loc;
        if (locColon2 >= 0) {
          lineNo = numberIn(line, locColon + 1, locColon2);
          column = numberIn(line, locColon2 + 1, re);
        } else lineNo = numberIn(line, locColon + 1, re);
      }
    }
  }
  if (file === null) {
    // `in malloc _asan_rtl_`: a bare name and a module word, no location.
    const one = line.indexOf(' ', fs);
    if (one >= 0 && one > fs && one < fe && lastSpace(line, one + 1, fe) < 0 && !hasChar(line, '(', fs, fe) && !line.startsWith('operator', fs)) {
      module ??= line.slice(one + 1, fe);
      fe = one;
    }
  }
  while (fs < fe && isWs(line.charCodeAt(fs))) fs++;
  fe = trimEndTo(line, fs, fe);
  let fn: string | null = null;
  const hasColon = hasChar(line, ':', fs, fe);
  if (hasColon && !hasChar(line, '(', fs, fe) && !hasChar(line, ' ', fs, fe) && lineColAt(line, fs, fe) !== null) {
    // The symbolizer printed a location where the name belongs (`memcpy-ssse3-back.S:1702`).
  } else if (hasText(line, '.so', fs, fe) && SO_NAME.test(line.slice(fs, fe))) {
    // `in linux-gate.so.1`: a module where the name belongs.
    module ??= line.slice(fs, fe);
  } else {
    // `func+0x1a` when only the symbol table was available.
    const plus = hexTail(line, fs, fe);
    if (plus >= 0) fe = plus;
    const n = fe - fs;
    if (n === 0) fn = null;
    else if (isWord(line, fs, fe, '<unknown>') || isWord(line, fs, fe, '??') || isWord(line, fs, fe, '<unknown module>')) fn = null;
    else fn = line.slice(fs, fe);
  }
  return { fn, module: module || null, offset, file: file || null, line: lineNo, column };
}

/**
 * A frame as `newFrame` makes it plus `address` and whichever of module, file, line and
 * column are known (absent ones are left out, not set to null), built in one object literal
 * for the usual combinations: the properties live in the object itself instead of a
 * separate property array, a third less memory for the hundred thousand frames of a large
 * log. Same keys in the same order as assigning them one by one.
 */
export function makeFrame(index: number, fn: string | null, inlined: boolean, address: string | null, module: string | null, file: string | null, line: number | null, column: number | null): Frame {
  const role: Role = 'unknown';
  if (line === null && column === null && file === null) {
    if (module === null) return { index, function: fn, rawFunction: fn, inlined, role, address };
    return { index, function: fn, rawFunction: fn, inlined, role, address, module };
  }
  if (file !== null && line !== null) {
    if (module === null) {
      if (column === null) return { index, function: fn, rawFunction: fn, inlined, role, address, file, line };
      return { index, function: fn, rawFunction: fn, inlined, role, address, file, line, column };
    }
    if (column === null) return { index, function: fn, rawFunction: fn, inlined, role, address, module, file, line };
    return { index, function: fn, rawFunction: fn, inlined, role, address, module, file, line, column };
  }
  const frame = newFrame(index, fn);
  frame.inlined = inlined;
  frame.address = address;
  if (module !== null) frame.module = module;
  if (file !== null) frame.file = file;
  if (line !== null) frame.line = line;
  if (column !== null) frame.column = column;
  return frame;
}

/**
 * Read consecutive frame lines starting at `start`; returns the frames and the index of
 * the first line after them. A frame list restarts at `#0` only as a new stack, so it stops
 * there. Caps the frames kept (a 50,000-frame recursion stays linear and bounded in memory).
 */
export function readFrames(lines: string[], start: number, end: number, maxFrames = 5000): { frames: Frame[]; next: number; dropped: number } {
  let memo = tailMemos.get(lines);
  if (memo === undefined) tailMemos.set(lines, (memo = new Map()));
  tails = memo;
  const frames: Frame[] = [];
  let i = start;
  let dropped = 0;
  while (i < end) {
    let f = frameOfLine(lines[i], frames.length);
    if (f === null) {
      // Some logs put blank lines between frames: continue when the next frame follows on.
      if (frames.length === 0 || !isBlankLine(lines[i])) break;
      let j = i + 1;
      while (j < end && j <= i + 2 && isBlankLine(lines[j])) j++;
      if (j >= end) break;
      f = frameOfLine(lines[j], frames.length);
      if (f === null || frameNumber === 0) break;
      i = j;
    }
    const number = frameNumber;
    if (frames.length > 0 && number === 0) {
      // A new stack starts at #0, unless the numbering goes on after it: `#0 #1 #0 #3` is one
      // stack whose third line lost its number (symbolizer glitches print that).
      // (Only the next line's number is wanted here, not its frame.)
      if (i + 1 >= end || frameOfLine(lines[i + 1], 0) === null || frameNumber !== frames.length + dropped + 1) break;
    }
    if (frames.length < maxFrames) frames.push(f);
    else dropped++;
    i++;
  }
  tails = null;
  return { frames, next: i, dropped };
}

/**
 * Whether `line` is a frame line, as `frameOfLine` would answer (its number in
 * `frameNumber`), without making the frame: a line with a pc is one whatever its tail says,
 * so most lines need no look at their tail.
 */
function isFrameLine(line: string): boolean {
  FRAME_START.lastIndex = 0;
  if (!FRAME_START.test(line)) return frameOfOddLine(line, 0) !== null;
  const end = FRAME_START.lastIndex;
  let k = line.indexOf('#') + 1;
  let num = 0;
  for (let c = line.charCodeAt(k); c !== 32; c = line.charCodeAt(++k)) num = num * 10 + (c - 48);
  // (Not past the end: a line of blanks after `#N` would throw the compiled code away.)
  while (k < line.length && line.charCodeAt(k) === 32) k++;
  // With a pc (FRAME_START took it, or PC does), or without one: a tail that names something.
  let yes: boolean;
  if (end > k) yes = true;
  else if (line.startsWith('0x', k)) {
    PC.lastIndex = k;
    yes = PC.test(line);
  } else {
    const tail = tailAt(line, k);
    yes = tail.fn !== null || tail.module !== null;
  }
  if (yes) frameNumber = num;
  return yes;
}

/** A stack as `readFramesLite` read it. */
export interface LiteStack {
  /** The frames made: the first ones, up to the first frame of the program, or none. */
  frames: Frame[];
  /** Frames `readFrames` would have kept (at most its cap). */
  count: number;
  /** The line after the stack. */
  next: number;
  /** Frames past the cap. */
  dropped: number;
}

/**
 * `readFrames` for a report built compacted (formats/compacted.ts): the same stack, ending
 * at the same line, with the same count, but frames are made only while `upToProgram` asks
 * for them — from the top down to the first frame of the program, which is all a title and
 * `--list` name — and the others are only recognised. Kept apart from `readFrames` so the
 * hot reader of whole reports stays as it is.
 */
export function readFramesLite(lines: string[], start: number, end: number, upToProgram: boolean, maxFrames = 5000): LiteStack {
  let memo = tailMemos.get(lines);
  if (memo === undefined) tailMemos.set(lines, (memo = new Map()));
  tails = memo;
  const frames: Frame[] = [];
  let making = upToProgram;
  let n = 0;
  let i = start;
  let dropped = 0;
  let f: Frame | null = null;
  while (i < end) {
    let ok = making ? (f = frameOfLine(lines[i], n)) !== null : isFrameLine(lines[i]);
    if (!ok) {
      if (n === 0 || !isBlankLine(lines[i])) break;
      let j = i + 1;
      while (j < end && j <= i + 2 && isBlankLine(lines[j])) j++;
      if (j >= end) break;
      ok = making ? (f = frameOfLine(lines[j], n)) !== null : isFrameLine(lines[j]);
      if (!ok || frameNumber === 0) break;
      i = j;
    }
    if (n > 0 && frameNumber === 0) {
      if (i + 1 >= end || !isFrameLine(lines[i + 1]) || frameNumber !== n + dropped + 1) break;
    }
    if (n < maxFrames) {
      if (making && f !== null) {
        frames.push(f);
        if (f.function && !isRuntimeFrame(f)) making = false;
      }
      n++;
    } else dropped++;
    i++;
  }
  tails = null;
  return { frames, count: n, next: i, dropped };
}

/** The thread id a sanitizer names: `T0` → "0", `main thread` → "0", `thread #3` → "3". */
export function threadIdFrom(text: string): string | null {
  if (text.includes('main thread')) return '0';
  let k = text.indexOf(' T');
  while (k >= 0) {
    let j = k + 2;
    let id = '';
    while (isDigit(text[j]) && id.length < 9) id += text[j++];
    if (id && (j >= text.length || !/[\w]/.test(text[j]))) return id;
    k = text.indexOf(' T', k + 2);
  }
  if (text.startsWith('T') && isDigit(text[1])) {
    let j = 1;
    let id = '';
    while (isDigit(text[j]) && id.length < 9) id += text[j++];
    return id;
  }
  return null;
}

/** `READ of size 4 at 0x… thread T0` / `Write of size 4 at 0x… by thread T2` → Access. */
export function parseAccessLine(text: string): { access: Access; thread: string | null } | null {
  const t = text.trim();
  const m = /^(?:Atomic )?(READ|WRITE|Read|Write|read|write) of size (\d{1,12}) at (0x[0-9a-fA-F]{1,16})/.exec(t);
  if (!m) return null;
  const access: Access = { type: m[1].toLowerCase() === 'read' ? 'read' : 'write', size: Number(m[2]), address: m[3] };
  return { access, thread: threadIdFrom(t.slice(m[0].length)) };
}

/** Length of a `==1234==` (sanitizer) prefix at the start of `line`, 0 when it has none. */
export function pidPrefixLength(line: string): number {
  // No read past the end: an out-of-bounds charCodeAt throws compiled code away.
  const len = line.length;
  if (len < 5 || line.charCodeAt(0) !== 61 || line.charCodeAt(1) !== 61) return 0;
  let j = 2;
  while (j < 14 && j < len && isDigitCode(line.charCodeAt(j))) j++;
  return j > 2 && j + 1 < len && line.charCodeAt(j) === 61 && line.charCodeAt(j + 1) === 61 ? j + 2 : 0;
}

/**
 * Where the text of a sanitizer line lies: `[start, end)` is what
 * `stripPidPrefix(line).trim()` returns, without making that string.
 */
export interface TextSpan {
  start: number;
  end: number;
}

export function textSpan(line: string, out: TextSpan): TextSpan {
  const ts = skipWs(line, pidPrefixLength(line), line.length);
  out.start = ts;
  out.end = trimEndTo(line, ts, line.length);
  return out;
}

/** The text in `span` starts with `prefix`. */
export function spanStarts(line: string, span: TextSpan, prefix: string): boolean {
  return span.end - span.start >= prefix.length && line.startsWith(prefix, span.start);
}

/** The text in `span` is `word`. */
export function spanIs(line: string, span: TextSpan, word: string): boolean {
  return span.end - span.start === word.length && line.startsWith(word, span.start);
}

/** The text in `span` contains `part`. */
export function spanIncludes(line: string, span: TextSpan, part: string): boolean {
  const k = line.indexOf(part, span.start);
  return k >= 0 && k + part.length <= span.end;
}

/** True when the line is empty or only blanks (`line.trim() === ''`). */
export function isBlankLine(line: string): boolean {
  for (let k = 0; k < line.length; k++) if (!isWs(line.charCodeAt(k))) return false;
  return true;
}

/**
 * The first char code of line `i` as `doc.first` holds it (0: empty, 255: 255 or above), read
 * from the array when clean() made one: a scan that only wants lines starting with certain
 * characters then touches no other line's text.
 */
function firstCodes(doc: Doc): Uint8Array {
  const lines = doc.lines;
  if (doc.first !== undefined && doc.first.length === lines.length) return doc.first;
  const first = new Uint8Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const c = lines[i].charCodeAt(0);
    first[i] = c < 255 ? c : lines[i].length === 0 ? 0 : 255;
  }
  return first;
}

/** The tools whose headlines the readers take, by their code in SanitizerLineIndex.tools. */
export const HEADLINE_TOOLS = ['AddressSanitizer', 'HWAddressSanitizer', 'MemorySanitizer', 'ThreadSanitizer', 'LeakSanitizer', 'UndefinedBehaviorSanitizer'];
const TOOL_HEADS = HEADLINE_TOOLS.map((t) => t + ': ');

/** Lines the sanitizer and valgrind readers start from. */
export interface SanitizerLineIndex {
  /**
   * Lines that can be a sanitizer's headline: the text (after an optional `==pid==` prefix
   * and blanks) starts `ERROR: ` or `WARNING: ` and then one of HEADLINE_TOOLS and `: ` (each
   * reader still checks its own form).
   */
  headlines: Int32Array;
  /** For each headline line, its tool's index in HEADLINE_TOOLS: a reader skips the others without reading them. */
  tools: Uint8Array;
  /** Lines that may contain `runtime error: ` (all that do, maybe a few more): UBSan's one-line reports. */
  runtimeError: Int32Array;
  /** Lines starting `=`, `-` or `*`: valgrind's `==pid== ` lines among them. */
  prefixed: Int32Array;
}

const lineIndexCache = new WeakMap<string[], SanitizerLineIndex>();

/** The HEADLINE_TOOLS index of the headline `line` holds, else -1. */
function headlineTool(line: string, first: number): number {
  let k = first === 61 ? pidPrefixLength(line) : 0;
  while (k < line.length && isWs(line.charCodeAt(k))) k++;
  if (line.startsWith('ERROR: ', k)) k += 7;
  else if (line.startsWith('WARNING: ', k)) k += 9;
  else return -1;
  for (let t = 0; t < TOOL_HEADS.length; t++) if (line.startsWith(TOOL_HEADS[t], k)) return t;
  return -1;
}

/**
 * Every headline holds one of these (`HWAddressSanitizer` holds `AddressSanitizer`); they are
 * the formats' triggers, so clean() has listed the lines that hold them.
 */
const TOOL_WORDS = ['AddressSanitizer', 'MemorySanitizer', 'ThreadSanitizer', 'LeakSanitizer', 'UndefinedBehaviorSanitizer'];
const RUNTIME_ERROR = ['runtime error: '];

/**
 * The lines of `doc` that may hold one of `strings` (candidateLines), else every line: the
 * index is missing on a Doc built by hand, a non-ASCII text, or lines that lost characters.
 */
function linesWith(doc: Doc, strings: readonly string[]): Int32Array {
  const listed = candidateLines(doc, strings);
  if (listed !== null) return listed;
  const all = new Int32Array(doc.lines.length);
  for (let i = 0; i < all.length; i++) all[i] = i;
  return all;
}

/**
 * The lines whose first char is `=`, `-` or `*`, by their first codes: one pass with no call
 * and no growing array (in a cold run this loop is interpreted for a while).
 */
function prefixedLines(first: Uint8Array): Int32Array {
  const all = new Int32Array(first.length);
  let n = 0;
  for (let i = 0; i < first.length; i++) {
    const c = first[i];
    if (c === 61 || c === 45 || c === 42) all[n++] = i;
  }
  return all.slice(0, n);
}

/**
 * The line index of a document, memoised: the six readers visit these lines instead of each
 * scanning every line of a large log. Valgrind's candidates come from the first chars alone
 * (`doc.first`); headlines and UBSan's lines from clean()'s candidate lines, so most lines'
 * text is never read here.
 */
export function sanitizerLineIndex(doc: Doc): SanitizerLineIndex {
  const lines = doc.lines;
  const cached = lineIndexCache.get(lines);
  if (cached) return cached;
  const first = firstCodes(doc);
  const heads: number[] = [];
  const tools: number[] = [];
  const tooled = linesWith(doc, TOOL_WORDS);
  for (let k = 0; k < tooled.length; k++) {
    const i = tooled[k];
    const c = first[i];
    const l = lines[i];
    // Blanks, `=`, `E`, `W` (and any char from 160 up, which may be a blank) can start a headline.
    if ((c === 61 || c === 69 || c === 87 || c <= 32 || c >= 160) && l.includes('Sanitizer: ')) {
      const t = headlineTool(l, c);
      if (t >= 0) {
        heads.push(i);
        tools.push(t);
      }
    }
  }
  const idx = { headlines: Int32Array.from(heads), tools: Uint8Array.from(tools), runtimeError: linesWith(doc, RUNTIME_ERROR), prefixed: prefixedLines(first) };
  lineIndexCache.set(lines, idx);
  return idx;
}

/** Remove a `==1234==` (sanitizer) prefix; returns the line unchanged when it has none. */
export function stripPidPrefix(line: string): string {
  if (!line.startsWith('==')) return line;
  let j = 2;
  while (isDigit(line[j]) && j < 14) j++;
  if (j > 2 && line.startsWith('==', j)) return line.slice(j + 2);
  return line;
}

/**
 * The name a title uses: no argument list, no `+0x` offset
 * (`queue_tail(std::vector<int> const&)` → `queue_tail`, `operator delete(void*)` → `operator delete`).
 */
export function shortName(fn: string): string {
  let s = fn.trim();
  if (s.endsWith(' const')) s = s.slice(0, -6);
  if (!s.endsWith(')')) return s;
  let depth = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    const c = s[i];
    if (c === ')') depth++;
    else if (c === '(') {
      depth--;
      if (depth === 0) {
        // `operator()(int)`: keep the operator's own parentheses.
        if (i > 0 && s.slice(0, i).endsWith('operator()')) return s.slice(0, i);
        return i > 0 ? s.slice(0, i) : s;
      }
    }
  }
  return s;
}

/**
 * `s` as a string of its own: the memos below outlive a document, and a key sliced from the
 * document's text would keep that whole text alive. Slicing a concatenation copies it
 * first, so the result holds only its own chars (strings under 13 chars are copies already).
 */
export function detached(s: string): string {
  return s.length < 13 ? s : (s + ' ').slice(0, -1);
}

/** Names of the sanitizer runtimes' own functions start so. */
const RUNTIME_PREFIXES = [
  '_sanitizer_', '_asan_', '_interceptor_', '__interceptor_', '___interceptor_', '__interception::', '__asan', '__msan', '__tsan', '__lsan',
  '__ubsan', '__hwasan', '__sanitizer', '__dfsan', '__esan', '__scudo', '__gwp_asan',
];
/** First characters of RUNTIME_PREFIXES: a name starting otherwise needs no prefix test. */
const RUNTIME_FIRST = new Set(RUNTIME_PREFIXES.map((p) => p.charCodeAt(0)));

/** Functions the sanitizer runtimes intercept; as the first frames of a stack they are the runtime. */
const INTERCEPTED = new Set([
  'malloc', 'calloc', 'realloc', 'reallocarray', 'free', 'cfree', 'valloc', 'pvalloc', 'memalign',
  'aligned_alloc', 'posix_memalign', 'strdup', 'strndup', '__strdup', 'memcpy', 'memmove', 'memset',
  'memcmp', 'bcmp', 'strlen', 'strnlen', 'strcpy', 'strncpy', 'strcat', 'strncat', 'strcmp',
  'strncmp', 'strchr', 'strrchr', 'strstr', 'strcasecmp', 'strncasecmp', 'wcslen', 'printf',
  'fprintf', 'sprintf', 'snprintf', 'vsnprintf', 'puts', 'fwrite', 'fread', 'read', 'write',
  'pthread_create', 'pthread_join', 'pthread_mutex_lock', 'pthread_mutex_unlock',
  'pthread_mutex_trylock', 'pthread_mutex_destroy', 'pthread_rwlock_rdlock', 'pthread_rwlock_wrlock',
  'pthread_rwlock_unlock', 'pthread_cond_wait', 'pthread_cond_signal', 'pthread_cond_broadcast',
  'pthread_spin_lock', 'pthread_spin_unlock', 'sem_wait', 'sem_post', 'usleep', 'sleep', 'nanosleep',
  'signal', 'sigaction', 'raise', 'kill', 'abort', 'longjmp', 'siglongjmp', 'dlopen', 'dlclose',
]);

/**
 * Files and modules seen, and whether they are the runtime's: frames share these strings
 * (see Tail), whose hash V8 keeps, so a lookup is cheaper than the three or seven tests.
 * Bounded like nameMemo.
 */
const pathMemo = new Map<string, boolean>();

function isRuntimeFile(file: string | null | undefined): boolean {
  if (!file) return false;
  let is = pathMemo.get(file);
  if (is === undefined) {
    is = file.includes('libsanitizer/') || file.includes('compiler-rt/lib/') || file.includes('/sanitizer_common/');
    if (pathMemo.size >= 20000) pathMemo.clear();
    pathMemo.set(detached(file), is);
  }
  return is;
}

function isRuntimeModule(module: string | null | undefined): boolean {
  if (!module) return false;
  // The base name, read in place.
  const b = module.lastIndexOf('/') + 1;
  return module.startsWith('libasan', b) || module.startsWith('libtsan', b) || module.startsWith('libubsan', b) || module.startsWith('liblsan', b) ||
    module.startsWith('libhwasan', b) || module.startsWith('libclang_rt.', b) || module.startsWith('vgpreload_', b);
}

/** What a function name says of its frame: runtime by name, runtime unless it has a (non-runtime) file, or nothing. */
const BY_NAME = 1;
const UNLESS_FILE = 2;
const NOTHING = 0;

/**
 * Function names seen (names repeat across the stacks of a log): what `nameSays` found.
 * Bounded so a hostile log of distinct names cannot grow it without end.
 */
const nameMemo = new Map<string, number>();

function nameSays(fn: string): number {
  let says = nameMemo.get(fn);
  if (says !== undefined) return says;
  says = NOTHING;
  if (fn.length > 0 && RUNTIME_FIRST.has(fn.charCodeAt(0))) for (const p of RUNTIME_PREFIXES) if (fn.startsWith(p)) says = BY_NAME;
  if (says === NOTHING) {
    const name = shortName(fn);
    if (name.startsWith('operator new') || name.startsWith('operator delete')) says = UNLESS_FILE;
    else if (INTERCEPTED.has(name) || (name.includes('@') && INTERCEPTED.has(name.slice(0, name.indexOf('@'))))) says = UNLESS_FILE;
  }
  if (nameMemo.size >= 20000) nameMemo.clear();
  nameMemo.set(detached(fn), says);
  return says;
}

/** True when the frame belongs to the sanitizer (or valgrind) runtime. */
export function isRuntimeFrame(f: Frame): boolean {
  const says = nameSays(f.function ?? '');
  if (says === BY_NAME) return true;
  if (isRuntimeFile(f.file) || isRuntimeModule(f.module)) return true;
  // Here the file, if any, is no runtime file.
  return says === UNLESS_FILE && !f.file;
}

/**
 * Mark the leading runtime frames of a stack (`__interceptor_free`, `malloc` in the
 * sanitizer's module, `__asan_memcpy`) as crash-handling, so the crash frame is the first
 * frame of the program, not the interceptor that reported.
 */
export function hintRuntimeFrames(frames: Frame[], role: Role = 'crash-handling'): void {
  for (let k = 0; k < frames.length; k++) {
    const f = frames[k];
    if (!isRuntimeFrame(f)) break;
    f.roleHint = role;
  }
}

/** First frame after the leading runtime frames (what a title names), or null. */
export function firstProgramFrame(frames: Frame[]): Frame | null {
  for (let k = 0; k < frames.length; k++) {
    const f = frames[k];
    if (f.roleHint === 'crash-handling' || f.roleHint === 'library' || isRuntimeFrame(f)) continue;
    if (f.function) return f;
  }
  return null;
}

const kindMemo = new Map<string, ReturnType<typeof kindForClass>>();

/**
 * `kindForClass`, memoised by class (a log's reports share a few classes; each lookup
 * lowercases the class and walks the whole kind table). Callers copy the answer, never change it.
 */
export function kindOf(cls: string): ReturnType<typeof kindForClass> {
  let k = kindMemo.get(cls);
  if (k === undefined) {
    k = kindForClass(cls);
    if (kindMemo.size >= 1000) kindMemo.clear();
    kindMemo.set(detached(cls), k);
  }
  return k;
}

/** A kind from `kindOf` with its reason: `{ ...k, reason }` without the generic object spread. */
export function withReason(k: { kind: CrashKind; confidence: Confidence }, reason: string): { kind: CrashKind; confidence: Confidence; reason: string } {
  return { kind: k.kind, confidence: k.confidence, reason };
}

/** `heap-use-after-free READ of size 4 in ticket_peek` (syzbot-style, no addresses). */
export function sanitizerTitle(cls: string, access: Access | null, frames: Frame[], withAccess = true): string {
  let t = cls;
  if (withAccess && access && (access.type === 'read' || access.type === 'write')) {
    t += ` ${access.type.toUpperCase()}`;
    if (access.size !== undefined) t += ` of size ${access.size}`;
  }
  const f = firstProgramFrame(frames);
  if (f?.function) t += ` in ${shortName(f.function)}`;
  return t;
}
