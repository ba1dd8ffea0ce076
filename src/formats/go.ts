/**
 * Go panics, fatal errors and goroutine dumps, as the Go runtime prints them.
 * Takes: the cleaned document. Gives: one report per crash or dump: the panic value or
 * fatal error as message, the signal line, every goroutine as a thread (id = goroutine
 * number, state = `chan receive, 5 minutes`), the crashing goroutine (the one printed right
 * after the header), its `created by` frame as a `goroutine-created` stack, and identical
 * stacks folded into `groups` (like panicparse) so that a dump of 10,000 goroutines reads
 * as a handful of lines. Goroutines that print the same stack lines share one frames array
 * (the same Frame objects): later steps handle each distinct stack once.
 *
 *   panic: runtime error: invalid memory address or nil pointer dereference
 *   [signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x48346d]
 *
 *   goroutine 1 [running]:
 *   main.(*Dock).assignCargo(...)
 *   	/src/shipyard/main.go:26 +0x38d
 *   created by main.main in goroutine 1
 *   	/src/shipyard/main.go:75 +0x54d
 */
import type { Confidence, CrashKind, Frame, Group, ParsedReport, Thread } from '../model.js';
import { emptyReport, newFrame } from '../model.js';
import type { Doc } from '../ingest/doc.js';
import type { FormatModule } from './format.js';
import { kindForClass } from '../diagnose/kind-table.js';
import { isWs } from './line-start.js';
import { readGoTestFailures } from './go-test.js';
import { linesAreSubstrings, rawIncludes } from '../ingest/clean.js';

/** Header rows: how a Go crash starts. `kindFromMessage` = the message names the class. */
const HEADERS: Array<{ prefix: string; what: string; kindFromMessage: boolean }> = [
  { prefix: 'panic: ', what: 'panic', kindFromMessage: false },
  { prefix: 'fatal error: ', what: 'fatal error', kindFromMessage: true },
  { prefix: 'runtime: out of memory', what: 'out of memory', kindFromMessage: true },
  { prefix: 'runtime: goroutine stack exceeds', what: 'stack overflow', kindFromMessage: true },
  { prefix: 'SIGQUIT: quit', what: 'SIGQUIT dump', kindFromMessage: false },
  { prefix: 'SIGABRT: abort', what: 'SIGABRT', kindFromMessage: true },
];

/** Runtime panic values that name a class in the kind table (user panic text never does). */
const RUNTIME_PANICS = ['runtime error: ', 'assignment to entry in nil map'];

/** Kinds a message may select; anything else in a message is the program's own words. */
const MESSAGE_KINDS = new Set<CrashKind>(['null-deref', 'stack-overflow', 'oom', 'data-race', 'deadlock']);

const GOROUTINE_RE = /^goroutine (\d{1,12})(?: gp=0x[0-9a-f]{1,16} m=\S{1,12}(?: mp=0x[0-9a-f]{1,16})?)? \[([^\]]{0,200})\]:$/;
/** A goroutine header read by headerOf: its id, the id's number (the dedupe key), its state. */
let headerId = '';
let headerKey: number | string = 0;
let headerState = '';

/**
 * `goroutine 18 [chan receive]:` → headerId, headerKey, headerState (shared with earlier
 * goroutines of the same state); false when the line is no goroutine header. The common
 * shape is read with char tests; the rest (`gp=… m=…`) goes to GOROUTINE_RE.
 */
function headerOf(t: string, states: Map<string, string>): boolean {
  // Callers checked `goroutine ` at the start and `]:` at the end.
  let k = 10;
  let num = 0;
  while (k < t.length && k < 23) {
    const c = t.charCodeAt(k);
    if (c < 48 || c > 57) break;
    num = num * 10 + (c - 48);
    k++;
  }
  const end = t.length - 2;
  let state: string;
  if (k > 10 && k - 10 <= 12 && t.charCodeAt(k) === 32 && t.charCodeAt(k + 1) === 91 /* [ */ && end - (k + 2) <= 200 && t.indexOf(']', k + 2) === end) {
    headerId = t.slice(10, k);
    headerKey = k - 10 > 1 && t.charCodeAt(10) === 48 ? headerId : num;
    const last = headerState;
    if (end - (k + 2) === last.length && t.startsWith(last, k + 2)) return true;
    state = t.slice(k + 2, end);
  } else {
    const m = GOROUTINE_RE.exec(t);
    if (!m) return false;
    headerId = m[1];
    headerKey = m[1].length > 1 && m[1].charCodeAt(0) === 48 ? m[1] : Number(m[1]);
    state = m[2];
  }
  const known = states.get(state);
  if (known !== undefined) state = known;
  else if (states.size < MEMO_LIMIT) states.set(state, state);
  headerState = state;
  return true;
}

const SIGNAL_RE = /^\[signal ([A-Z0-9]{2,12})(?:: ([^\]]{0,100}?))?(?: code=(\S{1,20}))?(?: addr=(\S{1,20}))?(?: pc=(\S{1,20}))?\]$/;

function kindFor(text: string, fromMessage: boolean): { kind: CrashKind; confidence: Confidence; reason: string } | null {
  if (!fromMessage) return null;
  const t = text.startsWith('runtime error: ') ? text.slice(15) : text;
  const k = kindForClass(t);
  if (k && MESSAGE_KINDS.has(k.kind)) return { ...k, reason: `Go runtime: ${text}` };
  return null;
}

/** `example.com/x/pkg.(*T).M` → `example.com/x/pkg`. */
export function goPackage(fn: string): string | null {
  const slash = fn.lastIndexOf('/');
  const dot = fn.indexOf('.', slash + 1);
  return dot > 0 ? fn.slice(0, dot) : null;
}

/** `main.tally(0x0?, 0x2)` → function and argument text; `(...)` means inlined. */
function splitCall(s: string): { fn: string; args: string | null } {
  if (!s.endsWith(')')) return { fn: s, args: null };
  let depth = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    const c = s[i];
    if (c === ')') depth++;
    else if (c === '(') {
      depth--;
      if (depth === 0) return { fn: s.slice(0, i), args: s.slice(i + 1, -1) };
    }
  }
  return { fn: s, args: null };
}

/** `\t/src/x/main.go:26 +0x38d fp=… sp=…` → file and line. */
function parseLocation(l: string): { file: string; line: number | null } {
  let s = l.trim();
  const sp = s.indexOf(' +0x');
  if (sp > 0) s = s.slice(0, sp);
  else {
    const sp2 = s.indexOf(' ');
    if (sp2 > 0 && /:\d/.test(s.slice(0, sp2))) s = s.slice(0, sp2);
  }
  const c = s.lastIndexOf(':');
  if (c > 0 && /^\d{1,9}$/.test(s.slice(c + 1))) return { file: s.slice(0, c), line: Number(s.slice(c + 1)) };
  return { file: s, line: null };
}

/** Go prints function lines at column 0 and their location indented (a tab, or spaces once a log has been re-indented). */
function isLocationLine(l: string): boolean {
  if (isWs(l.charCodeAt(0))) return true;
  // Some logs lose the indentation: `/src/x/scanner.go:271 +0x218 fp=… sp=… pc=…`.
  return !l.endsWith(')') && l.includes(':') && /\.[A-Za-z]{1,4}:\d{1,9}(?: |$)/.test(l.length > 4000 ? l.slice(0, 4000) : l);
}

function makeFrame(index: number, call: string): Frame {
  const { fn, args } = splitCall(call.trim());
  const f = newFrame(index, fn);
  f.args = args;
  f.inlined = args === '...';
  f.module = goPackage(fn);
  return f;
}

/**
 * What the lines of a dump parse to, remembered for one parse: the goroutines of a pool
 * print the same call and location lines, so 10,000 goroutines in a few stacks parse each
 * distinct line once and share its strings. Bounded, so a dump of distinct lines costs a
 * map lookup per line and no more memory.
 */
interface LineMemo {
  calls: Map<string, { fn: string; args: string | null; module: string | null }>;
  locs: Map<string, { file: string; line: number | null }>;
  /** One copy of each goroutine state (`chan receive`): a dump has a few. */
  states: Map<string, string>;
}
const MEMO_LIMIT = 1 << 14;

function newMemo(): GoMemo {
  return { calls: new Map(), locs: new Map(), states: new Map(), bodies: new Map(), bodyCount: 0, lastBody: null };
}

function memoFrame(memo: LineMemo, index: number, l: string): Frame {
  let c = memo.calls.get(l);
  if (c === undefined) {
    const { fn, args } = splitCall(l.trim());
    c = { fn, args, module: goPackage(fn) };
    if (memo.calls.size < MEMO_LIMIT) memo.calls.set(l, c);
  }
  const f = newFrame(index, c.fn);
  f.args = c.args;
  f.inlined = c.args === '...';
  f.module = c.module;
  return f;
}

function memoLocation(memo: LineMemo, l: string): { file: string; line: number | null } {
  let loc = memo.locs.get(l);
  if (loc === undefined) {
    loc = parseLocation(l);
    if (memo.locs.size < MEMO_LIMIT) memo.locs.set(l, loc);
  }
  return loc;
}

/**
 * A goroutine body (the lines after its header) already parsed: a pool of goroutines prints
 * the same body, so a later goroutine whose lines are the same (compared line by line, no
 * key string built) takes its frames as they are: the same Frame objects, which every later
 * step (roles, demangling, folding, facts) then handles once per distinct stack.
 */
interface Body {
  lines: string[];
  frames: Frame[];
  createdText: string | null;
  createdLoc: string | null;
}
/** Bodies remembered, and candidates compared, per first body line: bounds hostile dumps. */
const BODY_LIMIT = 4096;
const BODY_CANDIDATES = 4;

interface GoMemo extends LineMemo {
  bodies: Map<string, Body[]>;
  bodyCount: number;
  lastBody: Body | null;
}

/** A line that ends any goroutine's stack whatever came before it. */
function endsAnyStack(l: string): boolean {
  return l === '' || l.startsWith('goroutine ') || l.startsWith('panic: ') || l.startsWith('fatal error: ');
}

/** The remembered body that the lines from `i` repeat, up to a line that ends any stack. */
function repeats(lines: string[], i: number, b: Body): boolean {
  const bl = b.lines;
  const n = bl.length;
  if (i + n > lines.length) return false;
  let k = 1;
  while (k < n && lines[i + k] === bl[k]) k++;
  return k === n && (i + n === lines.length || endsAnyStack(lines[i + n]));
}

function sameBody(lines: string[], i: number, memo: GoMemo): Body | null {
  const first = lines[i];
  // Neighbours often print the same stack: the last body found is tried before the map.
  const last = memo.lastBody;
  if (last !== null && first === last.lines[0] && repeats(lines, i, last)) return last;
  const cands = memo.bodies.get(first);
  if (cands === undefined) return null;
  for (const b of cands) {
    if (b !== last && repeats(lines, i, b)) return (memo.lastBody = b);
  }
  return null;
}

function rememberBody(lines: string[], i: number, j: number, memo: GoMemo, frames: Frame[], createdText: string | null, createdLoc: string | null): void {
  if (j <= i || memo.bodyCount >= BODY_LIMIT) return;
  if (j < lines.length && !endsAnyStack(lines[j])) return;
  const first = lines[i];
  let cands = memo.bodies.get(first);
  if (cands === undefined) memo.bodies.set(first, (cands = []));
  if (cands.length >= BODY_CANDIDATES) return;
  // An object literal (not a spread, not a class filled in by its constructor): its shape
  // stays alive between parses, so optimised code reading bodies is not thrown away when
  // one parse's bodies are collected.
  const b: Body = { lines: lines.slice(i, j), frames, createdText, createdLoc };
  cands.push(b);
  memo.lastBody = b;
  memo.bodyCount++;
}

/** Where parseGoroutine's stack ended, and the crashing goroutine's `created by` frame. */
let parsedNext = 0;
let parsedCreatedBy: Frame | null = null;

/**
 * Parse frames after `goroutine N [state]:` until a blank line or another header; sets
 * parsedNext (and parsedCreatedBy). The `created by` frame is built only when
 * `wantCreatedBy` (the crashing goroutine's).
 */
function parseGoroutine(lines: string[], i: number, memo: GoMemo, wantCreatedBy: boolean): Frame[] {
  let frames: Frame[];
  let createdText: string | null = null;
  let createdLoc: string | null = null;
  let j = i;
  const known = i < lines.length ? sameBody(lines, i, memo) : null;
  if (known !== null) {
    frames = known.frames;
    createdText = known.createdText;
    createdLoc = known.createdLoc;
    j = i + known.lines.length;
  } else {
    frames = [];
    for (; j < lines.length; j++) {
      const l = lines[j];
      if (endsAnyStack(l)) break;
      if (isLocationLine(l)) {
        if (createdText !== null) {
          if (createdLoc === null) createdLoc = l;
          continue;
        }
        const target = frames[frames.length - 1];
        if (target && target.file == null) {
          const loc = memoLocation(memo, l);
          target.file = loc.file;
          target.line = loc.line;
        }
        continue;
      }
      if (l.startsWith('created by ')) {
        let s = l.slice(11);
        const inG = s.indexOf(' in goroutine ');
        if (inG > 0) s = s.slice(0, inG);
        createdText = s;
        createdLoc = null;
        continue;
      }
      if (l.startsWith('...') && l.includes('frames elided')) continue;
      if (l.startsWith('exit status ')) break;
      if (createdText !== null) break;
      // Every Go frame line is a call, `pkg.fn(args)` or `pkg.fn(...)`; anything else
      // (the shell's `Aborted`, a log line) ends the stack.
      if (!l.endsWith(')') || l.length > 20000) break;
      frames.push(memoFrame(memo, frames.length, l));
    }
    rememberBody(lines, i, j, memo, frames, createdText, createdLoc);
  }
  let createdBy: Frame | null = null;
  if (wantCreatedBy && createdText !== null) {
    createdBy = makeFrame(0, createdText);
    createdBy.inlined = false;
    if (createdLoc !== null) {
      const loc = parseLocation(createdLoc);
      createdBy.file = loc.file;
      createdBy.line = loc.line;
    }
  }
  parsedNext = j;
  parsedCreatedBy = createdBy;
  return frames;
}

/** `chan receive, 5 minutes` → base `chan receive`, minutes 5. */
function splitState(state: string | null): { base: string; minutes: number | null; locked: boolean } {
  if (!state) return { base: '', minutes: null, locked: false };
  let base = state;
  let minutes: number | null = null;
  let locked = false;
  const parts = state.split(', ');
  const keep: string[] = [];
  for (const p of parts) {
    const m = /^(\d{1,9}) minutes?$/.exec(p);
    if (m) minutes = Number(m[1]);
    else if (p === 'locked to thread') locked = true;
    else keep.push(p);
  }
  base = keep.join(', ');
  return { base, minutes, locked };
}

/** Fold goroutines with the same state and the same stack (functions and lines). */
/** A step of foldGoroutines' trie: the goroutines whose stacks begin with the same frames. */
interface FoldEntry {
  group: Group;
  /** Least and most minutes waited by the group's goroutines, when printed. */
  lo: number | null;
  hi: number | null;
}
interface FoldNode {
  next: Map<number, FoldNode>;
  entry: FoldEntry | null;
  /** On a root: the leaf each frames array already walked to. */
  leaves: Map<Frame[], FoldNode> | null;
}

export function foldGoroutines(threads: Thread[]): Group[] {
  // Keyed by numbers, not by a string built per goroutine: each distinct frame (function,
  // file, line) gets an id, and a goroutine walks a trie of its state and frame ids. The
  // frames of a dump share their strings (see LineMemo), so every lookup is a cached hash.
  const frameIds = new Map<string | null, Map<string | null | undefined, Map<number | null | undefined, number>>>();
  let frameIdCount = 0;
  const frameId = (f: Frame): number => {
    let byFile = frameIds.get(f.function);
    if (!byFile) frameIds.set(f.function, (byFile = new Map()));
    let byLine = byFile.get(f.file);
    if (!byLine) byFile.set(f.file, (byLine = new Map()));
    let id = byLine.get(f.line);
    if (id === undefined) byLine.set(f.line, (id = frameIdCount++));
    return id;
  };
  const roots = new Map<string, FoldNode>();
  const entries: FoldEntry[] = [];
  // A dump's goroutines share a few states: each is split once.
  const states = new Map<string | null, ReturnType<typeof splitState>>();
  // Neighbours in a dump often share state and stack: the last ones' group is reused.
  let lastState: string | null | undefined;
  let lastFrames: Frame[] | undefined;
  let st: ReturnType<typeof splitState> = splitState(null);
  let e: FoldEntry | null = null;
  // Indexed loops over a dump's threads: an unoptimised for-of allocates per goroutine.
  for (let ti = 0; ti < threads.length; ti++) {
    const t = threads[ti];
    if (e === null || t.state !== lastState || t.frames !== lastFrames) {
      let s = states.get(t.state);
      if (s === undefined) {
        s = splitState(t.state);
        if (states.size < 4096) states.set(t.state, s);
      }
      st = s;
      let root: FoldNode | undefined = roots.get(st.base);
      if (!root) roots.set(st.base, (root = { next: new Map(), entry: null, leaves: null }));
      // Goroutines of one stack share their frames array (parseGoroutine): one walk per array.
      let node = root.leaves?.get(t.frames);
      if (node === undefined) {
        node = root;
        for (const f of t.frames) {
          const id = frameId(f);
          let child: FoldNode | undefined = node.next.get(id);
          if (!child) node.next.set(id, (child = { next: new Map(), entry: null, leaves: null }));
          node = child;
        }
        root.leaves ??= new Map();
        if (root.leaves.size < 4096) root.leaves.set(t.frames, node);
      }
      e = node.entry;
      if (!e) {
        e = { group: { count: 0, state: st.base || null, ids: [], frames: t.frames }, lo: null, hi: null };
        node.entry = e;
        entries.push(e);
      }
      lastState = t.state;
      lastFrames = t.frames;
    }
    e.group.count++;
    e.group.ids!.push(t.id);
    const m = st.minutes;
    if (m != null) {
      if (e.lo === null || m < e.lo) e.lo = m;
      if (e.hi === null || m > e.hi) e.hi = m;
    }
  }
  const groups: Group[] = [];
  for (const { group, lo, hi } of entries) {
    if (lo !== null && hi !== null) {
      const span = lo === hi ? `${lo} minutes` : `${lo}~${hi} minutes`;
      group.state = group.state ? `${group.state}, ${span}` : span;
    }
    groups.push(group);
  }
  // Largest first; ties keep the order of first appearance (stable sort).
  groups.sort((a, b) => b.count - a.count);
  return groups;
}

const ECHO_STARTS = ['AddressSanitizer:DEADLYSIGNAL', 'MemorySanitizer:DEADLYSIGNAL', 'ThreadSanitizer:DEADLYSIGNAL', 'UndefinedBehaviorSanitizer:DEADLYSIGNAL'];

/** Last line of a sanitizer ABRT report in runtime.raise starting within 3 lines of `from`, else -1. */
function sanitizerEcho(lines: string[], from: number): number {
  let k = from;
  while (k < lines.length && k - from < 3 && lines[k].trim() === '') k++;
  if (k >= lines.length) return -1;
  const t = lines[k];
  if (!(ECHO_STARTS.some((e) => t.includes(e)) || t.includes('ERROR: libFuzzer: deadly signal') || (t.includes('Sanitizer: ABRT') && t.startsWith('==')))) return -1;
  let sawRaise = false;
  let end = -1;
  for (let m = k; m < lines.length && m - k < 200; m++) {
    const x = lines[m];
    if (x.includes('runtime.raise') || x.includes('runtime.abort') || x.includes('ABRT')) sawRaise = true;
    if (x.startsWith('SUMMARY: ') || x.includes('==ABORTING')) end = m;
    else if (end >= 0 && x.trim() !== '' && !x.includes('==ABORTING')) break;
  }
  return sawRaise ? end : -1;
}

function isHeader(l: string): (typeof HEADERS)[number] | null {
  const c = l.charCodeAt(0);
  // p, f, r, S
  if (c !== 112 && c !== 102 && c !== 114 && c !== 83) return null;
  for (const h of HEADERS) if (l.startsWith(h.prefix)) return h;
  return null;
}

const RACE_ACCESS_RE = /^(Previous )?(read|write|Read|Write)(?: of size \d{1,6})? at (0x[0-9a-f]{1,16}) by (?:goroutine (\d{1,12})|(main) goroutine):$/;
const RACE_CREATED_RE = /^Goroutine (\d{1,12}) \(([a-z ]{1,30})\) created at:$/;

/** Frames of a race-report section: `  pkg.fn()` + `      /file.go:12 +0x6f`, until a blank line. */
function raceFrames(lines: string[], i: number): { frames: Frame[]; next: number } {
  const frames: Frame[] = [];
  let j = i;
  for (; j < lines.length; j++) {
    const l = lines[j];
    const t = l.trim();
    if (t === '' || t.startsWith('==================')) break;
    if (l.startsWith('      ') && frames.length > 0) {
      const f = frames[frames.length - 1];
      if (f.file == null) {
        const loc = parseLocation(t);
        f.file = loc.file;
        f.line = loc.line;
      }
      continue;
    }
    if (!t.endsWith(')')) break;
    frames.push(makeFrame(frames.length, t));
  }
  return { frames, next: j };
}

/**
 * The Go race detector (`go run -race`): `WARNING: DATA RACE`, the current access and the
 * previous conflicting one, each with its goroutine, then where those goroutines were created.
 * The current access is the crashing stack; the previous access is `other-access`, creation
 * sites are `goroutine-created`.
 */
function parseRace(lines: string[], i: number): { rep: ParsedReport; next: number } {
  const rep = emptyReport('go', i > 0 && lines[i - 1].startsWith('==========') ? i - 1 : i);
  const k = kindForClass('data race');
  rep.kind = { kind: k?.kind ?? 'data-race', confidence: k?.confidence ?? 'high', reason: 'Go race detector: WARNING: DATA RACE' };
  let j = i + 1;
  let end = i;
  for (; j < lines.length; j++) {
    const t = lines[j].trim();
    if (t === '') continue;
    if (t.startsWith('==================')) {
      end = j;
      j++;
      break;
    }
    const am = RACE_ACCESS_RE.exec(t);
    if (am) {
      const gid = am[4] ?? '1';
      const fr = raceFrames(lines, j + 1);
      const type = am[2].toLowerCase() === 'read' ? 'read' : 'write';
      if (!am[1] && rep.threads.length === 0) {
        rep.threads.push({ id: gid, name: am[5] ? 'main' : null, crashed: true, state: null, frames: fr.frames });
        rep.crashingThreadId = gid;
        rep.access = { type, address: am[3] };
        rep.message = `WARNING: DATA RACE: ${t.slice(0, -1)}`;
      } else {
        rep.stacks.push({ role: 'other-access', thread: gid, title: t.slice(0, -1), frames: fr.frames });
      }
      end = fr.next - 1;
      j = fr.next - 1;
      continue;
    }
    const cm = RACE_CREATED_RE.exec(t);
    if (cm) {
      const fr = raceFrames(lines, j + 1);
      rep.stacks.push({ role: 'goroutine-created', thread: cm[1], title: t.slice(0, -1), frames: fr.frames });
      const th = rep.threads.find((x) => x.id === cm[1]);
      if (th) th.state = cm[2];
      end = fr.next - 1;
      j = fr.next - 1;
      continue;
    }
    break;
  }
  rep.endLine = end;
  if (!lines[end]?.startsWith('==================')) {
    rep.complete = false;
    rep.facts.push({ code: 'truncated', text: 'The race report is cut off before its closing line.' });
  }
  return { rep, next: Math.max(j, i + 1) };
}

/**
 * Whether any goroutine id of one dump may repeat, known without a map entry per goroutine:
 * ids printed in increasing order cannot repeat; otherwise one bit per possible id (ids of
 * a dump lie close together) or a sort finds whether two are equal. A plain object literal
 * (not a class instance): its shape outlives one parse, so optimised code using it is not
 * thrown away when one parse's objects are collected.
 */
interface IdList {
  increasing: boolean;
  min: number;
  max: number;
  /** An id with a leading zero (`007`) was seen: kept as a string key. */
  text: boolean;
}

function newIdList(): IdList {
  return { increasing: true, min: Infinity, max: -Infinity, text: false };
}

function addId(ids: IdList, key: number | string): void {
  if (typeof key === 'string') {
    ids.text = true;
    return;
  }
  if (key <= ids.max) ids.increasing = false;
  else ids.max = key;
  if (key < ids.min) ids.min = key;
}

/** `threads` are the goroutines whose keys were added, in order. */
function mayRepeat(ids: IdList, threads: Thread[]): boolean {
  if (ids.text) return true;
  if (ids.increasing) return false;
  const n = threads.length;
  const span = ids.max - ids.min + 1;
  if (span <= 64 * n + 4096) {
    const bits = new Uint8Array(Math.ceil(span / 8));
    for (let k = 0; k < n; k++) {
      const v = Number(threads[k].id) - ids.min;
      const byte = Math.floor(v / 8);
      const bit = 1 << (v % 8);
      if (bits[byte] & bit) return true;
      bits[byte] |= bit;
    }
    return false;
  }
  const sorted = new Float64Array(n);
  for (let k = 0; k < n; k++) sorted[k] = Number(threads[k].id);
  sorted.sort();
  for (let k = 1; k < n; k++) if (sorted[k] === sorted[k - 1]) return true;
  return false;
}

/**
 * Two goroutines that crash at once can each print the other: one entry per id, at the
 * place of its first appearance, the one with a stack. Ids are digits: a number key hashes
 * cheaply (`007` stays a string, unlike `7`).
 */
function uniqueIds(threads: Thread[]): Thread[] {
  const out: Thread[] = [];
  const seenIds = new Map<number | string, number>();
  for (let ti = 0; ti < threads.length; ti++) {
    const thread = threads[ti];
    const gid = thread.id;
    const key = gid.length > 1 && gid.charCodeAt(0) === 48 ? gid : Number(gid);
    const seen = seenIds.get(key) ?? -1;
    if (seen < 0) {
      seenIds.set(key, out.length);
      out.push(thread);
    } else if (out[seen].frames.length === 0) out[seen] = { ...thread, crashed: out[seen].crashed };
  }
  return out;
}

/** Goroutines from line `j`, until something that is neither a goroutine nor a blank line. */
function readGoroutines(lines: string[], j: number, memo: GoMemo): { threads: Thread[]; crashCreatedBy: Frame | null; lastLine: number; next: number } {
  let threads: Thread[] = [];
  // Goroutine ids as numbers, to find an id printed twice (see uniqueIds) after the loop.
  const ids = newIdList();
  let crashCreatedBy: Frame | null = null;
  let lastLine = j - 1;
  while (j < lines.length) {
    const t = lines[j];
    if (t === '') {
      j++;
      continue;
    }
    if (!(t.startsWith('goroutine ') && t.endsWith(']:'))) break;
    if (!headerOf(t, memo.states)) break;
    const id = headerId;
    addId(ids, headerKey);
    const state = headerState;
    const frames = parseGoroutine(lines, j + 1, memo, threads.length === 0);
    if (threads.length === 0) crashCreatedBy = parsedCreatedBy;
    threads.push({ id, name: null, crashed: false, state: state || null, frames });
    lastLine = parsedNext - 1;
    j = parsedNext;
    // A panic inside the dump belongs to the next report.
    if (j < lines.length && isHeader(lines[j])) break;
  }
  if (mayRepeat(ids, threads)) threads = uniqueIds(threads);
  return { threads, crashCreatedBy, lastLine, next: j };
}

export function parseGo(doc: Doc): ParsedReport[] {
  const lines = doc.lines;
  const out: ParsedReport[] = [];
  const memo = newMemo();
  headerState = '';
  let i = 0;
  while (i < lines.length) {
    const l = lines[i];
    const c = l.charCodeAt(0);
    // A report starts with `WARNING: DATA RACE`, a header (p, f, r, S) or `goroutine `.
    if (c !== 87 /* W */ && c !== 112 && c !== 102 && c !== 114 && c !== 83 && c !== 103 /* g */) {
      i++;
      continue;
    }
    if (c === 87 && l.startsWith('WARNING: DATA RACE') && i + 1 < lines.length && RACE_ACCESS_RE.test(lines[i + 1].trim())) {
      const { rep, next } = parseRace(lines, i);
      out.push(rep);
      i = next;
      continue;
    }
    const h = isHeader(l);
    const bareDump = !h && c === 103 && l.startsWith('goroutine ') && l.endsWith(']:') && GOROUTINE_RE.test(l);
    if (!h && !bareDump) {
      i++;
      continue;
    }
    const rep = emptyReport('go', i);
    const messages: string[] = [];
    let kind: ParsedReport['kind'] = null;
    let j = i;
    // Header block: panic / fatal error lines (nested panics, [recovered]), the signal line.
    if (h) {
      for (; j < lines.length; j++) {
        const t = lines[j];
        const hh = isHeader(t) ?? (t.startsWith('\tpanic: ') ? HEADERS[0] : null);
        if (hh) {
          const text = t.trim().slice(hh.prefix.length).trim();
          const msg = hh.what === 'out of memory' || hh.what === 'stack overflow' ? t.trim() : text;
          if (hh.what === 'SIGQUIT dump') {
            rep.facts.push({ code: 'breakpoint', text: 'The process was sent SIGQUIT: a goroutine dump, not a crash.' });
          } else {
            messages.push(msg);
            const fromMessage = hh.kindFromMessage || RUNTIME_PANICS.some((p) => text.startsWith(p));
            kind = kindFor(hh.what === 'out of memory' ? 'out of memory' : hh.what === 'stack overflow' ? 'stack overflow' : text, fromMessage) ?? kind;
          }
          continue;
        }
        if (t.startsWith('[signal ')) {
          const m = SIGNAL_RE.exec(t.trim());
          if (m) {
            rep.signal = { name: m[1] };
            if (m[3]) rep.signal.code = m[3];
            if (m[4]) rep.signal.faultAddress = m[4];
          }
          continue;
        }
        if (t === 'runtime stack:') {
          // The scheduler's own stack (g0) where the runtime threw: not a goroutine.
          while (j + 1 < lines.length && lines[j + 1] !== '') j++;
          continue;
        }
        if (t.startsWith('\t') || t.startsWith('PC=') || t.startsWith('signal arrived') || t.startsWith('runtime: ') || t.startsWith('[recovered]') || t.startsWith('goroutine ') && !t.endsWith(']:')) continue;
        if (t === '') continue;
        break;
      }
    }
    // Goroutines, until something that is neither a goroutine nor a blank line.
    const run = readGoroutines(lines, j, memo);
    const threads = run.threads;
    const crashCreatedBy = run.crashCreatedBy;
    const lastLine = run.lastLine;
    j = run.next;
    // `goroutine N [running]:` followed by nothing else cut off the trace.
    if (threads.length === 0 && !h) {
      i++;
      continue;
    }
    rep.endLine = Math.max(i, lastLine);
    // Under a sanitizer or libFuzzer, the Go runtime's abort after the panic is reported
    // again as `AddressSanitizer: ABRT … runtime.raise` / `libFuzzer: deadly signal`: that
    // report is a consequence of this one and belongs to it.
    if (h && threads.length > 0) {
      const after = sanitizerEcho(lines, rep.endLine + 1);
      if (after > rep.endLine) {
        rep.endLine = after;
        rep.facts.push({ code: 'other', text: 'The sanitizer / libFuzzer report after the panic is the Go runtime aborting the process (runtime.raise), not a second bug.' });
        j = Math.max(j, after + 1);
      }
    }
    rep.threads = threads;
    const message = messages.length ? messages[messages.length - 1] : null;
    rep.message = message;
    if (messages.length > 1) {
      rep.facts.push({ code: 'other', text: `Earlier panic before this one: ${messages.slice(0, -1).join(' / ')}` });
    }
    const isDump = rep.facts.some((f) => f.code === 'breakpoint');
    if (!isDump && h) {
      rep.kind = kind ?? { kind: 'panic', confidence: 'high', reason: `Go ${h.what}` };
      if (threads.length > 0) {
        // The runtime prints the goroutine that crashed first, in state `running`; in a
        // dump pasted out of order, the running goroutine is still the one that panicked.
        const first = threads[0];
        const crashed = first.state?.startsWith('running') ? first : threads.find((t) => t.state?.startsWith('running')) ?? first;
        crashed.crashed = true;
        rep.crashingThreadId = crashed.id;
        if (crashCreatedBy && crashed === first) {
          rep.stacks.push({ role: 'goroutine-created', thread: first.id, title: 'created by', frames: [crashCreatedBy] });
        }
      }
    }
    if (threads.length > 1) rep.groups = foldGoroutines(threads);
    if (threads.length > 0 && threads.some((t) => t.state && !t.state.startsWith('running') && !t.state.startsWith('runnable'))) {
      // A dump's goroutines share a few state strings: each is tested once.
      const isBlocked = new Map<string, boolean>();
      let blocked = 0;
      for (let ti = 0; ti < threads.length; ti++) {
        const t = threads[ti];
        if (!t.state) continue;
        let b = isBlocked.get(t.state);
        if (b === undefined) {
          b = /^(chan |select|semacquire|sync\.|IO wait|sleep)/.test(t.state);
          if (isBlocked.size < 4096) isBlocked.set(t.state, b);
        }
        if (b) blocked++;
      }
      if (blocked > 0) rep.facts.push({ code: 'blocked-threads', text: `${blocked} of ${threads.length} goroutines are blocked (channel, select, lock or I/O wait).` });
    }
    // A crash header with no goroutine at all, or a goroutine whose stack ends without
    // `runtime.goexit`/`main.main`/`created by`, was cut off.
    if (h && !isDump && threads.length === 0) {
      rep.complete = false;
      rep.facts.push({ code: 'truncated', text: 'The crash header is not followed by any goroutine stack.' });
    } else if (threads.length > 0 && j >= lines.length) {
      const last = threads[threads.length - 1];
      const bottom = last.frames[last.frames.length - 1];
      const okEnd = bottom && (bottom.function === 'main.main' || bottom.function === 'runtime.goexit' || bottom.function === 'runtime.main' || bottom.file != null);
      if (!okEnd || last.frames.length === 0) {
        rep.complete = false;
        rep.facts.push({ code: 'truncated', text: 'The goroutine dump is cut off at the end of the text.' });
      }
    }
    out.push(rep);
    i = Math.max(j, i + 1);
  }
  if (!linesAreSubstrings(doc) || rawIncludes(doc, GO_TEST_FAIL)) {
    for (const r of readGoTestFailures(lines)) out.push(r);
    out.sort((a, b) => a.startLine - b.startLine);
  }
  return out;
}

/** A failing test's line in `go test` output. */
const GO_TEST_FAIL = '--- FAIL: ';

export const go: FormatModule = {
  id: 'go',
  // Cheap pre-check on the raw text: no trigger, no report of this format.
  triggers: ['goroutine ', 'panic: ', 'fatal error: ', 'SIGQUIT: ', 'DATA RACE', GO_TEST_FAIL],
  // Above the sanitizers: UBSan's `runtime error:` reader also matches Go's
  // `panic: runtime error: …` line, and a Go report is never a sanitizer report.
  priority: 11,
  find: parseGo,
};
