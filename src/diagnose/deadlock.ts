/**
 * Blocked threads: the deadlock pattern in a thread dump.
 * Takes: the threads of a report with no crash signal. Gives: the threads that wait on a
 * lock (their innermost frames are lock-wait functions) and the lock each waits on when
 * the arguments show it.
 */
import type { Frame, Thread } from '../model.js';
import { splitArgs } from '../formats/frame-text.js';

/** Functions a thread sits in while it waits for a lock. */
export const LOCK_WAIT_FUNCTIONS = [
  'pthread_mutex_lock', '___pthread_mutex_lock', '__pthread_mutex_lock', '__lll_lock_wait',
  '__lll_lock_wait_private', 'lll_mutex_lock_optimized', 'pthread_rwlock_rdlock',
  'pthread_rwlock_wrlock', '___pthread_rwlock_rdlock', '___pthread_rwlock_wrlock',
  '__pthread_rwlock_wrlock_full64', '__pthread_rwlock_rdlock_full64',
  'qemu_mutex_lock_impl', 'qemu_rec_mutex_lock_impl', 'std::mutex::lock',
  'std::__1::mutex::lock', 'g_mutex_lock', 'g_rec_mutex_lock', '__psynch_mutexwait',
  'RtlEnterCriticalSection', 'EnterCriticalSection',
];

export interface BlockedThread {
  thread: Thread;
  /** Frame index of the lock call. */
  frame: number;
  lock: string | null;
}

export function blockedThreads(threads: Thread[]): BlockedThread[] {
  const out: BlockedThread[] = [];
  // Threads of one stack may share their frames array (Go dumps): one that holds no lock
  // wait is looked at once.
  const noWait = new Set<Frame[]>();
  let lastNoWait: Frame[] | null = null;
  // Indexed: an unoptimised for-of allocates per thread, and a dump has thousands.
  for (let k = 0; k < threads.length; k++) {
    const t = threads[k];
    if (t.frames === lastNoWait || noWait.has(t.frames)) continue;
    const before = out.length;
    for (let i = 0; i < Math.min(t.frames.length, 8); i++) {
      const f = t.frames[i];
      const fn = f.function ?? '';
      if (!LOCK_WAIT_FUNCTIONS.includes(fn)) continue;
      // The mutex address: the outermost lock frame's `mutex=` argument.
      let lock: string | null = null;
      for (let j = i; j < Math.min(t.frames.length, i + 4); j++) {
        const g = t.frames[j];
        if (!g.args || !LOCK_WAIT_FUNCTIONS.includes(g.function ?? '')) continue;
        for (const a of splitArgs(g.args)) {
          // `0x555555558080 <table_lock>`: keep the symbol gdb names the lock by.
          const m = /^(0x[0-9a-f]{1,16})(?: (<[^<>]{1,200}>))?/.exec(a.value);
          if (/^(?:mutex|m|lock|futex|rwlock)(?:@entry)?$/.test(a.name) && m) lock = m[2] ? `${m[1]} ${m[2]}` : m[1];
        }
      }
      out.push({ thread: t, frame: i, lock });
      break;
    }
    if (out.length === before) {
      lastNoWait = t.frames;
      if (noWait.size < 4096) noWait.add(t.frames);
    }
  }
  return out;
}
