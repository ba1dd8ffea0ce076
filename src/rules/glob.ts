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

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}
