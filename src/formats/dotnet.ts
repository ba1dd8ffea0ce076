/**
 * .NET unhandled exceptions and stack-overflow reports (CoreCLR, .NET Framework, Mono).
 * Takes: the cleaned document. Gives: one report per crash: the exception chain (outermost
 * in `type`/`message`, inner exceptions after it, innermost last), the innermost
 * exception's stack innermost first, and the kind.
 *
 *   Unhandled exception. System.InvalidOperationException: Ledger could not be loaded
 *    ---> System.FormatException: The input string 'x' was not in a correct format.
 *      at System.Int32.Parse(String s)
 *      at Harbor.Ledger.ParseAmount(String text) in /src/Harbor/Ledger.cs:line 42
 *      --- End of inner exception stack trace ---
 *      at Harbor.Ledger.Load(String path) in /src/Harbor/Ledger.cs:line 23
 *
 * Frames come innermost exception first, each exception's block closed by
 * `--- End of inner exception stack trace ---`. Compiler-generated names are shown as the
 * method a person wrote: `<FetchAsync>d__5.MoveNext` → `FetchAsync`, lambdas
 * `<Main>b__0_0` → `Main.lambda`, local functions `<<Main>$>g__Join|0_8` → `Main.Join`.
 * `Stack overflow.` / `Repeat N times:` reports keep the repeated block once.
 */
import type { Confidence, CrashKind, Frame, ParsedReport } from '../model.js';
import { emptyReport, newFrame } from '../model.js';
import type { Doc } from '../ingest/doc.js';
import type { FormatModule } from './format.js';
import { kindForClass } from '../diagnose/kind-table.js';
import { AT_LINE_TRIGGERS } from './line-start.js';
import { candidateIndex, candidateLines } from '../ingest/clean.js';

/** .NET class names the kind table words differently (rows requested for kind-table.ts). */
const DOTNET_CLASSES: Record<string, string> = {
  OutOfMemoryException: 'out of memory',
  InsufficientExecutionStackException: 'stack overflow',
  StackOverflowException: 'stack overflow',
  AccessViolationException: 'segmentation fault',
};

const HEADERS = ['Unhandled exception. ', 'Unhandled Exception: ', 'Fatal error. ', 'Unhandled managed exception: '];
const EXC_RE = /^([A-Za-z_][\w.`+]{0,300}(?:Exception|Error|Fault))(?:: (.*))?$/;
const INNER = ' ---> ';
const END_INNER = '--- End of inner exception stack trace ---';

interface Exc {
  type: string;
  message: string | null;
  frames: Frame[];
}

/** `Harbor.Sync.<FetchAsync>d__5.MoveNext` → `Harbor.Sync.FetchAsync`. */
export function cleanDotnetName(raw: string): string {
  let s = raw;
  if (!s.includes('<')) return s;
  // Local function: `Program.<<Main>$>g__Join|0_8` / `C.<Run>g__Helper|3_0`.
  s = s.replace(/<<?([\w$]{1,200})>\$?>g__([\w]{1,200})\|[\d_]{1,20}/g, '$1.$2');
  // Async/iterator state machine: `<FetchAsync>d__5.MoveNext` → `FetchAsync`.
  s = s.replace(/<([\w]{1,200})>d__\d{1,6}\.MoveNext/g, '$1');
  // Lambda: `<>c.<Main>b__0_0`, `<>c__DisplayClass2_0.<Main>b__1` → `Main.lambda`.
  s = s.replace(/<>c(?:__DisplayClass[\d_]{1,20})?\.<([\w]{1,200})>b__[\w]{1,20}/g, '$1.lambda');
  return s;
}

/** `   at NS.C.M(String s) in /src/C.cs:line 42` → a frame. */
export function parseDotnetFrame(l: string, index: number): Frame | null {
  let s = l.trim();
  if (!s.startsWith('at ')) return null;
  s = s.slice(3);
  let file: string | null = null;
  let line: number | null = null;
  const inAt = s.lastIndexOf(' in ');
  if (inAt > 0) {
    const loc = s.slice(inAt + 4);
    const k = loc.lastIndexOf(':line ');
    if (k > 0 && /^\d{1,9}$/.test(loc.slice(k + 6))) {
      file = loc.slice(0, k);
      line = Number(loc.slice(k + 6));
      s = s.slice(0, inAt);
    }
  }
  // Mono: `at NS.C.M (string s) [0x00012] in /src/C.cs:42`.
  const mono = s.indexOf(' [0x');
  if (mono > 0) s = s.slice(0, mono);
  let name = s;
  if (name.endsWith(')')) {
    let depth = 0;
    for (let i = name.length - 1; i >= 0; i--) {
      if (name[i] === ')') depth++;
      else if (name[i] === '(') {
        depth--;
        if (depth === 0) {
          name = name.slice(0, i).trimEnd();
          break;
        }
      }
    }
  }
  const f = newFrame(index, cleanDotnetName(name));
  f.rawFunction = name;
  f.file = file;
  f.line = line;
  const fn = (f.function ?? '').replace(/\.lambda$/, '');
  // Namespace: everything before the type (the last two dotted parts are Type.Method).
  const parts = fn.split('.');
  f.module = parts.length > 2 ? parts.slice(0, -2).join('.') : null;
  return f;
}

function shortName(type: string): string {
  const k = type.lastIndexOf('.');
  return k >= 0 ? type.slice(k + 1) : type;
}

function kindOf(root: Exc, outer: Exc): { kind: CrashKind; confidence: Confidence; reason: string } {
  for (const e of [root, outer]) {
    const short = shortName(e.type);
    const k = kindForClass(DOTNET_CLASSES[short] ?? short);
    if (k) return { ...k, reason: `.NET ${short}` };
  }
  return { kind: 'uncaught-exception', confidence: 'high', reason: `unhandled ${shortName(root.type)}` };
}

function isAtLine(l: string): boolean {
  return l.startsWith('   at ') || l.startsWith('  at ') || l.startsWith('\tat ') || l.startsWith('    at ');
}

/** Whether a candidate line can be part of a report's first two lines: a header, or the first frame. */
function mayAnchor(l: string): boolean {
  return isAtLine(l) || l.includes('Unhandled ') || l.includes('Fatal error. ') || l.includes('Stack overflow.');
}

function parseUnhandled(lines: string[], i: number, headerLen: number): { rep: ParsedReport; next: number } {
  const first = lines[i].slice(headerLen).trim();
  const chain: Exc[] = [];
  // The header holds the outer exception; ` ---> ` lines (or parts of the header line) the inner ones.
  const pieces = first.split(INNER);
  let j = i + 1;
  while (j < lines.length && lines[j].trimStart().startsWith('---> ')) {
    pieces.push(...lines[j].trimStart().slice(5).split(INNER));
    j++;
  }
  for (const p of pieces) {
    const m = EXC_RE.exec(p.trim().length > 20000 ? p.trim().slice(0, 20000) : p.trim());
    if (m) chain.push({ type: m[1], message: m[2] ?? null, frames: [] });
    else if (chain.length > 0) {
      const last = chain[chain.length - 1];
      last.message = last.message ? `${last.message} ${p.trim()}` : p.trim();
    }
  }
  if (chain.length === 0) chain.push({ type: 'Exception', message: first.slice(0, 2000) || null, frames: [] });
  // Message continuation lines before the first frame.
  while (j < lines.length && !isAtLine(lines[j]) && lines[j].trim() !== '' && j - i < 20 && chain.length > 0 && !lines[j].includes(END_INNER)) {
    const last = chain[chain.length - 1];
    last.message = last.message ? `${last.message}\n${lines[j].trim()}` : lines[j].trim();
    j++;
  }
  // Frame blocks: innermost exception first.
  let block = chain.length - 1;
  let end = j - 1;
  for (; j < lines.length; j++) {
    const l = lines[j];
    if (isAtLine(l)) {
      const target = chain[Math.max(0, block)];
      const f = parseDotnetFrame(l, target.frames.length);
      if (f) target.frames.push(f);
      end = j;
      continue;
    }
    const t = l.trim();
    if (t === END_INNER) {
      block--;
      end = j;
      continue;
    }
    if (t.startsWith('--- End of stack trace from previous location')) {
      end = j;
      continue;
    }
    break;
  }
  const rep = emptyReport('dotnet', i);
  rep.endLine = end;
  const outer = chain[0];
  const root = chain[chain.length - 1];
  rep.exception = { type: outer.type, message: outer.message, causes: chain.slice(1).map((e) => ({ type: e.type, message: e.message })) };
  rep.message = `${outer.type}${outer.message != null ? ': ' + outer.message : ''}`;
  rep.kind = kindOf(root, outer);
  // The root's own frames, then the callers from each enclosing exception's block (whose
  // first frame is the method that caught and wrapped, already at the inner block's end).
  const frames = root.frames.slice();
  for (let k = chain.length - 2; k >= 0; k--) {
    let add = chain[k].frames;
    if (add.length > 0 && frames.length > 0 && add[0].function === frames[frames.length - 1].function) add = add.slice(1);
    for (const f of add) frames.push({ ...f, index: frames.length });
  }
  rep.threads.push({ id: 'main', name: null, crashed: true, state: null, frames });
  rep.crashingThreadId = 'main';
  if (root !== outer) rep.facts.push({ code: 'other', text: `Root cause ${root.type} (inner exception): the crash frame comes from its stack.` });
  if (root.frames.length === 0 && j >= lines.length) {
    rep.complete = false;
    rep.facts.push({ code: 'truncated', text: 'The exception is cut off before its stack trace.' });
  }
  return { rep, next: Math.max(j, i + 1) };
}

/** `Stack overflow.` then `Repeat N times:` blocks between dashed lines, then the rest. */
function parseStackOverflow(lines: string[], i: number): { rep: ParsedReport; next: number } {
  const rep = emptyReport('dotnet', i);
  const frames: Frame[] = [];
  let j = i + 1;
  let end = i;
  let repeat: number | null = null;
  for (; j < lines.length; j++) {
    const l = lines[j];
    const t = l.trim();
    const rm = /^Repeat(?:ed)? (\d{1,9}) times:$/.exec(t);
    if (rm) {
      repeat = Number(rm[1]);
      end = j;
      continue;
    }
    if (/^-{8,}$/.test(t)) {
      end = j;
      continue;
    }
    if (isAtLine(l)) {
      const f = parseDotnetFrame(l, frames.length);
      if (f) frames.push(f);
      end = j;
      continue;
    }
    if (t.startsWith('Process is terminating due to StackOverflowException')) {
      end = j;
      continue;
    }
    break;
  }
  rep.endLine = end;
  rep.message = 'Stack overflow.';
  const k = kindForClass('stack overflow');
  rep.kind = { kind: k?.kind ?? 'stack-overflow', confidence: k?.confidence ?? 'high', reason: '.NET: Stack overflow.' };
  rep.exception = { type: 'System.StackOverflowException', message: null, causes: [] };
  if (repeat != null) rep.facts.push({ code: 'other', text: `The runtime folded the recursion: the dashed block repeats ${repeat} times.`, value: String(repeat) });
  rep.threads.push({ id: 'main', name: null, crashed: true, state: null, frames });
  rep.crashingThreadId = 'main';
  return { rep, next: Math.max(j, i + 1) };
}

/**
 * The lines a report can hang on: a header (`Unhandled `, `Fatal error. `, `Stack overflow.`)
 * or an `at` line (in any of the shapes the JVM and V8 triggers name), the first at most one
 * line below the report's first.
 */
const CANDIDATES = [...new Set(['Unhandled ', 'Fatal error. ', 'Stack overflow.', ...AT_LINE_TRIGGERS])];

export function parseDotnet(doc: Doc): ParsedReport[] {
  const lines = doc.lines;
  const out: ParsedReport[] = [];
  const candidates = candidateLines(doc, CANDIDATES);
  let i = 0;
  while (i < lines.length) {
    if (candidates !== null) {
      // A candidate that is neither a header nor a .NET `at` line (valgrind's `==1==    at 0x…`) anchors nothing.
      let k = candidateIndex(candidates, i);
      while (k < candidates.length && candidates[k] - 1 > i && !mayAnchor(lines[candidates[k]])) k++;
      if (k >= candidates.length) break;
      if (candidates[k] - 1 > i) i = candidates[k] - 1;
    }
    const l = lines[i];
    const c = l.charCodeAt(0);
    // U, F, S
    if (c === 85 || c === 70) {
      const h = HEADERS.find((p) => l.startsWith(p));
      if (h) {
        const { rep, next } = parseUnhandled(lines, i, h.length);
        out.push(rep);
        i = next;
        continue;
      }
    }
    if (c === 83 && l.trim() === 'Stack overflow.') {
      const { rep, next } = parseStackOverflow(lines, i);
      out.push(rep);
      i = next;
      continue;
    }
    // A bare `System.X: message` followed by `   at … in …:line N` frames (logged exceptions).
    if (!l.startsWith(' ') && l.includes('Exception') && i + 1 < lines.length && isAtLine(lines[i + 1]) && (lines[i + 1].includes(':line ') || lines[i + 1].includes(')'))) {
      const m = EXC_RE.exec(l.length > 20000 ? '' : l.split(INNER)[0].trim());
      // Java traces (`\tat pkg.C.m(File.java:1)`) are the java module's; .NET frames have
      // a parameter list with types or ` in …:line`.
      if (m && m[1].includes('.') && !/\(\w[\w$]*\.(java|kt|scala):\d+\)$/.test(lines[i + 1].trim()) && !/^\s+at .*\((?:<anonymous>|\S+:\d+:\d+)\)$/.test(lines[i + 1])) {
        const { rep, next } = parseUnhandled(lines, i, 0);
        out.push(rep);
        i = next;
        continue;
      }
    }
    i++;
  }
  return out;
}

export const dotnet: FormatModule = {
  id: 'dotnet',
  // Cheap pre-check on the raw text: no trigger, no report of this format.
  // Frames are indented `at` lines; a report cut off before them still has its header.
  triggers: ['  at ', '\tat ', 'Unhandled ', 'Fatal error. ', 'Stack overflow.'],
  priority: 5,
  find: parseDotnet,
};
