/**
 * Quality notes: what limits the analysis.
 * Takes: the facts, version bounds and the kind. Gives: `quality` — missing symbols,
 * optimized-out values, a truncated or corrupt stack, no crash frame, a snapshot, and
 * symbols that cannot belong to one build.
 */
import type { CrashKind, QualityNote } from '../model.js';
import type { Facts } from './facts.js';
import type { VersionBound } from './landmarks.js';

export function qualityNotes(f: Facts, kind: CrashKind, bounds: VersionBound[]): QualityNote[] {
  const out: QualityNote[] = [];
  const add = (text: string) => {
    if (!out.some((q) => q.text === text)) out.push({ text });
  };
  for (const b of bounds) {
    if (b.conflict) {
      add(
        `No ${b.product} release has both \`${b.untilFunction}\` (gone after ${b.until}${b.untilNote ? `; ${b.untilNote}` : ''}) and \`${b.sinceFunction}\` (added in ${b.since}${b.sinceNote ? `; ${b.sinceNote}` : ''}): the symbols probably do not match the binary (missing or mismatched debug symbols, or a patched build). Give the exact version (\`qemu-system-x86_64 --version\`) and a backtrace with matching debug symbols before trusting function names.`,
      );
    }
  }
  if (kind === 'snapshot') add('The text shows no crash: a backtrace taken at a breakpoint, an interrupt or an attach. Nothing here says what went wrong.');
  const unknown = f.frames.filter((x) => x.role === 'unknown').length;
  if (unknown > 0) add(`${unknown} of ${f.frames.length} frames of the crashing stack have no symbol: install debug symbols for the binary and its libraries.`);
  for (const fact of f.report.facts) {
    if (fact.code === 'truncated') add(fact.text);
    if (fact.code === 'corrupt-stack') add('gdb stopped unwinding at a corrupt frame: the stack below it is missing or wrong.');
  }
  if (f.frames.some((x) => x.role === 'app' && (x.args?.includes('<optimized out>') || x.locals?.some((l) => l.value === '<optimized out>')))) add('Some arguments are <optimized out>: the build is optimised, so values and even inlined frames may be missing.');
  if (!f.report.complete) add('The report is cut off: frames or sections after the cut are missing.');
  if (f.frames.length > 0 && f.crash === null) {
    const nameless = f.frames.find((x) => x.role === 'unknown');
    add(
      nameless
        ? `The crash is in code without symbols (frame #${nameless.index}${nameless.address ? ` at ${nameless.address}` : ''}${nameless.module ? ` in ${nameless.module}` : ''}): the crash frame is unknown until the binary's symbols are available${nameless.address && !nameless.module ? ` (or try \`addr2line -f -e <binary> ${nameless.address}\` on an unstripped build)` : ''}.`
        : 'No frame of the crashing stack could be chosen as the crash frame (all are crash machinery).',
    );
  }
  if (f.frames.length === 0) add('No stack was pasted: the analysis rests on the messages alone.');
  return out;
}
