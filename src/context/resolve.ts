/**
 * Path resolution: from a frame's file as the crash report printed it to a file of the
 * source tree the user pointed crashlens at.
 * Takes: a source root, frame file strings (build-machine paths, `../hw/x.c` relative to a
 * build folder, `/rustc/<hash>/…`, Windows `C:\…`, Go module paths, a bare Java file name)
 * and optional `--path-map FROM=TO` rewrites. Gives: the file relative to the root,
 * chosen by the longest matching path suffix — unambiguously or not at all — and a safe
 * reader for it.
 *
 * Security: the crash text is untrusted. A frame path is never opened as given: it is only
 * compared with the index of files found by walking the root (symlinks that leave the root
 * are dropped, `.git` and `node_modules` skipped), and every read re-checks that the real
 * path is inside the root, that the file is not larger than a bound and not binary.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runGit } from './git.js';

export interface PathMapping {
  from: string;
  to: string;
}

export interface TreeIndex {
  /** Real (symlink-free) absolute path of the source root. */
  root: string;
  /** Files relative to the root, `/`-separated, sorted. */
  files: string[];
  /** Base name → relative paths with that base name. */
  byBase: Map<string, string[]>;
  /** True when the walk stopped at the file-count bound. */
  truncated: boolean;
  /** What limited the index (bound reached, symlinks leaving the root). */
  notes: string[];
}

export interface IndexOptions {
  /** Stop after this many files (default 200,000). */
  maxFiles?: number;
  /** Do not descend deeper than this (default 40; the walk only). */
  maxDepth?: number;
  /** List a git work tree's files with `git ls-files` (default true). */
  useGit?: boolean;
}

export type Resolution =
  | { status: 'resolved'; file: string; via: 'path-map' | 'suffix'; matched: number }
  | { status: 'ambiguous'; candidates: string[] }
  | { status: 'not-found' }
  | { status: 'system' }
  | { status: 'refused'; reason: string };

export const DEFAULT_MAX_FILES = 200_000;
/** Source files above this size are not read (bytes). */
export const MAX_SOURCE_BYTES = 4 * 1024 * 1024;

const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);

/**
 * Index the files under `root` once (bounded). In a git work tree the list comes from
 * `git ls-files` (tracked and untracked-but-not-ignored files: fast, and build output that
 * would make suffixes ambiguous is left out); otherwise, or when git fails, from a walk.
 * Throws only when `root` is not a directory.
 */
export function indexTree(root: string, opts: IndexOptions = {}): TreeIndex {
  const maxFiles = opts.maxFiles ?? DEFAULT_MAX_FILES;
  const realRoot = fs.realpathSync.native(root);
  if (!fs.statSync(realRoot).isDirectory()) throw new Error(`${root} is not a directory`);
  let listed = opts.useGit === false ? null : gitListing(realRoot, maxFiles);
  // Nothing listed (a folder that an enclosing repository ignores): walk it instead.
  if (listed && listed.files.length === 0) listed = null;
  const { files, truncated, escaping } = listed ?? walk(realRoot, maxFiles, opts.maxDepth ?? 40);
  const notes: string[] = [];
  if (truncated) {
    notes.push(`the source tree has more than ${maxFiles} files; only the first ${maxFiles} were indexed`);
  }
  if (escaping > 0) {
    notes.push(`${escaping} symbolic link(s) pointing outside the source root were ignored`);
  }
  files.sort();
  const byBase = new Map<string, string[]>();
  for (const f of files) {
    const base = f.slice(f.lastIndexOf('/') + 1);
    const list = byBase.get(base);
    if (list) list.push(f);
    else byBase.set(base, [f]);
  }
  return { root: realRoot, files, byBase, truncated, notes };
}

interface Listing {
  files: string[];
  truncated: boolean;
  escaping: number;
}

/** A symlink is kept only when it is a file whose real path stays inside the root. */
function linkVerdict(realRoot: string, rel: string): 'file' | 'escapes' | 'skip' {
  try {
    const real = fs.realpathSync.native(path.join(realRoot, rel));
    if (!isInside(realRoot, real)) return 'escapes';
    return fs.statSync(real).isFile() ? 'file' : 'skip';
  } catch {
    return 'skip'; // dangling
  }
}

function gitListing(realRoot: string, maxFiles: number): Listing | null {
  // Tracked files with their modes (120000 = symlink, 160000 = submodule), then the
  // untracked files that are not ignored.
  const tracked = runGit(realRoot, ['ls-files', '-z', '-s', '--cached']);
  if (!tracked.ok) return null;
  const others = runGit(realRoot, ['ls-files', '-z', '--others', '--exclude-standard']);
  if (!others.ok) return null;
  const files: string[] = [];
  const seen = new Set<string>();
  let escaping = 0;
  let truncated = false;
  const add = (rel: string, link: boolean | null) => {
    if (rel === '' || seen.has(rel) || rel.split('/').some((s) => SKIP_DIRS.has(s))) return;
    if (link === null) {
      try {
        link = fs.lstatSync(path.join(realRoot, rel)).isSymbolicLink();
      } catch {
        return;
      }
    }
    if (link) {
      const v = linkVerdict(realRoot, rel);
      if (v === 'escapes') escaping++;
      if (v !== 'file') return;
    }
    seen.add(rel);
    if (files.length >= maxFiles) truncated = true;
    else files.push(rel);
  };
  for (const rec of tracked.stdout.split('\0')) {
    if (truncated) break;
    // "<mode> <object> <stage>\t<path>"
    const tab = rec.indexOf('\t');
    if (tab < 0) continue;
    const mode = rec.slice(0, rec.indexOf(' '));
    if (mode === '160000') continue;
    add(rec.slice(tab + 1), mode === '120000');
  }
  for (const rel of others.stdout.split('\0')) {
    if (truncated) break;
    add(rel, null);
  }
  return { files, truncated, escaping };
}

function walk(realRoot: string, maxFiles: number, maxDepth: number): Listing {
  const files: string[] = [];
  let truncated = false;
  let escaping = 0;
  // Iterative walk, directories in sorted order so the index is deterministic.
  const stack: Array<{ rel: string; depth: number }> = [{ rel: '', depth: 0 }];
  while (stack.length > 0 && !truncated) {
    const { rel, depth } = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(rel ? path.join(realRoot, rel) : realRoot, { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && depth < maxDepth) subdirs.push(childRel);
      } else if (e.isFile()) {
        files.push(childRel);
      } else if (e.isSymbolicLink()) {
        // Linked directories are not followed (no loops, no escapes).
        const v = linkVerdict(realRoot, childRel);
        if (v === 'escapes') escaping++;
        if (v === 'file') files.push(childRel);
      }
      if (files.length >= maxFiles) {
        truncated = true;
        break;
      }
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push({ rel: subdirs[i], depth: depth + 1 });
  }
  return { files, truncated, escaping };
}

/** True when `p` (absolute, real) is `root` or below it. */
export function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Prefixes and path segments of system, toolchain and third-party locations: frames there
 * are not looked up in the user's tree (DESIGN role precedence lists the same places).
 */
const SYSTEM_PREFIXES = [
  '/usr/include/', '/usr/lib/', '/usr/lib64/', '/usr/lib32/', '/lib/', '/lib64/', '/lib32/',
  '/usr/local/include/', '/usr/local/lib/', '/usr/local/go/', '/usr/share/', '/rustc/',
  '/System/', '/Library/Developer/', '/Applications/Xcode', '/opt/homebrew/',
  './nptl/', 'nptl/', '../nptl/', './sysdeps/', 'sysdeps/', '../sysdeps/', './csu/', '../csu/',
  './stdlib/', '../stdlib/', './string/', '../string/', './signal/', '../signal/', './posix/',
  './malloc/', '../malloc/', './assert/', '../assert/', './libio/', '../libio/',
  'node:', '<frozen ', '<built-in', 'internal/',
];
const SYSTEM_SEGMENTS = [
  '/.cargo/registry/', '/.cargo/git/', '/.rustup/toolchains/', '/site-packages/',
  '/dist-packages/', '/node_modules/', '/pkg/mod/', '/go/src/runtime/', '/usr/lib/jvm/',
  '/windows/system32/', '/program files', '/microsoft visual studio/', '/windows kits/',
  '/lib/rustlib/', '/.nuget/packages/', '/usr/src/debug/glibc', '/vctools/crt/', '/minkernel/crts/',
  '/externalapis/windows/', '/onecore/',
];

/** Is `file` (as printed) a system, toolchain or third-party location? */
export function isSystemPath(file: string): boolean {
  const f = file.replace(/\\/g, '/');
  for (const p of SYSTEM_PREFIXES) if (f.startsWith(p)) return true;
  const lower = ('/' + f.replace(/^[A-Za-z]:/, '')).toLowerCase();
  for (const s of SYSTEM_SEGMENTS) if (lower.includes(s)) return true;
  // A Go dependency printed with its module version (`github.com/x/lib@v1.2.3/a.go`).
  if (f.includes('@v') && /@v\d+\.\d+/.test(f)) return true;
  return false;
}

/**
 * The segments of a printed path that can be compared with the tree: backslashes become
 * slashes, a drive letter and `file://` are dropped, `.` and `..` are resolved lexically and
 * leading `..` (relative to an unknown build folder) are dropped, empty segments removed.
 */
export function pathSegments(file: string): string[] {
  let f = file.trim().replace(/\\/g, '/');
  if (f.startsWith('file://')) f = f.slice(7);
  f = f.replace(/^[A-Za-z]:(?=\/|$)/, '');
  const out: string[] = [];
  for (const seg of f.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0) out.pop();
      continue;
    }
    out.push(seg);
  }
  return out;
}

/** Parse `FROM=TO` (as given to `--path-map`). Returns null when there is no `=`. */
export function parsePathMap(spec: string): PathMapping | null {
  const eq = spec.indexOf('=');
  if (eq <= 0) return null;
  return { from: spec.slice(0, eq), to: spec.slice(eq + 1) };
}

function applyPathMap(file: string, pathMap: PathMapping[]): string | null {
  const f = file.replace(/\\/g, '/');
  let best: PathMapping | null = null;
  for (const m of pathMap) {
    const from = m.from.replace(/\\/g, '/');
    if (from && f.startsWith(from) && (!best || from.length > best.from.length)) best = m;
  }
  if (!best) return null;
  return best.to.replace(/\\/g, '/') + f.slice(best.from.replace(/\\/g, '/').length);
}

/**
 * A Java/Kotlin frame names only `Foo.java`; its function `com.acme.shop.Foo.bar` gives the
 * package folders. Returns `com/acme/shop/Foo.java` or null.
 */
export function javaPackagePath(file: string, fn: string | null | undefined): string | null {
  if (!fn || file.includes('/') || file.includes('\\')) return null;
  if (!/\.(java|kt|scala|groovy)$/.test(file)) return null;
  const parts = fn.split('.');
  if (parts.length < 3) return null;
  const pkg = parts.slice(0, -2).filter((p) => /^[A-Za-z_$][\w$]*$/.test(p));
  if (pkg.length !== parts.length - 2) return null;
  return [...pkg, file].join('/');
}

/**
 * Resolve one printed frame path against the index.
 * `--path-map` rewrites come first (a mapped path skips the system check: the user asked
 * for it); then system paths are refused; then the longest matching suffix decides.
 */
export function resolvePath(
  index: TreeIndex,
  file: string,
  opts: { pathMap?: PathMapping[]; function?: string | null } = {},
): Resolution {
  if (!file || file.length > 4096 || file.includes('\0')) return { status: 'refused', reason: 'unusable path' };
  const mapped = opts.pathMap && opts.pathMap.length > 0 ? applyPathMap(file, opts.pathMap) : null;
  if (mapped !== null) {
    const direct = directLookup(index, mapped);
    if (direct.status === 'resolved' || direct.status === 'refused') return direct;
    return suffixLookup(index, pathSegments(mapped));
  }
  if (isSystemPath(file)) return { status: 'system' };
  const javaPath = javaPackagePath(file, opts.function);
  if (javaPath) {
    const r = suffixLookup(index, pathSegments(javaPath));
    if (r.status === 'resolved') return r;
  }
  return suffixLookup(index, pathSegments(file));
}

/** A path-mapped file: relative → under the root; absolute → must be inside the root. */
function directLookup(index: TreeIndex, mapped: string): Resolution {
  let rel: string;
  if (path.isAbsolute(mapped) || /^[A-Za-z]:\//.test(mapped)) {
    const abs = path.resolve(mapped);
    if (!isInside(index.root, abs)) {
      // The user's mapping may point at the root through another spelling (a symlink).
      let real: string;
      try {
        real = fs.realpathSync.native(abs);
      } catch {
        return { status: 'not-found' };
      }
      if (!isInside(index.root, real)) return { status: 'refused', reason: `${mapped} is outside the source root` };
      rel = path.relative(index.root, real).split(path.sep).join('/');
    } else {
      rel = path.relative(index.root, abs).split(path.sep).join('/');
    }
  } else {
    if (mapped.split('/').includes('..')) return { status: 'refused', reason: `${mapped} leaves the source root` };
    rel = pathSegments(mapped).join('/');
  }
  if (rel && binarySearch(index.files, rel)) return { status: 'resolved', file: rel, via: 'path-map', matched: rel.split('/').length };
  return { status: 'not-found' };
}

function binarySearch(sorted: string[], key: string): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid];
    if (v === key) return true;
    if (v < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Longest suffix match over whole path segments; a tie at the longest is ambiguous. */
function suffixLookup(index: TreeIndex, segs: string[]): Resolution {
  if (segs.length === 0) return { status: 'not-found' };
  const base = segs[segs.length - 1];
  const candidates = index.byBase.get(base);
  if (!candidates || candidates.length === 0) return { status: 'not-found' };
  let best = 0;
  let bestFiles: string[] = [];
  for (const c of candidates) {
    const cs = c.split('/');
    let n = 0;
    while (n < cs.length && n < segs.length && cs[cs.length - 1 - n] === segs[segs.length - 1 - n]) n++;
    if (n > best) {
      best = n;
      bestFiles = [c];
    } else if (n === best) {
      bestFiles.push(c);
    }
  }
  if (bestFiles.length === 1) return { status: 'resolved', file: bestFiles[0], via: 'suffix', matched: best };
  return { status: 'ambiguous', candidates: bestFiles.slice(0, 10) };
}

export type ReadResult = { ok: true; text: string } | { ok: false; reason: string };

/**
 * Read an indexed file (relative to the root) with every guard: it must be in the index,
 * its real path inside the root, not above `maxBytes`, and not binary (a NUL byte in the
 * first 8 KB).
 */
export function readSourceFile(index: TreeIndex, rel: string, maxBytes = MAX_SOURCE_BYTES): ReadResult {
  if (!binarySearch(index.files, rel)) return { ok: false, reason: `${rel} is not in the source tree` };
  let real: string;
  try {
    real = fs.realpathSync.native(path.join(index.root, rel));
  } catch {
    return { ok: false, reason: `${rel} cannot be opened` };
  }
  if (!isInside(index.root, real)) return { ok: false, reason: `${rel} leaves the source root` };
  let fd: number | null = null;
  try {
    fd = fs.openSync(real, 'r');
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { ok: false, reason: `${rel} is not a regular file` };
    if (st.size > maxBytes) return { ok: false, reason: `${rel} is larger than ${maxBytes} bytes; not read` };
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < st.size) {
      const n = fs.readSync(fd, buf, off, st.size - off, off);
      if (n <= 0) break;
      off += n;
    }
    const head = buf.subarray(0, Math.min(off, 8192));
    if (head.includes(0)) return { ok: false, reason: `${rel} is a binary file; not read` };
    return { ok: true, text: buf.subarray(0, off).toString('utf8') };
  } catch {
    return { ok: false, reason: `${rel} cannot be read` };
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}
