/**
 * Small readers of function names that roles and signatures share.
 * Takes: a function name as printed. Gives: positions in it.
 */

/**
 * Index of the last space outside brackets in a function name (`void ns::f<int>(a b)` → 4),
 * -1 when there is none: where a C++ return type ends.
 */
export function lastTopLevelSpace(name: string): number {
  let depth = 0;
  let lastSpace = -1;
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (c === '<' || c === '(' || c === '[' || c === '{') depth++;
    else if (c === '>' || c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (c === ' ' && depth === 0) lastSpace = i;
  }
  return lastSpace;
}
