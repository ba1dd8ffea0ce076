/**
 * Owners from a Linux/QEMU `MAINTAINERS` file, matched the way scripts/get_maintainer.pl
 * matches a file (reference/qemu.md §6.1).
 * Takes: the file's text and a path relative to the tree's root. Gives: the matching
 * sections, most specific first, and their people and lists as `Owner`s.
 *
 * Format: a section is a title line followed by `T: value` tag lines (one space or a tab
 * after the colon); a blank line ends it. Prose, underlined group headings and the
 * indented legend are not sections. Tags kept: M R L S F X N K W T Q B C P; others ignored.
 * Matching: any `X:` match drops the section; `F:` patterns are anchored at the start of the
 * path (`*` any characters, `?` one); a pattern ending in `/` matches everything below,
 * otherwise the path must have as many `/` as the pattern; `N:` is a regex on the path.
 * Rank: the deepest matching pattern (slash count, +1 when it does not end in `/`; a
 * pattern starting with `*` ranks -1, `N:` ranks 0); ties keep the file's order.
 * `K:` (content keywords) is not used: QEMU's only match patch subjects.
 */
import type { Owner } from '../model.js';

export interface MaintainersSection {
  title: string;
  /** 1-based line of the title. */
  line: number;
  maintainers: string[];
  reviewers: string[];
  lists: string[];
  status: string | null;
  files: string[];
  excludes: string[];
  regexes: string[];
  keywords: string[];
  web: string[];
  trees: string[];
}

export interface SectionMatch {
  section: MaintainersSection;
  depth: number;
  pattern: string;
}

const KNOWN = new Set(['M', 'R', 'L', 'S', 'F', 'X', 'N', 'K', 'W', 'T', 'Q', 'B', 'C', 'P']);

export function parseMaintainers(text: string): MaintainersSection[] {
  const sections: MaintainersSection[] = [];
  let current: MaintainersSection | null = null;
  let pending: { title: string; line: number } | null = null;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === '') {
      current = null;
      pending = null;
      continue;
    }
    const tag = raw.length >= 2 && raw[1] === ':' && raw[0] >= 'A' && raw[0] <= 'Z' ? raw[0] : null;
    if (tag && (raw.length === 2 || raw[2] === ' ' || raw[2] === '\t')) {
      if (!current && pending) {
        current = newSection(pending.title, pending.line);
        sections.push(current);
        pending = null;
      }
      if (!current) continue; // the legend, or tags without a title
      if (!KNOWN.has(tag)) continue;
      addTag(current, tag, raw.slice(2).trim());
      continue;
    }
    if (raw[0] === ' ' || raw[0] === '\t') continue; // indented prose or legend
    current = null;
    // A heading's underline: tags right below it belong to a section named by the heading
    // (QEMU's "General Project Administration" has one, without an F: line).
    if (pending && /^[-=]{3,}\s*$/.test(raw)) continue;
    pending = { title: raw.trim(), line: i + 1 };
  }
  return sections;
}

function newSection(title: string, line: number): MaintainersSection {
  return { title, line, maintainers: [], reviewers: [], lists: [], status: null, files: [], excludes: [], regexes: [], keywords: [], web: [], trees: [] };
}

function addTag(s: MaintainersSection, tag: string, value: string): void {
  if (value === '') return;
  switch (tag) {
    case 'M': s.maintainers.push(value); break;
    case 'R': s.reviewers.push(value); break;
    case 'L': s.lists.push(value); break;
    case 'S': s.status = value; break;
    case 'F': s.files.push(value); break;
    case 'X': s.excludes.push(value); break;
    case 'N': s.regexes.push(value); break;
    case 'K': s.keywords.push(value); break;
    case 'W': s.web.push(value); break;
    case 'T': s.trees.push(value); break;
    default: break;
  }
}

/**
 * Does a `*`/`?` glob match a prefix of `s`? (get_maintainer turns the pattern into a regex
 * anchored only at the start.) Iterative wildcard matching: O(len(p)·len(s)) at worst.
 */
export function globMatchesPrefix(p: string, s: string): boolean {
  const pat = p + '*';
  let pi = 0;
  let si = 0;
  let star = -1;
  let mark = 0;
  while (si < s.length) {
    if (pi < pat.length && (pat[pi] === '?' || (pat[pi] === s[si] && pat[pi] !== '*'))) {
      pi++;
      si++;
    } else if (pi < pat.length && pat[pi] === '*') {
      star = pi++;
      mark = si;
    } else if (star >= 0) {
      pi = star + 1;
      si = ++mark;
    } else {
      return false;
    }
  }
  while (pi < pat.length && pat[pi] === '*') pi++;
  return pi === pat.length;
}

function slashes(s: string): number {
  let n = 0;
  for (const c of s) if (c === '/') n++;
  return n;
}

/**
 * get_maintainer's file_match_pattern. `isDir` (optional) says whether a pattern names a
 * directory of the tree; such a pattern is treated as if it ended in `/`.
 */
export function filePatternMatches(file: string, pattern: string, isDir?: (p: string) => boolean): boolean {
  const pat = normalisePattern(pattern, isDir);
  if (!globMatchesPrefix(pat, file)) return false;
  if (pat.endsWith('/')) return true;
  return slashes(file) === slashes(pat);
}

function normalisePattern(pattern: string, isDir?: (p: string) => boolean): string {
  let pat = pattern.trim();
  if (pat.startsWith('./')) pat = pat.slice(2);
  if (!pat.endsWith('/') && !pat.includes('*') && !pat.includes('?') && isDir && isDir(pat)) pat += '/';
  return pat;
}

function patternDepth(pat: string): number {
  if (pat.startsWith('*')) return -1;
  let d = slashes(pat);
  if (!pat.endsWith('/')) d++;
  return d;
}

function regexMatches(re: string, file: string): boolean {
  if (re.length > 500) return false;
  try {
    // Perl's /x: unescaped whitespace is not part of the pattern.
    return new RegExp(re.replace(/(?<!\\)\s+/g, '')).test(file);
  } catch {
    return false;
  }
}

/** The sections that cover `file` (relative, `/`-separated), most specific first. */
export function matchSections(
  sections: MaintainersSection[],
  file: string,
  isDir?: (p: string) => boolean,
): SectionMatch[] {
  const f = file.replace(/^\.\//, '');
  const matches: Array<SectionMatch & { order: number }> = [];
  sections.forEach((section, order) => {
    if (section.excludes.some((x) => filePatternMatches(f, x, isDir))) return;
    let best: { depth: number; pattern: string } | null = null;
    for (const p of section.files) {
      if (!filePatternMatches(f, p, isDir)) continue;
      const depth = patternDepth(normalisePattern(p, isDir));
      if (!best || depth > best.depth) best = { depth, pattern: p };
    }
    for (const re of section.regexes) {
      if (regexMatches(re, f) && (!best || best.depth < 0)) best = { depth: 0, pattern: `N: ${re}` };
    }
    if (best) matches.push({ section, depth: best.depth, pattern: best.pattern, order });
  });
  matches.sort((a, b) => b.depth - a.depth || a.order - b.order);
  return matches.map(({ section, depth, pattern }) => ({ section, depth, pattern }));
}

/** `Name <email>` → name and email; a bare address is both. */
export function parsePerson(value: string): { name: string; email: string | null } {
  const lt = value.indexOf('<');
  const gt = value.indexOf('>', lt + 1);
  if (lt >= 0 && gt > lt) {
    const email = value.slice(lt + 1, gt).trim();
    const name = value.slice(0, lt).trim().replace(/^"|"$/g, '');
    return { name: name || email, email: email || null };
  }
  const word = value.split(/\s+/)[0];
  if (word.includes('@')) return { name: word, email: word };
  return { name: value.trim(), email: null };
}

/**
 * The owners of `file`: per matching section (most specific first) its maintainers,
 * reviewers and lists; a person or list already named by a more specific section is not
 * repeated.
 */
export function maintainersFor(text: string, file: string, isDir?: (p: string) => boolean): Owner[] {
  const owners: Owner[] = [];
  const seen = new Set<string>();
  for (const m of matchSections(parseMaintainers(text), file, isDir)) {
    const add = (value: string, role: string) => {
      const p = parsePerson(value);
      const key = (p.email ?? p.name).toLowerCase();
      if (seen.has(key)) return;
      seen.add(key);
      owners.push({ name: p.name, email: p.email, role, source: 'MAINTAINERS', section: m.section.title });
    };
    for (const v of m.section.maintainers) add(v, 'maintainer');
    for (const v of m.section.reviewers) add(v, 'reviewer');
    for (const v of m.section.lists) add(v.split(/\s+/)[0], 'list');
  }
  return owners;
}
