/**
 * AddressSanitizer and HWASan reports (and the shared reader for sanitizers that print the
 * same `==pid==ERROR: <Tool>: <class> …` / `#N` frames / `SUMMARY:` shape: MSan, and
 * UBSan's deadly-signal reports).
 * Takes: the cleaned document. Gives: one ParsedReport per sanitizer error: kind (from the
 * error class through the kind table), access (`READ of size 4 at 0x…`), the access stack as
 * the crashing thread, the `freed by` / `previously allocated by` / thread-created / origin
 * stacks in `stacks`, the SUMMARY line as message, a syzbot-style title, and the signal with
 * its fault address for `SEGV on unknown address`. The shadow-byte map and legend are skipped.
 *
 * Stack headers are a table (STACK_HEADERS): adding a stack kind is adding a row.
 */
import { emptyReport, type Access, type Fact, type Frame, type ParsedReport, type Signal, type StackRole } from '../model.js';
import type { Doc } from '../ingest/doc.js';
import type { FormatModule } from './format.js';
import { bornCompacted, mayBuildCompacted } from './compacted.js';
import { isNullPageAddress } from '../diagnose/kind-table.js';
import { detached, HEADLINE_TOOLS, hintRuntimeFrames, kindOf, withReason, isWs, parseAccessLine, pidPrefixLength, readFrames, readFramesLite, sanitizerLineIndex, sanitizerTitle, spanIncludes, spanIs, spanStarts, stripPidPrefix, textSpan, threadIdFrom, type TextSpan } from './sanitizer-frames.js';

export interface SanitizerSpec {
  /** Format id of the reports. */
  format: string;
  /** Tool names as printed after `ERROR:`/`WARNING:` (`AddressSanitizer`). */
  tools: string[];
  /**
   * The headline class this reader leaves to another format (LeakSanitizer's leak list), or
   * null. Never left out, and no array (whose kind of elements would differ between an
   * empty and a filled one): every spec has the same shape, so the reader compiled for the
   * first tool serves the next instead of being thrown away.
   */
  skipHeadline: string | null;
}

interface StackHeader {
  /** Text the header line starts with (after leading blanks and a `==pid==` prefix). */
  startsWith: string;
  /** And must also contain, when given. */
  includes?: string;
  role: StackRole | 'ignore';
}

/** Lines that announce the stack printed under them. First match wins. */
const STACK_HEADERS: StackHeader[] = [
  { startsWith: 'freed by thread', role: 'freed' },
  { startsWith: 'previously allocated by thread', role: 'allocated' },
  { startsWith: 'allocated by thread', role: 'allocated' },
  { startsWith: 'previously allocated here', role: 'allocated' },
  { startsWith: 'allocated here', role: 'allocated' },
  { startsWith: 'freed here', role: 'freed' },
  { startsWith: 'Thread T', includes: ' created by ', role: 'thread-created' },
  { startsWith: 'Uninitialized value was created', role: 'origin' },
  { startsWith: 'Uninitialized value was stored to', role: 'origin' },
  { startsWith: 'Memory was marked as uninitialized', role: 'origin' },
  { startsWith: 'Member fields were destroyed', role: 'origin' },
  { startsWith: 'Address 0x', includes: 'is located in stack of thread', role: 'ignore' },
  { startsWith: '0x', includes: 'is located in stack of thread', role: 'ignore' },
  { startsWith: 'Address 0x', role: 'ignore' },
];

/** Headline phrasings whose class is not the first word. */
const HEADLINE_CLASSES: Array<{ startsWith: string; cls: string }> = [
  { startsWith: 'attempting double-free', cls: 'double-free' },
  { startsWith: 'attempting free on address which was not malloc', cls: 'bad-free' },
  { startsWith: 'requested allocation size', cls: 'allocation-size-too-big' },
  { startsWith: 'allocator is out of memory', cls: 'out-of-memory' },
  { startsWith: 'out of memory', cls: 'out-of-memory' },
  { startsWith: 'allocation-size-too-big', cls: 'allocation-size-too-big' },
  { startsWith: 'calloc parameters overflow', cls: 'calloc-overflow' },
  { startsWith: 'detected memory leaks', cls: 'memory leak' },
];

/** Signal classes of `<CLASS> on unknown address`. */
const SIGNALS: Record<string, { name: string; number: number }> = {
  SEGV: { name: 'SIGSEGV', number: 11 },
  BUS: { name: 'SIGBUS', number: 7 },
  FPE: { name: 'SIGFPE', number: 8 },
  ILL: { name: 'SIGILL', number: 4 },
  ABRT: { name: 'SIGABRT', number: 6 },
  TRAP: { name: 'SIGTRAP', number: 5 },
  'access-violation': { name: 'SIGSEGV', number: 11 },
  'int-divide-by-zero': { name: 'SIGFPE', number: 8 },
  'illegal-instruction': { name: 'SIGILL', number: 4 },
};

/** SIGNALS lookups by class, memoised: a class is a fresh string, and a property lookup by one is a slow runtime call. */
const signalMemo = new Map<string, (typeof SIGNALS)[string] | undefined>();

/** `SIGNALS[cls]`, own keys only (a class named `constructor` is not a signal), memoised. */
function signalOf(cls: string): (typeof SIGNALS)[string] | undefined {
  if (signalMemo.has(cls)) return signalMemo.get(cls);
  const sig = Object.hasOwn(SIGNALS, cls) ? SIGNALS[cls] : undefined;
  if (signalMemo.size >= 1000) signalMemo.clear();
  signalMemo.set(detached(cls), sig);
  return sig;
}

/** Starts of the lines after SUMMARY that still belong to the report (besides indented ones and `Exiting`). */
const TRAILER_STARTS = ['=>', '==', 'Shadow ', 'Memory tags', 'Tags for short', 'See http', 'Registers where', 'HINT'];

/**
 * Lines after SUMMARY that still belong to the report (shadow map, legend, ABORTING). One
 * loop over a table: its single call site has run before the reader is compiled, where a
 * chain of tests reached only by a rare line (HWASan's `Memory tags`) throws that code away.
 */
function isTrailer(line: string): boolean {
  if (line === '') return false;
  const c = line.charCodeAt(0);
  if (c === 32 || c === 9 || line === 'Exiting') return true;
  for (let k = 0; k < TRAILER_STARTS.length; k++) if (line.startsWith(TRAILER_STARTS[k])) return true;
  return false;
}

/** Lines inside a report before SUMMARY: anything sanitizer-like; three foreign lines in a row end it. */
function isBodyLine(line: string): boolean {
  if (line === '') return true;
  const c = line[0];
  if (c === ' ' || c === '\t' || c === '#' || c === '[' || c === '=') return true;
  return /^(?:0x|READ|WRITE|freed|previously|allocated|Thread|Address|HINT|Hint|Cause|Uninit|Memory|Tags|See |If you|This frame|Registers|Potentially|Note|The |AddressSanitizer|HWAddressSanitizer|MemorySanitizer|UndefinedBehaviorSanitizer|ABORTING|Exiting)/.test(line);
}


function classFromHeadline(rest: string): string {
  for (const row of HEADLINE_CLASSES) if (rest.startsWith(row.startsWith)) return row.cls;
  let end = 0;
  while (end < rest.length && end < 80 && rest[end] !== ' ' && rest[end] !== ':' && rest[end] !== '(') end++;
  return rest.slice(0, end);
}

function classFromSummary(summary: string): string | null {
  // `SUMMARY: AddressSanitizer: heap-use-after-free file.c:19:13 in f` → heap-use-after-free
  const k = summary.indexOf('Sanitizer: ');
  if (k < 0) return null;
  const rest = summary.slice(k + 11);
  const sp = rest.indexOf(' ');
  const tok = sp < 0 ? rest : rest.slice(0, sp);
  if (!tok || /^\d/.test(tok)) return null;
  return tok;
}

function hexAfter(text: string, marker: string): string | null {
  const k = text.indexOf(marker);
  if (k < 0) return null;
  const m = /^0x[0-9a-fA-F]{1,16}/.exec(text.slice(k + marker.length));
  return m ? m[0] : null;
}

/** First chars of an access line (`READ`, `WRITE`, `Read`, `Write`, `read`, `write`, `Atomic `). */
function mayBeAccessLine(text: string): boolean {
  const c = text.charCodeAt(0);
  return c === 82 || c === 87 || c === 114 || c === 119 || c === 65;
}

/** First chars of the STACK_HEADERS rows: a line starting otherwise is no header. */
const HEADER_FIRST = new Set(STACK_HEADERS.map((h) => h.startsWith.charCodeAt(0)));

function stackHeader(text: string): StackHeader | null {
  if (!HEADER_FIRST.has(text.charCodeAt(0))) return null;
  for (const h of STACK_HEADERS) {
    if (text.startsWith(h.startsWith) && (h.includes === undefined || text.includes(h.includes))) return h;
  }
  return null;
}

/**
 * Read every report of the tools in `spec` from the document.
 * One pass: a headline starts a report, which runs to `ABORTING`, the end of the
 * shadow map after SUMMARY, the next headline, or three foreign lines in a row.
 */
export function readSanitizerReports(doc: Doc, spec: SanitizerSpec, emit?: (r: ParsedReport) => void): ParsedReport[] {
  const lines = doc.lines;
  const out: ParsedReport[] = [];
  // each report is handed over once read (detect compacts a dense log's as they come)
  const put = emit ?? ((r: ParsedReport) => out.push(r));
  // Only headline lines of the spec's tools can start a report (one shared scan finds them).
  const index = sanitizerLineIndex(doc);
  const candidates = index.headlines;
  // The spec's tools as bits of their HEADLINE_TOOLS indexes: a bit test per headline, where
  // an array's includes was a call, and one whose array (of another spec's length) the
  // compiled reader had not seen threw that code away.
  let wanted = 0;
  for (let t = 0; t < spec.tools.length; t++) wanted |= 1 << HEADLINE_TOOLS.indexOf(spec.tools[t]);
  // Headlines of these tools not yet reached, and reports handed over: past the first few
  // of a dense text, a report with more headlines after it is built compacted.
  let ahead = 0;
  for (let c = 0; c < candidates.length; c++) if (((wanted >> index.tools[c]) & 1) !== 0) ahead++;
  let emitted = 0;
  let i = 0;
  for (let c = 0; c < candidates.length; c++) {
    const at = candidates[c];
    if (((wanted >> index.tools[c]) & 1) === 0) continue;
    ahead--;
    if (at < i) continue;
    const l = lines[at];
    // `ERROR: <Tool>: rest` / `WARNING: <Tool>: rest`, read in place.
    const tool = HEADLINE_TOOLS[index.tools[c]];
    let k = pidPrefixLength(l);
    while (k < l.length && isWs(l.charCodeAt(k))) k++;
    const restAt = k + (l.charCodeAt(k) === 69 ? 7 : 9) + tool.length + 2;
    if (spec.skipHeadline !== null && l.startsWith(spec.skipHeadline, restAt)) continue;
    const r = readOne(lines, at, tool, l.slice(restAt), spec, mayBuildCompacted(emit, emitted, ahead));
    put(r.report);
    emitted++;
    i = Math.max(r.next, at + 1);
  }
  return out;
}

/** The text in `span` ends with `suffix`. */
function spanEnds(line: string, span: TextSpan, suffix: string): boolean {
  return span.end - span.start >= suffix.length && line.startsWith(suffix, span.end - suffix.length);
}

/** The text in `span` is 20 or more `=` (the rule above a report). */
function isRule(line: string, span: TextSpan): boolean {
  if (span.end - span.start < 20) return false;
  for (let k = span.start; k < span.end; k++) if (line.charCodeAt(k) !== 61) return false;
  return true;
}

/** Any sanitizer's headline (ends the current report), on the text in `span`. */
function anyHeadlineAt(line: string, span: TextSpan): boolean {
  return (spanStarts(line, span, 'ERROR: ') || spanStarts(line, span, 'WARNING: ')) && spanIncludes(line, span, 'Sanitizer: ');
}

/**
 * What readOne has read of a report so far: one object of one shape, so the work is split
 * into small functions (readOne's loop, readText for the lines that are no frames,
 * finishReport) that each optimise early in a cold run, where one large function took
 * TurboFan longer to compile than the whole log took to read.
 */
interface Reading {
  report: ParsedReport;
  facts: Fact[];
  tool: string;
  rest: string;
  cls: string;
  cause: string | null;
  summary: string | null;
  access: Access | null;
  accessThread: string | null;
  threadName: string | null;
  signal: Signal | null;
  crashFrames: Frame[] | null;
  crashThread: string | null;
  pending: { role: StackRole | 'ignore'; title: string; thread: string | null } | null;
  truncatedFrames: number;
  unknownAddress: boolean;
  /** Built compacted (formats/compacted.ts): stacks are counted, frames made only for the title. */
  lite: boolean;
  /** Frames of the kept stacks, counted when `lite`. */
  liteFrames: number;
}

function readOne(lines: string[], start: number, tool: string, rest: string, spec: SanitizerSpec, lite: boolean): { report: ParsedReport; next: number } {
  let startLine = start;
  // `AddressSanitizer:DEADLYSIGNAL` and the `=====` rule just above belong to the report.
  const span: TextSpan = { start: 0, end: 0 };
  for (let back = 1; back <= 2 && start - back >= 0; back++) {
    const prev = lines[start - back];
    textSpan(prev, span);
    if (spanEnds(prev, span, ':DEADLYSIGNAL') || isRule(prev, span)) startLine = start - back;
    else break;
  }
  const r = startReading(emptyReport(spec.format, startLine), tool, rest, lite);
  let end = start;
  let foreign = 0;
  let aborted = false;

  // Each line's text (no `==pid==` prefix, trimmed) is a span of the line: most lines are
  // frames and shadow-map rows, which need no string of their own.
  let i = start + 1;
  for (; i < lines.length; i++) {
    const raw = lines[i];
    textSpan(raw, span);
    // The text's first char: most lines (frames, shadow rows) are ruled out of the tests below by it.
    const c0 = span.start < span.end ? raw.charCodeAt(span.start) : 0;
    if (r.summary !== null) {
      if (!isTrailer(raw) || ((c0 === 69 || c0 === 87) && anyHeadlineAt(raw, span))) break;
      end = i;
      if (c0 === 65 && spanIs(raw, span, 'ABORTING')) {
        aborted = true;
        i++;
        break;
      }
      continue;
    }
    if ((c0 === 69 || c0 === 87) && anyHeadlineAt(raw, span)) break;
    if (c0 === 83 && spanStarts(raw, span, 'SUMMARY: ')) {
      r.summary = raw.slice(span.start + 9, span.end);
      end = i;
      continue;
    }
    if (pidPrefixLength(raw) === 0 && !isBodyLine(raw)) {
      if (++foreign >= 3) break;
      continue;
    }
    foreign = 0;
    end = i;
    if (span.start === span.end) continue;
    if (c0 === 65 && spanIs(raw, span, 'ABORTING')) {
      aborted = true;
      i++;
      break;
    }
    if (c0 === 35 && lite) {
      i = takeLiteStack(r, lines, i) - 1;
      end = Math.max(end, i);
      continue;
    }
    if (c0 === 35) {
      const { frames, next, dropped } = readFrames(lines, i, lines.length);
      if (frames.length === 0) continue;
      r.truncatedFrames += dropped;
      end = next - 1;
      i = next - 1;
      takeStack(r, frames);
      continue;
    }
    readText(r, raw.slice(span.start, span.end));
  }
  finishReport(r, lines[start], Math.max(end, start), aborted);
  if (lite) bornCompacted(r.report, r.liteFrames, r.report.threads[0].frames[0]?.function ?? null);
  return { report: r.report, next: i };
}

/** The Reading of a report from its headline (`rest`: the text after `<Tool>: `). */
function startReading(report: ParsedReport, tool: string, rest: string, lite: boolean): Reading {
  const cls = classFromHeadline(rest);
  const r: Reading = {
    report, facts: [], tool, rest, cls, cause: null, summary: null, access: null, accessThread: null, threadName: null, signal: null,
    crashFrames: null, crashThread: threadIdFrom(rest.includes('(pc ') ? rest.slice(rest.indexOf('(pc ')) : rest), pending: null,
    truncatedFrames: 0,
    lite,
    liteFrames: 0,
    // `SEGV on unknown address 0x…` and the short `ABRT (pc 0x… sp 0x… T0)`.
    unknownAddress: rest.includes(' on unknown address') || (signalOf(cls) !== undefined && rest.startsWith(cls + ' (pc ')),
  };
  if (r.unknownAddress) {
    const sig = signalOf(cls);
    const addr = hexAfter(rest, 'unknown address ');
    if (sig) r.signal = { name: sig.name, number: sig.number, ...(addr ? { faultAddress: addr } : {}) };
    if (addr) r.access = { type: 'unknown', address: addr };
  } else if (cls === 'stack-overflow') {
    const addr = hexAfter(rest, 'on address ');
    r.signal = { name: 'SIGSEGV', number: 11, ...(addr ? { faultAddress: addr } : {}) };
  }
  if (cls === 'double-free' || cls === 'bad-free' || cls === 'alloc-dealloc-mismatch') {
    const addr = hexAfter(rest, ' on ') ?? hexAfter(rest, 'malloc()-ed: ');
    r.access = { type: 'free', ...(addr ? { address: addr } : {}) };
  }
  return r;
}

/** A stack read: the one its header announced, else the first is the crashing one. */
function takeStack(r: Reading, frames: Frame[]): void {
  hintRuntimeFrames(frames);
  const pending = r.pending;
  if (pending) {
    if (pending.role !== 'ignore') {
      r.report.stacks.push(pending.thread ? { role: pending.role, thread: pending.thread, title: pending.title, frames } : { role: pending.role, title: pending.title, frames });
    }
    r.pending = null;
  } else if (r.crashFrames === null) {
    r.crashFrames = frames;
  }
}

/**
 * The stack at line `i` of a report built compacted: counted as `takeStack` would keep it,
 * frames made only for the crashing stack's top (its title). Returns the line after it.
 */
function takeLiteStack(r: Reading, lines: string[], i: number): number {
  const crash = r.pending === null && r.crashFrames === null;
  const s = readFramesLite(lines, i, lines.length, crash);
  if (s.count === 0) return i + 1;
  r.truncatedFrames += s.dropped;
  if (r.pending === null ? crash : r.pending.role !== 'ignore') r.liteFrames += s.count;
  takeStack(r, s.frames);
  return s.next;
}

/** A line of the report that is no frame (its text): the access, signal cause, hints, stack headers. */
function readText(r: Reading, text: string): void {
  const access = r.access;
  if ((access === null || access.type === 'unknown' || access.size === undefined) && mayBeAccessLine(text)) {
    const a = parseAccessLine(text);
    if (a) {
      r.access = a.access;
      r.accessThread = a.thread;
      const nm = /thread T\d{1,9} \(([^()]{1,64})\)/.exec(text);
      if (nm) r.threadName = nm[1];
      r.pending = null;
      return;
    }
  }
  if (text.startsWith('The signal is caused by a ')) {
    const t = text.includes('WRITE') ? 'write' : text.includes('READ') ? 'read' : 'unknown';
    r.access = { ...(access ?? {}), type: t } as Access;
    return;
  }
  if (text.startsWith('Cause: ') || text.startsWith('Potential Cause: ')) {
    r.cause ??= text.slice(text.indexOf(': ') + 2).trim();
    return;
  }
  if (text.startsWith('Hint: ') || text.includes(' is located ') || text.startsWith('Address is located')) {
    r.facts.push({ code: 'other', text });
  }
  const sh = stackHeader(text);
  if (sh) {
    const thread = sh.role === 'thread-created' ? threadIdFrom(text.slice(0, text.indexOf(' created by '))) : threadIdFrom(text);
    r.pending = { role: sh.role, title: text.replace(/:$/, ''), thread };
  }
}

/** The report from what was read: message, completeness, kind, crashing thread, title. */
function finishReport(r: Reading, headline: string, endLine: number, aborted: boolean): void {
  const { report, facts, tool, rest, cause, summary, access, signal, unknownAddress } = r;
  let cls = r.cls;
  if (summary) {
    const sc = classFromSummary(summary);
    if (sc && !/^\d/.test(sc)) cls = sc;
  }
  report.endLine = endLine;
  report.message = summary ?? stripPidPrefix(headline).trim();
  report.complete = summary !== null || aborted;
  if (!report.complete) facts.push({ code: 'truncated', text: `The ${tool} report has no SUMMARY line: it was cut off.` });
  if (r.truncatedFrames > 0) facts.push({ code: 'truncated', text: `${r.truncatedFrames} frames of the crashing stack were not kept.` });

  // Kind: the class through the kind table; SEGV on a NULL-page address is a NULL dereference.
  const kindClass = cause ?? cls;
  if (cls === 'unknown-crash' && access?.address && isNullPageAddress(access.address)) {
    report.kind = { kind: 'null-deref', confidence: 'medium', reason: `${tool}: unknown-crash at ${access.address} (the NULL page)` };
  } else if (cls === 'unknown-crash') {
    const k = kindOf('segv');
    if (k) report.kind = withReason(k, `${tool}: unknown-crash`);
  }
  const sig = unknownAddress ? signalOf(cls) : undefined;
  if (report.kind) {
    // unknown-crash, read above
  } else if (sig && signal?.faultAddress && sig.name === 'SIGSEGV' && unknownAddress && isNullPageAddress(signal.faultAddress)) {
    report.kind = { kind: 'null-deref', confidence: 'high', reason: `${tool}: SEGV on unknown address ${signal.faultAddress} (the NULL page)` };
  } else {
    const k = kindOf(sig ? sig.name : kindClass) ?? kindOf(cls);
    if (k) report.kind = { kind: k.kind, confidence: sig && sig.name === 'SIGSEGV' ? 'high' : k.confidence, reason: `${tool}: ${kindClass}` };
  }

  const tid = r.accessThread ?? r.crashThread ?? '0';
  const frames = r.crashFrames ?? [];
  report.threads.push({ id: tid, name: r.threadName, crashed: true, state: null, frames });
  report.crashingThreadId = tid;
  report.access = access;
  report.signal = signal;
  let label = cause && cls === 'tag-mismatch' ? cause : cls;
  if (report.kind?.kind === 'null-deref' && unknownAddress) label = 'null-deref';
  else if (unknownAddress) label = rest.includes(' on unknown address') ? `${cls} on unknown address` : cls;
  report.title = sanitizerTitle(label, access, frames);
  if (frames.length === 0) facts.push({ code: 'no-symbols', text: `The ${tool} report shows no stack.` });
  report.facts = facts;
}

const ASAN: SanitizerSpec = { format: 'asan', tools: ['AddressSanitizer', 'HWAddressSanitizer'], skipHeadline: 'detected memory leaks' };

export const asan: FormatModule = {
  id: 'asan',
  priority: 10,
  triggers: ['AddressSanitizer'],
  find(doc: Doc, emit?: (r: ParsedReport) => void): ParsedReport[] {
    return readSanitizerReports(doc, ASAN, emit);
  },
};
