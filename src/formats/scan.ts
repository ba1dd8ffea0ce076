/**
 * Small character-level helpers the line scanners share.
 * Takes: strings. Gives: the first non-blank position of a line and character-code sets for
 * first-character dispatch (test a line's first character before any string work).
 */

/** Index of the first character that is not a space or tab (the line's length when blank). */
export function firstNonSpace(s: string): number {
  let k = 0;
  while (k < s.length) {
    const c = s.charCodeAt(k);
    if (c !== 32 && c !== 9) break;
    k++;
  }
  return k;
}

/** Char codes of `chars`, for first-character dispatch before any string work. */
export function codeSet(chars: string): Set<number> {
  return new Set(Array.from(chars, (c) => c.charCodeAt(0)));
}
