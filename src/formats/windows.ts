/**
 * Windows crash text: WinDbg stacks (`k`, `kn`, `kb`, `kp`, `kc`, `~*k`), `!analyze -v`,
 * WinDbg's exception event line, and Visual Studio's copied Call Stack window.
 * Takes: the cleaned document. Gives: one ParsedReport per WinDbg/Visual Studio session
 * found, frames innermost first (both tools print the innermost first), the exception code
 * as `signal` (name, code, fault address), the access, and a kind from the exception-code
 * table below (a table, not an if-chain; breakpad.ts reads it too).
 *
 * Shapes read (all invented examples):
 *   `00 0000001d`9fcff5a8 00007ffa`1c2b3d4e ntdll!NtWaitForSingleObject+0x14`
 *   `0019ff70 77a1fa29 app!main+0x2f [c:\src\app\main.cpp @ 42]`            (x86, no number)
 *   `01 (Inline Function) --------`-------- app!Widget::size+0x3 [c:\src\w.h @ 9]`
 *   `#  2  Id: 1a2c.1a30 Suspend: 1 Teb: 0000001d`9fe4d000 Unfrozen "Worker"`  (`~*k`)
 *   `ExceptionCode: c0000005 (Access violation)`, `READ_ADDRESS:  0000000000000000`,
 *   `STACK_TEXT:` + `Child-SP RetAddr : Args to Child : Call Site` lines
 *   `>	app.exe!Widget::Draw(int x) Line 12	C++` and `[External Code]`
 *   `Exception thrown at 0x00007FF6… in app.exe: 0xC0000005: Access violation reading location 0x0…`
 */
import type { Confidence, CrashKind, Frame, ParsedReport, Thread } from '../model.js';
import { emptyReport, newFrame } from '../model.js';
import type { Doc } from '../ingest/doc.js';
import type { FormatModule } from './format.js';
import { candidateLines, linesAreSubstrings, rawIncludes } from '../ingest/clean.js';
import { isNullPageAddress, kindForClass } from '../diagnose/kind-table.js';

// ---------------------------------------------------------------------------------------
// Exception codes (NTSTATUS / SEH), shared with breakpad.ts
// ---------------------------------------------------------------------------------------

export interface ExceptionRow {
  /** 8 lower-case hex digits, no 0x. */
  code: string;
  /** Names tools print for it (WinDbg/Breakpad/rust-minidump), upper case. */
  names: string[];
  /** WinDbg's short description. */
  text: string;
  kind: CrashKind;
  confidence: Confidence;
}

export const WINDOWS_EXCEPTIONS: ExceptionRow[] = [
  { code: 'c0000005', names: ['EXCEPTION_ACCESS_VIOLATION', 'STATUS_ACCESS_VIOLATION'], text: 'Access violation', kind: 'segv', confidence: 'high' },
  { code: 'c0000006', names: ['EXCEPTION_IN_PAGE_ERROR', 'STATUS_IN_PAGE_ERROR'], text: 'In-page I/O error', kind: 'bus-error', confidence: 'medium' },
  { code: 'c00000fd', names: ['EXCEPTION_STACK_OVERFLOW', 'STATUS_STACK_OVERFLOW'], text: 'Stack overflow', kind: 'stack-overflow', confidence: 'high' },
  { code: 'c0000409', names: ['EXCEPTION_STACK_BUFFER_OVERRUN', 'STATUS_STACK_BUFFER_OVERRUN'], text: 'Security check failure or stack buffer overrun', kind: 'stack-smashing', confidence: 'high' },
  { code: 'c0000374', names: ['STATUS_HEAP_CORRUPTION', 'EXCEPTION_HEAP_CORRUPTION'], text: 'Heap corruption', kind: 'heap-corruption', confidence: 'high' },
  { code: '80000003', names: ['EXCEPTION_BREAKPOINT', 'STATUS_BREAKPOINT'], text: 'Break instruction exception', kind: 'abort', confidence: 'medium' },
  { code: '80000004', names: ['EXCEPTION_SINGLE_STEP', 'STATUS_SINGLE_STEP'], text: 'Single step exception', kind: 'snapshot', confidence: 'medium' },
  { code: '80000002', names: ['EXCEPTION_DATATYPE_MISALIGNMENT', 'STATUS_DATATYPE_MISALIGNMENT'], text: 'Data misaligned', kind: 'bus-error', confidence: 'high' },
  { code: 'c0000094', names: ['EXCEPTION_INT_DIVIDE_BY_ZERO', 'STATUS_INTEGER_DIVIDE_BY_ZERO'], text: 'Integer divide-by-zero', kind: 'fpe', confidence: 'high' },
  { code: 'c0000095', names: ['EXCEPTION_INT_OVERFLOW', 'STATUS_INTEGER_OVERFLOW'], text: 'Integer overflow', kind: 'fpe', confidence: 'high' },
  { code: 'c000008e', names: ['EXCEPTION_FLT_DIVIDE_BY_ZERO', 'STATUS_FLOAT_DIVIDE_BY_ZERO'], text: 'Floating-point division by zero', kind: 'fpe', confidence: 'high' },
  { code: 'c0000090', names: ['EXCEPTION_FLT_INVALID_OPERATION', 'STATUS_FLOAT_INVALID_OPERATION'], text: 'Floating-point invalid operation', kind: 'fpe', confidence: 'high' },
  { code: 'c0000091', names: ['EXCEPTION_FLT_OVERFLOW', 'STATUS_FLOAT_OVERFLOW'], text: 'Floating-point overflow', kind: 'fpe', confidence: 'high' },
  { code: 'c000001d', names: ['EXCEPTION_ILLEGAL_INSTRUCTION', 'STATUS_ILLEGAL_INSTRUCTION'], text: 'Illegal instruction', kind: 'illegal-instruction', confidence: 'high' },
  { code: 'c0000096', names: ['EXCEPTION_PRIV_INSTRUCTION', 'STATUS_PRIVILEGED_INSTRUCTION'], text: 'Privileged instruction', kind: 'illegal-instruction', confidence: 'high' },
  { code: 'c0000017', names: ['STATUS_NO_MEMORY', 'EXCEPTION_NO_MEMORY'], text: 'Out of memory', kind: 'oom', confidence: 'high' },
  { code: 'c00001ad', names: ['STATUS_FATAL_MEMORY_EXHAUSTION'], text: 'Fatal memory exhaustion', kind: 'oom', confidence: 'high' },
  { code: 'c0000420', names: ['STATUS_ASSERTION_FAILURE'], text: 'Assertion failure', kind: 'assertion', confidence: 'high' },
  { code: 'c0000602', names: ['STATUS_FAIL_FAST_EXCEPTION'], text: 'Fail fast exception', kind: 'abort', confidence: 'medium' },
  { code: '40000015', names: ['STATUS_FATAL_APP_EXIT'], text: 'Fatal application exit', kind: 'abort', confidence: 'high' },
  { code: 'c0000025', names: ['EXCEPTION_NONCONTINUABLE_EXCEPTION', 'STATUS_NONCONTINUABLE_EXCEPTION'], text: 'Non-continuable exception', kind: 'abort', confidence: 'low' },
  { code: 'c0000008', names: ['EXCEPTION_INVALID_HANDLE', 'STATUS_INVALID_HANDLE'], text: 'Invalid handle', kind: 'undefined-behavior', confidence: 'low' },
  { code: 'e06d7363', names: ['EXCEPTION_CPP', 'CPP_EH_EXCEPTION', 'MSVC_CPP_EXCEPTION'], text: 'C++ EH exception', kind: 'uncaught-exception', confidence: 'high' },
  { code: 'e0434352', names: ['CLR_EXCEPTION'], text: 'CLR exception', kind: 'uncaught-exception', confidence: 'high' },
  { code: 'c000027b', names: ['STATUS_STOWED_EXCEPTION'], text: 'Stowed exception', kind: 'uncaught-exception', confidence: 'medium' },
];

/** __fastfail codes carried in Parameter[0] of c0000409 (winnt.h FAST_FAIL_*). */
export const FAST_FAIL_CODES: Array<{ code: number; name: string; kind: CrashKind }> = [
  { code: 0, name: 'FAST_FAIL_LEGACY_GS_VIOLATION', kind: 'stack-smashing' },
  { code: 1, name: 'FAST_FAIL_VTGUARD_CHECK_FAILURE', kind: 'heap-corruption' },
  { code: 2, name: 'FAST_FAIL_STACK_COOKIE_CHECK_FAILURE', kind: 'stack-smashing' },
  { code: 3, name: 'FAST_FAIL_CORRUPT_LIST_ENTRY', kind: 'heap-corruption' },
  { code: 4, name: 'FAST_FAIL_INCORRECT_STACK', kind: 'stack-smashing' },
  { code: 5, name: 'FAST_FAIL_INVALID_ARG', kind: 'abort' },
  { code: 6, name: 'FAST_FAIL_GS_COOKIE_INIT', kind: 'stack-smashing' },
  { code: 7, name: 'FAST_FAIL_FATAL_APP_EXIT', kind: 'abort' },
  { code: 8, name: 'FAST_FAIL_RANGE_CHECK_FAILURE', kind: 'stack-buffer-overflow' },
  { code: 10, name: 'FAST_FAIL_GUARD_ICALL_CHECK_FAILURE', kind: 'segv' },
  { code: 11, name: 'FAST_FAIL_GUARD_WRITE_CHECK_FAILURE', kind: 'segv' },
  { code: 14, name: 'FAST_FAIL_INVALID_REFERENCE_COUNT', kind: 'use-after-free' },
  { code: 18, name: 'FAST_FAIL_INVALID_JUMP_BUFFER', kind: 'stack-smashing' },
  { code: 50, name: 'FAST_FAIL_HEAP_METADATA_CORRUPTION', kind: 'heap-corruption' },
];

export function exceptionByCode(code: string): ExceptionRow | null {
  let c = code.trim().toLowerCase();
  if (c.startsWith('0x')) c = c.slice(2);
  c = c.padStart(8, '0');
  for (const row of WINDOWS_EXCEPTIONS) if (row.code === c) return row;
  return null;
}

/** By a printed name: `EXCEPTION_ACCESS_VIOLATION_READ`, `STATUS_HEAP_CORRUPTION`, `0xc0000409`. */
export function exceptionByName(name: string): ExceptionRow | null {
  const n = name.trim().toUpperCase();
  if (/^(0X)?[0-9A-F]{8}$/.test(n)) return exceptionByCode(n);
  let best: ExceptionRow | null = null;
  let bestLen = 0;
  for (const row of WINDOWS_EXCEPTIONS) {
    for (const nm of row.names) {
      if (n.startsWith(nm) && nm.length > bestLen) {
        best = row;
        bestLen = nm.length;
      }
    }
  }
  return best;
}

export function fastFailByCode(code: number): { code: number; name: string; kind: CrashKind } | null {
  return FAST_FAIL_CODES.find((f) => f.code === code) ?? null;
}

export function fastFailByName(name: string): { code: number; name: string; kind: CrashKind } | null {
  const n = name.toUpperCase();
  return FAST_FAIL_CODES.find((f) => n.includes(f.name)) ?? null;
}

/** Kind for an exception row, refined by the fault address and the fail-fast code. */
export function exceptionKind(
  row: ExceptionRow,
  faultAddress: string | null,
  fastFail: { name: string; kind: CrashKind } | null,
): { kind: CrashKind; confidence: Confidence; reason: string } {
  if (row.code === 'c0000005') {
    if (faultAddress && isNullPageAddress(faultAddress)) {
      return { kind: 'null-deref', confidence: 'high', reason: `access violation at ${faultAddress}, inside the NULL page` };
    }
    return { kind: 'segv', confidence: faultAddress ? 'high' : 'medium', reason: `access violation${faultAddress ? ' at ' + faultAddress : ''}` };
  }
  if (row.code === 'c0000409' && fastFail) {
    return { kind: fastFail.kind, confidence: 'high', reason: `fail fast ${fastFail.name} (c0000409)` };
  }
  return { kind: row.kind, confidence: row.confidence, reason: `exception ${row.code} (${row.text})` };
}

// ---------------------------------------------------------------------------------------
// Frame text
// ---------------------------------------------------------------------------------------

/** Splits a trailing parameter list off a symbol: `Foo::Bar(int x)` → name, args. */
export function splitParams(sym: string): { name: string; args: string | null } {
  let s = sym.trim();
  // A trailing cv/ref qualifier belongs to the member function, not to its name.
  for (const q of [' const', ' volatile', ' &&', ' &']) {
    if (s.endsWith(')' + q)) {
      s = s.slice(0, -q.length);
      break;
    }
  }
  if (!s.endsWith(')')) return { name: sym.trim(), args: null };
  let depth = 0;
  let open = -1;
  for (let i = s.length - 1; i >= 0; i--) {
    const c = s.charCodeAt(i);
    if (c === 41 /* ) */) depth++;
    else if (c === 40 /* ( */) {
      depth--;
      if (depth === 0) {
        open = i;
        break;
      }
    }
  }
  if (open <= 0) return { name: sym.trim(), args: null };
  const before = s.slice(0, open);
  // `Foo::operator()` with no parameter list shown.
  if (/operator\s{0,2}$/.test(before) && open + 2 === s.length) return { name: sym.trim(), args: null };
  return { name: before.trimEnd(), args: s.slice(open + 1, -1) };
}

function isHexWord(t: string): boolean {
  if (t.length === 0 || t.length > 24) return false;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    const hex = (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) || c === 96; /* ` */
    if (!hex) return false;
  }
  return true;
}

/** A WinDbg address column: `0019ff70`, `0000001d`9fcff5a8`, `--------`--------`. */
function isAddressColumn(t: string): boolean {
  if (t.startsWith('--------')) return /^-{8}(`-{8})?$/.test(t);
  return (t.length === 8 || t.length === 17) && isHexWord(t);
}

function cleanAddress(a: string): string {
  return '0x' + a.replace(/`/g, '').replace(/^0x/i, '');
}

/**
 * A WinDbg call site: `ntdll!NtWaitForSingleObject+0x14`, `app!f(int x = 0n1)+0x1e
 * [c:\src\f.cpp @ 12]`, `app+0x1234`, `0x00007ff6`12340000`.
 */
export function parseCallSite(text: string, index: number): Frame | null {
  let s = text.trim();
  if (s.length === 0 || s.length > 4000) return null;
  // kv decorations
  for (const tag of [' (FPO:', ' (CONV:', ' (TrapFrame @', ' (Inline)']) {
    const k = s.indexOf(tag);
    if (k > 0) s = s.slice(0, k).trimEnd();
  }
  let file: string | null = null;
  let line: number | null = null;
  if (s.endsWith(']') && s.includes(' @ ')) {
    const open = s.lastIndexOf(' [');
    if (open > 0) {
      const inner = s.slice(open + 2, -1);
      const at = inner.lastIndexOf(' @ ');
      if (at > 0) {
        file = inner.slice(0, at).trim();
        const n = parseInt(inner.slice(at + 3), 10);
        line = Number.isFinite(n) ? n : null;
        s = s.slice(0, open).trimEnd();
      }
    }
  }
  const frame = newFrame(index, null);
  if (/^0x[0-9a-f`]{1,20}$/i.test(s) || (isHexWord(s) && s.length >= 8)) {
    frame.address = cleanAddress(s);
    frame.file = file;
    frame.line = line;
    return frame;
  }
  const bang = s.indexOf('!');
  let offset: string | null = null;
  if (bang < 0) {
    // module+0xoffset (no symbols)
    const plus = s.indexOf('+0x');
    const mod = plus > 0 ? s.slice(0, plus) : s;
    if (!/^[\w.\-<>]{1,200}$/.test(mod)) return null;
    if (plus < 0 && !s.includes('.')) return null;
    frame.module = mod.startsWith('<Unloaded_') ? mod.slice(10).replace(/>$/, '') : mod;
    frame.address = plus > 0 ? s.slice(plus + 1) : null;
    frame.file = file;
    frame.line = line;
    return frame;
  }
  const mod = s.slice(0, bang);
  if (mod.length === 0 || mod.length > 200 || mod.includes(' ')) return null;
  let sym = s.slice(bang + 1);
  const plus = sym.lastIndexOf('+');
  if (plus > 0 && /^\+(0x)?[0-9a-f`]{1,20}$/i.test(sym.slice(plus))) {
    offset = sym.slice(plus + 1);
    sym = sym.slice(0, plus);
  }
  const { name, args } = splitParams(sym);
  frame.module = mod;
  frame.function = name.length > 0 ? name : null;
  frame.rawFunction = sym.length > 0 ? sym : null;
  if (args !== null) frame.args = args;
  if (offset) frame.address = null;
  frame.file = file;
  frame.line = line;
  return frame;
}

interface KLine {
  number: number | null;
  inlined: boolean;
  callSite: string;
}

/** Reads a `k`-family line; `minColumns` address columns are required before the call site. */
function parseKLine(line: string, minColumns: number, numbered: boolean): KLine | null {
  const s = line.trim();
  if (s.length < 4) return null;
  let pos = 0;
  let number: number | null = null;
  let columns = 0;
  let inlined = false;
  let tokens = 0;
  const next = (): string => {
    while (pos < s.length && (s[pos] === ' ' || s[pos] === '\t')) pos++;
    const start = pos;
    while (pos < s.length && s[pos] !== ' ' && s[pos] !== '\t') pos++;
    return s.slice(start, pos);
  };
  let save = pos;
  let tok = next();
  if (numbered || (tok.length <= 4 && isHexWord(tok))) {
    if (tok.length <= 4 && isHexWord(tok) && !tok.includes('`')) {
      number = parseInt(tok, 16);
      save = pos;
      tok = next();
    } else if (numbered) {
      return null;
    }
  }
  while (tokens < 24) {
    tokens++;
    if (isAddressColumn(tok)) {
      columns++;
    } else if (tok === ':') {
      // STACK_TEXT separators
    } else if (tok === '(Inline') {
      const t2 = next();
      if (t2 !== 'Function)') return null;
      inlined = true;
      columns++;
    } else {
      break;
    }
    save = pos;
    tok = next();
  }
  if (columns < minColumns) return null;
  const callSite = s.slice(save).trim();
  if (callSite.length === 0) return null;
  if (!callSite.includes('!') && !callSite.includes('+0x') && !/^0x[0-9a-f`]{4,20}$/i.test(callSite)) return null;
  return { number, inlined, callSite };
}

// ---------------------------------------------------------------------------------------
// Visual Studio call stack
// ---------------------------------------------------------------------------------------

const VS_MODULE = /^[^\s!\\/]{1,200}\.(?:exe|dll|sys|ocx|drv|so|dylib|pyd)!/i;
const VS_LANGS = new Set(['c++', 'c', 'c#', 'unknown', 'native', 'managed', 'f#', 'visual basic', 'rust', 'javascript']);

interface VsLine {
  frame: Frame | null;
  current: boolean;
  marker: 'external' | 'frames-below' | null;
}

function parseVsLine(raw: string, index: number): VsLine | null {
  let s = raw.trimStart();
  let current = false;
  if (s.startsWith('>')) {
    current = true;
    s = s.slice(1).trimStart();
  }
  if (s.startsWith('[External Code]')) return { frame: null, current, marker: 'external' };
  if (s.startsWith('[Frames below may be incorrect')) return { frame: null, current, marker: 'frames-below' };
  let inlined = false;
  if (s.startsWith('[Inline Frame] ')) {
    inlined = true;
    s = s.slice(15);
  }
  if (!VS_MODULE.test(s)) return null;
  // Fields are tab-separated (Name, Language); a paste may have turned tabs into spaces.
  let name = s;
  const tab = s.indexOf('\t');
  if (tab > 0) name = s.slice(0, tab);
  else {
    // The language column after a run of spaces: `… Line 12    C++`.
    const body = s.trimEnd();
    const gap = body.lastIndexOf('  ');
    if (gap > 0 && VS_LANGS.has(body.slice(gap).trim().toLowerCase())) name = body.slice(0, gap);
  }
  name = name.trim();
  let line: number | null = null;
  const li = name.lastIndexOf(' Line ');
  if (li > 0) {
    const m = /^ Line (\d{1,9})/.exec(name.slice(li));
    if (m) {
      line = parseInt(m[1], 10);
      name = name.slice(0, li).trimEnd();
    }
  }
  const bang = name.indexOf('!');
  const mod = name.slice(0, bang);
  const sym = name.slice(bang + 1);
  const frame = newFrame(index, null);
  frame.module = mod;
  frame.inlined = inlined;
  const { name: fn, args } = splitParams(sym);
  if (/^(0x)?[0-9a-f]{6,16}$/i.test(fn)) {
    frame.address = cleanAddress(fn);
  } else {
    frame.function = fn;
    frame.rawFunction = sym;
    if (args !== null) frame.args = args;
  }
  frame.line = line;
  return { frame, current, marker: null };
}

// ---------------------------------------------------------------------------------------
// The session scanner
// ---------------------------------------------------------------------------------------

const PROMPT = /^(\d{1,3}):(\d{1,5})(?::[\w]{1,12})?> ?(.{0,400})$/;
const THREAD_HEADER = /^([.#]?)\s{0,4}(\d{1,5})\s{1,4}Id: ([0-9a-f]{1,8})\.([0-9a-f]{1,8}) Suspend: [-\d]{1,6}(?: Teb: [0-9a-f`]{1,20})?(?: (?:Unfrozen|Frozen))?(?: "([^"]{0,200})")?/i;
const EVENT_LINE = /^\(([0-9a-f]{1,8})\.([0-9a-f]{1,8})\): (.{1,120}) - code ([0-9a-f]{8}) \((first chance|!!! second chance !!!)\)/i;
const VS_EXCEPTION = /(?:Exception thrown|Unhandled exception|First-chance exception) at (0x[0-9a-f]{1,16})(?: \(([^)]{1,200})\))? in ([^:]{1,200}): (.{0,2000})$/i;
const ANALYZE_KEY = /^([A-Z][A-Za-z0-9_[\]]{2,40}):[ \t]{0,40}(\S.{0,2000})?$/;
const ANALYZE_BANNER = /^\*\s{1,40}(Exception|Bugcheck) Analysis\s{1,40}\*/;

interface Session {
  start: number;
  end: number;
  threads: Thread[];
  /** Current thread being filled by k-lines. */
  cur: Thread | null;
  kMin: number;
  kNumbered: boolean;
  inStackText: boolean;
  stackText: Frame[] | null;
  stackTextDone: boolean;
  vs: Thread | null;
  vsCurrent: number | null;
  code: string | null;
  codeText: string | null;
  access: 'read' | 'write' | 'call' | null;
  address: string | null;
  param0: string | null;
  param1: string | null;
  fastFail: { code: number; name: string; kind: CrashKind } | null;
  faultingTid: string | null;
  firstChance: boolean;
  eventTid: string | null;
  analyze: boolean;
  bugcheck: string | null;
  processName: string | null;
  bucket: string | null;
  symbolName: string | null;
  cppType: string | null;
  /** The CRT's Debug Assertion Failed! dialog. */
  crtAssert: ParsedReport['assertion'];
  /** Windows Error Reporting's Application Error event: faulting module and offset. */
  wer: { module: string | null; offset: string | null; path: string | null } | null;
  message: string | null;
  promptThread: string | null;
  facts: ParsedReport['facts'];
  warnedNoSymbols: boolean;
  dsAddress: string | null;
  /** !analyze says its STACK_TEXT is a pseudo context (zeroed stack). */
  pseudoStack: boolean;
}

function newSession(start: number): Session {
  return {
    start, end: start, threads: [], cur: null, kMin: 2, kNumbered: false, inStackText: false,
    stackText: null, stackTextDone: false, vs: null, vsCurrent: null, code: null, codeText: null,
    access: null, address: null, param0: null, param1: null, fastFail: null, faultingTid: null,
    firstChance: false, eventTid: null, analyze: false, bugcheck: null, processName: null,
    bucket: null, symbolName: null, cppType: null, crtAssert: null, wer: null, message: null, promptThread: null, facts: [],
    warnedNoSymbols: false, dsAddress: null, pseudoStack: false,
  };
}

function hasContent(s: Session): boolean {
  return s.crtAssert !== null || s.threads.some((t) => t.frames.length > 0) || (s.stackText?.length ?? 0) > 0 ||
    (s.vs?.frames.length ?? 0) > 0 || s.code !== null || s.bugcheck !== null;
}

function firstHex(text: string): string | null {
  const m = /(?:0x)?([0-9a-f]{1,8}`[0-9a-f]{8}|[0-9a-f]{4,16})\b/i.exec(text);
  return m ? '0x' + m[1].replace(/`/g, '') : null;
}

function exceptionCodeIn(text: string): string | null {
  const m = /(?:^|[\s(:])(?:0x)?([0-9a-f]{8})\b/i.exec(text);
  return m ? m[1].toLowerCase() : null;
}

function startThread(s: Session, id: string, lwp: string | null, name: string | null, crashed: boolean): Thread {
  // A later `k` of the same thread (after `.ecxr`) replaces the earlier one.
  let t = s.threads.find((x) => x.id === id) ?? null;
  if (t) {
    t.frames = [];
    if (crashed) t.crashed = true;
    if (lwp) t.lwp = lwp;
    if (name) t.name = name;
  } else {
    t = { id, name, lwp, crashed, state: null, frames: [] };
    s.threads.push(t);
  }
  s.cur = t;
  return t;
}

/**
 * The id of a stack printed without a thread header: the debugger's thread number from the
 * prompt (`0:003>` → "3"); after an exception event without a new prompt, the OS thread id
 * the event or `FAULTING_THREAD` names; else "0".
 */
function defaultThreadId(s: Session): string {
  return s.promptThread ?? s.faultingTid ?? s.eventTid ?? '0';
}

function addKFrame(s: Session, kl: KLine, lineNo: number): boolean {
  if (!s.cur) startThread(s, defaultThreadId(s), null, null, false);
  const t = s.cur!;
  const f = parseCallSite(kl.callSite, t.frames.length);
  if (!f) return false;
  f.inlined = kl.inlined;
  t.frames.push(f);
  s.end = lineNo;
  return true;
}

function handleAnalyzeKey(s: Session, key: string, value: string): void {
  switch (key) {
    case 'ExceptionCode':
    case 'EXCEPTION_CODE':
    case 'EXCEPTION_CODE_STR':
    case 'ERROR_CODE': {
      const code = exceptionCodeIn(value);
      if (code && (s.code === null || key !== 'ERROR_CODE')) {
        s.code = code;
        const d = /\(([^)]{2,80})\)\s{0,4}$/.exec(value);
        if (d && !d[1].startsWith('NTSTATUS')) s.codeText = d[1];
      }
      break;
    }
    case 'Parameter[0]':
    case 'EXCEPTION_PARAMETER1':
      s.param0 = firstHex(value);
      break;
    case 'Parameter[1]':
    case 'EXCEPTION_PARAMETER2':
      s.param1 = firstHex(value);
      break;
    case 'READ_ADDRESS':
    case 'WRITE_ADDRESS': {
      const a = firstHex(value);
      if (a) {
        s.address = a;
        s.access = key === 'READ_ADDRESS' ? 'read' : 'write';
      }
      break;
    }
    case 'FAULTING_THREAD': {
      const a = firstHex(value);
      if (a) s.faultingTid = a.slice(2).replace(/^0+(?=.)/, '');
      break;
    }
    case 'PROCESS_NAME':
    case 'IMAGE_NAME':
      if (key === 'PROCESS_NAME' || !s.processName) s.processName = value.trim() || s.processName;
      break;
    case 'FAILURE_BUCKET_ID':
      s.bucket = value.trim();
      s.facts.push({ code: 'other', text: `WinDbg failure bucket: ${value.trim()}`, value: value.trim() });
      break;
    case 'SYMBOL_NAME':
      s.symbolName = value.trim();
      break;
    case 'BUGCHECK_CODE':
      s.bugcheck = value.trim();
      break;
    case 'STACK_COMMAND':
    case 'BUGCHECK_STR':
    case 'BUCKET_ID':
    case 'DEFAULT_BUCKET_ID':
      if (value.includes('Pseudo Context') || value.includes('ZEROED_STACK')) s.pseudoStack = true;
      if (key === 'BUGCHECK_STR' && !value.startsWith('APPLICATION_FAULT')) s.bugcheck = value.trim();
      break;
    case 'STACK_TEXT':
      if (!s.stackTextDone) {
        s.inStackText = true;
        s.stackText = [];
      }
      break;
    case 'EXCEPTION_RECORD':
    case 'FAULTING_IP':
      break;
    default:
      break;
  }
}

function finishSession(s: Session, lines: string[]): ParsedReport {
  const r = emptyReport('windows', s.start);
  r.endLine = Math.max(s.end, s.start);
  r.facts = s.facts;
  // Threads: `~*k` / `k` blocks, the `!analyze` stack, the Visual Studio call stack.
  const threads = s.threads.filter((t) => t.frames.length > 0);
  if (threads.length === 0 && s.wer?.module && !(s.vs && s.vs.frames.length > 0)) {
    // WER names only the faulting module and offset: one frame, no symbol.
    const f = newFrame(0, null);
    f.module = s.wer.module;
    f.address = s.wer.offset;
    if (s.wer.path && /^[a-z]:\\windows\\/i.test(s.wer.path)) f.roleHint = 'library';
    threads.push({ id: 'wer', name: null, lwp: null, crashed: true, state: null, frames: [f] });
    r.facts.push({ code: 'no-symbols', text: `Windows Error Reporting names only the faulting module (${s.wer.module}) and offset; open the dump in WinDbg for a stack` });
  }
  let crashed: Thread | null = threads.find((t) => t.crashed) ?? null;
  const realStack = threads.some((t) => t.frames.length > 1);
  if (s.stackText && s.stackText.length > 0 && !(s.pseudoStack && realStack)) {
    let t = (s.faultingTid ? threads.find((x) => x.lwp && x.lwp.replace(/^0+(?=.)/, '') === s.faultingTid) : undefined) ?? crashed;
    if (!t) {
      t = { id: defaultThreadId(s), name: null, lwp: s.faultingTid ?? s.eventTid, crashed: true, state: null, frames: [] };
      const same = threads.findIndex((x) => x.id === t!.id);
      if (same >= 0) threads.splice(same, 1);
      threads.unshift(t);
    }
    t.frames = s.stackText;
    t.crashed = true;
    crashed = t;
  }
  if (s.vs && s.vs.frames.length > 0) {
    threads.push(s.vs);
    if (!crashed && (s.code || s.crtAssert)) {
      s.vs.crashed = true;
      crashed = s.vs;
    }
  }
  if (!crashed && s.eventTid) {
    const t = threads.find((x) => x.lwp && x.lwp.replace(/^0+(?=.)/, '') === s.eventTid);
    if (t) {
      t.crashed = true;
      crashed = t;
    }
  }
  if (!crashed && threads.length === 1 && (s.code || s.bugcheck || s.crtAssert)) {
    threads[0].crashed = true;
    crashed = threads[0];
  }
  for (const t of threads) t.frames.forEach((f, k) => (f.index = k));
  r.threads = threads;
  r.crashingThreadId = crashed ? crashed.id : null;

  // Frames of the program's own executable are app code.
  const exe = s.processName ? s.processName.toLowerCase().replace(/\.exe$/, '') : null;
  for (const t of threads) {
    for (const f of t.frames) {
      const m = (f.module ?? '').toLowerCase();
      // Standard-library templates are instantiated into the program's own image.
      const stdlib = f.function !== null && /^(?:std|stdext|Concurrency)::/.test(f.function);
      if (exe && (m === exe || m === exe + '.exe')) f.roleHint = stdlib ? 'library' : 'app';
      else if (!exe && m.endsWith('.exe')) f.roleHint = stdlib ? 'library' : 'app';
    }
  }

  // Exception → signal, access, kind, message.
  const row = s.code ? exceptionByCode(s.code) : null;
  if (s.code) {
    let address = s.address;
    let access = s.access;
    if (s.code === 'c0000005') {
      if (!address && s.param1) address = s.param1;
      if (!access && s.param0) access = s.param0 === '0x0' || /^0x0+$/.test(s.param0) ? 'read' : /^0x0*1$/.test(s.param0) ? 'write' : /^0x0*8$/.test(s.param0) ? 'call' : null;
      if (!address && s.dsAddress) address = s.dsAddress;
      if (address || access) r.access = { type: access ?? 'unknown', ...(address ? { address } : {}) };
    }
    let fastFail = s.fastFail;
    if (!fastFail && s.code === 'c0000409' && s.param0) {
      const n = parseInt(s.param0.slice(2), 16);
      fastFail = Number.isFinite(n) ? fastFailByCode(n) : null;
    }
    if (!fastFail && s.code === 'c0000409' && s.bucket) {
      // `FAIL_FAST_FATAL_APP_EXIT_c0000409_app.exe!abort`: the bucket names the sub-code.
      const bucket = s.bucket.toUpperCase();
      fastFail = FAST_FAIL_CODES.find((f) => bucket.includes(f.name.slice(10))) ?? null;
    }
    const name = row ? row.names[0] : `0x${s.code}`;
    r.signal = { name, code: s.code, ...(address ? { faultAddress: address } : {}) };
    if (row) {
      r.kind = exceptionKind(row, address, fastFail);
      if (s.code === '80000003' && s.firstChance && !s.analyze) {
        r.kind = { kind: 'snapshot', confidence: 'medium', reason: 'the debugger broke in (first-chance breakpoint)' };
        r.facts.push({ code: 'breakpoint', text: 'WinDbg stopped at a first-chance break instruction' });
      }
    } else {
      r.kind = { kind: 'unknown', confidence: 'low', reason: `exception code ${s.code}` };
    }
    if (s.message) r.message = s.message;
    else if (row && s.code === 'c0000005') {
      const verb = access === 'write' ? 'writing' : access === 'call' ? 'executing' : 'reading';
      r.message = `Access violation ${verb} location ${address ?? 'unknown'}`;
    } else if (row) {
      r.message = fastFail ? `${row.text} (${fastFail.name})` : row.text;
    } else {
      r.message = `Exception 0x${s.code}${s.codeText ? ' (' + s.codeText + ')' : ''}`;
    }
    if (s.wer?.module) {
      const base = row && s.code === 'c0000005' && !address ? row.text : r.message;
      r.message = `${base} in ${s.wer.module}${s.wer.offset ? ' at offset ' + s.wer.offset : ''}`;
    }
    if (s.cppType && s.code === 'e06d7363') r.exception = { type: s.cppType, message: null, causes: [] };
    if (s.message && row && row.code !== 'c0000005') {
      const k = kindForClass(s.message);
      if (k && (k.kind === 'assertion' || k.kind === 'oom')) r.kind = { ...k, reason: s.message };
    }
  } else if (s.crtAssert) {
    r.assertion = s.crtAssert;
    r.message = s.crtAssert.expression ? `Debug Assertion Failed: ${s.crtAssert.expression}` : 'Debug Assertion Failed';
    r.kind = { kind: 'assertion', confidence: 'high', reason: 'the CRT reported a failed debug assertion' };
  } else if (s.bugcheck) {
    const addr = s.address;
    r.kind = addr && isNullPageAddress(addr)
      ? { kind: 'null-deref', confidence: 'high', reason: `bugcheck ${s.bugcheck} at ${addr}` }
      : { kind: 'kernel-bug', confidence: 'medium', reason: `bugcheck ${s.bugcheck}` };
    r.message = s.bucket ?? `Bugcheck ${s.bugcheck}`;
    if (addr) r.access = { type: s.access ?? 'unknown', address: addr };
  } else if (s.message) {
    r.message = s.message;
    const k = kindForClass(s.message);
    if (k) r.kind = { ...k, reason: s.message };
  }
  if (s.bucket && r.kind && r.kind.kind === 'segv' && s.bucket.startsWith('NULL_')) {
    r.kind = { kind: 'null-deref', confidence: 'medium', reason: `WinDbg bucket ${s.bucket}` };
  }
  if (s.analyze && (!s.stackText || s.stackText.length === 0)) {
    r.complete = false;
    r.facts.push({ code: 'truncated', text: '!analyze output without its STACK_TEXT: the report is cut off' });
  } else if (s.inStackText && s.end >= lines.length - 1) {
    r.complete = false;
    r.facts.push({ code: 'truncated', text: 'STACK_TEXT runs into the end of the text' });
  }
  if (threads.some((t) => t.frames.some((f) => f.function === null))) {
    r.facts.push({ code: 'no-symbols', text: 'some frames have no symbols (module+offset only)' });
  }
  return r;
}

/** Literals one of which every line that can open a Windows report contains, besides a prompt. */
const OPENERS = ['!', ' Id: ', 'Call Site', 'RetAddr', ' - code ', ' Analysis', 'exception at 0x', 'xception thrown', 'Debug Assertion Failed', 'Faulting application name'];
/** A WinDbg prompt (`0:000> `, `0:000:x86> `, PROMPT) holds a word character right before its `>`. */
const PROMPT_ENDS: string[] = [];
for (const c of '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_') PROMPT_ENDS.push(c + '>');

/**
 * The test for a line that can open a Windows report: a digit-led line with `>` (a prompt)
 * or one holding an opener literal. Only the literals that occur somewhere in the text are
 * looked for (when every line is a substring of it): on a log that has `!` and nothing
 * else, one indexOf per line.
 */
const TRIGGERS = [...OPENERS, ...PROMPT_ENDS];

function openerTest(doc: Doc): (line: string) => boolean {
  const present = linesAreSubstrings(doc) ? OPENERS.filter((t) => rawIncludes(doc, t)) : OPENERS;
  const prompts = !linesAreSubstrings(doc) || PROMPT_ENDS.some((t) => rawIncludes(doc, t));
  const n = present.length;
  return (line) => {
    if (prompts) {
      const c0 = line.charCodeAt(0);
      if (c0 >= 48 && c0 <= 57 && line.indexOf('>') > 0) return true; // `0:000> k`
    }
    for (let k = 0; k < n; k++) if (line.indexOf(present[k]) >= 0) return true;
    return false;
  };
}

/**
 * `next(i)`: the first line from `i` that may open a session (every line when there is no
 * index): one holding an opener literal, or a digit-led one holding a prompt end. A prompt
 * end alone (`K>` of a kernel log's `<TASK>`, `4>` of `<4>`) is passed over by the line's
 * first char, without reading the line. `i` must not decrease from one call to the next.
 */
function nextOpener(doc: Doc): (i: number) => number {
  const lines = doc.lines;
  const openers = candidateLines(doc, OPENERS);
  const prompts = candidateLines(doc, PROMPT_ENDS);
  const first = doc.first !== undefined && doc.first.length === lines.length ? doc.first : null;
  if (openers === null || prompts === null || first === null) return (i) => i;
  let ko = 0;
  let kp = 0;
  return (i) => {
    while (ko < openers.length && openers[ko] < i) ko++;
    while (kp < prompts.length && (prompts[kp] < i || first[prompts[kp]] < 48 || first[prompts[kp]] > 57)) kp++;
    return Math.min(ko < openers.length ? openers[ko] : lines.length, kp < prompts.length ? prompts[kp] : lines.length);
  };
}

const GAP = 40;
/** Inside `!analyze -v`, symbol warnings and banners can run for hundreds of lines. */
const ANALYZE_GAP = 600;

export function findWindows(doc: Doc): ParsedReport[] {
  const lines = doc.lines;
  const out: ParsedReport[] = [];
  const mayOpen = openerTest(doc);
  let s: Session | null = null;
  let lastHit = -1;
  const close = () => {
    if (s && hasContent(s)) out.push(finishSession(s, lines));
    s = null;
  };
  const open = (i: number): Session => {
    if (!s) s = newSession(i);
    return s;
  };
  // Only a line holding a trigger opens a session: outside one, go from one to the next.
  const next = nextOpener(doc);
  for (let i = 0; i < lines.length; i++) {
    if (s === null) {
      i = next(i);
      if (i >= lines.length) break;
    }
    const raw = lines[i];
    if (raw.length > 8000) continue;
    if (s && i - lastHit > ((s as Session).analyze ? ANALYZE_GAP : GAP)) close();
    if (s === null && !mayOpen(raw)) continue;
    const line = raw.trim();
    if (line.length === 0) {
      if (s && (s as Session).inStackText && (s as Session).stackText && (s as Session).stackText!.length > 0) {
        (s as Session).inStackText = false;
        (s as Session).stackTextDone = true;
      }
      continue;
    }
    const cur = s as Session | null;

    // STACK_TEXT body
    if (cur && cur.inStackText) {
      const kl = parseKLine(line, 2, false);
      if (kl) {
        const f = parseCallSite(kl.callSite, cur.stackText!.length);
        if (f) {
          f.inlined = kl.inlined;
          cur.stackText!.push(f);
          cur.end = i;
          lastHit = i;
          continue;
        }
      }
      cur.inStackText = false;
      cur.stackTextDone = cur.stackText!.length > 0;
    }

    // WinDbg prompt: `0:003> kn`
    if (line.charCodeAt(0) >= 48 && line.charCodeAt(0) <= 57 && (line.includes('> ') || line.endsWith('>'))) {
      const m = PROMPT.exec(line);
      if (m) {
        const ss = open(i);
        ss.promptThread = String(parseInt(m[2], 10));
        const cmd = m[3].trim();
        if (/^!analyze\b/.test(cmd) && ss.analyze) {
          close();
          open(i).promptThread = String(parseInt(m[2], 10));
        }
        const s2 = s as unknown as Session;
        if (/^k[a-zA-Z]{0,3}\b/.test(cmd) || cmd.startsWith('~') && /k[a-zA-Z]{0,3}$/.test(cmd)) {
          if (!cmd.startsWith('~')) startThread(s2, s2.promptThread!, null, null, false);
          else s2.cur = null;
        }
        s2.end = i;
        lastHit = i;
        continue;
      }
    }

    // !analyze banner
    if (line.startsWith('*') && ANALYZE_BANNER.test(line)) {
      if (cur && cur.analyze) close();
      const ss = open(i);
      ss.analyze = true;
      ss.end = i;
      lastHit = i;
      continue;
    }

    // Event line: `(1a2c.1a30): Access violation - code c0000005 (first chance)`
    if (line.startsWith('(') && line.includes(' - code ')) {
      const m = EVENT_LINE.exec(line);
      if (m) {
        // Successive events with nothing looked at in between: the earlier ones were
        // first-chance exceptions the program handled; the last one is the stop.
        if (cur && cur.code && (cur.analyze || cur.threads.some((t) => t.frames.length > 0))) close();
        const ss = open(i);
        if (!ss.analyze) {
          ss.code = m[4].toLowerCase();
          ss.codeText = m[3];
        }
        ss.eventTid = m[2].toLowerCase().replace(/^0+(?=.)/, '');
        // The stop makes the event's thread current; an earlier prompt's number is stale.
        ss.promptThread = null;
        ss.firstChance = m[5].startsWith('first');
        ss.end = i;
        lastHit = i;
        continue;
      }
    }

    // `~*k` thread header
    if (line.includes(' Id: ') && line.includes('Suspend:')) {
      const m = THREAD_HEADER.exec(line);
      if (m) {
        const ss = open(i);
        startThread(ss, String(parseInt(m[2], 10)), m[4].toLowerCase().replace(/^0+(?=.)/, ''), m[5] ?? null, m[1] === '#');
        ss.end = i;
        lastHit = i;
        continue;
      }
    }

    // k headers
    if (line.includes('Call Site') || line.includes('RetAddr')) {
      if (/^#?\s{0,3}(Child-SP|ChildEBP|Call Site)\b/.test(line)) {
        const ss = open(i);
        ss.kNumbered = line.startsWith('#');
        ss.kMin = line.includes('Child') ? 2 : 0;
        // A new header without a thread header or prompt: a new stack of the same thread.
        if (ss.cur && ss.cur.frames.length > 0) startThread(ss, ss.cur.id, ss.cur.lwp ?? null, ss.cur.name, ss.cur.crashed);
        ss.end = i;
        lastHit = i;
        continue;
      }
    }

    // Event Viewer's Application Error (WER): `Faulting application name: app.exe, version: …`
    if (line.startsWith('Faulting ') || (cur && cur.wer && (line.startsWith('Exception code: ') || line.startsWith('Fault offset: ')))) {
      const kv = /^(Faulting application name|Faulting module name|Faulting module path|Exception code|Fault offset): (.{1,1000})$/.exec(line);
      if (kv) {
        if (kv[1] === 'Faulting application name' && cur && cur.wer) close();
        const ss = open(i);
        ss.wer ??= { module: null, offset: null, path: null };
        const v = kv[2].trim();
        const first = v.split(',')[0].trim();
        if (kv[1] === 'Faulting application name') ss.processName = first;
        else if (kv[1] === 'Faulting module name') ss.wer.module = first;
        else if (kv[1] === 'Faulting module path') ss.wer.path = v;
        else if (kv[1] === 'Exception code') ss.code = exceptionCodeIn(v) ?? ss.code;
        else ss.wer.offset = firstHex(v);
        ss.end = i;
        lastHit = i;
        continue;
      }
    }

    // The CRT's "Debug Assertion Failed!" dialog, copied: File:, Line:, Expression: follow.
    if (line.startsWith('Debug Assertion Failed')) {
      const ss = open(i);
      ss.crtAssert = { expression: '', file: null, line: null, function: null };
      ss.end = i;
      lastHit = i;
      continue;
    }
    if (cur && cur.crtAssert && (line.startsWith('File: ') || line.startsWith('Line: ') || line.startsWith('Expression: ') || line.startsWith('Program: '))) {
      const v = line.slice(line.indexOf(': ') + 2).trim();
      if (line.startsWith('File: ')) cur.crtAssert.file = v;
      else if (line.startsWith('Line: ')) cur.crtAssert.line = parseInt(v, 10) || null;
      else if (line.startsWith('Expression: ')) cur.crtAssert.expression = v;
      else if (!cur.processName) cur.processName = v.slice(Math.max(v.lastIndexOf('\\'), v.lastIndexOf('/')) + 1);
      cur.end = i;
      lastHit = i;
      continue;
    }

    // Visual Studio's exception dialog: `Exception thrown: read access violation.` then
    // `**p** was nullptr.` / `this was 0x8.`
    if (line.includes('xception thrown: ') && line.includes(' access violation')) {
      const m = /^(?:Unhandled e|E)xception thrown: (read|write|execute) access violation\.?$/.exec(line);
      if (m) {
        if (cur && cur.code) close();
        const ss = open(i);
        ss.code = 'c0000005';
        ss.access = m[1] === 'read' ? 'read' : m[1] === 'write' ? 'write' : 'call';
        const next = (lines[i + 1] ?? '').trim();
        const w = /^(.{1,200}) was (nullptr|0x[0-9a-fA-F]{1,16})\.?$/.exec(next);
        if (w) {
          ss.address = w[2] === 'nullptr' ? '0x0' : w[2];
          ss.message = `${m[1][0].toUpperCase()}${m[1].slice(1)} access violation: ${w[1].replace(/\*\*/g, '')} was ${w[2]}`;
          ss.end = i + 1;
          lastHit = i + 1;
          i++;
        } else {
          ss.end = i;
          lastHit = i;
        }
        continue;
      }
    }

    // Visual Studio exception line
    if ((line.includes('exception at 0x') || line.includes('Exception thrown at 0x')) && line.includes(' in ')) {
      const m = VS_EXCEPTION.exec(line);
      if (m) {
        if (cur && cur.code) close();
        const ss = open(i);
        const msg = m[4].trim().replace(/\.$/, '');
        const cm = /^0x([0-9a-f]{8}): (.{0,1000})$/i.exec(msg);
        if (cm) {
          ss.code = cm[1].toLowerCase();
          ss.message = cm[2];
          const av = /Access violation (reading|writing|executing) location (0x[0-9a-f]{1,16})/i.exec(cm[2]);
          if (av) {
            ss.access = av[1] === 'reading' ? 'read' : av[1] === 'writing' ? 'write' : 'call';
            ss.address = av[2];
          }
        } else if (msg.startsWith('Microsoft C++ exception: ')) {
          ss.code = 'e06d7363';
          const t = /^Microsoft C\+\+ exception: (\S{1,300})/.exec(msg);
          ss.cppType = t ? t[1] : null;
          ss.message = msg;
        } else {
          ss.message = msg;
          if (/invalid parameter/i.test(msg)) {
            ss.code = 'c0000409';
            ss.fastFail = fastFailByCode(5);
          }
        }
        if (!ss.processName) ss.processName = m[3].trim();
        ss.end = i;
        lastHit = i;
        continue;
      }
    }

    // Visual Studio call stack line
    if (line.includes('!') || line.startsWith('[') || line.startsWith('>')) {
      const vl = parseVsLine(raw, 0);
      if (vl) {
        const ss = open(i);
        if (!ss.vs) ss.vs = { id: 'vs', name: null, lwp: null, crashed: false, state: null, frames: [] };
        if (vl.frame) {
          vl.frame.index = ss.vs.frames.length;
          if (vl.current && ss.vsCurrent === null) ss.vsCurrent = vl.frame.index;
          ss.vs.frames.push(vl.frame);
        } else if (vl.marker === 'external' && !ss.facts.some((f) => f.text.startsWith('Visual Studio hid'))) {
          ss.facts.push({ code: 'other', text: 'Visual Studio hid frames as [External Code]; enable "Show External Code" for the full stack' });
        } else if (vl.marker === 'frames-below') {
          ss.facts.push({ code: 'no-symbols', text: line.replace(/^>?\s*\[|\]\s*$/g, '') });
        }
        ss.end = i;
        lastHit = i;
        continue;
      }
    }

    // k frame lines
    if (line.includes('!') || line.includes('+0x') || line.includes('0x')) {
      const c = s as Session | null;
      const kl = parseKLine(line, c ? c.kMin : 2, c ? c.kNumbered : false);
      if (kl && (c || kl.callSite.includes('!'))) {
        const ss = open(i);
        if (addKFrame(ss, kl, i)) {
          lastHit = i;
          continue;
        }
      }
    }

    if (!cur) continue;

    // Access-violation address from the disassembly line: `… ds:00000000`00000010=????????`
    if (line.includes('=????????') || line.includes('=??')) {
      const m = /\b[dsecfg]s:([0-9a-f`]{1,17})=\?\?/i.exec(line);
      if (m) cur.dsAddress = cleanAddress(m[1]);
    }

    // `Attempt to read from address 0000000000000000`
    // `Subcode: 0x2 FAST_FAIL_STACK_COOKIE_CHECK_FAILURE` under EXCEPTION_RECORD
    if (line.startsWith('Subcode: ')) {
      const ff = fastFailByName(line);
      if (ff) cur.fastFail = ff;
      lastHit = i;
      continue;
    }
    if (line.startsWith('Attempt to ')) {
      const m = /^Attempt to (read from|write to|execute non-executable) (?:address|memory) ([0-9a-f`]{1,17})/i.exec(line);
      if (m) {
        cur.access = m[1].startsWith('read') ? 'read' : m[1].startsWith('write') ? 'write' : 'call';
        cur.address = cleanAddress(m[2]);
        cur.end = i;
        lastHit = i;
        continue;
      }
    }

    if (line.startsWith('WARNING: ') && (line.includes('Stack unwind') || line.includes('Frame IP not in any known module'))) {
      cur.facts.push({ code: 'backtrace-stopped', text: line });
      continue;
    }
    if (line.startsWith('*** ') && line.includes('Symbol')) {
      if (!cur.warnedNoSymbols) {
        cur.warnedNoSymbols = true;
        cur.facts.push({ code: 'no-symbols', text: line.replace(/^\*+\s*|\s*\*+$/g, '') });
      }
      lastHit = i;
      continue;
    }

    // !analyze keys
    if (line.includes(':')) {
      const m = ANALYZE_KEY.exec(line);
      if (m) {
        const key = m[1];
        if (/^[A-Z_]+$/.test(key) || key.startsWith('Exception') || key.startsWith('Parameter[') || key === 'NumberParameters') {
          handleAnalyzeKey(cur, key, m[2] ?? '');
          if (cur.analyze || key === 'ExceptionCode' || key === 'EXCEPTION_CODE' || key === 'STACK_TEXT' || key === 'READ_ADDRESS' || key === 'WRITE_ADDRESS' || key === 'FAILURE_BUCKET_ID') {
            cur.end = i;
            lastHit = i;
          }
          continue;
        }
      }
    }
  }
  close();
  // A frameless stop that a later report of the same paste repeats (first chance, then
  // second chance after the debugger let the program go on), or that is only a debugger
  // event (single step, break-in), is not a report of its own.
  return out.filter((r, k) => {
    if (r.threads.some((t) => t.frames.length > 0)) return true;
    if (r.kind?.kind === 'snapshot') return false;
    return !out.slice(k + 1).some((later) => later.signal?.code === r.signal?.code);
  });
}

export const windows: FormatModule = {
  id: 'windows',
  // Exactly what can open a session (openerTest): a text with none of these holds no report.
  triggers: TRIGGERS,
  find: findWindows,
};

export default windows;
