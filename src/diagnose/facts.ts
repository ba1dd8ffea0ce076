/**
 * What diagnosis knows about one report, computed once and read by every rule table.
 * Takes: a parsed report with roles and the rule set. Gives: the crashing thread and
 * stack, top and crash frames, NULL pointer arguments, a recursion cycle, blocked
 * threads, the products identified (QEMU), and the frame functions present.
 */
import type { Frame, ParsedReport, Thread } from '../model.js';
import type { RuleSet } from '../rules/load.js';
import { crashingThread } from './crashing-thread.js';
import { crashFrameIndex } from './crash-frame.js';
import { findCycle, type Cycle } from './recursion.js';
import { blockedThreads, type BlockedThread } from './deadlock.js';
import { splitArgs } from '../formats/frame-text.js';
import { globMatch } from '../rules/glob.js';
import { isNullPageAddress } from './kind-table.js';

export interface NullPointer {
  frame: Frame;
  name: string;
  value: string;
  /** `argument` or `local`. */
  source: 'argument' | 'local';
}

export interface Facts {
  report: ParsedReport;
  rules: RuleSet;
  thread: Thread | null;
  /** The stack crashFrame comes from: the crashing thread's frames. */
  frames: Frame[];
  crashIndex: number;
  crash: Frame | null;
  top: Frame | null;
  nullPointers: NullPointer[];
  cycle: Cycle | null;
  blocked: BlockedThread[];
  products: string[];
  /** Functions of every frame of every thread, for landmark and frame-presence rules. */
  functions: Set<string>;
  /** Functions of the crashing stack from the top down to (and including) the crash frame. */
  handlers: Set<string>;
}

/** A pointer value gdb printed: `0x0`, `0x10`, `(Foo *) 0x0`, `0x0 <some_symbol>` excluded. */
function pointerValue(value: string): string | null {
  const m = /^(?:\([^()]{1,200}\) )?(0x[0-9a-f]{1,16})(?:$|[ ,])/.exec(value);
  if (!m) return null;
  if (/<[^>]+>/.test(value)) return null;
  return m[1];
}

function nullPointersOf(frame: Frame): NullPointer[] {
  const out: NullPointer[] = [];
  if (frame.args) {
    for (const a of splitArgs(frame.args)) {
      const p = pointerValue(a.value);
      if (p && isNullPageAddress(p)) out.push({ frame, name: a.name.replace(/@entry$/, ''), value: p, source: 'argument' });
    }
  }
  for (const l of frame.locals ?? []) {
    const p = pointerValue(l.value);
    if (p && isNullPageAddress(p)) out.push({ frame, name: l.name, value: p, source: 'local' });
  }
  return out;
}

export function computeFacts(report: ParsedReport, rules: RuleSet, threadOverride?: Thread): Facts {
  const thread = threadOverride ?? crashingThread(report);
  const frames = thread?.frames ?? [];
  const hint = report.crashFrameHint;
  const hinted = hint !== undefined && hint !== null && hint >= 0 && hint < frames.length && (!threadOverride || threadOverride.id === report.crashingThreadId);
  const crashIndex = hinted ? hint : crashFrameIndex(frames);
  const crash = crashIndex >= 0 ? frames[crashIndex] : null;
  const top = frames[0] ?? null;
  const nullPointers: NullPointer[] = [];
  if (crashIndex >= 0) {
    // The crash frame first, then its nearest caller that is the program's own.
    nullPointers.push(...nullPointersOf(frames[crashIndex]));
    let seen = 0;
    for (let i = crashIndex + 1; i < frames.length && seen < 1; i++) {
      if (frames[i].role !== 'app') continue;
      seen++;
      nullPointers.push(...nullPointersOf(frames[i]).filter((p) => p.source === 'argument'));
    }
  }
  const functions = new Set<string>();
  // Threads of one stack may share their frames array (Go dumps): each array once.
  let lastFrames: Frame[] | null = null;
  for (let k = 0; k < report.threads.length; k++) {
    const t = report.threads[k];
    if (t.frames === lastFrames) continue;
    lastFrames = t.frames;
    for (const f of t.frames) if (f.function) functions.add(f.function);
  }
  for (const s of report.stacks) for (const f of s.frames) if (f.function) functions.add(f.function);
  const handlers = new Set<string>();
  for (let i = 0; i <= Math.max(crashIndex, Math.min(frames.length - 1, 15)) && i < frames.length; i++) {
    const fn = frames[i].function;
    if (fn) handlers.add(fn);
  }
  const products: string[] = [];
  const fnList = [...functions];
  for (const p of rules.products) {
    if (p.identify.some((g) => fnList.some((f) => globMatch(g, f)))) products.push(p.name);
  }
  const noSignal = !report.signal || report.signal.name === 'SIGINT' || report.signal.name === 'SIGTRAP' || report.signal.name === 'SIGSTOP';
  return {
    report,
    rules,
    thread,
    frames,
    crashIndex,
    crash,
    top,
    nullPointers,
    cycle: frames.length >= 8 ? findCycle(frames) : null,
    blocked: noSignal ? blockedThreads(report.threads) : [],
    products,
    functions,
    handlers,
  };
}
