/**
 * Apple crash reports (macOS, iOS): the text `.crash` form and the JSON `.ips` form.
 * Takes: the cleaned document. Gives: one ParsedReport per crash report, with every thread
 * (ids are the report's thread numbers, the OS thread id of an `.ips` thread in `lwp`), the
 * crashed thread the report names, the exception type/codes as `signal`, the access
 * address, the Application Specific Information as message (assertion, uncaught
 * NSException / C++ exception, Swift fatal error), and roles hinted from Binary Images
 * (system images → library, the app's own images → app).
 *
 * An uncaught exception's `Last Exception Backtrace` is where the exception was thrown: it
 * becomes the crashed thread's stack, and the thread's printed stack (terminate → abort)
 * is kept as a `suppressed` stack.
 *
 * Shapes read (invented examples):
 *   `Exception Type:  EXC_BAD_ACCESS (SIGSEGV)`, `Exception Codes: KERN_INVALID_ADDRESS at 0x0`
 *   `Crashed Thread:  3  Dispatch queue: com.example.sync` / `Triggered by Thread:  3`
 *   `Thread 3 Crashed:: Dispatch queue: com.example.sync`, `Thread 3 name:  …`
 *   `0   libsystem_kernel.dylib        0x00000001a2b3c4d5 __pthread_kill + 8`
 *   `4   Plumly   0x0000000104a1b2c4 -[PLFeed reload:] + 36 (PLFeed.m:112)`
 *   `5   Plumly   0x0000000104a1b2c4 0x104a10000 + 45764`   (unsymbolicated)
 *   `{"app_name":"Plumly","bug_type":"309",…}` + `{ "exception": {…}, "threads": [ … ] }`
 */
import type { Confidence, CrashKind, Frame, ParsedReport, Stack, Thread } from '../model.js';
import { emptyReport, newFrame } from '../model.js';
import type { Doc } from '../ingest/doc.js';
import type { FormatModule } from './format.js';
import { isNullPageAddress } from '../diagnose/kind-table.js';
import { messageKind, signalByName, signalKind, uncaughtException } from './android.js';
import { splitParams } from './windows.js';
import { firstNonSpace, codeSet } from './scan.js';

// ---------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------

/** Mach exception types; the signal and the message refine them (see appleKind). */
export const APPLE_EXCEPTIONS: Array<{ type: string; kind: CrashKind; confidence: Confidence; note: string }> = [
  { type: 'EXC_BAD_ACCESS', kind: 'segv', confidence: 'high', note: 'invalid memory access' },
  { type: 'EXC_BAD_INSTRUCTION', kind: 'illegal-instruction', confidence: 'high', note: 'illegal instruction' },
  { type: 'EXC_ARITHMETIC', kind: 'fpe', confidence: 'high', note: 'arithmetic exception' },
  { type: 'EXC_BREAKPOINT', kind: 'panic', confidence: 'medium', note: 'trap instruction (Swift runtime check or __builtin_trap)' },
  { type: 'EXC_CRASH', kind: 'abort', confidence: 'medium', note: 'the process ended itself' },
  { type: 'EXC_GUARD', kind: 'abort', confidence: 'low', note: 'guarded resource violation' },
  { type: 'EXC_RESOURCE', kind: 'hang', confidence: 'low', note: 'resource limit exceeded' },
];

/** Lower-case substrings of Exception Codes / Subtype / Termination Reason that decide the kind. */
export const APPLE_CODE_KINDS: Array<{ match: string; kind: CrashKind; confidence: Confidence }> = [
  { match: '0x8badf00d', kind: 'hang', confidence: 'high' },
  { match: 'exc_arm_da_align', kind: 'bus-error', confidence: 'high' },
  { match: 'jetsam', kind: 'oom', confidence: 'high' },
  { match: 'resource_type_memory', kind: 'oom', confidence: 'high' },
  { match: 'exc_i386_div', kind: 'fpe', confidence: 'high' },
];

/** Application Specific Information messages that decide the kind (before kindForClass). */
export const APPLE_MESSAGE_KINDS: Array<{ match: string; kind: CrashKind; confidence: Confidence }> = [
  { match: 'terminating app due to uncaught exception', kind: 'uncaught-exception', confidence: 'high' },
  { match: 'uncaught exception of type', kind: 'uncaught-exception', confidence: 'high' },
  { match: 'crashing on exception:', kind: 'uncaught-exception', confidence: 'high' },
  { match: 'pointer being freed was not allocated', kind: 'invalid-free', confidence: 'high' },
  { match: 'pointer being realloc\'d was not allocated', kind: 'invalid-free', confidence: 'high' },
  { match: 'double free', kind: 'double-free', confidence: 'high' },
  { match: 'heap corruption', kind: 'heap-corruption', confidence: 'high' },
  { match: 'incorrect checksum for freed object', kind: 'heap-corruption', confidence: 'high' },
  { match: 'stack buffer overflow', kind: 'stack-smashing', confidence: 'high' },
  { match: 'stack_chk_fail', kind: 'stack-smashing', confidence: 'high' },
  { match: 'detected buffer overflow', kind: 'stack-buffer-overflow', confidence: 'medium' },
  { match: 'assertion failed', kind: 'assertion', confidence: 'high' },
  { match: 'unexpectedly found nil', kind: 'null-deref', confidence: 'high' },
  { match: 'fatal error:', kind: 'panic', confidence: 'high' },
  { match: 'precondition failed', kind: 'panic', confidence: 'high' },
  { match: 'abort() called', kind: 'abort', confidence: 'high' },
];

function tableKind(text: string, table: Array<{ match: string; kind: CrashKind; confidence: Confidence }>) {
  const t = text.toLowerCase();
  for (const row of table) if (t.includes(row.match)) return { kind: row.kind, confidence: row.confidence, reason: text };
  return null;
}

interface Facts {
  type: string | null;
  signal: string | null;
  codes: string | null;
  subtype: string | null;
  termination: string | null;
  asi: string[];
  /** VM Region Info marks the fault address inside a thread's stack guard page. */
  stackGuard?: boolean;
}

/** Kind from the exception type, signal, codes and message. */
export function appleKind(f: Facts, address: string | null): { kind: CrashKind; confidence: Confidence; reason: string } | null {
  const codeText = [f.codes, f.subtype, f.termination].filter(Boolean).join(' ');
  const byCode = codeText ? tableKind(codeText, APPLE_CODE_KINDS) : null;
  if (byCode) return byCode;
  const base = f.type ? APPLE_EXCEPTIONS.find((e) => f.type!.startsWith(e.type)) : undefined;
  const fatalByMessage = !base || base.type !== 'EXC_BAD_ACCESS';
  if (fatalByMessage && f.asi.length > 0) {
    // The most specific row over all messages wins (`abort() called` comes with the assertion).
    for (const row of APPLE_MESSAGE_KINDS) {
      const m = f.asi.find((x) => x.toLowerCase().includes(row.match));
      if (m) return { kind: row.kind, confidence: row.confidence, reason: m };
    }
    for (const m of f.asi) {
      const mk = messageKind(m);
      if (mk) return { ...mk, reason: m };
    }
  }
  if (base?.type === 'EXC_BAD_ACCESS') {
    if (f.stackGuard) return { kind: 'stack-overflow', confidence: 'high', reason: `EXC_BAD_ACCESS${address ? ' at ' + address : ''} in a stack guard page` };
    if (address && isNullPageAddress(address)) return { kind: 'null-deref', confidence: 'high', reason: `EXC_BAD_ACCESS at ${address}, inside the NULL page` };
    return { kind: 'segv', confidence: 'high', reason: `EXC_BAD_ACCESS${address ? ' at ' + address : ''}` };
  }
  if (base?.type === 'EXC_CRASH' && f.signal && f.signal !== 'SIGABRT') {
    const s = signalKind(f.signal, null, address);
    if (s) return s;
  }
  if (base) return { kind: base.kind, confidence: base.confidence, reason: `${f.type}${f.signal ? ' (' + f.signal + ')' : ''}: ${base.note}` };
  if (f.signal) return signalKind(f.signal, null, address);
  return null;
}

// ---------------------------------------------------------------------------------------
// Text frames
// ---------------------------------------------------------------------------------------

/** `4   Plumly   0x0000000104a1b2c4 -[PLFeed reload:] + 36 (PLFeed.m:112)` */
export function parseAppleFrame(line: string): { number: number; frame: Frame } | null {
  const s = line.trim();
  const c0 = s.charCodeAt(0);
  if (c0 < 48 || c0 > 57) return null;
  let i = 0;
  while (i < s.length && i < 6 && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  if (s[i] !== ' ' && s[i] !== '\t') return null;
  const number = parseInt(s.slice(0, i), 10);
  const addrAt = s.indexOf(' 0x', i);
  const tabAddr = s.indexOf('\t0x', i);
  const at = addrAt < 0 ? tabAddr : tabAddr < 0 ? addrAt : Math.min(addrAt, tabAddr);
  if (at < 0 || at - i > 300) return null;
  const module = s.slice(i, at).trim();
  if (module.length === 0) return null;
  let j = at + 3;
  const hexStart = j;
  while (j < s.length && /[0-9a-fA-F]/.test(s[j])) j++;
  if (j - hexStart < 1 || j - hexStart > 16) return null;
  if (j < s.length && s[j] !== ' ' && s[j] !== '\t') return null;
  const frame = newFrame(number, null);
  frame.address = '0x' + s.slice(hexStart, j);
  frame.module = module === '???' ? null : module;
  let rest = s.slice(j).trim();
  if (rest.endsWith('[inlined]')) {
    frame.inlined = true;
    rest = rest.slice(0, -9).trimEnd();
  }
  // Source location: `(File.swift:12)` or `(File.m:12:5)`, last.
  if (rest.endsWith(')')) {
    const open = rest.lastIndexOf(' (');
    if (open > 0) {
      const loc = rest.slice(open + 2, -1);
      const m = /^([^():]{1,500}):(\d{1,9})(?::(\d{1,6}))?$/.exec(loc);
      if (m) {
        frame.file = m[1];
        frame.line = parseInt(m[2], 10);
        if (m[3]) frame.column = parseInt(m[3], 10);
        rest = rest.slice(0, open).trimEnd();
      }
    }
  }
  // ` + 36` offset
  const plus = rest.lastIndexOf(' + ');
  if (plus > 0 && /^ \+ \d{1,12}$/.test(rest.slice(plus))) rest = rest.slice(0, plus).trimEnd();
  else if (plus === 0) rest = '';
  // atos form: `func (in Module)`
  const inMod = rest.lastIndexOf(' (in ');
  if (inMod > 0 && rest.endsWith(')')) rest = rest.slice(0, inMod).trimEnd();
  if (rest.length === 0 || rest === '???' || rest === module || /^0x[0-9a-f]{1,16}$/i.test(rest)) return { number, frame };
  frame.rawFunction = rest;
  if (rest.startsWith('-[') || rest.startsWith('+[')) frame.function = rest;
  else {
    const { name, args } = splitParams(rest);
    frame.function = name;
    if (args) frame.args = args;
  }
  return { number, frame };
}

// ---------------------------------------------------------------------------------------
// Report assembly (both forms)
// ---------------------------------------------------------------------------------------

interface Built {
  r: ParsedReport;
  facts: Facts;
  address: string | null;
  crashedId: string | null;
  process: string | null;
  images: Map<string, string>;
  lastException: Frame[] | null;
}

function isSystemImage(path: string): boolean {
  return path.startsWith('/System/') || path.startsWith('/usr/lib/') || path.startsWith('/Library/Apple/') ||
    path.startsWith('/usr/libexec/') || path.startsWith('/private/preboot/Cryptexes/') || path.startsWith('/System/Cryptexes/');
}

function finishReport(b: Built): ParsedReport {
  const r = b.r;
  const f = b.facts;
  // Address: `KERN_INVALID_ADDRESS at 0x…`, else the second code of EXC_BAD_ACCESS.
  let address = b.address;
  if (!address) {
    const src = [f.subtype, f.codes].filter(Boolean).join(' ');
    const m = / at (0x[0-9a-f]{1,16})/i.exec(src);
    if (m) address = m[1];
    else if (f.type?.startsWith('EXC_BAD_ACCESS') && f.codes) {
      const parts = f.codes.split(',').map((x) => x.trim());
      if (parts.length === 2 && /^0x[0-9a-f]{1,16}$/i.test(parts[1])) address = parts[1];
    }
  }
  if (f.type) {
    const sig = f.signal ? signalByName(f.signal) : null;
    r.signal = {
      name: f.signal ?? f.type,
      ...(sig ? { number: sig.darwin } : {}),
      code: [f.type, f.subtype ?? f.codes].filter(Boolean).join(' / '),
      ...(address ? { faultAddress: address } : {}),
    };
  }
  if (address && f.type?.startsWith('EXC_BAD_ACCESS')) r.access = { type: 'unknown', address };
  let kind = appleKind(f, address);
  if (b.lastException && b.lastException.length > 0 && (!kind || kind.kind === 'abort')) {
    kind = { kind: 'uncaught-exception', confidence: 'medium', reason: 'a Last Exception Backtrace: an exception nobody caught ended the process' };
  }
  if (kind) r.kind = kind;

  // Message, assertion, exception from Application Specific Information.
  for (const m of f.asi) {
    const ns = /Terminating app due to uncaught exception '([^']{1,300})', reason: '(.{0,4000})'$/.exec(m);
    if (ns) {
      r.exception = { type: ns[1], message: ns[2], causes: [] };
      r.message = `${ns[1]}: ${ns[2]}`;
      break;
    }
    if (m.startsWith('Crashing on exception: ')) {
      r.message = m;
      r.exception = { type: 'NSException', message: m.slice(23), causes: [] };
      break;
    }
    const cxx = uncaughtException(m);
    if (cxx) {
      r.exception = cxx;
      r.message = m;
      break;
    }
    const as = parseAssertRtn(m);
    if (as) {
      r.assertion = as;
      r.message = m;
      break;
    }
    const swift = /^(?:(.{1,500}):(\d{1,9}): )?(Fatal error|Precondition failed|Assertion failed)(?:: (.{0,4000}))?$/.exec(m);
    if (swift) {
      r.message = swift[4] ? `${swift[3]}: ${swift[4]}` : swift[3];
      if (swift[3] !== 'Fatal error' && swift[4] !== undefined) {
        r.assertion = { expression: swift[4], file: swift[1] ?? null, line: swift[2] ? parseInt(swift[2], 10) : null, function: null };
      }
      break;
    }
    if (!r.message && m !== 'abort() called' && !m.startsWith('dyld') && m.length > 3) r.message = m;
  }
  if (!r.message && f.asi.includes('abort() called')) r.message = 'abort() called';
  if (!r.message && f.type) {
    // `EXC_BAD_ACCESS (SIGSEGV) KERN_INVALID_ADDRESS at 0x0000000000000020`
    const detail = f.subtype ?? (f.codes && /[G-Zg-z_]/.test(f.codes) ? f.codes : null);
    r.message = [f.type + (f.signal ? ` (${f.signal})` : ''), detail].filter(Boolean).join(' ');
  }
  if (!r.message && f.termination) r.message = f.termination;

  // Roles from Binary Images / usedImages.
  const proc = b.process;
  for (const t of r.threads) for (const fr of t.frames) hintRole(fr, b.images, proc);
  if (b.lastException) for (const fr of b.lastException) hintRole(fr, b.images, proc);

  // Crashed thread.
  let crashed = b.crashedId ? r.threads.find((t) => t.id === b.crashedId) ?? null : null;
  if (!crashed) crashed = r.threads.find((t) => t.crashed) ?? null;
  if (crashed) {
    crashed.crashed = true;
    r.crashingThreadId = crashed.id;
  } else if (b.crashedId) {
    r.crashingThreadId = b.crashedId;
    r.complete = false;
    r.facts.push({ code: 'truncated', text: `the crashed thread ${b.crashedId} is not in the text: the report is cut off` });
  }
  if (crashed && b.lastException && b.lastException.length > 0) {
    const printed: Stack = { role: 'suppressed', thread: crashed.id, title: `Thread ${crashed.id} as printed (unwinding after the uncaught exception)`, frames: crashed.frames };
    crashed.frames = b.lastException;
    r.stacks.push(printed);
    r.facts.push({ code: 'other', text: 'the crashed thread\'s stack is the Last Exception Backtrace (where the exception was thrown)' });
  }
  for (const t of r.threads) t.frames.forEach((x, k) => (x.index = k));
  for (const s of r.stacks) s.frames.forEach((x, k) => (x.index = k));
  if (proc) r.facts.push({ code: 'program', text: `process ${proc}`, value: proc });
  if (r.threads.some((t) => t.frames.some((x) => x.function === null && x.module !== null))) {
    r.facts.push({ code: 'no-symbols', text: 'some frames are not symbolicated (image + offset only)' });
  }
  return r;
}

/** libc's __assert_rtn text: `Assertion failed: (expr), function f, file x.c, line 12.` */
export function parseAssertRtn(m: string): ParsedReport['assertion'] {
  if (!m.startsWith('Assertion failed: (')) return null;
  const fn = m.lastIndexOf('), function ');
  const file = m.lastIndexOf(', file ');
  const line = m.lastIndexOf(', line ');
  if (fn < 0 || file < fn || line < file) return null;
  const n = parseInt(m.slice(line + 7), 10);
  return {
    expression: m.slice(19, fn),
    function: m.slice(fn + 12, file),
    file: m.slice(file + 7, line),
    line: Number.isFinite(n) ? n : null,
  };
}

function hintRole(fr: Frame, images: Map<string, string>, proc: string | null): void {
  const m = fr.module;
  if (!m) return;
  const path = images.get(m);
  if (path) {
    if (isSystemImage(path)) fr.roleHint = 'library';
    else if (path.includes('.app/') || (proc && path.endsWith('/' + proc))) fr.roleHint = 'app';
  } else if (proc && m === proc) fr.roleHint = 'app';
}

// ---------------------------------------------------------------------------------------
// Text form
// ---------------------------------------------------------------------------------------

const THREAD_HEADER = /^Thread (\d{1,5})( Crashed)?:{1,2}[ \t]{0,8}(.{0,300})$/;
const THREAD_NAME = /^Thread (\d{1,5}) name:[ \t]{0,8}(.{0,300})$/;
const BINARY_IMAGE = /^\s{0,8}(0x[0-9a-f]{1,16})\s{1,12}-\s{1,12}(0x[0-9a-f]{1,16})\s{1,4}\+?(\S{1,300})[ \t][^<]{0,300}<([0-9a-fA-F-]{1,40})>\s{1,8}(\S.{0,2000})$/;

type Section = 'none' | 'thread' | 'asi' | 'lastex' | 'images' | 'registers';

interface TextState extends Built {
  section: Section;
  cur: Thread | null;
  names: Map<string, string>;
}

function newText(line: number): TextState {
  return {
    r: emptyReport('apple', line),
    facts: { type: null, signal: null, codes: null, subtype: null, termination: null, asi: [] },
    address: null, crashedId: null, process: null, images: new Map(), lastException: null,
    section: 'none', cur: null, names: new Map(),
  };
}

function headerValue(line: string, key: string): string | null {
  if (!line.startsWith(key)) return null;
  return line.slice(key.length).trim();
}



const APPLE_OPENERS = codeSet('IPET');
const APPLE_FIRST = codeSet('IPECTALB0123456789(-');

const START_KEYS = ['Incident Identifier:', 'Process:'];

function scanText(lines: string[], out: ParsedReport[]): void {
  let st: TextState | null = null;
  let strong = false;
  const close = () => {
    if (st && strong) {
      for (const [id, name] of st.names) {
        const t = st.r.threads.find((x) => x.id === id);
        if (t && !t.name) t.name = name;
      }
      out.push(finishReport(st));
    }
    st = null;
    strong = false;
  };
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.length > 8000) continue;
    const k0 = firstNonSpace(raw);
    const c0 = k0 < raw.length ? raw.charCodeAt(k0) : -1;
    // First-character dispatch: idle, only a report header can open a report.
    if (st === null ? !APPLE_OPENERS.has(c0) : c0 >= 0 && (st as TextState).section !== 'asi' && !APPLE_FIRST.has(c0)) continue;
    const s = c0 < 0 ? '' : raw.slice(k0).trimEnd();
    if (START_KEYS.some((k) => s.startsWith(k)) && (s.startsWith('Incident') || /^Process:\s{1,40}\S{1,300}\s{0,4}\[\d{1,10}\]/.test(s))) {
      const cur = st as TextState | null;
      if (cur && (cur.facts.type || cur.r.threads.length > 0) && !(s.startsWith('Process:') && cur.process === null && cur.r.threads.length === 0)) close();
      if (!st) st = newText(i);
      const p = headerValue(s, 'Process:');
      if (p) (st as TextState).process = p.replace(/\s{0,4}\[\d{1,10}\]$/, '').trim();
      (st as TextState).r.endLine = i;
      continue;
    }
    if (s.startsWith('Exception Type:')) {
      const cur = st as TextState | null;
      if (cur && cur.facts.type) close();
      if (!st) st = newText(i);
      const v = headerValue(s, 'Exception Type:')!;
      const m = /^(\S{1,60})(?:\s{1,8}\((SIG[A-Z]{2,8})\))?/.exec(v);
      (st as TextState).facts.type = m ? m[1] : v;
      (st as TextState).facts.signal = m?.[2] ?? null;
      (st as TextState).r.endLine = i;
      strong = true;
      continue;
    }
    if (!st) {
      // A bare thread dump in Apple form opens a report only with a `Thread N Crashed:` header.
      if (s.startsWith('Thread ') && s.includes(' Crashed:')) {
        st = newText(i);
      } else continue;
    }
    const cur = st as TextState;
    if (s.length === 0) {
      if (cur.section === 'asi' || cur.section === 'lastex' || cur.section === 'registers' || cur.section === 'images') cur.section = 'none';
      if (cur.section === 'thread') cur.section = 'none';
      continue;
    }
    let v: string | null;
    if ((v = headerValue(s, 'Exception Codes:')) !== null) {
      // macOS prints the codes twice: by name (`KERN_INVALID_ADDRESS at 0x…`) and as numbers; keep the name.
      if (!cur.facts.codes || !/[G-Zg-z_]/.test(cur.facts.codes)) cur.facts.codes = v;
      cur.r.endLine = i;
      continue;
    }
    if ((v = headerValue(s, 'Exception Subtype:')) !== null) { cur.facts.subtype = v; cur.r.endLine = i; continue; }
    if ((v = headerValue(s, 'Exception Message:')) !== null) { cur.facts.asi.push(v); cur.r.endLine = i; continue; }
    if (s.startsWith('--->') && s.includes('Stack Guard')) { cur.facts.stackGuard = true; continue; }
    if ((v = headerValue(s, 'Termination Reason:')) !== null) { cur.facts.termination = v; cur.r.endLine = i; continue; }
    if ((v = headerValue(s, 'Crashed Thread:') ?? headerValue(s, 'Triggered by Thread:')) !== null) {
      const m = /^(\d{1,5})/.exec(v);
      if (m) cur.crashedId = String(parseInt(m[1], 10));
      cur.r.endLine = i;
      continue;
    }
    if (s.startsWith('Application Specific Information:')) {
      cur.section = 'asi';
      const rest = s.slice(33).trim();
      if (rest) cur.facts.asi.push(rest);
      continue;
    }
    if (s.startsWith('Last Exception Backtrace:') || s.startsWith('Application Specific Backtrace')) {
      // iOS names it Last Exception Backtrace, macOS Application Specific Backtrace N.
      cur.section = 'lastex';
      cur.lastException = [];
      const rest = s.slice(s.indexOf(':') + 1).trim();
      if (rest.startsWith('(')) readAddressList(rest, cur.lastException);
      continue;
    }
    if (s.startsWith('Binary Images:')) {
      cur.section = 'images';
      strong = true;
      continue;
    }
    if (s.startsWith('Thread ')) {
      if (s.includes(' crashed with ') && s.includes('Thread State')) {
        cur.section = 'registers';
        continue;
      }
      const nm = THREAD_NAME.exec(s);
      if (nm) {
        cur.names.set(String(parseInt(nm[1], 10)), nm[2].trim());
        continue;
      }
      const th = THREAD_HEADER.exec(s);
      if (th) {
        const id = String(parseInt(th[1], 10));
        const name = th[3].trim() || cur.names.get(id) || null;
        const t: Thread = { id, name, lwp: null, crashed: !!th[2], state: null, frames: [] };
        const existing = cur.r.threads.findIndex((x) => x.id === id);
        if (existing >= 0) cur.r.threads.splice(existing, 1);
        cur.r.threads.push(t);
        cur.cur = t;
        cur.section = 'thread';
        if (th[2]) strong = true;
        cur.r.endLine = i;
        continue;
      }
    }
    switch (cur.section) {
      case 'asi':
        cur.facts.asi.push(s);
        cur.r.endLine = i;
        break;
      case 'lastex': {
        if (s.startsWith('(')) {
          readAddressList(s, cur.lastException!);
          break;
        }
        const p = parseAppleFrame(s);
        if (p) {
          cur.lastException!.push(p.frame);
          cur.r.endLine = i;
        }
        break;
      }
      case 'thread': {
        const p = parseAppleFrame(s);
        if (p && cur.cur) {
          cur.cur.frames.push(p.frame);
          cur.r.endLine = i;
        }
        break;
      }
      case 'images': {
        if (!s.startsWith('0x')) break;
        const m = BINARY_IMAGE.exec(s);
        if (m) {
          const path = m[5].trim();
          const base = path.slice(path.lastIndexOf('/') + 1);
          cur.images.set(m[3], path);
          cur.images.set(base, path);
          cur.r.endLine = i;
        }
        break;
      }
      default:
        break;
    }
  }
  close();
}

function readAddressList(text: string, into: Frame[]): void {
  const inner = text.replace(/^\(|\)$/g, '');
  for (const tok of inner.split(/\s+/)) {
    if (/^0x[0-9a-f]{1,16}$/i.test(tok)) {
      const f = newFrame(into.length, null);
      f.address = tok;
      into.push(f);
    }
  }
}

// ---------------------------------------------------------------------------------------
// JSON (.ips) form
// ---------------------------------------------------------------------------------------

/** End line of a JSON object starting at `lines[from]` (brace balance, string-aware), or -1. */
function jsonEnd(lines: string[], from: number): number {
  let depth = 0;
  let inStr = false;
  let esc = false;
  let started = false;
  for (let i = from; i < lines.length; i++) {
    const l = lines[i];
    for (let k = 0; k < l.length; k++) {
      const c = l.charCodeAt(k);
      if (inStr) {
        if (esc) esc = false;
        else if (c === 92) esc = true;
        else if (c === 34) inStr = false;
        continue;
      }
      if (c === 34) inStr = true;
      else if (c === 123 || c === 91) {
        depth++;
        started = true;
      } else if (c === 125 || c === 93) {
        depth--;
        if (started && depth === 0) return i;
      }
    }
    if (inStr) inStr = false; // strings do not span lines in JSON
  }
  return -1;
}

interface IpsFrame {
  imageIndex?: number;
  imageOffset?: number;
  symbol?: string;
  symbolLocation?: number;
  sourceFile?: string;
  sourceLine?: number;
  sourceColumn?: number;
  inline?: boolean;
}

interface IpsImage {
  name?: string;
  path?: string;
  base?: number;
  CFBundleIdentifier?: string;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function ipsFrames(frames: unknown, images: IpsImage[]): Frame[] {
  const out: Frame[] = [];
  if (!Array.isArray(frames)) return out;
  for (const raw of frames as IpsFrame[]) {
    if (!raw || typeof raw !== 'object') continue;
    const f = newFrame(out.length, null);
    const img = typeof raw.imageIndex === 'number' ? images[raw.imageIndex] : undefined;
    if (img) f.module = img.name ?? (img.path ? img.path.slice(img.path.lastIndexOf('/') + 1) : null);
    if (typeof raw.imageOffset === 'number') {
      const base = img && typeof img.base === 'number' ? img.base : 0;
      f.address = '0x' + (base + raw.imageOffset).toString(16);
    }
    if (typeof raw.symbol === 'string' && raw.symbol.length > 0) {
      f.rawFunction = raw.symbol;
      if (raw.symbol.startsWith('-[') || raw.symbol.startsWith('+[')) f.function = raw.symbol;
      else {
        const { name, args } = splitParams(raw.symbol);
        f.function = name;
        if (args) f.args = args;
      }
    }
    if (typeof raw.sourceFile === 'string') f.file = raw.sourceFile;
    if (typeof raw.sourceLine === 'number') f.line = raw.sourceLine;
    if (typeof raw.sourceColumn === 'number') f.column = raw.sourceColumn;
    if (raw.inline === true) f.inlined = true;
    out.push(f);
  }
  return out;
}

function buildIps(header: Record<string, unknown> | null, body: Record<string, unknown>, start: number, end: number): ParsedReport {
  const b: Built = {
    r: emptyReport('apple', start),
    facts: { type: null, signal: null, codes: null, subtype: null, termination: null, asi: [] },
    address: null, crashedId: null, process: null, images: new Map(), lastException: null,
  };
  b.r.endLine = end;
  const ex = (body.exception ?? {}) as Record<string, unknown>;
  b.facts.type = str(ex.type);
  b.facts.signal = str(ex.signal);
  b.facts.codes = str(ex.codes);
  b.facts.subtype = str(ex.subtype);
  if (str(ex.message)) b.facts.asi.push(str(ex.message)!);
  const vm = str(body.vmregioninfo);
  if (vm && /--->\s{1,8}Stack Guard/.test(vm)) b.facts.stackGuard = true;
  const term = (body.termination ?? {}) as Record<string, unknown>;
  const termText = [str(term.namespace), term.code !== undefined ? `Code ${String(term.code)}` : null, str(term.indicator)].filter(Boolean).join(', ');
  if (termText) b.facts.termination = termText;
  const asi = body.asi;
  if (asi && typeof asi === 'object') {
    for (const v of Object.values(asi as Record<string, unknown>)) {
      if (Array.isArray(v)) {
        for (const m of v) if (typeof m === 'string') b.facts.asi.push(m);
      } else if (typeof v === 'string') b.facts.asi.push(v);
    }
  }
  b.process = str(body.procName) ?? (header ? str(header.app_name) ?? str(header.name) : null);
  const images = (Array.isArray(body.usedImages) ? body.usedImages : []) as IpsImage[];
  images.forEach((img) => {
    if (!img || typeof img !== 'object' || !img.path) return;
    const base = img.path.slice(img.path.lastIndexOf('/') + 1);
    if (img.name) b.images.set(img.name, img.path);
    b.images.set(base, img.path);
  });
  const threads = Array.isArray(body.threads) ? body.threads : [];
  threads.forEach((t: unknown, k: number) => {
    if (!t || typeof t !== 'object') return;
    const o = t as Record<string, unknown>;
    const name = str(o.name) ?? (str(o.queue) ? `Dispatch queue: ${str(o.queue)}` : null);
    const th: Thread = { id: String(k), name, lwp: typeof o.id === 'number' ? String(o.id) : null, crashed: o.triggered === true, state: null, frames: ipsFrames(o.frames, images) };
    b.r.threads.push(th);
  });
  if (typeof body.faultingThread === 'number') b.crashedId = String(body.faultingThread);
  if (Array.isArray(body.lastExceptionBacktrace)) b.lastException = ipsFrames(body.lastExceptionBacktrace, images);
  return finishReport(b);
}

function scanIps(lines: string[], out: ParsedReport[]): void {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const k0 = firstNonSpace(line);
    if (line.charCodeAt(k0) !== 123 /* { */ || line.length > 200000) continue;
    const s = line.slice(k0);
    const isHeader = s.includes('"bug_type"');
    const isBody = !isHeader && i + 1 < lines.length && (s.includes('"faultingThread"') || s.includes('"procName"') || (s === '{' && /^\s{0,8}"(uptime|procRole|version|incident|crashReporterKey|procName|modelCode|exception)"/.test(lines[i + 1] ?? '')));
    if (!isHeader && !isBody) continue;
    let header: Record<string, unknown> | null = null;
    let bodyStart = i;
    if (isHeader) {
      try {
        header = JSON.parse(s) as Record<string, unknown>;
      } catch {
        continue;
      }
      const bt = String(header.bug_type ?? '');
      if (bt !== '309' && bt !== '109' && bt !== '385') continue;
      bodyStart = i + 1;
      while (bodyStart < lines.length && lines[bodyStart].trim() === '') bodyStart++;
      if (bodyStart >= lines.length || !lines[bodyStart].trimStart().startsWith('{')) {
        const r = emptyReport('apple', i);
        r.complete = false;
        r.facts.push({ code: 'truncated', text: 'an .ips header without its crash report body' });
        continue;
      }
    }
    const end = jsonEnd(lines, bodyStart);
    if (end < 0) {
      const r = emptyReport('apple', i);
      r.endLine = lines.length - 1;
      r.complete = false;
      r.facts.push({ code: 'truncated', text: 'the .ips JSON body is cut off' });
      r.message = header ? `crash report of ${String(header.app_name ?? header.name ?? 'unknown')} (body cut off)` : null;
      out.push(r);
      return;
    }
    let body: Record<string, unknown> | null = null;
    try {
      body = JSON.parse(lines.slice(bodyStart, end + 1).join('\n')) as Record<string, unknown>;
    } catch {
      body = null;
    }
    if (body && typeof body === 'object' && Array.isArray(body.threads)) {
      out.push(buildIps(header, body, i, end));
    }
    i = end;
  }
}

/**
 * What every report findApple returns contains: a text report is kept only once it is
 * `strong` (`Exception Type:`, `Binary Images:` or a `Thread N Crashed:` header); an .ips
 * report needs a line `{…"bug_type"…}`, `{…"faultingThread"…}` or `{…"procName"…}`, or a
 * bare `{` followed by one of IPS_BODY_KEYS.
 */
const IPS_BODY_KEYS = ['uptime', 'procRole', 'version', 'incident', 'crashReporterKey', 'procName', 'modelCode', 'exception'];
const APPLE_TRIGGERS = ['Exception Type:', 'Binary Images:', ' Crashed:', '"bug_type"', '"faultingThread"', ...IPS_BODY_KEYS.map((k) => `"${k}"`)];

export function findApple(doc: Doc): ParsedReport[] {
  const out: ParsedReport[] = [];
  scanIps(doc.lines, out);
  const ips = out.length;
  scanText(doc.lines, out);
  // A text report inside an .ips body cannot happen (JSON lines never match the headers),
  // but keep the order of the text deterministic: by start line.
  if (ips > 0 && out.length > ips) out.sort((a, b) => a.startLine - b.startLine);
  return out;
}

export const apple: FormatModule = {
  id: 'apple',
  triggers: APPLE_TRIGGERS,
  find: findApple,
};

export default apple;
