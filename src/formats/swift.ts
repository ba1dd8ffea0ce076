/**
 * Swift runtime traps: `Fatal error: …` messages with the stack the runtime prints
 * (`Current stack trace:` on Linux before 5.9, the 5.9+ backtracer's `Program crashed`).
 * Takes: the cleaned document. Gives: one report per trap: message, kind, the crashing
 * thread's frames innermost first, the trap location as a fact.
 *
 *   ledgerd/Ledger.swift:42: Fatal error: Unexpectedly found nil while unwrapping an Optional value
 *   💣 Program crashed: Illegal instruction at 0x00005555555564f4
 *   Thread 0 "main" crashed:
 *   0 0x00005555555564f4 Ledger.load(name:) + 116 in ledgerd at /src/Sources/ledgerd/Ledger.swift:42:17
 *   1 [ra] 0x0000555555556a10 static Main.main() + 64 in ledgerd at /src/Sources/ledgerd/main.swift:8:5
 *
 * Older form: `Fatal error: Index out of range: file Swift/ContiguousArrayBuffer.swift, line 580`
 * then `Current stack trace:` and `N  libswiftCore.so  0x…  swift_reportError + 50` lines.
 */
import type { Frame, ParsedReport } from '../model.js';
import { emptyReport, newFrame } from '../model.js';
import type { Doc } from '../ingest/doc.js';
import type { FormatModule } from './format.js';
import { kindForClass } from '../diagnose/kind-table.js';
import { linesAreSubstrings, rawIncludes } from '../ingest/clean.js';

/**
 * Frames of the Swift runtime's trap machinery (there is no swift rule pack yet, so the
 * format gives them as role hints): reporting functions are crash-handling, the rest of
 * libswiftCore is runtime.
 */
const TRAP_FUNCTIONS = ['swift_reportError', '_swift_stdlib_reportFatalError', '_swift_stdlib_reportFatalErrorInFile', '_assertionFailure', '_fatalErrorMessage', 'fatalError', 'preconditionFailure', 'assertionFailure', '_swift_runtime_on_report', 'swift_unexpectedError'];

function hintRole(f: Frame): void {
  const fn = f.function ?? '';
  if (TRAP_FUNCTIONS.some((t) => fn === t || fn.startsWith(t + '('))) f.roleHint = 'crash-handling';
  else if (f.module && /^libswift\w{0,40}\.(so|dylib)/.test(f.module) && !f.roleHint) f.roleHint = 'runtime';
}

const OLD_FRAME_RE = /^(\d{1,5}) {1,12}(\S{1,300}) {1,40}(0x[0-9a-f]{1,16}) (.{1,4000}?)(?: \+ (\d{1,12}))?$/;
const NEW_FRAME_RE = /^(\d{1,5})((?: \[[a-z]{1,12}\]){0,4}) (0x[0-9a-f]{1,16}) (.{1,4000})$/;
const CRASHED_RE = /^Thread (\d{1,6})(?: "([^"]{0,200})")? crashed:$/;

/** `Ledger.load(name:) + 116 in ledgerd at /src/Ledger.swift:42:17` → a frame. */
function parseNewFrame(m: RegExpExecArray, index: number): Frame {
  let rest = m[4];
  let file: string | null = null;
  let line: number | null = null;
  let column: number | null = null;
  const at = rest.lastIndexOf(' at ');
  if (at > 0) {
    const loc = rest.slice(at + 4);
    rest = rest.slice(0, at);
    const parts = loc.split(':');
    const nums: number[] = [];
    while (parts.length > 1 && /^\d{1,9}$/.test(parts[parts.length - 1]) && nums.length < 2) nums.unshift(Number(parts.pop()));
    file = parts.join(':');
    line = nums[0] ?? null;
    column = nums[1] ?? null;
  }
  let module: string | null = null;
  const inAt = rest.lastIndexOf(' in ');
  if (inAt > 0) {
    module = rest.slice(inAt + 4).trim();
    rest = rest.slice(0, inAt);
  }
  const plus = rest.lastIndexOf(' + ');
  if (plus > 0 && /^\d{1,12}$/.test(rest.slice(plus + 3))) rest = rest.slice(0, plus);
  const raw = rest.trim();
  let fn = raw.replace(/^(?:static |@objc |specialized |merged |closure #\d{1,4} in )+/, '');
  const paren = fn.indexOf('(');
  if (paren > 0) fn = fn.slice(0, paren);
  const f = newFrame(index, raw === '<unknown>' || raw === '' ? null : fn);
  f.rawFunction = raw || null;
  f.address = m[3];
  f.module = module;
  f.file = file;
  f.line = line;
  f.column = column;
  if (m[2].includes('[system]')) f.roleHint = 'runtime';
  if (m[2].includes('[thunk]')) f.roleHint = 'plumbing';
  if (m[2].includes('[inlined]')) f.inlined = true;
  return f;
}

export function parseSwift(doc: Doc): ParsedReport[] {
  const lines = doc.lines;
  const out: ParsedReport[] = [];
  let i = 0;
  // Each marker is searched for on every line only when the text holds it (both are
  // triggers: the whole-text lookup is already done), and the second only when needed.
  const exact = linesAreSubstrings(doc);
  const mayFatal = !exact || rawIncludes(doc, 'Fatal error: ');
  const mayCrash = !exact || rawIncludes(doc, 'Program crashed: ');
  while (i < lines.length) {
    const l = lines[i];
    const fe = mayFatal ? l.indexOf('Fatal error: ') : -1;
    if (!(fe === 0 || (fe >= 2 && l.startsWith(': ', fe - 2))) && !(mayCrash && l.includes('Program crashed: '))) {
      i++;
      continue;
    }
    const rep = emptyReport('swift', i);
    let j = i;
    let end = i;
    if (fe >= 0) {
      let msg = l.slice(fe + 13).trim();
      // Trap location: `path:line: Fatal error: …` (5.x) or `…: file path, line N` (older).
      let where: string | null = null;
      if (fe > 0) where = l.slice(0, fe - 2);
      const fileAt = msg.lastIndexOf(': file ');
      if (fileAt > 0) {
        const lm = /^(.{1,2000}), line (\d{1,9})$/.exec(msg.slice(fileAt + 7));
        if (lm) {
          where = `${lm[1]}:${lm[2]}`;
          msg = msg.slice(0, fileAt);
        }
      }
      rep.message = `Fatal error: ${msg}`;
      const k = kindForClass(msg);
      rep.kind = k && (k.kind === 'null-deref' || k.kind === 'oom' || k.kind === 'stack-overflow')
        ? { ...k, reason: `Swift: ${msg}` }
        : { kind: 'panic', confidence: 'high', reason: `Swift runtime trap: ${msg}` };
      if (where) rep.facts.push({ code: 'other', text: `trapped at ${where}`, value: where });
      j = i + 1;
    }
    const frames: Frame[] = [];
    let threadId: string | null = null;
    let threadName: string | null = null;
    let inStack = false;
    for (; j < lines.length && j - end <= 6; j++) {
      const t = lines[j].trim();
      if (t.startsWith('Current stack trace:')) {
        inStack = true;
        end = j;
        continue;
      }
      if (t.includes('Program crashed: ')) {
        if (!rep.kind) {
          const what = t.slice(t.indexOf('Program crashed: ') + 17);
          rep.message = `Program crashed: ${what}`;
          const k = kindForClass(what);
          rep.kind = k ? { ...k, reason: `Swift: ${what}` } : { kind: 'panic', confidence: 'medium', reason: `Swift: ${what}` };
        }
        end = j;
        continue;
      }
      const cm = CRASHED_RE.exec(t);
      if (cm) {
        threadId = cm[1];
        threadName = cm[2] ?? null;
        inStack = true;
        end = j;
        continue;
      }
      if (inStack && t !== '') {
        const nm = NEW_FRAME_RE.exec(t.length > 5000 ? t.slice(0, 5000) : t);
        if (nm) {
          const f = parseNewFrame(nm, frames.length);
          hintRole(f);
          frames.push(f);
          end = j;
          continue;
        }
        const om = OLD_FRAME_RE.exec(t.length > 5000 ? t.slice(0, 5000) : t);
        if (om) {
          const sym = om[4].trim();
          const paren = sym.indexOf('(');
          const f = newFrame(frames.length, sym === '<unavailable>' ? null : paren > 0 ? sym.slice(0, paren) : sym);
          f.rawFunction = sym === '<unavailable>' ? null : sym;
          f.module = om[2];
          f.address = om[3];
          hintRole(f);
          frames.push(f);
          end = j;
          continue;
        }
        if (frames.length > 0) break;
      }
      if (t.startsWith('Thread ') && frames.length > 0) break;
    }
    // The shell's report of the trap signal right after the stack belongs to this report.
    for (let k = end + 1; k < lines.length && k <= end + 2; k++) {
      const t = lines[k].trim();
      const sm = /^(Illegal instruction|Trace\/breakpoint trap|Segmentation fault|Aborted)(?: \(core dumped\))?$/.exec(t);
      if (sm) {
        const names: Record<string, { name: string; number: number }> = {
          'Illegal instruction': { name: 'SIGILL', number: 4 },
          'Trace/breakpoint trap': { name: 'SIGTRAP', number: 5 },
          'Segmentation fault': { name: 'SIGSEGV', number: 11 },
          Aborted: { name: 'SIGABRT', number: 6 },
        };
        rep.signal = names[sm[1]];
        end = k;
        break;
      }
      if (t !== '') break;
    }
    rep.endLine = end;
    const id = threadId ?? '0';
    rep.threads.push({ id, name: threadName, crashed: true, state: null, frames });
    rep.crashingThreadId = threadId;
    if (frames.length === 0) rep.facts.push({ code: 'other', text: 'The runtime printed no stack; run with SWIFT_BACKTRACE=enable=yes (Swift 5.9+) or under a debugger.' });
    out.push(rep);
    i = Math.max(end + 1, i + 1);
  }
  return out;
}

export const swift: FormatModule = {
  id: 'swift',
  // Cheap pre-check on the raw text: no trigger, no report of this format.
  triggers: ['Fatal error: ', 'Program crashed: '],
  // Below the platform crash reports (Apple .ips/.crash quote the same `Fatal error:` line
  // and carry the full symbolicated stack): a Swift report stands alone only on Linux.
  priority: -5,
  find: parseSwift,
};
