/**
 * The context stage: what the source tree says about the crash.
 * Takes: an `Analysis` (after diagnosis: roles, crashFrame, blameFrame are set) and where
 * the source is. Gives: `Context` (DESIGN: root, snippet, function, blame, suspects,
 * owners, notes) for `blameFrame ?? crashFrame`, or null when there is no source tree.
 *
 * Side effects on the analysis (documented, the pipeline relies on them): every frame that
 * resolves to a file of the tree and is an app frame (or is the context frame) gets
 * `location = { file, line }` (relative to the root); such a frame with no `explanation`
 * gets the first sentence of its function's doc comment. Frames are mutated in place in
 * `threads`, `stacks`, `groups`, `topFrame`, `crashFrame` and `blameFrame.frame`.
 *
 * The only stage that reads files and runs git. Without `source`, the tree is the git
 * checkout that contains the input file's own folder — never the current directory — and
 * it is used only when the frames resolve there, so the output does not depend on where
 * crashlens runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Analysis, Context, Frame, Owner } from '../model.js';
import { indexTree, resolvePath, readSourceFile, pathSegments, type PathMapping, type Resolution, type TreeIndex } from './resolve.js';
import { extractSnippet, splitLines, sourceLineMatches, mismatchNote, DEFAULT_CONTEXT_LINES } from './snippet.js';
import { findEnclosingFunction, docSummary, type EnclosingFunction } from './function-doc.js';
import { runGit, repoState } from './git.js';
import { blameLine } from './blame.js';
import { findSuspects } from './suspects.js';
import { maintainersFor } from './maintainers.js';
import { codeownersFor, CODEOWNERS_LOCATIONS } from './codeowners.js';

export { parsePathMap, type PathMapping } from './resolve.js';
export { loadProjectRules, parseProjectRules, ProjectRulesError, type ProjectRules } from './project-rules.js';

export interface ContextOptions {
  /** `--source DIR`: the source root. */
  source?: string;
  /** `--path-map FROM=TO` rewrites, tried before suffix matching. */
  pathMap?: PathMapping[];
  /** The input file as given (`-` or absent for stdin): its checkout is used without `source`. */
  inputPath?: string;
  /** Lines shown on each side of the crash line (default 5). */
  contextLines?: number;
  /** The source line the debugger printed at the stop (ParsedReport.sourceLine). */
  sourceLine?: { line: number; text: string } | null;
  /** Run git for blame and suspects (default true). */
  git?: boolean;
  /** File-count bound of the tree index (default 200,000). */
  maxFiles?: number;
}

/** Frames whose doc comments are read for explanations (besides the context frame). */
const MAX_DOC_FRAMES = 12;
/** Frames resolved at most (a 50,000-frame recursion repeats the same few files). */
const MAX_FRAMES = 200_000;

export function buildContext(analysis: Analysis, opts: ContextOptions = {}): Context | null {
  const target = analysis.blameFrame?.frame ?? analysis.crashFrame;
  const notes: string[] = [];
  let index: TreeIndex;
  if (opts.source) {
    const given = path.resolve(opts.source);
    try {
      index = indexTree(given, { maxFiles: opts.maxFiles });
    } catch {
      return emptyContext(given, [`the source root ${opts.source} is not a readable directory`]);
    }
  } else {
    const top = checkoutOfInput(opts.inputPath);
    if (!top) return null;
    try {
      index = indexTree(top, { maxFiles: opts.maxFiles });
    } catch {
      return null;
    }
    if (!framesResolveIn(index, analysis, target, opts.pathMap)) return null;
  }
  notes.push(...index.notes);
  const ctx = emptyContext(index.root, notes);
  try {
    fill(ctx, analysis, target, index, opts, notes);
  } finally {
    // One note per fact, in the order found.
    ctx.notes = [...new Set(notes)];
  }
  return ctx;
}

function fill(ctx: Context, analysis: Analysis, target: Frame | null, index: TreeIndex, opts: ContextOptions, notes: string[]): void {
  const resolver = new FrameResolver(index, opts.pathMap);
  const texts = new Map<string, string[] | null>();
  const linesOf = (rel: string): string[] | null => {
    if (texts.has(rel)) return texts.get(rel)!;
    const r = readSourceFile(index, rel);
    const v = r.ok ? splitLines(r.text) : null;
    if (!r.ok) notes.push(r.reason);
    if (texts.size < 200) texts.set(rel, v);
    return v;
  };

  // Locations on every resolved app frame (and the context frame).
  for (const f of allFrames(analysis)) {
    if (f.role !== 'app' && f !== target) continue;
    const rel = resolver.fileOf(f);
    if (rel && f.line && f.line > 0) f.location = { file: rel, line: f.line };
  }

  // Doc comments → explanations: the context frame first, then the crashing stack's app frames.
  const docFrames: Frame[] = [];
  if (target) docFrames.push(target);
  for (const f of crashingStack(analysis, target)) {
    if (docFrames.length > MAX_DOC_FRAMES) break;
    if (f.role === 'app' && f !== target) docFrames.push(f);
  }
  const fnCache = new Map<string, EnclosingFunction | null>();
  const enclosing = (f: Frame): EnclosingFunction | null => {
    const rel = resolver.fileOf(f);
    if (!rel || !f.line) return null;
    const key = `${rel}:${f.line}`;
    if (fnCache.has(key)) return fnCache.get(key)!;
    const lines = linesOf(rel);
    const fn = lines ? findEnclosingFunction(lines, f.line, rel) : null;
    fnCache.set(key, fn);
    return fn;
  };
  for (const f of docFrames) {
    const fn = enclosing(f);
    if (!fn || !fn.doc || f.explanation) continue;
    if (f.function && !sameFunction(f.function, fn.name)) continue;
    const summary = docSummary(fn.doc);
    if (summary) setExplanation(analysis, f, summary);
  }

  if (!target) {
    notes.push('no crash frame: nothing to look up in the source tree');
    return;
  }
  const file = target.file ?? null;
  if (!file) {
    notes.push(`the crash frame (${target.function ?? '??'}) has no source file`);
    return;
  }
  const res = resolver.resolve(target);
  if (res.status !== 'resolved') {
    notes.push(resolutionNote(file, res));
    return;
  }
  const rel = res.file;
  const line = target.line && target.line > 0 ? target.line : null;
  const lines = linesOf(rel);

  if (lines && line) {
    const snip = extractSnippet(lines, line, opts.contextLines ?? DEFAULT_CONTEXT_LINES);
    if (snip) ctx.snippet = { file: rel, startLine: snip.startLine, lines: snip.lines };
    else notes.push(`${rel} has ${lines.length} lines; the crash frame's line ${line} is past its end: the source is not the crashed build`);
  } else if (!line) {
    notes.push('the crash frame has no line number: no snippet or blame');
  }

  // The line the debugger printed at the stop, compared with the tree.
  if (opts.sourceLine && opts.sourceLine.text.trim() !== '') {
    const note = checkPrintedLine(analysis, target, opts.sourceLine, resolver, linesOf);
    if (note) notes.push(note);
  }

  const fn = line ? enclosing(target) : null;
  if (fn) {
    ctx.function = { name: fn.name, doc: fn.doc };
    if (target.function && !sameFunction(target.function, fn.name)) {
      notes.push(`${rel}:${line} is in ${fn.name}, but the frame names ${target.function}: the source may not be the crashed build`);
    }
  }

  if (opts.git !== false) {
    const state = repoState(index.root);
    notes.push(...state.notes);
    if (state.top && state.hasHistory && line) {
      const b = blameLine(index.root, rel, line);
      if (b.ok) ctx.blame = b.blame;
      else notes.push(b.note);
      const s = findSuspects(index.root, rel, {
        line,
        fn: fn ? { name: fn.name, startLine: fn.startLine, endLine: fn.endLine } : null,
        shallow: state.shallow,
        callers: callersOf(analysis, target, fn, resolver, enclosing),
      });
      ctx.suspects = s.suspects.map(({ commit, author, date, summary, reason }) => ({ commit, author, date, summary, reason }));
      notes.push(...s.notes);
    }
  }

  ctx.owners = ownersForFile(index, rel);
}

/**
 * The next two app frames outward from the context frame that resolve in the tree, each
 * with its function's line range (recursion into the same function is skipped).
 */
function callersOf(
  analysis: Analysis,
  target: Frame,
  fn: EnclosingFunction | null,
  resolver: FrameResolver,
  enclosing: (f: Frame) => EnclosingFunction | null,
): Array<{ file: string; name: string; line: number; startLine: number; endLine: number | null }> {
  const stack = crashingStack(analysis, target);
  let pos = stack.indexOf(target);
  if (pos < 0) pos = stack.findIndex((f) => f.index === target.index && f.function === target.function);
  if (pos < 0) return [];
  const targetRel = resolver.fileOf(target);
  const out: Array<{ file: string; name: string; line: number; startLine: number; endLine: number | null }> = [];
  const names = new Set<string>([fn?.name ?? target.function ?? '']);
  for (let i = pos + 1; i < stack.length && i < pos + 40 && out.length < 2; i++) {
    const f = stack[i];
    if (f.role !== 'app' || !f.line || f.line < 1) continue;
    const rel = resolver.fileOf(f);
    if (!rel) continue;
    const e = enclosing(f);
    if (e && fn && rel === targetRel && e.startLine === fn.startLine) continue;
    const name = e?.name ?? f.function ?? `${rel}:${f.line}`;
    if (names.has(name)) continue;
    names.add(name);
    out.push({ file: rel, name, line: f.line, startLine: e?.startLine ?? f.line, endLine: e?.endLine ?? null });
  }
  return out;
}

/** Owners of a file of the tree: MAINTAINERS sections first, then CODEOWNERS. */
export function ownersForFile(index: TreeIndex, rel: string): Owner[] {
  const owners: Owner[] = [];
  const m = readSourceFile(index, 'MAINTAINERS');
  if (m.ok) owners.push(...maintainersFor(m.text, rel, dirTest(index)));
  for (const loc of CODEOWNERS_LOCATIONS) {
    const c = readSourceFile(index, loc);
    if (c.ok) {
      owners.push(...codeownersFor(c.text, rel));
      break;
    }
  }
  return owners;
}

function dirTest(index: TreeIndex): (p: string) => boolean {
  let dirs: Set<string> | null = null;
  return (p: string) => {
    if (!dirs) {
      dirs = new Set();
      for (const f of index.files) {
        for (let i = f.indexOf('/'); i > 0; i = f.indexOf('/', i + 1)) dirs.add(f.slice(0, i));
      }
    }
    return dirs.has(p.replace(/\/+$/, ''));
  };
}

function emptyContext(root: string, notes: string[]): Context {
  return { root, snippet: null, function: null, blame: null, suspects: [], owners: [], notes };
}

class FrameResolver {
  private cache = new Map<string, Resolution>();
  constructor(private index: TreeIndex, private pathMap?: PathMapping[]) {}
  resolve(f: Frame): Resolution {
    if (!f.file) return { status: 'not-found' };
    const key = `${f.file}\0${f.file.includes('/') || f.file.includes('\\') ? '' : f.function ?? ''}`;
    let r = this.cache.get(key);
    if (!r) {
      r = resolvePath(this.index, f.file, { pathMap: this.pathMap, function: f.function });
      if (this.cache.size < 10_000) this.cache.set(key, r);
    }
    return r;
  }
  fileOf(f: Frame): string | null {
    const r = this.resolve(f);
    return r.status === 'resolved' ? r.file : null;
  }
}

function resolutionNote(file: string, r: Resolution): string {
  switch (r.status) {
    case 'system':
      return `${file} is a system or toolchain path: not looked up in the source tree`;
    case 'ambiguous':
      return `${file} matches several files of the source tree (${r.candidates.join(', ')}): use --path-map FROM=TO to choose`;
    case 'refused':
      return `${file} was not looked up: ${r.reason}`;
    case 'not-found':
      return `${file} was not found in the source tree (use --path-map FROM=TO if it was built from another layout)`;
    default:
      return '';
  }
}

/**
 * The git work tree that contains the input file's own folder, or null (stdin, no file,
 * not in a checkout). The CLI can read that tree's `.crashlens.yml` with it.
 */
export function checkoutOfInput(inputPath: string | undefined): string | null {
  if (!inputPath || inputPath === '-') return null;
  let dir: string;
  try {
    dir = path.dirname(fs.realpathSync(inputPath));
  } catch {
    return null;
  }
  const r = runGit(dir, ['rev-parse', '--show-toplevel']);
  if (!r.ok) return null;
  const top = r.stdout.trim();
  return top === '' ? null : top;
}

/**
 * Do the frames belong to this tree? The context frame, or else an app frame of the
 * crashing stack, must resolve by more than its bare file name (or by its whole printed
 * path), so that a checkout that merely has a `main.c` is not taken for the program's.
 */
function framesResolveIn(index: TreeIndex, analysis: Analysis, target: Frame | null, pathMap?: PathMapping[]): boolean {
  const candidates: Frame[] = [];
  if (target) candidates.push(target);
  for (const f of crashingStack(analysis, target)) {
    if (candidates.length >= 30) break;
    if (f.role === 'app' || f.role === 'unknown') candidates.push(f);
  }
  for (const f of candidates) {
    if (!f.file) continue;
    const r = resolvePath(index, f.file, { pathMap, function: f.function });
    if (r.status !== 'resolved') continue;
    if (r.via === 'path-map' || r.matched >= 2 || r.matched >= pathSegments(f.file).length) return true;
  }
  return false;
}

function crashingStack(analysis: Analysis, target: Frame | null): Frame[] {
  const threads = analysis.threads ?? [];
  if (target) {
    for (const t of threads) if (t.frames.includes(target)) return t.frames;
    for (const s of analysis.stacks ?? []) if (s.frames.includes(target)) return s.frames;
  }
  const crashed = threads.find((t) => t.crashed) ?? threads[0];
  return crashed ? crashed.frames : [];
}

function* allFrames(analysis: Analysis): Generator<Frame> {
  let n = 0;
  const seen = new Set<Frame>();
  const lists: Frame[][] = [
    ...(analysis.threads ?? []).map((t) => t.frames),
    ...(analysis.stacks ?? []).map((s) => s.frames),
    ...(analysis.groups ?? []).map((g) => g.frames),
  ];
  const singles = [analysis.crashFrame, analysis.topFrame, analysis.blameFrame?.frame].filter((f): f is Frame => !!f);
  for (const f of singles) {
    seen.add(f);
    yield f;
  }
  for (const list of lists) {
    for (const f of list) {
      if (seen.has(f)) continue;
      if (++n > MAX_FRAMES) return;
      seen.add(f);
      yield f;
    }
  }
}

/**
 * Set an explanation on `f` and on copies of it elsewhere in the analysis (the crash frame
 * may be a copy of a thread's frame): same index, function and file, no explanation yet.
 */
function setExplanation(analysis: Analysis, f: Frame, text: string): void {
  f.explanation = text;
  for (const g of allFrames(analysis)) {
    if (g !== f && !g.explanation && g.index === f.index && g.function === f.function && g.file === f.file && g.line === f.line) {
      g.explanation = text;
    }
  }
}

/** The last identifier of a function name as a frame or a definition spells it. */
function baseName(fn: string): string {
  // Go method receivers: `main.(*Cart).Total` → `main.Cart.Total`.
  let s = fn.replace(/\(\*?([A-Za-z_][\w]*)\)/g, '$1');
  const paren = s.indexOf('(');
  if (paren > 0) s = s.slice(0, paren);
  s = s.replace(/::h[0-9a-f]{16}$/, '').replace(/::\{\{closure\}\}/g, '').replace(/<[^<>]*>/g, '');
  s = s.replace(/\.(isra|constprop|part|cold|lto_priv|llvm)\.?\d*.*$/, '');
  const m = /([A-Za-z_$~][\w$]*)\s*$/.exec(s);
  return m ? m[1] : s.trim();
}

function sameFunction(frameFn: string, defined: string): boolean {
  return baseName(frameFn) === baseName(defined);
}

function checkPrintedLine(
  analysis: Analysis,
  target: Frame,
  printed: { line: number; text: string },
  resolver: FrameResolver,
  linesOf: (rel: string) => string[] | null,
): string | null {
  // gdb and lldb print the line of the frame they stopped in: frame 0 of the crashing
  // stack. gdb's "No such file or directory" (no source on the debugging machine) is no line.
  if (/No such file or directory\.?\s*$/.test(printed.text)) return null;
  const frames = [analysis.topFrame, crashingStack(analysis, target)[0]].filter((f): f is Frame => !!f);
  for (const f of frames) {
    if (f.line !== printed.line) continue;
    const rel = resolver.fileOf(f);
    if (!rel) continue;
    const lines = linesOf(rel);
    if (!lines) return null;
    const fileLine = lines[printed.line - 1];
    if (fileLine === undefined) {
      return `${rel} has no line ${printed.line}, which the debugger printed: the source is not the crashed build`;
    }
    return sourceLineMatches(fileLine, printed.text) ? null : mismatchNote(rel, printed.line, fileLine, printed.text);
  }
  return null;
}
