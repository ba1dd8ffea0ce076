/**
 * The crash-kind mapping table (DESIGN, "Crash kinds": one table in the code).
 * Takes: a class name a report prints — a sanitizer error class, a kernel report header,
 * a glibc message, an exception type, a signal. Gives: the crashlens kind with confidence.
 *
 * Format modules call `kindForClass(text)` with the text that names the class; rows are
 * tried in order and the first match wins. Matching is by lower-cased substring (`includes`)
 * or, for `prefix` rows, by `startsWith`, so no regex runs here.
 */
import type { Confidence, CrashKind } from '../model.js';

export interface KindRow {
  /** Lower-case text that must occur in the class name. */
  match: string;
  prefix?: boolean;
  kind: CrashKind;
  confidence?: Confidence;
}

export const KIND_TABLE: KindRow[] = [
  // AddressSanitizer / HWASan classes
  { match: 'heap-use-after-free', kind: 'use-after-free' },
  { match: 'stack-use-after-return', kind: 'use-after-free' },
  { match: 'stack-use-after-scope', kind: 'use-after-free' },
  { match: 'use-after-poison', kind: 'use-after-free' },
  { match: 'use-after-free', kind: 'use-after-free' },
  { match: 'double-free', kind: 'double-free' },
  { match: 'double free', kind: 'double-free' },
  { match: 'attempting free on address which was not malloc', kind: 'invalid-free' },
  { match: 'bad-free', kind: 'invalid-free' },
  { match: 'alloc-dealloc-mismatch', kind: 'invalid-free' },
  { match: 'mismatched free', kind: 'invalid-free' },
  { match: 'invalid free', kind: 'invalid-free' },
  { match: 'free(): invalid pointer', kind: 'invalid-free' },
  { match: 'container-overflow', kind: 'heap-overflow' },
  { match: 'heap-buffer-overflow', kind: 'heap-overflow' },
  { match: 'stack-buffer-overflow', kind: 'stack-buffer-overflow' },
  { match: 'stack-buffer-underflow', kind: 'stack-buffer-overflow' },
  { match: 'dynamic-stack-buffer-overflow', kind: 'stack-buffer-overflow' },
  { match: 'global-buffer-overflow', kind: 'global-buffer-overflow' },
  { match: 'global-out-of-bounds', kind: 'global-buffer-overflow' },
  { match: 'stack-out-of-bounds', kind: 'stack-buffer-overflow' },
  { match: 'slab-out-of-bounds', kind: 'heap-overflow' },
  { match: 'vmalloc-out-of-bounds', kind: 'heap-overflow' },
  { match: 'null-ptr-deref', kind: 'null-deref' },
  { match: 'wild-memory-access', kind: 'segv' },
  { match: 'inconsistent lock state', kind: 'deadlock', confidence: 'medium' },
  { match: 'memcpy-param-overlap', kind: 'undefined-behavior' },
  { match: 'negative-size-param', kind: 'undefined-behavior' },
  { match: 'allocation-size-too-big', kind: 'oom' },
  { match: 'out-of-memory', kind: 'oom' },
  { match: 'out of memory', kind: 'oom' },
  { match: 'outofmemoryerror', kind: 'oom' },
  { match: 'memoryerror', kind: 'oom' },
  { match: 'memory allocation of', kind: 'oom' },
  { match: 'stack-overflow', kind: 'stack-overflow' },
  { match: 'stack overflow', kind: 'stack-overflow' },
  { match: 'stackoverflowerror', kind: 'stack-overflow' },
  { match: 'recursionerror', kind: 'stack-overflow' },
  // Python's and the JVM's `assert` statement, Node's assert module; JUnit 5 and 4 assertions
  { match: 'assertionerror', kind: 'assertion' },
  { match: 'assertionfailederror', kind: 'assertion' },
  { match: 'comparisonfailure', kind: 'assertion' },
  { match: 'maximum call stack size exceeded', kind: 'stack-overflow' },
  { match: 'tag-mismatch', kind: 'use-after-free', confidence: 'medium' },
  { match: 'calloc-overflow', kind: 'oom', confidence: 'medium' },
  { match: 'unknown-crash', kind: 'segv', confidence: 'medium' },
  { match: 'odr-violation', kind: 'undefined-behavior' },
  { match: 'initialization-order-fiasco', kind: 'undefined-behavior' },
  { match: 'param-overlap', kind: 'undefined-behavior' },
  // Leaks
  { match: 'detected memory leaks', kind: 'leak' },
  { match: 'definitely lost', kind: 'leak' },
  { match: 'thread leak', kind: 'leak' },
  { match: 'memory leak', kind: 'leak' },
  { match: 'direct leak', kind: 'leak' },
  { match: 'indirect leak', kind: 'leak' },
  // Uninitialised memory
  { match: 'use-of-uninitialized-value', kind: 'uninitialized-value' },
  { match: 'kmsan', kind: 'uninitialized-value' },
  { match: 'uninitialised value', kind: 'uninitialized-value' },
  { match: 'uninitialized value', kind: 'uninitialized-value' },
  // Concurrency
  { match: 'lock-order-inversion', kind: 'deadlock', confidence: 'medium' },
  { match: 'possible circular locking dependency', kind: 'deadlock', confidence: 'medium' },
  { match: 'possible recursive locking', kind: 'deadlock', confidence: 'medium' },
  { match: 'java-level deadlock', kind: 'deadlock' },
  { match: 'all goroutines are asleep', kind: 'deadlock' },
  { match: 'data race', kind: 'data-race' },
  { match: 'kcsan', kind: 'data-race' },
  { match: 'concurrent map', kind: 'data-race' },
  { match: 'possible data race', kind: 'data-race' },
  { match: 'conflicting load', kind: 'data-race' },
  { match: 'signal-unsafe call', kind: 'undefined-behavior' },
  { match: 'signal handler spoils errno', kind: 'undefined-behavior' },
  { match: 'unlock of an unlocked mutex', kind: 'undefined-behavior' },
  { match: 'destroy of a locked mutex', kind: 'undefined-behavior' },
  { match: 'double lock of a mutex', kind: 'deadlock', confidence: 'medium' },
  // Kernel
  { match: 'kernel null pointer dereference', kind: 'null-deref' },
  { match: 'blocked for more than', kind: 'hang' },
  { match: 'rcu detected stall', kind: 'hang' },
  { match: 'rcu_sched detected stall', kind: 'hang' },
  { match: 'rcu_preempt detected stall', kind: 'hang' },
  { match: 'soft lockup', kind: 'hang' },
  { match: 'hard lockup', kind: 'hang' },
  { match: 'kernel bug at', kind: 'kernel-bug' },
  { match: 'kernel panic', kind: 'kernel-bug' },
  { match: 'warning:', prefix: true, kind: 'kernel-warning' },
  { match: 'ubsan:', prefix: true, kind: 'undefined-behavior' },
  { match: 'runtime error:', kind: 'undefined-behavior' },
  { match: 'general protection fault', kind: 'segv' },
  { match: 'unable to handle page fault', kind: 'segv' },
  { match: 'unable to handle kernel paging request', kind: 'segv' },
  // glibc messages
  { match: 'stack smashing detected', kind: 'stack-smashing' },
  { match: 'buffer overflow detected', kind: 'stack-buffer-overflow', confidence: 'medium' },
  { match: 'corrupted', kind: 'heap-corruption' },
  { match: 'malloc(): ', kind: 'heap-corruption' },
  { match: 'free(): ', kind: 'heap-corruption' },
  { match: 'realloc(): ', kind: 'heap-corruption' },
  { match: 'malloc_consolidate', kind: 'heap-corruption' },
  { match: 'pure virtual method called', kind: 'abort' },
  { match: 'terminate called', kind: 'uncaught-exception' },
  // Managed runtimes
  { match: 'nullpointerexception', kind: 'null-deref' },
  { match: 'nullreferenceexception', kind: 'null-deref' },
  { match: "'nonetype' object", kind: 'null-deref' },
  { match: 'cannot read properties of undefined', kind: 'null-deref' },
  { match: 'cannot read properties of null', kind: 'null-deref' },
  { match: 'cannot set properties of undefined', kind: 'null-deref' },
  { match: 'cannot set properties of null', kind: 'null-deref' },
  { match: 'invalid memory address or nil pointer dereference', kind: 'null-deref' },
  { match: 'assignment to entry in nil map', kind: 'null-deref' },
  { match: 'unexpectedly found nil', kind: 'null-deref' },
  { match: 'for nil:nilclass', kind: 'null-deref' },
  { match: "for nil", kind: 'null-deref', confidence: 'medium' },
  { match: 'on null', kind: 'null-deref' },
  { match: 'is undefined', kind: 'null-deref', confidence: 'medium' },
  { match: 'is null', kind: 'null-deref', confidence: 'medium' },
  { match: 'stack level too deep', kind: 'stack-overflow' },
  { match: 'too much recursion', kind: 'stack-overflow' },
  { match: 'outofmemoryexception', kind: 'oom' },
  { match: 'allowed memory size', kind: 'oom' },
  { match: 'heap out of memory', kind: 'oom' },
  // Signals (by name)
  { match: 'sigsegv', kind: 'segv', confidence: 'medium' },
  { match: 'segv', kind: 'segv', confidence: 'medium' },
  { match: 'segmentation fault', kind: 'segv', confidence: 'medium' },
  { match: 'sigbus', kind: 'bus-error' },
  { match: 'bus error', kind: 'bus-error' },
  { match: 'sigfpe', kind: 'fpe' },
  { match: 'floating point exception', kind: 'fpe' },
  { match: 'arithmetic exception', kind: 'fpe' },
  { match: 'sigill', kind: 'illegal-instruction' },
  { match: 'illegal instruction', kind: 'illegal-instruction' },
  { match: 'sigabrt', kind: 'abort' },
  { match: 'aborted', kind: 'abort' },
];

/** Kind for a class name, or null when no row matches. */
export function kindForClass(text: string): { kind: CrashKind; confidence: Confidence } | null {
  const t = text.toLowerCase();
  for (const row of KIND_TABLE) {
    if (row.prefix ? t.startsWith(row.match) : t.includes(row.match)) {
      return { kind: row.kind, confidence: row.confidence ?? 'high' };
    }
  }
  return null;
}

/** Fault addresses below this are NULL-pointer dereferences (a field of a NULL struct). */
export const NULL_PAGE_LIMIT = 0x1000n;

/** True when a hex address string (`0x0`, `0000000000000010`) lies in the NULL page. */
export function isNullPageAddress(address: string | null | undefined): boolean {
  if (!address) return false;
  const hex = address.trim().toLowerCase().replace(/^0x/, '');
  if (!/^[0-9a-f]{1,16}$/.test(hex)) return false;
  try {
    return BigInt('0x' + hex) < NULL_PAGE_LIMIT;
  } catch {
    return false;
  }
}
