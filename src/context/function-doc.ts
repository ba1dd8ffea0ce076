/**
 * The function that encloses a line, and its doc comment — without parsing the language.
 * Takes: a file's lines, its name (for the language) and a 1-based line. Gives: the
 * function's name, the lines it spans (header start, end when found) and its doc comment:
 * C/C++ `/** *\/`, `/* *\/` or `//` blocks above the definition, Rust `///`, Go `//`,
 * Java/JS/TS/C# `/** *\/` and `///`, Python docstrings.
 *
 * Brace languages: one forward pass over a bounded window before the line that blanks out
 * comments and string literals and keeps a stack of open braces; the header before each
 * open brace says whether it is a function. Python: a backwards scan by indentation.
 * Both are bounded (`window` lines), linear, and never throw.
 */

export type Lang = 'c' | 'rust' | 'go' | 'java' | 'js' | 'csharp' | 'python' | 'swift' | 'php';

export interface EnclosingFunction {
  name: string;
  /** 1-based first line of the definition's header. */
  startLine: number;
  /** 1-based last line (the closing brace, or the last line of a Python body); null when not found in the window. */
  endLine: number | null;
  doc: string | null;
  lang: Lang;
}

const EXT_LANG: Record<string, Lang> = {
  c: 'c', h: 'c', cc: 'c', cpp: 'c', cxx: 'c', 'c++': 'c', hpp: 'c', hh: 'c', hxx: 'c', inl: 'c',
  ipp: 'c', m: 'c', mm: 'c', cu: 'c', ino: 'c',
  rs: 'rust', go: 'go',
  java: 'java', kt: 'java', scala: 'java', groovy: 'java',
  js: 'js', mjs: 'js', cjs: 'js', jsx: 'js', ts: 'js', tsx: 'js', mts: 'js', cts: 'js',
  cs: 'csharp', py: 'python', pyw: 'python', swift: 'swift', php: 'php',
};

export function languageOf(file: string): Lang | null {
  const dot = file.lastIndexOf('.');
  if (dot < 0) return null;
  return EXT_LANG[file.slice(dot + 1).toLowerCase()] ?? null;
}

/** Lines scanned before the crash line (and after it, to find the function's end). */
export const DEFAULT_WINDOW = 1500;

export function findEnclosingFunction(
  lines: string[],
  line: number,
  file: string,
  window = DEFAULT_WINDOW,
): EnclosingFunction | null {
  const lang = languageOf(file);
  if (!lang || line < 1 || line > lines.length) return null;
  try {
    return lang === 'python' ? findPython(lines, line, window) : findBraced(lines, line, lang, window);
  } catch {
    return null;
  }
}

/** The first sentence of a doc comment, on one line, for a frame's `explanation`. */
export function docSummary(doc: string): string {
  const para = doc.split(/\n\s*\n/)[0].replace(/\s+/g, ' ').trim();
  let end = para.length;
  for (let i = 0; i < para.length - 1; i++) {
    if (para[i] === '.' && para[i + 1] === ' ') {
      end = i + 1;
      break;
    }
  }
  const s = para.slice(0, end);
  return s.length > 200 ? s.slice(0, 199) + '…' : s;
}

// ---------------------------------------------------------------- brace languages

interface Open {
  line: number; // 0-based
  col: number;
}

interface Scan {
  /** Code with comments and string contents blanked (same columns), per scanned line. */
  code: Map<number, string>;
}

const CONTROL = new Set([
  'if', 'for', 'while', 'switch', 'else', 'do', 'try', 'catch', 'finally', 'unsafe', 'loop',
  'match', 'select', 'defer', 'go', 'return', 'synchronized', 'using', 'lock', 'foreach',
  'fixed', 'checked', 'unchecked', 'sizeof', 'case', 'default', 'with', 'when', 'guard',
  'repeat', 'elif', 'new', 'throw', 'await', 'yield', 'typeof', 'alignof', 'decltype',
  'static_assert', '__attribute__', 'asm', '__asm__',
]);
const CLASSLIKE = /\b(?:class|struct|union|enum|namespace|interface|impl|trait|mod|record|extern|object|module|protocol|extension)\b/;

/** Blank comments and string/char literals in one line, carrying block-comment state. */
function blankLine(text: string, lang: Lang, state: { block: boolean; tmpl: boolean }): string {
  const out: string[] = [];
  const n = Math.min(text.length, 10_000);
  let i = 0;
  while (i < n) {
    const c = text[i];
    if (state.block) {
      if (c === '*' && text[i + 1] === '/') {
        state.block = false;
        out.push('  ');
        i += 2;
      } else {
        out.push(' ');
        i++;
      }
      continue;
    }
    if (state.tmpl) {
      if (c === '\\') {
        out.push('  ');
        i += 2;
        continue;
      }
      if (c === '`') state.tmpl = false;
      out.push(c === '`' ? '`' : ' ');
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') break;
    if (lang === 'php' && c === '#') break;
    if (c === '/' && text[i + 1] === '*') {
      state.block = true;
      out.push('  ');
      i += 2;
      continue;
    }
    if (c === '`' && (lang === 'js' || lang === 'go')) {
      state.tmpl = true;
      out.push('`');
      i++;
      continue;
    }
    if (c === '"' || (c === "'" && (lang === 'js' || lang === 'php'))) {
      out.push(c);
      i++;
      while (i < n && text[i] !== c) {
        out.push(' ');
        if (text[i] === '\\') {
          out.push(' ');
          i++;
        }
        i++;
      }
      if (i < n) out.push(c);
      i++;
      continue;
    }
    if (c === "'") {
      // A char literal 'x' or '\n' / '\x7f'; otherwise (a Rust lifetime) the quote alone.
      let j = -1;
      if (text[i + 1] === '\\') {
        for (let k = i + 3; k < n && k - i <= 10; k++) {
          if (text[k] === "'") {
            j = k;
            break;
          }
        }
      } else if (text[i + 2] === "'") {
        j = i + 2;
      }
      if (j > 0) {
        out.push("'" + ' '.repeat(j - i - 1) + "'");
        i = j + 1;
        continue;
      }
      out.push(c);
      i++;
      continue;
    }
    out.push(c);
    i++;
  }
  return out.join('');
}

/** The header text before the brace at (line, col): back to the previous `;`, `{`, `}` or blank line. */
function headerBefore(
  lines: string[],
  scan: Scan,
  line: number,
  col: number,
  lang: Lang,
): { text: string; startLine: number } {
  const parts: string[] = [];
  let start = line;
  for (let l = line, k = 0; l >= 0 && k < 12; l--, k++) {
    const code = scan.code.get(l);
    if (code === undefined) break;
    let seg = l === line ? code.slice(0, col) : code;
    if (l !== line && seg.trim() === '') {
      if (lines[l].trim() === '') break; // blank line
      continue; // a comment line inside the header
    }
    const t = seg.trimStart();
    if (l !== line && t.startsWith('#') && !(lang === 'rust' && t.startsWith('#['))) break; // preprocessor
    if (lang === 'rust' && t.startsWith('#[')) break; // attribute: the header starts below it
    const cut = Math.max(seg.lastIndexOf(';'), seg.lastIndexOf('{'), seg.lastIndexOf('}'));
    if (cut >= 0) {
      seg = seg.slice(cut + 1);
      if (seg.trim() !== '') {
        parts.unshift(seg);
        start = l;
      }
      break;
    }
    parts.unshift(seg);
    start = l;
  }
  return { text: parts.join(' ').replace(/\s+/g, ' ').trim(), startLine: start };
}

const IDENT_BEFORE_PAREN = /([A-Za-z_$~][\w$]*(?:\s*::\s*~?[A-Za-z_$][\w$]*)*)\s*(?:<[^<>()]*>)?\s*\(/;

/** The function name a header defines, or null when it is not a named function definition. */
function functionName(header: string, lang: Lang): string | null {
  if (header === '' || header.length > 2000) return null;
  const firstWord = /^[A-Za-z_]\w*/.exec(header)?.[0];
  if (firstWord && CONTROL.has(firstWord)) return null;
  if (lang === 'rust') return /\bfn\s+([A-Za-z_]\w*)/.exec(header)?.[1] ?? null;
  if (lang === 'go') return /^func\s*(?:\([^()]*\)\s*)?([A-Za-z_]\w*)/.exec(header)?.[1] ?? null;
  if (lang === 'swift') return /\bfunc\s+([A-Za-z_]\w*)/.exec(header)?.[1] ?? (/\binit\s*\(/.test(header) ? 'init' : null);
  if (lang === 'php') return /\bfunction\s+&?\s*([A-Za-z_]\w*)/.exec(header)?.[1] ?? null;
  if (lang === 'js') {
    if (header.includes('=>')) {
      const m = /([A-Za-z_$][\w$]*)\s*[:=]\s*(?:async\s+)?(?:\([^()]*\)|[A-Za-z_$][\w$]*)\s*(?::\s*[^=]*)?=>$/.exec(header);
      return m ? m[1] : null;
    }
    const f = /\bfunction\b\s*\*?\s*([A-Za-z_$][\w$]*)/.exec(header);
    if (f) return f[1];
    const v = /([A-Za-z_$][\w$]*)\s*[:=]\s*(?:async\s+)?function\b/.exec(header);
    if (v) return v[1];
    if (CLASSLIKE.test(header) && !header.includes('(')) return null;
    const m = /^(?:(?:public|private|protected|static|async|get|set|override|readonly|abstract|export|default)\s+)*\*?\s*([A-Za-z_$#][\w$]*)\s*(?:<[^<>()]*>)?\s*\(/.exec(header);
    if (m && !CONTROL.has(m[1]) && m[1] !== 'function') return m[1];
    return null;
  }
  // C, C++, Java, C#: an identifier right before the first `(`, a `)` after it, no `=`
  // before it, and a type or qualified name (not a macro call inside a function).
  const paren = header.indexOf('(');
  if (paren < 0 || !header.includes(')', paren)) return null;
  const before = header.slice(0, paren);
  if (before.includes('=') && !/\boperator\s*[=!<>]=?\s*$/.test(before)) return null;
  if (/\bnew\s+[\w.<>]*$/.test(before.trim())) return null;
  const m = IDENT_BEFORE_PAREN.exec(header);
  if (!m || m.index + m[0].length - 1 !== paren) return null;
  const name = m[1].replace(/\s+/g, '');
  const last = name.slice(name.lastIndexOf(':') + 1);
  if (CONTROL.has(last)) return null;
  const prefix = header.slice(0, m.index).trim();
  if (prefix === '' && !name.includes('::')) return null;
  if (CLASSLIKE.test(prefix) && !/\bextern\b/.test(prefix)) return null;
  return name;
}

function findBraced(lines: string[], line: number, lang: Lang, window: number): EnclosingFunction | null {
  const target = line - 1;
  const from = Math.max(0, target - window);
  const scan: Scan = { code: new Map() };
  const state = { block: false, tmpl: false };
  const stack: Open[] = [];
  const last = Math.min(lines.length - 1, target + window);
  let chosen: { open: Open; depth: number; name: string; startLine: number } | null = null;
  // The line may be a definition's own header (gdb gives a function's first line for a
  // frame stopped on entry): then the function is the block that opens just below.
  let headerDepth = -1;
  for (let l = from; l <= last; l++) {
    if (l === target) {
      chosen = chooseFunction(lines, scan, stack.slice(), lang);
      if (!chosen) headerDepth = stack.length;
    }
    if (headerDepth >= 0 && l > target + 10) return null;
    const code = blankLine(lines[l], lang, state);
    scan.code.set(l, code);
    for (let c = 0; c < code.length; c++) {
      const ch = code[c];
      if (ch === '{') {
        if (headerDepth >= 0 && stack.length === headerDepth) {
          const h = headerBefore(lines, scan, l, c, lang);
          const name = h.startLine <= target ? functionName(h.text, lang) : null;
          if (!name) return null;
          chosen = { open: { line: l, col: c }, depth: headerDepth, name, startLine: h.startLine };
          headerDepth = -1;
        }
        stack.push({ line: l, col: c });
      } else if (ch === '}') {
        stack.pop();
        if (headerDepth >= 0 && stack.length < headerDepth) return null;
        if (chosen && l >= target && stack.length <= chosen.depth) {
          return finish(lines, chosen, l + 1, lang);
        }
      }
    }
  }
  if (!chosen) return null;
  return finish(lines, chosen, null, lang);
}

function chooseFunction(
  lines: string[],
  scan: Scan,
  open: Open[],
  lang: Lang,
): { open: Open; depth: number; name: string; startLine: number } | null {
  // C-family: the outermost function-like block (lambdas and macro blocks sit inside);
  // Rust, Go, JS, Swift, PHP: the innermost named function (closures are unnamed).
  const outermost = lang === 'c' || lang === 'java' || lang === 'csharp';
  const order = outermost ? open.map((_, i) => i) : open.map((_, i) => open.length - 1 - i);
  for (const i of order) {
    const o = open[i];
    const h = headerBefore(lines, scan, o.line, o.col, lang);
    const name = functionName(h.text, lang);
    if (name) return { open: o, depth: i, name, startLine: h.startLine };
  }
  return null;
}

function finish(
  lines: string[],
  chosen: { name: string; startLine: number },
  endLine: number | null,
  lang: Lang,
): EnclosingFunction {
  return {
    name: chosen.name,
    startLine: chosen.startLine + 1,
    endLine,
    doc: docAbove(lines, chosen.startLine, lang, chosen.name),
    lang,
  };
}

// ---------------------------------------------------------------- doc comments

const MAX_DOC_LINES = 80;

function isAttributeLine(t: string, lang: Lang): boolean {
  if (lang === 'rust') return t.startsWith('#[');
  if (lang === 'java' || lang === 'js') return /^@[A-Za-z_][\w.]*/.test(t) && !t.includes('{');
  if (lang === 'csharp') return t.startsWith('[') && t.endsWith(']');
  if (lang === 'python') return t.startsWith('@');
  return false;
}

/** The doc comment right above 0-based `startLine` (attribute lines in between allowed). */
function docAbove(lines: string[], startLine: number, lang: Lang, name: string): string | null {
  let l = startLine - 1;
  let guard = 0;
  while (l >= 0 && guard++ < 20 && isAttributeLine(lines[l].trim(), lang)) l--;
  if (l < 0) return null;
  const t = lines[l].trim();
  const collected: string[] = [];
  if (t.endsWith('*/')) {
    let k = l;
    for (; k >= 0 && l - k < MAX_DOC_LINES; k--) {
      collected.unshift(lines[k]);
      if (lines[k].includes('/*')) break;
    }
    if (k < 0 || !lines[k].includes('/*')) return null;
    const opener = lines[k].trim();
    const javadoc = opener.startsWith('/**') || opener.startsWith('/*!');
    if (!javadoc && lang !== 'c' && lang !== 'go' && lang !== 'swift' && lang !== 'php') return null;
    return cleanDoc(collected, name);
  }
  const tripleOnly = lang === 'rust' || lang === 'csharp' || lang === 'java' || lang === 'js' || lang === 'swift';
  const isLineDoc = (s: string) => (tripleOnly ? s.startsWith('///') : s.startsWith('//'));
  if (isLineDoc(t)) {
    for (let k = l; k >= 0 && l - k < MAX_DOC_LINES; k--) {
      const s = lines[k].trim();
      if (!isLineDoc(s)) break;
      collected.unshift(lines[k]);
    }
    return cleanDoc(collected, name);
  }
  return null;
}

function cleanDoc(raw: string[], name: string): string | null {
  const text = raw.join('\n');
  if (/SPDX-License-Identifier|Copyright \(C\)|Copyright \d{4}|Permission is hereby granted/i.test(text)) return null;
  const out: string[] = [];
  for (let s of raw) {
    s = s.trim();
    s = s.replace(/^\/\*+!?/, '').replace(/\*+\/$/, '');
    s = s.replace(/^\/\/[/!]*/, '');
    s = s.replace(/^\*+(?!\/)/, '');
    s = s.trim();
    if (/^@[A-Za-z_]\w*\s*:/.test(s)) continue; // kernel-doc parameter line
    if (/^[@\\](param|return|returns|throws|exception|see|since|tparam|retval|note|deprecated|brief)\b/.test(s)) {
      if (s.startsWith('\\brief') || s.startsWith('@brief')) {
        out.push(s.replace(/^[@\\]brief\s*/, ''));
        continue;
      }
      break;
    }
    out.push(s.replace(/<\/?[A-Za-z][^<>]*>/g, '').trim());
  }
  // kernel-doc: "name - text" / "name() - text" / "name: text" on the first line
  while (out.length > 0 && out[0] === '') out.shift();
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  if (out.length > 0) {
    const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out[0] = out[0].replace(new RegExp(`^${esc}(?:\\(\\))?\\s*(?:-|:)\\s*`), '');
  }
  const joined = out.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  if (joined === '') return null;
  return joined.length > 2000 ? joined.slice(0, 1999) + '…' : joined;
}

// ---------------------------------------------------------------- Python

function indentOf(s: string): number {
  let n = 0;
  for (const c of s) {
    if (c === ' ') n++;
    else if (c === '\t') n += 8 - (n % 8);
    else break;
  }
  return n;
}

const PY_DEF = /^(\s*)(?:async\s+)?def\s+([A-Za-z_]\w*)/;

function findPython(lines: string[], line: number, window: number): EnclosingFunction | null {
  const target = line - 1;
  let minIndent = lines[target].trim() === '' ? Infinity : indentOf(lines[target]);
  for (let l = target, k = 0; l >= 0 && k < window; l--, k++) {
    const s = lines[l];
    const t = s.trim();
    if (t === '' || t.startsWith('#')) continue;
    const ind = indentOf(s);
    const m = t.startsWith('def ') || t.startsWith('async ') ? PY_DEF.exec(s) : null;
    if (m && (ind < minIndent || l === target)) {
      const name = m[2];
      let startLine = l;
      let g = 0;
      while (startLine > 0 && g++ < 20 && lines[startLine - 1].trim().startsWith('@')) startLine--;
      return {
        name,
        startLine: startLine + 1,
        endLine: pythonEnd(lines, l, ind, window),
        doc: docstring(lines, l),
        lang: 'python',
      };
    }
    if (ind < minIndent) minIndent = ind;
  }
  return null;
}

function pythonEnd(lines: string[], def: number, ind: number, window: number): number | null {
  let lastBody = def;
  // Skip the header (parameters may span lines up to the line ending with ':').
  let l = def;
  for (let g = 0; l < lines.length && g < 30; l++, g++) if (/:\s*(#.*)?$/.test(lines[l])) break;
  for (l = l + 1; l < lines.length && l - def < window * 2; l++) {
    const t = lines[l].trim();
    if (t === '' || t.startsWith('#')) continue;
    if (indentOf(lines[l]) <= ind) return lastBody + 1;
    lastBody = l;
  }
  return l >= lines.length ? lastBody + 1 : null;
}

function docstring(lines: string[], def: number): string | null {
  let l = def;
  for (let g = 0; l < lines.length && g < 30; l++, g++) if (/:\s*(#.*)?$/.test(lines[l])) break;
  l++;
  while (l < lines.length && lines[l].trim() === '') l++;
  if (l >= lines.length) return null;
  const first = lines[l].trim();
  const m = /^[rRuUbB]?("""|'''|"|')/.exec(first);
  if (!m) return null;
  const q = m[1];
  const body: string[] = [];
  let rest = first.slice(first.indexOf(q) + q.length);
  for (let k = 0; k < MAX_DOC_LINES; k++) {
    const end = rest.indexOf(q);
    if (end >= 0) {
      body.push(rest.slice(0, end));
      break;
    }
    body.push(rest);
    l++;
    if (l >= lines.length || q.length === 1) break;
    rest = lines[l];
  }
  const minInd = Math.min(...body.slice(1).filter((s) => s.trim() !== '').map(indentOf), 1e9);
  const out = body.map((s, i) => (i === 0 ? s.trim() : s.slice(Math.min(minInd, indentOf(s))).trimEnd()));
  const joined = out.join('\n').trim();
  return joined === '' ? null : joined;
}
