/**
 * Detection: which reports the text holds, and which one is analysed.
 * Takes: the cleaned document and an optional `--pick N`. Gives: every report found, in
 * text order (what `--list` shows), and the one picked: the reporter's own, the last
 * complete report with frames, unless `pick` names another (DESIGN, "Results").
 *
 * Runs every format module of the table, drops overlapping reports of lower priority,
 * and merges the messages programs print as they die (assertion lines, glibc heap
 * messages) into the backtrace they precede.
 */
import type { ParsedReport } from './model.js';
import type { Doc } from './ingest/doc.js';
import { FORMATS } from './formats/index.js';
import { activeRows, applyMessages, MESSAGE_MARKERS, messageLines, scanMessages } from './formats/messages.js';
import { prefetchRaw, rawIncludes, registerRawStrings } from './ingest/clean.js';
import type { FormatModule } from './formats/format.js';
import { bornCompacted, COMPACT_AFTER, compacted, KEEP_FULL } from './formats/compacted.js';

export interface Detection {
  reports: ParsedReport[];
  /** Index into `reports` of the analysed report, or -1 when there is none. */
  picked: number;
}

function frameCount(r: ParsedReport): number {
  const c = compacted.get(r);
  if (c !== undefined) return c.frames;
  // Indexed loops: a goroutine dump holds tens of thousands of threads.
  let n = 0;
  for (let k = 0; k < r.threads.length; k++) n += r.threads[k].frames.length;
  for (let k = 0; k < r.stacks.length; k++) n += r.stacks[k].frames.length;
  for (let k = 0; k < r.groups.length; k++) n += r.groups[k].frames.length;
  return n;
}

/** How many lines apart two reports may start and end to be one crash printed twice. */
const ADJACENT = 8;
const SANITIZER_FORMATS = new Set(['asan', 'hwasan', 'msan', 'tsan', 'ubsan', 'lsan']);
const RUNTIME_FORMATS = new Set(['python', 'java', 'node', 'dotnet', 'ruby', 'php', 'rust', 'swift']);

/** A sanitizer's report of a deadly signal that names no error of its own (ABRT, TRAP). */
function isDeadlySignal(r: ParsedReport): boolean {
  return SANITIZER_FORMATS.has(r.format) && (r.kind === null || r.kind === undefined || r.kind.kind === 'abort');
}

function overlaps(a: ParsedReport, b: ParsedReport): boolean {
  return a.startLine <= b.endLine && b.startLine <= a.endLine;
}

const triggerSets = new WeakMap<FormatModule[], string[]>();
function triggerStrings(formats: FormatModule[]): string[] {
  let all = triggerSets.get(formats);
  if (!all) {
    all = [...new Set([...formats.flatMap((f) => f.triggers ?? []), ...MESSAGE_MARKERS])];
    triggerSets.set(formats, all);
  }
  return all;
}

// clean() looks these up in its own pass over the text.
registerRawStrings(triggerStrings(FORMATS));

// Compacted reports (formats/compacted.ts): past COMPACT_AFTER reports of one format, all
// but the last KEEP_FULL are kept without their frames arrays.

/** The innermost frame's function of the crashed (else first) thread, as `--list` shows it. */
export function topFunction(r: ParsedReport): string | null {
  const c = compacted.get(r);
  if (c !== undefined) return c.top;
  const top = r.threads.find((x) => x.crashed)?.frames[0] ?? r.threads[0]?.frames[0];
  return top?.function ?? null;
}

/** Drops a report's frames arrays in place (the format handed it over finished, so it is ours). */
function compact(r: ParsedReport): void {
  if (!compacted.has(r)) bornCompacted(r, frameCount(r), topFunction(r));
}

/** One format's reports as its `find` emits them; `list[0, done)` are compacted. */
interface Collector {
  list: ParsedReport[];
  done: number;
}

/** The collector of the format whose `find` runs now. */
let sink: Collector | null = null;

/**
 * The `emit` every format gets: one function for all of them (not a closure per format),
 * so a reader shared by several formats (the sanitizers') calls the same target each time
 * and V8 keeps its compiled code. Keeps all but the last few reports compacted.
 */
function collect(r: ParsedReport): void {
  const c = sink!;
  c.list.push(r);
  if (c.list.length <= COMPACT_AFTER) return;
  for (; c.done < c.list.length - KEEP_FULL; c.done++) compact(c.list[c.done]);
}

/**
 * Gives a compacted report its frames back, in place: the format parses the text again and
 * the report of the same lines lends its threads, stacks and groups (a report's messages,
 * applied by detection, stay). Rare: the analysed report is the last complete one, which is
 * kept whole, unless `--pick` or an overlap chose an earlier one.
 */
export function restoreFrames(doc: Doc, r: ParsedReport, formats: FormatModule[] = FORMATS): void {
  if (!compacted.has(r)) return;
  const f = formats.find((x) => x.id === r.format);
  if (f === undefined) return;
  let full: ParsedReport[] = [];
  try {
    full = f.find(doc);
  } catch {
    return;
  }
  const same = full.find((x) => x.startLine === r.startLine && x.endLine === r.endLine);
  if (same === undefined) return;
  r.threads = same.threads;
  r.stacks = same.stacks;
  r.groups = same.groups;
  compacted.delete(r);
}

/**
 * The report analysed when the user names none: among the reports with frames (all of
 * them when none has any), the last complete one, else the last one. Read from the end:
 * it is usually the last report, and a dense log holds thousands.
 */
function lastComplete(all: ParsedReport[]): number {
  let lastWithFrames = -1;
  for (let i = all.length - 1; i >= 0; i--) {
    if (frameCount(all[i]) === 0) continue;
    if (all[i].complete) return i;
    if (lastWithFrames < 0) lastWithFrames = i;
  }
  if (lastWithFrames >= 0) return lastWithFrames;
  for (let i = all.length - 1; i >= 0; i--) if (all[i].complete) return i;
  return all.length - 1;
}

/** A report found by a format, with that format's priority (overlaps keep the higher). */
interface Found {
  r: ParsedReport;
  priority: number;
}

/*
 * detect runs in phases, each its own function: a dense log's reports come in several
 * shapes, and a phase that meets a new one is deoptimised and compiled again. One large
 * detect was compiled again whole, several times in a row (each costing more than the
 * phase's work on a 5 MB log); a small phase costs little to compile again.
 */

/**
 * Every format's reports, in format order: the stack reports with their priorities into
 * `stacks`, the messages' reports into `messages`.
 */
function runFormats(doc: Doc, formats: FormatModule[], stacks: Found[], messages: ParsedReport[]): void {
  // Every trigger and message marker looked up in one pass over the text.
  prefetchRaw(doc, triggerStrings(formats));
  for (const f of formats) {
    if (f.triggers && doc.raw !== undefined && !f.triggers.some((t) => rawIncludes(doc, t))) continue;
    const c: Collector = { list: [], done: 0 };
    sink = c;
    try {
      // A format that takes `emit` hands each report over as it is done (and returns none).
      for (const r of f.find(doc, collect)) collect(r);
    } catch (err) {
      if (process.env.CRASHLENS_DEBUG) console.error(`crashlens: format ${f.id} failed:`, err);
      c.list.length = 0;
    } finally {
      sink = null;
    }
    const priority = f.priority ?? 0;
    for (let k = 0; k < c.list.length; k++) {
      const r = c.list[k];
      if (r.format === 'message') messages.push(r);
      else stacks.push({ r, priority });
    }
  }
}

/** The stack reports left when overlaps keep the higher priority, then the one with more frames, then the earlier. */
function keepBest(stackReports: Found[]): Found[] {
  stackReports.sort((a, b) => a.r.startLine - b.r.startLine || b.priority - a.priority);
  const kept: Found[] = [];
  for (const x of stackReports) {
    // Sorted by start: only the latest kept reports can reach this one.
    let clash = -1;
    for (let j = kept.length - 1; j >= 0 && j >= kept.length - 8; j--) {
      if (overlaps(kept[j].r, x.r)) {
        clash = j;
        break;
      }
    }
    if (clash < 0) {
      kept.push(x);
      continue;
    }
    const k = kept[clash];
    const better = x.priority > k.priority || (x.priority === k.priority && frameCount(x.r) > frameCount(k.r));
    if (better) kept[clash] = x;
  }
  return kept;
}

/**
 * The reports of `kept`. Apart from keepBest, which ends with its loop: the loop is
 * compiled while it runs (on-stack replacement) before any code after it has run, and such
 * code threw the compiled loop away on every call.
 */
function reportsOf(kept: Found[]): ParsedReport[] {
  const reports: ParsedReport[] = new Array(kept.length);
  for (let k = 0; k < kept.length; k++) reports[k] = kept[k].r;
  return reports;
}

/**
 * Applies the messages printed before a backtrace (or inside it) to it; returns the
 * message reports no report took and none overlaps (they stand as reports of their own).
 */
function attachMessages(doc: Doc, reports: ParsedReport[], messageReports: ParsedReport[]): ParsedReport[] {
  // Both lists are in line order: each report looks only at the messages in its own range
  // (binary search), and a leftover message only at the reports that start before it ends.
  const byStart = messageReports.slice().sort((a, b) => a.startLine - b.startLine);
  const firstFrom = (line: number): number => {
    let lo = 0;
    let hi = byStart.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (byStart[mid].startLine < line) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const leftover: ParsedReport[] = [];
  let prevEnd = -1;
  let prevFrom = 0;
  let prev: ParsedReport | null = null;
  const used = new Set<ParsedReport>();
  const rows = activeRows(doc);
  const messageCandidates = messageLines(doc);
  for (const r of reports) {
    let from = Math.max(prevEnd + 1, r.startLine - 400);
    // The program's own stack printout (V8's fatal-error block, a backtrace_symbols dump),
    // then at once the sanitizer's deadly signal: one crash, printed twice. The messages
    // before the printout (`Fatal process out of memory`, a failed CHECK) name its cause.
    if (prev !== null && r.startLine - prev.endLine <= ADJACENT && prev.format === 'glibc-backtrace' && (r.format === 'glibc-backtrace' || isDeadlySignal(r))) from = prevFrom;
    const hits = scanMessages(doc.lines, from, r.endLine, rows, messageCandidates);
    if (hits.length > 0) {
      applyMessages(r, hits);
      for (let k = firstFrom(from); k < byStart.length && byStart[k].startLine <= r.endLine; k++) {
        if (byStart[k].endLine <= r.endLine) used.add(byStart[k]);
      }
    }
    prevEnd = r.endLine;
    prevFrom = from;
    prev = r;
  }
  // reports[k].startLine ascends; maxEnd[k] is the furthest end among reports[0..k].
  const maxEnd: number[] = new Array(reports.length);
  for (let k = 0; k < reports.length; k++) maxEnd[k] = Math.max(k > 0 ? maxEnd[k - 1] : -Infinity, reports[k].endLine);
  const overlapsAnyReport = (m: ParsedReport): boolean => {
    // The last report starting at or before m's end; any earlier one overlaps iff the max end reaches m.
    let lo = 0;
    let hi = reports.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (reports[mid].startLine <= m.endLine) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && maxEnd[lo - 1] >= m.startLine;
  };
  for (const m of messageReports) if (!used.has(m) && !overlapsAnyReport(m)) leftover.push(m);
  return leftover;
}

/** The index in `all` of the analysed report: `pick`'s, else the default choice; -1: none. */
function pickReport(all: ParsedReport[], pick: number | undefined): number {
  if (pick !== undefined) return pick >= 1 && pick <= all.length ? pick - 1 : -1;
  if (all.length === 0) return -1;
  let picked = lastComplete(all);
  // An uncaught exception or panic, then at once a sanitizer's deadly abort (a fuzzing
  // harness such as Atheris aborts on an uncaught exception): the exception is the crash.
  const before = picked > 0 ? all[picked - 1] : null;
  if (before && RUNTIME_FORMATS.has(before.format) && before.complete && frameCount(before) > 0 && all[picked].startLine - before.endLine <= ADJACENT && isDeadlySignal(all[picked])) picked--;
  return picked;
}

export function detect(doc: Doc, formats: FormatModule[] = FORMATS, pick?: number): Detection {
  const stackReports: Found[] = [];
  const messageReports: ParsedReport[] = [];
  runFormats(doc, formats, stackReports, messageReports);
  const reports = reportsOf(keepBest(stackReports)).sort((a, b) => a.startLine - b.startLine);
  const leftover = attachMessages(doc, reports, messageReports);
  const all = [...reports, ...leftover].sort((a, b) => a.startLine - b.startLine);
  return { reports: all, picked: pickReport(all, pick) };
}
