/**
 * The crash kind and its confidence.
 * Takes: the diagnosis facts. Gives: kind, confidence and the reason, from the first row
 * of KIND_RULES that holds. A format that determined the class itself (a sanitizer, a
 * kernel header, a panic, a glibc message) wins unless the frames show a stronger fact.
 */
import type { Confidence, CrashKind } from '../model.js';
import type { Facts } from './facts.js';
import { isNullPageAddress } from './kind-table.js';
import { withoutParams } from '../rules/roles.js';

interface KindRule {
  id: string;
  when(f: Facts): boolean;
  kind: CrashKind | ((f: Facts) => CrashKind);
  confidence: Confidence | ((f: Facts) => Confidence);
  reason(f: Facts): string;
}

const sig = (f: Facts) => f.report.signal?.name ?? null;
const has = (f: Facts, names: string[]) => names.some((n) => f.handlers.has(n));
const hasFact = (f: Facts, code: string) => f.report.facts.some((x) => x.code === code);
/** Like `has`, with each crashing-stack function also compared without its parameter list. */
const hasNamed = (f: Facts, names: string[]) => {
  for (const fn of f.handlers) if (names.includes(fn) || names.includes(withoutParams(fn))) return true;
  return false;
};

const ASSERT_FUNCTIONS = ['__assert_fail', '__assert_fail_base', '__GI___assert_fail', '__assert_perror_fail', '__assert_rtn', '_assert', '_wassert', 'g_assertion_message_expr', 'g_assertion_message', 'g_assertion_message_cmpnum', 'g_assertion_message_cmpstr', '__assert'];
const HEAP_FUNCTIONS = ['malloc_printerr', '__libc_message', '__malloc_assert'];
const STACK_CHK = ['__stack_chk_fail', '__stack_chk_fail_local'];
const FORTIFY = ['__fortify_fail', '__chk_fail', '__fortify_fail_abort'];
const PURE_VIRTUAL = ['__cxa_pure_virtual'];
const TERMINATE = ['std::terminate', '__cxxabiv1::__terminate', '__gnu_cxx::__verbose_terminate_handler', '__cxa_throw', '__cxa_rethrow', 'std::terminate()'];

/**
 * Functions whose only job is to end the process because memory ran out (V8, Chromium's
 * base and PartitionAlloc, PDFium, Rust's std): on the crashing stack, the kind is oom.
 */
const OOM_FUNCTIONS = [
  'v8::internal::V8::FatalProcessOutOfMemory', 'v8::internal::Heap::FatalProcessOutOfMemory', 'v8::base::FatalOOM',
  'v8::Utils::ReportOOMFailure', 'base::TerminateBecauseOutOfMemory', 'base::internal::OnNoMemory',
  'base::internal::OnNoMemoryInternal', 'partition_alloc::TerminateBecauseOutOfMemory', 'partition_alloc::internal::OnNoMemory',
  'partition_alloc::internal::OnNoMemoryInternal', 'FX_OutOfMemoryTerminate', 'std::alloc::rust_oom', 'rust_oom',
  'alloc::alloc::handle_alloc_error',
];

/** Sanitizer formats: their reports are errors the runtime caught, never a debugger's snapshot. */
const SANITIZER_FORMATS = new Set(['asan', 'hwasan', 'msan', 'tsan', 'ubsan', 'lsan']);

/**
 * A sanitizer caught a trap as a deadly signal (`AddressSanitizer: TRAP`, Windows'
 * `AddressSanitizer: breakpoint`): a trap instruction compiled in as a deliberate crash
 * (V8's and Chromium's immediate crash, a failed check) ended the program.
 */
const sanitizerTrap = (f: Facts) =>
  SANITIZER_FORMATS.has(f.report.format) && !f.report.kind && (sig(f) === 'SIGTRAP' || /: (?:TRAP|breakpoint)\b/.test(f.report.message ?? ''));

const crashSignal = (f: Facts) => {
  const s = sig(f);
  return s !== null && s !== 'SIGINT' && s !== 'SIGTRAP' && s !== 'SIGSTOP';
};

const RUST_PANIC = ['rust_panic', 'rust_begin_unwind', '__rust_start_panic', 'core::panicking::panic_fmt', 'core::panicking::panic', 'std::panicking::begin_panic', 'std::panicking::rust_panic_with_hook', 'std::panicking::begin_panic_handler'];

export const KIND_RULES: KindRule[] = [
  {
    id: 'rust-panic-frames',
    when: (f) => !f.report.kind && has(f, RUST_PANIC),
    kind: 'panic',
    confidence: 'high',
    reason: () => "Rust's panic machinery is on the stack (a debugger stopped in it, or the panic aborted).",
  },
  {
    id: 'snapshot-stop',
    when: (f) => !crashSignal(f) && hasFact(f, 'breakpoint') && !f.report.kind && !sanitizerTrap(f),
    kind: 'snapshot',
    confidence: 'high',
    reason: () => 'The program was stopped by a breakpoint or an interrupt, not by a crash.',
  },
  {
    id: 'format-class',
    when: (f) => f.report.kind !== null && f.report.kind.kind !== 'abort' && f.report.kind.kind !== 'segv',
    kind: (f) => f.report.kind!.kind,
    confidence: (f) => f.report.kind!.confidence,
    reason: (f) => f.report.kind!.reason,
  },
  {
    id: 'oom-frames',
    when: (f) => hasNamed(f, OOM_FUNCTIONS),
    kind: 'oom',
    confidence: 'high',
    reason: () => 'A function that ends the process when memory runs out is on the crashing stack.',
  },
  {
    id: 'assert-frame',
    when: (f) => has(f, ASSERT_FUNCTIONS),
    kind: 'assertion',
    confidence: 'high',
    reason: () => 'An assertion-failure function is on the crashing stack.',
  },
  {
    id: 'heap-frame',
    when: (f) => has(f, HEAP_FUNCTIONS),
    kind: 'heap-corruption',
    confidence: 'high',
    reason: () => "glibc's heap checks (malloc_printerr) stopped the program.",
  },
  {
    id: 'stack-chk',
    when: (f) => has(f, STACK_CHK),
    kind: 'stack-smashing',
    confidence: 'high',
    reason: () => '__stack_chk_fail: the stack protector found its canary overwritten.',
  },
  {
    id: 'fortify',
    when: (f) => has(f, FORTIFY),
    kind: 'stack-buffer-overflow',
    confidence: 'medium',
    reason: () => 'A _FORTIFY_SOURCE check (__chk_fail) found a buffer overflow.',
  },
  {
    id: 'pure-virtual',
    when: (f) => has(f, PURE_VIRTUAL),
    kind: 'abort',
    confidence: 'high',
    reason: () => '__cxa_pure_virtual: a pure virtual method was called (object being built or destroyed, or already freed).',
  },
  {
    id: 'terminate',
    when: (f) => has(f, TERMINATE),
    kind: 'uncaught-exception',
    confidence: 'high',
    reason: () => 'std::terminate was called: an exception escaped with no handler.',
  },
  {
    id: 'sanitizer-trap',
    when: sanitizerTrap,
    kind: 'abort',
    confidence: 'medium',
    reason: (f) => `${f.report.message?.split(' (')[0] ?? 'A sanitizer caught a trap'}: a trap instruction compiled in as a deliberate crash (an immediate crash after a failed check or fatal error) ended the program.`,
  },
  {
    id: 'format-abort',
    when: (f) => f.report.kind !== null,
    kind: (f) => f.report.kind!.kind,
    confidence: (f) => f.report.kind!.confidence,
    reason: (f) => f.report.kind!.reason,
  },
  {
    id: 'null-page',
    when: (f) => (sig(f) === 'SIGSEGV' || sig(f) === 'SIGBUS') && isNullPageAddress(f.report.signal?.faultAddress),
    kind: 'null-deref',
    confidence: 'high',
    reason: (f) => `The fault address ${f.report.signal!.faultAddress} lies in the NULL page (below 0x1000).`,
  },
  {
    id: 'recursion',
    when: (f) => sig(f) === 'SIGSEGV' && f.cycle !== null && (f.cycle.repeats >= 20 || f.frames.length >= 1000),
    kind: 'stack-overflow',
    confidence: (f) => (f.frames.length >= 1000 || (f.cycle?.repeats ?? 0) >= 100 ? 'high' : 'medium'),
    reason: (f) => `A cycle of ${f.cycle!.functions.length} function(s) repeats ${f.cycle!.repeats} times on the crashing stack.`,
  },
  {
    id: 'null-argument',
    when: (f) => sig(f) === 'SIGSEGV' && !f.report.signal?.faultAddress && f.nullPointers.some((p) => p.frame === f.crash),
    kind: 'null-deref',
    confidence: 'medium',
    reason: (f) => {
      const p = f.nullPointers.find((x) => x.frame === f.crash)!;
      return `SIGSEGV in ${f.crash?.function ?? 'the crash frame'} with the pointer ${p.source} \`${p.name}\` = ${p.value}; no fault address was shown.`;
    },
  },
  { id: 'segv', when: (f) => sig(f) === 'SIGSEGV', kind: 'segv', confidence: (f) => (f.report.signal?.faultAddress ? 'high' : 'medium'), reason: () => 'SIGSEGV: an invalid memory access.' },
  { id: 'fpe', when: (f) => sig(f) === 'SIGFPE', kind: 'fpe', confidence: 'high', reason: () => 'SIGFPE: an arithmetic fault (integer division by zero or overflow).' },
  { id: 'ill', when: (f) => sig(f) === 'SIGILL', kind: 'illegal-instruction', confidence: 'high', reason: () => 'SIGILL: the CPU met an illegal instruction (often __builtin_trap or ud2 from a failed check).' },
  { id: 'bus', when: (f) => sig(f) === 'SIGBUS', kind: 'bus-error', confidence: 'high', reason: () => 'SIGBUS: a bad physical access (truncated mapped file, misaligned access).' },
  { id: 'abrt', when: (f) => sig(f) === 'SIGABRT', kind: 'abort', confidence: 'high', reason: () => 'SIGABRT: the program called abort().' },
  { id: 'stop-signal', when: (f) => sig(f) === 'SIGINT' || sig(f) === 'SIGTRAP' || sig(f) === 'SIGSTOP', kind: 'snapshot', confidence: 'high', reason: (f) => `Stopped by ${sig(f)}: an interrupt or a trap, not a crash.` },
  {
    id: 'blocked-threads',
    when: (f) => f.blocked.length >= 2,
    kind: 'deadlock',
    confidence: (f) => {
      const locks = new Set(f.blocked.map((b) => b.lock).filter((l) => l !== null));
      return locks.size >= 2 ? 'medium' : 'low';
    },
    reason: (f) => `${f.blocked.length} threads are waiting for locks and none is running.`,
  },
  {
    id: 'abort-frames',
    when: (f) => has(f, ['abort', '__GI_abort', 'raise', '__GI_raise', '__pthread_kill_implementation']),
    kind: 'abort',
    confidence: 'medium',
    reason: () => 'abort()/raise() is on the stack, though no signal line was pasted.',
  },
  {
    id: 'other-signal',
    when: (f) => crashSignal(f),
    kind: 'unknown',
    confidence: 'low',
    reason: (f) => `Stopped by ${sig(f)}.`,
  },
  {
    id: 'plain-backtrace',
    when: (f) => f.frames.length > 0,
    kind: 'snapshot',
    confidence: 'medium',
    reason: () => 'A backtrace with no sign of a crash (no signal, no crash machinery on the stack).',
  },
];

export function decideKind(f: Facts): { kind: CrashKind; confidence: Confidence; reason: string; rule: string } {
  for (const r of KIND_RULES) {
    if (!r.when(f)) continue;
    return {
      kind: typeof r.kind === 'function' ? r.kind(f) : r.kind,
      confidence: typeof r.confidence === 'function' ? r.confidence(f) : r.confidence,
      reason: r.reason(f),
      rule: r.id,
    };
  }
  return { kind: 'unknown', confidence: 'low', reason: 'Nothing in the text names the kind of crash.', rule: 'none' };
}
