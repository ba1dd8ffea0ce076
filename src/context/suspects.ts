/**
 * Suspect commits, ranked, each with the reason it is listed: the commits that changed the
 * crash line, then those that changed the crash function, then those that changed its
 * callers (the next app frames), then the commits that added those lines (usually an old
 * import, least suspect), then other recent changes to the crash file; newest first within
 * each.
 * Takes: the source root (git's cwd), the file relative to it, the crash line and the
 * enclosing function's line range when known. Gives: `context.suspects` entries and notes.
 * Every git call is bounded by `-n` and the git timeout (`git log -L` can be slow on a long
 * history; when it fails or times out, the file's log is the fallback).
 */
import { runGit, isoDate } from './git.js';

export interface Suspect {
  commit: string;
  author: string;
  email: string;
  date: string;
  summary: string;
  reason: string;
}

export interface SuspectOptions {
  line?: number | null;
  fn?: { name: string; startLine: number; endLine: number | null } | null;
  /** Most suspects returned (default 5). */
  max?: number;
  /** The repository is a shallow clone (its oldest commit did not add anything). */
  shallow?: boolean;
  /** Commits asked of each git log (default 10). */
  perQuery?: number;
  /**
   * The next app frames outward (the crash function's callers), with their functions'
   * line ranges when known: commits that changed them rank after the crash function's.
   */
  callers?: Array<{ file: string; name: string; line: number; startLine: number; endLine: number | null }>;
}

const FORMAT = '--format=%x1e%H%x1f%an%x1f%ae%x1f%at%x1f%s';

interface LogEntry {
  commit: string;
  author: string;
  email: string;
  date: string;
  summary: string;
}

/** Parse records written with FORMAT (patch text after a record, if any, is ignored). */
export function parseLog(out: string): LogEntry[] {
  const entries: LogEntry[] = [];
  for (const rec of out.split('\x1e')) {
    const header = rec.split('\n', 1)[0];
    const f = header.split('\x1f');
    if (f.length < 5 || !/^[0-9a-f]{40,64}$/.test(f[0])) continue;
    entries.push({ commit: f[0], author: f[1], email: f[2], date: isoDate(Number(f[3])), summary: f.slice(4).join(' ') });
  }
  return entries;
}

/** Rank of each reason (lower first). */
const RANK = { line: 0, fn: 1, caller: 2, added: 3, file: 4 } as const;

export function findSuspects(root: string, file: string, opts: SuspectOptions = {}): { suspects: Suspect[]; notes: string[] } {
  const max = opts.max ?? 5;
  const n = opts.perQuery ?? 10;
  const notes: string[] = [];
  const groups: Array<{ entries: LogEntry[]; reason: string; rank: number }> = [];

  /**
   * `git log -L a,b:file`. When the history is complete (fewer commits than asked, not a
   * shallow clone), its oldest commit is the one that added the lines: listed apart.
   */
  const lineLog = (f: string, a: number, b: number, changed: string, added: string, rank: number, what: string) => {
    const r = runGit(root, ['log', '--no-textconv', '-n', String(n), '-s', FORMAT, '-L', `${a},${b}:${f}`]);
    if (!r.ok) {
      notes.push(`no history for ${what}: ${r.error}`);
      return;
    }
    const entries = parseLog(r.stdout);
    const complete = entries.length < n && !opts.shallow;
    groups.push({ entries: complete ? entries.slice(0, -1) : entries, reason: changed, rank });
    if (complete && entries.length > 0) groups.push({ entries: entries.slice(-1), reason: added, rank: RANK.added });
  };

  const line = opts.line && opts.line > 0 ? opts.line : null;
  if (line) {
    lineLog(file, line, line, `changed the crash line (${file}:${line})`, `added the crash line (${file}:${line})`, RANK.line, `${file}:${line}`);
  }
  const fn = opts.fn;
  if (fn && fn.endLine && fn.endLine >= fn.startLine) {
    lineLog(file, fn.startLine, fn.endLine, `changed function ${fn.name}`, `added function ${fn.name}`, RANK.fn, `function ${fn.name}`);
  }
  for (const c of (opts.callers ?? []).slice(0, 3)) {
    const a = c.endLine && c.endLine >= c.startLine ? c.startLine : c.line;
    const b = c.endLine && c.endLine >= c.startLine ? c.endLine : c.line;
    lineLog(c.file, a, b, `changed the caller ${c.name} (${c.file}:${c.line})`, `added the caller ${c.name}`, RANK.caller, `the caller ${c.name}`);
  }
  const r = runGit(root, ['log', '--no-textconv', '-n', String(n), FORMAT, '--', file]);
  if (r.ok) groups.push({ entries: parseLog(r.stdout), reason: `recent change to ${file}`, rank: RANK.file });
  else notes.push(`no history for ${file}: ${r.error}`);

  // Best rank first (stable: within a rank, the order the groups were asked, newest first).
  const ordered = groups.map((g, i) => ({ g, i })).sort((x, y) => x.g.rank - y.g.rank || x.i - y.i);
  const seen = new Set<string>();
  const suspects: Suspect[] = [];
  for (const { g } of ordered) {
    for (const e of g.entries) {
      if (seen.has(e.commit)) continue;
      seen.add(e.commit);
      suspects.push({ ...e, reason: g.reason });
    }
  }
  if (suspects.length === 0 && notes.length === 0) notes.push(`${file} has no commits in the repository's history`);
  return { suspects: suspects.slice(0, max), notes };
}
