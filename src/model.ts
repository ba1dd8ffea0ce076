/**
 * The one typed model every stage shares (DESIGN.md, "The model").
 * Takes: nothing. Gives: the types of frames, threads, stacks, parsed reports and the
 * `Analysis` contract that the JSON output mirrors field for field.
 *
 * Field names here are a contract read by other tools: change them only with the schema
 * (schema/analysis.schema.json) and the `schema` version.
 */

export const SCHEMA_ID = 'crashlens/analysis@1';

export type Role = 'app' | 'library' | 'runtime' | 'crash-handling' | 'plumbing' | 'unknown';

export type CrashKind =
  | 'null-deref' | 'segv' | 'abort' | 'assertion' | 'use-after-free' | 'double-free'
  | 'invalid-free' | 'heap-overflow' | 'stack-buffer-overflow' | 'global-buffer-overflow'
  | 'heap-corruption' | 'stack-overflow' | 'stack-smashing' | 'fpe' | 'illegal-instruction'
  | 'bus-error' | 'uninitialized-value' | 'undefined-behavior' | 'data-race' | 'deadlock'
  | 'hang' | 'leak' | 'oom' | 'panic' | 'uncaught-exception' | 'kernel-bug'
  | 'kernel-warning' | 'snapshot' | 'unknown';

export type Confidence = 'high' | 'medium' | 'low';

export interface Local {
  name: string;
  value: string;
}

export interface Frame {
  /** 0 = where execution stopped (innermost), whatever order the format printed. */
  index: number;
  /** Demangled, as a reader wants it; null when the tool printed no symbol (`??`). */
  function: string | null;
  /** The name exactly as printed (mangled or not). */
  rawFunction: string | null;
  /** gdb's argument text when shown, without the surrounding parentheses. */
  args?: string | null;
  address?: string | null;
  /** Binary, shared library, crate, package or kernel module. */
  module?: string | null;
  file?: string | null;
  line?: number | null;
  column?: number | null;
  inlined: boolean;
  role: Role;
  explanation?: string;
  /** With --source: the file relative to the source root and the line. */
  location?: { file: string; line: number };
  /** `bt full` locals block, when printed. (crashlens addition to DESIGN's Frame.) */
  locals?: Local[];
  /** A role the format itself knows (e.g. `<signal handler called>`), used after rule packs. */
  roleHint?: Role;
  /** Breakpad/minidump frame trust, kernel `?` unreliable marker and the like. */
  trust?: string;
  /**
   * The return address as an offset into `module` (`0x12c4`), when the tool printed one
   * (systemd-coredump's `(tallyd + 0x12c4)`): what addr2line takes for a position-independent
   * binary, whose runtime address differs every run. (crashlens addition to DESIGN's Frame.)
   */
  moduleOffset?: string;
}

export interface Thread {
  /** The number the tool names the thread by, as a string ("5" for gdb's `Thread 5`). */
  id: string;
  name: string | null;
  /** OS thread id when shown (gdb's `LWP 1234`). */
  lwp?: string | null;
  crashed: boolean;
  /** Waiting state for dumps (`chan receive`, `BLOCKED`), else null. */
  state: string | null;
  frames: Frame[];
}

export type StackRole =
  | 'freed' | 'allocated' | 'other-access' | 'thread-created' | 'origin' | 'lock-chain'
  | 'goroutine-created' | 'suppressed';

export interface Stack {
  role: StackRole;
  thread?: string;
  /** Free text the report gave the stack ("previously allocated by thread T0 here:"). */
  title?: string;
  frames: Frame[];
}

export interface Group {
  count: number;
  state: string | null;
  /** Thread or goroutine ids folded into this group. */
  ids?: string[];
  frames: Frame[];
}

export interface Signal {
  name: string;
  number?: number;
  code?: string;
  faultAddress?: string;
}

export interface Access {
  type: 'read' | 'write' | 'free' | 'call' | 'unknown';
  size?: number;
  address?: string;
}

export interface Assertion {
  expression: string;
  file: string | null;
  line: number | null;
  function: string | null;
}

export interface ExceptionInfo {
  type: string;
  message: string | null;
  causes: Array<{ type: string; message: string | null }>;
}

export interface Evidence {
  id: string;
  text: string;
  /** Index of the frame (in the crashing stack) the fact was read from. */
  frame?: number;
}

export interface Cause {
  title: string;
  confidence: Confidence;
  evidence: string[];
}

export interface NextStep {
  text: string;
  command?: string;
}

export interface QualityNote {
  text: string;
}

export interface Signature {
  version: number;
  text: string;
  id: string;
}

export interface SnippetLine {
  number: number;
  text: string;
  crash: boolean;
}

export interface Owner {
  name: string;
  email: string | null;
  role: string;
  source: 'MAINTAINERS' | 'CODEOWNERS';
  section: string | null;
}

export interface Context {
  root: string;
  snippet: { file: string; startLine: number; lines: SnippetLine[] } | null;
  function: { name: string; doc: string | null } | null;
  blame: { commit: string; author: string; email: string; date: string; summary: string } | null;
  suspects: Array<{ commit: string; author: string; date: string; summary: string; reason: string }>;
  owners: Owner[];
  /** What limited the context (no git, shallow clone, file not found). */
  notes?: string[];
}

export interface BlameFrame {
  frame: Frame;
  reason: string;
}

export interface Analysis {
  schema: typeof SCHEMA_ID;
  input: string;
  format: string;
  formats: string[];
  kind: CrashKind;
  confidence: Confidence;
  title: string;
  signal: Signal | null;
  access: Access | null;
  message: string | null;
  assertion: Assertion | null;
  exception: ExceptionInfo | null;
  crashingThread: { id: string; name: string | null } | null;
  threads: Thread[];
  stacks: Stack[];
  groups: Group[];
  topFrame: Frame | null;
  crashFrame: Frame | null;
  blameFrame: BlameFrame | null;
  signature: Signature;
  evidence: Evidence[];
  causes: Cause[];
  nextSteps: NextStep[];
  quality: QualityNote[];
  context?: Context;
  /** Every report found in the input, in order (what `--list` shows); the analysed one is `picked`. */
  reports?: ReportSummary[];
}

export interface ReportSummary {
  number: number;
  format: string;
  startLine: number;
  endLine: number;
  complete: boolean;
  headline: string;
  picked: boolean;
}

export interface AnalysisError {
  schema: typeof SCHEMA_ID;
  input: string;
  error: { code: 'no-crash' | 'unreadable' | 'internal'; message: string };
}

/**
 * What a format module gives: the facts it read, before diagnosis. Frames carry
 * `role: 'unknown'` (or a `roleHint`) until the roles stage assigns them.
 */
export interface ParsedReport {
  format: string;
  /** First and last line (0-based, inclusive) of the report in the cleaned text. */
  startLine: number;
  endLine: number;
  /** False when the text was cut off (no end marker where one was due). */
  complete: boolean;
  threads: Thread[];
  /** Id of the thread the report marks as crashed; null = let diagnosis decide. */
  crashingThreadId: string | null;
  stacks: Stack[];
  groups: Group[];
  signal: Signal | null;
  access: Access | null;
  message: string | null;
  assertion: Assertion | null;
  exception: ExceptionInfo | null;
  /** A kind the format determined itself (sanitizer class, kernel header, panic). */
  kind: { kind: CrashKind; confidence: Confidence; reason: string } | null;
  /** A title the format builds itself (kernel reports, sanitizers); else diagnosis builds one. */
  title: string | null;
  /** Facts the parser saw that diagnosis turns into evidence or quality notes. */
  facts: Fact[];
  /** The source line the debugger printed at the stop (`608\t    assert(...)`). */
  sourceLine: { line: number; text: string } | null;
  /**
   * Index into the crashing thread's frames of the frame the format itself holds guilty
   * (a kernel hang's dispatched function, as syzkaller picks it); used as the crash frame
   * instead of DESIGN's generic rule when set.
   */
  crashFrameHint?: number | null;
}

/** A fact seen by a parser: `code` is from the FactCode table, `text` a human sentence. */
export interface Fact {
  code: FactCode;
  text: string;
  frame?: number;
  value?: string;
}

export type FactCode =
  | 'corrupt-stack'      // gdb "Backtrace stopped: previous frame inner to this frame (corrupt stack?)"
  | 'backtrace-stopped'  // any other "Backtrace stopped:" reason
  | 'truncated'          // the report was cut off
  | 'no-symbols'         // frames without names
  | 'optimized-out'      // <optimized out> values
  | 'signal-handler'     // <signal handler called> frame
  | 'heap-message'       // glibc malloc/free diagnostics
  | 'fortify'            // *** buffer overflow detected *** and friends
  | 'stack-smashing'     // *** stack smashing detected ***
  | 'terminate'          // terminate called after throwing ...
  | 'pure-virtual'       // pure virtual method called
  | 'shell-signal'       // "Segmentation fault (core dumped)" from the shell
  | 'breakpoint'         // stopped at a breakpoint / SIGINT / SIGTRAP: a snapshot
  | 'blocked-threads'    // threads waiting on locks (deadlock pattern)
  | 'core-file'          // "Core was generated by ..."
  | 'program'            // the program / command line
  | 'other';

export function emptyReport(format: string, startLine: number): ParsedReport {
  return {
    format,
    startLine,
    endLine: startLine,
    complete: true,
    threads: [],
    crashingThreadId: null,
    stacks: [],
    groups: [],
    signal: null,
    access: null,
    message: null,
    assertion: null,
    exception: null,
    kind: null,
    title: null,
    facts: [],
    sourceLine: null,
  };
}

export function newFrame(index: number, fn: string | null): Frame {
  return { index, function: fn, rawFunction: fn, inlined: false, role: 'unknown' };
}
