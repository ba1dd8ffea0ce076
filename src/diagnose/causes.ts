/**
 * Likely causes, ranked, each citing its evidence.
 * Takes: the facts, the kind, the evidence and a blame result. Gives: `causes`, highest
 * confidence first. Templates are a table per kind; a template is used only when the
 * evidence it needs is present, so no cause is stated without a fact behind it.
 * A snapshot gets no cause: nothing crashed.
 */
import type { Cause, Confidence, CrashKind, Evidence } from '../model.js';
import type { Facts } from './facts.js';
import type { BlameResult } from './blame.js';
import { drivingException, isBareRejection, isNativeReport, MANAGED_FORMATS, NULL_WORD } from './runtimes.js';

interface CauseTemplate {
  kinds: CrashKind[];
  /** Evidence ids (prefixes allowed with a trailing `*`) that must all be present. */
  needs: string[];
  /** Cite these too when present. */
  cites?: string[];
  /** Not used when any of these evidence ids is present (a better template covers it). */
  unless?: string[];
  /** Used only when this holds (the report's format, the crash frame's role). */
  when?: (f: Facts) => boolean;
  confidence: Confidence | ((f: Facts) => Confidence);
  title(f: Facts, ev: Evidence[]): string;
}

const fn = (f: Facts) => (f.crash?.function ? `\`${f.crash.function}\`` : 'the crash frame');
/** The crash frame is the program's own code (not a runtime's or an event loop's frame). */
const inProgram = (f: Facts) => f.crash !== null && (f.crash.role === 'app' || f.crash.role === 'library');
const managed = (f: Facts) => MANAGED_FORMATS.has(f.report.format);
/** `, caused by \`T\``: a chain's root cause when the crash is about it, not the escaping exception; else ''. */
const causedBy = (f: Facts) => {
  const d = drivingException(f);
  return d && d !== f.report.exception && d.type !== f.report.exception?.type ? `, caused by \`${d.type}\`` : '';
};
/** ` ("…")`: the message of the exception the crash is about (a chain's root cause), or ''. */
const said = (f: Facts) => {
  const m = drivingException(f)?.message;
  return m ? ` ("${m.slice(0, 200).replace(/\s+/g, ' ').trim()}")` : '';
};
/** What pytest compared in a failed assert (`2 == 3 + where 2 = len([1, 2])`), or null. */
const compared = (f: Facts) => f.report.facts.find((x) => x.text.startsWith('pytest compared: '))?.text.slice(17).replace(/^assert /, '') ?? null;
/** The test a test runner's report names (Minitest's `Class#test_x`, node:test's test), or null. */
const testName = (f: Facts) => f.report.facts.find((x) => x.text.startsWith('Minitest: ') || x.text.startsWith('node:test: ') || x.text.startsWith('go test: '))?.value ?? null;
/**
 * ` (\`cfg["a"]\`)`: the value the runtime marked in the crash line when its error says that
 * value was None/undefined/null (the parser names it in its `marked:` fact), else ''.
 */
const markedOperand = (f: Facts) => {
  const v = f.report.facts.find((x) => x.value?.startsWith('marked:'))?.value;
  return v && v.length > 7 && f.top?.role !== 'library' ? ` (\`${v.slice(7, 207)}\`)` : '';
};
const nullName = (f: Facts) => f.nullPointers.find((p) => p.frame === f.crash)?.name ?? f.nullPointers[0]?.name ?? 'a pointer';

export const CAUSE_TEMPLATES: CauseTemplate[] = [
  {
    kinds: ['null-deref'],
    needs: ['null-*'],
    cites: ['fault-address', 'signal', 'source-line'],
    confidence: (f) => (f.report.signal?.faultAddress ? 'high' : 'medium'),
    title: (f) => `\`${nullName(f)}\` is NULL when ${fn(f)} uses it: the caller passed a pointer that was never set, was cleared, or belongs to an object already torn down.`,
  },
  {
    kinds: ['null-deref'],
    needs: ['fault-address'],
    cites: ['signal', 'instruction'],
    confidence: 'medium',
    title: (f) => `${fn(f)} read or wrote through a NULL pointer (or a field of a NULL struct: the address is a small offset from 0).`,
  },
  {
    kinds: ['null-deref', 'segv', 'use-after-free'],
    needs: ['signal'],
    cites: ['null-*', 'fault-address'],
    confidence: 'low',
    title: () => 'The object was freed or reset by another path (completion, cancel, unplug, teardown) while this one still held it: a lifetime or race bug.',
  },
  {
    kinds: ['segv'],
    needs: ['signal'],
    cites: ['fault-address', 'instruction', 'crash-location'],
    confidence: 'medium',
    title: (f) => `${fn(f)} dereferenced an invalid pointer: dangling (use after free), uninitialised, or computed out of bounds.`,
  },
  {
    kinds: ['segv', 'null-deref', 'heap-corruption', 'abort'],
    needs: ['corrupt-stack'],
    confidence: 'medium',
    title: () => 'The stack was overwritten (a buffer overflow on the stack or a bad function pointer): the frames below the corruption are not trustworthy.',
  },
  {
    kinds: ['assertion'],
    needs: ['assertion'],
    when: (f) => compared(f) !== null,
    confidence: 'high',
    title: (f) =>
      `The check \`${f.report.assertion!.expression}\` failed in \`${f.report.assertion!.function ?? '?'}\` (pytest compared ${compared(f)}): the code under test returned a different value than the test expects, or the test expects the wrong one.`,
  },
  {
    kinds: ['assertion'],
    needs: ['assertion'],
    when: (f) => compared(f) === null && testName(f) !== null,
    confidence: 'high',
    title: (f) => `The test \`${testName(f)}\` failed an assertion (${f.report.assertion!.expression}): the code under test returned a different value than the test expects, or the test expects the wrong one.`,
  },
  {
    kinds: ['assertion'],
    needs: ['assertion'],
    cites: ['source-line', 'signal'],
    when: (f) => compared(f) === null && testName(f) === null,
    confidence: 'high',
    title: (f) => {
      const a = f.report.assertion!;
      return `The invariant \`${a.expression}\` did not hold in \`${a.function ?? f.crash?.function ?? '?'}\`: a caller reached it in a state the code does not allow.`;
    },
  },
  {
    kinds: ['assertion'],
    needs: ['exception'],
    unless: ['assertion'],
    cites: ['crash-location'],
    when: managed,
    confidence: 'high',
    title: (f) => `A check failed in ${fn(f)}${said(f)}: the code under test returned a different value than the test (or the assertion) expects, or the expectation is wrong.`,
  },
  {
    kinds: ['assertion'],
    // (the stack shows the assert: a signal line need not have been pasted, as in a journal's core dump)
    needs: [],
    unless: ['assertion', 'exception'],
    cites: ['signal', 'crash-location'],
    confidence: 'medium',
    title: (f) => `An assertion failed in ${fn(f)} (the assertion text was not pasted).`,
  },
  {
    kinds: ['heap-corruption', 'double-free', 'invalid-free'],
    needs: ['heap-message'],
    cites: ['signal'],
    confidence: 'high',
    title: (f) => {
      const m = f.report.message ?? '';
      if (/double free/i.test(m)) return 'The same heap block was freed twice: two owners, or a free on an error path followed by the normal free.';
      if (/invalid pointer|invalid size/i.test(m)) return 'free() got a pointer that malloc never returned (offset into a block, a stack or static address, or a freed block).';
      return 'Heap metadata was overwritten by an earlier out-of-bounds write or a write after free; glibc detected it here, later than where it happened.';
    },
  },
  {
    kinds: ['heap-corruption'],
    needs: ['signal'],
    confidence: 'medium',
    title: () => 'Heap metadata was overwritten earlier (out-of-bounds or use-after-free write); the crash site is where glibc noticed, not where it happened.',
  },
  {
    kinds: ['double-free'],
    needs: ['signal'],
    confidence: 'medium',
    title: () => 'The same heap block was freed twice.',
  },
  {
    kinds: ['stack-smashing', 'stack-buffer-overflow'],
    needs: ['signal'],
    cites: ['stack-smashing', 'fortify'],
    confidence: 'high',
    title: (f) => `A local array in ${fn(f)} (or a function it called with a pointer to it) was written past its end; the stack protector caught it on return.`,
  },
  {
    kinds: ['stack-overflow'],
    needs: ['cycle'],
    cites: ['signal'],
    confidence: 'high',
    title: (f) => `Unbounded recursion through ${f.cycle!.functions.map((x) => `\`${x}\``).join(' → ')}: the recursion has no base case for this input, or a cycle in the data (a list or graph that points back to itself).`,
  },
  {
    kinds: ['stack-overflow'],
    needs: ['signal'],
    confidence: 'medium',
    title: () => 'The thread ran out of stack: deep recursion or a very large local array.',
  },
  {
    kinds: ['fpe'],
    needs: ['signal'],
    cites: ['crash-location', 'instruction'],
    confidence: 'high',
    title: (f) => `Integer division by zero (or INT_MIN / -1) in ${fn(f)}: a divisor that comes from input or a count that can be 0.`,
  },
  {
    kinds: ['abort'],
    needs: ['pure-virtual'],
    confidence: 'high',
    title: () => 'A pure virtual method was called: the object was used during its constructor or destructor, or after it was destroyed.',
  },
  {
    kinds: ['abort'],
    needs: ['signal'],
    cites: ['crash-location'],
    confidence: 'medium',
    title: (f) => `${fn(f)} called abort(): a fatal error path chose to stop the program; its message (stderr) says why.`,
  },
  {
    kinds: ['null-deref'],
    needs: ['exception'],
    cites: ['root-cause', 'marked-expression', 'source-line', 'crash-location'],
    when: managed,
    confidence: 'high',
    title: (f) => `A ${NULL_WORD[f.report.format]} value${markedOperand(f)} was used as an object in ${fn(f)}${said(f)}. It came from a value that was never set, a lookup that found nothing (a missing key, row, file or element), or an error path that returned it: find where it should have been set.`,
  },
  {
    kinds: ['uncaught-exception'],
    needs: ['exception'],
    when: isBareRejection,
    confidence: 'high',
    title: () => 'A promise was rejected with a value that is not an Error, and no `.catch` or `try`/`await` handled it. Such a value carries no stack: any frames printed are Node\'s own rejection machinery, not the code that rejected. Look for `reject(<value>)`, `Promise.reject(<value>)` or `throw <value>` in an async function.',
  },
  {
    kinds: ['uncaught-exception'],
    needs: ['exception'],
    cites: ['root-cause', 'terminate', 'signal'],
    when: (f) => inProgram(f) && !isBareRejection(f),
    confidence: 'high',
    title: (f) => `An exception of type \`${f.report.exception!.type}\` escaped every handler${causedBy(f)}${said(f)}; it was thrown from ${fn(f)} or a function it called.`,
  },
  {
    kinds: ['uncaught-exception'],
    needs: ['exception'],
    cites: ['root-cause', 'terminate', 'signal'],
    when: (f) => !inProgram(f) && !isBareRejection(f),
    confidence: 'high',
    title: (f) => `An exception of type \`${f.report.exception!.type}\` escaped every handler${causedBy(f)}${said(f)}; no frame of the program is on its stack (it surfaced in ${fn(f)}), so the code that caused it ran earlier and handed over a bad value or state.`,
  },
  {
    kinds: ['uncaught-exception'],
    needs: ['signal'],
    // an Objective-C exception (NSException): objc_exception_throw in the report's stacks
    when: (f) => f.functions.has('objc_exception_throw'),
    cites: ['crash-location'],
    confidence: 'medium',
    title: (f) => `An Objective-C exception (NSException) escaped every handler${f.crash?.function ? `; the program's innermost frame where it was thrown is ${fn(f)}` : ''}: the report's \`Last Exception Backtrace\` is the throw's stack, and the exception's reason is in the device log (\`*** Terminating app due to uncaught exception\`).`,
  },
  {
    kinds: ['uncaught-exception'],
    needs: ['signal'],
    when: (f) => !f.functions.has('objc_exception_throw'),
    confidence: 'medium',
    title: () => 'A C++ exception escaped every handler (or was thrown from a noexcept function or a destructor during unwinding).',
  },
  {
    kinds: ['deadlock'],
    needs: [],
    cites: ['crash-location'],
    when: (f) => f.report.format === 'go' && (f.report.message ?? '').includes('all goroutines are asleep'),
    confidence: 'high',
    title: () => 'Every goroutine is blocked (a channel send or receive, `sync.WaitGroup.Wait`, a mutex) and none is left to wake the others: a send with no receiver (or the reverse), a `WaitGroup.Add` without its `Done`, a channel never closed, or a lock taken twice.',
  },
  {
    kinds: ['deadlock'],
    needs: [],
    cites: ['crash-location'],
    when: (f) => f.report.format === 'java' && (f.report.message ?? '').startsWith('Java-level deadlock'),
    confidence: 'high',
    title: (f) => `Lock-order inversion between Java threads: ${f.report.message!.replace(/^Java-level deadlock:\s*/, '').slice(0, 300)} Take the monitors in one global order (or use \`tryLock\` with a timeout).`,
  },
  {
    kinds: ['deadlock'],
    needs: ['blocked-threads'],
    confidence: (f) => (new Set(f.blocked.map((b) => b.lock).filter(Boolean)).size >= 2 ? 'medium' : 'low'),
    title: () => 'Lock-order inversion: each waiting thread holds a lock another one is waiting for. Take the locks in one global order.',
  },
  {
    kinds: ['illegal-instruction'],
    needs: ['signal'],
    confidence: 'medium',
    title: (f) => `${fn(f)} executed a trap instruction: a compiler-inserted check (__builtin_trap, -ftrapv, UBSan trap mode) or a jump into data.`,
  },
  {
    kinds: ['bus-error'],
    needs: ['signal'],
    confidence: 'medium',
    title: () => 'A mapped file shrank under the program, or a misaligned access on a strict-alignment CPU.',
  },
  {
    kinds: ['use-after-free'],
    needs: [],
    cites: ['access', 'freed-stack', 'allocated-stack', 'signal', 'crash-location'],
    confidence: 'high',
    title: (f) => `${fn(f)} used memory after it was freed: the freeing path (see the \`freed\` stack) left a pointer behind that this path still uses.`,
  },
  {
    kinds: ['heap-overflow', 'global-buffer-overflow', 'stack-buffer-overflow'],
    needs: ['access'],
    cites: ['crash-location'],
    confidence: 'high',
    title: (f) => `${fn(f)} accessed past the end (or before the start) of a buffer: an off-by-one, a length from input that was not checked, or a wrong size in an allocation.`,
  },
  {
    kinds: ['uninitialized-value'],
    needs: [],
    cites: ['origin-stack', 'crash-location'],
    confidence: 'high',
    title: (f) => `${fn(f)} branched on or used a value that was never initialised (see the \`origin\` stack for where the memory came from).`,
  },
  {
    kinds: ['undefined-behavior'],
    needs: [],
    cites: ['crash-location'],
    confidence: 'high',
    title: (f) => `${fn(f)} did something the language leaves undefined${f.report.message ? ` (${f.report.message.slice(0, 160)})` : ''}.`,
  },
  {
    kinds: ['data-race'],
    needs: [],
    cites: ['access', 'other-access-stack', 'thread-created-stack', 'crash-location'],
    confidence: 'high',
    title: (f) => `${fn(f)} and another thread access the same memory without a common lock or atomic; one of the accesses is a write.`,
  },
  {
    kinds: ['leak'],
    needs: [],
    confidence: 'high',
    title: (f) => `Memory allocated under ${fn(f)} is never freed on some path (an early return or an error path, or an owner that forgets it).`,
  },
  {
    kinds: ['oom'],
    needs: [],
    when: inProgram,
    confidence: 'medium',
    title: (f) => `An allocation in ${fn(f)} asked for more memory than is available: a size computed from input, a leak that grew, or an unbounded cache.`,
  },
  {
    kinds: ['oom'],
    needs: [],
    when: (f) => !inProgram(f),
    confidence: 'medium',
    title: (f) =>
      `${f.crash === null ? 'Memory ran out, and no frame of the report says where' : `Memory ran out inside the runtime${f.crash.function ? ` (${fn(f)})` : ''}, not at a call of the program`}: the live data kept growing (a cache or map that only grows, listeners or closures kept alive, a queue nobody drains) or one input was too large to hold at once. A heap profile shows where the memory went.`,
  },
  {
    kinds: ['panic'],
    needs: [],
    unless: ['exception'],
    cites: ['crash-location'],
    confidence: 'high',
    title: (f) => `${fn(f)} failed with a panic${f.report.message ? `: ${f.report.message.slice(0, 160)}` : ''}.`,
  },
  {
    kinds: ['uncaught-exception'],
    needs: [],
    // (an uncaught exception with its type known has a better line above; a native one,
    // C++'s terminate, has its own below)
    unless: ['exception'],
    when: (f) => !isNativeReport(f.report.format),
    cites: ['crash-location'],
    confidence: 'high',
    title: (f) => `${fn(f)} failed with ${f.report.exception ? `\`${f.report.exception.type}\`` : 'an uncaught exception'}${f.report.message ? `: ${f.report.message.slice(0, 160)}` : ''}.`,
  },
  {
    kinds: ['kernel-bug', 'kernel-warning', 'hang'],
    needs: [],
    cites: ['crash-location', 'access'],
    confidence: 'medium',
    title: (f) => `${f.report.message ? f.report.message.slice(0, 160) : 'The kernel stopped'} — reached from ${fn(f)}.`,
  },
];

function present(ev: Evidence[], id: string): Evidence[] {
  if (id.endsWith('*')) return ev.filter((e) => e.id.startsWith(id.slice(0, -1)));
  return ev.filter((e) => e.id === id);
}

const ORDER: Record<Confidence, number> = { high: 0, medium: 1, low: 2 };

export function rankCauses(f: Facts, kind: CrashKind, ev: Evidence[], blame: BlameResult | null): Cause[] {
  if (kind === 'snapshot') return [];
  const out: Cause[] = [];
  if (blame) {
    const ids = ['assertion', 'thread-contract'].filter((id) => ev.some((e) => e.id === id));
    out.push({ title: blame.cause, confidence: 'high', evidence: ids });
  }
  for (const t of CAUSE_TEMPLATES) {
    if (!t.kinds.includes(kind)) continue;
    if (!t.needs.every((n) => present(ev, n).length > 0)) continue;
    if (t.unless?.some((n) => present(ev, n).length > 0)) continue;
    if (t.when && !t.when(f)) continue;
    const cited = [...t.needs, ...(t.cites ?? [])].flatMap((n) => present(ev, n).map((e) => e.id));
    const title = t.title(f, ev);
    if (out.some((c) => c.title === title)) continue;
    out.push({ title: title.charAt(0).toUpperCase() + title.slice(1), confidence: typeof t.confidence === 'function' ? t.confidence(f) : t.confidence, evidence: [...new Set(cited)] });
  }
  // Stable sort: the rule's blame first, then by confidence, then table order.
  return out
    .map((c, i) => ({ c, i }))
    .sort((a, b) => (a.i === 0 && blame ? -1 : b.i === 0 && blame ? 1 : ORDER[a.c.confidence] - ORDER[b.c.confidence] || a.i - b.i))
    .map((x) => x.c);
}
