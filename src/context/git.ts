/**
 * git as a subprocess: argument arrays only (never a shell string), a timeout, a bounded
 * output, `cwd` = the source root, and an environment that cannot redirect git elsewhere.
 * Takes: a directory and git arguments. Gives: the result, or why git could not run
 * (not installed, not a repository, timed out) as a sentence for `context.notes`.
 */
import { spawnSync } from 'node:child_process';

export interface GitResult {
  ok: boolean;
  stdout: string;
  stderr: string;
  /** Set when git could not run or failed: a sentence a user can act on. */
  error?: string;
  /** git is not installed (spawn failed with ENOENT). */
  missing?: boolean;
}

export const GIT_TIMEOUT_MS = 10_000;
const MAX_OUTPUT = 32 * 1024 * 1024;

/** Variables that would make git look at another repository or run user programs. */
const DROP_ENV = [
  'GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_COMMON_DIR',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_CEILING_DIRECTORIES', 'GIT_EXTERNAL_DIFF',
  'GIT_PAGER', 'PAGER', 'GIT_CONFIG_PARAMETERS', 'GIT_CONFIG_COUNT',
];

export function runGit(cwd: string, args: string[], timeoutMs = GIT_TIMEOUT_MS): GitResult {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' };
  for (const k of DROP_ENV) delete env[k];
  // No pager, no external diff or text conversion, no fsmonitor hook.
  const full = ['--no-pager', '-c', 'core.fsmonitor=false', '-c', 'diff.external=', '-c', 'core.quotepath=off', ...args];
  const r = spawnSync('git', full, {
    cwd,
    env,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: MAX_OUTPUT,
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, stdout: '', stderr: '', error: 'git is not installed', missing: true };
    if (code === 'ETIMEDOUT') return { ok: false, stdout: '', stderr: '', error: `git ${args[0]} took longer than ${timeoutMs / 1000} s and was stopped` };
    return { ok: false, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: `git ${args[0]} failed (${code ?? r.error.message})` };
  }
  if (r.signal) {
    return { ok: false, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: `git ${args[0]} took longer than ${timeoutMs / 1000} s and was stopped` };
  }
  if (r.status !== 0) {
    const first = (r.stderr ?? '').split('\n').find((l) => l.trim() !== '') ?? '';
    return { ok: false, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: `git ${args[0]} failed${first ? `: ${first.trim()}` : ''}` };
  }
  return { ok: true, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

export interface RepoState {
  /** The work tree's top folder, or null when `dir` is not in a git work tree. */
  top: string | null;
  shallow: boolean;
  /** The repository has at least one commit. */
  hasHistory: boolean;
  /** Why git context is missing or limited, for `context.notes`. */
  notes: string[];
}

/** What git can tell about the repository that contains `dir`. */
export function repoState(dir: string): RepoState {
  const top = runGit(dir, ['rev-parse', '--show-toplevel']);
  if (!top.ok) {
    const note = top.missing
      ? 'git is not installed: no blame or suspect commits'
      : top.stderr.includes('dubious ownership')
        ? 'git refuses the repository because another user owns it (see git config safe.directory): no blame or suspect commits'
        : top.error && top.error.includes('took longer')
          ? `${top.error}: no blame or suspect commits`
          : 'the source root is not in a git repository: no blame or suspect commits';
    return { top: null, shallow: false, hasHistory: false, notes: [note] };
  }
  const notes: string[] = [];
  const head = runGit(dir, ['rev-parse', '--verify', '--quiet', 'HEAD']);
  const hasHistory = head.ok && head.stdout.trim() !== '';
  if (!hasHistory) notes.push('the git repository has no commits: no blame or suspect commits');
  const sh = runGit(dir, ['rev-parse', '--is-shallow-repository']);
  const shallow = sh.ok && sh.stdout.trim() === 'true';
  if (shallow) {
    notes.push('the git repository is a shallow clone: blame and suspects only see the fetched history (git fetch --unshallow for all of it)');
  }
  return { top: top.stdout.trim(), shallow, hasHistory, notes };
}

/** ISO 8601 (UTC, seconds) from a Unix time in seconds. */
export function isoDate(unixSeconds: number): string {
  if (!Number.isFinite(unixSeconds)) return '';
  return new Date(unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
