/**
 * Linux kernel crash reports: oopses, BUG/WARNING, KASAN/KCSAN/KMSAN/KFENCE/UBSAN, lockdep,
 * hung tasks, RCU stalls, lockups and panics, as printed on the console or by dmesg.
 * Takes: the cleaned document. Gives: one ParsedReport per report header (the classes are
 * rows of src/formats/kernel-classes.ts), with the crashing task (PID/Comm) and its stack
 * (the RIP/pc frame first, then Call Trace, `?` frames left out), KASAN's allocated/freed
 * stacks, KCSAN's other access, KMSAN origins, lockdep's dependency chain, the access, and
 * a syzbot-style title whose function is the guilty frame as syzkaller picks it: the first
 * frame that is neither reporting machinery nor a helper (the kernel rule pack's crash-handling
 * and library frames, GUILTY_SKIP and the class's own skips in kernel-classes.ts), or for
 * stalls, lockups and stack overflows the frame just inside the dispatch that ran (anchors).
 * That frame is the report's `crashFrameHint`, so analyze()'s crash frame is the same one.
 *
 * One pass over the lines; a line is first tested by its first character and `startsWith`
 * (headerAt) before any regex. dmesg timestamps (`[  12.345678]`), caller tags (`[ T123]`,
 * `[  C0]`), syslog levels (`<4>`), `dmesg -x` facilities and syslog `kernel:` prefixes are
 * stripped here too; when ingest already stripped a timestamp, the raw text says whether
 * the line had one (RawTimestamps, from what ingest recorded as it stripped it when it can),
 * so a fuzzer's lines inside a report are still skipped. The usual frame line of an open
 * stack is read in the input's bytes when ingest gives them (takeFrameBytes).
 */
import type { Access, Fact, Frame, ParsedReport, Role, Stack, StackRole } from '../model.js';
import { emptyReport } from '../model.js';
import type { Doc } from '../ingest/doc.js';
import { candidateLines, nextCandidate, rawIncludes, registerRawStrings, STAMP_NONE, STAMP_TAG, STAMP_TIME, stampTagText } from '../ingest/clean.js';
import type { FormatModule } from './format.js';
import { bornCompacted, KEEP_FULL, mayBuildCompacted } from './compacted.js';
import type { RulePack } from '../rules/pack.js';
import { isNullPageAddress, kindForClass } from '../diagnose/kind-table.js';
import { COMPOSITE_WARNINGS, END_MARKERS, GUILTY_KEEP, GUILTY_SKIP, HELPER_FILES, KASAN_KIND_CLASS, KERNEL_CLASSES, KERNEL_LOCAL_ROLES, type KernelClass } from './kernel-classes.js';
import kernelPackJson from '../rules/packs/kernel.json' with { type: 'json' };

const kernelPack = kernelPackJson as unknown as RulePack;

// ---------------------------------------------------------------------------------------
// Globs of the kernel pack (`*` any run, `?` one character), compiled once.

interface Glob { exact?: string; prefix?: string; suffix?: string; part?: string; pattern?: string }

function compileGlob(p: string): Glob {
  const star = p.indexOf('*');
  if (p.indexOf('?') < 0) {
    if (star < 0) return { exact: p };
    if (star === p.length - 1 && p.indexOf('*') === star) return { prefix: p.slice(0, -1) };
    if (star === 0 && p.indexOf('*', 1) < 0) return { suffix: p.slice(1) };
    // `*part*`
    if (star === 0 && p.length > 2 && p.indexOf('*', 1) === p.length - 1) return { part: p.slice(1, -1) };
  }
  return { pattern: p };
}

/** Iterative wildcard match (linear-time greedy with one backtrack point). */
function wildcard(p: string, s: string): boolean {
  let pi = 0, si = 0, starP = -1, starS = 0;
  while (si < s.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === s[si])) { pi++; si++; }
    else if (pi < p.length && p[pi] === '*') { starP = pi++; starS = si; }
    else if (starP >= 0) { pi = starP + 1; si = ++starS; }
    else return false;
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

function globMatch(g: Glob, s: string): boolean {
  if (g.exact !== undefined) return s === g.exact;
  if (g.prefix !== undefined) return s.startsWith(g.prefix);
  if (g.suffix !== undefined) return s.endsWith(g.suffix);
  if (g.part !== undefined) return s.includes(g.part);
  return wildcard(g.pattern!, s);
}

interface RoleTable { exact: Map<string, Role>; globs: Array<{ g: Glob; role: Role }> }

function roleTable(rules: Array<{ function?: string; role?: Role }>): RoleTable {
  const t: RoleTable = { exact: new Map(), globs: [] };
  for (const r of rules) {
    if (!r.function || !r.role) continue;
    const g = compileGlob(r.function);
    if (g.exact !== undefined) { if (!t.exact.has(g.exact)) t.exact.set(g.exact, r.role); }
    else t.globs.push({ g, role: r.role });
  }
  return t;
}

function lookup(t: RoleTable, fn: string): Role | null {
  const e = t.exact.get(fn);
  if (e) return e;
  for (const { g, role } of t.globs) if (globMatch(g, fn)) return role;
  return null;
}

const PACK = roleTable(kernelPack.frames);
const LOCAL = roleTable(Object.entries(KERNEL_LOCAL_ROLES).flatMap(([role, fns]) => fns.map((f) => ({ function: f, role: role as Role }))));

/** The role the kernel pack, else the parser's own table of generic kernel helpers, gives a (normalised) name. */
const ROLE_CACHE = new Map<string, Role | null>();
export function kernelPackRole(fn: string): Role | null {
  let r = ROLE_CACHE.get(fn);
  if (r !== undefined) return r;
  r = lookup(PACK, fn) ?? lookup(LOCAL, fn);
  if (ROLE_CACHE.size > 50_000) ROLE_CACHE.clear();
  ROLE_CACHE.set(fn, r);
  return r;
}

/** A per-class value (compiled globs) built once, on first use, from the class's table row. */
function perClass<T>(build: (c: KernelClass) => T): (c: KernelClass) => T {
  const cache = new Map<KernelClass, T>();
  return (c) => {
    let v = cache.get(c);
    if (v === undefined) cache.set(c, (v = build(c)));
    return v;
  };
}

const classSkip = perClass((c) => (c.skip ?? []).map(compileGlob));

// ---------------------------------------------------------------------------------------
// Line prefixes.

export interface Stripped { text: string; tag: string | null; ts: boolean }

function isDigit(c: number): boolean { return c >= 48 && c <= 57; }

function isBlank(c: number): boolean { return c === 32 || c === 9; }

/** Length of a `[  123.456789]` timestamp at `i`, or 0. */
function timestampAt(s: string, i: number): number {
  const len = s.length;
  if (i >= len || s.charCodeAt(i) !== 91 /* [ */) return 0;
  let j = i + 1;
  while (j < len && s.charCodeAt(j) === 32) j++;
  const d0 = j;
  while (j < len && isDigit(s.charCodeAt(j))) j++;
  if (j === d0 || j >= len || s.charCodeAt(j) !== 46 /* . */) return 0;
  j++;
  const d1 = j;
  while (j < len && isDigit(s.charCodeAt(j))) j++;
  if (j === d1 || j >= len || s.charCodeAt(j) !== 93 /* ] */) return 0;
  return j + 1 - i;
}

/** Length of a `[ T123]` / `[    C0]` caller tag at `i`, or 0; the tag is returned through `out`. */
function callerTagAt(s: string, i: number, out: { tag: string | null }): number {
  const len = s.length;
  if (i >= len || s.charCodeAt(i) !== 91) return 0;
  let j = i + 1;
  while (j < len && j - i < 12 && s.charCodeAt(j) === 32) j++;
  if (j >= len) return 0;
  const t = s.charCodeAt(j);
  if (t !== 84 /* T */ && t !== 67 /* C */) return 0;
  const k0 = ++j;
  while (j < len && isDigit(s.charCodeAt(j))) j++;
  if (j === k0 || j >= len || s.charCodeAt(j) !== 93) return 0;
  out.tag = s.slice(k0 - 1, j);
  return j + 1 - i;
}

/** Scratch results of `prefixLength` (one module-level object: no allocation per line). */
const PREFIX = { tag: null as string | null, ts: false };

/**
 * Length of the console, dmesg and syslog prefixes of `s` (the kernel's own text starts
 * there); the caller tag and whether a timestamp was seen are left in PREFIX.
 */
function prefixLength(s: string): number {
  let i = 0;
  PREFIX.tag = null;
  PREFIX.ts = false;
  const len = s.length;
  if (len === 0) return 0;
  const c0 = s.charCodeAt(0);
  if (c0 === 32 || c0 === 9) return 0; // an indented line (stack frames, register dumps) has no prefix
  // `<4>` console log level
  if (c0 === 60 /* < */ && s.length > 2) {
    const close = s.indexOf('>');
    if (close > 1 && close <= 3 && isDigit(s.charCodeAt(1))) i = close + 1;
  }
  let n = timestampAt(s, i);
  if (n === 0) {
    const i0 = i;
    // syslog / journal: `Jan  1 00:00:00 host kernel: [ 1.2] …` (within the first 80 characters)
    // `Jan 26 …` or `2026-…` (register lines such as `RAX: …` have a colon there)
    if ((c0 >= 65 && c0 <= 90 && len > 3 && s.charCodeAt(3) === 32) || (isDigit(c0) && len > 4 && (s.charCodeAt(4) === 45 || s.charCodeAt(4) === 47))) {
      const k = s.indexOf(' kernel: ');
      if (k >= 0 && k < 80) i = k + 9;
      // a fuzzer's own log stamp: `2018/01/09 14:28:48 BUG: memory leak`
      else if (s.length > 20 && s.charCodeAt(4) === 47 && s.charCodeAt(7) === 47 && s.charCodeAt(10) === 32 && s.charCodeAt(13) === 58 && s.charCodeAt(19) === 32 && isDigit(c0)) i = 20;
    }
    // dmesg -x: `kern  :warn  : `
    if (c0 === 107 /* k */ && (s.startsWith('kern ') || s.startsWith('kern:'))) {
      const c1 = s.indexOf(':', i);
      const c2 = c1 >= 0 ? s.indexOf(': ', c1 + 1) : -1;
      if (c2 > 0 && c2 < 20) i = c2 + 2;
    }
    // (from the same place the first look found none: no second look)
    if (i !== i0) n = timestampAt(s, i);
    if (n === 0 && c0 !== 32 && c0 !== 9) {
      // a timestamp after other console noise (`syzkaller login: [   16.3] INFO: …`; stack lines are indented)
      let p = s.indexOf('[', i);
      let tries = 0;
      while (p >= 0 && p < 160 && tries < 4) {
        const m = timestampAt(s, p);
        if (m > 0) { i = p; n = m; break; }
        p = s.indexOf('[', p + 1);
        tries++;
      }
    }
  }
  if (n > 0) {
    PREFIX.ts = true;
    i += n;
    i += callerTagAt(s, i, PREFIX);
    if (i < s.length && s.charCodeAt(i) === 32) i++;
  } else if (i < s.length && s.charCodeAt(i) === 91 /* [ */) {
    const t = callerTagAt(s, i, PREFIX);
    if (t > 0) { i += t; if (i < s.length && s.charCodeAt(i) === 32) i++; }
  }
  return i;
}

/** Strips console, dmesg and syslog prefixes; returns the kernel's own text and the caller tag. */
export function stripPrefix(line: string): Stripped {
  const i = prefixLength(line);
  return { text: i > 0 ? line.slice(i) : line, tag: PREFIX.tag, ts: PREFIX.ts };
}

// ---------------------------------------------------------------------------------------
// Frames.

export interface KFrame {
  fn: string | null;
  raw: string | null;
  module: string | null;
  file: string | null;
  line: number | null;
  inlined: boolean;
  unreliable: boolean;
  address: string | null;
  /** 32-bit ARM: the caller printed on the same line (`(f) from [<…>] (caller+0x…)`). */
  caller: string | null;
}

/**
 * A frame. Every KFrame is made here, so that all have one object shape: frames made by
 * several literals and spreads had five, and each read of a frame's field in `finish` was a
 * megamorphic lookup.
 */
function kframe(fn: string | null, module: string | null, file: string | null, line: number | null, inlined: boolean, unreliable: boolean, address: string | null, caller: string | null): KFrame {
  return { fn, raw: fn, module, file, line, inlined, unreliable, address, caller };
}

/** `f` with the file and line the report's header names. */
function withLocation(f: KFrame, file: string | null, line: number | null): KFrame {
  return kframe(f.fn, f.module, file, line, f.inlined, f.unreliable, f.address, f.caller);
}

const FILE_LINE_RE = /^([A-Za-z0-9_./+-]{1,300}\.(?:c|h|rs|S|s)):([0-9]{1,7})(?::[0-9]{1,5})?$/;
const NAME_RE = /^[A-Za-z_.$][A-Za-z0-9_.$]{0,250}$/;

/** Removes compiler clone suffixes (`.isra.0`, `.constprop.3`, `.part.1`, `.cold`, `.llvm.123`). */
export function normaliseKernelName(fn: string): string {
  const dot = fn.indexOf('.', 1);
  if (dot < 0 || fn.startsWith('<')) return fn;
  return fn.slice(0, dot);
}

/** End of the `+0x12/0x30` offset that starts at `at` in `s`, or -1. */
function offsetEnd(s: string, at: number): number {
  const len = s.length;
  let j = at + 3; // past `+0x`
  const h0 = j;
  while (j < len && j - h0 < 16 && isHex(s.charCodeAt(j))) j++;
  if (j === h0 || j + 2 >= len || s.charCodeAt(j) !== 47 /* / */ || s.charCodeAt(j + 1) !== 48 /* 0 */ || s.charCodeAt(j + 2) !== 120 /* x */) return -1;
  j += 3;
  const h1 = j;
  while (j < len && j - h1 < 16 && isHex(s.charCodeAt(j))) j++;
  return j === h1 ? -1 : j;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102);
}

/** `NAME_RE` by hand: a C identifier (dots and `$` allowed, as in clone suffixes), at most 251 characters. */
function isName(n: string): boolean {
  return isNameAt(n, 0, n.length);
}

/** `isName(s.slice(a, b))`, read in place. */
function isNameAt(s: string, a: number, b: number): boolean {
  if (b <= a || b - a > 251) return false;
  for (let k = a; k < b; k++) {
    const c = s.charCodeAt(k);
    const ok = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 46 || c === 36 || (k > a && c >= 48 && c <= 57);
    if (!ok) return false;
  }
  return true;
}

/** A frame's function name `s[a, b)`: an identifier (`isName`), or a Rust `<T as Trait>::method` path. */
function isFrameName(s: string, a: number, b: number): boolean {
  if (s.charCodeAt(a) === 60 /* < */) {
    const k = s.indexOf('>::', a);
    return k >= 0 && k + 3 <= b;
  }
  return isNameAt(s, a, b);
}

/** Whether `trim()` would change `s`: its ends are not printable ASCII (an already trimmed line costs two reads). */
function mayNeedTrim(s: string): boolean {
  const len = s.length;
  if (len === 0) return false;
  const a = s.charCodeAt(0), z = s.charCodeAt(len - 1);
  return !(a > 32 && a < 127 && z > 32 && z < 127);
}

/**
 * One string per distinct function or module name (a 20 MB log has 200k frames but a few
 * thousand names), kept in a fixed table of recent names: a frame costs no slice of its line
 * when its name was seen, every later Map lookup by name (roles, skips, anchors) finds the
 * hash cached and the key by identity, and the output holds one copy of each name. A name is
 * copied out of its line, so the table keeps no text alive.
 *
 * A name's slot comes from its length and five of its characters, not from a pass over all
 * of them: the compare with the slot's name is then the only pass over a name already seen.
 * Function names enter their table only once they are known to be names, so a name found
 * there needs no other test; modules have their own table, as any bracketed text is one.
 */
const NAME_SLOTS = 1 << 14;
const NAMES: string[] = new Array<string>(NAME_SLOTS).fill('');
const MODULES: string[] = new Array<string>(NAME_SLOTS).fill('');
/**
 * Each table's names as bytes, slot for slot (an empty array where the name is not ASCII):
 * `internedBytes` compares a name read in the input's bytes with them (see `takeFrameBytes`).
 */
const NO_BYTES = new Uint8Array(0);
const NAME_BYTES: Uint8Array[] = new Array<Uint8Array>(NAME_SLOTS).fill(NO_BYTES);
const MODULE_BYTES: Uint8Array[] = new Array<Uint8Array>(NAME_SLOTS).fill(NO_BYTES);

/** The slot of `s[a, b)` (b > a) in a name table. */
function slotOf(s: string, a: number, b: number): number {
  const n = b - a;
  let h = Math.imul(n, 0x9e3779b1) ^ s.charCodeAt(a);
  h = Math.imul(h, 31) ^ s.charCodeAt(a + (n >> 2));
  h = Math.imul(h, 31) ^ s.charCodeAt(a + (n >> 1));
  h = Math.imul(h, 31) ^ s.charCodeAt(b - 1 - (n >> 2));
  h = Math.imul(h, 31) ^ s.charCodeAt(b - 1);
  return (h ^ (h >>> 15)) & (NAME_SLOTS - 1);
}

/**
 * The table's string equal to `s[a, b)`, or null when its slot holds another. Compared by one
 * `indexOf` (a search that finds `v` where it starts, or goes past it): reading both strings a
 * character at a time looks up each string's representation on every `charCodeAt`, and `===`
 * on a slice of a line is a call into the runtime.
 */
function interned(table: string[], s: string, a: number, b: number): string | null {
  const v = table[slotOf(s, a, b)];
  return v.length === b - a && s.indexOf(v, a) === a ? v : null;
}

/** Puts a copy of `s[a, b)` in its slot of the table (a copy whose parent is the copy, not the line). */
function intern(table: string[], bytes: Uint8Array[], s: string, a: number, b: number): string {
  const x = (s.slice(a, b) + ' ').slice(0, -1);
  const slot = slotOf(s, a, b);
  table[slot] = x;
  bytes[slot] = asciiBytes(x);
  return x;
}

/** The chars of `x` as bytes, or an empty array when one is not ASCII. */
function asciiBytes(x: string): Uint8Array {
  const out = new Uint8Array(x.length);
  for (let k = 0; k < x.length; k++) {
    const c = x.charCodeAt(k);
    if (c > 127) return NO_BYTES;
    out[k] = c;
  }
  return out;
}

/** `slotOf` of the ASCII name `bytes[a, b)` (b > a): the same slot as the same name in a string. */
function slotOfBytes(bytes: Uint8Array, a: number, b: number): number {
  const n = b - a;
  let h = Math.imul(n, 0x9e3779b1) ^ bytes[a];
  h = Math.imul(h, 31) ^ bytes[a + (n >> 2)];
  h = Math.imul(h, 31) ^ bytes[a + (n >> 1)];
  h = Math.imul(h, 31) ^ bytes[b - 1 - (n >> 2)];
  h = Math.imul(h, 31) ^ bytes[b - 1];
  return (h ^ (h >>> 15)) & (NAME_SLOTS - 1);
}

/** `interned` for the ASCII name `bytes[a, b)`: the table's string when its slot holds that name, else null. */
function internedBytes(table: string[], tableBytes: Uint8Array[], bytes: Uint8Array, a: number, b: number): string | null {
  const slot = slotOfBytes(bytes, a, b);
  const v = tableBytes[slot];
  if (v.length !== b - a) return null;
  for (let k = 0; k < v.length; k++) if (v[k] !== bytes[a + k]) return null;
  return table[slot];
}

/** The shared string of the function name `s[a, b)`, or null when it is not a name. */
function frameName(s: string, a: number, b: number): string | null {
  return interned(NAMES, s, a, b) ?? (isFrameName(s, a, b) ? intern(NAMES, NAME_BYTES, s, a, b) : null);
}

/** The shared string of the module name `s[a, b)`. */
function moduleName(s: string, a: number, b: number): string {
  return interned(MODULES, s, a, b) ?? intern(MODULES, MODULE_BYTES, s, a, b);
}

/** Parses one stack line (`? func+0x12/0x30 [mod]`, `[<ffff…>] func+…`, `func file.c:12 [inline]`). */
export function parseFrameLine(text: string): KFrame | null {
  const s = mayNeedTrim(text) ? text.trim() : text;
  return frameAt(s, 0, s.indexOf('+0x'));
}

/**
 * The frame of a trimmed stack line that starts at `i` of `s` (the line is read in place, not
 * sliced: `s[i]` and the last character are not blanks); `plus` is `s.indexOf('+0x', i)`.
 */
function frameAt(s: string, i: number, plus: number): KFrame | null {
  const len = s.length - i;
  if (len === 0 || len > 600) return null;
  if (s.charCodeAt(i) !== 91 /* [ */) return namedFrame(s, i, plus, null, false);
  const r = stripAddresses(i === 0 ? s : s.slice(i));
  if (r === null) return null;
  if (r.address !== null && r.s.charCodeAt(0) === 40 /* ( */) return armFrame(r.s, r.address);
  return namedFrame(r.s, 0, r.s.indexOf('+0x'), r.address, r.unreliable);
}

/**
 * The frame from `from` to the end of `s`, read in place: `? ` marker, name, `+0x…/0x…` offset
 * (`plus`: where it starts, -1 none), then tokens. `address` and `unreliableTail` come from
 * the leading addresses.
 */
function namedFrame(s: string, from: number, plus: number, address: string | null, unreliableTail: boolean): KFrame | null {
  const len = s.length;
  let i = from;
  let unreliable = unreliableTail;
  if (len - i > 1 && s.charCodeAt(i) === 63 /* ? */ && s.charCodeAt(i + 1) === 32) { unreliable = true; i += 2; }
  if (len - i > 1 && s.charCodeAt(i) === 48 /* 0 */ && s.charCodeAt(i + 1) === 120 /* x */ && len - i < 40 && s.indexOf(' ', i) < 0 && s.indexOf('+', i) < 0) {
    return kframe(null, null, null, null, false, unreliable, s.slice(i), null);
  }
  let nameEnd: number;
  let restAt: number;
  if (plus > i) {
    nameEnd = plus;
    restAt = offsetEnd(s, plus);
    if (restAt < 0) return null;
  } else {
    const sp = s.indexOf(' ', i);
    if (sp <= i) return null;
    nameEnd = restAt = sp;
    // symbolized form without offset needs a file:line behind it
    let a = sp;
    while (a < len && isTrimSpace(s.charCodeAt(a))) a++;
    let b = s.indexOf(' ', a);
    if (b < 0) b = len;
    if (!isFileLine(s, a, b)) return null;
  }
  const name = frameName(s, i, nameEnd);
  if (name === null) return null;
  let module: string | null = null;
  let file: string | null = null;
  let line: number | null = null;
  let inlined = false;
  // the tokens after the name: ` [module]`, ` file.c:12`, ` [inline]`, arm64 ` (P)`
  for (let a = restAt; a < len;) {
    if (s.charCodeAt(a) === 32) { a++; continue; }
    let b = s.indexOf(' ', a);
    if (b < 0) b = len;
    const c = s.charCodeAt(a), z = s.charCodeAt(b - 1);
    if (b - a === 8 && s.startsWith('[inline]', a)) inlined = true;
    else if (c === 91 /* [ */ && z === 93 /* ] */ && b - a > 2) module = moduleName(s, a + 1, b - 1);
    else if (c === 40 /* ( */ && z === 41 /* ) */) { /* arm64 `(T)`, `(P)` */ }
    else {
      const m = FILE_LINE_RE.exec(s.slice(a, b));
      if (!m) return null; // unknown trailing text: not a frame line
      file = m[1]; line = Number(m[2]);
    }
    a = b;
  }
  return kframe(name, module, file, line, inlined, unreliable, address, null);
}

/** What `trimStart` skips, for the ASCII characters (others are never skipped here: a file name cannot start with them). */
function isTrimSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** `FILE_LINE_RE.test(s.slice(a, b))`. */
function isFileLine(s: string, a: number, b: number): boolean {
  // the name part needs a `.` extension and the line a `:`; most non-frame text fails here without a slice
  const colon = s.indexOf(':', a);
  if (colon < 0 || colon >= b) return false;
  return FILE_LINE_RE.test(s.slice(a, b));
}

/**
 * A line's leading addresses: powerpc's `[sp] [pc] ` (and its ` (unreliable)` tail), or
 * `[<ffff…>] ` (twice on i386). Null when the brackets are not addresses.
 */
function stripAddresses(s: string): { s: string; address: string | null; unreliable: boolean } | null {
  let address: string | null = null;
  let unreliable = false;
  if (s.charCodeAt(1) !== 60 /* < */) {
    // powerpc: `[c000000049a87710] [c0000000000286fc] __switch_to+0x43c/0x6d0` (stack pointer, then pc)
    for (let k = 0; k < 2 && s.charCodeAt(0) === 91; k++) {
      const e = s.indexOf(']');
      if (e < 3 || e > 19 || !/^[0-9a-f]+$/.test(s.slice(1, e))) return null;
      address = '0x' + s.slice(1, e);
      s = s.slice(e + 1).trimStart();
    }
    if (s.endsWith(' (unreliable)')) { unreliable = true; s = s.slice(0, -13); }
  }
  if (s.startsWith('[<')) {
    const e = s.indexOf('>]');
    if (e < 3 || e > 20) return null;
    address = '0x' + s.slice(2, e);
    s = s.slice(e + 2).trimStart();
    if (s.startsWith('[<')) { // i386/old: `[<c0>] [<c0>] func`
      const e2 = s.indexOf('>]');
      if (e2 > 0 && e2 < 20) s = s.slice(e2 + 2).trimStart();
    }
  }
  return { s, address, unreliable };
}

/** 32-bit ARM: `[<8367729c>] (dump_backtrace) from [<83677618>] (show_stack+0x28/0x2c)`. */
function armFrame(s: string, address: string): KFrame | null {
  const close = s.indexOf(')');
  const name = close > 1 ? s.slice(1, close) : '';
  if (!NAME_RE.test(name) || !s.startsWith(' from ', close + 1)) return null;
  // the caller `from [<…>] (caller+0x9c/0x100)`: the next line's function, except on the last line
  const open2 = s.indexOf('(', close + 1);
  const plus2 = open2 > 0 ? s.indexOf('+', open2) : -1;
  const caller = plus2 > open2 + 1 ? s.slice(open2 + 1, plus2) : '';
  return kframe(name, null, null, null, false, false, address, caller && isName(caller) ? caller : null);
}

/** `RIP: 0010:func+0x2a/0x90 [mod]`, `RIP: 0010:[<…>]  [<…>] func+…`, arm64 `pc : func+…`, `EIP is at func+…`. */
function parseRipLine(t: string): KFrame | null | 'user' {
  let s: string;
  if (t.startsWith('RIP: ') || t.startsWith('EIP: ')) {
    s = t.slice(5).trimStart();
    const colon = s.indexOf(':');
    if (colon === 4 && /^[0-9a-f]{4}$/.test(s.slice(0, 4))) {
      if (s.startsWith('0033') || s.startsWith('0023') || s.startsWith('002b')) return 'user';
      s = s.slice(5);
    }
  } else if (t.startsWith('pc : ')) {
    s = t.slice(5);
  } else if (t.startsWith('EIP is at ') || t.startsWith('RIP is at ')) {
    s = t.slice(10);
  } else if (t.startsWith('PC is at ')) {
    s = t.slice(9);
  } else return null;
  const f = parseFrameLine(s);
  if (!f || !f.fn) return s.startsWith('0x') ? 'user' : null;
  return f;
}

function isRegisterLine(t: string): boolean {
  const len = t.length;
  if (len === 0) return false;
  const c0 = t.charCodeAt(0);
  if ((c0 === 67 /* C */ || c0 === 99 /* c */) && t.startsWith('ode: ', 1)) return true; // `Code: `, `code: `
  if (c0 === 114 /* r */ && /^r[0-9]{1,2}:[0-9a-f]{8} /.test(t)) return true; // 32-bit ARM `r9:ffffffff r8:…`
  if (len < 4) return false;
  // `RAX: …`, `R10: …`, `RSP: 0018:…`, `FS:  …`, `CS:  0010 …`, `CR2: …`, `DR0: …`, arm64 `x29: …`, `sp : …`, `lr : …`:
  // the first colon at 2 to 4 (found without scanning the rest of the line)
  let c = -1;
  for (let k = 0; k <= 4 && k < len; k++) if (t.charCodeAt(k) === 58 /* : */) { c = k; break; }
  if (c < 2) return (c0 === 112 /* p */ && t.startsWith('pstate: ')) || (c0 === 69 /* E */ && t.startsWith('EFLAGS: '));
  const head = t.slice(0, c).trimEnd();
  return /^(?:[RE]?[A-Z]{1,3}[0-9]{0,2}|x[0-9]{1,2}|sp|lr|pc|ORIG_RAX|pstate)$/.test(head);
}

const MARKERS = new Set(['<IRQ>', '</IRQ>', '<TASK>', '</TASK>', '<NMI>', '</NMI>', '<EOI>', '<SOFTIRQ>', '</SOFTIRQ>', '<EOE>']);

// ---------------------------------------------------------------------------------------
// Report assembly.

type Section = 'none' | 'trace' | 'stack' | 'ignore';

interface Draft {
  cls: KernelClass;
  groups: HeaderGroups;
  header: string;
  tag: string | null;
  start: number;
  end: number;
  ended: boolean;
  rip: KFrame | null;
  trace: KFrame[];
  traceSeen: boolean;
  traceDone: boolean;
  irqEnd: number;
  openMarkers: number;
  extra: Array<{ role: StackRole; title: string; thread?: string; frames: KFrame[] }>;
  cur: KFrame[] | null;
  section: Section;
  accessLine: string | null;
  access: Access | null;
  pid: string | null;
  comm: string | null;
  lockFn: string | null;
  /** lockdep: the function that took the lock already held. */
  holdFn: string | null;
  expectHold: boolean;
  expectLock: boolean;
  kcsanAccesses: number;
  facts: Fact[];
  panicked: string | null;
  nullRange: boolean;
  skipTrace: boolean;
  /** The stack section a foreign line interrupted, restored when nothing else claims the line. */
  held: { section: Section; cur: KFrame[] | null; done: boolean } | null;
  junk: number;
  /** The header carried a dmesg timestamp: lines without one are other programs' output. */
  ts: boolean;
  /** Extra skips of the checking helper (HELPER_FILES) that raised the report. */
  helperSkip: Glob[] | null;
}

/**
 * The class rows with every field of KernelClass present, in one order: one hidden class
 * for all rows, so the per-line reads of `d.cls.…` and the header loop stay monomorphic.
 */
const CLASS_FIELDS: Record<keyof KernelClass, undefined> = {
  id: undefined, needle: undefined, start: undefined, re: undefined, kindClass: undefined, kind: undefined, title: undefined,
  guilty: undefined, skip: undefined, afterIrq: undefined, anchors: undefined, pins: undefined, pinDepth: undefined,
  irqEntry: undefined, guiltyStack: undefined, heldLock: undefined, notInReport: undefined, continues: undefined,
};
const CLASSES: KernelClass[] = KERNEL_CLASSES.map((c) => ({ ...CLASS_FIELDS, ...c }) as KernelClass);

/**
 * The characters a header of class `c` can start with — its `start` needle's first, or the
 * first characters its anchored regex allows (`^(?:Oops: )?divide` → O, d) — or null when
 * it can start with anything (a needle found anywhere, a regex this reading does not follow).
 */
function leadChars(c: KernelClass): number[] | null {
  if (c.start) return [c.needle.charCodeAt(0)];
  if (!c.re || c.re.flags.includes('i') || c.re.flags.includes('m')) return null;
  return regexLeads(c.re.source);
}

/** A regex's possible first characters: `^`, then optional `(?:a|b)?` groups, then a literal or a group. */
function regexLeads(src: string): number[] | null {
  if (src[0] !== '^') return null;
  const out: number[] = [];
  let i = 1;
  for (;;) {
    const ch = src[i];
    if (ch === undefined) return null;
    if (ch !== '(') {
      const lead = literalAt(src, i);
      if (lead < 0 || '?*{'.includes(src[i + (ch === '\\' ? 2 : 1)] ?? '?')) return null;
      out.push(lead);
      return out;
    }
    // `(?:…)` or `(?<name>…)` without nested groups: each alternative's first literal
    let body = i + 1;
    if (src.startsWith('?:', body)) body += 2;
    else if (src.startsWith('?<', body) && src[body + 2] !== '=' && src[body + 2] !== '!') body = src.indexOf('>', body) + 1;
    else return null;
    const close = src.indexOf(')', body);
    if (body <= 0 || close < 0 || src.slice(body, close).includes('(')) return null;
    for (let a = body; a <= close;) {
      const lead = literalAt(src, a);
      if (lead < 0) return null;
      out.push(lead);
      let bar = src.indexOf('|', a);
      if (bar < 0 || bar > close) bar = close;
      a = bar + 1;
    }
    const q = src[close + 1];
    if (q === '*' || q === '{') return null;
    if (q !== '?') return out; // the group is there: its alternatives are the only starts
    i = close + 2;
  }
}

/** The character a regex source reads literally at `i` (an escaped punctuation mark too), or -1. */
function literalAt(src: string, i: number): number {
  const ch = src[i];
  if (ch === '\\') return /^[[\]().*+?{}|^$\\\/-]$/.test(src[i + 1] ?? '') ? src.charCodeAt(i + 1) : -1;
  return ch !== undefined && /^[A-Za-z0-9:_ =!#%&',<>@~"-]$/.test(ch) ? src.charCodeAt(i) : -1;
}

/**
 * The classes a header could belong to, by its first character (0–127; 128 for any other),
 * in table order: headerClass tries only these instead of every row.
 */
const CLASSES_BY_LEAD: KernelClass[][] = [];
for (let ch = 0; ch <= 128; ch++) {
  CLASSES_BY_LEAD.push(CLASSES.filter((c) => {
    const leads = leadChars(c);
    return leads === null || leads.some((l) => l === ch || (ch === 128 && l >= 128));
  }));
}

/**
 * The named groups of a header's `re` that the parser reads (kernel-classes.ts), in one
 * object shape for every class: each regex's own groups object has a shape of its own, and
 * reading them in `finish` made every `d.groups.…` a megamorphic lookup.
 */
interface HeaderGroups {
  cls: string | undefined; hfunc: string | undefined; hfunc2: string | undefined; file: string | undefined; line: string | undefined;
  addr: string | undefined; msg: string | undefined; op: string | undefined; pid: string | undefined; comm: string | undefined; task: string | undefined;
}

function headerGroups(g: Record<string, string | undefined>): HeaderGroups {
  return {
    cls: g.cls, hfunc: g.hfunc, hfunc2: g.hfunc2, file: g.file, line: g.line,
    addr: g.addr, msg: g.msg, op: g.op, pid: g.pid, comm: g.comm, task: g.task,
  };
}

/** The named groups of a class without `re` (shared, never written). */
const NO_GROUPS: HeaderGroups = Object.freeze(headerGroups({}));

function headerClass(t: string): { cls: KernelClass; groups: HeaderGroups } | null {
  const c0 = t.charCodeAt(0);
  const rows = CLASSES_BY_LEAD[c0 < 128 ? c0 : 128];
  for (let k = 0; k < rows.length; k++) {
    const c = rows[k];
    if (c.start ? !t.startsWith(c.needle) : t.indexOf(c.needle) < 0) continue;
    if (c.re) {
      const m = c.re.exec(t);
      if (!m) continue;
      return { cls: c, groups: m.groups ? headerGroups(m.groups) : NO_GROUPS };
    }
    return { cls: c, groups: NO_GROUPS };
  }
  return null;
}

/**
 * Cheap test: could the kernel text starting at `i` of `t` be a report header? Every class's
 * header starts with one of a few words (see kernel-classes.ts), told apart by the first
 * character: one switch and a `startsWith` or two per line, before any regex.
 */
function headerAt(t: string, i: number): boolean {
  const len = t.length;
  while (i < len && (t.charCodeAt(i) === 32 || t.charCodeAt(i) === 9)) i++;
  if (i + 4 > len) return false;
  switch (t.charCodeAt(i)) {
    case 66 /* B */: return word(t, i, 'BUG');
    case 87 /* W */: return word(t, i, 'WARNING') || word(t, i, 'Watchdog detected');
    case 73 /* I */: return word(t, i, 'INFO') || word(t, i, 'Internal error');
    case 91 /* [ */: return t.charCodeAt(i + 1) === 32 && (t.startsWith('INFO', i + 2) || t.startsWith('BUG', i + 2) || t.startsWith('WARNING', i + 2));
    case 117 /* u */: return word(t, i, 'unregister_netdevice');
    case 86 /* V */: return word(t, i, 'VFS: ');
    case 85 /* U */: return word(t, i, 'Unable to handle') || word(t, i, 'UBSAN: ') || word(t, i, 'Unhandled fault');
    case 79 /* O */: return word(t, i, 'Oops');
    case 115 /* s */: return word(t, i, 'stack segment') || word(t, i, 'segment-related');
    case 103 /* g */: return word(t, i, 'general protection');
    case 45 /* - */: return word(t, i, '------------[ cut here');
    case 107 /* k */: return word(t, i, 'kernel BUG');
    case 114 /* r */: return word(t, i, 'rcu: ');
    case 119 /* w */: return word(t, i, 'watchdog: ');
    case 78 /* N */: return word(t, i, 'NMI watchdog');
    case 100 /* d */: return word(t, i, 'divide');
    case 105 /* i */: return word(t, i, 'invalid opcode') || word(t, i, 'int3');
    case 80 /* P */: return word(t, i, 'PANIC: ');
    case 75 /* K */: return word(t, i, 'Kernel panic');
    default: return false;
  }
}

/**
 * `t.startsWith(w, i)`, its second and third characters compared first: most lines that
 * share a header's first character differ by the next ones, and a compare is cheaper than
 * the `startsWith` call. Needs `i + 3 <= t.length` (headerAt checks `i + 4`).
 */
function word(t: string, i: number, w: string): boolean {
  return t.charCodeAt(i + 1) === w.charCodeAt(1) && t.charCodeAt(i + 2) === w.charCodeAt(2) && t.startsWith(w, i);
}

function newDraft(cls: KernelClass, groups: HeaderGroups, header: string, tag: string | null, line: number): Draft {
  const d: Draft = {
    cls, groups, header, tag, start: line, end: line, ended: false, rip: null, trace: [],
    traceSeen: false, traceDone: false, irqEnd: -1, openMarkers: 0, extra: [], cur: null,
    section: 'none', accessLine: null, access: null, pid: null, comm: null, lockFn: null, holdFn: null, expectHold: false,
    expectLock: false, kcsanAccesses: 0, facts: [], panicked: null, nullRange: false, ts: false, skipTrace: false, held: null, junk: 0, helperSkip: null,
  };
  if (groups.pid && (cls.id === 'hung-task' || cls.id === 'task-cant-die')) {
    d.pid = groups.pid; d.comm = groups.comm ?? null;
  }
  if (groups.task && groups.task.lastIndexOf('/') > 0) {
    const slash = groups.task.lastIndexOf('/');
    d.comm = groups.task.slice(0, slash); d.pid = groups.task.slice(slash + 1);
  }
  if (groups.hfunc && (cls.id === 'kmsan' || cls.id === 'kfence')) {
    // KMSAN/KFENCE print the stack right under the header
    d.section = 'trace'; d.cur = d.trace; d.traceSeen = true;
  }
  if (cls.id === 'memory-leak') d.section = 'none';
  return d;
}

function startTrace(d: Draft): void {
  if (d.traceSeen) { d.section = 'ignore'; d.cur = null; return; }
  d.traceSeen = true;
  d.section = 'trace';
  d.cur = d.trace;
}

function startExtra(d: Draft, role: StackRole, title: string, thread?: string): void {
  const s = { role, title, thread, frames: [] as KFrame[] };
  d.extra.push(s);
  d.section = 'stack';
  d.cur = s.frames;
}

const KCSAN_ACCESS_RE = /^(?:race at unknown origin, with )?(?<type>read|write)(?: \([a-z]+\))*(?:-write)?(?: \([a-z]+\))* to 0x(?<addr>[0-9a-f]{1,16}) of (?<size>[0-9]{1,6}) bytes by (?:task (?<pid>[0-9]{1,9})|interrupt)/;
const KASAN_ACCESS_RE = /^(?<type>Read|Write) of size (?<size>[0-9]{1,9}) at addr (?<addr>[0-9a-fx]{1,18}) by task (?<task>[^ ]{1,64})/;
const CPU_LINE_RE = /^CPU: [0-9]{1,5} (?:UID: [0-9]{1,10} )?PID: (?<pid>[0-9]{1,10}) Comm: (?<comm>.{1,64}?) (?:Not tainted|Tainted)/;
const BY_TASK_RE = /^(?:Allocated|Freed) by task (?<pid>[0-9]{1,10})/;
const KFENCE_BY_RE = /^kfence-#[0-9]{1,6}: .{0,80}?(?<what>allocated|freed) by task (?<pid>[0-9]{1,10})/;

/** First characters of the END_MARKERS: other lines skip the marker loop. */
const END_FIRST = new Set(END_MARKERS.map((m) => m.charCodeAt(0)));

/** Feeds one stripped, trimmed line into the draft; returns false when the line is not part of it. */
function feed(d: Draft, t: string, n: number): boolean {
  d.held = null;
  const c0 = t.length > 0 ? t.charCodeAt(0) : 0;
  if (c0 === 60 /* < */ && t.length > 5 && !MARKERS.has(t)) {
    // old kernels print `<IRQ>  [<ffff…>] func+0x…` and `<EOI>  [<ffff…>] ? func+0x…` on one line
    const gt = t.indexOf('>');
    const mk = gt > 0 ? t.slice(0, gt + 1) : '';
    if (MARKERS.has(mk)) {
      feed(d, mk, n);
      const rest = stripPrefix(t.slice(gt + 1).trimStart()).text.trim();
      return rest.length > 0 ? feed(d, rest, n) : true;
    }
  }
  // sections of stacks
  if (d.section !== 'none' && feedStack(d, t, c0)) return true;
  if (t.length === 0) return true;
  return feedText(d, t, c0);
}

/**
 * A line inside a stack section (`trace`, `stack`, `ignore`): true when the section takes it
 * (a frame, a marker, a RIP or register line, the blank line closing it). Otherwise the
 * section is closed (held, to be restored if nothing else claims the line) and false.
 */
function feedStack(d: Draft, t: string, c0: number): boolean {
  if (t.length === 0) {
    if (d.section === 'trace' && d.trace.length > 0) d.traceDone = true;
    d.section = 'none'; d.cur = null;
    return true;
  }
  const fr = parseFrameLine(t);
  if (fr) {
    addFrame(d, fr);
    return true;
  }
  if (c0 === 60 /* < */ && MARKERS.has(t)) {
    if (d.section === 'trace') {
      if (t === '</IRQ>' || t === '<EOI>' || t === '</NMI>' || t === '</SOFTIRQ>') d.irqEnd = d.trace.length;
      if (t.startsWith('</')) d.openMarkers--; else if (t !== '<EOI>') d.openMarkers++;
    }
    return true;
  }
  const rip = mayBeRip(c0) ? parseRipLine(t) : null;
  if (rip !== null) {
    if (d.section === 'trace' && rip !== 'user') d.trace.push(rip);
    return true;
  }
  if (isRegisterLine(t)) return true;
  // fall through: the line may open something else; if nothing claims it, it is another
  // task's message printed into the middle of the trace, and the trace goes on (up to 6 such lines)
  if (d.junk < 6 && !t.startsWith('Modules linked in')) d.held = { section: d.section, cur: d.cur, done: d.traceDone };
  if (d.section === 'trace' && d.trace.length > 0) d.traceDone = true;
  d.section = 'none'; d.cur = null;
  return false;
}

/** A frame line joins the open stack (an `ignore` section has none) and ends a run of foreign lines in it. */
function addFrame(d: Draft, fr: KFrame): void {
  if (d.cur) d.cur.push(fr);
  d.junk = 0;
}

/**
 * The usual line of a dense log, an indented frame of the open stack section, taken as
 * `find` and `feed` would take it but read in place (no trimmed copy of the line, one search
 * for its offset). False when the line is anything else (a header, a marker, not a frame)
 * or is to be checked against the raw text: it then takes the general path.
 */
function takeFrameLine(d: Draft, raw: string, n: number, rawTs: boolean): boolean {
  const len = raw.length;
  let i = 1;
  while (i < len && isBlank(raw.charCodeAt(i))) i++;
  if (i === len) return false;
  const a = raw.charCodeAt(i), z = raw.charCodeAt(len - 1);
  // other blanks `trim` would take (\v, NBSP…), `<IRQ>` markers
  if (!(a > 32 && a < 127 && z > 32 && z < 127) || a === 60 /* < */) return false;
  const plus = raw.indexOf('+0x', i);
  // in a timestamped report, a line without an offset is checked against the raw text
  if (d.ts && (plus < 0 || !rawTs)) return false;
  if (headerAt(raw, i)) return false;
  const fr = frameAt(raw, i, plus);
  if (fr === null) return false;
  d.held = null;
  addFrame(d, fr);
  d.end = n;
  return true;
}

/**
 * The words `headerAt` looks for, by their first char (its switch's cases, `[` left out: no
 * frame name starts with one), as bytes: a frame line starting with one is no frame line
 * for `takeFrameLine`. Kept in step with `headerAt` (the kernel tests compare both ways).
 */
const HEADER_WORDS: Uint8Array[][] = Array.from({ length: 128 }, () => []);
for (const w of ['BUG', 'WARNING', 'Watchdog detected', 'INFO', 'Internal error', 'unregister_netdevice', 'VFS: ', 'Unable to handle', 'UBSAN: ',
  'Unhandled fault', 'Oops', 'stack segment', 'segment-related', 'general protection', '------------[ cut here', 'kernel BUG', 'rcu: ',
  'watchdog: ', 'NMI watchdog', 'divide', 'invalid opcode', 'int3', 'PANIC: ', 'Kernel panic']) {
  HEADER_WORDS[w.charCodeAt(0)].push(Uint8Array.from(w, (c) => c.charCodeAt(0)));
}

/** `headerAt` of the line whose first non-blank char is `bytes[i]` (an ASCII char) and which ends at `end`. */
function headerAtBytes(bytes: Uint8Array, i: number, end: number): boolean {
  if (i + 4 > end) return false;
  const words = HEADER_WORDS[bytes[i]];
  for (let k = 0; k < words.length; k++) {
    const w = words[k];
    if (i + w.length > end) continue;
    let j = 1;
    while (j < w.length && bytes[i + j] === w[j]) j++;
    if (j === w.length) return true;
  }
  return false;
}

/**
 * What each byte is to `takeFrameBytes`, one table read instead of a chain of compares:
 * NAME_FIRST a char a name starts with (`isNameAt`), NAME_CHAR one it goes on with (digits
 * too), HEX a char of `isHex`.
 */
const NAME_FIRST = 1;
const NAME_CHAR = 2;
const HEX = 4;
const BYTE_CLASS = new Uint8Array(256);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 46 || c === 36;
  const digit = c >= 48 && c <= 57;
  BYTE_CLASS[c] = (letter ? NAME_FIRST | NAME_CHAR : 0) | (digit ? NAME_CHAR : 0) | (digit || (c >= 97 && c <= 102) ? HEX : 0);
}

/**
 * `takeFrameLine` for the usual frame line, read in the input's bytes: `line` is line `n`,
 * whose chars are `bytes[base, base + line.length)` (one byte per char). Takes only the
 * shape `[?␠]name+0xHEX/0xHEX` with nothing after it or one ` [module]` (ASCII), and
 * gives false for anything else, which then goes the string way (`takeFrameLine`), as does
 * a line `headerAt` takes for a header. The string way reads each char with
 * a `charCodeAt` (~30 instructions on a line sliced from the text), searches for the `+0x`
 * and compares each name with its table's with an `indexOf` each (~400): here a byte costs
 * a few instructions, and a name found in its table one compare per byte.
 */
function takeFrameBytes(d: Draft, line: string, n: number, bytes: Uint8Array, base: number): boolean {
  const end = base + line.length;
  let p = base + 1;
  while (p < end && (bytes[p] === 32 || bytes[p] === 9)) p++;
  if (p === end || end - p > 600) return false;
  const z = bytes[end - 1];
  if (z <= 32 || z >= 127) return false;
  let i = p;
  let unreliable = false;
  if (bytes[i] === 63 /* ? */ && i + 1 < end && bytes[i + 1] === 32) { unreliable = true; i += 2; }
  else if (bytes[i] < 128 && headerAtBytes(bytes, i, end)) return false;
  // the name, then `+0x`: the line's first `+0x` (no name char is a `+`)
  const nameStart = i;
  if (i >= end || (BYTE_CLASS[bytes[i]] & NAME_FIRST) === 0) return false;
  i++;
  while (i < end && (BYTE_CLASS[bytes[i]] & NAME_CHAR) !== 0) i++;
  const nameEnd = i;
  if (nameEnd - nameStart > 251 || i + 3 > end || bytes[i] !== 43 || bytes[i + 1] !== 48 || bytes[i + 2] !== 120) return false;
  // `offsetEnd`: up to 16 hex digits, `/0x`, up to 16 hex digits
  i += 3;
  let h = i;
  while (i < end && i - h < 16 && (BYTE_CLASS[bytes[i]] & HEX) !== 0) i++;
  if (i === h || i + 2 >= end || bytes[i] !== 47 || bytes[i + 1] !== 48 || bytes[i + 2] !== 120) return false;
  i += 3;
  h = i;
  while (i < end && i - h < 16 && (BYTE_CLASS[bytes[i]] & HEX) !== 0) i++;
  if (i === h) return false;
  // nothing more, or one ` [module]` token and nothing after it (its start in `mod`)
  let mod = -1;
  if (i < end) {
    if (bytes[i] !== 32) return false;
    while (i < end && bytes[i] === 32) i++;
    mod = i;
    if (bytes[mod] !== 91 /* [ */) return false;
    while (i < end && bytes[i] !== 32) {
      if (bytes[i] >= 128) return false;
      i++;
    }
    if (i !== end || bytes[end - 1] !== 93 /* ] */ || end - mod <= 2 || (end - mod === 8 && line.startsWith('[inline]', mod - base))) return false;
  }
  // (the name was read as `isFrameName` reads one: frameName gives it; then the module, as namedFrame does)
  const name = internedBytes(NAMES, NAME_BYTES, bytes, nameStart, nameEnd) ?? frameName(line, nameStart - base, nameEnd - base);
  if (name === null) return false;
  const module = mod < 0 ? null : internedBytes(MODULES, MODULE_BYTES, bytes, mod + 1, end - 1) ?? moduleName(line, mod + 1 - base, end - 1 - base);
  d.held = null;
  addFrame(d, kframe(name, module, null, null, false, unreliable, null, null));
  d.end = n;
  return true;
}

/** `parseRipLine` can only match a line starting with R, E, p or P. */
function mayBeRip(c0: number): boolean {
  return c0 === 82 /* R */ || c0 === 69 /* E */ || c0 === 112 /* p */ || c0 === 80 /* P */;
}

/**
 * A non-blank line outside a stack section. Most tests look for a fixed opening: each is
 * gated by the first character `c0` (one compare) before any `startsWith`, so a line that
 * matches nothing costs a few compares instead of forty string tests.
 */
function feedText(d: Draft, t: string, c0: number): boolean {
  if ((c0 === 83 /* S */ || c0 === 114 /* r */ || c0 === 82 /* R */) &&
      (t.includes('grace-period kthread stack dump') || t.startsWith('Showing busy workqueues') || t.startsWith('Showing all locks held'))) {
    d.skipTrace = true; // a stack of another task, printed before (or after) the one that matters
    return true;
  }
  if (d.skipTrace && c0 === 67 /* C */ && (t.startsWith('Call Trace:') || t.startsWith('Call trace:'))) {
    d.skipTrace = false;
    d.section = 'ignore'; d.cur = null;
    return true;
  }
  if ((c0 === 67 /* C */ && (t.startsWith('Call Trace:') || t.startsWith('Call trace:') || t === 'Call Trace')) ||
      (t.charCodeAt(t.length - 1) === 58 /* : */ && t.endsWith('Call Trace:')) ||
      (c0 === 66 /* B */ && t.startsWith('Backtrace:')) || (c0 === 98 /* b */ && d.cls.id === 'memory-leak' && t.startsWith('backtrace'))) {
    startTrace(d);
    return true;
  }
  if (feedOpening(d, t, c0)) return true;
  if (d.cls.guilty === 'lock' && t.indexOf(' is ') > 0 && (t.includes('is trying to acquire') || t.includes('is trying to release lock') ||
      t.includes('is leaving the kernel with locks still held') || t.includes('is exiting with locks still held') || t.includes('still has locks held') || t.includes('is freeing memory'))) {
    d.expectLock = true;
    const at = t.indexOf(' at: ');
    if (at >= 0) { const f = parseFrameLine(t.slice(at + 5)); if (f?.fn && !d.lockFn) { d.lockFn = f.fn; d.expectLock = false; } }
    return true;
  }
  if (d.expectLock) {
    const at = t.indexOf('at: ');
    const f = parseFrameLine(at >= 0 ? t.slice(at + 4) : t);
    if (f?.fn) {
      if (!d.lockFn) d.lockFn = f.fn;
      d.expectLock = false;
      return true;
    }
    if (t.startsWith('but ')) d.expectLock = false;
  }
  if ((c0 === 98 /* b */ && t.startsWith('but task is already holding')) || (c0 === 97 /* a */ && t.startsWith('and this task is already holding'))) {
    d.expectHold = true;
    return true;
  }
  if (d.expectHold) {
    const at = t.indexOf('at: ');
    const f = at >= 0 ? parseFrameLine(t.slice(at + 4)) : null;
    if (f?.fn) { if (!d.holdFn) d.holdFn = f.fn; d.expectHold = false; return true; }
    if (t.length > 0 && at < 0 && !t.startsWith('(')) d.expectHold = false;
  }
  if ((!d.traceSeen || d.rip === null) && mayBeRip(c0)) {
    const rip = parseRipLine(t);
    if (rip !== null) {
      if (rip !== 'user' && !d.rip && !d.traceSeen) d.rip = rip;
      return true;
    }
  }
  if (d.cls.id === 'kmsan' || d.cls.id === 'kfence') {
    const f = parseFrameLine(t);
    if (f && !d.traceDone && d.trace.length === 0) { d.section = 'trace'; d.cur = d.trace; d.trace.push(f); return true; }
  }
  if (isRegisterLine(t)) return true;
  if (c0 === 75 /* K */ && t.startsWith('Kernel panic - not syncing')) {
    d.panicked = t.slice('Kernel panic - not syncing'.length).replace(/^: /, '');
    d.facts.push({ code: 'other', text: `The kernel panicked: ${d.panicked}`, value: 'panicked' });
    return true;
  }
  if (END_FIRST.has(c0)) for (const m of END_MARKERS) if (t.startsWith(m)) { d.ended = true; return true; }
  if (d.held) {
    d.section = d.held.section; d.cur = d.held.cur; d.traceDone = d.held.done;
    d.held = null;
    d.junk++;
  }
  return false;
}

/**
 * The lines known by their opening words (stack titles, access lines, CPU/PID, page fault
 * details): a switch on the first character, then the tests for that character in the order
 * they had in one chain (lines with different first characters cannot match the same test).
 * True when the line was taken.
 */
function feedOpening(d: Draft, t: string, c0: number): boolean {
  switch (c0) {
    case 65 /* A */:
      if (t.startsWith('Allocated by task')) return byTask(d, t, 'allocated');
      return false;
    case 70 /* F */:
      if (t.startsWith('Freed by task')) return byTask(d, t, 'freed');
      return false;
    case 107 /* k */:
      if (t.startsWith('kfence-#') && (t.includes('allocated by task') || t.includes('freed by task'))) {
        const m = KFENCE_BY_RE.exec(t);
        if (m) { startExtra(d, m.groups!.what === 'allocated' ? 'allocated' : 'freed', t, m.groups!.pid); return true; }
      }
      return false;
    case 85 /* U */:
      if (t.startsWith('Uninit was created at') || t.startsWith('Uninit was stored to memory at')) {
        startExtra(d, 'origin', t.replace(/:$/, ''));
        return true;
      }
      if (d.cls.id === 'kfence' && t.startsWith('Use-after-free')) return kfenceAccess(d, t);
      return false;
    case 76 /* L */:
      if (t.startsWith('Local variable ') && t.endsWith(' created at:')) {
        startExtra(d, 'origin', t.replace(/:$/, ''));
        return true;
      }
      if (t.startsWith('Last potentially related')) { d.section = 'ignore'; d.cur = null; return true; }
      return false;
    case 83 /* S */:
      if (t.startsWith('Second to last potentially related')) { d.section = 'ignore'; d.cur = null; return true; }
      return false;
    case 77 /* M */:
      if (t.startsWith('Memory state around')) { d.section = 'ignore'; d.cur = null; return true; }
      return false;
    case 45 /* - */:
      if (t.startsWith('-> #') && t.endsWith(':')) {
        startExtra(d, 'lock-chain', t.slice(3, -1));
        return true;
      }
      return false;
    case 112 /* p */:
      if (t.startsWith('page last allocated') || t.startsWith('page last free')) {
        // page_owner's record of a bad page: where it was allocated, where it was last freed
        startExtra(d, t.startsWith('page last free') ? 'freed' : 'allocated', t.slice(0, 80));
        return true;
      }
      return false;
    case 46 /* . */:
      if (t.startsWith('... which became') && t.endsWith(' at:')) {
        startExtra(d, 'lock-chain', t); // where the lock became irq-safe (or irq-unsafe)
        return true;
      }
      return false;
    case 35 /* # */:
      if (d.cls.heldLock && !d.lockFn && t.includes(' at: ')) {
        // `#0: (&pipe->mutex/1){+.+.}, at: [<ffffffff81844c6b>] pipe_lock+0x5b/0x70`: the first lock still held
        const f = parseFrameLine(t.slice(t.indexOf(' at: ') + 5));
        if (f?.fn) { d.lockFn = f.fn; return true; }
      }
      if (t.startsWith('#PF: ')) {
        const type = t.includes('write access') ? 'write' : t.includes('read access') ? 'read' : t.includes('instruction fetch') ? 'call' : null;
        if (type) d.access = { ...(d.access ?? {}), type };
        return true;
      }
      return false;
    case 114 /* r */: case 119 /* w */:
      if (d.cls.id === 'kcsan' && (t.startsWith('read') || t.startsWith('write') || t.startsWith('race at unknown origin'))) return kcsanAccess(d, t);
      return false;
    case 79 /* O */:
      if (d.cls.id === 'kfence' && t.startsWith('Out-of-bounds')) return kfenceAccess(d, t);
      return false;
    case 73 /* I */:
      if (d.cls.id === 'kfence' && t.startsWith('Invalid')) return kfenceAccess(d, t);
      return false;
    case 67 /* C */:
      if (d.cls.id === 'kfence' && t.startsWith('Corrupted')) return kfenceAccess(d, t);
      if (t.startsWith('CPU: ')) {
        if (d.pid && d.comm) return true; // the task is known: the line could not change it
        const m = CPU_LINE_RE.exec(t);
        if (m && (!d.pid || (d.pid === m.groups!.pid && !d.comm))) { d.pid = m.groups!.pid; d.comm = m.groups!.comm.trim(); }
        return true;
      }
      if (t.startsWith('CR2: ')) {
        const v = firstWord(t.slice(5).trim());
        if (/^[0-9a-f]{1,16}$/.test(v) && d.access?.address === undefined) {
          d.access = { type: d.access?.type ?? 'unknown', ...(d.access ?? {}), address: '0x' + v };
        }
        return true;
      }
      return false;
    case 82 /* R */: case 87 /* W */:
      if ((t.startsWith('Read at addr') || t.startsWith('Write at addr')) && !d.accessLine) {
        d.accessLine = t;
        d.access = { type: t.startsWith('Write') ? 'write' : 'read' };
        return true;
      }
      if ((t.startsWith('Read of size') || t.startsWith('Write of size')) && !d.accessLine) {
        d.accessLine = t;
        const m = KASAN_ACCESS_RE.exec(t);
        if (m) {
          d.access = { type: m.groups!.type === 'Write' ? 'write' : 'read', size: Number(m.groups!.size), address: withHex(m.groups!.addr) };
          const task = m.groups!.task;
          const slash = task.lastIndexOf('/');
          if (slash > 0 && !d.pid) { d.comm = task.slice(0, slash); d.pid = task.slice(slash + 1); }
        }
        return true;
      }
      return false;
    case 75 /* K */:
      if (t.startsWith('KASAN: null-ptr-deref in range')) {
        d.nullRange = true;
        // `in range [0x0000000000000018-0x000000000000001f]`: the access was at a small offset from NULL.
        const m = /\[(0x[0-9a-f]{1,16})-0x[0-9a-f]{1,16}\]/.exec(t);
        if (m && d.access?.address === undefined) d.access = { type: d.access?.type ?? 'unknown', ...(d.access ?? {}), address: '0x' + (m[1].slice(2).replace(/^0+(?=.)/, '')) };
        return true;
      }
      return false;
    case 108 /* l */:
      if (t.startsWith('last function: ')) { // workqueue leak: the work function that leaked
        const f = parseFrameLine(firstWord(t.slice(15)) + ' x.c:1');
        if (f?.fn && !d.lockFn) d.lockFn = f.fn;
        return true;
      }
      return false;
    default:
      return false;
  }
}

/** `Allocated by task 123:` / `Freed by task 123:` opens KASAN's allocation or free stack. */
function byTask(d: Draft, t: string, role: StackRole): boolean {
  const m = BY_TASK_RE.exec(t);
  startExtra(d, role, t.replace(/:$/, ''), m?.groups?.pid);
  return true;
}

/** KFENCE's `Out-of-bounds read at …` / `Use-after-free write at …`: the access type. */
function kfenceAccess(d: Draft, t: string): boolean {
  const lower = t.toLowerCase();
  if (!d.access) d.access = { type: lower.includes(' write ') ? 'write' : lower.includes(' read ') ? 'read' : 'unknown' };
  return true;
}

/** KCSAN's `read to 0x… of 8 bytes by task 12 on cpu 0:`: the first is the crashing access, the second the other one. */
function kcsanAccess(d: Draft, t: string): boolean {
  const m = KCSAN_ACCESS_RE.exec(t);
  if (!m) return false;
  d.kcsanAccesses++;
  if (d.kcsanAccesses === 1) {
    d.access = { type: m.groups!.type === 'write' ? 'write' : 'read', size: Number(m.groups!.size), address: '0x' + m.groups!.addr };
    if (m.groups!.pid) d.pid = m.groups!.pid;
    d.section = 'trace'; d.cur = d.trace; d.traceSeen = true;
  } else {
    startExtra(d, 'other-access', t.replace(/:$/, ''), m.groups!.pid);
  }
  return true;
}

/** `s.split(' ')[0]`, without the array (`split` is a call into the runtime). */
function firstWord(s: string): string {
  const sp = s.indexOf(' ');
  return sp < 0 ? s : s.slice(0, sp);
}

function withHex(a: string): string {
  return a.startsWith('0x') ? a : '0x' + a;
}

function toFrame(k: KFrame, index: number, hint: Role | undefined): Frame {
  if (!k.address && !k.file && !k.unreliable) {
    // the usual frame: one literal, its properties in the order the general path adds them
    // (one object instead of an object and a property store; the reports are retained)
    const h = hint ? hint : k.fn ? undefined : 'unknown';
    if (k.module) {
      return h ? { index, function: k.fn, rawFunction: k.raw, inlined: k.inlined, role: 'unknown', module: k.module, roleHint: h }
        : { index, function: k.fn, rawFunction: k.raw, inlined: k.inlined, role: 'unknown', module: k.module };
    }
    return h ? { index, function: k.fn, rawFunction: k.raw, inlined: k.inlined, role: 'unknown', roleHint: h }
      : { index, function: k.fn, rawFunction: k.raw, inlined: k.inlined, role: 'unknown' };
  }
  const f: Frame = { index, function: k.fn, rawFunction: k.raw, inlined: k.inlined, role: 'unknown' };
  if (k.address) f.address = k.address;
  if (k.module) f.module = k.module;
  if (k.file) { f.file = k.file; f.line = k.line; }
  if (k.unreliable) f.trust = 'unreliable';
  if (hint) f.roleHint = hint;
  else if (!k.fn) f.roleHint = 'unknown';
  return f;
}

/** Per class, per name: the role skippedBy gives (`null` none) and whether the guilty pick passes over it. */
const CLASS_MEMO = new Map<KernelClass, Map<string, { role: Role | null; skip: boolean }>>();
function classView(c: KernelClass, fn: string): { role: Role | null; skip: boolean } {
  let m = CLASS_MEMO.get(c);
  if (!m) CLASS_MEMO.set(c, (m = new Map()));
  let v = m.get(fn);
  if (v === undefined) {
    const n = normaliseKernelName(fn);
    const r = kernelPackRole(n);
    let role: Role | null = r && r !== 'app' && r !== 'unknown' ? r : null;
    const bySkip = classSkip(c).some((g) => globMatch(g, n));
    if (role === null && bySkip) role = 'library';
    const kept = r === 'library' && KEEP_GLOBS.some((g) => globMatch(g, n));
    const skip = r === 'crash-handling' || (r === 'library' && !kept) || bySkip || (!kept && inSkipTable(n));
    v = { role, skip };
    if (m.size > 20_000) m.clear();
    m.set(fn, v);
  }
  return v;
}

function skippedBy(d: Draft, fn: string): Role | null {
  return classView(d.cls, fn).role;
}

const SKIP_GLOBS = GUILTY_SKIP.flatMap((g) => g.globs).map(compileGlob);
const KEEP_GLOBS = GUILTY_KEEP.map(compileGlob);
const SKIP_CACHE = new Map<string, boolean>();
/** The generic guilty-frame skip table (kernel-classes.ts GUILTY_SKIP) matches the (normalised) name. */
function inSkipTable(n: string): boolean {
  let r = SKIP_CACHE.get(n);
  if (r === undefined) {
    r = SKIP_GLOBS.some((g) => globMatch(g, n));
    if (SKIP_CACHE.size > 50_000) SKIP_CACHE.clear();
    SKIP_CACHE.set(n, r);
  }
  return r;
}

/**
 * Whether the guilty-frame pick passes over `fn`: reporting machinery and helpers (the pack's
 * crash-handling and library frames, the skip table, the class's and the helper file's own
 * skips). Dispatch frames (plumbing) are not passed over: when a timer or softirq handler is
 * where the CPU stopped, it is the guilty frame.
 */
function skipsGuilty(d: Draft, fn: string): boolean {
  if (classView(d.cls, fn).skip) return true;
  if (d.helperSkip) {
    const n = normaliseKernelName(fn);
    for (const g of d.helperSkip) if (globMatch(g, n)) return true;
  }
  return false;
}

/** Index of the guilty frame in `frames` (syzkaller's pick), or -1. */
function guiltyIndex(d: Draft, frames: KFrame[], from: number): number {
  for (let i = Math.max(0, from); i < frames.length; i++) {
    const f = frames[i];
    // an inlined frame (no offset of its own) is part of the function that holds it, as syzkaller reads it
    if (!f.fn || f.unreliable || f.inlined) continue;
    if (!skipsGuilty(d, f.fn)) return i;
  }
  return -1;
}

/**
 * The frame just inside the first dispatch frame (`anchors`) after `from` (skipped frames
 * passed over), or -1; a wait for another CPU's IPI (`smp_call_function*`) is itself the answer.
 */
function anchoredIndex(d: Draft, frames: KFrame[], from: number): { index: number; name?: string } {
  const globs = anchorGlobs(d.cls);
  let prev = -1;
  for (let i = Math.max(0, from); i < frames.length; i++) {
    const f = frames[i];
    if (!f.fn || f.inlined) continue;
    if (skipsGuilty(d, f.fn)) continue;
    const n = normaliseKernelName(f.fn);
    if (isAnchor(d.cls, globs, n)) {
      if (n.includes('smp_call_function')) return { index: i, name: 'smp_call_function' };
      return { index: prev >= 0 ? prev : i };
    }
    prev = i;
  }
  return { index: -1 };
}

const ANCHOR_HITS = new Map<KernelClass, Map<string, boolean>>();
/** Whether `n` (or its bare syscall name) is one of the class's anchors; memoised per class. */
function isAnchor(c: KernelClass, globs: Glob[], n: string): boolean {
  let m = ANCHOR_HITS.get(c);
  if (!m) ANCHOR_HITS.set(c, (m = new Map()));
  let r = m.get(n);
  if (r === undefined) {
    const tn = bareSyscallName(n);
    r = globs.some((g) => globMatch(g, n) || (tn !== n && globMatch(g, tn)));
    if (m.size > 20_000) m.clear();
    m.set(n, r);
  }
  return r;
}

const ANCHORS = new Map<KernelClass, Glob[]>();
function anchorGlobs(c: KernelClass): Glob[] {
  let s = ANCHORS.get(c);
  if (!s) { s = (c.anchors ?? []).map(compileGlob); ANCHORS.set(c, s); }
  return s;
}

/** No app frame: like crashFrame, the first library frame, else the first plumbing frame. */
function fallbackIndex(d: Draft, frames: KFrame[]): number {
  for (const want of ['library', 'plumbing'] as Role[]) {
    for (let i = 0; i < frames.length; i++) {
      const f = frames[i];
      if (f.fn && !f.unreliable && skippedBy(d, f.fn) === want) return i;
    }
  }
  return -1;
}

/** Syscall wrappers → how syzbot titles name them: `__x64_sys_futex` → `sys_futex`, `SyS_rmdir`/`ksys_mount` → `rmdir`/`mount`. */
const SYSCALL_PREFIXES: Array<[string, string]> = [
  ['__x64_sys_', 'sys_'], ['__ia32_sys_', 'sys_'], ['__arm64_sys_', 'sys_'], ['__riscv_sys_', 'sys_'], ['__s390x_sys_', 'sys_'],
  ['__x64_compat_sys_', 'compat_sys_'], ['__ia32_compat_sys_', 'compat_sys_'], ['__x32_compat_sys_', 'compat_sys_'],
  ['__do_sys_', ''], ['__se_sys_', ''], ['SyS_', ''], ['ksys_', ''],
];

/** Syscall plumbing prefixes, stripped in any order: `__x64_sys_setsockopt`, `__sys_setsockopt` → `setsockopt`. */
const BARE_PREFIXES = ['__x64_', '__ia32_', '__arm64_', '__riscv_', '__s390x_', 'compat_SyS_', 'compat_SYSC_', 'SyS_', 'SYSC_', '____sys_', '___sys_', '__sys_', '__se_sys_', '__do_sys_', '__se_', 'ksys_', 'sys_'];
function bareSyscallName(n: string): string {
  for (let k = 0; k < 4; k++) {
    const p = BARE_PREFIXES.find((x) => n.startsWith(x) && n.length > x.length);
    if (!p) break;
    n = n.slice(p.length);
  }
  return n;
}

/** The function as a title names it: clone suffixes dropped, syscall wrappers named by their syscall. */
export function titleFunc(fn: string): string {
  const n = normaliseKernelName(fn);
  for (const [p, r] of SYSCALL_PREFIXES) if (n.startsWith(p) && n.length > p.length) return r + n.slice(p.length);
  return n;
}

function cleanTitle(t: string): string {
  // (the usual title has no tab and no double space: only the trim)
  let s = t.indexOf('\t') < 0 && t.indexOf('  ') < 0 ? t : t.replace(/\t/g, ' ').replace(/ {2,}/g, ' ');
  s = s.trim();
  if (s.length > 120) s = s.slice(0, 120);
  return s;
}

/**
 * `tpl.replace(/\{(class|Access|func|msg)\}/g, …)` by hand (one regex replace with a callback
 * per report was a visible share of `finish`): left to right, each value put in as it is.
 */
function fillTitle(tpl: string, cl: string, access: string, func: string | null, groups: HeaderGroups): string {
  let open = tpl.indexOf('{');
  if (open < 0) return tpl;
  let out = '';
  let from = 0;
  while (open >= 0) {
    let value: string | null = null;
    let len = 0;
    if (tpl.startsWith('func}', open + 1)) { value = func ?? ''; len = 6; }
    else if (tpl.startsWith('class}', open + 1)) { value = cl; len = 7; }
    else if (tpl.startsWith('Access}', open + 1)) { value = access; len = 8; }
    // (the message's exit code is cut only when there is a message to put in)
    else if (tpl.startsWith('msg}', open + 1)) { value = (groups.msg ?? '').replace(/ exitcode=0x[0-9a-f]{1,16}$/, ''); len = 5; }
    if (value !== null) {
      out += tpl.slice(from, open) + value;
      from = open + len;
      open = tpl.indexOf('{', from);
    } else open = tpl.indexOf('{', open + 1);
  }
  return from === 0 ? tpl : out + tpl.slice(from);
}
const KIND_CACHE = new Map<string, ReturnType<typeof kindForClass>>();
/** The compiled skips of a HELPER_FILES row (by its `skip` array), built once. */
const HELPER_SKIPS = new Map<string[], Glob[]>();
function helperSkipGlobs(skip: string[]): Glob[] {
  let g = HELPER_SKIPS.get(skip);
  if (g === undefined) HELPER_SKIPS.set(skip, (g = skip.map(compileGlob)));
  return g;
}
const pinGlobs = perClass((c): Array<{ g: Glob; name?: string }> => (c.pins ?? []).map((p) => ({ g: compileGlob(p.glob), name: p.name })));
const irqEntryGlobs = perClass((c) => (c.irqEntry ?? []).map(compileGlob));

/**
 * Per class, per function name: whether the (normalised) name is one of the class's IRQ
 * entries, and which of its pins it matches. Memoised: a stall report's frames are read
 * from the first one on for each report, and a dense log's reports repeat their frames
 * (a name, a clone-suffix search and a glob test per frame were ~3M instructions of a
 * 5 MB log's stalls).
 */
const IRQ_ENTRY_HITS = perClass(() => new Map<string, boolean>());
function isIrqEntry(c: KernelClass, fn: string): boolean {
  const m = IRQ_ENTRY_HITS(c);
  let r = m.get(fn);
  if (r === undefined) {
    const n = normaliseKernelName(fn);
    r = irqEntryGlobs(c).some((g) => globMatch(g, n));
    if (m.size > 20_000) m.clear();
    m.set(fn, r);
  }
  return r;
}
const PIN_HITS = perClass(() => new Map<string, { g: Glob; name?: string } | null>());
function pinOf(c: KernelClass, fn: string): { g: Glob; name?: string } | null {
  const m = PIN_HITS(c);
  let r = m.get(fn);
  if (r === undefined) {
    const n = normaliseKernelName(fn);
    r = pinGlobs(c).find((p) => globMatch(p.g, n)) ?? null;
    if (m.size > 20_000) m.clear();
    m.set(fn, r);
  }
  return r;
}

/** `s.split('+')[0]`: a `func+0x12/0x30` without its offset. */
function beforePlus(s: string): string {
  const k = s.indexOf('+');
  return k < 0 ? s : s.slice(0, k);
}

/** The role the parser knows for frame `i`: frames skipped only by the class become library, IRQ frames of a stall plumbing. */
function roleHint(d: Draft, f: KFrame, i: number, guilty: number, irqEnd: number): Role {
  if (!f.fn) return 'unknown';
  if (i === guilty) return 'app';
  const s = skippedBy(d, f.fn);
  if (s) return s;
  if (guilty >= 0 && i < guilty && d.cls.afterIrq && irqEnd >= 0 && i < irqEnd) return 'plumbing';
  return 'app';
}

/** The crashing stack: RIP/pc first, then the Call Trace, with the header's location as frame 0 when the stack lacks it. */
function crashingStack(d: Draft): { frames: KFrame[]; irqEnd: number } {
  const cls = d.cls;
  // 32-bit ARM names each frame's caller on its line: the outermost caller has no line of its own
  const last = d.trace.length > 0 ? d.trace[d.trace.length - 1] : null;
  if (last?.caller) d.trace.push(kframe(last.caller, null, null, null, false, false, null, null));
  // the crashing stack: RIP/pc first, then Call Trace (its first entry dropped when it repeats the RIP)
  let frames: KFrame[] = d.trace.filter((f) => !f.unreliable);
  let irqEnd = d.irqEnd;
  if (irqEnd >= 0) irqEnd = d.trace.slice(0, irqEnd).filter((f) => !f.unreliable).length;
  if (d.rip) {
    if (cls.afterIrq && irqEnd >= 0) {
      // a watchdog prints the interrupted task's registers: its RIP sits below the interrupt stack
      if (frames[irqEnd]?.fn !== d.rip.fn) frames = [...frames.slice(0, irqEnd), d.rip, ...frames.slice(irqEnd)];
    } else {
      if (frames.length > 0 && frames[0].fn === d.rip.fn) frames = frames.slice(1);
      frames = [d.rip, ...frames];
      if (irqEnd >= 0) irqEnd++;
    }
  }
  if (frames.length === 0 && d.trace.length > 0) frames = d.trace; // only `?` frames: keep them

  // the header names where the report fired (`WARNING … at fs/x.c:12 func+0x…`, `BUG: KASAN: … in func+0x…`):
  // that location is frame 0 when the stack lacks it, and gives frame 0 its file and line
  const hdr = d.groups.hfunc && cls.guilty !== 'header-pair' ? parseFrameLine(d.groups.hfunc) : null;
  if (hdr?.fn) {
    const file = d.groups.file ?? null;
    const line = d.groups.line ? Number(d.groups.line) : null;
    if (frames[0]?.fn === hdr.fn) {
      if (file && !frames[0].file) frames[0] = withLocation(frames[0], file, line);
    } else if (!frames.some((f) => f.fn === hdr.fn)) {
      frames = [withLocation(hdr, file ?? hdr.file, line ?? hdr.line), ...frames];
      if (irqEnd >= 0) irqEnd++;
    }
  } else if (cls.id === 'kernel-bug' && d.groups.file && frames[0] && d.rip && frames[0] === d.rip && !frames[0].file) {
    frames[0] = withLocation(frames[0], d.groups.file, Number(d.groups.line));
  }
  return { frames, irqEnd };
}

/** The guilty frame (syzkaller's pick) and the function the title names; a checking helper's title head. */
function pickGuilty(d: Draft, frames: KFrame[], irqEnd: number): { func: string | null; guilty: number; titleHead: string | null } {
  const cls = d.cls;
  let func: string | null = null;
  let guilty = -1;
  let titleHead: string | null = null;
  const file = d.groups.file ?? null;
  const hfn = d.groups.hfunc ? normaliseKernelName(beforePlus(d.groups.hfunc)) : null;
  const helper = file ? HELPER_FILES.find((h) => file.endsWith(h.file) && (!h.func || h.func === hfn)) : undefined;
  if (helper) titleHead = cls.id === 'kernel-bug' ? (helper.bug ?? null) : helper.warning;
  if (helper?.skip) d.helperSkip = helperSkipGlobs(helper.skip);
  if (cls.guilty === 'header' && d.groups.hfunc && !helper) {
    const hf = beforePlus(d.groups.hfunc);
    if (!skipsGuilty(d, hf)) {
      func = titleFunc(hf);
      guilty = frames.findIndex((f) => f.fn !== null && normaliseKernelName(f.fn) === func);
    }
  }
  if (cls.guilty === 'header' && hfn && COMPOSITE_WARNINGS.includes(hfn)) {
    const g = guiltyIndex(d, frames, 0);
    if (g >= 0) { guilty = g; func = `${titleFunc(frames[g].fn!)}/${hfn}`; }
  }
  if (cls.guilty === 'lock') {
    // an irq lock-order report is named where the lock became irq-safe; else the function
    // taking the new lock, the one holding the other lock, then the first dependency chain
    const chain = d.extra.find((x) => x.role === 'lock-chain');
    const fromChain = (st: KFrame[] | undefined): string | null => {
      const i = st ? guiltyIndex(d, st, 0) : -1;
      return i >= 0 ? st![i].fn : null;
    };
    const lf = cls.id === 'lockdep-irq-order'
      ? fromChain(d.extra.find((x) => x.title.startsWith('... which became'))?.frames)
      : [d.lockFn, d.holdFn].find((f) => f && !skipsGuilty(d, f)) ?? fromChain(chain?.frames);
    if (lf) {
      func = titleFunc(lf);
      guilty = frames.findIndex((f) => f.fn !== null && normaliseKernelName(f.fn) === normaliseKernelName(lf));
    }
  }
  if (cls.guilty === 'header-pair' && d.groups.hfunc) {
    const first = titleFunc(beforePlus(d.groups.hfunc));
    func = first;
    if (d.groups.hfunc2) func += ' / ' + titleFunc(beforePlus(d.groups.hfunc2));
    guilty = frames.findIndex((f) => f.fn !== null && normaliseKernelName(f.fn) === first);
  }
  if (d.groups.op) func = d.groups.op; // the header names the operation (`[unmount of …]`)
  if (cls.guiltyStack) {
    // a report named from one of its other stacks (a bad page by the code that allocated it)
    const st = d.extra.find((x) => x.title.startsWith(cls.guiltyStack!));
    const i = st ? guiltyIndex(d, st.frames, 0) : -1;
    if (i >= 0) {
      func = titleFunc(st!.frames[i].fn!);
      guilty = frames.findIndex((f) => f.fn !== null && normaliseKernelName(f.fn) === normaliseKernelName(st!.frames[i].fn!));
    }
  }
  if (func === null && cls.guilty !== 'none') {
    let from = cls.afterIrq && irqEnd >= 0 ? irqEnd : 0;
    if (cls.afterIrq && cls.irqEntry) {
      // the innermost timer interrupt is the one that detected the stall
      for (let i = 0; i < frames.length; i++) {
        const fn = frames[i].fn;
        if (fn && isIrqEntry(cls, fn)) { from = i + 1; break; }
      }
    }
    if (cls.pins) {
      // only the innermost `pinDepth` interrupted frames count (coverage callbacks skipped)
      let seen = 0;
      const depth = cls.pinDepth ?? 2;
      for (let i = Math.max(0, from); i < frames.length && seen < depth; i++) {
        const f = frames[i];
        if (!f.fn) continue;
        const pin = pinOf(cls, f.fn);
        if (pin) { func = pin.name ?? titleFunc(normaliseKernelName(f.fn)); guilty = i; break; }
        if (skippedBy(d, f.fn) !== 'crash-handling') seen++;
      }
    }
    if (func === null && cls.anchors) {
      const a = anchoredIndex(d, frames, from);
      guilty = a.index;
      if (a.name) func = a.name;
    }
    if (func === null) {
      if (guilty < 0) guilty = guiltyIndex(d, frames, from);
      if (guilty < 0 && from > 0) guilty = guiltyIndex(d, frames, 0);
      if (guilty < 0) guilty = fallbackIndex(d, frames);
      if (guilty >= 0) func = titleFunc(frames[guilty].fn!);
      else if (d.groups.hfunc && !skipsGuilty(d, beforePlus(d.groups.hfunc))) func = titleFunc(beforePlus(d.groups.hfunc));
    }
  }
  return { func, guilty, titleHead };
}

/** The report's title, kind, access and message. */
function describe(d: Draft, rep: ParsedReport, func: string | null, titleHead: string | null): void {
  const cls = d.cls;
  // title
  let cl = d.groups.cls ?? '';
  if (cls.id === 'kasan' || cls.id === 'kfence') {
    if (cl === 'double-free or invalid-free' || cl === 'double-free') cl = 'invalid-free';
  }
  let access = '';
  if (cls.id === 'kasan' && !cl.includes('free') || cl === 'use-after-free' || cl.endsWith('use-after-free')) {
    const a = d.accessLine;
    if (a) access = a.startsWith('Write') ? 'Write' : 'Read';
  }
  if (cls.id === 'ubsan') cl = cl.toLowerCase() === 'undefined behaviour' ? 'undefined-behaviour' : cl;
  let tpl = titleHead ? titleHead + ' in {func}' : cls.title;
  if (func === null) tpl = tpl.replace(/ in \{func\}$/, '');
  // One pass over the template's placeholders, each value put in as it is: a `$&` or a
  // `{func}` inside a message or a name is text, not a pattern or another placeholder.
  let title = fillTitle(tpl, cl, access, func, d.groups);
  title = cleanTitle(title);
  rep.title = title;

  // kind
  let kindText = cls.kindClass.replace('{class}', () => cl);
  if (cls.id === 'kasan' || cls.id === 'kfence') kindText = KASAN_KIND_CLASS[cl] ?? KASAN_KIND_CLASS[firstWord(cl)] ?? kindText;
  let k = KIND_CACHE.get(kindText);
  if (k === undefined) { k = kindForClass(kindText); if (KIND_CACHE.size < 1000) KIND_CACHE.set(kindText, k); }
  rep.kind = k ? { kind: k.kind, confidence: k.confidence, reason: `kernel report "${d.header.slice(0, 120)}"` }
    : { kind: cls.kind, confidence: 'high', reason: `kernel report "${d.header.slice(0, 120)}"` };
  const addr = d.groups.addr ?? d.access?.address;
  if ((cls.id === 'gpf' && d.nullRange) ||
      ((cls.id === 'page-fault' || cls.id === 'paging-request' || cls.id === 'arm-paging-request') && addr && isNullPageAddress(addr))) {
    rep.kind = { kind: 'null-deref', confidence: 'high', reason: d.nullRange ? 'KASAN: null-ptr-deref in range' : `fault address ${addr} is in the NULL page` };
  }

  // access
  if (d.access) rep.access = d.access;
  else if (d.groups.addr) rep.access = { type: 'unknown', address: withHex(d.groups.addr) };
  if (rep.access && d.groups.addr && !rep.access.address) rep.access = { ...rep.access, address: withHex(d.groups.addr) };

  rep.message = d.header;
}

/** The report's crashing thread and its other stacks, as output frames. */
function outputStacks(d: Draft, rep: ParsedReport, frames: KFrame[], guilty: number, irqEnd: number): void {
  // roles the parser knows: frames skipped only by the class become library, IRQ frames of a stall plumbing
  const out = frames.map((f, i) => toFrame(f, i, roleHint(d, f, i, guilty, irqEnd)));
  const tid = d.pid ?? 'kernel';
  rep.threads = [{ id: tid, name: d.comm, crashed: true, state: d.cls.kind === 'hang' ? 'blocked' : null, frames: out }];
  rep.crashingThreadId = tid;
  rep.stacks = d.extra.filter((s) => s.frames.length > 0).map((s): Stack => {
    const frs = s.frames.filter((f) => !f.unreliable);
    const st: Stack = { role: s.role, title: s.title, frames: frs.map((f, i) => toFrame(f, i, f.fn ? undefined : 'unknown')) };
    if (s.thread) st.thread = s.thread;
    return st;
  });
}

/**
 * A report built compacted (formats/compacted.ts): its crashing thread's id, and what its
 * output frames would count and name first (outputStacks' frames), without making them.
 */
function countStacks(d: Draft, rep: ParsedReport, frames: KFrame[]): void {
  rep.crashingThreadId = d.pid ?? 'kernel';
  let count = frames.length;
  for (const s of d.extra) for (const f of s.frames) if (!f.unreliable) count++;
  bornCompacted(rep, count, frames.length > 0 ? frames[0].fn : null);
}

/**
 * The ParsedReport of a draft. Kept in small steps: each is optimised on its own, early in a
 * large log's first pass (one large function waits for thousands of reports first).
 * `compact`: built compacted, as detection would keep it (its frames counted, not made).
 */
function finish(d: Draft, atEof: boolean, compact: boolean): ParsedReport {
  const rep = emptyReport('kernel', d.start);
  rep.endLine = Math.max(d.end, d.start);
  const cls = d.cls;
  const { frames, irqEnd } = crashingStack(d);
  const { func, guilty, titleHead } = pickGuilty(d, frames, irqEnd);
  describe(d, rep, func, titleHead);
  if (compact) countStacks(d, rep, frames);
  else outputStacks(d, rep, frames, guilty, irqEnd);

  // facts
  rep.facts.push(...d.facts);
  if (guilty >= 0 && func) {
    rep.facts.push({ code: 'other', text: `Guilty frame (syzkaller-style): ${func}`, frame: guilty, value: 'guilty-frame' });
    rep.crashFrameHint = guilty;
  }
  if (d.rip?.fn) rep.facts.push({ code: 'other', text: `The CPU stopped at ${d.rip.fn}${d.rip.module ? ` [${d.rip.module}]` : ''}`, frame: 0, value: 'rip' });
  const truncated = (cls.guilty !== 'none' && d.trace.length === 0 && !d.ended) || (atEof && d.openMarkers > 0 && !d.traceDone);
  if (truncated) {
    rep.complete = false;
    rep.facts.push({ code: 'truncated', text: d.trace.length === 0 ? 'The kernel report has no stack trace (cut off?)' : 'The kernel report ends inside its Call Trace' });
  }
  return rep;
}

/** Whether `raw` up to `end` ends with the last (up to 8) characters of `clean`: the lines still pair up. */
function sameTail(raw: string, end: number, clean: string): boolean {
  const k = Math.min(clean.length, 8);
  if (end - k < 0) return false;
  for (let j = 1; j <= k; j++) if (raw.charCodeAt(end - j) !== clean.charCodeAt(clean.length - j)) return false;
  return true;
}

/** The fence marks RawTimestamps asks about, looked up by clean's one pass over every text. */
const FENCES = ['```', '~~~'];
registerRawStrings(FENCES);

/**
 * The dmesg timestamp and caller tag of the input line behind cleaned line `n`. Ingest strips
 * them, but inside a timestamped report a line without one is another program's
 * output (the fuzzer's program listing in a console log), so the parser asks the raw text.
 * Answers false when it cannot tell (no raw text, a line dropped by ingest, a line that does
 * not match); after the first line that does not pair up it answers false for good.
 *
 * The raw lines are found by offsets (one `indexOf` walk over the text, on first use), not
 * split into strings: a 20 MB log is 400k lines, and most are never asked about. When ingest
 * gave them (`doc.rawStarts`), it also says what it read of most lines' prefixes as it
 * stripped them (`doc.stamps`: a printk time and its caller tag, or no prefix at all): those
 * answers come from there, without reading the raw line again (in a dense log whose lines
 * carry caller tags, every line is asked about: reading the raw prefixes was ~3.5% of an
 * analyze). The raw text is read only for the lines ingest could not say about.
 */
class RawTimestamps {
  /** Start of each raw line in `raw` (one more entry: the end of the text + 1); null when the lines do not pair up. */
  private starts: Uint32Array | null = null;
  private ready = false;
  /** The starts came from ingest (`doc.rawStarts`): the lines pair up, only a line's length can still stop the answers. */
  private paired = false;
  /** Lines whose answer nobody needed: still checked (in order, before the next answer) for pairing up. */
  private pending: number[] = [];
  /** What ingest read of each line's stripped prefix (`doc.stamps`, with its starts), else null. */
  private stamps: Uint32Array | null = null;
  /** The last caller tag spelt from a stamp, and its code: a dense log's lines repeat their tag. */
  private tagCode = 0;
  private tagText = '';
  constructor(private readonly doc: Doc) {}

  private init(): void {
    this.ready = true;
    const raw = this.doc.raw;
    // ingest drops markdown fence lines: then cleaned and raw lines no longer pair up
    // (asked of clean's pass over the text, FENCES: two more scans of 20 MB were 2.5% of `find`)
    if (raw === undefined || rawIncludes(this.doc, FENCES[0]) || rawIncludes(this.doc, FENCES[1])) return;
    const count = this.doc.lines.length;
    // ingest says where each line starts, and its lines pair with the raw ones by construction
    if (this.doc.rawStarts !== undefined && this.doc.rawStarts.length === count + 1) {
      this.starts = this.doc.rawStarts;
      this.paired = true;
      if (this.doc.stamps !== undefined && this.doc.stamps.length === count) this.stamps = this.doc.stamps;
      return;
    }
    const starts = new Uint32Array(count + 1);
    let k = 0;
    for (let p = raw.indexOf('\n'); p >= 0; p = raw.indexOf('\n', p + 1)) {
      if (++k >= count) return; // more raw lines than cleaned ones
      starts[k] = p + 1;
    }
    if (k !== count - 1) return;
    starts[count] = raw.length + 1;
    this.starts = starts;
  }

  /** Line `n` of the raw text: its start, and its end without a CR (-1 when the lines do not pair up). */
  private lineEnd(n: number): number {
    const starts = this.starts!;
    const raw = this.doc.raw!;
    const start = starts[n];
    let end = starts[n + 1] - 1;
    // (a text whose starts came from ingest holds no CR: ingest reads such a text otherwise)
    if (!this.paired && end > start && raw.charCodeAt(end - 1) === 13) end--;
    if (end - start > 4000 || (!this.paired && !sameTail(raw, end, this.doc.lines[n]))) { this.starts = null; return -1; }
    return end;
  }

  /** Line `n`'s answer is not needed (nothing was opened by it), but a mismatch there still counts. */
  skip(n: number): void {
    if (!this.ready || this.starts !== null) this.pending.push(n);
  }

  /**
   * True when ingest recorded that line `n` had a printk time and no caller tag, and asking
   * `prefix(n)` could change nothing but give that answer (the raw line is short enough to be
   * answered for: a line over 4000 chars would stop the answers for good). `find` then knows
   * what asking would say without asking: in a timestamped report it still asks only when it
   * could matter, and this spares the `+0x` search that decides (one `indexOf` per line that
   * is not a stack frame). Lines waiting in `pending` stay there: they are checked before the
   * next answer, as they would have been before this one, and a stop they cause is for good.
   */
  timeOnly(n: number): boolean {
    if (!this.ready) this.init();
    const stamps = this.stamps;
    const starts = this.starts;
    if (stamps === null || starts === null || stamps[n] !== STAMP_TIME) return false;
    return starts[n + 1] - 1 - starts[n] <= 4000;
  }

  /**
   * Whether `find` keeps line `n` (a line ingest stripped) in an open report with caller tag
   * `tag`: its raw line has no other tag, and has a timestamp when `ts` (the report's lines
   * carry them). True when it cannot tell, as `find` then takes the line.
   */
  fits(n: number, tag: string, ts: boolean): boolean {
    if (!this.prefix(n)) return true;
    if (PREFIX.tag !== null && PREFIX.tag !== tag) return false;
    return PREFIX.ts || !ts;
  }

  /** Whether the line had a timestamp (PREFIX.ts) and its caller tag (PREFIX.tag); false when it cannot tell. */
  prefix(n: number): boolean {
    if (!this.ready) this.init();
    if (this.pending.length > 0) {
      for (let k = 0; k < this.pending.length && this.starts !== null; k++) this.lineEnd(this.pending[k]);
      this.pending.length = 0;
    }
    if (this.starts === null) return false;
    const start = this.starts[n];
    const end = this.lineEnd(n);
    if (end < 0) return false;
    // what ingest read when it stripped the line's prefix, when it could say (most lines of
    // a dense log: the raw text is not read again)
    const stamp = this.stamps !== null ? this.stamps[n] : 0;
    if (stamp >= STAMP_TIME) {
      PREFIX.ts = true;
      PREFIX.tag = (stamp & STAMP_TAG) === 0 ? null : this.tag(stamp);
      return true;
    }
    if (stamp === STAMP_NONE) { // the raw line is the cleaned one
      prefixLength(this.doc.lines[n]);
      return true;
    }
    const raw = this.doc.raw!;
    if (start < end && raw.charCodeAt(start) === 91 /* [ */) {
      // the usual dmesg line: its timestamp leads (a timestamp or tag never spans a newline)
      const ts = timestampAt(raw, start);
      if (ts > 0) {
        PREFIX.ts = true;
        PREFIX.tag = null;
        callerTagAt(raw, start + ts, PREFIX);
        return true;
      }
    }
    prefixLength(raw.slice(start, end < raw.length && raw.charCodeAt(end) === 13 ? end + 1 : end));
    return true;
  }

  /** The caller tag of a STAMP_TAG code, one string per run of lines with the same tag. */
  private tag(code: number): string {
    if (code !== this.tagCode) {
      this.tagCode = code;
      this.tagText = stampTagText(code);
    }
    return this.tagText;
  }
}

/**
 * `raw.slice(cut).trim()`, without the intermediate slice, and without any new string when
 * there is nothing to cut (the usual line: no prefix, no surrounding blanks).
 */
function trimFrom(raw: string, cut: number): string {
  const len = raw.length;
  let i = cut;
  while (i < len && (raw.charCodeAt(i) === 32 || raw.charCodeAt(i) === 9)) i++;
  if (i === len) return i === 0 ? raw : raw.slice(cut).trim();
  const a = raw.charCodeAt(i), z = raw.charCodeAt(len - 1);
  // printable ASCII at both ends: no other whitespace to trim (`trim` also takes \v, \f, NBSP, U+2028…)
  if (a > 32 && a < 127 && z > 32 && z < 127) return i === 0 ? raw : raw.slice(i);
  return raw.slice(cut).trim();
}

/** Every class header holds one of these (see kernel-classes.ts). */
const TRIGGERS = [
  'BUG: ', 'kernel BUG', 'WARNING: ', 'INFO: ', 'Kernel panic', 'protection fault', 'Unable to handle kernel', 'UBSAN: ',
  'divide error', 'divide_error', 'invalid opcode', 'stack segment', 'int3: ', 'PANIC: ', 'Internal error: ', 'Unhandled fault',
  'hard LOCKUP', 'unregister_netdevice', 'VFS: ',
];

/**
 * Finishes and hands over the waiting drafts that have KEEP_FULL reports after them (the
 * others waiting and the open draft), each built compacted when detection would keep it so
 * (`emitted` were handed over before); returns how many it handed over. A function of its
 * own, not a closure made by each `find`: a new closure at a call site V8 had bound to
 * the last one threw `find`'s optimised code away on every run.
 */
function release(waiting: Draft[], put: (r: ParsedReport) => void, emit: ((r: ParsedReport) => void) | undefined, emitted: number): number {
  let k = 0;
  while (waiting.length >= KEEP_FULL) {
    put(finish(waiting.shift()!, false, mayBuildCompacted(emit, emitted + k, waiting.length + 1)));
    k++;
  }
  return k;
}

function find(doc: Doc, emit?: (r: ParsedReport) => void): ParsedReport[] {
  const reports: ParsedReport[] = [];
  // each report is handed over once finished (detect compacts a dense log's as they come)
  const put = emit ?? ((r: ParsedReport) => reports.push(r));
  // Reports are finished KEEP_FULL drafts late: a report is then known to have that many
  // after it, and past the first few of a dense log detection keeps it compacted, so it is
  // built compacted (most of a dense log's output frames were made only to be dropped).
  // Nothing changes a draft once the next header replaced it.
  const waiting: Draft[] = [];
  let emitted = 0;
  const rawTs = doc.raw !== undefined ? new RawTimestamps(doc) : null;
  let d: Draft | null = null;
  let sinceEnd = 0;
  const lines = doc.lines;
  // outside a report only a header matters, and every header holds a trigger: go from one
  // line holding a trigger to the next (a sanitizer log's `WARNING: ThreadSanitizer`)
  const candidates = candidateLines(doc, TRIGGERS);
  // the input's bytes, where line n's chars end at rawStarts[n + 1] - 1 (takeFrameBytes reads
  // the usual frame line there), and each line's first char
  const rawStarts = doc.rawStarts;
  const bytes = rawTs !== null && doc.bytes !== undefined && rawStarts !== undefined && rawStarts.length === lines.length + 1 &&
    doc.bytes.length === doc.raw!.length ? doc.bytes : null;
  const first = doc.first !== undefined && doc.first.length === lines.length ? doc.first : null;
  for (let n = 0; n < lines.length; n++) {
    if (candidates !== null && (d === null || d.ended)) {
      const c = nextCandidate(candidates, n, lines.length);
      if (d !== null) sinceEnd += c - n;
      n = c;
      if (n >= lines.length) break;
    }
    const raw = lines[n];
    if (raw.length > 4000) { // 1 MB lines: not kernel text, but never throw
      if (d && !d.ended) d.end = n;
      continue;
    }
    // a long run of foreign lines ends the report (sooner once its stack is read)
    if (d && !d.ended && n - d.end > (d.traceDone ? 60 : 400)) d.ended = true;
    // the usual line of a dense log, an indented frame of the open stack, on a path of its own
    // (in a report whose lines carry caller tags, once its raw line is known to be the report's)
    if (d !== null && d.section !== 'none' && !d.ended && (first !== null ? first[n] === 32 || first[n] === 9 : raw.length > 0 && isBlank(raw.charCodeAt(0))) &&
        (d.tag === null || (rawTs !== null && rawTs.fits(n, d.tag, d.ts))) &&
        ((bytes !== null && takeFrameBytes(d, raw, n, bytes, rawStarts![n + 1] - 1 - raw.length)) || takeFrameLine(d, raw, n, rawTs !== null))) continue;
    const cut = prefixLength(raw);
    if ((!d || d.ended) && !headerAt(raw, cut)) { // outside a report only a header matters
      if (d) sinceEnd++;
      continue;
    }
    let ts = PREFIX.ts;
    let tag = PREFIX.tag;
    const t = trimFrom(raw, cut);
    let h: ReturnType<typeof headerClass> | undefined;
    // ingest stripped the timestamp: the raw line says whether it had one — asked for headers,
    // for every line of a report whose lines carry caller tags, and else only for lines that
    // are not stack frames (the only ones a foreign program prints into a report)
    if (!ts && rawTs !== null) {
      if (!d) {
        // with no report open, the answer only matters to a line that opens one
        h = t.length > 0 && headerAt(t, 0) ? headerClass(t) : null;
        if (h === null) { rawTs.skip(n); continue; }
        if (rawTs.prefix(n)) { ts = PREFIX.ts; tag ??= PREFIX.tag; }
      } else if (d.ended || d.tag !== null || (d.ts && !rawTs.timeOnly(n) && t.indexOf('+0x') < 0)) {
        // (a line ingest says had a time and no tag would be answered so: ts stays d.ts, the tag as it is)
        if (rawTs.prefix(n)) { ts = PREFIX.ts; tag ??= PREFIX.tag; } else ts = d.ts;
      } else ts = d.ts;
    }
    if (d && d.tag && tag && tag !== d.tag) continue; // interleaved output of another task/CPU
    if (d && d.ts && !ts) continue; // not kernel output (the fuzzer's or a shell's lines in a console log)

    if (h === undefined) h = t.length > 0 && headerAt(t, 0) ? headerClass(t) : null;
    if (h !== null) {
      const cont = d && !d.ended && d.cls.continues?.some((c) => t.startsWith(c));
      const isPanic = h.cls.id === 'panic';
      if (cont) { d!.end = n; continue; }
      if (d && !d.ended && h.cls.notInReport) continue;
      if (d && isPanic && (!d.ended || sinceEnd < 60)) {
        feed(d, t, n);
        d.end = n;
        continue;
      }
      if (d) {
        waiting.push(d);
        emitted += release(waiting, put, emit, emitted);
      }
      d = newDraft(h.cls, h.groups, t, tag, n);
      d.ts = ts;
      sinceEnd = 0;
      // include a preceding `cut here` / `====` line in the report
      if (n > 0) {
        const prev = stripPrefix(lines[n - 1]).text.trim();
        if (prev.startsWith('------------[ cut here ]') || prev.startsWith('=====')) d.start = n - 1;
      }
      continue;
    }
    if (!d) continue;
    if (d.ended) { sinceEnd++; continue; }
    if (feed(d, t, n) && t.length > 0) d.end = n;
  }
  for (const w of waiting) put(finish(w, false, false));
  if (d) put(finish(d, true, false));
  return reports;
}

export const kernel: FormatModule = {
  id: 'kernel',
  priority: 10,
  triggers: TRIGGERS,
  find,
};

export const kernelFormat = kernel;
export default kernel;
