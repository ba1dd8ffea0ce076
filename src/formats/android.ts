/**
 * Android native crashes: tombstones (debuggerd/crash_dump output, in a tombstone file or in
 * logcat under the DEBUG tag) and libc's one-line `Fatal signal` message.
 * Takes: the cleaned document (logcat prefixes are removed by ingest; a left-over
 * `F DEBUG   : ` tag is tolerated here). Gives: one ParsedReport per crash, with every
 * thread the tombstone printed (the crashing one first, as debuggerd prints it), the signal,
 * the `Abort message`, the `Cause:` line, and GWP-ASan/MTE `deallocated by`/`allocated by`
 * stacks as `freed`/`allocated` stacks.
 *
 * Also exports the POSIX signal table (kind per signal and code) that apple.ts and
 * breakpad.ts use: one table, not an if-chain.
 *
 * Shapes read (invented examples):
 *   `*** *** *** *** *** *** *** *** *** *** *** *** *** *** *** ***`
 *   `pid: 4711, tid: 4733, name: GLThread 12  >>> org.example.sketchpad <<<`
 *   `signal 11 (SIGSEGV), code 1 (SEGV_MAPERR), fault addr 0x0000000000000018`
 *   `Abort message: 'sketch.cpp:88: void Brush::apply(): assertion "tip" failed'`
 *   `      #00 pc 000000000004a2b8  /system/lib64/libc.so (abort+120) (BuildId: 1f2e…)`
 *   `Fatal signal 6 (SIGABRT), code -1 (SI_QUEUE) in tid 4733 (GLThread 12), pid 4711 (…)`
 */
import type { Confidence, CrashKind, Frame, ParsedReport, Stack, Thread } from '../model.js';
import { emptyReport, newFrame } from '../model.js';
import type { Doc } from '../ingest/doc.js';
import type { FormatModule } from './format.js';
import { isNullPageAddress, kindForClass } from '../diagnose/kind-table.js';
import { splitParams } from './windows.js';
import { parseSanitizerFrame } from './sanitizer-frames.js';
import { firstNonSpace, codeSet } from './scan.js';

// ---------------------------------------------------------------------------------------
// Signals (shared with apple.ts and breakpad.ts)
// ---------------------------------------------------------------------------------------

export interface SignalRow {
  name: string;
  linux: number;
  darwin: number;
  kind: CrashKind;
  confidence: Confidence;
}

export const SIGNAL_TABLE: SignalRow[] = [
  { name: 'SIGSEGV', linux: 11, darwin: 11, kind: 'segv', confidence: 'high' },
  { name: 'SIGBUS', linux: 7, darwin: 10, kind: 'bus-error', confidence: 'high' },
  { name: 'SIGFPE', linux: 8, darwin: 8, kind: 'fpe', confidence: 'high' },
  { name: 'SIGILL', linux: 4, darwin: 4, kind: 'illegal-instruction', confidence: 'high' },
  { name: 'SIGABRT', linux: 6, darwin: 6, kind: 'abort', confidence: 'high' },
  { name: 'SIGTRAP', linux: 5, darwin: 5, kind: 'abort', confidence: 'medium' },
  { name: 'SIGSYS', linux: 31, darwin: 12, kind: 'unknown', confidence: 'low' },
  { name: 'SIGKILL', linux: 9, darwin: 9, kind: 'unknown', confidence: 'low' },
  { name: 'SIGSTKFLT', linux: 16, darwin: -1, kind: 'unknown', confidence: 'low' },
  { name: 'SIGQUIT', linux: 3, darwin: 3, kind: 'snapshot', confidence: 'medium' },
];

/** Signal codes that change the kind (si_code names as bionic/breakpad print them). */
export const SIGNAL_CODE_KINDS: Array<{ code: string; kind: CrashKind }> = [
  { code: 'BUS_ADRALN', kind: 'bus-error' },
  { code: 'SEGV_MTESERR', kind: 'use-after-free' },
  { code: 'SEGV_MTEAERR', kind: 'use-after-free' },
  { code: 'FPE_INTDIV', kind: 'fpe' },
];

export function signalByName(name: string): SignalRow | null {
  const n = name.trim().toUpperCase();
  return SIGNAL_TABLE.find((s) => s.name === n) ?? null;
}

export function signalByNumber(n: number, platform: 'linux' | 'darwin' = 'linux'): SignalRow | null {
  return SIGNAL_TABLE.find((s) => s[platform] === n) ?? null;
}

/** Kind for a signal, its code and fault address (SIGSEGV in the NULL page → null-deref). */
export function signalKind(
  name: string,
  code: string | null,
  faultAddress: string | null,
): { kind: CrashKind; confidence: Confidence; reason: string } | null {
  const row = signalByName(name);
  if (!row) return null;
  const byCode = code ? SIGNAL_CODE_KINDS.find((c) => code.toUpperCase().includes(c.code)) : undefined;
  if (byCode) {
    return { kind: byCode.kind, confidence: 'medium', reason: `${row.name} ${code}` };
  }
  if ((row.name === 'SIGSEGV' || row.name === 'SIGBUS') && faultAddress && isNullPageAddress(faultAddress)) {
    return { kind: 'null-deref', confidence: 'high', reason: `${row.name} at ${faultAddress}, inside the NULL page` };
  }
  return { kind: row.kind, confidence: row.confidence, reason: `${row.name}${code ? ' ' + code : ''}${faultAddress ? ' at ' + faultAddress : ''}` };
}

// ---------------------------------------------------------------------------------------
// Messages (Cause:, Abort message) → kind
// ---------------------------------------------------------------------------------------

/** Lower-case substrings of a `Cause:` or abort message, tried before kindForClass. */
export const ANDROID_MESSAGE_KINDS: Array<{ match: string; kind: CrashKind; confidence: Confidence }> = [
  { match: 'null pointer dereference', kind: 'null-deref', confidence: 'high' },
  { match: 'use after free', kind: 'use-after-free', confidence: 'high' },
  { match: 'double free', kind: 'double-free', confidence: 'high' },
  { match: 'invalid (wild) free', kind: 'invalid-free', confidence: 'high' },
  { match: 'buffer overflow', kind: 'heap-overflow', confidence: 'high' },
  { match: 'buffer underflow', kind: 'heap-overflow', confidence: 'high' },
  { match: 'stack pointer is in a non-stack region', kind: 'stack-overflow', confidence: 'medium' },
  { match: 'stack overflow', kind: 'stack-overflow', confidence: 'high' },
  { match: 'invalid chunk state when deallocating', kind: 'double-free', confidence: 'medium' },
  { match: 'misaligned pointer when deallocating', kind: 'invalid-free', confidence: 'high' },
  { match: 'allocation type mismatch', kind: 'invalid-free', confidence: 'high' },
  { match: 'corrupted chunk header', kind: 'heap-corruption', confidence: 'high' },
  { match: 'fortify:', kind: 'stack-buffer-overflow', confidence: 'medium' },
  { match: 'check failed:', kind: 'assertion', confidence: 'high' },
  { match: 'assertion', kind: 'assertion', confidence: 'high' },
  { match: 'terminating with uncaught exception', kind: 'uncaught-exception', confidence: 'high' },
  { match: 'terminating due to uncaught exception', kind: 'uncaught-exception', confidence: 'high' },
  { match: 'out of memory', kind: 'oom', confidence: 'high' },
];

export function messageKind(text: string): { kind: CrashKind; confidence: Confidence } | null {
  const t = text.toLowerCase();
  for (const row of ANDROID_MESSAGE_KINDS) if (t.includes(row.match)) return { kind: row.kind, confidence: row.confidence };
  return kindForClass(text);
}

/** bionic's __assert2 text: `file:line: function: assertion "expr" failed`. */
function parseBionicAssert(msg: string): ParsedReport['assertion'] {
  const k = msg.indexOf(': assertion "');
  if (k < 0 || !msg.endsWith('" failed')) return null;
  const expression = msg.slice(k + 13, -8);
  const head = msg.slice(0, k);
  const m = /^([^:]{1,500}):(\d{1,9}): (.{1,1000})$/.exec(head);
  if (!m) return { expression, file: null, line: null, function: null };
  return { expression, file: m[1], line: parseInt(m[2], 10), function: m[3] };
}

/** libc++abi's `terminating (with|due to) uncaught exception of type T: what`. */
export function uncaughtException(msg: string): ParsedReport['exception'] {
  const k = msg.indexOf('uncaught exception of type ');
  if (k < 0) return null;
  const rest = msg.slice(k + 27);
  const c = rest.indexOf(': ');
  const type = (c >= 0 ? rest.slice(0, c) : rest).trim();
  if (type.length === 0) return null;
  return { type, message: c >= 0 ? rest.slice(c + 2) : null, causes: [] };
}

// ---------------------------------------------------------------------------------------
// Frames
// ---------------------------------------------------------------------------------------

const SYSTEM_PREFIXES = ['/system/', '/apex/', '/vendor/', '/system_ext/', '/product/', '/odm/'];

/** `#00 pc 000000000004a2b8  /system/lib64/libc.so (abort+120) (BuildId: …)` */
export function parseTombstoneFrame(line: string): { number: number; frame: Frame } | null {
  const s = line.trim();
  if (!s.startsWith('#')) return null;
  const m = /^#(\d{1,5}) pc ([0-9a-f]{1,16}) {1,4}(\S{1,1000})(?:\s(.{0,4000}))?$/.exec(s);
  if (!m) return null;
  const number = parseInt(m[1], 10);
  const frame = newFrame(number, null);
  frame.address = '0x' + m[2];
  const path = m[3];
  frame.module = path;
  // the tombstone's pc is relative to the module: what ndk-stack and llvm-addr2line take
  frame.moduleOffset = frame.address;
  let rest = (m[4] ?? '').trim();
  const bid = rest.lastIndexOf('(BuildId: ');
  if (bid >= 0) rest = rest.slice(0, bid).trim();
  for (;;) {
    if (rest.startsWith('(offset 0x')) {
      const e = rest.indexOf(')');
      rest = rest.slice(e + 1).trim();
    } else if (rest.startsWith('(deleted)')) {
      rest = rest.slice(9).trim();
    } else break;
  }
  if (rest.startsWith('(') && rest.endsWith(')')) {
    let sym = rest.slice(1, -1);
    const plus = sym.lastIndexOf('+');
    if (plus > 0 && /^\+\d{1,12}$/.test(sym.slice(plus))) sym = sym.slice(0, plus);
    if (sym.length > 0) {
      frame.rawFunction = sym;
      const { name, args } = splitParams(sym);
      frame.function = name;
      if (args) frame.args = args;
    }
  }
  if (SYSTEM_PREFIXES.some((p) => path.startsWith(p))) frame.roleHint = 'library';
  else if (path.startsWith('/data/app/') || path.startsWith('/data/data/') || path.startsWith('/data/local/')) frame.roleHint = 'app';
  if (path.startsWith('[anon:') || path.startsWith('<anonymous')) frame.module = null;
  return { number, frame };
}

/** A symbolized tombstone frame (sanitizer form), with the parameter list split off. */
function symbolizedFrame(line: string): { number: number; frame: Frame } | null {
  const p = parseSanitizerFrame(line);
  if (!p) return null;
  const fn = p.frame.function;
  if (fn && fn.includes('(')) {
    const { name, args } = splitParams(fn);
    p.frame.function = name;
    if (args !== null && !p.frame.args) p.frame.args = args;
  }
  return p;
}

// ---------------------------------------------------------------------------------------
// Scanner
// ---------------------------------------------------------------------------------------

const STARS = '*** *** *** *** *** ***';
const DASHES = '--- --- --- --- --- ---';
const PID_LINE = /^pid: (\d{1,10}), tid: (\d{1,10}), name: (.{0,200}?) {1,4}>>> (.{0,300}) <<<$/;
const SIGNAL_LINE = /^signal (\d{1,3}) \((SIG[A-Z0-9]{2,10})\), code (-?\d{1,6}) \(([A-Z_0-9]{1,40})(?: from pid \d{1,10}(?:, uid \d{1,10})?)?\), fault addr (0x[0-9a-f]{1,16}|-{1,16}|\S{1,40})/;
const FATAL_SIGNAL = /Fatal signal (\d{1,3}) \((SIG[A-Z0-9]{2,10})\), code (-?\d{1,6})(?: \(([A-Z_0-9]{1,40})[^)]{0,80}\))?(?:, fault addr (0x[0-9a-f]{1,16}))? in tid (\d{1,10}) \(([^)]{0,200})\)(?:, pid (\d{1,10}) \(([^)]{0,300})\))?/;


/** First characters of every line this scanner reads (`*** ***`, `pid:`, `#00 pc`, …). */
const ANDROID_FIRST = codeSet('*-#psACbdaBRTPumcoFU');

/** Lines without tombstone text after which a report is over. */
const END_GAP = 300;

const LOGCAT = /^\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} {1,6}\d{1,7} {1,6}\d{1,7} [VDIWEFA] /;
const TAG = /^(?:[VDIWEFA] )?(?:DEBUG|crash_dump\d{0,2}|libc|tombstoned)\s{0,12}: ?/;

interface State {
  r: ParsedReport;
  tombstone: boolean;
  cur: Thread | null;
  target: 'thread' | 'freed' | 'allocated' | null;
  stack: Stack | null;
  lastNumber: number;
  abortMessage: string | null;
  cause: string | null;
  sigName: string | null;
  sigCode: string | null;
  fault: string | null;
  process: string | null;
  sawBacktrace: boolean;
  sawPid: boolean;
  /** Inside a stack/memory dump section (ends at a blank line): its lines belong to the report. */
  skipping: boolean;
  lastHit: number;
}

function start(line: number, tombstone: boolean): State {
  return {
    r: emptyReport('android', line), tombstone, cur: null, target: null, stack: null, lastNumber: -1,
    abortMessage: null, cause: null, sigName: null, sigCode: null, fault: null, process: null, sawBacktrace: false, sawPid: false, skipping: false, lastHit: line,
  };
}

function threadFor(st: State, tid: string, name: string | null): Thread {
  let t = st.r.threads.find((x) => x.id === tid);
  if (!t) {
    t = { id: tid, name, lwp: null, crashed: false, state: null, frames: [] };
    st.r.threads.push(t);
  }
  return t;
}

function finish(st: State): ParsedReport | null {
  const r = st.r;
  if (!st.sigName && r.threads.every((t) => t.frames.length === 0)) return null;
  if (r.crashingThreadId) {
    const t = r.threads.find((x) => x.id === r.crashingThreadId);
    if (t) t.crashed = true;
  }
  if (st.sigName) {
    const row = signalByName(st.sigName);
    r.signal = {
      name: st.sigName,
      ...(row ? { number: row.linux } : {}),
      ...(st.sigCode ? { code: st.sigCode } : {}),
      ...(st.fault && st.fault.startsWith('0x') ? { faultAddress: st.fault } : {}),
    };
  }
  const faultAddr = st.fault && st.fault.startsWith('0x') ? st.fault : null;
  let kind = st.sigName ? signalKind(st.sigName, st.sigCode, faultAddr) : null;
  const explicit = st.cause ? messageKind(st.cause) : null;
  if (explicit) kind = { ...explicit, reason: `Cause: ${st.cause}` };
  if (st.abortMessage) {
    r.message = st.abortMessage;
    const assertion = parseBionicAssert(st.abortMessage);
    if (assertion) r.assertion = assertion;
    const k = messageKind(st.abortMessage);
    if (k && (!explicit || st.sigName === 'SIGABRT')) kind = { ...k, reason: `Abort message: ${st.abortMessage}` };
    if (st.abortMessage.startsWith('FORTIFY')) r.facts.push({ code: 'fortify', text: st.abortMessage });
    const ex = uncaughtException(st.abortMessage);
    if (ex) r.exception = ex;
  } else if (st.cause) {
    r.message = st.cause;
  }
  if (kind) r.kind = kind;
  if (faultAddr && (kind?.kind === 'null-deref' || kind?.kind === 'segv' || kind?.kind === 'use-after-free' || kind?.kind === 'heap-overflow')) {
    r.access = { type: 'unknown', address: faultAddr };
  }
  if (st.tombstone && !st.sawBacktrace) {
    r.complete = false;
    r.facts.push({ code: 'truncated', text: 'the tombstone has no backtrace: the paste is cut off' });
  }
  if (st.process) {
    r.facts.push({ code: 'program', text: `process ${st.process}`, value: st.process });
    // A platform daemon (`>>> /system/bin/foo <<<`) is the program being debugged: its own
    // executable's frames are app code even though it lives under /system.
    if (st.process.startsWith('/')) {
      for (const t of r.threads) for (const f of t.frames) if (f.module === st.process) f.roleHint = 'app';
      for (const s of r.stacks) for (const f of s.frames) if (f.module === st.process) f.roleHint = 'app';
    }
  }
  r.threads = r.threads.filter((t) => t.frames.length > 0 || t.id === r.crashingThreadId);
  for (const t of r.threads) t.frames.forEach((f, k) => (f.index = k));
  for (const s of r.stacks) s.frames.forEach((f, k) => (f.index = k));
  r.stacks = r.stacks.filter((s) => s.frames.length > 0);
  // The crashing thread first, others after, as debuggerd prints them.
  return r;
}

export function findAndroid(doc: Doc): ParsedReport[] {
  const out: ParsedReport[] = [];
  let st: State | null = null;
  const close = () => {
    if (st) {
      const r = finish(st);
      if (r) out.push(r);
    }
    st = null;
  };
  const lines = doc.lines;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    if (line.length > 8000) continue;
    // A report ends after a long stretch of lines that are not tombstone text.
    if (st !== null && i - Math.max((st as State).r.endLine, (st as State).lastHit) > END_GAP) close();
    // Idle: only a tombstone banner or libc's Fatal signal line opens a report.
    if (st === null && line.indexOf('*** ***') < 0 && line.indexOf('Fatal signal ') < 0) continue;
    if (line.charCodeAt(0) >= 48 && line.charCodeAt(0) <= 57 && line.includes(' DEBUG')) {
      const m = LOGCAT.exec(line);
      if (m) line = line.slice(m[0].length);
    }
    if (line.includes(': ') && (line.startsWith('DEBUG') || line.startsWith('crash_dump') || line.startsWith('libc') || line[1] === ' ')) {
      const m = TAG.exec(line);
      if (m) line = line.slice(m[0].length);
    }
    const k0 = firstNonSpace(line);
    if (k0 === line.length) {
      if (st !== null) (st as State).skipping = false;
      continue;
    }
    if (st !== null && (st as State).skipping) (st as State).lastHit = i;
    if (!ANDROID_FIRST.has(line.charCodeAt(k0)) && line.indexOf('Fatal signal ') < 0) continue;
    const s = line.trim();
    const cur = st as State | null;

    if (s.startsWith(STARS)) {
      // A tombstone opens; it continues a `Fatal signal` line just before it.
      if (cur && (cur.tombstone || cur.r.threads.some((t) => t.frames.length > 0))) close();
      if (st) (st as State).tombstone = true;
      else st = start(i, true);
      (st as unknown as State).r.endLine = i;
      continue;
    }
    if (s.includes('Fatal signal ')) {
      const m = FATAL_SIGNAL.exec(s);
      if (m) {
        // A frameless `Fatal signal` line followed by another (two threads faulted, one
        // reached debuggerd) is not a report of its own.
        if (cur && !cur.tombstone && cur.r.threads.every((t) => t.frames.length === 0)) st = null;
        else if (cur) close();
        const n = start(i, false);
        n.sigName = m[2];
        n.sigCode = m[4] ?? null;
        n.fault = m[5] ?? null;
        n.r.crashingThreadId = m[6];
        threadFor(n, m[6], m[7]);
        n.process = m[9] ?? null;
        st = n;
        continue;
      }
    }
    if (!cur) continue;

    if (s.startsWith('pid: ')) {
      const m = PID_LINE.exec(s);
      if (m) {
        const t = threadFor(cur, m[2], m[3].trim());
        // The tombstone's first pid line names the thread debuggerd reports as crashed.
        if (!cur.sawPid) cur.r.crashingThreadId = m[2];
        cur.sawPid = true;
        if (!cur.process) cur.process = m[4];
        cur.cur = t;
        t.frames = [];
        cur.target = null;
        cur.r.endLine = i;
        continue;
      }
    }
    if (s.startsWith(DASHES)) {
      cur.cur = null;
      cur.target = null;
      cur.r.endLine = i;
      continue;
    }
    if (s.startsWith('signal ')) {
      const m = SIGNAL_LINE.exec(s);
      if (m) {
        cur.sigName = m[2];
        cur.sigCode = m[4];
        cur.fault = m[5];
        cur.r.endLine = i;
        continue;
      }
    }
    if (s.startsWith('Abort message: ')) {
      let msg = s.slice(15);
      if (msg.startsWith("'") && msg.endsWith("'") && msg.length >= 2) msg = msg.slice(1, -1);
      cur.abortMessage = msg;
      cur.r.endLine = i;
      continue;
    }
    if (s.startsWith('Cause: ')) {
      if (!cur.cause) cur.cause = s.slice(7).replace(/^\[(?:GWP-ASan|MTE)\]: /, '');
      cur.r.endLine = i;
      continue;
    }
    if (s === 'backtrace:' || s.startsWith('backtrace:')) {
      cur.sawBacktrace = true;
      cur.target = 'thread';
      if (!cur.cur) {
        const tid = cur.r.crashingThreadId ?? '0';
        cur.cur = threadFor(cur, tid, null);
      }
      cur.lastNumber = -1;
      cur.r.endLine = i;
      continue;
    }
    if (s.startsWith('deallocated by thread ') || s.startsWith('allocated by thread ')) {
      const freed = s.startsWith('de');
      const tid = /thread (\d{1,10})/.exec(s)?.[1];
      const stack: Stack = { role: freed ? 'freed' : 'allocated', ...(tid ? { thread: tid } : {}), title: s.replace(/:$/, ''), frames: [] };
      cur.r.stacks.push(stack);
      cur.stack = stack;
      cur.target = freed ? 'freed' : 'allocated';
      cur.r.endLine = i;
      continue;
    }
    if (s.startsWith('#')) {
      // debuggerd's `#00 pc …` frames, or the same backtrace after a symbolizer rewrote it
      // in sanitizer form (`#0 0x0003a1b0 in tgkill bionic/…/tgkill.S:9`).
      const p = parseTombstoneFrame(s) ?? (cur.target !== null ? symbolizedFrame(s) : null);
      if (p) {
        if (cur.target === null && cur.cur === null && cur.r.crashingThreadId) {
          cur.cur = threadFor(cur, cur.r.crashingThreadId, null);
          cur.target = 'thread';
        }
        if (cur.target === 'thread' && cur.cur) {
          cur.sawBacktrace = true;
          const fr = cur.cur.frames;
          // A symbolizer prints a second line for the same frame number: keep the named one.
          if (fr.length > 0 && p.number === cur.lastNumber && fr[fr.length - 1].function === null) fr.pop();
          fr.push(p.frame);
          cur.lastNumber = p.number;
        } else if ((cur.target === 'freed' || cur.target === 'allocated') && cur.stack) {
          cur.stack.frames.push(p.frame);
        } else if (cur.cur) {
          cur.sawBacktrace = true;
          cur.cur.frames.push(p.frame);
        }
        cur.r.endLine = i;
        continue;
      }
    }
    if (s.startsWith('Build fingerprint:') || s.startsWith('ABI:') || s.startsWith('Cmdline:') || s.startsWith('Revision:') || s.startsWith('Timestamp:') || s.startsWith('Process uptime:') || s.startsWith('uid:')) {
      if (s.startsWith('Cmdline: ')) cur.process = s.slice(9).trim();
      cur.r.endLine = i;
      continue;
    }
    if (s.startsWith('stack:') || s.startsWith('memory near') || s.startsWith('memory map') || s.startsWith('code around') || s.startsWith('open files')) {
      cur.target = null;
      cur.skipping = true;
      cur.lastHit = i;
      continue;
    }
  }
  close();
  return out;
}

export const android: FormatModule = {
  id: 'android',
  // Exactly the lines that can open a report (see findAndroid's idle test): a text without
  // either cannot hold one, so a plain log skips the scan.
  triggers: ['*** ***', 'Fatal signal '],
  find: findAndroid,
};

export default android;
