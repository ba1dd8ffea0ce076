/**
 * Loading rule packs.
 * Takes: the pack files in src/rules/packs (dist/rules/packs once built) and, optionally,
 * project rules. Gives: one compiled RuleSet — exact function names in a Map, globs in
 * lists — in precedence order: project rules, then packs by function, module, path.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { BlameRule, FrameRule, Landmark, PackStep, RulePack } from './pack.js';
import { globMatch, hasWildcard } from './glob.js';

export interface CompiledRule extends FrameRule {
  pack: string;
}

export interface RuleSet {
  packs: RulePack[];
  exact: Map<string, CompiledRule>;
  functionGlobs: CompiledRule[];
  modules: CompiledRule[];
  paths: CompiledRule[];
  /** Project rules (`.crashlens.yml`), consulted before everything else. */
  project: CompiledRule[];
  landmarks: Array<Landmark & { pack: string; product?: string }>;
  blame: Array<BlameRule & { pack: string }>;
  products: Array<{ name: string; identify: string[]; nextSteps: PackStep[]; mismatchSteps: PackStep[]; pack: string }>;
}

const PACK_DIR = fileURLToPath(new URL('./packs/', import.meta.url));

let cached: RulePack[] | null = null;

export function loadPacks(dir: string = PACK_DIR): RulePack[] {
  if (dir === PACK_DIR && cached) return cached;
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch {
    files = [];
  }
  const packs: RulePack[] = [];
  for (const f of files) {
    try {
      const pack = JSON.parse(readFileSync(join(dir, f), 'utf8')) as RulePack;
      if (pack && Array.isArray(pack.frames)) packs.push(pack);
    } catch {
      // A broken pack file is reported by the pack tests; at run time it is skipped.
    }
  }
  if (dir === PACK_DIR) cached = packs;
  return packs;
}

export function compileRules(packs: RulePack[], project: FrameRule[] = []): RuleSet {
  const set: RuleSet = {
    packs,
    exact: new Map(),
    functionGlobs: [],
    modules: [],
    paths: [],
    project: project.map((r) => ({ ...r, pack: '.crashlens.yml' })),
    landmarks: [],
    blame: [],
    products: [],
  };
  for (const pack of packs) {
    for (const rule of pack.frames) {
      const r: CompiledRule = { ...rule, pack: pack.name };
      if (rule.function !== undefined) {
        if (hasWildcard(rule.function)) set.functionGlobs.push(r);
        else if (!set.exact.has(rule.function)) set.exact.set(rule.function, r);
      } else if (rule.module !== undefined) set.modules.push(r);
      else if (rule.path !== undefined) set.paths.push(r);
    }
    for (const l of pack.landmarks ?? []) set.landmarks.push({ ...l, pack: pack.name, product: pack.product });
    for (const b of pack.blame ?? []) set.blame.push({ ...b, pack: pack.name });
    if (pack.product && pack.identify) {
      set.products.push({ name: pack.product, identify: pack.identify, nextSteps: pack.nextSteps ?? [], mismatchSteps: pack.mismatchSteps ?? [], pack: pack.name });
    }
  }
  return set;
}

let defaultSet: RuleSet | null = null;
export function defaultRules(): RuleSet {
  defaultSet ??= compileRules(loadPacks());
  return defaultSet;
}

/**
 * The packs that apply to one report: packs with neither `product` nor `formats` always;
 * a pack with `formats` when the report's format is listed; a product pack when one of
 * its `identify` globs matches a function of the report.
 */
export function selectPacks(packs: RulePack[], format: string, functions: Iterable<string>): RulePack[] {
  const names = [...functions];
  return packs.filter((p) => {
    if (p.formats?.includes(format)) return true;
    if (p.product && p.identify) return p.identify.some((g) => names.some((n) => globMatch(g, n)));
    return !p.formats;
  });
}

const selected = new Map<string, RuleSet>();

/** The compiled rule set for one report (memoised by the packs chosen), project rules first. */
export function rulesForReport(format: string, functions: Iterable<string>, project: FrameRule[] = [], packs: RulePack[] = loadPacks()): RuleSet {
  const chosen = selectPacks(packs, format, functions);
  if (project.length > 0) return compileRules(chosen, project);
  const key = chosen.map((p) => p.name).join('\u0000');
  let set = selected.get(key);
  if (!set) {
    set = compileRules(chosen);
    if (selected.size < 64) selected.set(key, set);
  }
  return set;
}
