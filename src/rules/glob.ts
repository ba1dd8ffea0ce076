/**
 * Glob matching for rule patterns (`virtio_scsi_*`, `libglib-2.0.so*`, `*\/nptl/*`).
 * Takes: a pattern and a text. Gives: whether the whole text matches. `*` is any run of
 * characters, `?` one character, everything else literal. The classic two-pointer
 * wildcard algorithm: no regex, no exponential backtracking.
 */
export function globMatch(pattern: string, text: string): boolean {
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
