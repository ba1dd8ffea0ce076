/**
 * Go panics, fatal errors and goroutine dumps, as the Go runtime prints them.
 * Takes: the cleaned document. Gives: one report per crash or dump: the panic value or
 * fatal error as message, the signal line, every goroutine as a thread (id = goroutine
 * number, state = `chan receive, 5 minutes`), the crashing goroutine (the one printed right
 * after the header), its `created by` frame as a `goroutine-created` stack, and identical
 * stacks folded into `groups` (like panicparse) so that a dump of 10,000 goroutines reads
 * as a handful of lines.
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

function newMemo(): LineMemo {
  return { calls: new Map(), locs: new Map(), states: new Map() };
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

interface ParsedGoroutine {
  thread: Thread;
  createdBy: Frame | null;
  next: number;
}

/**
 * Parse frames after `goroutine N [state]:` until a blank line or another header. The
 * `created by` frame is built only when `wantCreatedBy` (the crashing goroutine's).
 */
function parseGoroutine(lines: string[], i: number, id: string, state: string, memo: LineMemo, wantCreatedBy: boolean): ParsedGoroutine {
  const known = memo.states.get(state);
  if (known !== undefined) state = known;
  else if (memo.states.size < MEMO_LIMIT) memo.states.set(state, state);
  const frames: Frame[] = [];
  let createdText: string | null = null;
  let createdLoc: string | null = null;
  let j = i;
  for (; j < lines.length; j++) {
    const l = lines[j];
    if (l === '' || l.startsWith('goroutine ') || l.startsWith('panic: ') || l.startsWith('fatal error: ')) break;
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
  return { thread: { id, name: null, crashed: false, state: state || null, frames }, createdBy, next: j };
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
interface FoldNode {
  next: Map<number, FoldNode>;
  entry: { group: Group; mins: number[] } | null;
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
  const entries: Array<{ group: Group; mins: number[] }> = [];
  // A dump's goroutines share a few states: each is split once.
  const states = new Map<string | null, ReturnType<typeof splitState>>();
  for (const t of threads) {
    let st = states.get(t.state);
    if (st === undefined) {
      st = splitState(t.state);
      if (states.size < 4096) states.set(t.state, st);
    }
    let node: FoldNode | undefined = roots.get(st.base);
    if (!node) roots.set(st.base, (node = { next: new Map(), entry: null }));
    for (const f of t.frames) {
      const id = frameId(f);
      let child: FoldNode | undefined = node.next.get(id);
      if (!child) node.next.set(id, (child = { next: new Map(), entry: null }));
      node = child;
    }
    let e = node.entry;
    if (!e) {
      e = { group: { count: 0, state: st.base || null, ids: [], frames: t.frames }, mins: [] };
      node.entry = e;
      entries.push(e);
    }
    e.group.count++;
    e.group.ids!.push(t.id);
    if (st.minutes != null) e.mins.push(st.minutes);
  }
  const groups: Group[] = [];
  for (const { group, mins } of entries) {
    if (mins.length > 0) {
      let lo = mins[0];
      let hi = mins[0];
      for (const m of mins) {
        if (m < lo) lo = m;
        if (m > hi) hi = m;
      }
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

export function parseGo(doc: Doc): ParsedReport[] {
  const lines = doc.lines;
  const out: ParsedReport[] = [];
  const memo = newMemo();
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
    const threads: Thread[] = [];
    const seenIds = new Map<number | string, number>();
    let crashCreatedBy: Frame | null = null;
    let lastLine = j - 1;
    while (j < lines.length) {
      const t = lines[j];
      if (t === '') {
        j++;
        continue;
      }
      if (!(t.startsWith('goroutine ') && t.endsWith(']:'))) break;
      const m = GOROUTINE_RE.exec(t);
      if (!m) break;
      const g = parseGoroutine(lines, j + 1, m[1], m[2], memo, threads.length === 0);
      if (threads.length === 0) crashCreatedBy = g.createdBy;
      // Two goroutines that crash at once can each print the other: keep one entry per id,
      // the one with a stack.
      // Ids are digits: a number key hashes cheaply (`007` stays a string, unlike `7`).
      const gid = g.thread.id;
      const key = gid.length > 1 && gid.charCodeAt(0) === 48 ? gid : Number(gid);
      const seen = seenIds.get(key) ?? -1;
      if (seen < 0) {
        seenIds.set(key, threads.length);
        threads.push(g.thread);
      } else if (threads[seen].frames.length === 0) threads[seen] = { ...g.thread, crashed: threads[seen].crashed };
      lastLine = g.next - 1;
      j = g.next;
      // A panic inside the dump belongs to the next report.
      if (j < lines.length && isHeader(lines[j])) break;
    }
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
      const blocked = threads.filter((t) => t.state && /^(chan |select|semacquire|sync\.|IO wait|sleep)/.test(t.state)).length;
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
  return out;
}

export const go: FormatModule = {
  id: 'go',
  // Cheap pre-check on the raw text: no trigger, no report of this format.
  triggers: ['goroutine ', 'panic: ', 'fatal error: ', 'SIGQUIT: ', 'DATA RACE'],
  // Above the sanitizers: UBSan's `runtime error:` reader also matches Go's
  // `panic: runtime error: …` line, and a Go report is never a sanitizer report.
  priority: 11,
  find: parseGo,
};
