/**
 * Who last changed the crash line: `git blame --porcelain -L n,n -- file`.
 * Takes: the source root (git's cwd), a file relative to it and a 1-based line. Gives:
 * `{ commit, author, email, date (ISO, UTC), summary }` or a note saying why not.
 */
import { runGit } from './git.js';

export interface BlameInfo {
  commit: string;
  author: string;
  email: string;
  date: string;
  summary: string;
}

export type BlameResult = { ok: true; blame: BlameInfo } | { ok: false; note: string };

export function blameLine(root: string, file: string, line: number): BlameResult {
  if (!Number.isInteger(line) || line < 1) return { ok: false, note: 'no line number to blame' };
  const r = runGit(root, ['blame', '--no-textconv', '--porcelain', '-L', `${line},${line}`, '--', file]);
  if (!r.ok) return { ok: false, note: `no blame for ${file}:${line}: ${r.error ?? 'git blame failed'}` };
  const b = parseBlamePorcelain(r.stdout);
  if (!b) return { ok: false, note: `no blame for ${file}:${line}: unreadable git blame output` };
  if (/^0+$/.test(b.commit)) return { ok: false, note: `${file}:${line} has uncommitted changes: no blame` };
  return { ok: true, blame: b };
}

/** Parse the first entry of `git blame --porcelain` output. */
export function parseBlamePorcelain(out: string): BlameInfo | null {
  const lines = out.split('\n');
  const head = /^([0-9a-f]{40}|[0-9a-f]{64}) \d+ \d+/.exec(lines[0] ?? '');
  if (!head) return null;
  const info: BlameInfo = { commit: head[1], author: '', email: '', date: '', summary: '' };
  let time = NaN;
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i];
    if (l.startsWith('\t')) break; // the line's content ends the header
    const sp = l.indexOf(' ');
    const key = sp < 0 ? l : l.slice(0, sp);
    const val = sp < 0 ? '' : l.slice(sp + 1);
    if (key === 'author') info.author = val;
    else if (key === 'author-mail') info.email = val.replace(/^<|>$/g, '');
    else if (key === 'author-time') time = Number(val);
    else if (key === 'summary') info.summary = val;
  }
  if (Number.isFinite(time)) info.date = new Date(time * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return info;
}
