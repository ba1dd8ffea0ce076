/**
 * Blame: the frame a rule pack holds responsible instead of the crash frame (DESIGN,
 * `blameFrame`). QEMU: a main-loop-lock or main-thread assertion failing on an IOThread
 * blames the device function that ran main-thread-only code there.
 * Takes: the diagnosis facts. Gives: the blamed frame with the reason and the cause text
 * of the rule that fired, or null.
 */
import type { BlameFrame } from '../model.js';
import type { Facts } from './facts.js';
import { classOf } from '../rules/roles.js';
import { globMatch } from '../rules/glob.js';

export interface BlameResult {
  blame: BlameFrame;
  rule: string;
  cause: string;
}

export function findBlame(f: Facts): BlameResult | null {
  if (!f.thread || f.crashIndex < 0) return null;
  const text = `${f.report.assertion?.expression ?? ''}\n${f.report.message ?? ''}`;
  for (const rule of f.rules.blame) {
    if (rule.assertionIncludes && !rule.assertionIncludes.some((s) => text.includes(s))) continue;
    const runs = rule.threadRunsFunction?.some((g) => f.frames.some((fr) => fr.function !== null && globMatch(g, fr.function))) ?? false;
    const named = rule.threadName?.some((g) => f.thread!.name !== null && globMatch(g, f.thread!.name)) ?? false;
    if ((rule.threadRunsFunction || rule.threadName) && !runs && !named) continue;
    for (let i = f.crashIndex; i < f.frames.length; i++) {
      const frame = f.frames[i];
      const cls = classOf(frame);
      if (cls && rule.blameClasses.includes(cls)) {
        const fn = frame.function ?? '??';
        return {
          blame: { frame, reason: rule.reason.replaceAll('{function}', fn) },
          rule: rule.id,
          cause: rule.cause.replaceAll('{function}', fn),
        };
      }
    }
  }
  return null;
}
