/**
 * Minidump stack walks: Breakpad's `minidump_stackwalk` text (and its `-m` pipe-separated
 * form) and rust-minidump's `minidump-stackwalk --human` text.
 * Takes: the cleaned document. Gives: one ParsedReport per stack walk, with every thread,
 * the crashing thread the walker marks (`Thread 0 (crashed)`), `Crash reason` as signal
 * (POSIX signal, Windows exception or Mach exception, each read through its own table:
 * android.ts SIGNAL_TABLE, windows.ts WINDOWS_EXCEPTIONS, apple.ts APPLE_EXCEPTIONS),
 * `Crash address` as fault address, and each frame's `Found by:` as `trust` (Socorro's
 * names: context, cfi, cfi_scan, frame_pointer, scan, inlined, prewalked).
 *
 * Shapes read (invented examples):
 *   `Crash reason:  SIGSEGV /SEGV_MAPERR`, `Crash address: 0x0`
 *   `Thread 0 (crashed)` / `Thread 3 Compositor (crashed) - tid: 51234`
 *   ` 0  libgem.so!gem::Mesh::bounds(int) [mesh.cc : 42 + 0x4]`
 *   ` 3  libc.so.6 + 0x29d90`, `    Found by: stack scanning`
 *   `Crash|SIGSEGV|0x0|0` + `0|0|libgem.so|gem::Mesh::bounds(int)|mesh.cc|42|0x4`  (`-m`)
 */
import type { Confidence, CrashKind, Frame, ParsedReport, Thread } from '../model.js';
import { emptyReport, newFrame } from '../model.js';
import type { Doc } from '../ingest/doc.js';
import type { FormatModule } from './format.js';
import { exceptionByName, exceptionKind, fastFailByName, splitParams } from './windows.js';
import { signalByName, signalKind } from './android.js';
import { appleKind } from './apple.js';
import { firstNonSpace } from './scan.js';

/** `Found by:` text → Socorro's trust name. */
export const TRUST_TABLE: Array<{ match: string; trust: string }> = [
  { match: 'given as instruction pointer in context', trust: 'context' },
  { match: 'call frame info with scanning', trust: 'cfi_scan' },
  { match: 'call frame info', trust: 'cfi' },
  { match: "previous frame's frame pointer", trust: 'frame_pointer' },
  { match: 'frame pointer', trust: 'frame_pointer' },
  { match: 'stack scanning', trust: 'scan' },
  { match: 'inlining', trust: 'inlined' },
  { match: 'inline', trust: 'inlined' },
  { match: 'call stack info', trust: 'prewalked' },
  { match: 'prewalked', trust: 'prewalked' },
];

export function trustOf(foundBy: string): string {
  const t = foundBy.toLowerCase();
  for (const row of TRUST_TABLE) if (t.includes(row.match)) return row.trust;
  return 'none';
}

/** Functions that abort because an assertion failed (the walk has no assertion text). */
export const ASSERT_FUNCTIONS = ['__assert_fail', '__assert_fail_base', '__assert_rtn', '__assert2', '_wassert', '_assert', '__assert_perror_fail'];

/** Signals whose crash address is the faulting address. */
const FAULTING_SIGNALS = ['SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGFPE'];

/** Reasons that are not crashes. */
const NON_CRASH_REASONS: Array<{ match: string; kind: CrashKind; confidence: Confidence }> = [
  { match: 'DUMP_REQUESTED', kind: 'snapshot', confidence: 'high' },
  { match: 'No crash', kind: 'snapshot', confidence: 'medium' },
];

/** Kind, signal and access for a `Crash reason` and `Crash address`. */
export function reasonFacts(reason: string, address: string | null): {
  kind: { kind: CrashKind; confidence: Confidence; reason: string } | null;
  signal: ParsedReport['signal'];
  access: ParsedReport['access'];
} {
  const parts = reason.split('/').map((p) => p.trim()).filter((p) => p.length > 0);
  const first = parts[0] ?? '';
  const second = parts[1] ?? null;
  const nc = NON_CRASH_REASONS.find((r) => reason.includes(r.match));
  if (nc) return { kind: { kind: nc.kind, confidence: nc.confidence, reason }, signal: null, access: null };
  const addr = address && /^0x[0-9a-f]{1,16}$/i.test(address) ? address : null;
  // POSIX signal (Linux, Android, macOS signals)
  const sig = signalByName(first);
  if (sig) {
    // For SIGABRT/SIGTRAP/SIGKILL the "crash address" is the sender's pid/uid, not a fault address.
    if (!FAULTING_SIGNALS.includes(sig.name)) address = null;
    const addr = address && /^0x[0-9a-f]{1,16}$/i.test(address) ? address : null;
    const kind = signalKind(first, second, addr);
    return {
      kind,
      signal: { name: sig.name, number: sig.linux, ...(second ? { code: second } : {}), ...(addr ? { faultAddress: addr } : {}) },
      access: addr && (sig.name === 'SIGSEGV' || sig.name === 'SIGBUS') ? { type: 'unknown', address: addr } : null,
    };
  }
  // Windows exception
  const ex = exceptionByName(first);
  if (ex) {
    const fastFail = second ? fastFailByName(second) : null;
    const upper = first.toUpperCase();
    const type = upper.endsWith('_READ') ? 'read' : upper.endsWith('_WRITE') ? 'write' : upper.endsWith('_EXEC') ? 'call' : 'unknown';
    return {
      kind: exceptionKind(ex, addr, fastFail),
      signal: { name: first, code: ex.code, ...(addr ? { faultAddress: addr } : {}) },
      access: ex.code === 'c0000005' ? { type, ...(addr ? { address: addr } : {}) } : null,
    };
  }
  // Mach exception
  if (first.startsWith('EXC_')) {
    const signal = second && second.startsWith('SIG') ? second : null;
    const kind = appleKind({ type: first, signal, codes: second, subtype: second, termination: null, asi: [] }, addr);
    return {
      kind,
      signal: { name: signal ?? first, code: parts.join(' / '), ...(addr ? { faultAddress: addr } : {}) },
      access: first === 'EXC_BAD_ACCESS' && addr ? { type: 'unknown', address: addr } : null,
    };
  }
  return { kind: first ? { kind: 'unknown', confidence: 'low', reason } : null, signal: first ? { name: first } : null, access: null };
}

/** `hg:hg.mozilla.org/repo:path/to/file.cpp:rev` → `path/to/file.cpp`. */
export function sourcePath(file: string): string {
  // `vcs:repo:path:revision`: the path is between the second colon and the last one.
  const vcs = file.indexOf(':');
  if (vcs < 2 || vcs > 4 || !['hg', 'git', 'svn', 'cvs', 's3'].includes(file.slice(0, vcs))) return file;
  const repoEnd = file.indexOf(':', vcs + 1);
  const revStart = file.lastIndexOf(':');
  if (repoEnd < 0 || revStart <= repoEnd + 1) return file;
  const rev = file.slice(revStart + 1);
  if (rev.length === 0 || rev.length > 64 || !/^[0-9a-zA-Z]+$/.test(rev)) return file;
  return file.slice(repoEnd + 1, revStart);
}

/** ` 0  libgem.so!gem::Mesh::bounds(int) [mesh.cc : 42 + 0x4]` (after the index). */
export function parseWalkFrame(index: number, text: string): Frame {
  let s = text.trim();
  const frame = newFrame(index, null);
  if (s.endsWith(']') && s.includes(' [')) {
    const open = s.lastIndexOf(' [');
    const inner = s.slice(open + 2, -1);
    const colon = inner.lastIndexOf(' : ');
    if (colon > 0) {
      frame.file = sourcePath(inner.slice(0, colon).trim());
      const n = parseInt(inner.slice(colon + 3), 10);
      if (Number.isFinite(n)) frame.line = n;
      s = s.slice(0, open).trimEnd();
    }
  }
  // ` + 0x1f` offset
  const plus = s.lastIndexOf(' + 0x');
  if (plus >= 0 && /^ \+ 0x[0-9a-f]{1,16}$/i.test(s.slice(plus))) {
    const off = s.slice(plus + 3);
    s = s.slice(0, plus).trimEnd();
    if (!s.includes('!')) {
      // `libc.so.6 + 0x29d90`: no symbol, the offset is into the module
      frame.address = off;
      frame.moduleOffset = off;
    }
  }
  if (/^0x[0-9a-f]{1,16}$/i.test(s)) {
    frame.address = s;
    frame.module = null;
    return frame;
  }
  const bang = s.indexOf('!');
  if (bang < 0) {
    frame.module = s.length > 0 ? s : null;
    return frame;
  }
  frame.module = s.slice(0, bang);
  const sym = s.slice(bang + 1);
  frame.rawFunction = sym;
  const { name, args } = splitParams(sym);
  frame.function = name;
  if (args) frame.args = args;
  return frame;
}

interface Walk {
  r: ParsedReport;
  reason: string | null;
  address: string | null;
  cur: Thread | null;
  lastFrame: Frame | null;
  main: string | null;
  strong: boolean;
  scanned: number;
  crashingThread: string | null;
}

function newWalk(line: number): Walk {
  return { r: emptyReport('breakpad', line), reason: null, address: null, cur: null, lastFrame: null, main: null, strong: false, scanned: 0, crashingThread: null };
}

function finishWalk(w: Walk): ParsedReport | null {
  const r = w.r;
  if (!w.strong || (w.reason === null && r.threads.every((t) => t.frames.length === 0))) return null;
  if (w.reason !== null) {
    const f = reasonFacts(w.reason, w.address);
    r.kind = f.kind;
    r.signal = f.signal;
    r.access = f.access;
    r.message = w.reason + (r.signal?.faultAddress ? ` at ${r.signal.faultAddress}` : '');
  }
  let crashed = r.threads.find((t) => t.crashed) ?? null;
  if (!crashed && w.crashingThread) crashed = r.threads.find((t) => t.id === w.crashingThread) ?? null;
  // A walk prints no assertion text; an assert function on top of abort says what it was.
  if (crashed && r.kind?.kind === 'abort') {
    const a = crashed.frames.slice(0, 12).find((f) => f.function !== null && ASSERT_FUNCTIONS.includes(f.function));
    if (a) r.kind = { kind: 'assertion', confidence: 'medium', reason: `${r.kind.reason} raised by ${a.function}` };
  }
  if (!crashed && w.crashingThread) crashed = r.threads.find((t) => t.id === w.crashingThread) ?? null;
  if (crashed) {
    crashed.crashed = true;
    r.crashingThreadId = crashed.id;
  } else if (w.reason !== null && r.threads.length === 0) {
    r.complete = false;
    r.facts.push({ code: 'truncated', text: 'the stack walk has a crash reason but no thread: the paste is cut off' });
  } else if (w.crashingThread) {
    r.crashingThreadId = w.crashingThread;
    r.complete = false;
    r.facts.push({ code: 'truncated', text: `the crashing thread ${w.crashingThread} is not in the text` });
  }
  if (w.main) {
    for (const t of r.threads) for (const f of t.frames) if (f.module === w.main) f.roleHint = 'app';
  }
  for (const t of r.threads) t.frames.forEach((f, k) => (f.index = k));
  if (crashed && crashed.frames.length > 0) {
    const scan = crashed.frames.findIndex((f) => f.trust === 'scan' || f.trust === 'cfi_scan');
    if (scan >= 0) {
      r.facts.push({ code: 'other', frame: scan, text: `frames from #${scan} on were found by stack scanning and may not be real callers` });
    }
    if (crashed.frames.some((f) => f.function === null && f.module !== null)) {
      r.facts.push({ code: 'no-symbols', text: 'frames without symbols (module + offset): symbols for those modules were missing' });
    }
  }
  return r;
}


const WALK_OPENERS = new Set(['O', 'C', 'T'].map((c) => c.charCodeAt(0)));

const THREAD_LINE = /^Thread (\d{1,6})(.{0,300})$/;

function parseThreadHeader(s: string): { id: string; name: string | null; crashed: boolean; tid: string | null } | null {
  const m = THREAD_LINE.exec(s);
  if (!m) return null;
  let rest = m[2];
  if (rest.length > 0 && rest[0] !== ' ') return null;
  let tid: string | null = null;
  const t = rest.lastIndexOf(' - tid: ');
  if (t >= 0) {
    tid = rest.slice(t + 8).trim();
    rest = rest.slice(0, t);
  }
  let crashed = false;
  rest = rest.trim();
  if (rest.endsWith('(crashed)')) {
    crashed = true;
    rest = rest.slice(0, -9).trim();
  }
  if (rest.includes(':')) return null;
  return { id: String(parseInt(m[1], 10)), name: rest.length > 0 ? rest : null, crashed, tid };
}

/** Human text of minidump_stackwalk / rust-minidump. */
function scanHuman(lines: string[], out: ParsedReport[]): void {
  let w: Walk | null = null;
  const close = () => {
    if (w) {
      const r = finishWalk(w);
      if (r) out.push(r);
    }
    w = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.length > 8000) continue;
    const k0 = firstNonSpace(raw);
    if (k0 === raw.length) continue;
    // Idle: only `Operating system:`, `Crash reason:` or `Thread N (crashed)` opens a walk.
    if (w === null && !WALK_OPENERS.has(raw.charCodeAt(k0))) continue;
    const s = raw.trim();
    if (s.startsWith('Operating system:')) {
      const cur = w as Walk | null;
      if (cur && (cur.reason !== null || cur.r.threads.length > 0)) close();
      if (!w) w = newWalk(i);
      (w as unknown as Walk).r.endLine = i;
      continue;
    }
    if (s.startsWith('Crash reason:')) {
      const cur = w as Walk | null;
      if (cur && cur.reason !== null) close();
      if (!w) w = newWalk(i);
      const ww = w as unknown as Walk;
      ww.reason = s.slice(13).trim();
      ww.strong = true;
      ww.r.endLine = i;
      continue;
    }
    const cur = w as Walk | null;
    if (!cur) {
      // A walk pasted from its first thread on: `Thread 0 (crashed)` then frames.
      if (s.startsWith('Thread ') && s.includes('(crashed)')) {
        const h = parseThreadHeader(s);
        if (h && i + 1 < lines.length && /^\s{0,3}0 {1,3}\S/.test(lines[i + 1])) {
          w = newWalk(i);
          i--;
        }
      }
      continue;
    }
    if (s.startsWith('Crash address:')) {
      const a = /^Crash address:\s{0,8}(0x[0-9a-f]{1,16})/i.exec(s);
      if (a) cur.address = a[1];
      cur.r.endLine = i;
      continue;
    }
    if (s.startsWith('Crashing thread:') || s.startsWith('Crashing thread ')) {
      const m = /(\d{1,6})/.exec(s);
      if (m) cur.crashingThread = String(parseInt(m[1], 10));
      continue;
    }
    if (s.startsWith('Assertion:')) {
      cur.r.message = s.slice(10).trim();
      continue;
    }
    if (s.startsWith('Thread ')) {
      const h = parseThreadHeader(s);
      if (h) {
        const t: Thread = { id: h.id, name: h.name, lwp: h.tid, crashed: h.crashed, state: null, frames: [] };
        cur.r.threads.push(t);
        cur.cur = t;
        cur.lastFrame = null;
        if (h.crashed) cur.strong = true;
        cur.r.endLine = i;
        continue;
      }
    }
    if (s.startsWith('Found by:')) {
      if (cur.lastFrame) {
        cur.lastFrame.trust = trustOf(s.slice(9));
        if (cur.lastFrame.trust === 'inlined') cur.lastFrame.inlined = true;
      }
      cur.r.endLine = i;
      continue;
    }
    if (s.startsWith('Loaded modules:')) {
      cur.cur = null;
      continue;
    }
    if (s.startsWith('0x') && s.includes(' - 0x')) {
      // Loaded modules: `0x55d0c0a00000 - 0x55d0c0a45fff  gemtool  ???  (main)`
      if (s.endsWith('(main)')) {
        const m = /^0x[0-9a-f]{1,16} - 0x[0-9a-f]{1,16}\s{1,8}(\S{1,300})/i.exec(s);
        if (m) cur.main = m[1];
      }
      cur.r.endLine = i;
      continue;
    }
    if (cur.cur) {
      const c = s.charCodeAt(0);
      if (c >= 48 && c <= 57) {
        let k = 0;
        while (k < s.length && k < 6 && s.charCodeAt(k) >= 48 && s.charCodeAt(k) <= 57) k++;
        if (s[k] === ' ') {
          const n = parseInt(s.slice(0, k), 10);
          if (n === cur.cur.frames.length) {
            const f = parseWalkFrame(n, s.slice(k));
            cur.cur.frames.push(f);
            cur.lastFrame = f;
            cur.r.endLine = i;
            continue;
          }
        }
      }
    }
  }
  close();
}

/** `minidump_stackwalk -m`: `Crash|SIGSEGV|0x0|0` and `tid|frame|module|function|file|line|offset`. */
function scanMachine(lines: string[], out: ParsedReport[]): void {
  let w: Walk | null = null;
  const close = () => {
    if (w) {
      const r = finishWalk(w);
      if (r) out.push(r);
    }
    w = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.length > 8000 || line.indexOf('|') < 0) continue;
    const s = line.trim();
    if (s.startsWith('OS|')) {
      const cur = w as Walk | null;
      if (cur && cur.reason !== null) close();
      if (!w) w = newWalk(i);
      continue;
    }
    if (s.startsWith('Crash|')) {
      const cur = w as Walk | null;
      if (cur && cur.reason !== null) close();
      if (!w) w = newWalk(i);
      const ww = w as unknown as Walk;
      const p = s.split('|');
      ww.reason = p[1] ?? '';
      ww.address = p[2] && p[2].startsWith('0x') ? p[2] : null;
      if (p[3] && /^\d{1,6}$/.test(p[3])) ww.crashingThread = p[3];
      ww.strong = true;
      ww.r.endLine = i;
      continue;
    }
    const cur = w as Walk | null;
    if (!cur) continue;
    if (s.startsWith('Module|')) {
      const p = s.split('|');
      if (p[7] === '1' && p[1]) cur.main = p[1];
      continue;
    }
    const p = s.split('|');
    if (p.length === 7 && /^\d{1,6}$/.test(p[0]) && /^\d{1,6}$/.test(p[1])) {
      const tid = p[0];
      let t = cur.r.threads.find((x) => x.id === tid);
      if (!t) {
        t = { id: tid, name: null, lwp: null, crashed: false, state: null, frames: [] };
        cur.r.threads.push(t);
      }
      const f = newFrame(t.frames.length, null);
      f.module = p[2] || null;
      if (p[3]) {
        f.rawFunction = p[3];
        const { name, args } = splitParams(p[3]);
        f.function = name;
        if (args) f.args = args;
      }
      if (p[4]) f.file = sourcePath(p[4]);
      if (p[5] && /^\d{1,9}$/.test(p[5])) f.line = parseInt(p[5], 10);
      if (!p[3] && p[6]) f.address = p[6];
      t.frames.push(f);
      cur.r.endLine = i;
    }
  }
  close();
}

export function findBreakpad(doc: Doc): ParsedReport[] {
  const out: ParsedReport[] = [];
  scanHuman(doc.lines, out);
  const n = out.length;
  scanMachine(doc.lines, out);
  if (out.length > n && n > 0) out.sort((a, b) => a.startLine - b.startLine);
  return out;
}

export const breakpad: FormatModule = {
  id: 'breakpad',
  // Exactly what can open a walk: scanHuman's `Operating system:`, `Crash reason:` and
  // `Thread N (crashed)`, scanMachine's `OS|` and `Crash|`.
  triggers: ['Operating system:', 'Crash reason:', '(crashed)', 'OS|', 'Crash|'],
  find: findBreakpad,
};

export default breakpad;
