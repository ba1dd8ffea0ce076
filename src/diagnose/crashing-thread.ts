/**
 * Which thread crashed.
 * Takes: a parsed report with roles assigned. Gives: the crashing thread: the one the
 * report marks (the thread that received the signal, lldb's `*`, a sanitizer's thread),
 * else the one with crash-handling frames (abort, raise, `<signal handler called>`),
 * else the only or first thread; null when there are no threads.
 */
import type { ParsedReport, Thread } from '../model.js';

export function crashingThread(report: ParsedReport): Thread | null {
  const threads = report.threads;
  if (threads.length === 0) return null;
  if (report.crashingThreadId !== null) {
    const t = threads.find((x) => x.id === report.crashingThreadId);
    if (t) return t;
  }
  const marked = threads.find((t) => t.crashed);
  if (marked) return marked;
  const handling = threads.find((t) => t.frames.slice(0, 12).some((f) => f.role === 'crash-handling'));
  if (handling) return handling;
  return threads[0];
}
