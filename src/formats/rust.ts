/**
 * Rust panics and aborts, as the standard library prints them.
 * Takes: the cleaned document. Gives: one report per panic / abort, with the panicking
 * thread (id and name from the header), the panic message and location, and the
 * `stack backtrace:` frames (RUST_BACKTRACE=1 short or `full`) innermost first.
 *
 * Shapes (one row each in HEADERS):
 *   thread 'main' (4242) panicked at src/main.rs:3:5:        ← 1.73+ (thread id since 1.88)
 *   called `Option::unwrap()` on a `None` value               ← message on the next lines
 *   thread 'main' panicked at 'boom', src/main.rs:3:5        ← before 1.73
 *   thread 'main' (4242) has overflowed its stack / fatal runtime error: stack overflow
 *   memory allocation of 1024 bytes failed
 *   thread 'x' panicked while processing panic. aborting.    ← a panic while panicking
 * Frames: `   4: ledgerd::load_account` + `             at ./src/main.rs:18:11`, or in
 * `full`: `  16:     0x55b10756859e - ledgerd::check_invariant::h0fee4b753e6bf0c5`.
 * `function` loses the `::h<16 hex>` hash and `[<16 hex>]` crate disambiguators
 * (`rawFunction` keeps them); `module` is the crate.
 */
import type { CrashKind, Confidence, Fact, Frame, ParsedReport } from '../model.js';
import { emptyReport, newFrame } from '../model.js';
import type { Doc } from '../ingest/doc.js';
import type { FormatModule } from './format.js';
import { kindForClass } from '../diagnose/kind-table.js';

/** A header row: how a Rust crash announces itself, and the class text that names its kind. */
interface HeaderRow {
  id: 'panic' | 'panic-old' | 'overflow' | 'overflow-fatal' | 'alloc' | 'double-panic';
  /** Cheap test before the regex. */
  test: (line: string) => boolean;
  re: RegExp;
  /** Text given to kindForClass(); null = a plain panic. */
  kindClass: string | null;
}

const HEADERS: HeaderRow[] = [
  {
    id: 'panic',
    test: (l) => l.startsWith('thread \'') && l.includes(' panicked at ') && l.endsWith(':') && !l.includes(' panicked at \''),
    // thread '<name>' (<id>) panicked at <file>:<line>:<col>:
    re: /^thread '([^']{0,200})'(?: \((\d{1,20})\))? panicked at (.{1,1000}?):(\d{1,9}):(\d{1,9}):$/,
    kindClass: null,
  },
  {
    id: 'panic-old',
    test: (l) => l.startsWith('thread \'') && l.includes(' panicked at \''),
    // thread '<name>' panicked at '<msg>', <file>:<line>:<col>
    re: /^thread '([^']{0,200})'(?: \((\d{1,20})\))? panicked at '(.*?)(?:', ([^,]{1,1000}):(\d{1,9}):(\d{1,9}))?$/,
    kindClass: null,
  },
  {
    id: 'overflow',
    test: (l) => l.startsWith('thread \'') && l.includes(' has overflowed its stack'),
    re: /^thread '([^']{0,200})'(?: \((\d{1,20})\))? has overflowed its stack/,
    kindClass: 'stack overflow',
  },
  {
    id: 'overflow-fatal',
    test: (l) => l.startsWith('fatal runtime error: stack overflow'),
    re: /^fatal runtime error: stack overflow/,
    kindClass: 'stack overflow',
  },
  {
    id: 'alloc',
    test: (l) => l.startsWith('memory allocation of ') && l.includes(' failed'),
    re: /^memory allocation of (\d{1,20}) bytes failed/,
    kindClass: 'memory allocation of',
  },
  {
    id: 'double-panic',
    test: (l) => l.startsWith('thread \'') && (l.includes('panicked while processing panic') || l.includes('caused non-unwinding panic')),
    re: /^thread '([^']{0,200})'(?: \((\d{1,20})\))? (?:panicked while processing panic|caused non-unwinding panic)/,
    kindClass: null,
  },
];

const FRAME_HEAD = /^\s{0,8}(\d{1,6}): {1,40}(?:(0x[0-9a-f]{1,16}) - )?(.*)$/;

/** `./src/main.rs:18:11` → file, line, column (read from the right, no regex). */
export function splitLocation(s: string): { file: string; line: number | null; column: number | null } {
  let file = s.trim();
  const nums: number[] = [];
  for (let k = 0; k < 2; k++) {
    const c = file.lastIndexOf(':');
    if (c <= 0) break;
    const tail = file.slice(c + 1);
    if (!/^\d{1,9}$/.test(tail)) break;
    nums.unshift(Number(tail));
    file = file.slice(0, c);
  }
  return { file, line: nums.length ? nums[0] : null, column: nums.length > 1 ? nums[1] : null };
}

/** `ledgerd::main::he4ab3ce58cb74003` → `ledgerd::main`; `std[e28293b1aa0f68bd]::x` → `std::x`. */
export function cleanRustName(raw: string): string {
  let s = raw.trim();
  if (s.length > 19 && s.includes('::h')) {
    const m = /::h[0-9a-f]{16}$/.exec(s);
    if (m) s = s.slice(0, m.index);
  }
  if (s.includes('[')) s = s.replace(/\[[0-9a-f]{16}\]/g, '');
  // Legacy symbol escapes left by some symbolizers: `_$LT$T$GT$`, `$u7b$$u7b$closure$u7d$$u7d$`.
  if (s.includes('$')) {
    const ESC: Record<string, string> = { SP: '@', BP: '*', RF: '&', LT: '<', GT: '>', LP: '(', RP: ')', C: ',' };
    s = s.replace(/\$([A-Z]{1,2})\$/g, (all, k: string) => ESC[k] ?? all).replace(/\$u([0-9a-f]{2})\$/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    s = s.replace(/\.\./g, '::');
    if (s.startsWith('_<')) s = s.slice(1);
  }
  return s;
}

/** The crate of a demangled path: `ledgerd::main` → `ledgerd`, `<alloc::vec::Vec<T> as …>::x` → `alloc`. */
function crateOf(fn: string): string | null {
  const m = /^<*&?(?:dyn |mut )?([A-Za-z_][A-Za-z0-9_]{0,100})::/.exec(fn);
  return m ? m[1] : null;
}

function isFrameLine(l: string): boolean {
  const t = l.trimStart();
  const c = t.charCodeAt(0);
  return c >= 48 && c <= 57 && t.includes(': ');
}

/** Parse `stack backtrace:` frames starting at line `i`; returns frames and the next line. */
function parseBacktrace(lines: string[], i: number): { frames: Frame[]; next: number; omitted: boolean } {
  const frames: Frame[] = [];
  let omitted = false;
  let lastAddr: string | null = null;
  for (; i < lines.length; i++) {
    const l = lines[i];
    const tl = l.trimStart();
    // Fuchsia: symbolizer markup (`[[[ELF module …]]]`) and sanitizer-style frames
    // `#9    0x00002113208ccbd9 in crate::f::h849ed7a815da104e ./src/lib.rs:22 <>+0xa1bd9`.
    if (tl.startsWith('[[[') && tl.endsWith(']]]')) continue;
    if (tl.startsWith('#') && tl.includes(' in ')) {
      const m = /^#(\d{1,6})(?:\.\d{1,4})? {1,12}(0x[0-9a-f]{1,16}) in (\S{1,4000})(?: (\S{1,4000}))?/.exec(tl.length > 9000 ? tl.slice(0, 9000) : tl);
      if (!m) break;
      const f = newFrame(frames.length, cleanRustName(m[3]));
      f.rawFunction = m[3];
      f.address = m[2];
      if (lastAddr === m[2] && frames.length > 0) frames[frames.length - 1].inlined = true;
      lastAddr = m[2];
      if (m[4] && !m[4].startsWith('<')) {
        const loc = splitLocation(m[4]);
        f.file = loc.file;
        f.line = loc.line;
        f.column = loc.column;
      }
      f.module = f.function ? crateOf(f.function) : null;
      frames.push(f);
      continue;
    }
    if (isFrameLine(l)) {
      const m = FRAME_HEAD.exec(l);
      if (!m) break;
      const raw = m[3].trim();
      const f = newFrame(frames.length, raw === '<unknown>' ? null : cleanRustName(raw));
      f.rawFunction = raw === '<unknown>' ? null : raw;
      if (m[2]) {
        f.address = m[2];
        // In `full` backtraces inlined frames share the address of their caller.
        if (lastAddr === m[2] && frames.length > 0) frames[frames.length - 1].inlined = true;
        lastAddr = m[2];
      }
      f.module = f.function ? crateOf(f.function) : null;
      // In a Rust backtrace a bare `main` is the C entry shim rustc generates, which calls
      // std::rt::lang_start; the program's own main is `<crate>::main`.
      if (f.function === 'main') f.roleHint = 'plumbing';
      frames.push(f);
      continue;
    }
    if (l.trimStart().startsWith('at ') && frames.length > 0) {
      const f = frames[frames.length - 1];
      if (f.file == null) {
        const loc = splitLocation(l.trimStart().slice(3));
        f.file = loc.file;
        f.line = loc.line;
        f.column = loc.column;
      }
      continue;
    }
    if (l.startsWith('note: Some details are omitted')) {
      omitted = true;
      i++;
    }
    break;
  }
  return { frames, next: i, omitted };
}

interface Header {
  row: HeaderRow;
  m: RegExpExecArray;
}

function matchHeader(l: string): Header | null {
  if (!(l.startsWith('thread \'') || l.startsWith('fatal runtime error') || l.startsWith('memory allocation'))) return null;
  for (const row of HEADERS) {
    if (!row.test(l)) continue;
    const m = row.re.exec(l.length > 4000 ? l.slice(0, 4000) : l);
    if (m) return { row, m };
  }
  return null;
}

function kindOf(row: HeaderRow): { kind: CrashKind; confidence: Confidence; reason: string } {
  const k = row.kindClass ? kindForClass(row.kindClass) : null;
  if (k) return { kind: k.kind, confidence: k.confidence, reason: `Rust runtime: ${row.kindClass}` };
  return { kind: 'panic', confidence: 'high', reason: 'Rust panic' };
}

/**
 * An error returned from `main` and printed by anyhow / eyre / std (`Error: …`), when it
 * carries a chain (`Caused by:`) or a captured backtrace (`Stack backtrace:`): the program
 * exited with an error, not a panic. Causes come innermost last, as DESIGN orders them.
 */
function parseMainError(lines: string[], i: number): { rep: ParsedReport; next: number } | null {
  const first = lines[i].slice(7).trim();
  let j = i + 1;
  while (j < lines.length && j - i <= 3 && lines[j].trim() === '') j++;
  if (j >= lines.length) return null;
  const causes: string[] = [];
  let end = i;
  if (lines[j].trim() === 'Caused by:') {
    end = j;
    for (j = j + 1; j < lines.length && causes.length < 100; j++) {
      const t = lines[j];
      if (!t.startsWith('    ')) break;
      causes.push(t.trim().replace(/^\d{1,4}: /, ''));
      end = j;
    }
    while (j < lines.length && j - end <= 2 && lines[j].trim() === '') j++;
  }
  let frames: Frame[] = [];
  if (j < lines.length && (lines[j].trim() === 'Stack backtrace:' || lines[j].trim() === 'stack backtrace:')) {
    const bt = parseBacktrace(lines, j + 1);
    frames = bt.frames;
    end = Math.max(j, bt.next - 1);
    j = bt.next;
  }
  if (causes.length === 0 && frames.length === 0) return null;
  const rep = emptyReport('rust', i);
  rep.endLine = end;
  rep.message = `Error: ${first}`;
  rep.exception = { type: 'Error', message: first, causes: causes.map((c) => ({ type: 'Error', message: c })) };
  rep.kind = { kind: 'uncaught-exception', confidence: 'medium', reason: 'main returned an error (anyhow/eyre style chain)' };
  rep.facts.push({ code: 'other', text: 'The program returned an error from main; it did not panic. The backtrace was captured where the error was created.' });
  rep.threads.push({ id: 'main', name: null, crashed: true, state: null, frames });
  rep.crashingThreadId = null;
  return { rep, next: Math.max(j, i + 1) };
}

export function parseRust(doc: Doc): ParsedReport[] {
  const lines = doc.lines;
  const out: ParsedReport[] = [];
  let cur: ParsedReport | null = null;
  let curHasFrames = false;

  const finish = () => {
    if (cur) out.push(cur);
    cur = null;
    curHasFrames = false;
  };

  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const c = l.charCodeAt(0);
    // Outside a report only a header can start one: `Error: `, `thread '`, `fatal …`, `memory …`.
    if (cur === null && c !== 69 /* E */ && c !== 116 /* t */ && c !== 102 /* f */ && c !== 109 /* m */) continue;
    if (cur === null && l.startsWith('Error: ')) {
      const e = parseMainError(lines, i);
      if (e) {
        out.push(e.rep);
        i = e.next - 1;
        continue;
      }
    }
    const h = matchHeader(l);
    if (h) {
      const r: ParsedReport | null = cur;
      // `has overflowed its stack` is followed by `fatal runtime error: stack overflow`;
      // a panic while panicking follows the first panic: both belong to the open report.
      if (r && !curHasFrames && (h.row.id === 'overflow-fatal' || h.row.id === 'double-panic') && i - r.endLine <= 40) {
        r.endLine = i;
        if (h.row.id === 'double-panic') {
          r.facts.push({ code: 'other', text: 'A second panic happened while the first was being handled (panic while panicking): the process aborted.' });
        }
        continue;
      }
      finish();
      const rep = emptyReport('rust', i);
      const m = h.m;
      let threadName: string | null = null;
      let threadId: string | null = null;
      if (h.row.id === 'panic' || h.row.id === 'panic-old' || h.row.id === 'overflow' || h.row.id === 'double-panic') {
        threadName = m[1];
        threadId = m[2] ?? null;
      }
      let message: string | null = null;
      let file: string | null = null;
      let line: number | null = null;
      let column: number | null = null;
      let end = i;
      if (h.row.id === 'panic') {
        file = m[3];
        line = Number(m[4]);
        column = Number(m[5]);
        // The message runs until a `note:` line, `stack backtrace:` or a blank line.
        const msg: string[] = [];
        for (let j = i + 1; j < lines.length && msg.length < 50; j++) {
          const t = lines[j];
          if (t === '' || t.startsWith('note: ') || t.startsWith('stack backtrace:') || matchHeader(t)) break;
          msg.push(t);
          end = j;
        }
        message = msg.length ? msg.join('\n') : null;
      } else if (h.row.id === 'panic-old') {
        if (m[4] === undefined) {
          // A multi-line message: `panicked at 'first line` … `last line', src/x.rs:1:2`.
          const msg: string[] = [m[3]];
          for (let j = i + 1; j < lines.length && j - i <= 50; j++) {
            const t = lines[j];
            const tail = /^(.*)', ([^,]{1,1000}):(\d{1,9}):(\d{1,9})$/.exec(t.length > 4000 ? '' : t);
            if (tail) {
              msg.push(tail[1]);
              file = tail[2];
              line = Number(tail[3]);
              column = Number(tail[4]);
              end = j;
              break;
            }
            msg.push(t);
          }
          message = file ? msg.join('\n') : m[3];
        } else {
          message = m[3];
          file = m[4];
          line = Number(m[5]);
          column = Number(m[6]);
        }
      } else if (h.row.id === 'overflow') {
        message = `thread '${threadName}' has overflowed its stack`;
      } else if (h.row.id === 'overflow-fatal') {
        message = 'fatal runtime error: stack overflow';
      } else if (h.row.id === 'alloc') {
        message = l.trim();
      } else {
        message = l.trim();
      }
      rep.message = message;
      rep.kind = kindOf(h.row);
      rep.endLine = end;
      if (file != null) {
        rep.facts.push({ code: 'other', text: `panicked at ${file}:${line}:${column}`, value: `${file}:${line}:${column}` });
      }
      // Rust names threads by name (and, since 1.88, by id); allocation failures name none.
      const tid = threadId ?? threadName;
      rep.threads.push({ id: tid ?? 'unknown', name: threadName, crashed: true, state: null, frames: [] });
      rep.crashingThreadId = tid;
      cur = rep;
      i = end;
      continue;
    }
    if (cur !== null && l.startsWith('stack backtrace:')) {
      const r: ParsedReport = cur;
      if (curHasFrames) {
        finish();
        continue;
      }
      const bt = parseBacktrace(lines, i + 1);
      r.threads[0].frames = bt.frames;
      curHasFrames = true;
      r.endLine = Math.max(i, bt.next - 1);
      if (bt.frames.length === 0) {
        r.complete = false;
        r.facts.push({ code: 'truncated', text: 'The backtrace header is followed by no frames.' });
      } else if (!bt.omitted && bt.next >= lines.length) {
        // `full` ends without a note; a short trace ends with one. Cut off at the text's end?
        const last = bt.frames[bt.frames.length - 1];
        const fn = last.function ?? '';
        const ends = /(?:^_start$|^main$|__libc_start|lang_start|<unknown>|^clone3?$|start_thread|thread_start|call_once)/.test(fn) || last.function === null;
        if (!ends) {
          r.complete = false;
          r.facts.push({ code: 'truncated', text: 'The backtrace is cut off: it ends before the thread\'s start-up frames.' });
        }
      }
      i = bt.next - 1;
      continue;
    }
    if (cur !== null) {
      const r: ParsedReport = cur;
      if (l.startsWith('note: run with `RUST_BACKTRACE=1`') || l.startsWith('note: ')) {
        if (l.includes('RUST_BACKTRACE=1')) {
          r.facts.push({ code: 'other', text: 'No backtrace was printed: run with RUST_BACKTRACE=1 to get one.' });
        }
        r.endLine = i;
        continue;
      }
      if (l === '' && i - r.endLine <= 1) continue;
      if (l.startsWith('fatal runtime error:') || l.startsWith('Aborted') || l.startsWith('Segmentation fault')) {
        r.endLine = i;
        continue;
      }
      if (i - r.endLine > 2) finish();
    }
  }
  finish();
  for (const r of out) noteMissingFrames(r);
  return out;
}

function noteMissingFrames(r: ParsedReport): void {
  const t = r.threads[0];
  if (!t || t.frames.length > 0) return;
  const facts: Fact[] = r.facts;
  // Without RUST_BACKTRACE the panic still says where it happened: that location is the
  // one frame we know (its function unknown), and it is the program's own.
  const at = facts.find((f) => f.text.startsWith('panicked at ') && f.value);
  const m = at ? /^(.+):(\d+):(\d+)$/.exec(at.value!) : null;
  if (m && !/^\/rustc\/|library\/(?:core|std|alloc)\//.test(m[1])) {
    t.frames.push({ index: 0, function: null, rawFunction: null, file: m[1], line: Number(m[2]), column: Number(m[3]), inlined: false, role: 'unknown', roleHint: 'app' });
  }
  if (!facts.some((f) => f.text.includes('RUST_BACKTRACE'))) {
    facts.push({ code: 'other', text: 'The runtime printed no stack for this crash; run it under a debugger (gdb -ex run -ex bt) to see where it happened.' });
  }
}

export const rust: FormatModule = {
  id: 'rust',
  // Cheap pre-check on the raw text: no trigger, no report of this format.
  // An error from main (anyhow, eyre) has `Caused by:` alone on its line (Java's is followed by a
  // class name) or a captured backtrace.
  triggers: ['panicked', 'has overflowed its stack', 'fatal runtime error', 'memory allocation of', 'Caused by:\n', 'Caused by:\r', 'Caused by: \n', 'Caused by: \r', 'Caused by:  ', 'Caused by:\t', 'Stack backtrace:'],
  priority: 5,
  find: parseRust,
};
