/**
 * Crash reports that a program's own crash handler prints: Redis' `=== REDIS BUG REPORT
 * START ===` (signal, accessing address, EIP, one stack per thread, assertion and panic
 * banners) and MySQL/MariaDB's `mysqld got signal 11 ;` (`stack_bottom`, the backtrace,
 * `Connection ID (thread ID)`, the query).
 * Takes: the cleaned document. Gives: one report per banner, with format `redis` or
 * `mysql`; the handler's own frames (and the signal trampoline under them) carry roleHint
 * `crash-handling`, and the crashing thread is the one the report marks (Redis: the stack
 * that holds the EIP; MySQL: the connection's thread).
 *
 * The products are rows of HANDLERS (markers, handler functions, end lines). One pass over
 * the lines, `includes`/`startsWith` before any regex, bounded regexes only.
 */
import { emptyReport, type Fact, type Frame, type ParsedReport, type Signal, type Thread } from '../model.js';
import type { Doc } from '../ingest/doc.js';
import type { FormatModule } from './format.js';
import { isNullPageAddress, kindForClass } from '../diagnose/kind-table.js';

interface HandlerRow {
  format: 'redis' | 'mysql';
  /** Any of these substrings opens a report. */
  start: string[];
  /** Any of these substrings closes it (the line belongs to the report). */
  end: string[];
  /** Lines after which stack frames follow. */
  stackStart: string[];
  /** Functions of the handler itself (exact names or `prefix*`). */
  handler: string[];
  /** Lines that show the report reached its end part (so it is complete even without `end`). */
  tail: string[];
}

export const HANDLERS: HandlerRow[] = [
  {
    format: 'redis',
    start: ['=== REDIS BUG REPORT START', '=== VALKEY BUG REPORT START'],
    end: ['=== REDIS BUG REPORT END', '=== VALKEY BUG REPORT END'],
    stackStart: ['Backtrace:', '--- STACK TRACE'],
    handler: [
      'logStackTrace', 'sigsegvHandler', 'sigalrmSignalHandler', 'watchdogSignalHandler', 'bugReportStart',
      'bugReportEnd', 'printCrashReport', 'logServerInfo', '_serverAssert', '_serverAssertWithInfo',
      '_serverAssertPrintClientInfo', '_serverAssertPrintObject', '_serverPanic', 'serverLogHexDump',
      'serverLogObjectDebugInfo', 'logStackContent', 'printStackTrace', 'writeStacktraces', 'ThreadsManager_*',
      'invoke_signal_handler', 'killMainThread', '_valkeyAssert*', '_valkeyPanic',
    ],
    tail: ['------ REGISTERS', '------ INFO OUTPUT', '--- INFO OUTPUT', '------ CLIENT LIST', '------ MODULES INFO',
      '------ FAST MEMORY TEST', '------ CURRENT CLIENT INFO', '--- CURRENT CLIENT INFO', 'expected stacktraces'],
  },
  {
    format: 'mysql',
    start: ['mysqld got signal ', 'mariadbd got signal ', 'mysqld got exception '],
    end: ['information that should help you find out what is causing the crash', 'contains information that should help you find out',
      'Writing a core file'],
    stackStart: ['stack_bottom = '],
    handler: [
      'my_print_stacktrace', 'print_fatal_signal', 'handle_fatal_signal', 'my_abort', 'my_server_abort',
      'ut_dbg_assertion_failed', 'ut::detail::*', 'ib::fatal::*', 'ib::fatal_or_error::*', 'abort_with_stack_traces',
      'my_write_core', '__restore_rt', 'print_stacktrace', 'handle_segfault',
    ],
    tail: ['Trying to get some variables', 'Connection ID (thread ID)', 'Some pointers may be invalid'],
  },
];

const SIGNALS: Record<number, string> = {
  4: 'SIGILL', 5: 'SIGTRAP', 6: 'SIGABRT', 7: 'SIGBUS', 8: 'SIGFPE', 11: 'SIGSEGV', 15: 'SIGTERM',
};

// ---------------------------------------------------------------------------------------

/** Redis log prefix: `13883:M 07 Jan 2025 12:58:10.527 # ` or `[1176] 20 May 17:10:18 # `. */
const REDIS_PREFIX = /^(?:[0-9]{1,10}:[A-Z] [0-9]{1,2} [A-Z][a-z]{2}(?: [0-9]{4})? [0-9:.]{8,16} [#*.-] ?|\[[0-9]{1,10}\] [0-9]{1,2} [A-Z][a-z]{2} [0-9:.]{8,16} [#*.-] ?)/;

export interface HandlerFrame {
  fn: string | null;
  raw: string | null;
  module: string | null;
  file: string | null;
  line: number | null;
  address: string | null;
}

function withoutParams(fn: string): string {
  if (!fn.endsWith(')')) return fn;
  let depth = 0;
  for (let i = fn.length - 1; i >= 0; i--) {
    if (fn[i] === ')') depth++;
    else if (fn[i] === '(') { depth--; if (depth === 0) return fn.slice(0, i).trimEnd() || fn; }
  }
  return fn;
}

/**
 * One frame line of a handler's backtrace:
 *   `./redis-server *:6379(processMultibulkBuffer+0x1fc)[0x59e41ef01bac]`
 *   `/usr/sbin/mysqld(my_print_stacktrace(unsigned char const*, unsigned long)+0x41) [0x55a1e2c3f1a1]`
 *   `sql/sql_select.cc:1234(JOIN::optimize_inner())[0x55d0…]`, `/lib/…/libc.so.6(+0x45320)[0x7f…]`
 *   macOS: `3   redis-server   0x0000000102009733 logStackTrace + 115`
 */
export function parseHandlerFrame(line: string): HandlerFrame | null {
  const t = line.trim();
  if (t.length < 5 || t.length > 2000) return null;
  if (t.endsWith(']')) {
    const open = t.lastIndexOf('[');
    if (open < 0) return null;
    const address = t.slice(open + 1, -1);
    if (!/^0x[0-9a-fA-F]{1,16}$/.test(address)) return null;
    const head = t.slice(0, open).trimEnd();
    if (!head.endsWith(')')) {
      return head.length > 0 && head.indexOf(' ') < 0 ? { fn: null, raw: null, module: head, file: null, line: null, address } : null;
    }
    // the module/file part ends at the first `(` that is not inside a module path with spaces
    const po = head.indexOf('(');
    if (po <= 0) return null;
    const where = head.slice(0, po);
    let inner = head.slice(po + 1, -1);
    let offset: string | null = null;
    const plus = inner.lastIndexOf('+0x');
    if (plus >= 0 && /^\+0x[0-9a-fA-F]{1,16}$/.test(inner.slice(plus))) { offset = inner.slice(plus + 1); inner = inner.slice(0, plus); }
    const raw = inner.length > 0 ? inner : null;
    let file: string | null = null;
    let lineNo: number | null = null;
    let module: string | null = where;
    const fl = /^(.{1,400}?):([0-9]{1,7})$/.exec(where);
    if (fl && /\.[A-Za-z+]{1,4}$/.test(fl[1])) {
      module = null;
      if (fl[1] !== '??') { file = fl[1]; lineNo = Number(fl[2]) || null; }
    }
    if (module) {
      const sp = module.indexOf(' ');
      if (sp > 0) module = module.slice(0, sp); // `./redis-server *:6379` → the binary
    }
    void offset;
    return { fn: raw ? withoutParams(raw) : null, raw, module, file, line: lineNo, address };
  }
  // macOS backtrace_symbols: `N  module  0xADDR symbol + off`
  const m = /^[0-9]{1,4} {1,8}([^ ]{1,200}) {1,60}(0x[0-9a-fA-F]{1,16}) (.{1,500}?) \+ [0-9]{1,10}$/.exec(t);
  if (m) {
    const sym = m[3] === '0x0' || m[3].startsWith('0x') ? null : m[3];
    return { fn: sym, raw: sym, module: m[1] === '???' ? null : m[1], file: null, line: null, address: m[2] };
  }
  return null;
}

function globHit(patterns: string[], fn: string | null): boolean {
  if (!fn) return false;
  return patterns.some((p) => (p.endsWith('*') ? fn.startsWith(p.slice(0, -1)) : fn === p));
}

function isLibcModule(m: string | null): boolean {
  if (!m) return false;
  const b = m.slice(m.lastIndexOf('/') + 1);
  return b.startsWith('libc.so') || b.startsWith('libc-') || b.startsWith('libpthread') || b === 'libsystem_platform.dylib';
}

// ---------------------------------------------------------------------------------------

interface Draft {
  row: HandlerRow;
  start: number;
  end: number;
  prefix: string;
  stripRedis: boolean;
  complete: boolean;
  threads: Array<{ id: string; name: string | null; frames: HandlerFrame[] }>;
  cur: HandlerFrame[] | null;
  eip: HandlerFrame | null;
  expectEip: boolean;
  signal: Signal | null;
  message: string | null;
  assertion: ParsedReport['assertion'];
  facts: Fact[];
  connectionId: string | null;
  panic: string | null;
  blank: number;
}

function stripLine(d: Draft, raw: string): string {
  let s = raw;
  if (d.prefix && s.startsWith(d.prefix.slice(0, Math.min(8, d.prefix.length))) && s.length >= d.prefix.length) s = s.slice(d.prefix.length);
  if (d.stripRedis && (s.charCodeAt(0) === 91 || (s.charCodeAt(0) >= 48 && s.charCodeAt(0) <= 57))) {
    const m = REDIS_PREFIX.exec(s);
    if (m) s = s.slice(m[0].length);
  }
  return s;
}

function readRedis(d: Draft, t: string): void {
  if (t.includes(' crashed by signal: ')) {
    const m = /crashed by signal: ([0-9]{1,2})(?:, si_code: ([0-9-]{1,6}))?/.exec(t);
    if (m) {
      const n = Number(m[1]);
      d.signal = { name: SIGNALS[n] ?? `signal ${n}`, number: n, ...(m[2] ? { code: m[2] } : {}) };
      d.message = t.trim();
    }
    return;
  }
  if (t.startsWith('Accessing address: ')) {
    const a = t.slice(19).trim();
    if (d.signal) d.signal.faultAddress = a === '(nil)' ? '0x0' : a;
    return;
  }
  if (t.startsWith('==> ') && t.includes(' is not true')) {
    // `==> t_zset.c:1344 'zsl->level > 0' is not true`
    const m = /^==> ([^ :]{1,200}):([0-9]{1,7}) '(.{0,500})' is not true/.exec(t);
    if (m) {
      d.assertion = { expression: m[3], file: m[1], line: Number(m[2]), function: null };
      d.message = `${m[1]}:${m[2]} '${m[3]}' is not true`;
    }
    return;
  }
  if (t.startsWith('Failed assertion: ') && !t.includes('<no assertion failed>')) {
    const m = /^Failed assertion: (.{1,500}) \(([^ :]{1,200}):([0-9]{1,7})\)$/.exec(t);
    if (m) { d.assertion = { expression: m[1], file: m[2], line: Number(m[3]), function: null }; d.message = t; }
    return;
  }
  if (t.startsWith('Guru Meditation: ')) {
    d.panic = t.slice(17).trim();
    d.message = d.panic;
    return;
  }
}

function readMysql(d: Draft, t: string): void {
  if (t.includes(' got signal ')) {
    const m = /(mysqld|mariadbd) got signal ([0-9]{1,2})/.exec(t);
    if (m) {
      const n = Number(m[2]);
      d.signal = { name: SIGNALS[n] ?? `signal ${n}`, number: n };
      d.message = `${m[1]} got signal ${n}`;
    }
    return;
  }
  if (t.startsWith('Connection ID (thread ID): ')) {
    const id = t.slice(27).trim();
    if (/^[0-9]{1,20}$/.test(id)) d.connectionId = id;
    return;
  }
  if (t.startsWith('Query (') || t.startsWith('Query: ')) {
    const q = t.indexOf(': ');
    d.facts.push({ code: 'other', text: `Query: ${t.slice(q + 2).slice(0, 300)}`, value: 'query' });
    return;
  }
  if (t.includes('Assertion failure') || t.includes('Failing assertion: ')) readInnodbAssertion(d, t);
}

/** `InnoDB: Assertion failure in file row0mysql.cc line 1234` / `[InnoDB] Assertion failure: row0mysql.cc:1234:expr` / `InnoDB: Failing assertion: expr`. */
function readInnodbAssertion(d: Draft, t: string): void {
  let m = /Assertion failure: ([^ :]{1,200}):([0-9]{1,7}):(.{1,500}?)(?: thread [0-9]{1,20})?$/.exec(t);
  if (m) { d.assertion = { expression: m[3], file: m[1], line: Number(m[2]), function: null }; return; }
  m = /Assertion failure in file ([^ ]{1,200}) line ([0-9]{1,7})/.exec(t);
  if (m) { d.assertion = { expression: d.assertion?.expression ?? '', file: m[1], line: Number(m[2]), function: null }; return; }
  const f = t.indexOf('Failing assertion: ');
  if (f >= 0) d.assertion = { expression: t.slice(f + 19).trim(), file: d.assertion?.file ?? null, line: d.assertion?.line ?? null, function: null };
}

function finish(d: Draft, atEof: boolean): ParsedReport {
  const rep = emptyReport(d.row.format, d.start);
  rep.endLine = d.end;
  rep.signal = d.signal;
  rep.assertion = d.assertion && (d.assertion.expression || d.assertion.file) ? d.assertion : null;
  rep.message = d.message;
  rep.facts.push(...d.facts);
  const threads = d.threads.filter((t) => t.frames.length > 0);

  // the crashing thread: the report marks it (Redis: the stack holding the EIP; MySQL: the connection)
  let crashed = 0;
  if (d.eip?.address) {
    const k = threads.findIndex((t) => t.frames.some((f) => f.address === d.eip!.address));
    if (k >= 0) crashed = k;
  } else {
    const k = threads.findIndex((t) => t.frames.some((f) => globHit(d.row.handler, f.fn)));
    if (k >= 0) crashed = k;
  }
  const out: Thread[] = threads.map((t, ti) => {
    const frames = t.frames;
    // handler frames, then the signal trampoline, are crash machinery
    let lastHandler = -1;
    if (ti === crashed) {
      const eipAt = d.eip?.address ? frames.findIndex((f) => f.address === d.eip!.address) : -1;
      if (eipAt > 0) lastHandler = eipAt - 1;
      else {
        for (let i = 0; i < frames.length && i < 12; i++) if (globHit(d.row.handler, frames[i].fn)) lastHandler = i;
        const next = frames[lastHandler + 1];
        if (lastHandler >= 0 && next && (next.fn === null || next.fn === '__restore_rt' || next.fn === '_sigtramp') && (isLibcModule(next.module) || next.fn !== null || next.module === null)) lastHandler++;
      }
      if (lastHandler >= 0) rep.facts.push({ code: 'signal-handler', text: 'The crash handler\'s own frames and the signal trampoline come first in the stack', frame: lastHandler });
    }
    const fr: Frame[] = frames.map((f, i) => {
      const frame: Frame = { index: i, function: f.fn, rawFunction: f.raw, inlined: false, role: 'unknown' };
      if (f.address) frame.address = f.address;
      if (f.module) frame.module = f.module;
      if (f.file) { frame.file = f.file; frame.line = f.line; }
      if (i <= lastHandler || globHit(d.row.handler, f.fn)) frame.roleHint = 'crash-handling';
      else if (!f.fn) frame.roleHint = 'unknown';
      return frame;
    });
    return { id: t.id, name: t.name, crashed: ti === crashed, state: null, frames: fr };
  });
  if (d.row.format === 'mysql' && d.connectionId && out[crashed]) {
    out[crashed].id = d.connectionId;
  }
  rep.threads = out;
  rep.crashingThreadId = out[crashed]?.id ?? null;

  // kind
  if (rep.assertion) rep.kind = { kind: 'assertion', confidence: 'high', reason: 'the crash handler reports a failed assertion' };
  else if (d.panic) rep.kind = { kind: 'abort', confidence: 'high', reason: `the program panicked: ${d.panic.slice(0, 100)}` };
  else if (d.signal) {
    const addr = d.signal.faultAddress;
    if (d.signal.name === 'SIGSEGV' && addr && isNullPageAddress(addr)) {
      rep.kind = { kind: 'null-deref', confidence: 'high', reason: `fault address ${addr} is in the NULL page` };
    } else {
      const k = kindForClass(d.signal.name);
      if (k) rep.kind = { ...k, reason: `the crash handler caught ${d.signal.name}` };
    }
  }
  if (!d.complete) {
    rep.complete = false;
    rep.facts.push({ code: 'truncated', text: `The ${d.row.format} crash report is cut off${atEof ? ' at the end of the input' : ''}` });
  }
  return rep;
}

function openRow(t: string): HandlerRow | null {
  for (const row of HANDLERS) for (const s of row.start) if (t.includes(s)) return row;
  return null;
}

function find(doc: Doc): ParsedReport[] {
  const out: ParsedReport[] = [];
  let d: Draft | null = null;
  const lines = doc.lines;
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n];
    if (raw.length > 5000) continue;
    if (raw.indexOf('REPORT START') >= 0 || raw.indexOf(' got signal ') >= 0 || raw.indexOf(' got exception ') >= 0) {
      const row = openRow(raw);
      if (row) {
        if (d) out.push(finish(d, false));
        const marker = row.start.find((s) => raw.includes(s))!;
        let at = raw.indexOf(marker);
        if (row.format === 'redis') at = raw.lastIndexOf('===', at);
        // a syslog/supervisor prefix before the banner is stripped from the report's lines
        const before = raw.slice(0, at);
        const prefix = row.format === 'redis' && !REDIS_PREFIX.test(before) && before.trim().length > 0 ? before : '';
        d = {
          row, start: n, end: n, prefix, stripRedis: row.format === 'redis', complete: false, threads: [], cur: null,
          eip: null, expectEip: false, signal: null, message: null, assertion: null, facts: [], connectionId: null, panic: null, blank: 0,
        };
        const t0 = stripLine(d, raw);
        if (row.format === 'mysql') readMysql(d, t0.slice(t0.indexOf(row.start.find((s) => t0.includes(s)) ?? '')));
        // an InnoDB assertion printed just before the signal line belongs to this report
        for (let k = Math.max(0, n - 15); k < n; k++) if (row.format === 'mysql' && (lines[k].includes('ssertion failure') || lines[k].includes('Failing assertion: '))) readInnodbAssertion(d, lines[k]);
        continue;
      }
    }
    if (!d) continue;
    const t = stripLine(d, raw).trim();
    if (d.row.end.some((e) => t.includes(e))) {
      d.end = n; d.complete = true;
      out.push(finish(d, false));
      d = null;
      continue;
    }
    if (t.length === 0) {
      d.cur = null;
      if (++d.blank > 40) { out.push(finish(d, false)); d = null; }
      continue;
    }
    d.blank = 0;
    if (d.row.tail.some((x) => t.includes(x))) d.complete = true;
    if (t === 'EIP:') { d.expectEip = true; d.end = n; continue; }
    if (d.expectEip) {
      d.expectEip = false;
      d.eip = parseHandlerFrame(t);
      d.end = n;
      continue;
    }
    if (d.row.stackStart.some((s) => t.startsWith(s) || t.includes(s))) {
      const th = { id: String(d.threads.length + 1), name: null as string | null, frames: [] as HandlerFrame[] };
      d.threads.push(th);
      d.cur = th.frames;
      d.end = n;
      continue;
    }
    // Redis 7 prints one stack per thread, each headed `<tid> <name>`
    if (d.row.format === 'redis' && /^[0-9]{1,10} [^ (\[][^([]{0,60}$/.test(t) && n + 1 < lines.length && parseHandlerFrame(stripLine(d, lines[n + 1])) !== null) {
      const sp = t.indexOf(' ');
      const th = { id: t.slice(0, sp), name: t.slice(sp + 1).trim() || null, frames: [] as HandlerFrame[] };
      d.threads.push(th);
      d.cur = th.frames;
      d.end = n;
      continue;
    }
    if (d.cur) {
      const f = parseHandlerFrame(t);
      if (f) { d.cur.push(f); d.end = n; continue; }
      d.cur = null;
    }
    if (d.row.format === 'redis') readRedis(d, t); else readMysql(d, t);
    d.end = n;
  }
  if (d) out.push(finish(d, true));
  return out;
}

export const crashHandler: FormatModule = {
  id: 'crash-handler',
  /** Beats the plain glibc backtrace reader, whose frame lines these reports contain. */
  priority: 20,
  triggers: ['REPORT START', ' got signal ', ' got exception '],
  find,
};

export default crashHandler;
