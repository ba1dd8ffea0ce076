/**
 * valgrind reports: memcheck, helgrind and drd.
 * Takes: the cleaned document. Gives: one ParsedReport per valgrind run (one `==pid==`):
 * the run's first error (else its first definite leak) is the crash — its stack is the
 * crashing thread, its headline the message — with the block it relates to (`Address 0x… is
 * 0 bytes inside a block of size 40 free'd` → the `freed` and `allocated` stacks), origins
 * (`Uninitialised value was created by …` → `origin`), the conflicting access of a race
 * (`other-access`), thread announcements (`thread-created`), and the fatal signal
 * (`Process terminating with default action of signal 11 (SIGSEGV)` + `Access not within
 * mapped region at address 0x0` → signal with fault address, null-deref).
 *
 * Error headlines and the block descriptions are tables (ERRORS, BLOCKS): a new valgrind
 * message is a new row.
 */
import { emptyReport, type Access, type CrashKind, type Fact, type Frame, type ParsedReport, type Signal, type Stack, type StackRole } from '../model.js';
import type { Doc } from '../ingest/doc.js';
import type { FormatModule } from './format.js';
import { isNullPageAddress } from '../diagnose/kind-table.js';
import { hintRuntimeFrames, kindOf, withReason, makeFrame, skipWs, trimEndTo, sanitizerLineIndex, sanitizerTitle } from './sanitizer-frames.js';

interface ErrorRow {
  startsWith: string;
  /** Class looked up in the kind table (null: decided by the block description). */
  cls: string | null;
  /** Short class for the title. */
  label: string;
  access?: Access['type'];
  leak?: boolean;
  race?: boolean;
}

/** Error headlines (text after `==pid== `). First match wins. */
const ERRORS: ErrorRow[] = [
  { startsWith: 'Invalid read of size', cls: null, label: 'invalid-read', access: 'read' },
  { startsWith: 'Invalid write of size', cls: null, label: 'invalid-write', access: 'write' },
  { startsWith: 'Jump to the invalid address', cls: null, label: 'invalid-jump', access: 'call' },
  { startsWith: 'Invalid free()', cls: 'invalid free', label: 'invalid-free', access: 'free' },
  { startsWith: 'Mismatched free()', cls: 'mismatched free', label: 'mismatched-free', access: 'free' },
  { startsWith: 'Conditional jump or move depends on uninitialised value', cls: 'uninitialised value', label: 'uninitialised-value' },
  { startsWith: 'Use of uninitialised value', cls: 'uninitialised value', label: 'uninitialised-value' },
  { startsWith: 'Syscall param', cls: null, label: 'syscall-param' },
  { startsWith: 'Source and destination overlap', cls: 'memcpy-param-overlap', label: 'overlap' },
  { startsWith: 'Argument \'size\' of function', cls: 'negative-size-param', label: 'fishy-size' },
  { startsWith: 'Invalid alignment value', cls: null, label: 'invalid-alignment' },
  { startsWith: 'Possible data race', cls: 'possible data race', label: 'data race', race: true },
  { startsWith: 'Conflicting load', cls: 'data race', label: 'data race', access: 'read', race: true },
  { startsWith: 'Conflicting store', cls: 'data race', label: 'data race', access: 'write', race: true },
  { startsWith: 'Thread #', cls: null, label: 'thread-error' },
];

/** Block descriptions under an invalid access or free: what the address was. */
const BLOCKS: Array<{ includes: string; cls: string; label: string; stack: StackRole }> = [
  { includes: "not stack'd, malloc'd or (recently) free'd", cls: 'segv', label: 'wild-access', stack: 'allocated' },
  { includes: " free'd", cls: 'use-after-free', label: 'use-after-free', stack: 'freed' },
  { includes: 'bytes after a block', cls: 'heap-buffer-overflow', label: 'heap-buffer-overflow', stack: 'allocated' },
  { includes: 'bytes before a block', cls: 'heap-buffer-overflow', label: 'heap-buffer-overflow', stack: 'allocated' },
  { includes: "bytes inside a block of size", cls: 'heap-buffer-overflow', label: 'heap-buffer-overflow', stack: 'allocated' },
  { includes: "stack", cls: 'stack-buffer-overflow', label: 'stack-access', stack: 'allocated' },
  { includes: 'data symbol', cls: 'global-buffer-overflow', label: 'global-access', stack: 'allocated' },
];

/** Sub-headers that introduce a stack of the current error. */
const SUBSTACKS: Array<{ startsWith: string; role: StackRole }> = [
  { startsWith: "Block was alloc'd at", role: 'allocated' },
  { startsWith: 'Uninitialised value was created', role: 'origin' },
  { startsWith: 'This conflicts with a previous', role: 'other-access' },
  { startsWith: 'Other segment start', role: 'other-access' },
  { startsWith: 'Other segment end', role: 'other-access' },
  { startsWith: 'Lock at', role: 'lock-chain' },
  { startsWith: 'Required order was established by', role: 'lock-chain' },
  { startsWith: 'followed by a later acquisition of', role: 'lock-chain' },
];

/**
 * Rows of a table whose `startsWith` begin with each char code (under 128), in table order:
 * a line is tested only against the rows its first char allows (first match still wins,
 * since rows of other first chars cannot match).
 */
function byFirstChar<T extends { startsWith: string }>(rows: T[]): T[][] {
  const buckets: T[][] = [];
  for (let c = 0; c < 128; c++) buckets.push([]);
  for (const r of rows) buckets[r.startsWith.charCodeAt(0)].push(r);
  return buckets;
}

/** The first row of `buckets` (from byFirstChar) that `text` starts with, else null. */
function firstRow<T extends { startsWith: string }>(buckets: T[][], text: string): T | null {
  const c = text.charCodeAt(0);
  if (!(c < 128)) return null;
  const rows = buckets[c];
  for (let k = 0; k < rows.length; k++) if (text.startsWith(rows[k].startsWith)) return rows[k];
  return null;
}

const ERRORS_BY_FIRST = byFirstChar(ERRORS);
const SUBSTACKS_BY_FIRST = byFirstChar(SUBSTACKS);

/**
 * Regexes of buildReport, compiled once (a literal in the function is a new object per run,
 * and `[\w]{0,63}` is costly to compile). No `g`/`y` flag: no state between uses.
 */
const SYSCALL_PARAM = /^Syscall param ([A-Za-z_][\w]{0,63})[(:]/;
const SIZE = /of size (\d{1,12})| size (\d{1,12})$/;

const SIGNAL_NUMBERS: Record<string, number> = { SIGSEGV: 11, SIGBUS: 7, SIGFPE: 8, SIGILL: 4, SIGABRT: 6, SIGTRAP: 5 };

interface VgError {
  line: number;
  headline: string;
  row: ErrorRow | null;
  leak: boolean;
  definite: boolean;
  thread: string;
  frames: Frame[];
  stacks: Stack[];
  block: string | null;
  facts: Fact[];
  signal: Signal | null;
}

/**
 * Length of a `==123== ` / `--123-- ` / `**123** ` prefix (the body starts there; the line's
 * length when the prefix ends it), or 0 when the line has none.
 * valgrind writes its prefix followed by a space (a bare `==123==` when a paste lost the
 * trailing blank); the sanitizers write `==123==ERROR: AddressSanitizer…`, `==123==ABORTING`
 * with no space, so those lines are not valgrind's even when the pid is the same.
 */
function prefixLength(line: string): number {
  // One sticky regex rather than a loop over the pid's digits: most of a cold run passes
  // here before loops are optimised, and a regex is native from the start.
  PREFIX.lastIndex = 0;
  return PREFIX.test(line) ? PREFIX.lastIndex : 0;
}

/**
 * `==123== ` (or `--`, `**`): 1–12 digits, then a space or the end of the line. Three
 * alternatives rather than one with back-references, which the regex engine runs slower.
 */
const PREFIX = /(?:==\d{1,12}==|--\d{1,12}--|\*\*\d{1,12}\*\*)(?: |$)/y;

const BANNERS = [', a memory error detector', ', a thread error detector'];

/** The first line of a run (`Memcheck, a memory error detector`, `Helgrind, a thread error detector`), on the text `line[ts, te)`. */
function isBanner(line: string, ts: number, te: number): boolean {
  // Both end `detector`: most lines are ruled out by their last char.
  if (te === ts || line.charCodeAt(te - 1) !== 114) return false;
  for (let k = 0; k < BANNERS.length; k++) if (te - ts >= BANNERS[k].length && line.startsWith(BANNERS[k], te - BANNERS[k].length)) return true;
  return false;
}

function isLineTerminator(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/**
 * `at 0x4844: free (in /usr/…so)` / `by 0x1091: main (file.c:13)` → Frame, read from the
 * text `line[ts, te)` (trimmed, starting `at 0x` or `by 0x`) by index, without slicing it.
 */
function parseFrame(line: string, ts: number, te: number, index: number, tails: Map<string, Tail>): Frame | null {
  const s0 = ts + 3;
  const colon = line.indexOf(': ', s0);
  if (colon < 0 || colon + 2 > te || colon - s0 > 20) return null;
  const address = line.slice(s0, colon);
  const r0 = colon + 2;
  // What follows the address depends on that text alone; runs repeat their stacks (the same
  // program run again, the same allocator frames under every error), so each is read once.
  let tail: Tail;
  if (te - r0 <= MAX_TAIL_KEY) {
    const key = line.slice(r0, te);
    const known = tails.get(key);
    if (known !== undefined) tail = known;
    else {
      tail = parseTail(line, r0, te);
      if (tails.size < MAX_TAILS) tails.set(key, tail);
    }
  } else tail = parseTail(line, r0, te);
  return makeFrame(index, tail.fn, false, address, tail.module, tail.file, tail.line, null);
}

/** What a frame line says after its address: `free (in /usr/…so)`, `main (file.c:13)`. */
interface Tail {
  fn: string | null;
  module: string | null;
  file: string | null;
  line: number | null;
}

/** Tails longer than this are read each time (no long keys kept). */
const MAX_TAIL_KEY = 400;
/** Distinct tails kept per document. */
const MAX_TAILS = 20000;

/** The Tail in `line[r0, te)`. */
function parseTail(line: string, r0: number, te: number): Tail {
  let re = te;
  let file: string | null = null;
  let lineNo: number | null = null;
  let module: string | null = null;
  if (re > r0 && line.charCodeAt(re - 1) === 41) {
    const open = re - 2 >= r0 ? line.lastIndexOf(' (', re - 2) : -1;
    if (open >= r0) {
      const l0 = open + 2;
      const l1 = re - 1;
      if (l1 - l0 >= 3 && line.startsWith('in ', l0)) {
        module = line.slice(l0 + 3, l1);
        re = open;
      } else {
        // `file.c:13` as /^(.{1,4096}?):(\d{1,9})$/ reads it: the last colon, 1–9 digits after it.
        let k = l1 - 1;
        while (k >= l0 && line.charCodeAt(k) >= 48 && line.charCodeAt(k) <= 57) k--;
        const digits = l1 - 1 - k;
        if (digits >= 1 && digits <= 9 && k > l0 && k - l0 <= 4096 && line.charCodeAt(k) === 58) {
          let ok = true;
          for (let q = l0; q < k; q++) if (isLineTerminator(line.charCodeAt(q))) { ok = false; break; }
          if (ok) {
            file = line.slice(l0, k);
            lineNo = Number(line.slice(k + 1, l1));
            re = open;
          }
        }
      }
    }
  }
  const fn = re === r0 || (re - r0 === 3 && line.startsWith('???', r0)) ? null : line.slice(r0, re);
  return { fn, module: module || null, file: file || null, line: lineNo };
}

function newError(line: number, headline: string, thread: string): VgError {
  return { line, headline, row: null, leak: false, definite: false, thread, frames: [], stacks: [], block: null, facts: [], signal: null };
}

/** One valgrind run (one pid, from banner to ERROR SUMMARY) as readRuns reads it. */
interface Run { pid: string; start: number; end: number; tool: string; errors: VgError[]; thread: string; cur: VgError | null; target: Frame[] | null; summary: boolean; closed: boolean; listing: boolean; pendingRole: StackRole | null; pendingThread: string | null; leakMode: boolean; announced: Map<string, Stack> }

/** Read the runs (one per pid) in the document. */
function readRuns(doc: Doc): ParsedReport[] {
  const lines = doc.lines;
  const runs = new Map<string, Run>();
  const order: Run[] = [];
  // The pid of the line before (valgrind's lines come in runs of the same pid).
  let lastPid = '';
  // The run of the last line that reached one, and its pid (see runs.get below).
  let lastRunPid = '';
  let lastRun: Run | undefined;
  // Frame tails read so far (see parseFrame).
  const tails = new Map<string, Tail>();
  // Only lines of 5+ characters starting `=`, `-` or `*` can be valgrind's (one shared scan finds them).
  const candidates = sanitizerLineIndex(doc).prefixed;
  for (let c = 0; c < candidates.length; c++) {
    const i = candidates[c];
    const l = lines[i];
    const bs = prefixLength(l);
    if (bs === 0) continue;
    const pidEnd = l.charCodeAt(bs - 1) === 32 ? bs - 3 : bs - 2;
    const pid = pidEnd - 2 === lastPid.length && l.startsWith(lastPid, 2) ? lastPid : (lastPid = l.slice(2, pidEnd));
    // The body's text, trimmed, is l[ts, te); it becomes a string only when a line is no frame.
    const ts = skipWs(l, bs, l.length);
    const te = trimEndTo(l, ts, l.length);
    // (No read past the end when the prefix ends the line: that throws compiled code away.)
    const indented = bs < l.length && l.charCodeAt(bs) === 32;
    // The run of the line before, when the pid is the same string (no map lookup).
    let run = pid === lastRunPid ? lastRun : runs.get(pid);
    // A run ends with its ERROR SUMMARY; a banner starts a new one. Pids are reused (logs of
    // many runs, the same test run again), so a later run of the same pid is its own report.
    // `-s`/`-v` list the errors again after the first ERROR SUMMARY (`1 errors in context 1
    // of 2:` … a second ERROR SUMMARY): that list belongs to the run and adds no errors.
    if (run && run.closed) {
      if (ts === te) continue;
      const text = l.slice(ts, te);
      if (!isBanner(l, ts, te) && (text.includes(' in context ') || text.startsWith('used_suppression'))) {
        run.closed = false;
        run.listing = true;
      }
    }
    if (run && (run.closed || (run.end > run.start && isBanner(l, ts, te)))) {
      runs.delete(pid);
      run = undefined;
    }
    if (!run) {
      run = { pid, start: i, end: i, tool: 'memcheck', errors: [], thread: '1', cur: null, target: null, summary: false, closed: false, listing: false, pendingRole: null, pendingThread: null, leakMode: false, announced: new Map() };
      runs.set(pid, run);
      order.push(run);
    }
    run.end = i;
    lastRunPid = pid;
    lastRun = run;
    if (ts === te) {
      run.target = null;
      continue;
    }
    // Frames of the current stack.
    if (indented && (l.startsWith('at 0x', ts) || l.startsWith('by 0x', ts))) {
      if (run.target) {
        const f = parseFrame(l, ts, te, run.target.length, tails);
        if (f && run.target.length < 5000) run.target.push(f);
      }
      continue;
    }
    readText(run, l.slice(ts, te), indented, i);
  }

  const out: ParsedReport[] = [];
  for (const run of order) {
    const r = buildReport(run.pid, run.start, run.end, run.tool, run.errors, run.announced, run.summary, lines.length);
    if (r) out.push(r);
  }
  return out;
}

/**
 * A line of a run that is no frame and not empty (its text trimmed): banners, summaries,
 * headlines and the sub-lines under them. Apart from readRuns' loop, so that loop (mostly
 * frames) stays small and is optimised early in a cold run, and so is this.
 */
function readText(run: Run, text: string, indented: boolean, i: number): void {
  if (text.includes(', a memory error detector')) run.tool = 'memcheck';
  else if (text.startsWith('Helgrind,')) run.tool = 'helgrind';
  else if (text.startsWith('drd,')) run.tool = 'drd';
  if (run.listing && !text.startsWith('ERROR SUMMARY:')) {
    run.target = null;
    return;
  }
  const c0 = text.charCodeAt(0);
  // `ERROR SUMMARY:`, `HEAP SUMMARY:`, `LEAK SUMMARY:`, told apart by their first char.
  if (c0 === 69 ? text.startsWith('ERROR SUMMARY:') : c0 === 72 ? text.startsWith('HEAP SUMMARY:') : c0 === 76 && text.startsWith('LEAK SUMMARY:')) {
    run.summary = true;
    run.target = null;
    if (c0 === 69) run.closed = true;
    else if (c0 === 72) run.leakMode = true;
    return;
  }
  const th = text.startsWith('Thread ') && text.endsWith(':') ? /^Thread (\d{1,9})(?: [^:]{1,64})?:$/.exec(text) : null;
  if (th) {
    run.thread = th[1];
    return;
  }
  if (text.startsWith('---Thread-Announcement')) return;
  const ann = text.startsWith('Thread #') ? /^Thread #(\d{1,9}) was created$/.exec(text) : null;
  if (ann) {
    const st: Stack = { role: 'thread-created', thread: ann[1], title: text, frames: [] };
    run.announced.set(ann[1], st);
    run.target = st.frames;
    return;
  }
  if (ann === null && text.startsWith('Thread #') && text.endsWith("is the program's root thread")) return;
  // Sub-lines that helgrind and drd print without indentation.
  if (run.cur && !indented) {
    if (text.startsWith('Locks held:')) {
      // The stack of the access follows this line.
      if (run.cur.stacks.length === 0) run.cur.facts.push({ code: 'other', text });
      return;
    }
    if (text.startsWith('Allocation context:')) {
      run.cur.facts.push({ code: 'other', text });
      run.target = null;
      return;
    }
    const sub0 = firstRow(SUBSTACKS_BY_FIRST, text);
    if (sub0) {
      const t = /by thread #?(\d{1,9})|\(thread (\d{1,9})\)/.exec(text);
      const st: Stack = { role: sub0.role, ...(t ? { thread: t[1] ?? t[2] } : {}), title: text, frames: [] };
      run.cur.stacks.push(st);
      run.target = st.frames;
      return;
    }
  }
  if (!indented) readHeadline(run, text, i);
  else readSubLine(run, text);
}

/** A line of a run, not indented, that readText did not take: an error, a leak record, the fatal signal, or nothing. */
function readHeadline(run: Run, text: string, i: number): void {
  const sig = text.startsWith('Process terminating') ? /^Process terminating with default action of signal (\d{1,3}) \((SIG[A-Z]{2,8})\)/.exec(text) : null;
  if (sig) {
    const e = newError(i, text, run.thread);
    e.signal = { name: sig[2], number: Number(sig[1]) || SIGNAL_NUMBERS[sig[2]] };
    run.errors.push(e);
    run.cur = e;
    run.target = e.frames;
    return;
  }
  const leak = text.includes(' in loss record ') ? / are (definitely|indirectly|possibly) lost in loss record | are still reachable in loss record /.exec(text) : null;
  if (leak) {
    const e = newError(i, text, run.thread);
    e.leak = true;
    e.definite = leak[1] === 'definitely';
    run.errors.push(e);
    run.cur = e;
    run.target = e.frames;
    return;
  }
  const row = firstRow(ERRORS_BY_FIRST, text);
  if (row) {
    const e = newError(i, text, run.thread);
    e.row = row;
    if (row.race) {
      const t = /by thread #?(\d{1,9})/.exec(text);
      if (t) e.thread = t[1];
    }
    run.errors.push(e);
    run.cur = e;
    run.target = e.frames;
    return;
  }
  run.target = null;
}

/** An indented sub-line of the current error (`Address 0x… is …`, `Block was alloc'd at`, …). */
function readSubLine(run: Run, text: string): void {
  const e = run.cur;
  if (!e) return;
  if (text.startsWith('Access not within mapped region at address ') || text.startsWith('Bad permissions for mapped region at address ') || text.startsWith('General Protection Fault')) {
    const m = /at address (0x[0-9A-Fa-f]{1,16})/.exec(text);
    if (e.signal && m) e.signal.faultAddress = m[1];
    e.facts.push({ code: 'other', text });
    run.target = e.signal ? e.frames.length === 0 ? e.frames : null : null;
    return;
  }
  if (text.startsWith('Address 0x')) {
    e.block = text;
    e.facts.push({ code: 'other', text });
    const b = BLOCKS.find((r) => text.includes(r.includes));
    if (b && (text.endsWith(" alloc'd") || text.endsWith(" free'd"))) {
      const st: Stack = { role: text.endsWith(" free'd") ? 'freed' : 'allocated', title: text, frames: [] };
      e.stacks.push(st);
      run.target = st.frames;
    } else run.target = null;
    return;
  }
  const sub = firstRow(SUBSTACKS_BY_FIRST, text);
  if (sub) {
    const t = /by thread #?(\d{1,9})|\(thread (\d{1,9})\)/.exec(text);
    const st: Stack = { role: sub.role, ...(t ? { thread: t[1] ?? t[2] } : {}), title: text, frames: [] };
    e.stacks.push(st);
    run.target = st.frames;
    return;
  }
  if (text.startsWith('Locks held:')) {
    e.facts.push({ code: 'other', text });
    return;
  }
  if (text.startsWith('(thread finished')) return;
  run.target = null;
}

function buildReport(pid: string, start: number, end: number, tool: string, errors: VgError[], announced: Map<string, Stack>, summary: boolean, docLines: number): ParsedReport | null {
  if (errors.length === 0) return null;
  const sig = errors.find((e) => e.signal) ?? null;
  const primary = errors.find((e) => !e.leak && !e.signal && e.row && e.row.label !== 'thread-error') ??
    sig ?? errors.find((e) => e.definite) ?? errors.find((e) => !e.leak) ?? errors[0];
  const report = emptyReport('valgrind', start);
  report.endLine = end;
  report.complete = summary || end < docLines - 1;
  const facts: Fact[] = [...primary.facts];
  if (!report.complete) facts.push({ code: 'truncated', text: 'The valgrind output ends before its ERROR SUMMARY: it was cut off.' });
  const frames = primary.frames.length ? primary.frames : sig?.frames ?? [];
  hintRuntimeFrames(frames);
  // `Syscall param write(buf) …`: frame 0 is the C library's wrapper of that system call.
  const sc = primary.headline.startsWith('Syscall param ') ? SYSCALL_PARAM.exec(primary.headline) : null;
  if (sc && frames[0] && frames[0].function && frames[0].function.replace(/^__(?:GI_|libc_)*_?/, '') === sc[1]) frames[0].roleHint ??= 'library';
  for (const s of primary.stacks) hintRuntimeFrames(s.frames);
  report.threads.push({ id: primary.thread, name: null, crashed: true, state: null, frames });
  report.crashingThreadId = primary.thread;
  report.stacks = primary.stacks.filter((st) => st.frames.length > 0);
  // For a leak, the other loss records are allocation stacks too (as LeakSanitizer's list).
  if (primary.leak) {
    for (const e of errors) {
      if (e === primary || !e.leak || e.frames.length === 0) continue;
      hintRuntimeFrames(e.frames);
      report.stacks.push({ role: 'allocated', title: e.headline, frames: e.frames });
    }
  }
  // Helgrind announces the threads it names: the crashing thread's and the other access's.
  const named = new Set([primary.thread, ...primary.stacks.map((s) => s.thread).filter((t): t is string => !!t)]);
  for (const [id, st] of announced) if (named.has(id) && st.frames.length) { hintRuntimeFrames(st.frames); report.stacks.push(st); }
  report.message = primary.headline;
  report.signal = sig?.signal ?? null;

  // Access: `Invalid read of size 4` + `Address 0x… is …`, races `during read of size 4 at 0x…`.
  const row = primary.row;
  let access: Access | null = null;
  const size = SIZE.exec(primary.headline);
  const addr = /(?:at|Address) (0x[0-9A-Fa-f]{1,16})/.exec(primary.headline) ?? (primary.block ? /^Address (0x[0-9A-Fa-f]{1,16})/.exec(primary.block) : null);
  if (row?.access || row?.race) {
    const type: Access['type'] = row.access ?? (primary.headline.includes('during write') ? 'write' : primary.headline.includes('during read') ? 'read' : 'unknown');
    access = { type, ...(size ? { size: Number(size[1] ?? size[2]) } : {}), ...(addr ? { address: addr[1] } : {}) };
  }
  report.access = access;

  // Kind.
  let kind: { kind: CrashKind; confidence: 'high' | 'medium' | 'low'; reason: string } | null = null;
  let label = row?.label ?? 'error';
  const block = primary.block ? BLOCKS.find((b) => primary.block!.includes(b.includes)) ?? null : null;
  if (primary === sig || (row && (row.label === 'invalid-read' || row.label === 'invalid-write' || row.label === 'invalid-jump') && block?.label === 'wild-access')) {
    const fault = sig?.signal?.faultAddress ?? (addr ? addr[1] : undefined);
    if (fault && isNullPageAddress(fault)) {
      kind = { kind: 'null-deref', confidence: 'high', reason: `valgrind: access at address ${fault} (the NULL page)` };
      label = 'null-deref';
    } else if (sig?.signal) {
      const k = kindOf(sig.signal.name);
      if (k) kind = withReason(k, `valgrind: ${primary.headline}`);
      label = sig.signal.name;
    }
  }
  if (!kind && primary.leak) {
    const k = kindOf('memory leak');
    kind = k ? withReason(k, primary.headline) : { kind: 'leak', confidence: 'high', reason: `valgrind: ${primary.headline}` };
    label = 'memory leak';
  }
  if (!kind && row) {
    let cls = row.cls;
    if (cls === null && (row.label === 'invalid-read' || row.label === 'invalid-write') && block) { cls = block.cls; label = block.label; }
    if (cls === 'invalid free' && block?.label === 'use-after-free') { cls = 'double free'; label = 'double-free'; }
    if (row.label === 'syscall-param') {
      const uninit = primary.headline.includes('uninitialised');
      cls = uninit ? 'uninitialised value' : 'segv';
      label = uninit ? 'uninitialised syscall param' : 'unaddressable syscall param';
    }
    if (row.label === 'thread-error' && primary.headline.includes('lock order')) { cls = 'lock-order-inversion'; label = 'lock-order-inversion'; }
    const k = cls ? kindOf(cls) : null;
    if (k) kind = withReason(k, `valgrind ${tool}: ${primary.headline}`);
  }
  report.kind = kind;
  report.title = sanitizerTitle(label, access, frames, !row?.race);
  const more = errors.filter((e) => e !== primary && !e.signal).length;
  if (more > 0) facts.push({ code: 'other', text: `${more} more valgrind error(s) or leak record(s) in this run (pid ${pid}).`, value: String(more) });
  report.facts = facts;
  return report;
}

export const valgrind: FormatModule = {
  id: 'valgrind',
  priority: 10,
  // A run becomes a report only through an error headline (ERRORS), a leak record or the
  // fatal signal, so these cover every report (each trigger is one scan of the whole text).
  triggers: ['Invalid ', 'uninitialised value', 'Mismatched free', 'Possible data race', 'Conflicting ', 'loss record', 'Process terminating with default action', 'Jump to the invalid address', 'Syscall param', 'Source and destination overlap', "Argument 'size' of function", 'Thread #'],
  find(doc: Doc): ParsedReport[] {
    return readRuns(doc);
  },
};
