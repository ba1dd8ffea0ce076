/**
 * Normalising function names for signatures (DESIGN, "Signature rules").
 * Takes: a frame's function name. Gives: the name without what changes between builds of
 * the same code: argument lists, template and generic arguments, compiler clone suffixes
 * (`.isra.0`, `.constprop.0`, `.part.0`, `.cold`), Rust hashes, lambda and closure
 * numbers, addresses and offsets. Linear scans, no backtracking regexes.
 */
import { withoutParams } from '../rules/roles.js';
import { lastTopLevelSpace } from '../frames/names.js';

/** Remove balanced `<…>` groups (keeping `operator<` and `->`). */
export function stripTemplates(name: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (c === 'o' && depth === 0 && name.startsWith('operator', i)) {
      // Keep the operator token itself.
      let j = i + 8;
      while (j < name.length && '<>=!+-*/%&|^~[]()'.includes(name[j]) && j < i + 11) j++;
      out += name.slice(i, j);
      i = j - 1;
      continue;
    }
    if (c === '-' && name[i + 1] === '>') {
      if (depth === 0) out += '->';
      i++;
      continue;
    }
    if (c === '<') {
      // A template or generic list follows a name (`vector<int>`, `Vec<T>`); a bracket at
      // the start or after a dot is a whole name (`<module>`, `Object.<anonymous>`).
      const prev = i > 0 ? name[i - 1] : '';
      if (depth === 0 && (prev === '' || prev === '.')) {
        const close = name.indexOf('>', i);
        if (close > i) {
          out += name.slice(i, close + 1);
          i = close;
          continue;
        }
      }
      depth++;
      continue;
    }
    if (c === '>') {
      if (depth > 0) depth--;
      continue;
    }
    if (depth === 0) out += c;
  }
  return out;
}

const CLONE_SUFFIX = /(?:\.(?:isra|constprop|part|cold|lto_priv|localalias|clone|llvm|specialized)(?:\.\d+)*)+$/;
const RUST_HASH = /::h[0-9a-f]{16}$/;
const RUST_V0_HASH = /\[[0-9a-f]{8,16}\]/g;

/**
 * A demangled template function carries its return type: `void store::Journal::each<…>`.
 * Keep the last top-level word unless it is part of an operator name (`operator new`).
 */
function dropReturnType(name: string): string {
  const lastSpace = lastTopLevelSpace(name);
  if (lastSpace <= 0) return name;
  const head = name.slice(0, lastSpace);
  if (/(?:^|::)operator$/.test(head) || name.includes('operator ') || head.endsWith('(anonymous')) return name;
  return name.slice(lastSpace + 1);
}

export function normalizeFunction(name: string): string {
  let n = name.trim();
  if (n.length > 2000) n = n.slice(0, 2000);
  n = n.replace(RUST_HASH, '');
  n = n.replace(RUST_V0_HASH, '');
  // c++filt's clone notes and trailing qualifiers: `f(int) [clone .isra.0] [clone .cold]`, `g() const`.
  n = n.replace(/(?:\s*\[clone [^\]]{1,64}\])+$/, '');
  n = n.replace(/\)(?:\s*(?:const|volatile|&&|&|noexcept))+$/, ')');
  n = withoutParams(n);
  n = dropReturnType(n);
  // `(anonymous namespace)::` is kept: it is part of the name a reader sees.
  n = stripTemplates(n);
  n = n.replace(CLONE_SUFFIX, '');
  // Lambdas and closures: {lambda()#1} / {lambda(int)#2} → {lambda}; {closure#0} → {closure}
  n = n.replace(/\{lambda\([^)]{0,200}\)#\d{1,6}\}/g, '{lambda}').replace(/\{closure#\d{1,6}\}/g, '{closure}');
  // Go closures: main.main.func1.2 → main.main.func
  n = n.replace(/\.func\d{1,6}(?:\.\d{1,6})*$/, '.func');
  // JavaScript/.NET anonymous and compiler-generated numbers: <Main>b__0_0, lambda$main$0
  n = n.replace(/\$\d{1,6}$/, '').replace(/b__\d{1,6}_\d{1,6}/g, 'b__');
  // Offsets and addresses that some formats keep in the name (`func+0x1d`).
  n = n.replace(/\+0x[0-9a-f]{1,16}(?:\/0x[0-9a-f]{1,16})?$/i, '');
  return n.trim();
}
