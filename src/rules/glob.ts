/**
 * Glob matching for rule patterns (`virtio_scsi_*`, `libglib-2.0.so*`, `*\/nptl/*`).
 * Takes: a pattern and a text. Gives: whether the whole text matches. `*` is any run of
 * characters, `?` one character, everything else literal. The classic two-pointer
 * wildcard algorithm: no regex, no exponential backtracking.
 */
export function globMatch(pattern: string, text: string): boolean {
  let m = compiled.get(pattern);
  if (m === undefined) {
    m = compile(pattern);
    if (compiled.size < 10000) compiled.set(pattern, m);
  }
  return m(text);
}

const compiled = new Map<string, (text: string) => boolean>();

/**
 * The common shapes as plain string tests (`name`, `prefix*`, `*suffix`, `*part*`,
 * `head*tail`); anything else (several inner `*`, `?`) runs the two-pointer matcher.
 */
function compile(pattern: string): (text: string) => boolean {
  if (pattern.includes('?')) return (text) => wildcardMatch(pattern, text);
  const stars = pattern.split('*');
  if (stars.length === 1) return (text) => text === pattern;
  const head = stars[0];
  const tail = stars[stars.length - 1];
  const inner = stars.slice(1, -1).filter((x) => x.length > 0);
  if (inner.length === 0) {
    if (head === '' && tail === '') return () => true;
    if (tail === '') return (text) => text.startsWith(head);
    if (head === '') return (text) => text.endsWith(tail);
    return (text) => text.length >= head.length + tail.length && text.startsWith(head) && text.endsWith(tail);
  }
  if (inner.length === 1 && head === '' && tail === '') {
    const part = inner[0];
    return (text) => text.includes(part);
  }
  return (text) => wildcardMatch(pattern, text);
}

/** The classic two-pointer wildcard match. */
function wildcardMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star !== -1) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/**
 * Whether `pattern` matches the whole of `path` or a tail of it that starts after a `/` or
 * `\\` (`virtio/*.c` matches `/src/hw/virtio/queue.c`). Not a match per tail: on a path of
 * many separators that was quadratic. The pattern's head (up to its first `*`) fixes where a
 * tail can start, and only the leftmost such start needs the whole match, since the `*`
 * after the head takes any longer text a later start would leave it. With no `*` the
 * tail's length is the pattern's.
 */
export function pathGlobMatch(pattern: string, path: string): boolean {
  const star = pattern.indexOf('*');
  if (star === 0) return globMatch(pattern, path);
  if (star < 0) {
    const at = path.length - pattern.length;
    return at >= 0 && (at === 0 || isSeparator(path.charCodeAt(at - 1))) && headAt(pattern, pattern.length, path, at);
  }
  for (let at = 0; at + star <= path.length; at++) {
    if ((at === 0 || isSeparator(path.charCodeAt(at - 1))) && headAt(pattern, star, path, at)) return globMatch(pattern, at === 0 ? path : path.slice(at));
  }
  return false;
}

function isSeparator(c: number): boolean {
  return c === 47 /* / */ || c === 92 /* \\ */;
}

/** Whether the first `n` chars of `pattern` (no `*` among them; `?` is any char) match `text` at `at`. */
function headAt(pattern: string, n: number, text: string, at: number): boolean {
  if (at + n > text.length) return false;
  for (let k = 0; k < n; k++) {
    const c = pattern.charCodeAt(k);
    if (c !== 63 /* ? */ && c !== text.charCodeAt(at + k)) return false;
  }
  return true;
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}
