/**
 * ThreadSanitizer reports.
 * Takes: the cleaned document. Gives: one ParsedReport per `WARNING: ThreadSanitizer: …`
 * block (between its `==================` rules): kind through the kind table (data race,
 * lock-order-inversion → deadlock, heap-use-after-free, signal-unsafe call), the first
 * access (or the first stack) as the crashing thread with its access, the other access,
 * mutex and thread-creation stacks in `stacks`, mutexes held as facts, the SUMMARY line as
 * message and a title like `data race in counter_bump`.
 *
 * Section headers are a table (SECTIONS): adding one is adding a row.
 */
import { emptyReport, type Access, type Fact, type Frame, type ParsedReport, type StackRole } from '../model.js';
import type { Doc } from '../ingest/doc.js';
import type { FormatModule } from './format.js';
import { bornCompacted, mayBuildCompacted } from './compacted.js';
import { hintRuntimeFrames, kindOf, withReason, parseAccessLine, HEADLINE_TOOLS, readFrames, readFramesLite, sanitizerLineIndex, type LiteStack, sanitizerTitle, spanIs, spanStarts, stripPidPrefix, textSpan, threadIdFrom, type TextSpan } from './sanitizer-frames.js';

const HEAD = 'WARNING: ThreadSanitizer: ';
const RULE = '==================';

type SectionRole = StackRole | 'access' | 'crash-or-lock' | 'ignore';

interface Section {
  startsWith: string;
  includes?: string;
  role: SectionRole;
}

const SECTIONS: Section[] = [
  { startsWith: 'Previous ', role: 'other-access' },
  { startsWith: 'Read of size', role: 'access' },
  { startsWith: 'Write of size', role: 'access' },
  { startsWith: 'Atomic read of size', role: 'access' },
  { startsWith: 'Atomic write of size', role: 'access' },
  { startsWith: 'Location is heap block', includes: 'allocated by', role: 'allocated' },
  { startsWith: 'Mutex M', includes: 'acquired here while holding', role: 'crash-or-lock' },
  { startsWith: 'Mutex M', includes: 'previously acquired', role: 'lock-chain' },
  { startsWith: 'Mutex M', includes: 'created at', role: 'lock-chain' },
  { startsWith: 'Mutex M', includes: 'acquired at', role: 'lock-chain' },
  { startsWith: 'Thread T', includes: 'created by', role: 'thread-created' },
  { startsWith: 'Thread T', includes: 'created at', role: 'thread-created' },
];

function section(text: string): Section | null {
  for (const s of SECTIONS) if (text.startsWith(s.startsWith) && (s.includes === undefined || text.includes(s.includes))) return s;
  return null;
}

/**
 * One report from its headline at `start`. `lite`: built compacted (formats/compacted.ts):
 * stacks counted, frames made only for the crashing stack's top.
 */
function readOne(lines: string[], start: number, lite: boolean): { report: ParsedReport; next: number } {
  const startLine = start > 0 && stripPidPrefix(lines[start - 1]).trim() === RULE ? start - 1 : start;
  const report = emptyReport('tsan', startLine);
  const facts: Fact[] = [];
  const head = stripPidPrefix(lines[start]).trim().slice(HEAD.length);
  const pid = head.lastIndexOf(' (pid=');
  const cls = (pid > 0 ? head.slice(0, pid) : head).trim();
  const shortCls = cls.replace(/ \(.*\)$/, '');
  let summary: string | null = null;
  let access: Access | null = null;
  let crashThread: string | null = null;
  let crashFrames: Frame[] | null = null;
  let pending: { role: SectionRole; title: string; thread: string | null } | null = null;
  let liteFrames = 0;
  let end = start;
  let closed = false;
  let foreign = 0;
  // Each line's text (no `==pid==` prefix, trimmed) is a span of the line: it becomes a
  // string only for the lines that are no frames.
  const span: TextSpan = { start: 0, end: 0 };
  let i = start + 1;
  for (; i < lines.length; i++) {
    const raw = lines[i];
    textSpan(raw, span);
    if (spanIs(raw, span, RULE)) {
      if (summary !== null) {
        end = i;
        closed = true;
        i++;
        break;
      }
      continue;
    }
    if (spanStarts(raw, span, HEAD)) break;
    if (span.start === span.end) continue;
    if (spanStarts(raw, span, 'SUMMARY: ')) {
      summary = raw.slice(span.start + 9, span.end);
      end = i;
      continue;
    }
    if (summary !== null) break;
    if (raw.charCodeAt(span.start) === 35) {
      const role: SectionRole = pending?.role ?? 'access';
      const crash: boolean = (role === 'access' || role === 'crash-or-lock') && crashFrames === null;
      const counted: LiteStack | null = lite ? readFramesLite(lines, i, lines.length, crash) : null;
      const { frames, next }: { frames: Frame[]; next: number } = counted ?? readFrames(lines, i, lines.length);
      if (counted !== null ? counted.count === 0 : frames.length === 0) continue;
      if (counted !== null && role !== 'ignore') liteFrames += counted.count;
      end = next - 1;
      i = next - 1;
      hintRuntimeFrames(frames);
      if ((role === 'access' || role === 'crash-or-lock') && crashFrames === null) {
        crashFrames = frames;
        crashThread = pending?.thread ?? crashThread;
      } else if (role !== 'ignore') {
        const r: StackRole = role === 'access' || role === 'crash-or-lock' ? (role === 'crash-or-lock' ? 'lock-chain' : 'other-access') : role;
        const asFree = r === 'other-access' && shortCls.startsWith('heap-use-after-free');
        report.stacks.push({ role: asFree ? 'freed' : r, ...(pending?.thread ? { thread: pending.thread } : {}), ...(pending ? { title: pending.title } : {}), frames });
      }
      pending = null;
      continue;
    }
    const text = raw.slice(span.start, span.end);
    if (raw.startsWith(' ') || raw.startsWith('\t') || text.startsWith('Mutex') || text.startsWith('Thread') || text.startsWith('Location') || text.startsWith('Cycle')) {
      foreign = 0;
      end = i;
      const s = section(text);
      if (s) {
        let thread: string | null;
        if (s.role === 'thread-created') thread = threadIdFrom(' ' + text.slice(7, text.indexOf(' ', 8) > 0 ? text.indexOf(' ', 8) : undefined));
        else thread = threadIdFrom(text);
        pending = { role: s.role, title: text.replace(/:$/, ''), thread };
        if (s.role === 'access' && access === null) {
          const a = parseAccessLine(text);
          if (a) access = a.access;
        }
        const mx = /\(mutexes: ([^)]{1,200})\)/.exec(text);
        if (mx) facts.push({ code: 'other', text: `Mutexes held: ${mx[1]}`, value: mx[1] });
      } else if (text.startsWith('Location is') || text.startsWith('Cycle in lock order graph')) {
        facts.push({ code: 'other', text });
      } else {
        pending = { role: 'ignore', title: text, thread: null };
      }
      continue;
    }
    if (++foreign >= 3) break;
  }
  const frames = crashFrames ?? [];
  const tid = crashThread ?? '0';
  report.threads.push({ id: tid, name: null, crashed: true, state: null, frames });
  report.crashingThreadId = tid;
  report.access = access;
  report.endLine = Math.max(end, start);
  report.complete = summary !== null;
  if (!closed && summary === null) facts.push({ code: 'truncated', text: 'The ThreadSanitizer report has no SUMMARY line: it was cut off.' });
  report.message = summary ?? `ThreadSanitizer: ${cls}`;
  const k = kindOf(shortCls);
  if (k) report.kind = withReason(k, `ThreadSanitizer: ${cls}`);
  else facts.push({ code: 'other', text: `ThreadSanitizer class with no kind: ${cls}` });
  const isRace = shortCls.startsWith('data race');
  report.title = sanitizerTitle(shortCls, access, frames, !isRace && shortCls.includes('use-after-free'));
  report.facts = facts;
  if (lite) bornCompacted(report, liteFrames, frames[0]?.function ?? null);
  return { report, next: i };
}

export const tsan: FormatModule = {
  id: 'tsan',
  priority: 10,
  triggers: ['ThreadSanitizer'],
  find(doc: Doc, emit?: (r: ParsedReport) => void): ParsedReport[] {
    const out: ParsedReport[] = [];
    const put = emit ?? ((r: ParsedReport) => out.push(r));
    const lines = doc.lines;
    // Only the headline lines can hold one (one shared scan finds them).
    const index = sanitizerLineIndex(doc);
    const candidates = index.headlines;
    const tool = HEADLINE_TOOLS.indexOf('ThreadSanitizer');
    // Headlines not yet reached, reports handed over (past the first few, compacted ones).
    let ahead = 0;
    for (let c = 0; c < candidates.length; c++) if (index.tools[c] === tool) ahead++;
    let emitted = 0;
    let i = 0;
    for (let c = 0; c < candidates.length; c++) {
      const at = candidates[c];
      if (index.tools[c] !== tool) continue;
      ahead--;
      if (at < i) continue;
      const l = lines[at];
      if (l.includes('ThreadSanitizer: ') && stripPidPrefix(l).trim().startsWith(HEAD)) {
        const r = readOne(lines, at, mayBuildCompacted(emit, emitted++, ahead));
        put(r.report);
        i = Math.max(r.next, at + 1);
      }
    }
    return out;
  },
};
