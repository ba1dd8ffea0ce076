/**
 * Diagnosis: from one parsed report (roles assigned) to the conclusions of an Analysis.
 * Takes: the report and the rule set. Gives: kind and confidence, crashing thread, top,
 * crash and blame frames, title, evidence, ranked causes, next steps and quality notes —
 * each from its own module and table.
 */
import type { Analysis, CrashKind, Confidence, Evidence } from '../model.js';
import type { ParsedReport } from '../model.js';
import type { RuleSet } from '../rules/load.js';
import { computeFacts, type Facts } from './facts.js';
import { decideKind } from './kind.js';
import { collectEvidence } from './evidence.js';
import { findBlame } from './blame.js';
import { rankCauses } from './causes.js';
import { nextSteps } from './next-steps.js';
import { qualityNotes } from './quality.js';
import { versionBounds } from './landmarks.js';
import { makeTitle } from './title.js';

export type Diagnosis = Pick<
  Analysis,
  'kind' | 'confidence' | 'title' | 'crashingThread' | 'topFrame' | 'crashFrame' | 'blameFrame' | 'evidence' | 'causes' | 'nextSteps' | 'quality'
> & { facts: Facts; kindReason: string };

export function diagnose(report: ParsedReport, rules: RuleSet): Diagnosis {
  let f = computeFacts(report, rules);
  let k = decideKind(f);
  // In a deadlock the thread to look at is one that waits for a lock, whatever thread the
  // debugger had selected (lldb marks the thread it stopped in, often main in pthread_join).
  if (k.kind === 'deadlock' && f.blocked.length > 0 && !f.blocked.some((b) => b.thread === f.thread)) {
    f = computeFacts(report, rules, f.blocked[0].thread);
    k = decideKind(f);
  }
  let kind: CrashKind = k.kind;
  let confidence: Confidence = k.confidence;
  const evidence: Evidence[] = collectEvidence(f, kind);
  const blame = kind === 'snapshot' ? null : findBlame(f);
  if (blame) {
    const t = f.thread!;
    evidence.push({
      id: 'thread-contract',
      text: `The failing check runs on thread ${t.id}${t.name ? ` "${t.name}"` : ''}, reached from ${blame.blame.frame.function} (frame #${blame.blame.frame.index}).`,
      frame: blame.blame.frame.index,
    });
  }
  const bounds = versionBounds(f);
  for (const b of bounds) {
    if (b.conflict) {
      evidence.push({ id: 'symbol-mismatch', text: `\`${b.untilFunction}\` (${b.product} ≤ ${b.until}) and \`${b.sinceFunction}\` (${b.product} ≥ ${b.since}) appear together.` });
    } else if (b.since || b.until) {
      const range = b.since && b.until ? `${b.since} to ${b.until}` : b.since ? `${b.since} or later` : `${b.until} or earlier`;
      evidence.push({ id: 'version-bound', text: `The functions on the stacks exist in ${b.product} ${range} (${[b.sinceFunction, b.untilFunction].filter(Boolean).join(', ')}).` });
    }
  }
  if (bounds.some((b) => b.conflict) && confidence === 'high') confidence = 'medium';
  const causes = rankCauses(f, kind, evidence, blame);
  if (bounds.some((b) => b.conflict)) {
    causes.unshift({
      title: 'The function names on this stack cannot all come from one build: fix the symbols first, then read the stack again.',
      confidence: 'high',
      evidence: ['symbol-mismatch'],
    });
  }
  const steps = nextSteps(f, kind, evidence);
  const conflict = bounds.find((b) => b.conflict);
  if (conflict) {
    // Nothing else on the stack can be trusted until the symbols match the binary.
    const product = rules.products.find((p) => p.name === conflict.product);
    steps.unshift(
      ...(product?.mismatchSteps.length
        ? product.mismatchSteps.map((x) => ({ ...x }))
        : [{ text: `First get a backtrace whose symbols match the binary: note the exact ${conflict.product} version and install the debug symbols of that very build, then take the backtrace again.` }]),
    );
  }
  const quality = qualityNotes(f, kind, bounds);
  return {
    kind,
    confidence,
    title: makeTitle(report, kind, f.crash, blame?.blame.frame ?? null),
    crashingThread: f.thread ? { id: f.thread.id, name: f.thread.name } : null,
    topFrame: f.top,
    crashFrame: f.crash,
    blameFrame: blame?.blame ?? null,
    evidence,
    causes,
    nextSteps: steps,
    quality,
    facts: f,
    kindReason: k.reason,
  };
}
