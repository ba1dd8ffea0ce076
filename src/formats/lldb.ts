/**
 * lldb backtraces: the stop display after `run` and the output of `bt` / `thread backtrace
 * all` (`process` / `thread` commands), on Linux and macOS.
 * Takes: the cleaned document. Gives: one report per lldb session block — every thread with
 * its frames (innermost first, as lldb prints them), the crashing thread (the one marked
 * `*`), and the stop reason as `signal` (`signal SIGSEGV: invalid address (fault address:
 * 0x0)`, `EXC_BAD_ACCESS (code=1, address=0x0)`, `signal SIGABRT`, `breakpoint 1.1`).
 *
 * Shapes read (lldb 3.x to 18):
 *   * thread #2, name = 'iothread0', stop reason = signal SIGSEGV: invalid address (fault address: 0x4)
 *     * frame #0: 0x000055555555519b evloop`scsi_complete_req(req=0x0000000000000000, status=2) at evloop.c:39:17
 *       frame #3: 0x00007ffff7ca8e85 libstdc++.so.6`std::terminate() + 21
 *       frame #7: 0x000055555555507a pure_virtual`main [inlined] Codec::Codec(this=<unavailable>) at pure_virtual.cpp:9:19
 *       frame #4: 0x0000555555555302 evloop`___lldb_unnamed_symbol27 + 50
 *   * thread #1: tid = 0x1a2b, 0x00007fff8a1b2c3d libsystem_kernel.dylib`__pthread_kill + 10, queue = 'com.apple.main-thread', stop reason = signal SIGABRT
 * The stop display (`Process N stopped`, a thread line, frame #0 and a source listing) and
 * a following `thread backtrace all` belong to one report; the later, longer listing of a
 * thread replaces the earlier one.
 */
import { emptyReport, type Frame, type ParsedReport, type Signal, type Thread, type CrashKind, type Confidence } from '../model.js';
import type { Doc } from '../ingest/doc.js';
import type { FormatModule } from './format.js';
import { isNullPageAddress } from '../diagnose/kind-table.js';
import { candidateLines, nextCandidate } from '../ingest/clean.js';

const THREAD_LINE = /^(\*\s+)?thread #(\d{1,9})(.*)$/;
const FRAME_LINE = /^(\*\s+)?frame #(\d{1,9}): (0x[0-9a-fA-F]{1,16})(?: (.*))?$/;
const LOCATION = /^(\S.*?):(\d{1,9})(?::(\d{1,9}))?$/;
const OFFSET = / \+ (\d{1,12})$/;
const PROCESS_LINE = /^Process (\d{1,10}) (stopped|launched|exited|resuming|detached)(.*)$/;
const ARG_NAME = /^[A-Za-z_$][\w$.#]*=/;

/** Lines that may sit between the blocks of one lldb session without ending it. */
function isSessionNoise(t: string): boolean {
  if (t === '') return true;
  if (t.startsWith('(lldb)')) return true;
  if (t.startsWith('Process ') && PROCESS_LINE.test(t)) return true;
  if (t.startsWith('Current executable set to ') || t.startsWith('Executable module set to ')) return true;
  if (t.startsWith('Architecture set to')) return true;
  // lldb's own notes: `This version of LLDB has no plugin for the language "assembler"…`,
  // `warning: (x86_64) /lib/…: …`, `error: …`.
  if (t.startsWith('This version of LLDB') || t.startsWith('warning: ') || t.startsWith('error: ')) return true;
  // Source listing of the stop display: `-> 39  	code`, `   38  	code`, a caret line.
  if (t.startsWith('-> ')) return true;
  if (/^\d{1,9}(?:\s|$)/.test(t)) return true;
  if (/^\^\s*$/.test(t)) return true;
  // Disassembly of the stop display when there is no source: `evloop\`sym:` then
  // `->  0x555555555189 <+9>:  idivq  %rcx`, `    0x55555555518c <+12>: retq`.
  if (t.startsWith('0x') && /^0x[0-9a-fA-F]{1,16}(?: <[+-]\d{1,9}>)?:/.test(t)) return true;
  if (t.startsWith('->') && /^->\s+0x[0-9a-fA-F]{1,16}/.test(t)) return true;
  if (t.endsWith(':') && t.includes('`') && !t.includes('frame #')) return true;
  return false;
}

interface ThreadHead {
  id: string;
  selected: boolean;
  name: string | null;
  queue: string | null;
  tid: string | null;
  stopReason: string | null;
}

/** `thread #N` followed by `, name = 'x', queue = 'q', stop reason = ...` or `: tid = ...`. */
function parseThreadHead(selected: boolean, id: string, rest: string): ThreadHead {
  const head: ThreadHead = { id, selected, name: null, queue: null, tid: null, stopReason: null };
  const sr = rest.indexOf('stop reason = ');
  let before = rest;
  if (sr >= 0) {
    head.stopReason = rest.slice(sr + 14).trim() || null;
    before = rest.slice(0, sr);
  }
  const quoted = (key: string): string | null => {
    const at = before.indexOf(`${key} = '`);
    if (at < 0) return null;
    const start = at + key.length + 4;
    const end = before.indexOf("'", start);
    return end < 0 ? null : before.slice(start, end);
  };
  head.name = quoted('name');
  head.queue = quoted('queue');
  const tidAt = before.indexOf('tid = ');
  if (tidAt >= 0) {
    const m = /^(0x[0-9a-fA-F]{1,16}|\d{1,12})/.exec(before.slice(tidAt + 6));
    if (m) head.tid = m[1];
  }
  return head;
}

const SIGNALS: Record<string, number> = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8,
  SIGKILL: 9, SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15,
  SIGSTOP: 19,
};

/** Mach exceptions lldb names on Apple platforms, and the crash kind each one means. */
const MACH_KINDS: Array<{ name: string; kind: CrashKind }> = [
  { name: 'EXC_BAD_ACCESS', kind: 'segv' },
  { name: 'EXC_BAD_INSTRUCTION', kind: 'illegal-instruction' },
  { name: 'EXC_ARITHMETIC', kind: 'fpe' },
  { name: 'EXC_CRASH', kind: 'abort' },
];

interface StopInfo {
  signal: Signal | null;
  kind: { kind: CrashKind; confidence: Confidence; reason: string } | null;
  /** A breakpoint, step or watchpoint: the user stopped here on purpose. */
  breakpoint: boolean;
  /** The debugger's own stop: attach (SIGSTOP) or ^C (SIGINT). */
  interrupt: boolean;
}

/** The stop reason text → signal and, for Mach exceptions and breakpoints, a kind. */
export function parseStopReason(reason: string): StopInfo {
  const out: StopInfo = { signal: null, kind: null, breakpoint: false, interrupt: false };
  if (reason.startsWith('signal ')) {
    const m = /^signal (SIG[A-Z0-9]{1,10})(?:: (.*))?$/.exec(reason);
    if (!m) return out;
    const sig: Signal = { name: m[1] };
    if (SIGNALS[m[1]] !== undefined) sig.number = SIGNALS[m[1]];
    let detail = m[2]?.trim() ?? '';
    const fa = detail.indexOf('(fault address: ');
    if (fa >= 0) {
      const am = /^\(fault address: (0x[0-9a-fA-F]{1,16})\)/.exec(detail.slice(fa));
      if (am) sig.faultAddress = am[1];
      detail = detail.slice(0, fa).trim();
    }
    if (detail) sig.code = detail;
    out.signal = sig;
    if (m[1] === 'SIGSTOP' || m[1] === 'SIGINT') out.interrupt = true;
    return out;
  }
  for (const row of MACH_KINDS) {
    if (!reason.startsWith(row.name)) continue;
    const sig: Signal = { name: row.name };
    const code = /\(code=([^,)]{1,40})/.exec(reason);
    if (code) sig.code = code[1];
    const addr = /address=(0x[0-9a-fA-F]{1,16})/.exec(reason);
    if (addr) sig.faultAddress = addr[1];
    out.signal = sig;
    const nullPage = row.name === 'EXC_BAD_ACCESS' && isNullPageAddress(sig.faultAddress);
    out.kind = {
      kind: nullPage ? 'null-deref' : row.kind,
      confidence: 'high',
      reason: nullPage ? `${row.name} at ${sig.faultAddress} (NULL page)` : reason,
    };
    return out;
  }
  if (reason.startsWith('EXC_BREAKPOINT')) {
    // A trap instruction: Swift runtime checks and __builtin_trap land here.
    const sig: Signal = { name: 'EXC_BREAKPOINT' };
    const code = /\(code=([^,)]{1,40})/.exec(reason);
    if (code) sig.code = code[1];
    out.signal = sig;
    return out;
  }
  if (reason.startsWith('breakpoint') || reason.startsWith('step ') || reason === 'trace' ||
    reason.startsWith('watchpoint') || reason.startsWith('instruction step')) {
    out.breakpoint = true;
  }
  return out;
}

const OPERATOR_TOKENS = ['()', '[]', '<<=', '>>=', '<=>', '->*', '->', '<<', '>>', '<=', '>=', '==', '!=', '<', '>', '&&', '||'];

/**
 * Index of the `(` that opens the argument (or parameter) list: the first `(` outside
 * template brackets that is not part of `(anonymous namespace)` or an `operator` name.
 */
function findListOpen(s: string): number {
  let angle = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(' && s.startsWith('(anonymous namespace)', i)) {
      i += 20;
      continue;
    }
    if (c === 'o' && s.startsWith('operator', i) && (i === 0 || !/\w/.test(s[i - 1]))) {
      let j = i + 8;
      while (s[j] === ' ') j++;
      const tok = OPERATOR_TOKENS.find((t) => s.startsWith(t, j));
      if (tok) i = j + tok.length - 1;
      continue;
    }
    if (c === '<') angle++;
    else if (c === '>') {
      if (angle > 0) angle--;
    } else if (c === '(' && angle === 0 && i > 0) return i;
  }
  return -1;
}

/** Index of the `)` closing the `(` at `open`, honouring double quotes; -1 when cut off. */
function findListClose(s: string, open: number): number {
  let depth = 0;
  let inQuote = false;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (inQuote) {
      if (c === '\\') i++;
      else if (c === '"') inQuote = false;
      continue;
    }
    if (c === '"') inQuote = true;
    else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** True when `inner` is lldb's `name=value, …` argument list (not C++ parameter types). */
function isArgList(inner: string): boolean {
  const t = inner.trimStart();
  return ARG_NAME.test(t) || t.startsWith('(null)=');
}

export interface LldbSymbol {
  function: string | null;
  raw: string;
  args: string | null;
  inlined: boolean;
}

/**
 * The symbol part of a frame, location and module already removed:
 * `scsi_complete_req(req=0x0, status=2)`, `std::terminate() + 21`, `main [inlined] Codec::Codec(this=…)`,
 * `store::Journal::replay(unsigned int) (.cold)`, `___lldb_unnamed_symbol27 + 50`,
 * `operator()(__closure=0x…, k="second")`.
 */
export function parseSymbol(text: string): LldbSymbol {
  let s = text.trim();
  let inlined = false;
  const inl = s.indexOf(' [inlined] ');
  if (inl >= 0) {
    inlined = true;
    s = s.slice(inl + 11).trim();
  }
  const raw = s;
  const off = OFFSET.exec(s);
  if (off) s = s.slice(0, off.index);
  let args: string | null = null;
  const open = findListOpen(s);
  if (open > 0) {
    const close = findListClose(s, open);
    const inner = close > 0 ? s.slice(open + 1, close) : s.slice(open + 1);
    // Either lldb's name=value arguments or a parameter list of types (no debug info);
    // the function is the name before it either way. What follows (` const`, ` (.cold)`)
    // is dropped from the name; rawFunction keeps it.
    if (isArgList(inner)) args = inner;
    s = s.slice(0, open);
  }
  s = s.trim();
  let fn: string | null = s;
  if (s === '' || s === '??' || s.startsWith('___lldb_unnamed_') || s.startsWith('<redacted')) fn = null;
  return { function: fn, raw, args, inlined };
}

/** One `frame #N: 0x… rest` line → Frame (index as printed). */
export function parseFrameLine(num: string, address: string, rest: string | undefined): Frame {
  const frame: Frame = { index: Number(num), function: null, rawFunction: null, address, inlined: false, role: 'unknown' };
  let s = (rest ?? '').trim();
  if (s === '') return frame;
  // Trailing markers newer lldb prints: ` [opt]`, ` [artificial]`.
  while (s.endsWith(']')) {
    const sp = s.lastIndexOf(' [');
    if (sp < 0 || !/^ \[[a-z-]{1,20}\]$/.test(s.slice(sp))) break;
    s = s.slice(0, sp);
  }
  // Location: the last ` at file:line[:col]` whose tail is a location (a few tries: an
  // argument value may hold ` at ` too, but the location is at the end).
  let at = s.lastIndexOf(' at ');
  for (let tries = 0; at >= 0 && tries < 4; tries++) {
    const loc = LOCATION.exec(s.slice(at + 4));
    if (loc) {
      frame.file = loc[1];
      frame.line = Number(loc[2]);
      if (loc[3] !== undefined) frame.column = Number(loc[3]);
      s = s.slice(0, at);
      break;
    }
    at = at > 0 ? s.lastIndexOf(' at ', at - 1) : -1;
  }
  const tick = s.indexOf('`');
  if (tick < 0) {
    // `libfoo.dylib + 1234` or just a module name.
    const off = OFFSET.exec(s);
    frame.module = (off ? s.slice(0, off.index) : s).trim() || null;
    return frame;
  }
  frame.module = s.slice(0, tick) || null;
  const sym = parseSymbol(s.slice(tick + 1));
  frame.function = sym.function;
  frame.rawFunction = sym.raw;
  frame.inlined = sym.inlined;
  if (sym.args !== null) frame.args = sym.args;
  return frame;
}

/** More `(` than `)`: a line cut off inside an argument list. */
function unbalanced(t: string): boolean {
  let depth = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] === '(') depth++;
    else if (t[i] === ')') depth--;
  }
  return depth > 0;
}

interface Block {
  head: ThreadHead;
  frames: Frame[];
  startLine: number;
  endLine: number;
  truncatedLine: boolean;
}

interface Session {
  blocks: Block[];
  startLine: number;
  endLine: number;
  processLines: string[];
}

function buildReport(sess: Session, doc: Doc): ParsedReport {
  const r = emptyReport('lldb', sess.startLine);
  r.endLine = sess.endLine;
  // Later listings of a thread replace earlier ones (the stop display shows frame #0 only).
  const byId = new Map<string, Block>();
  const order: string[] = [];
  for (const b of sess.blocks) {
    if (!byId.has(b.head.id)) order.push(b.head.id);
    const prev = byId.get(b.head.id);
    if (!prev || b.frames.length >= prev.frames.length) byId.set(b.head.id, b);
  }
  let crashed: string | null = null;
  let stop: StopInfo | null = null;
  for (const id of order) {
    const b = byId.get(id)!;
    if (b.head.selected && crashed === null) crashed = id;
  }
  // Attached (SIGSTOP) or interrupted (SIGINT): no thread crashed; diagnosis looks at what
  // the threads wait on (a deadlock) or calls it a snapshot.
  if (crashed !== null && parseStopReason(byId.get(crashed)!.head.stopReason ?? '').interrupt) crashed = null;
  if (crashed === null) {
    // No `*`: the first thread with a stop reason that is not the debugger's own stop.
    for (const id of order) {
      const reason = byId.get(id)!.head.stopReason;
      if (!reason) continue;
      const info = parseStopReason(reason);
      if (!info.interrupt && !info.breakpoint) {
        crashed = id;
        break;
      }
    }
  }
  for (const id of order) {
    const b = byId.get(id)!;
    // Each block belongs to one thread: its frames are renumbered in place, not copied.
    const frames = b.frames;
    for (let i = 0; i < frames.length; i++) frames[i].index = i;
    const thread: Thread = {
      id,
      name: b.head.name ?? b.head.queue,
      crashed: id === crashed,
      state: null,
      frames,
    };
    if (b.head.tid) thread.lwp = b.head.tid;
    r.threads.push(thread);
    if (id === crashed && b.head.stopReason) stop = parseStopReason(b.head.stopReason);
    if (b.truncatedLine) {
      r.complete = false;
    }
  }
  r.crashingThreadId = crashed;
  if (stop) {
    r.signal = stop.signal;
    if (stop.kind) r.kind = stop.kind;
    if (stop.breakpoint) {
      r.facts.push({ code: 'breakpoint', text: `lldb stopped at ${byId.get(crashed!)!.head.stopReason}, not at a crash` });
    }
  } else if (crashed === null) {
    // A breakpoint hit in a thread lldb did not select.
    const hit = order.map((id) => byId.get(id)!.head.stopReason).find((x) => x && parseStopReason(x).breakpoint);
    if (hit) r.facts.push({ code: 'breakpoint', text: `lldb stopped at ${hit}, not at a crash` });
  }
  for (const p of sess.processLines) {
    const launched = /^Process \d{1,10} launched: '([^']{1,4096})'/.exec(p);
    if (launched) r.facts.push({ code: 'program', text: `program ${launched[1]}`, value: launched[1] });
  }
  let unnamed = 0;
  for (const t of r.threads) for (const f of t.frames) if (!f.function) unnamed++;
  if (unnamed > 0) r.facts.push({ code: 'no-symbols', text: `${unnamed} frame(s) without a symbol name` });
  if (!r.complete) r.facts.push({ code: 'truncated', text: 'the lldb backtrace is cut off' });
  // The source line lldb shows at the stop (`-> 39  	code`).
  for (let i = sess.startLine; i <= sess.endLine; i++) {
    const t = doc.lines[i].trim();
    if (!t.startsWith('-> ')) continue;
    const m = /^-> (\d{1,9})\s(.*)$/.exec(t);
    if (m) {
      r.sourceLine = { line: Number(m[1]), text: m[2].replace(/^\s+/, '') };
      break;
    }
  }
  return r;
}

function find(doc: Doc): ParsedReport[] {
  const out: ParsedReport[] = [];
  const lines = doc.lines;
  let sess: Session | null = null;
  let block: Block | null = null;
  let pendingProcess: string[] = [];
  let lastUseful = -1;

  const closeSession = () => {
    if (sess && sess.blocks.some((b) => b.frames.length > 0)) out.push(buildReport(sess, doc));
    sess = null;
    block = null;
  };

  // Outside a session the next line that matters is the next one the text index lists with
  // `thread #`, or the run of `Process …` lines right above it.
  const candidates = candidateLines(doc, TRIGGERS);
  for (let i = 0; i < lines.length; i++) {
    if (sess === null && candidates !== null) {
      const next = nextCandidate(candidates, i, lines.length);
      let k = next;
      while (k > i && lines[k - 1].includes('Process ')) k--;
      // the skipped line above the run held neither string: it cleared the pending lines
      if (k > i) pendingProcess = [];
      i = k;
      if (i >= lines.length) break;
    }
    const line = lines[i];
    // Outside a session only a thread header or a `Process …` line matters (no trim, no
    // allocation for the other lines of a large log).
    if (sess === null && !line.includes('thread #') && !line.includes('Process ')) {
      if (pendingProcess.length > 0) pendingProcess = [];
      continue;
    }
    const t = line.trim();
    const hasThread = t.includes('thread #');
    const hasFrame = t.includes('frame #');
    if (hasThread) {
      const m = THREAD_LINE.exec(t);
      if (m && (m[3] === '' || m[3].startsWith(',') || m[3].startsWith(':'))) {
        if (!sess) {
          sess = { blocks: [], startLine: i, endLine: i, processLines: pendingProcess };
          pendingProcess = [];
        }
        block = { head: parseThreadHead(!!m[1], m[2], m[3]), frames: [], startLine: i, endLine: i, truncatedLine: false };
        sess.blocks.push(block);
        sess.endLine = i;
        lastUseful = i;
        continue;
      }
    }
    if (hasFrame && block && sess) {
      const m = FRAME_LINE.exec(t);
      if (m) {
        block.frames.push(parseFrameLine(m[2], m[3], m[4]));
        // The paste ends inside this frame's argument list: cut off.
        if (i === lines.length - 1 && unbalanced(t)) block.truncatedLine = true;
        block.endLine = i;
        sess.endLine = i;
        lastUseful = i;
        continue;
      }
      if (t.startsWith('frame #') || t.startsWith('* frame #')) {
        // A frame line cut off before its address: the paste ends mid-frame.
        block.truncatedLine = true;
        block.endLine = i;
        sess.endLine = i;
        lastUseful = i;
        continue;
      }
    }
    if (t.startsWith('Process ') && PROCESS_LINE.test(t)) {
      if (sess) sess.processLines.push(t);
      else pendingProcess.push(t);
      if (!sess) continue;
    }
    if (sess && isSessionNoise(t)) {
      block = t === '' || t.startsWith('(lldb)') ? null : block;
      continue;
    }
    if (sess) {
      // Any other text (program output, a new paste) ends the session.
      const s: Session = sess;
      s.endLine = Math.max(s.endLine, lastUseful);
      closeSession();
    }
    if (!t.startsWith('Process ')) pendingProcess = [];
  }
  if (sess) closeSession();
  return out;
}

// A session opens only on a `thread #N` line (find): without one the text holds no lldb report,
// however many `frame #` it has (ASan's `This frame has …` / `frame #` lines of other tools).
const TRIGGERS = ['thread #'];
export const lldb: FormatModule = { id: 'lldb', triggers: TRIGGERS, find };
