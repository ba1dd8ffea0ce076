/**
 * Evidence: facts read from the input that a conclusion can cite.
 * Takes: the diagnosis facts. Gives: `[{ id, text, frame? }]` — the signal and fault
 * address, NULL pointers in the crash frames, the assertion, glibc messages, a recursion
 * cycle, blocked threads, a corrupt-stack marker, a signal handler frame, the source line
 * the debugger printed. Ids are stable words so causes can cite them.
 */
import type { Evidence } from '../model.js';
import type { Facts } from './facts.js';
import { drivingException } from './runtimes.js';

function where(f: { function: string | null; file?: string | null; line?: number | null }): string {
  const loc = f.file ? ` (${f.file}${f.line ? `:${f.line}` : ''})` : '';
  return `${f.function ?? '??'}${loc}`;
}

/** Kinds where a NULL argument says nothing about the failure. */
const NO_POINTER_EVIDENCE = new Set(['deadlock', 'hang', 'leak', 'snapshot', 'data-race']);

export function collectEvidence(f: Facts, kind?: string): Evidence[] {
  const ev: Evidence[] = [];
  const r = f.report;
  const add = (id: string, text: string, frame?: number) => {
    if (!ev.some((e) => e.id === id)) ev.push(frame === undefined ? { id, text } : { id, text, frame });
  };
  if (r.signal) {
    const s = r.signal;
    let text = `Signal ${s.name}${s.number !== undefined ? ` (${s.number})` : ''}${s.code ? `, ${s.code}` : ''}`;
    if (f.thread) text += ` in thread ${f.thread.id}${f.thread.name ? ` "${f.thread.name}"` : ''}`;
    add('signal', text + '.');
    if (s.faultAddress) add('fault-address', `Fault address ${s.faultAddress}${/^0x0*$/.test(s.faultAddress) ? ' (NULL)' : ''}.`);
  }
  if (!r.signal?.faultAddress && r.access?.address && r.format !== 'asan' && r.format !== 'valgrind') {
    // A kernel oops gives the faulting address in CR2 or the KASAN range, not in a signal.
    const a = r.access.address;
    add('fault-address', `Fault address ${a}${/^0x0*$/.test(a) ? ' (NULL)' : ''}.`);
  }
  if (r.access && (r.access.type !== 'unknown' || r.access.size !== undefined)) {
    add('access', `${r.access.type.toUpperCase()}${r.access.size !== undefined ? ` of size ${r.access.size}` : ''}${r.access.address ? ` at ${r.access.address}` : ''}.`);
  }
  if (r.assertion) {
    const a = r.assertion;
    const loc = a.file ? ` at ${a.file}${a.line !== null ? `:${a.line}` : ''}` : '';
    add('assertion', `Assertion \`${a.expression}\` failed${a.function ? ` in ${a.function}` : ''}${loc}.`);
  }
  if (r.exception) {
    const m = r.exception.message;
    const said = (t: string, msg: string | null) => `${t}${msg ? `: ${msg}` : ''}${msg && /[.!?]$/.test(msg) ? '' : '.'}`;
    add('exception', `Exception ${said(r.exception.type, m)}`);
    // the chain's root cause, when the crash is about it
    const d = drivingException(f);
    if (d && d !== r.exception && (d.type !== r.exception.type || d.message !== m)) add('root-cause', `Caused by ${said(d.type, d.message)}`);
  }
  for (const fact of r.facts) {
    if (fact.code === 'heap-message') add('heap-message', `glibc reported: \`${fact.value ?? fact.text}\`.`);
    if (fact.code === 'stack-smashing') add('stack-smashing', `glibc reported: \`${fact.value ?? fact.text}\`.`);
    if (fact.code === 'fortify') add('fortify', `glibc reported: \`${fact.value ?? fact.text}\`.`);
    if (fact.code === 'terminate') add('terminate', `The C++ runtime reported: \`${fact.value ?? fact.text}\`.`);
    if (fact.code === 'pure-virtual') add('pure-virtual', 'The C++ runtime reported: `pure virtual method called`.');
    if (fact.code === 'corrupt-stack') add('corrupt-stack', `${fact.text} — the stack itself may be overwritten.`);
    if (fact.code === 'signal-handler' && (!f.thread || fact.value === f.thread.id)) add('signal-handler', fact.text, fact.frame);
    if (fact.code === 'other' && fact.value?.startsWith('insn:')) add('instruction', fact.text);
    // (Python's marks in the innermost frame's line: worth citing where the source line is)
    if (fact.code === 'other' && fact.value?.startsWith('marked:') && f.top && f.top.role !== 'library' && f.top.role !== 'runtime' && f.top.role !== 'crash-handling') add('marked-expression', fact.text, f.top.index);
  }
  if (!NO_POINTER_EVIDENCE.has(kind ?? '')) f.nullPointers.forEach((p, i) => {
    const fr = p.frame;
    add(
      `null-${p.source === 'argument' ? 'arg' : 'local'}-${i + 1}`,
      `${p.source === 'argument' ? 'Argument' : 'Local'} \`${p.name}\` is ${p.value}${p.value === '0x0' ? ' (NULL)' : ' (inside the NULL page)'} in frame #${fr.index} ${where(fr)}.`,
      fr.index,
    );
  });
  // The extra stacks a report carries: where the memory was freed and allocated, the
  // other access of a race, where an uninitialised value came from.
  const STACK_WORDS: Record<string, string> = {
    freed: 'Freed',
    allocated: 'Allocated',
    'other-access': 'Other access',
    origin: 'Uninitialised value created',
    'thread-created': 'Thread created',
    'goroutine-created': 'Goroutine created',
  };
  for (const st of r.stacks) {
    const word = STACK_WORDS[st.role];
    if (!word) continue;
    const fr = st.frames.find((x) => x.role === 'app') ?? st.frames.find((x) => x.role !== 'crash-handling' && x.function);
    if (!fr) continue;
    add(`${st.role}-stack`, `${word} in ${where(fr)}${st.thread ? ` (thread ${st.thread})` : ''}.`);
  }
  if (f.cycle) {
    const c = f.cycle;
    const names = c.functions.join(' → ');
    add('cycle', `The frames ${names} repeat ${c.repeats} times in a row (from frame #${f.frames[c.start]?.index ?? c.start}; ${f.frames.length} frames shown).`, f.frames[c.start]?.index);
  }
  if (f.blocked.length > 0) {
    const parts = f.blocked.map((b) => `thread ${b.thread.id}${b.thread.name ? ` "${b.thread.name}"` : ''} in ${b.thread.frames[b.frame].function}${b.lock ? ` on ${b.lock}` : ''}`);
    add('blocked-threads', `Threads waiting for a lock: ${parts.join('; ')}.`);
  }
  // The line gdb printed at the stop belongs to the stop frame; a system file's
  // "No such file or directory" says nothing.
  if (r.sourceLine && f.top && f.top.line === r.sourceLine.line && f.top.role !== 'library' && f.top.role !== 'runtime' && f.top.role !== 'crash-handling' && !r.sourceLine.text.includes('No such file or directory')) add('source-line', `${r.format === 'gdb' || r.format === 'lldb' ? 'The debugger showed' : 'The report shows'} line ${r.sourceLine.line}: \`${r.sourceLine.text.trim().slice(0, 200)}\`.`, f.top.index);
  if (f.crash && f.crash.role === 'app' && f.crash.file) add('crash-location', `Crash frame #${f.crash.index} ${where(f.crash)}.`, f.crash.index);
  return ev;
}
