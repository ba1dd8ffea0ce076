/**
 * Owners from a GitHub or GitLab `CODEOWNERS` file.
 * Takes: the file's text and a path relative to the tree's root. Gives: `Owner`s with
 * `role: 'owner'` and `source: 'CODEOWNERS'`.
 *
 * Semantics: gitignore-style patterns (a leading or inner `/` anchors the pattern at the
 * root, otherwise it matches at any depth; a trailing `/` matches a directory and all
 * below it; a pattern naming a directory covers its contents; `*` and `?` stay inside one
 * segment, `**` spans segments); the last matching line wins, and a matching line with no
 * owners leaves the path unowned. GitLab sections (`[Name]`, `^[Optional]`, `[Name][2]`,
 * default owners after the header) each give their own last match, in file order;
 * GitLab's `!pattern` exclusion in a section removes ownership in that section.
 * Locations looked at, first found wins: `.github/CODEOWNERS`, `.gitlab/CODEOWNERS`,
 * `CODEOWNERS`, `docs/CODEOWNERS`.
 */
import type { Owner } from '../model.js';

export const CODEOWNERS_LOCATIONS = ['.github/CODEOWNERS', '.gitlab/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'];

interface Entry {
  pattern: string;
  negate: boolean;
  owners: string[];
  line: number;
}

interface Section {
  name: string | null;
  defaults: string[];
  entries: Entry[];
}

/** Split a line into whitespace-separated fields; `\ ` keeps a space in the pattern. */
function fields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) {
      cur += line[i + 1];
      i++;
    } else if (c === ' ' || c === '\t') {
      if (cur) out.push(cur);
      cur = '';
    } else if (c === '#' && cur === '') {
      break; // an inline comment
    } else {
      cur += c;
    }
  }
  if (cur) out.push(cur);
  return out;
}

const SECTION_HEADER = /^\^?\[([^\]]{1,200})\](?:\[\d{1,4}\])?(.*)$/;

export function parseCodeowners(text: string): Section[] {
  const sections: Section[] = [{ name: null, defaults: [], entries: [] }];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t === '' || t.startsWith('#')) continue;
    if (t.startsWith('[') || t.startsWith('^[')) {
      const m = SECTION_HEADER.exec(t);
      if (m) {
        sections.push({ name: m[1].trim(), defaults: fields(m[2]), entries: [] });
        continue;
      }
    }
    const f = fields(t);
    if (f.length === 0) continue;
    let pattern = f[0];
    let negate = false;
    if (pattern.startsWith('!')) {
      negate = true;
      pattern = pattern.slice(1);
    }
    sections[sections.length - 1].entries.push({ pattern, negate, owners: f.slice(1), line: i + 1 });
  }
  return sections;
}

/** Segment-aware glob: `*` and `?` within a segment, `**` any number of segments. */
function globSegments(pat: string[], pi: number, path: string[], si: number): boolean {
  // Bounded recursion: only `**` branches, and patterns are short.
  while (pi < pat.length) {
    const p = pat[pi];
    if (p === '**') {
      if (pi === pat.length - 1) return true;
      for (let k = si; k <= path.length; k++) if (globSegments(pat, pi + 1, path, k)) return true;
      return false;
    }
    if (si >= path.length || !segmentMatches(p, path[si])) return false;
    pi++;
    si++;
  }
  return si === path.length;
}

function segmentMatches(p: string, s: string): boolean {
  let pi = 0;
  let si = 0;
  let star = -1;
  let mark = 0;
  while (si < s.length) {
    if (pi < p.length && (p[pi] === '?' || (p[pi] === s[si] && p[pi] !== '*'))) {
      pi++;
      si++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = si;
    } else if (star >= 0) {
      pi = star + 1;
      si = ++mark;
    } else return false;
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

/** Does a CODEOWNERS pattern cover `file` (relative, `/`-separated)? */
export function codeownersPatternMatches(pattern: string, file: string): boolean {
  if (pattern === '' || pattern.length > 1000) return false;
  if (pattern === '*' || pattern === '**' || pattern === '/**') return true;
  let p = pattern;
  const dirOnly = p.endsWith('/');
  if (dirOnly) p = p.replace(/\/+$/, '');
  const anchored = p.startsWith('/') || p.includes('/');
  p = p.replace(/^\/+/, '');
  if (p === '') return true;
  let pat = p.split('/').filter((s) => s !== '');
  // Collapse runs of `**` (each would branch the match).
  pat = pat.filter((s, i) => !(s === '**' && pat[i - 1] === '**'));
  if (!anchored) pat = ['**', ...pat];
  const segs = file.split('/').filter((s) => s !== '');
  // The file itself (not for a directory-only pattern), or a folder above it — the
  // latter only when the last segment has no wildcard (GitHub: `docs/*` does not cover
  // `docs/a/b.md`, `**/logs` and `/apps/github` cover everything below them).
  if (!dirOnly && globSegments(pat, 0, segs, 0)) return true;
  const lastSeg = pat[pat.length - 1];
  if (!dirOnly && (lastSeg.includes('*') || lastSeg.includes('?'))) return false;
  for (let n = segs.length - 1; n >= 1; n--) {
    if (globSegments(pat, 0, segs.slice(0, n), 0)) return true;
  }
  return false;
}

function ownerOf(token: string, section: string | null): Owner {
  const isEmail = !token.startsWith('@') && token.includes('@');
  return { name: token, email: isEmail ? token : null, role: 'owner', source: 'CODEOWNERS', section };
}

/** The owners of `file`: the last matching line of each section. */
export function codeownersFor(text: string, file: string): Owner[] {
  const f = file.replace(/^\.?\//, '');
  const owners: Owner[] = [];
  const seen = new Set<string>();
  for (const s of parseCodeowners(text)) {
    let last: Entry | null = null;
    for (const e of s.entries) if (codeownersPatternMatches(e.pattern, f)) last = e;
    if (!last || last.negate) continue;
    const list = last.owners.length > 0 ? last.owners : s.name !== null ? s.defaults : [];
    for (const o of list) {
      const key = `${s.name ?? ''}\0${o.toLowerCase()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      owners.push(ownerOf(o, s.name));
    }
  }
  return owners;
}
