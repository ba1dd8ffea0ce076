/**
 * LeakSanitizer reports (standalone `-fsanitize=leak` and the leak check at exit of ASan).
 * Takes: the cleaned document. Gives: one ParsedReport per `ERROR: LeakSanitizer: detected
 * memory leaks`: kind leak, the first direct leak's allocation stack as the crashing stack
 * (indirect leaks only when no direct one), every other leak record as an `allocated` stack
 * titled by its record line, the totals (`SUMMARY: … 43 byte(s) leaked in 4 allocation(s).`)
 * as message and facts, title `memory leak in f`.
 */
import { emptyReport, type Fact, type Frame, type ParsedReport, type Stack } from '../model.js';
import type { Doc } from '../ingest/doc.js';
import type { FormatModule } from './format.js';
import { bornCompacted, mayBuildCompacted } from './compacted.js';
import { hintRuntimeFrames, kindOf, withReason, HEADLINE_TOOLS, readFrames, readFramesLite, sanitizerLineIndex, sanitizerTitle, stripPidPrefix } from './sanitizer-frames.js';

const HEADLINE = 'ERROR: LeakSanitizer: detected memory leaks';

interface LeakRecord {
  direct: boolean;
  header: string;
  bytes: number;
  frames: Frame[];
}

const RECORD = /^(Direct|Indirect) leak of (\d{1,15}) byte\(s\) in (\d{1,12}) object\(s\) allocated from:?$/;

/**
 * One report from its headline at `start`. `lite`: built compacted (formats/compacted.ts):
 * records counted, frames made only for the top of the records that may be the primary one.
 */
function readOne(lines: string[], start: number, lite: boolean): { report: ParsedReport; next: number } {
  let startLine = start;
  if (start > 0 && /^={20,}$/.test(lines[start - 1].trim())) startLine = start - 1;
  const report = emptyReport('lsan', startLine);
  const facts: Fact[] = [];
  const records: LeakRecord[] = [];
  let summary: string | null = null;
  let liteFrames = 0;
  let end = start;
  let foreign = 0;
  let i = start + 1;
  for (; i < lines.length; i++) {
    const text = stripPidPrefix(lines[i]).trim();
    if (text === '') continue;
    if (text.startsWith('SUMMARY: ')) {
      summary = text.slice(9);
      end = i;
      i++;
      break;
    }
    if ((text.startsWith('ERROR: ') || text.startsWith('WARNING: ')) && text.includes('Sanitizer: ')) break;
    if (text.includes(' leak of ')) {
      const m = RECORD.exec(text);
      if (m) {
        const direct = m[1] === 'Direct';
        // The primary record is the first direct one, else the first.
        const counted = lite ? readFramesLite(lines, i + 1, lines.length, records.length === 0 || (direct && !records.some((r) => r.direct))) : null;
        if (counted !== null) liteFrames += counted.count;
        const { frames, next } = counted ?? readFrames(lines, i + 1, lines.length);
        hintRuntimeFrames(frames);
        records.push({ direct, header: text.replace(/:$/, ''), bytes: Number(m[2]), frames });
        end = next - 1;
        i = next - 1;
        foreign = 0;
        continue;
      }
    }
    if (text.startsWith('#') || text.startsWith('Objects leaked above') || text.startsWith('-----') ||
        text.startsWith('Suppressions used') || text.startsWith('count ') || /^\d+ /.test(text) || text.startsWith('HINT')) {
      end = i;
      foreign = 0;
      continue;
    }
    if (++foreign >= 3) break;
  }
  const primary = records.find((r) => r.direct) ?? records[0];
  const frames = primary?.frames ?? [];
  report.threads.push({ id: '0', name: null, crashed: true, state: null, frames });
  report.crashingThreadId = '0';
  for (const r of records) {
    if (r === primary) continue;
    const s: Stack = { role: 'allocated', title: r.header, frames: r.frames };
    report.stacks.push(s);
  }
  report.endLine = Math.max(end, start);
  report.complete = summary !== null;
  if (!report.complete) facts.push({ code: 'truncated', text: 'The LeakSanitizer report has no SUMMARY line: it was cut off.' });
  const direct = records.filter((r) => r.direct);
  const indirect = records.filter((r) => !r.direct);
  const sum = (rs: LeakRecord[]) => rs.reduce((a, r) => a + r.bytes, 0);
  facts.push({ code: 'other', text: `${direct.length} direct leak record(s) (${sum(direct)} bytes), ${indirect.length} indirect (${sum(indirect)} bytes).`, value: String(sum(direct) + sum(indirect)) });
  report.message = summary ?? (primary ? primary.header : HEADLINE);
  // The kind table has no leak row yet; a LeakSanitizer report is a leak by definition.
  const k = kindOf('memory leak');
  report.kind = k ? withReason(k, 'LeakSanitizer: detected memory leaks') : { kind: 'leak', confidence: 'high', reason: 'LeakSanitizer: detected memory leaks' };
  report.title = sanitizerTitle('memory leak', null, frames);
  report.facts = facts;
  if (lite) bornCompacted(report, liteFrames, frames[0]?.function ?? null);
  return { report, next: i };
}

export const lsan: FormatModule = {
  id: 'lsan',
  priority: 10,
  triggers: ['LeakSanitizer'],
  find(doc: Doc, emit?: (r: ParsedReport) => void): ParsedReport[] {
    const out: ParsedReport[] = [];
    const put = emit ?? ((r: ParsedReport) => out.push(r));
    const lines = doc.lines;
    // Only the headline lines can hold it (one shared scan finds them).
    const index = sanitizerLineIndex(doc);
    const candidates = index.headlines;
    const tool = HEADLINE_TOOLS.indexOf('LeakSanitizer');
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
      if (l.includes('LeakSanitizer') && stripPidPrefix(l).trim() === HEADLINE) {
        const r = readOne(lines, at, mayBuildCompacted(emit, emitted++, ahead));
        put(r.report);
        i = Math.max(r.next, at + 1);
      }
    }
    return out;
  },
};
