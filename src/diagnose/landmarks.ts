/**
 * Version landmarks: bounding a product's version from the functions on the stacks, and
 * noticing when no release has all of them (symbols that cannot belong to one build).
 * Takes: the diagnosis facts. Gives: for each identified product, the version window the
 * frames allow, or the pair of functions that cannot coexist.
 */
import type { Facts } from './facts.js';

export interface VersionBound {
  product: string;
  since: string | null;
  until: string | null;
  sinceFunction: string | null;
  untilFunction: string | null;
  sinceNote?: string;
  untilNote?: string;
  conflict: boolean;
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function versionBounds(f: Facts): VersionBound[] {
  const out: VersionBound[] = [];
  for (const product of f.products) {
    const marks = f.rules.landmarks.filter((l) => l.product === product && f.functions.has(l.function));
    if (marks.length === 0) continue;
    const b: VersionBound = { product, since: null, until: null, sinceFunction: null, untilFunction: null, conflict: false };
    for (const m of marks) {
      if (m.since && (b.since === null || compareVersions(m.since, b.since) > 0)) {
        b.since = m.since;
        b.sinceFunction = m.function;
        b.sinceNote = m.note;
      }
      if (m.until && (b.until === null || compareVersions(m.until, b.until) < 0)) {
        b.until = m.until;
        b.untilFunction = m.function;
        b.untilNote = m.note;
      }
    }
    b.conflict = b.since !== null && b.until !== null && compareVersions(b.since, b.until) > 0;
    out.push(b);
  }
  return out;
}
