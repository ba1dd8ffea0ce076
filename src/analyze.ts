/**
 * The library entry: `analyze(text, options) → Analysis | AnalysisError`.
 * Takes: crash text (string or bytes) and options. Gives: one result, per DESIGN's
 * pipeline: ingest → detect (formats) → roles → diagnose → signature → context.
 * Never throws for any input; an internal failure becomes an `internal` error result.
 */
import { SCHEMA_ID, type Analysis, type AnalysisError, type Frame, type ParsedReport, type ReportSummary } from './model.js';
import { clean } from './ingest/clean.js';
import { detect, restoreFrames, topFunction } from './detect.js';
import { rulesForReport, type RuleSet } from './rules/load.js';
import { assignRoles } from './rules/roles.js';
import { diagnose } from './diagnose/index.js';
import { makeSignature } from './signature/signature.js';
import type { FrameRule } from './rules/pack.js';
import { buildContext, type PathMapping } from './context/index.js';
import { demangleReport } from './frames/demangle-frames.js';
import { forEachFrameArray } from './frames/frame-arrays.js';

export interface AnalyzeOptions {
  /** The input's name as given (`-` for stdin); echoed in `input`. */
  input?: string;
  /** 1-based report number to analyse instead of the last complete one. */
  pick?: number;
  /** Extra frame rules (a project's `.crashlens.yml`), consulted before the packs. */
  projectRules?: FrameRule[];
  /** Frames the signature keeps (default 3). */
  signatureFrames?: number;
  /** Function globs the signature leaves out (`.crashlens.yml` `ignore`). */
  signatureIgnore?: string[];
  /** A compiled rule set to use instead of the default packs. */
  rules?: RuleSet;
  /**
   * Source context (the only step that reads files and runs git): `source` is the tree,
   * else the git checkout holding `inputPath`'s folder when the frames resolve there.
   */
  context?: { source?: string; inputPath?: string; pathMap?: PathMapping[]; contextLines?: number; git?: boolean } | false;
}

export function isError(r: Analysis | AnalysisError): r is AnalysisError {
  return (r as AnalysisError).error !== undefined;
}

export function errorResult(input: string, code: AnalysisError['error']['code'], message: string): AnalysisError {
  return { schema: SCHEMA_ID, input, error: { code, message } };
}

/**
 * Every frame of the report, each frames array once: a dump's threads of one stack may
 * share their array (Go goroutines, groups), and roles need each frame once.
 */
function allFrames(r: ParsedReport): Frame[] {
  const out: Frame[] = [];
  forEachFrameArray(r, (frames) => {
    for (let k = 0; k < frames.length; k++) out.push(frames[k]);
  });
  return out;
}

function headline(r: ParsedReport): string {
  if (r.title) return r.title;
  // one line in a list: a message's line breaks and runs of blanks become one space
  if (r.message) return r.message.slice(0, 160).replace(/\s+/g, ' ').trim();
  const top = topFunction(r);
  const sig = r.signal ? `${r.signal.name} ` : '';
  return `${sig}${top ? `in ${top}` : ''}`.trim() || r.format;
}

export function summarize(reports: ParsedReport[], picked: number): ReportSummary[] {
  return reports.map((r, i) => ({
    number: i + 1,
    format: r.format,
    startLine: r.startLine + 1,
    endLine: r.endLine + 1,
    complete: r.complete,
    headline: headline(r),
    picked: i === picked,
  }));
}

function rulesFor(options: AnalyzeOptions, report: ParsedReport, frames: Frame[]): RuleSet {
  if (options.rules) return options.rules;
  const names = new Set<string>();
  for (const f of frames) if (f.function) names.add(f.function);
  return rulesForReport(report.format, names, options.projectRules ?? []);
}

export function analyze(text: string | Uint8Array, options: AnalyzeOptions = {}): Analysis | AnalysisError {
  const input = options.input ?? '-';
  try {
    return analyzeUnsafe(text, options);
  } catch (err) {
    if (process.env.CRASHLENS_DEBUG) console.error(err);
    return errorResult(input, 'internal', `internal error: ${(err as Error)?.message ?? String(err)}`.slice(0, 300));
  }
}

function analyzeUnsafe(text: string | Uint8Array, options: AnalyzeOptions): Analysis | AnalysisError {
  const input = options.input ?? '-';
  const doc = clean(text);
  const det = detect(doc, undefined, options.pick);
  if (det.reports.length === 0) {
    return errorResult(input, 'no-crash', 'no crash or backtrace found in the input');
  }
  if (det.picked < 0) {
    return errorResult(input, 'no-crash', `there is no report ${options.pick}: the input holds ${det.reports.length} (see --list)`);
  }
  const report = det.reports[det.picked];
  restoreFrames(doc, report);
  // Mangled names (backtrace_symbols, tombstones, valgrind --demangle=no) read as a person writes them.
  demangleReport(report);
  const frames = allFrames(report);
  const rules = rulesFor(options, report, frames);
  assignRoles(frames, rules);
  const d = diagnose(report, rules);
  const f = d.facts;
  const signature = makeSignature({
    kind: d.kind,
    format: report.format,
    frames: f.frames,
    crashIndex: f.crashIndex,
    exceptionType: report.exception ? rootType(report) : null,
    title: d.title,
    count: options.signatureFrames,
    ignore: options.signatureIgnore,
  });
  const formats = [...new Set(det.reports.map((r) => r.format))];
  const analysis: Analysis = {
    schema: SCHEMA_ID,
    input,
    format: report.format,
    formats,
    kind: d.kind,
    confidence: d.confidence,
    title: d.title,
    signal: report.signal,
    access: report.access,
    message: report.message,
    assertion: report.assertion,
    exception: report.exception,
    crashingThread: d.crashingThread,
    // A thread whose flag is already right is kept as it is (no copy per goroutine of a dump).
    threads: report.threads.map((t) => {
      const crashed = d.crashingThread !== null && t.id === d.crashingThread.id && t === f.thread;
      return t.crashed === crashed ? t : { ...t, crashed };
    }),
    stacks: report.stacks,
    groups: report.groups,
    topFrame: d.topFrame,
    crashFrame: d.crashFrame,
    blameFrame: d.blameFrame,
    signature,
    evidence: d.evidence,
    causes: d.causes,
    nextSteps: d.nextSteps,
    quality: d.quality,
    reports: summarize(det.reports, det.picked),
  };
  if (options.context) {
    const ctx = buildContext(analysis, { ...options.context, sourceLine: report.sourceLine });
    if (ctx) analysis.context = ctx;
  }
  return analysis;
}

/** The root cause's type: the innermost of an explicit chain (DESIGN, `exception`). */
function rootType(r: ParsedReport): string {
  const e = r.exception!;
  if (r.format === 'python') return e.type;
  return e.causes.length > 0 ? e.causes[e.causes.length - 1].type : e.type;
}
