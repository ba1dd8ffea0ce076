/**
 * A project's own rules: `.crashlens.yml` at the source tree's root (or a file given with
 * `--rules FILE`).
 * Takes: the YAML text (or where to find it). Gives: `{ rules, ignore, signatureFrames }`
 * — `rules` in the rule-pack shape (src/rules/pack.ts) that the roles stage applies before
 * every bundled pack, `ignore` as function globs the signature skips — or a
 * `ProjectRulesError` whose issues name the bad key and its line.
 *
 * ```yaml
 * app:                     # app code: path globs (with a `/` or a source extension),
 *   - "src/**"             # module globs (anything else), or {path|module|function: glob}
 *   - "libshop*.so*"
 * crash-handling: [shop_fatal, "shop_die_*"]   # function globs
 * plumbing: ["shop_loop_*"]                     # function globs
 * ignore: ["shop_log_*"]                        # function globs left out of the signature
 * explanations:                                 # function → one line
 *   shop_cart_total: adds up the prices of a cart
 * signature:
 *   frames: 4                                   # frames the signature keeps (1–20)
 * ```
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import type { Node, Pair } from 'yaml';
import type { FrameRule } from '../rules/pack.js';

export const PROJECT_RULES_FILE = '.crashlens.yml';
const MAX_RULES_BYTES = 1024 * 1024;

export interface ProjectRules {
  /** Where the rules came from. */
  file: string;
  rules: FrameRule[];
  ignore: string[];
  signatureFrames?: number;
}

export interface RulesIssue {
  key: string;
  line: number;
  message: string;
}

export class ProjectRulesError extends Error {
  readonly issues: RulesIssue[];
  readonly file: string;
  constructor(file: string, issues: RulesIssue[]) {
    super(issues.map((i) => `${file}:${i.line}: ${i.key}: ${i.message}`).join('\n'));
    this.name = 'ProjectRulesError';
    this.file = file;
    this.issues = issues;
  }
}

const KEYS = ['app', 'crash-handling', 'plumbing', 'ignore', 'explanations', 'signature'];
const SOURCE_EXT = /\.(c|h|cc|cpp|cxx|hpp|hh|rs|go|java|kt|scala|py|js|mjs|cjs|ts|tsx|jsx|cs|swift|m|mm|rb|php)$/i;

/**
 * Parse and validate the text of a rules file. `file` names it in messages.
 * Throws `ProjectRulesError` listing every problem found.
 */
type Yaml = typeof import('yaml');
let yamlModule: Yaml | null = null;
/**
 * The YAML parser, loaded on first use: most runs read no `.crashlens.yml`, and loading the
 * package cost every start of the CLI or the library ~40-70 ms.
 */
function yaml(): Yaml {
  return (yamlModule ??= createRequire(import.meta.url)('yaml') as Yaml);
}

export function parseProjectRules(text: string, file = PROJECT_RULES_FILE): ProjectRules {
  const { parseDocument, LineCounter, isMap, isSeq, isScalar } = yaml();
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const issues: RulesIssue[] = [];
  const lineOf = (n: Node | null | undefined): number => {
    const r = (n as { range?: [number, number, number] } | null | undefined)?.range;
    return r ? lc.linePos(r[0]).line : 1;
  };
  for (const e of doc.errors) {
    issues.push({ key: '(yaml)', line: e.linePos?.[0]?.line ?? lc.linePos(e.pos[0]).line, message: e.message.split('\n')[0] });
  }
  if (issues.length > 0) throw new ProjectRulesError(file, issues);
  const out: ProjectRules = { file, rules: [], ignore: [] };
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return out;
  if (!isMap(root)) throw new ProjectRulesError(file, [{ key: '(top level)', line: lineOf(root as Node), message: 'must be a mapping of keys (app, crash-handling, plumbing, ignore, explanations, signature)' }]);

  const globList = (key: string, pair: Pair): string[] => {
    const v = pair.value as Node | null;
    if (isScalar(v) && typeof v.value === 'string' && v.value.trim() !== '') return [v.value.trim()];
    if (!isSeq(v)) {
      issues.push({ key, line: lineOf((v ?? pair.key) as Node), message: 'must be a list of glob strings' });
      return [];
    }
    const out: string[] = [];
    v.items.forEach((it, i) => {
      const item = it as Node;
      if (isScalar(item) && typeof item.value === 'string' && item.value.trim() !== '') out.push(item.value.trim());
      else issues.push({ key: `${key}[${i}]`, line: lineOf(item), message: 'must be a non-empty glob string' });
    });
    return out;
  };

  for (const pair of root.items) {
    const keyNode = pair.key as Node;
    const key = isScalar(keyNode) ? String(keyNode.value) : '?';
    const keyLine = lineOf(keyNode);
    if (!KEYS.includes(key)) {
      issues.push({ key, line: keyLine, message: `unknown key (expected one of: ${KEYS.join(', ')})` });
      continue;
    }
    if (key === 'crash-handling' || key === 'plumbing') {
      for (const g of globList(key, pair)) out.rules.push({ function: g, role: key });
    } else if (key === 'ignore') {
      out.ignore.push(...globList(key, pair));
    } else if (key === 'app') {
      const v = pair.value as Node | null;
      if (isSeq(v)) {
        v.items.forEach((it, i) => {
          const item = it as Node;
          if (isScalar(item) && typeof item.value === 'string' && item.value.trim() !== '') {
            const g = item.value.trim();
            out.rules.push(g.includes('/') || SOURCE_EXT.test(g) ? { path: g, role: 'app' } : { module: g, role: 'app' });
          } else if (isMap(item)) {
            const pairs = item.items;
            const k = pairs.length === 1 && isScalar(pairs[0].key) ? String(pairs[0].key.value) : '';
            const val = pairs.length === 1 ? (pairs[0].value as Node | null) : null;
            if ((k === 'path' || k === 'module' || k === 'function') && isScalar(val) && typeof val.value === 'string' && val.value.trim() !== '') {
              out.rules.push({ [k]: val.value.trim(), role: 'app' });
            } else {
              issues.push({ key: `app[${i}]`, line: lineOf(item), message: 'must be a glob string or one of {path: glob}, {module: glob}, {function: glob}' });
            }
          } else {
            issues.push({ key: `app[${i}]`, line: lineOf(item), message: 'must be a glob string or one of {path: glob}, {module: glob}, {function: glob}' });
          }
        });
      } else {
        issues.push({ key, line: lineOf((v ?? keyNode) as Node), message: 'must be a list of path or module globs' });
      }
    } else if (key === 'explanations') {
      const v = pair.value as Node | null;
      if (!isMap(v)) {
        issues.push({ key, line: lineOf((v ?? keyNode) as Node), message: 'must be a mapping of function name to one line of text' });
        continue;
      }
      for (const p of v.items) {
        const fk = p.key as Node;
        const fname = isScalar(fk) ? String(fk.value) : '';
        const val = p.value as Node | null;
        if (fname === '') {
          issues.push({ key: 'explanations', line: lineOf(fk), message: 'a function name must be a string' });
        } else if (!isScalar(val) || typeof val.value !== 'string' || val.value.trim() === '') {
          issues.push({ key: `explanations.${fname}`, line: lineOf((val ?? fk) as Node), message: 'must be one line of text' });
        } else if (val.value.includes('\n')) {
          issues.push({ key: `explanations.${fname}`, line: lineOf(val), message: 'must be one line (no line breaks)' });
        } else {
          out.rules.push({ function: fname, explanation: val.value.trim() });
        }
      }
    } else if (key === 'signature') {
      const v = pair.value as Node | null;
      if (!isMap(v)) {
        issues.push({ key, line: lineOf((v ?? keyNode) as Node), message: 'must be a mapping (signature: { frames: N })' });
        continue;
      }
      for (const p of v.items) {
        const sk = p.key as Node;
        const sname = isScalar(sk) ? String(sk.value) : '?';
        const val = p.value as Node | null;
        if (sname !== 'frames') {
          issues.push({ key: `signature.${sname}`, line: lineOf(sk), message: 'unknown key (expected: frames)' });
        } else if (isScalar(val) && typeof val.value === 'number' && Number.isInteger(val.value) && val.value >= 1 && val.value <= 20) {
          out.signatureFrames = val.value;
        } else {
          const got = isScalar(val) ? JSON.stringify(val.value) : 'a collection';
          issues.push({ key: 'signature.frames', line: lineOf((val ?? sk) as Node), message: `must be a whole number from 1 to 20 (got ${got})` });
        }
      }
    }
  }
  if (issues.length > 0) throw new ProjectRulesError(file, issues);
  return out;
}

/**
 * Load the project's rules: `file` when given (an error when unreadable), else
 * `.crashlens.yml` at `root` (null when there is none). Throws `ProjectRulesError` on a
 * file that does not validate.
 */
export function loadProjectRules(opts: { root?: string; file?: string }): ProjectRules | null {
  let target: string;
  if (opts.file) {
    target = opts.file;
  } else if (opts.root) {
    target = path.join(opts.root, PROJECT_RULES_FILE);
    try {
      const real = fs.realpathSync(target);
      const rootReal = fs.realpathSync(opts.root);
      const rel = path.relative(rootReal, real);
      if (rel.startsWith('..') || path.isAbsolute(rel)) return null; // a link out of the tree
    } catch {
      return null;
    }
  } else {
    return null;
  }
  let text: string;
  try {
    const st = fs.statSync(target);
    if (!st.isFile()) throw new ProjectRulesError(target, [{ key: '(file)', line: 1, message: 'is not a regular file' }]);
    if (st.size > MAX_RULES_BYTES) throw new ProjectRulesError(target, [{ key: '(file)', line: 1, message: `is larger than ${MAX_RULES_BYTES} bytes` }]);
    text = fs.readFileSync(target, 'utf8');
  } catch (e) {
    if (e instanceof ProjectRulesError) throw e;
    throw new ProjectRulesError(target, [{ key: '(file)', line: 1, message: 'cannot be read' }]);
  }
  return parseProjectRules(text, target);
}
