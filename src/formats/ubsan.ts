/**
 * UndefinedBehaviorSanitizer reports.
 * Takes: the cleaned document. Gives: one ParsedReport per `file:line:col: runtime error: …`
 * line — with the `#N` stack under it when UBSAN_OPTIONS=print_stacktrace=1 printed one,
 * else a one-frame stack at the reported location — plus UBSan's deadly-signal reports
 * (`ERROR: UndefinedBehaviorSanitizer: SEGV on unknown address`, via the shared reader).
 * Every check maps to kind undefined-behavior through the kind table; the check name
 * (`signed-integer-overflow`, `shift-exponent`, …) comes from the CHECKS table and makes the
 * title (`signed-integer-overflow in meter_scale`).
 */
import { emptyReport, newFrame, type ParsedReport } from '../model.js';
import type { Doc } from '../ingest/doc.js';
import type { FormatModule } from './format.js';
import { readSanitizerReports, type SanitizerSpec } from './asan.js';
import { hintRuntimeFrames, kindOf, withReason, readFrames, sanitizerLineIndex, sanitizerTitle, stripPidPrefix } from './sanitizer-frames.js';

const MARK = ': runtime error: ';

/** Message text → UBSan check name (as `-fsanitize=` names them). First match wins. */
const CHECKS: Array<{ includes: string; check: string }> = [
  { includes: 'signed integer overflow', check: 'signed-integer-overflow' },
  { includes: 'unsigned integer overflow', check: 'unsigned-integer-overflow' },
  { includes: 'negation of', check: 'signed-integer-overflow' },
  { includes: 'shift exponent', check: 'shift-exponent' },
  { includes: 'left shift of', check: 'shift-base' },
  { includes: 'division by zero', check: 'integer-divide-by-zero' },
  { includes: 'division of', check: 'signed-integer-overflow' },
  { includes: 'out of bounds for type', check: 'array-bounds' },
  { includes: 'null pointer passed as argument', check: 'nonnull-attribute' },
  { includes: 'null pointer returned from function', check: 'returns-nonnull-attribute' },
  { includes: 'null pointer', check: 'null-pointer-use' },
  { includes: 'misaligned address', check: 'alignment' },
  { includes: 'is not a valid value for type', check: 'invalid-value-load' },
  { includes: 'pointer index expression', check: 'pointer-overflow' },
  { includes: 'applying non-zero offset', check: 'pointer-overflow' },
  { includes: 'applying zero offset to null pointer', check: 'pointer-overflow' },
  { includes: 'reached an unreachable program point', check: 'unreachable' },
  { includes: 'reached the end of a value-returning function', check: 'missing-return' },
  { includes: 'variable length array bound', check: 'vla-bound' },
  { includes: 'is outside the range of representable values', check: 'float-cast-overflow' },
  { includes: 'implicit conversion', check: 'implicit-conversion' },
  { includes: 'through pointer to incorrect function type', check: 'function-type-mismatch' },
  { includes: 'does not point to an object of type', check: 'vptr' },
  { includes: 'downcast of', check: 'vptr' },
  { includes: 'upcast of', check: 'vptr' },
  { includes: 'control flow integrity check', check: 'cfi' },
  { includes: 'builtin', check: 'invalid-builtin-use' },
];

/** UBSan's deadly-signal reports, read as ASan's. */
const DEADLY: SanitizerSpec = { format: 'ubsan', tools: ['UndefinedBehaviorSanitizer'], skipHeadline: null };

const LINE_COL = /^(.{1,4096}?):(\d{1,9})(?::(\d{1,9}))?$/;

function checkName(msg: string): string {
  for (const c of CHECKS) if (msg.includes(c.includes)) return c.check;
  return 'undefined-behavior';
}

function readRuntimeErrors(doc: Doc): ParsedReport[] {
  const out: ParsedReport[] = [];
  const lines = doc.lines;
  // Only lines holding `runtime error` can start one (one shared scan finds them).
  const candidates = sanitizerLineIndex(doc).runtimeError;
  let after = -1;
  for (let c = 0; c < candidates.length; c++) {
    const i = candidates[c];
    if (i <= after) continue;
    const raw = lines[i];
    const at = raw.indexOf(MARK);
    if (at < 0) continue;
    const where = stripPidPrefix(raw.slice(0, at)).trim();
    const msg = raw.slice(at + MARK.length).trim();
    const report = emptyReport('ubsan', i);
    const check = checkName(msg);
    const m = LINE_COL.exec(where);
    const file = m ? m[1] : where && where !== '<unknown>' ? where : null;
    // `0x…: note: pointer points here`, its hex dump and the `^` marker come before the stack.
    let first = i + 1;
    for (let k = 0; k < 4 && first < lines.length; k++) {
      const t = lines[first].trim();
      if (t.includes(': note: ') || t === '^' || (t.startsWith('^') && t.length < 80) || (/^[0-9a-f]{2}(?: {1,2}[0-9a-f]{2}){3}/.test(t) && !t.includes('#'))) first++;
      else break;
    }
    let { frames, next } = readFrames(lines, first, lines.length);
    // Without a stack, the text before `: runtime error: ` must be UBSan's location
    // (`file:line[:col]`, `<unknown>`, `(module+0x…)`): a log line quoting another runtime's
    // error (`… Panic in m: runtime error: slice bounds out of range`) is not a UBSan report.
    if (frames.length === 0 && !m && where !== '' && where !== '<unknown>' && !/^\(\S{1,4096}\)$/.test(where)) continue;
    let end = next - 1;
    if (frames.length > 0) hintRuntimeFrames(frames);
    else {
      const f = newFrame(0, null);
      if (file) f.file = file;
      if (m) {
        f.line = Number(m[2]);
        if (m[3]) f.column = Number(m[3]);
      }
      f.roleHint = 'app';
      frames = [f];
      end = i;
    }
    // A SUMMARY line (after an optional blank line) closes this runtime error.
    for (let j = end + 1; j < lines.length && j <= end + 2; j++) {
      const t = stripPidPrefix(lines[j]).trim();
      if (t.startsWith('SUMMARY: UndefinedBehaviorSanitizer')) {
        end = j;
        break;
      }
      if (t !== '') break;
    }
    report.endLine = end;
    report.threads.push({ id: '0', name: null, crashed: true, state: null, frames });
    report.crashingThreadId = '0';
    report.message = `${where}${MARK}${msg}`.trim();
    const k = kindOf('runtime error:');
    if (k) report.kind = withReason(k, `UBSan ${check}: ${msg}`);
    const titled = sanitizerTitle(check, null, frames);
    report.title = titled === check && file ? `${check} in ${file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1)}` : titled;
    report.facts.push({ code: 'other', text: `UBSan check: ${check}`, value: check });
    if (frames.length === 1 && frames[0].function === null) {
      report.facts.push({ code: 'no-symbols', text: 'UBSan printed no stack (UBSAN_OPTIONS=print_stacktrace=1 shows one).' });
    }
    out.push(report);
    after = end;
  }
  return out;
}

export const ubsan: FormatModule = {
  id: 'ubsan',
  priority: 10,
  triggers: ['runtime error: ', 'UndefinedBehaviorSanitizer'],
  find(doc: Doc): ParsedReport[] {
    const errors = readRuntimeErrors(doc);
    const deadly = readSanitizerReports(doc, DEADLY);
    return [...errors, ...deadly].sort((a, b) => a.startLine - b.startLine);
  },
};
