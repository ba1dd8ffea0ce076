/**
 * glibc `backtrace_symbols` / `backtrace_symbols_fd` output, as programs print it from
 * their own crash handlers, and the old glibc abort banner (`======= Backtrace: =========`).
 * Takes: the cleaned document. Gives: one report per run of frame lines, frames innermost
 * first (backtrace() order), with the header's signal and message when there is one.
 *
 * Frame lines (one per return address):
 *   ./prog(func+0x1d)[0x55555555530d]          symbol + offset
 *   ./prog(+0x11de)[0x5555555551de]            no exported symbol: offset in the module
 *   /lib/x86_64-linux-gnu/libc.so.6(+0x3c050)[0x7ffff7e11050]
 *   ./a.out(main+0x15) [0x8048a1d]             older glibc: a space before the address
 *   ./prog[0x400b1d]   ./prog() [0x400b1d]     no symbol at all
 *   [0x7f3a0000]                               dladdr found no module
 * Headers and footers read when present: `Obtained N stack frames.` (N tells whether the
 * list is complete), `Backtrace:`, `======= Backtrace: =========`, `*** Error in `./prog':
 * double free or corruption (fasttop): 0x… ***`, a signal line (`Caught signal 11
 * (Segmentation fault)`, `Received SIGSEGV`), `======= Memory map: ========` (ends the list).
 *
 * A handler's own frames come first (the function that called backtrace(), then the
 * kernel's signal trampoline, which glibc cannot name: `libc.so.6(+0x3c050)`). The frames
 * down to that trampoline get roleHint `crash-handling`, as gdb's `<signal handler called>`.
 */
import { emptyReport, type Frame, type ParsedReport, type Signal } from '../model.js';
import type { Doc } from '../ingest/doc.js';
import type { FormatModule } from './format.js';
import { kindForClass } from '../diagnose/kind-table.js';
import { candidateLines, nextCandidate } from '../ingest/clean.js';

const HEX_ADDR = /^0x[0-9a-fA-F]{1,16}$/;
const OBTAINED = /Obtained (\d{1,6}) stack frames?/i;
const TRAILING_ADDRESS = /: (0x[0-9a-fA-F]{1,16})$/;

/** `*** Error in `./prog': double free or corruption (fasttop): 0x0000000001c3e010 ***`. */
export function parseErrorIn(line: string): { program: string; message: string; address: string | null } | null {
  const t = line.trim();
  if (!t.startsWith('*** Error in ') || !t.endsWith(' ***')) return null;
  const body = t.slice(13, t.length - 4);
  if (body[0] !== '`' && body[0] !== "'") return null;
  const end = body.indexOf("': ", 1);
  if (end < 0) return null;
  const program = body.slice(1, end);
  let message = body.slice(end + 3);
  let address: string | null = null;
  const a = TRAILING_ADDRESS.exec(message);
  if (a) {
    address = a[1];
    message = message.slice(0, a.index);
  }
  return message ? { program, message, address } : null;
}
/** How far above the first frame a header may sit. */
const HEADER_WINDOW = 4;

const SIGNAL_NUMBERS: Record<number, string> = {
  1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 4: 'SIGILL', 5: 'SIGTRAP', 6: 'SIGABRT', 7: 'SIGBUS',
  8: 'SIGFPE', 9: 'SIGKILL', 10: 'SIGUSR1', 11: 'SIGSEGV', 12: 'SIGUSR2', 13: 'SIGPIPE',
  14: 'SIGALRM', 15: 'SIGTERM',
};
/** strsignal() texts → signal names. */
const SIGNAL_TEXTS: Array<[string, string]> = [
  ['segmentation fault', 'SIGSEGV'],
  ['aborted', 'SIGABRT'],
  ['floating point exception', 'SIGFPE'],
  ['bus error', 'SIGBUS'],
  ['illegal instruction', 'SIGILL'],
  ['trace/breakpoint trap', 'SIGTRAP'],
];

export interface GlibcFrameText {
  module: string | null;
  symbol: string | null;
  offset: string | null;
  address: string;
}

/** One frame line → its parts, or null when the line is not a backtrace_symbols frame. */
export function parseGlibcFrame(line: string): GlibcFrameText | null {
  const t = line.trim();
  if (!t.endsWith(']')) return null;
  const open = t.lastIndexOf('[');
  if (open < 0) return null;
  const address = t.slice(open + 1, t.length - 1);
  if (!HEX_ADDR.test(address)) return null;
  let head = t.slice(0, open);
  if (head.endsWith(' ')) head = head.slice(0, -1);
  let module: string | null = null;
  let symbol: string | null = null;
  let offset: string | null = null;
  if (head.endsWith(')')) {
    const po = head.lastIndexOf('(');
    if (po <= 0) return null;
    const inner = head.slice(po + 1, head.length - 1);
    module = head.slice(0, po);
    if (inner !== '') {
      const plus = inner.lastIndexOf('+');
      if (plus < 0) {
        symbol = inner;
      } else {
        symbol = inner.slice(0, plus) || null;
        offset = inner.slice(plus + 1);
        if (!HEX_ADDR.test(offset)) return null;
      }
      if (symbol !== null && /[\s()[\]]/.test(symbol)) return null;
    }
  } else {
    module = head === '' ? null : head;
  }
  // A module is one path-like word: no spaces, no brackets (keeps ordinary log lines out).
  if (module !== null && (module === '' || /[\s()[\]]/.test(module))) return null;
  if (module === null && symbol === null) {
    // A bare `[0x…]` counts only inside a run of frames (the caller checks).
    return { module: null, symbol: null, offset: null, address };
  }
  return { module, symbol, offset, address };
}

function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i >= 0 ? path.slice(i + 1) : path;
}

function isLibc(module: string | null): boolean {
  if (!module) return false;
  const b = basename(module);
  return b.startsWith('libc.so') || b.startsWith('libc-2.') || b === 'libc.so.6';
}

/** A signal named in a header line: `SIGSEGV`, `signal 11`, `(Segmentation fault)`. */
export function signalFromText(text: string): Signal | null {
  const m = /\b(SIG[A-Z]{2,7})\b/.exec(text);
  if (m) {
    const num = Object.entries(SIGNAL_NUMBERS).find(([, n]) => n === m[1]);
    return num ? { name: m[1], number: Number(num[0]) } : { name: m[1] };
  }
  const lower = text.toLowerCase();
  if (lower.includes('signal')) {
    const n = /signal:? ?(\d{1,2})\b/i.exec(text);
    if (n && SIGNAL_NUMBERS[Number(n[1])]) return { name: SIGNAL_NUMBERS[Number(n[1])], number: Number(n[1]) };
  }
  for (const [txt, name] of SIGNAL_TEXTS) {
    if (lower.includes(txt) && (lower.includes('signal') || lower.includes('caught') || lower.includes('received'))) {
      const num = Object.entries(SIGNAL_NUMBERS).find(([, n]) => n === name);
      return { name, number: num ? Number(num[0]) : undefined };
    }
  }
  return null;
}

function toFrame(index: number, f: GlibcFrameText): Frame {
  const frame: Frame = {
    index,
    function: f.symbol,
    rawFunction: f.symbol ?? (f.offset ? `+${f.offset}` : null),
    address: f.address,
    module: f.module,
    inlined: false,
    role: 'unknown',
  };
  // `./prog(+0x11de)`: no symbol, the offset is into the module (what addr2line takes)
  if (f.symbol === null && f.offset !== null && f.module !== null) frame.moduleOffset = f.offset;
  return frame;
}

/**
 * Marks the handler's frames: frames 0..k where k is the signal trampoline — an unnamed
 * libc frame near the top, after the handler, followed by a frame outside libc.
 */
function markHandlerFrames(frames: Frame[], sawSignal: boolean): number {
  const limit = Math.min(frames.length - 1, 5);
  for (let k = 1; k <= limit; k++) {
    const f = frames[k];
    const next = frames[k + 1];
    const trampoline =
      (f.function === '__restore_rt' || (f.function === null && isLibc(f.module ?? null))) &&
      next !== undefined && (!isLibc(next.module ?? null) || next.function !== null);
    if (!trampoline) continue;
    // Without a signal header, require the handler above it to be outside libc.
    if (!sawSignal && frames.slice(0, k).some((x) => isLibc(x.module ?? null))) continue;
    for (let j = 0; j <= k; j++) frames[j].roleHint = 'crash-handling';
    return k;
  }
  return -1;
}

function find(doc: Doc, emit?: (r: ParsedReport) => void): ParsedReport[] {
  const out: ParsedReport[] = [];
  const put = emit ?? ((r: ParsedReport) => out.push(r));
  const lines = doc.lines;
  // Every frame line holds `[0x`: a run starts only on a line the text index lists.
  const candidates = candidateLines(doc, TRIGGERS);
  let i = 0;
  while (i < lines.length) {
    i = nextCandidate(candidates, i, lines.length);
    if (i >= lines.length) break;
    const line = lines[i];
    // Cheap test first: every frame line ends with `]` and holds `[0x`.
    if (!line.includes('[0x')) {
      i++;
      continue;
    }
    const first = parseGlibcFrame(line);
    if (!first || (first.module === null && first.symbol === null)) {
      i++;
      continue;
    }
    // A run of frame lines (bare `[0x…]` lines allowed inside it).
    const start = i;
    const parts: GlibcFrameText[] = [first];
    let end = i;
    let j = i + 1;
    for (; j < lines.length; j++) {
      if (!lines[j].includes('[0x')) break;
      const f = parseGlibcFrame(lines[j]);
      if (!f) break;
      parts.push(f);
      end = j;
    }
    i = j;
    // Headers above the run.
    let header = -1;
    let obtained: number | null = null;
    let sig: Signal | null = null;
    let message: string | null = null;
    let errorProgram: string | null = null;
    let errorAddress: string | null = null;
    for (let h = start - 1; h >= Math.max(0, start - HEADER_WINDOW); h--) {
      const t = lines[h].trim();
      if (t === '') continue;
      let used = false;
      if (t.includes('stack frame')) {
        const m = OBTAINED.exec(t);
        if (m) {
          obtained = Number(m[1]);
          used = true;
        }
      }
      if (t.includes('Backtrace')) {
        if (/^=+ ?Backtrace: ?=+$/.test(t)) {
          used = true;
        } else if (/^(?:\w[\w ]{0,30} )?[Bb]acktrace(?: \(most recent call first\))?:$/.test(t)) {
          used = true;
        }
      }
      if (t.startsWith('*** Error in ')) {
        const e = parseErrorIn(t);
        if (e) {
          errorProgram = e.program;
          message = e.message;
          errorAddress = e.address;
          used = true;
        }
      }
      if (!used && sig === null) {
        const s = signalFromText(t);
        if (s) {
          sig = s;
          used = true;
        }
      }
      if (!used) break;
      header = h;
    }
    // Without a header, two frames at least (one path-like line with an address is common
    // in logs). With a header, one is enough.
    if (header < 0 && parts.length < 2) continue;
    // The memory-map footer of the old abort banner.
    let last = end;
    if (end + 1 < lines.length && /^=+ ?Memory map: ?=+$/.test(lines[end + 1].trim())) {
      last = end + 1;
      for (let k = end + 2; k < lines.length && /^[0-9a-f]{4,16}-[0-9a-f]{4,16} /.test(lines[k]); k++) last = k;
      i = Math.max(i, last + 1);
    }
    const r = emptyReport('glibc-backtrace', header >= 0 ? header : start);
    r.endLine = last;
    const frames = parts.map((p, n) => toFrame(n, p));
    const k = markHandlerFrames(frames, sig !== null);
    if (k >= 0) r.facts.push({ code: 'signal-handler', text: 'the program\'s signal handler printed this backtrace; the crash is below the signal trampoline', frame: k });
    r.threads.push({ id: '1', name: null, crashed: true, state: null, frames });
    r.crashingThreadId = '1';
    r.signal = sig;
    if (message !== null) {
      r.message = message;
      const kind = kindForClass(message);
      if (kind) r.kind = { ...kind, reason: `glibc: ${message}` };
      r.facts.push({ code: 'heap-message', text: `glibc reported: ${message}`, value: errorAddress ?? undefined });
      if (errorProgram) r.facts.push({ code: 'program', text: `program ${errorProgram}`, value: errorProgram });
      if (!r.signal) r.signal = { name: 'SIGABRT', number: 6 };
    }
    if (obtained !== null && parts.length < obtained) {
      r.complete = false;
      r.facts.push({ code: 'truncated', text: `the handler obtained ${obtained} frames but only ${parts.length} are shown` });
    }
    const unnamed = frames.filter((f) => f.function === null).length;
    if (unnamed > 0) r.facts.push({ code: 'no-symbols', text: `${unnamed} of ${frames.length} frames have no symbol name (link with -rdynamic, or resolve the offsets with addr2line)` });
    put(r);
  }
  return out;
}

const TRIGGERS = ['[0x'];
export const glibcBacktrace: FormatModule = { id: 'glibc-backtrace', triggers: TRIGGERS, find };
