/**
 * Suspect commits: the recent commits that changed the crash line, the one that added it,
 * those that changed the crash function, and recent changes to the crash file — ranked in
 * that order (newest first within each), each with the reason it is listed.
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

export function findSuspects(root: string, file: string, opts: SuspectOptions = {}): { suspects: Suspect[]; notes: string[] } {
  const max = opts.max ?? 5;
  const n = String(opts.perQuery ?? 10);
  const notes: string[] = [];
  const groups: Array<{ entries: LogEntry[]; reason: string }> = [];
  const line = opts.line && opts.line > 0 ? opts.line : null;
  if (line) {
    const r = runGit(root, ['log', '--no-textconv', '-n', n, '-s', FORMAT, '-L', `${line},${line}:${file}`]);
    if (r.ok) {
      const entries = parseLog(r.stdout);
      // Fewer commits than asked: the history ends at the commit that added the line.
      // (Not in a shallow clone, whose history ends at the cut.)
      const complete = entries.length < Number(n) && !opts.shallow;
      groups.push({ entries: complete ? entries.slice(0, -1) : entries, reason: `changed the crash line (${file}:${line})` });
      if (complete && entries.length > 0) groups.push({ entries: entries.slice(-1), reason: `added the crash line (${file}:${line})` });
    }
    else notes.push(`no line history for ${file}:${line}: ${r.error}`);
  }
  const fn = opts.fn;
  if (fn && fn.endLine && fn.endLine >= fn.startLine) {
    const r = runGit(root, ['log', '--no-textconv', '-n', n, '-s', FORMAT, '-L', `${fn.startLine},${fn.endLine}:${file}`]);
    if (r.ok) groups.push({ entries: parseLog(r.stdout), reason: `changed function ${fn.name}` });
    else notes.push(`no history for function ${fn.name}: ${r.error}`);
  }
  const r = runGit(root, ['log', '--no-textconv', '-n', n, FORMAT, '--', file]);
  if (r.ok) groups.push({ entries: parseLog(r.stdout), reason: `recent change to ${file}` });
  else notes.push(`no history for ${file}: ${r.error}`);

  const seen = new Set<string>();
  const suspects: Suspect[] = [];
  for (const g of groups) {
    for (const e of g.entries) {
      if (seen.has(e.commit)) continue;
      seen.add(e.commit);
      suspects.push({ ...e, reason: g.reason });
    }
  }
  if (suspects.length === 0 && notes.length === 0) notes.push(`${file} has no commits in the repository's history`);
  return { suspects: suspects.slice(0, max), notes };
}
