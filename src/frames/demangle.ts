/**
 * Symbol demangling for crash frames (DESIGN.md pipeline: "frames ─ demangle").
 * Takes: one symbol as a crash text printed it (`_ZN5store7Journal6replayEi`,
 * `_ZN4core9panicking9panic_fmt17h0123456789abcdefE`, `_RNvCs…`). Gives: the name as
 * `c++filt` (binutils) prints it, or null when the name is not mangled or holds a
 * production this module does not know (null rather than a wrong name).
 *
 * Schemes: the Itanium C++ ABI (g++, clang++), Rust legacy (`_ZN…17h<hash>E`) and
 * Rust v0 (`_R…`). Output follows c++filt's default (verbose) form: `Ss` prints as
 * `std::basic_string<char, std::char_traits<char>, std::allocator<char> >`, clones as
 * ` [clone .isra.0]`; Rust legacy keeps `::h<hash>` and v0 crate roots keep their
 * `[disambiguator]` (rustc-demangle's `{}` form, what rustfilt prints); v0 const generics
 * print as rustfilt does (`10usize`, where c++filt 2.40 prints `10: usize`).
 * `demangleName` gives the entity's name alone (no return type, parameters or clones). Bounded: inputs over MAX_INPUT are refused, parse recursion is
 * capped at MAX_DEPTH and the printed text at MAX_OUT, so a crafted symbol (nested
 * substitutions that double at each level) costs at most linear-ish time. Never throws.
 */

const MAX_INPUT = 4096;
const MAX_DEPTH = 160;
const MAX_OUT = 16384;
/** Characters built in total (nested parts count again): bounds the printing time. */
const MAX_WORK = 1 << 20;

class Fail extends Error {}
function fail(): never {
  throw new Fail('demangle');
}

export function demangle(name: string): string | null {
  return run(name, false);
}

/**
 * Only the entity's qualified name: no return type, parameters, cv/ref qualifiers, clone
 * suffixes or Rust legacy hash — `store::Journal::replay`, `std::vector<int,
 * std::allocator<int> >::push_back`, `store::Journal::replay(int)::{lambda(store::Record&)#1}::operator()`
 * (a local entity keeps its enclosing function's parameters: they tell overloads apart).
 * Special names (`vtable for X`) are returned whole. For signatures and grouping.
 */
export function demangleName(name: string): string | null {
  return run(name, true);
}

function run(name: string, nameOnly: boolean): string | null {
  if (typeof name !== 'string' || name.length < 3 || name.length > MAX_INPUT) return null;
  let s = name;
  // Mach-O symbols carry one more leading underscore (`__ZN…`).
  if (s.startsWith('__Z') || s.startsWith('__R')) s = s.slice(1);
  if (!s.startsWith('_Z') && !s.startsWith('_R')) return null;
  try {
    if (s.startsWith('_R')) return demangleRustV0(s);
    const rust = demangleRustLegacy(s);
    if (rust !== null) return nameOnly ? rust.replace(/::h[0-9a-f]{16}$/, '') : rust;
    return new ItaniumParser(s).parseTop(nameOnly);
  } catch {
    return null;
  }
}

// ───────────────────────────── Itanium C++ ABI ─────────────────────────────

interface Scope {
  args: Node[] | null;
}

/** One node of the demangled tree; `k` says which fields are used. */
interface Node {
  k: string;
  s?: string;
  a?: Node | null;
  b?: Node | null;
  list?: Node[];
  n?: number;
  scope?: Scope;
  /** Function type: ` const`, ` &&`, ` noexcept`. */
  q?: string;
}

const BUILTINS: Record<string, string> = {
  v: 'void', w: 'wchar_t', b: 'bool', c: 'char', a: 'signed char', h: 'unsigned char',
  s: 'short', t: 'unsigned short', i: 'int', j: 'unsigned int', l: 'long',
  m: 'unsigned long', x: 'long long', y: 'unsigned long long', n: '__int128',
  o: 'unsigned __int128', f: 'float', d: 'double', e: 'long double', g: '__float128',
  z: '...',
};
const D_BUILTINS: Record<string, string> = {
  d: 'decimal64', e: 'decimal128', f: 'decimal32', h: 'half', i: 'char32_t', s: 'char16_t',
  u: 'char8_t', a: 'auto', c: 'decltype(auto)', n: 'decltype(nullptr)',
};
/** Literal suffixes c++filt prints for integer types; others print as `(type)value`. */
const LITERAL_SUFFIX: Record<string, string> = {
  int: '', 'unsigned int': 'u', long: 'l', 'unsigned long': 'ul', 'long long': 'll',
  'unsigned long long': 'ull',
};

/** Operator code → [printed name, arity]. */
const OPERATORS: Record<string, [string, number]> = {
  nw: ['new', 3], na: ['new[]', 3], dl: ['delete', 1], da: ['delete[]', 1],
  ps: ['+', 1], ng: ['-', 1], ad: ['&', 1], de: ['*', 1], co: ['~', 1],
  pl: ['+', 2], mi: ['-', 2], ml: ['*', 2], dv: ['/', 2], rm: ['%', 2], an: ['&', 2],
  or: ['|', 2], eo: ['^', 2], aS: ['=', 2], pL: ['+=', 2], mI: ['-=', 2], mL: ['*=', 2],
  dV: ['/=', 2], rM: ['%=', 2], aN: ['&=', 2], oR: ['|=', 2], eO: ['^=', 2],
  ls: ['<<', 2], rs: ['>>', 2], lS: ['<<=', 2], rS: ['>>=', 2], eq: ['==', 2],
  ne: ['!=', 2], lt: ['<', 2], gt: ['>', 2], le: ['<=', 2], ge: ['>=', 2], ss: ['<=>', 2],
  nt: ['!', 1], aa: ['&&', 2], oo: ['||', 2], pp: ['++', 1], mm: ['--', 1], cm: [',', 2],
  pm: ['->*', 2], pt: ['->', 2], cl: ['()', 2], ix: ['[]', 2], qu: ['?', 3],
  st: ['sizeof ', 1], sz: ['sizeof ', 1], at: ['alignof ', 1], az: ['alignof ', 1],
  dt: ['.', 2], aw: ['co_await', 1],
};

const STD_SUBS: Record<string, { simple: string; full: string; last: string }> = {
  a: { simple: 'std::allocator', full: 'std::allocator', last: 'allocator' },
  b: { simple: 'std::basic_string', full: 'std::basic_string', last: 'basic_string' },
  s: {
    simple: 'std::string',
    full: 'std::basic_string<char, std::char_traits<char>, std::allocator<char> >',
    last: 'basic_string',
  },
  i: { simple: 'std::istream', full: 'std::basic_istream<char, std::char_traits<char> >', last: 'basic_istream' },
  o: { simple: 'std::ostream', full: 'std::basic_ostream<char, std::char_traits<char> >', last: 'basic_ostream' },
  d: { simple: 'std::iostream', full: 'std::basic_iostream<char, std::char_traits<char> >', last: 'basic_iostream' },
};

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isUpper = (c: string): boolean => c >= 'A' && c <= 'Z';
const isLower = (c: string): boolean => c >= 'a' && c <= 'z';

class ItaniumParser {
  private p = 0;
  private depth = 0;
  private subs: Node[] = [];
  private scope: Scope = { args: null };
  private lastName = '';
  /** Inside a conversion operator's type: `cv T_ I…E` gives the operator template args. */
  private conversion = 0;
  constructor(private readonly s: string) {}

  private peek(o = 0): string {
    return this.s[this.p + o] ?? '';
  }
  private eat(c: string): boolean {
    if (this.s.startsWith(c, this.p)) {
      this.p += c.length;
      return true;
    }
    return false;
  }
  private expect(c: string): void {
    if (!this.eat(c)) fail();
  }
  private enter(): void {
    if (++this.depth > MAX_DEPTH) fail();
  }
  private addSub(n: Node): void {
    if (this.subs.length > 4096) fail();
    this.subs.push(n);
  }

  parseTop(nameOnly = false): string | null {
    this.expect('_Z');
    let enc = this.encoding(true);
    // Clone suffixes as c++filt prints them: `.isra.0`, `.constprop.0`, `.cold`, `.part.1`.
    while (this.peek() === '.' && (isLower(this.peek(1)) || isDigit(this.peek(1)) || this.peek(1) === '_')) {
      const start = this.p;
      this.p += 2;
      while (isLower(this.peek()) || isDigit(this.peek()) || this.peek() === '_') this.p++;
      while (this.peek() === '.' && isDigit(this.peek(1))) {
        this.p += 2;
        while (isDigit(this.peek())) this.p++;
      }
      enc = { k: 'clone', a: enc, s: this.s.slice(start, this.p) };
    }
    if (this.p !== this.s.length) return null;
    if (nameOnly) {
      while (enc.k === 'clone') enc = enc.a!;
      const printer = new Printer();
      const out = enc.k === 'enc' ? printer.nameOf(enc) : printer.full(enc);
      return out.length > 0 ? out : null;
    }
    const out = new Printer().full(enc);
    return out.length > 0 ? out : null;
  }

  /** <encoding> ::= <name> <bare-function-type> | <name> | <special-name> */
  private encoding(top: boolean): Node {
    this.enter();
    const c = this.peek();
    if (c === 'T' || (c === 'G' && top) || (c === 'G' && /[VRTA]/.test(this.peek(1)))) {
      const r = this.specialName();
      this.depth--;
      return r;
    }
    const saved = this.scope;
    this.scope = { args: null };
    const name = this.name();
    const tmpl = templateOf(name);
    if (tmpl) this.scope.args = tmpl.list ?? null;
    const next = this.peek();
    let result: Node;
    if (next === '' || next === 'E' || next === '.') {
      result = { k: 'enc', a: name, b: null };
    } else {
      const quals = funcQuals(name);
      let ret: Node | null = null;
      if (hasReturnType(name)) ret = this.type();
      const params = this.paramList();
      result = { k: 'enc', a: stripQuals(name), b: { k: 'fn', a: ret, list: params, q: quals } };
    }
    this.scope = saved;
    this.depth--;
    return result;
  }

  private paramList(): Node[] {
    const params: Node[] = [];
    while (this.p < this.s.length && this.peek() !== 'E' && this.peek() !== '.') {
      if (this.peek() === 'R' && this.peek(1) === 'E') break;
      if (this.peek() === 'O' && this.peek(1) === 'E') break;
      params.push(this.type());
    }
    if (params.length === 0) fail();
    return params;
  }

  private specialName(): Node {
    const two = this.s.slice(this.p, this.p + 2);
    this.p += 2;
    switch (two) {
      case 'TV': return { k: 'special', s: 'vtable for ', a: this.type() };
      case 'TT': return { k: 'special', s: 'VTT for ', a: this.type() };
      case 'TI': return { k: 'special', s: 'typeinfo for ', a: this.type() };
      case 'TS': return { k: 'special', s: 'typeinfo name for ', a: this.type() };
      case 'TH': return { k: 'special', s: 'TLS init function for ', a: this.name() };
      case 'TW': return { k: 'special', s: 'TLS wrapper function for ', a: this.name() };
      case 'Th': {
        this.callOffset('h');
        return { k: 'special', s: 'non-virtual thunk to ', a: this.encoding(false) };
      }
      case 'Tv': {
        this.callOffset('v');
        return { k: 'special', s: 'virtual thunk to ', a: this.encoding(false) };
      }
      case 'Tc': {
        this.callOffset(this.s[this.p++]);
        this.callOffset(this.s[this.p++]);
        return { k: 'special', s: 'covariant return thunk to ', a: this.encoding(false) };
      }
      case 'TC': {
        const derived = this.type();
        this.number();
        this.expect('_');
        const base = this.type();
        return { k: 'ctorvtable', a: base, b: derived };
      }
      case 'GV': return { k: 'special', s: 'guard variable for ', a: this.name() };
      case 'GA': return { k: 'special', s: 'hidden alias for ', a: this.encoding(false) };
      case 'GT': {
        const t = this.s[this.p++];
        if (t === 't') return { k: 'special', s: 'transaction clone for ', a: this.encoding(false) };
        if (t === 'n') return { k: 'special', s: 'non-transaction clone for ', a: this.encoding(false) };
        return fail();
      }
      default:
        return fail();
    }
  }

  /** `h <number> _` or `v <number> _ <number> _` (call offsets are not printed). */
  private callOffset(kind: string): void {
    if (kind === 'h') {
      this.number();
      this.expect('_');
    } else if (kind === 'v') {
      this.number();
      this.expect('_');
      this.number();
      this.expect('_');
    } else fail();
  }

  private number(): number {
    let neg = false;
    if (this.eat('n')) neg = true;
    const start = this.p;
    while (isDigit(this.peek())) this.p++;
    if (this.p === start || this.p - start > 9) fail();
    const v = Number(this.s.slice(start, this.p));
    return neg ? -v : v;
  }

  private seqId(): number {
    let v = 0;
    const start = this.p;
    while (isDigit(this.peek()) || isUpper(this.peek())) {
      const c = this.peek();
      v = v * 36 + (isDigit(c) ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 55);
      if (v > 1e6) fail();
      this.p++;
    }
    if (this.p === start) fail();
    return v;
  }

  /** <name>: nested, local, unscoped (with std::) or unscoped template. */
  private name(): Node {
    this.enter();
    let r: Node;
    const c = this.peek();
    if (c === 'N') r = this.nestedName();
    else if (c === 'Z') r = this.localName();
    else if (c === 'S' && this.peek(1) !== 't') {
      r = this.substitution();
      if (this.peek() === 'I') r = { k: 'tmpl', a: r, list: this.templateArgs() };
    } else {
      // Unscoped name, `St` for std::; before template args it is a candidate itself.
      let u: Node;
      if (c === 'S') {
        this.p += 2;
        u = { k: 'qual', a: { k: 'name', s: 'std' }, b: this.unqualifiedName() };
      } else u = this.unqualifiedName();
      if (this.peek() === 'I') {
        this.addSub(u);
        u = { k: 'tmpl', a: u, list: this.templateArgs() };
      }
      r = u;
    }
    this.depth--;
    return r;
  }

  private nestedName(): Node {
    this.expect('N');
    let q = '';
    while (/[rVK]/.test(this.peek())) {
      const c = this.s[this.p++];
      if (c === 'r') q += ' restrict';
      else if (c === 'V') q += ' volatile';
      else q += ' const';
    }
    // c++filt prints `const volatile` for `VK` and `restrict` last.
    q = orderQuals(q);
    if (this.eat('R')) q += ' &';
    else if (this.eat('O')) q += ' &&';
    // Each prefix but the last is a substitution candidate (a substitution itself is not).
    let ret: Node | null = null;
    for (;;) {
      const c = this.peek();
      if (c === '') fail();
      if (this.eat('E')) break;
      if (c === 'S') {
        if (ret) fail();
        if (this.peek(1) === 't') {
          this.p += 2;
          ret = { k: 'name', s: 'std' };
        } else ret = this.substitution();
        continue;
      }
      if (c === 'M') {
        // Lambda initializer scope: already a candidate.
        this.p++;
        continue;
      }
      if (c === 'D' && (this.peek(1) === 't' || this.peek(1) === 'T')) {
        if (ret) fail();
        ret = this.type(); // a decltype is added as a type already
        continue;
      }
      if (c === 'I') {
        if (!ret) fail();
        ret = { k: 'tmpl', a: ret, list: this.templateArgs() };
      } else if (c === 'T') {
        if (ret) fail();
        ret = this.templateParam();
      } else {
        const comp = this.unqualifiedName();
        ret = ret ? { k: 'qual', a: ret, b: comp } : comp;
      }
      if (this.peek() !== 'E') this.addSub(ret);
    }
    if (!ret) fail();
    return q ? { k: 'quals', a: ret, q } : ret;
  }

  private localName(): Node {
    this.expect('Z');
    let enc = this.encoding(false);
    this.expect('E');
    // c++filt leaves out the enclosing function's return type: `foo<int>(int)::x`.
    if (enc.k === 'enc' && enc.b?.a) enc = { ...enc, b: { ...enc.b, a: null } };
    if (this.eat('s')) {
      this.discriminator();
      return { k: 'local', a: enc, b: { k: 'name', s: 'string literal' } };
    }
    let prefix: Node = enc;
    if (this.eat('d')) {
      let n = 0;
      if (this.peek() !== '_') n = this.number() + 1;
      this.expect('_');
      prefix = { k: 'local', a: enc, b: { k: 'name', s: `{default arg#${n + 1}}` } };
    }
    const entity = this.name();
    this.discriminator();
    return { k: 'local', a: prefix, b: entity };
  }

  private discriminator(): void {
    if (this.peek() !== '_') return;
    if (this.peek(1) === '_') {
      this.p += 2;
      this.number();
      this.expect('_');
    } else {
      this.p++;
      if (!isDigit(this.peek())) fail();
      this.p++;
    }
  }

  private unqualifiedName(): Node {
    const c = this.peek();
    let r: Node;
    if (isDigit(c)) r = this.sourceName();
    else if (isLower(c)) r = this.operatorName();
    else if (c === 'C') {
      this.p++;
      if (this.eat('I')) {
        this.s[this.p++];
        this.type();
        r = { k: 'ctor', s: this.lastName };
      } else {
        if (!/[12345]/.test(this.peek())) fail();
        this.p++;
        r = { k: 'ctor', s: this.lastName };
      }
    } else if (c === 'D' && /[0-5]/.test(this.peek(1))) {
      this.p += 2;
      r = { k: 'dtor', s: this.lastName };
    } else if (c === 'U') {
      r = this.unnamedType();
    } else if (c === 'L') {
      this.p++;
      r = this.sourceName();
      this.discriminator();
    } else return fail();
    while (this.peek() === 'B') {
      this.p++;
      const tag = this.rawSourceName();
      r = { k: 'abi', a: r, s: tag };
    }
    return r;
  }

  private rawSourceName(): string {
    const len = this.number();
    if (len <= 0 || this.p + len > this.s.length) fail();
    const id = this.s.slice(this.p, this.p + len);
    this.p += len;
    return id;
  }

  private sourceName(): Node {
    const id = this.rawSourceName();
    if (id.startsWith('_GLOBAL_') && /^[._$]N/.test(id.slice(8))) {
      this.lastName = '(anonymous namespace)';
      return { k: 'name', s: '(anonymous namespace)' };
    }
    this.lastName = id;
    return { k: 'name', s: id };
  }

  private unnamedType(): Node {
    this.expect('U');
    if (this.eat('t')) {
      let n = 1;
      if (this.peek() !== '_') n = this.number() + 2;
      this.expect('_');
      const r: Node = { k: 'name', s: `{unnamed type#${n}}` };
      this.addSub(r);
      return r;
    }
    if (this.eat('l')) {
      if (this.peek() === 'T' && /[ytnp]/.test(this.peek(1))) fail();
      const params = this.paramList();
      this.expect('E');
      let n = 1;
      if (this.peek() !== '_') n = this.number() + 2;
      this.expect('_');
      return { k: 'lambda', list: params, n };
    }
    return fail();
  }

  private operatorName(): Node {
    const two = this.s.slice(this.p, this.p + 2);
    if (two === 'cv') {
      this.p += 2;
      this.conversion++;
      try {
        return { k: 'conv', a: this.type() };
      } finally {
        this.conversion--;
      }
    }
    if (two === 'li') {
      this.p += 2;
      return { k: 'name', s: `operator"" ${this.rawSourceName()}` };
    }
    if (two[0] === 'v' && isDigit(two[1] ?? '')) {
      this.p += 2;
      return { k: 'name', s: `operator ${this.rawSourceName()}` };
    }
    const op = OPERATORS[two];
    if (!op || two === 'dt' || two === 'sz' || two === 'az') fail();
    this.p += 2;
    const text = op[0].trimEnd();
    return { k: 'op', s: isLower(text[0]) ? `operator ${text}` : `operator${text}` };
  }

  private substitution(): Node {
    this.expect('S');
    const c = this.peek();
    if (c === '_') {
      this.p++;
      return this.subAt(0);
    }
    if (isDigit(c) || isUpper(c)) {
      const id = this.seqId();
      this.expect('_');
      return this.subAt(id + 1);
    }
    const std = STD_SUBS[c];
    if (!std) return fail();
    this.p++;
    // c++filt demangles verbosely: `Ss` is the full basic_string<…>, not `std::string`.
    this.lastName = std.last;
    return { k: 'name', s: std.full };
  }

  private subAt(i: number): Node {
    const n = this.subs[i];
    if (!n) fail();
    return n;
  }

  private templateParam(): Node {
    this.expect('T');
    let n = 0;
    if (this.peek() !== '_') n = this.number() + 1;
    if (n < 0) fail();
    this.expect('_');
    return { k: 'tparam', n, scope: this.scope };
  }

  private templateArgs(): Node[] {
    this.enter();
    this.expect('I');
    const hold = this.lastName;
    const args: Node[] = [];
    while (!this.eat('E')) {
      if (this.p >= this.s.length) fail();
      args.push(this.templateArg());
    }
    this.lastName = hold;
    this.depth--;
    return args;
  }

  private templateArg(): Node {
    const c = this.peek();
    if (c === 'L') return this.literal();
    if (c === 'X') {
      this.p++;
      const e = this.expression();
      this.expect('E');
      return e;
    }
    if (c === 'J') {
      this.p++;
      const items: Node[] = [];
      while (!this.eat('E')) {
        if (this.p >= this.s.length) fail();
        items.push(this.templateArg());
      }
      return { k: 'pack', list: items };
    }
    return this.type();
  }

  /** <simple-id> ::= <source-name> [<template-args>] (also operator names in expressions). */
  private qualifierLevel(): Node {
    if (this.p >= this.s.length) fail();
    let u = isDigit(this.peek()) ? this.sourceName() : this.unqualifiedName();
    if (this.peek() === 'I') u = { k: 'tmpl', a: u, list: this.templateArgs() };
    return u;
  }

  private literal(): Node {
    this.expect('L');
    if (this.peek() === '_' && this.peek(1) === 'Z') {
      this.p += 2;
      const enc = this.encoding(false);
      this.expect('E');
      return enc;
    }
    if (this.peek() === 'Z') {
      this.p++;
      const enc = this.encoding(false);
      this.expect('E');
      return enc;
    }
    const t = this.type();
    const start = this.p;
    while (this.peek() !== 'E' && this.p < this.s.length) this.p++;
    const raw = this.s.slice(start, this.p);
    this.expect('E');
    if (t.k === 'builtin' && t.s === 'decltype(nullptr)' && raw === '') return { k: 'lit', s: '(decltype(nullptr))0' };
    if (!/^n?[0-9a-f]+$/.test(raw)) fail();
    const neg = raw.startsWith('n');
    const digits = neg ? raw.slice(1) : raw;
    if (t.k === 'builtin') {
      const suffix = LITERAL_SUFFIX[t.s!];
      if (suffix !== undefined && /^[0-9]+$/.test(digits)) return { k: 'lit', s: `${neg ? '-' : ''}${digits}${suffix}` };
      if (t.s === 'bool' && (raw === '0' || raw === '1')) return { k: 'lit', s: raw === '1' ? 'true' : 'false' };
      if (t.s === 'float' || t.s === 'double' || t.s === 'long double') return { k: 'litt', a: t, s: `${neg ? '-' : ''}[${digits}]` };
    }
    if (!/^[0-9]+$/.test(digits)) fail();
    return { k: 'litt', a: t, s: `${neg ? '-' : ''}${digits}` };
  }

  /** <type>, with the substitution bookkeeping c++filt (libiberty) does. */
  type(): Node {
    this.enter();
    const r = this.typeInner();
    this.depth--;
    return r;
  }

  private typeInner(): Node {
    const c = this.peek();
    if (c === 'r' || c === 'V' || c === 'K') {
      let q = '';
      while (/[rVK]/.test(this.peek())) {
        const ch = this.s[this.p++];
        q += ch === 'r' ? ' restrict' : ch === 'V' ? ' volatile' : ' const';
      }
      const inner = this.peek() === 'F' ? this.functionType() : this.type();
      const r: Node = inner.k === 'fn' ? { ...inner, q: orderQuals(q) + (inner.q ?? '') } : { k: 'cv', a: inner, q: orderQuals(q) };
      this.addSub(r);
      return r;
    }
    const b = BUILTINS[c];
    if (b !== undefined) {
      this.p++;
      return { k: 'builtin', s: b };
    }
    let r: Node;
    switch (c) {
      case 'u': {
        this.p++;
        r = { k: 'name', s: this.rawSourceName() };
        break;
      }
      case 'U': {
        // Vendor qualifier: `U8__vectori` is `int __vector`, `U3AS1i` is `int AS1`.
        this.p++;
        const q = this.rawSourceName();
        if (this.peek() === 'I') fail();
        r = { k: 'cv', a: this.type(), q: ' ' + q };
        break;
      }
      case 'D': {
        const d = this.peek(1);
        const db = D_BUILTINS[d];
        if (db !== undefined) {
          this.p += 2;
          return { k: 'builtin', s: db };
        }
        if (d === 'F') {
          this.p += 2;
          const n = this.number();
          if (this.eat('x')) return { k: 'builtin', s: `_Float${n}x` };
          this.expect('_');
          return { k: 'builtin', s: `_Float${n}` };
        }
        if (d === 'p') {
          this.p += 2;
          r = { k: 'expansion', a: this.type() };
          break;
        }
        if (d === 't' || d === 'T') {
          this.p += 2;
          const e = this.expression();
          this.expect('E');
          r = { k: 'decltype', a: e };
          break;
        }
        if (d === 'v') {
          this.p += 2;
          const n = this.number();
          this.expect('_');
          r = { k: 'vector', a: this.type(), s: String(n) };
          break;
        }
        if (d === 'o') {
          this.p += 2;
          if (this.peek() !== 'F') fail();
          const f = this.functionType();
          r = { ...f, q: (f.q ?? '') + ' noexcept' };
          break;
        }
        return fail();
      }
      case 'F':
        r = this.functionType();
        break;
      case 'P':
        this.p++;
        r = { k: 'ptr', s: '*', a: this.type() };
        break;
      case 'R':
        this.p++;
        r = { k: 'ptr', s: '&', a: this.type() };
        break;
      case 'O':
        this.p++;
        r = { k: 'ptr', s: '&&', a: this.type() };
        break;
      case 'C':
        this.p++;
        r = { k: 'cv', a: this.type(), q: ' _Complex' };
        break;
      case 'G':
        this.p++;
        r = { k: 'cv', a: this.type(), q: ' _Imaginary' };
        break;
      case 'A': {
        this.p++;
        let dim = '';
        if (isDigit(this.peek())) dim = String(this.number());
        else if (this.peek() !== '_') return fail();
        this.expect('_');
        r = { k: 'arr', a: this.type(), s: dim };
        break;
      }
      case 'M': {
        this.p++;
        const cls = this.type();
        const mem = this.type();
        r = { k: 'pm', a: cls, b: mem };
        break;
      }
      case 'T': {
        r = this.templateParam();
        if (this.peek() === 'I' && this.conversion === 0) {
          this.addSub(r);
          r = { k: 'tmpl', a: r, list: this.templateArgs() };
        }
        break;
      }
      case 'S': {
        const n1 = this.peek(1);
        if (isDigit(n1) || n1 === '_' || isUpper(n1)) {
          r = this.substitution();
          if (this.peek() === 'I') r = { k: 'tmpl', a: r, list: this.templateArgs() };
          else return r;
        } else {
          const before = this.p;
          r = this.name();
          // A bare std abbreviation (`Ss`) is a complete type, not a new candidate.
          if (this.p === before + 2 && n1 !== 't') return r;
        }
        break;
      }
      case 'N':
      case 'Z':
        r = this.name();
        break;
      default:
        if (isDigit(c)) {
          r = this.name();
          break;
        }
        return fail();
    }
    this.addSub(r);
    return r;
  }

  private functionType(): Node {
    this.expect('F');
    this.eat('Y');
    const ret = this.type();
    const params = this.paramList();
    let q = '';
    if (this.eat('RE')) q = ' &';
    else if (this.eat('OE')) q = ' &&';
    else this.expect('E');
    return { k: 'fn', a: ret, list: params, q };
  }

  /** Expressions as they appear in decltype and template arguments (common subset). */
  private expression(): Node {
    this.enter();
    const r = this.expressionInner();
    this.depth--;
    return r;
  }

  private expressionInner(): Node {
    const c = this.peek();
    if (c === 'L') return this.literal();
    if (c === 'T') return this.templateParam();
    if (isDigit(c)) {
      const n = this.sourceName();
      if (this.peek() === 'I') return { k: 'tmpl', a: n, list: this.templateArgs() };
      return n;
    }
    const two = this.s.slice(this.p, this.p + 2);
    if (two === 'fp') {
      this.p += 2;
      while (/[rVK]/.test(this.peek())) this.p++;
      let n = 1;
      if (this.peek() !== '_') n = this.number() + 2;
      this.expect('_');
      return { k: 'name', s: `{parm#${n}}` };
    }
    if (two === 'sr') {
      this.p += 2;
      let q: Node;
      if (this.eat('N')) {
        q = this.type();
        while (!this.eat('E')) q = { k: 'qual', a: q, b: this.qualifierLevel() };
      } else if (isDigit(this.peek())) {
        q = this.qualifierLevel();
        while (!this.eat('E')) q = { k: 'qual', a: q, b: this.qualifierLevel() };
      } else q = this.type();
      // `sr … <name> I…E`: the template args bind to the whole qualified name.
      if (this.p >= this.s.length) fail();
      const base = isDigit(this.peek()) ? this.sourceName() : this.unqualifiedName();
      const qn: Node = { k: 'qual', a: q, b: base };
      return this.peek() === 'I' ? { k: 'tmpl', a: qn, list: this.templateArgs() } : qn;
    }
    if (two === 'st' || two === 'at') {
      this.p += 2;
      return { k: 'sizeof', s: two === 'st' ? 'sizeof ' : 'alignof ', a: this.type() };
    }
    if (two === 'sZ') {
      this.p += 2;
      if (this.peek() !== 'T') fail();
      return { k: 'sizeofpack', a: this.templateParam() };
    }
    if (two === 'sp') {
      this.p += 2;
      return { k: 'expansion', a: this.expression() };
    }
    if (two === 'cl') {
      this.p += 2;
      const fn = this.expression();
      const args: Node[] = [];
      while (!this.eat('E')) {
        if (this.p >= this.s.length) fail();
        args.push(this.expression());
      }
      return { k: 'call', a: fn, list: args };
    }
    if (two === 'cv') {
      this.p += 2;
      const t = this.type();
      if (this.eat('_')) {
        const args: Node[] = [];
        while (!this.eat('E')) {
          if (this.p >= this.s.length) fail();
          args.push(this.expression());
        }
        return { k: 'cast', a: t, list: args };
      }
      return { k: 'cast', a: t, list: [this.expression()] };
    }
    if (two === 'nw' || two === 'na' || (two === 'gs' && (this.s.startsWith('nw', this.p + 2) || this.s.startsWith('na', this.p + 2)))) {
      const global = two === 'gs';
      if (global) this.p += 2;
      const array = this.s.startsWith('na', this.p);
      this.p += 2;
      const placement: Node[] = [];
      while (!this.eat('_')) {
        if (this.p >= this.s.length) fail();
        placement.push(this.expression());
      }
      const t = this.type();
      let init: Node[] | null = null;
      if (!this.eat('E')) {
        if (!this.eat('pi')) fail();
        init = [];
        while (!this.eat('E')) {
          if (this.p >= this.s.length) fail();
          init.push(this.expression());
        }
      }
      return { k: 'new', s: `${global ? '::' : ''}${array ? 'new[]' : 'new'}`, list: placement, a: t, b: init ? { k: 'pack', list: init } : null };
    }
    const op = OPERATORS[two];
    if (!op || two === 'nw' || two === 'na' || two === 'qu' || two === 'cl') return fail();
    this.p += 2;
    if (op[1] === 1) return { k: 'unary', s: op[0], a: this.expression() };
    const a = this.expression();
    const b = this.expression();
    return { k: 'binary', s: op[0], a, b };
  }
}

function orderQuals(q: string): string {
  let out = '';
  if (q.includes(' const')) out += ' const';
  if (q.includes(' volatile')) out += ' volatile';
  if (q.includes(' restrict')) out += ' restrict';
  return out;
}

/** The template node a function name ends in (its arguments are what T_ refers to). */
function templateOf(name: Node): Node | null {
  let n: Node = name;
  if (n.k === 'quals') n = n.a!;
  if (n.k === 'local') {
    n = n.b!;
    if (n.k === 'quals') n = n.a!;
  }
  return n.k === 'tmpl' ? n : null;
}

function funcQuals(name: Node): string {
  if (name.k === 'quals') return name.q ?? '';
  if (name.k === 'local' && name.b?.k === 'quals') return name.b.q ?? '';
  return '';
}

function stripQuals(name: Node): Node {
  if (name.k === 'quals') return name.a!;
  if (name.k === 'local' && name.b?.k === 'quals') return { ...name, b: name.b.a };
  return name;
}

function isCtorDtorConv(n: Node): boolean {
  let x: Node = n;
  for (;;) {
    if (x.k === 'qual' || x.k === 'local') x = x.b!;
    else if (x.k === 'abi') x = x.a!;
    else break;
  }
  return x.k === 'ctor' || x.k === 'dtor' || x.k === 'conv';
}

function hasReturnType(name: Node): boolean {
  let n = name;
  if (n.k === 'quals') n = n.a!;
  if (n.k === 'local') return hasReturnType(n.b!);
  if (n.k === 'tmpl') return !isCtorDtorConv(n.a!);
  return false;
}

class Printer {
  private size = 0;
  private lambdaSig = 0;
  private pack: { node: Node; index: number } | null = null;
  private depth = 0;

  private grow(s: string): string {
    this.size += s.length;
    if (this.size > MAX_WORK || s.length > MAX_OUT) fail();
    return s;
  }

  /**
   * Template arguments of the functions being printed, innermost last: as in c++filt, a
   * template parameter names an argument of the template printed around it (`top` is how
   * many are active), else the one its encoding declared.
   */
  private stack: Node[][] = [];
  private top = 0;

  private lookup(x: Node, top: number): { node: Node; top: number } {
    let args: Node[] | null | undefined;
    let next = top;
    if (top > 0) {
      args = this.stack[top - 1];
      next = top - 1;
    } else args = x.scope?.args;
    if (!args || x.n! >= args.length) fail();
    let a = args[x.n!];
    if (a.k === 'pack' && this.pack && this.pack.node === a) a = a.list![this.pack.index];
    return { node: a, top: next };
  }

  private resolve(n: Node): Node {
    let x = n;
    let top = this.top;
    for (let i = 0; x.k === 'tparam' && this.lambdaSig === 0; i++) {
      if (i > 8) fail();
      const r = this.lookup(x, top);
      x = r.node;
      top = r.top;
    }
    return x;
  }

  /** Prints a template parameter's argument one template level out (c++filt does so). */
  private viaArg(n: Node, f: (a: Node) => string): string {
    const r = this.lookup(n, this.top);
    const hold = this.top;
    this.top = r.top;
    try {
      return f(r.node);
    } finally {
      this.top = hold;
    }
  }

  private withTemplate<T>(args: Node[] | null, f: () => T): T {
    if (!args) return f();
    if (this.top > 64) fail();
    const saved = this.stack[this.top];
    this.stack[this.top++] = args;
    try {
      return f();
    } finally {
      this.stack[--this.top] = saved;
    }
  }

  full(n: Node): string {
    if (++this.depth > MAX_DEPTH * 2) fail();
    const r = this.grow(this.left(n) + this.right(n));
    this.depth--;
    return r;
  }

  /** Reference collapsing (`T&&` with T = `U&` is `U&`), as c++filt prints it. */
  private collapse(n: Node): Node {
    if (n.s === '*') return n;
    const inner = this.resolve(n.a!);
    if (inner.k !== 'ptr' || inner.s === '*') return n;
    const s = n.s === '&' || inner.s === '&' ? '&' : '&&';
    return { k: 'ptr', s, a: inner.a };
  }

  /** The type under template params and cv-qualifiers (`K T_` with T_ = `char [4]`). */
  private core(n: Node): Node {
    let x = this.resolve(n);
    for (let i = 0; x.k === 'cv' && i < 8; i++) x = this.resolve(x.a!);
    return x;
  }

  private needsParen(n: Node): boolean {
    const x = this.core(n);
    return x.k === 'fn' || x.k === 'arr';
  }

  left(n: Node): string {
    if (n.k === 'tparam' && this.lambdaSig === 0) return this.viaArg(n, (a) => this.left(a));
    switch (n.k) {
      case 'tparam':
        return `auto:${n.n! + 1}`;
      case 'cv': {
        const inner = this.resolve(n.a!);
        if (inner.k === 'fn') return this.left(n.a!);
        // `K T_` with T_ = `X const` prints one const.
        const q = inner.k === 'cv' ? n.q!.split(' ').filter((w) => w && !inner.q!.includes(w)).map((w) => ' ' + w).join('') : n.q;
        return this.left(n.a!) + q;
      }
      case 'ptr': {
        const c = this.collapse(n);
        if (c !== n) return this.left(c);
        if (this.needsParen(n.a!)) {
          const inner = this.core(n.a!);
          return this.left(n.a!) + (inner.k === 'arr' ? ' ' : '') + '(' + n.s;
        }
        return this.left(n.a!) + n.s;
      }
      case 'fn':
        return n.a ? this.left(n.a) + ' ' : '';
      case 'arr':
        return this.left(n.a!);
      case 'pm': {
        const cls = this.full(n.a!);
        if (this.needsParen(n.b!)) return this.left(n.b!) + '(' + cls + '::*';
        return this.left(n.b!) + ' ' + cls + '::*';
      }
      case 'vector':
        return this.full(n.a!) + ' __vector(' + n.s + ')';
      default:
        return this.plain(n);
    }
  }

  right(n: Node, afterBracket = false): string {
    if (n.k === 'tparam' && this.lambdaSig === 0) return this.viaArg(n, (a) => this.right(a, afterBracket));
    switch (n.k) {
      case 'cv':
        return this.right(n.a!) + (this.resolve(n.a!).k === 'fn' ? n.q : '');
      case 'ptr': {
        const c = this.collapse(n);
        if (c !== n) return this.right(c);
        return this.needsParen(n.a!) ? ')' + this.right(n.a!) : this.right(n.a!);
      }
      case 'fn':
        return '(' + this.params(n.list!) + ')' + (n.a ? this.right(n.a) : '') + (n.q ?? '');
      case 'arr':
        return (afterBracket ? '' : ' ') + '[' + n.s + ']' + this.right(n.a!, true);
      case 'pm':
        return this.needsParen(n.b!) ? ')' + this.right(n.b!) : this.right(n.b!);
      default:
        return '';
    }
  }

  private params(list: Node[]): string {
    if (list.length === 1 && list[0].k === 'builtin' && list[0].s === 'void') return '';
    return this.joinArgs(list);
  }

  /** Arguments joined by `, `, packs and pack expansions spread in place. */
  private joinArgs(list: Node[]): string {
    return this.joinArgsQuirk(list).text;
  }

  /**
   * `quirk`: the list ends in an empty pack after other arguments. c++filt then forgets
   * that the text ends in `>` and prints `<a<b>>` without the usual space.
   */
  private joinArgsQuirk(list: Node[]): { text: string; quirk: boolean } {
    const parts: string[] = [];
    for (const a of list) {
      const x = this.resolve(a);
      if (x.k === 'pack') {
        if (x.list!.length === 0) parts.push('');
        for (const item of x.list!) parts.push(this.full(item));
      } else if (x.k === 'expansion') {
        const items = this.expand(x);
        parts.push(...(items.length === 0 ? [''] : items));
      } else parts.push(this.full(a));
    }
    const quirk = parts.length > 1 && parts[parts.length - 1] === '' && parts.some((p) => p !== '');
    return { text: parts.filter((p) => p !== '').join(', '), quirk };
  }

  private expand(x: Node): string[] {
    const pack = this.lambdaSig > 0 ? null : this.findPack(x.a!, 0);
    if (!pack) return [`(${this.full(x.a!)})...`];
    const out: string[] = [];
    const hold = this.pack;
    for (let i = 0; i < pack.list!.length; i++) {
      this.pack = { node: pack, index: i };
      out.push(this.full(x.a!));
    }
    this.pack = hold;
    return out;
  }

  private findPack(n: Node, d: number): Node | null {
    if (d > 40) return null;
    if (n.k === 'tparam') {
      const args = this.top > 0 ? this.stack[this.top - 1] : n.scope?.args;
      const a = args?.[n.n!];
      return a && a.k === 'pack' ? a : null;
    }
    for (const c of [n.a, n.b, ...(n.list ?? [])]) {
      if (c) {
        const p = this.findPack(c, d + 1);
        if (p) return p;
      }
    }
    return null;
  }

  private templateArgs(prefix: string, list: Node[]): string {
    let s = prefix;
    if (s.endsWith('<')) s += ' ';
    const args = this.joinArgsQuirk(list);
    s += '<' + args.text;
    if (s.endsWith('>') && !args.quirk) s += ' ';
    return s + '>';
  }

  private sub(n: Node): string {
    let x = this.resolve(n);
    if (x.k === 'enc' && !x.b) x = x.a!;
    const simple = x.k === 'name' || x.k === 'qual';
    const t = this.full(n);
    return simple ? t : `(${t})`;
  }

  private plain(n: Node): string {
    switch (n.k) {
      case 'name':
      case 'builtin':
      case 'lit':
      case 'op':
        return n.s!;
      case 'litt':
        return `(${this.full(n.a!)})${n.s}`;
      case 'qual':
        return this.full(n.a!) + '::' + this.full(n.b!);
      case 'local':
        return this.full(n.a!) + '::' + this.full(n.b!);
      case 'tmpl':
        return this.templateArgs(this.full(n.a!), n.list!);
      case 'ctor':
        return n.s!;
      case 'dtor':
        return '~' + n.s;
      case 'conv':
        return 'operator ' + this.full(n.a!);
      case 'abi':
        return this.full(n.a!) + '[abi:' + n.s + ']';
      case 'lambda': {
        this.lambdaSig++;
        const ps = this.params(n.list!);
        this.lambdaSig--;
        return `{lambda(${ps})#${n.n}}`;
      }
      case 'pack':
        return this.joinArgs(n.list!);
      case 'expansion':
        return this.expand(n).join(', ');
      case 'enc':
        return this.encoding(n);
      case 'special':
        return n.s + this.full(n.a!);
      case 'ctorvtable':
        return `construction vtable for ${this.full(n.a!)}-in-${this.full(n.b!)}`;
      case 'clone':
        return `${this.full(n.a!)} [clone ${n.s}]`;
      case 'decltype':
        return `decltype (${this.full(n.a!)})`;
      case 'sizeof':
        return `${n.s}(${this.full(n.a!)})`;
      case 'sizeofpack':
        return `sizeof...(${this.full(n.a!)})`;
      case 'unary':
        return n.s!.trimEnd() === 'sizeof' || n.s!.trimEnd() === 'alignof'
          ? `${n.s}(${this.full(n.a!)})`
          : n.s + this.sub(n.a!);
      case 'binary':
        if (n.s === '.' || n.s === '->') return this.full(n.a!) + n.s + this.full(n.b!);
        if (n.s === '[]') return this.sub(n.a!) + '[' + this.full(n.b!) + ']';
        if (n.s === '>') return '((' + this.full(n.a!) + ')>(' + this.full(n.b!) + '))';
        return this.sub(n.a!) + n.s + this.sub(n.b!);
      case 'new': {
        const placement = n.list!.length > 0 ? `(${this.joinArgs(n.list!)}) ` : '';
        const init = n.b ? `(${this.joinArgs(n.b.list!)})` : '';
        return `${n.s} ${placement}${this.full(n.a!)}${init}`;
      }
      case 'call':
        return this.sub(n.a!) + '(' + n.list!.map((x) => this.full(x)).join(', ') + ')';
      case 'cast':
        return '(' + this.full(n.a!) + ')' + (n.list!.length === 1 ? this.sub(n.list![0]) : '(' + n.list!.map((x) => this.full(x)).join(', ') + ')');
      default:
        return fail();
    }
  }

  /** An encoding's name alone, its template arguments in scope (conversion operators). */
  nameOf(n: Node): string {
    return this.withTemplate(templateOf(n.a!)?.list ?? null, () => this.full(n.a!));
  }

  private encoding(n: Node): string {
    const fn = n.b;
    if (!fn) return this.full(n.a!);
    return this.withTemplate(templateOf(n.a!)?.list ?? null, () => this.functionEncoding(n, fn));
  }

  private functionEncoding(n: Node, fn: Node): string {
    const name = this.full(n.a!);
    const params = '(' + this.params(fn.list!) + ')';
    if (fn.a) {
      const rl = this.left(fn.a);
      const rr = this.right(fn.a);
      return rl + (rr === '' ? ' ' : '') + name + params + rr + (fn.q ?? '');
    }
    return name + params + (fn.q ?? '');
  }
}

// ───────────────────────────── Rust legacy ─────────────────────────────

const RUST_ESCAPES: Record<string, string> = {
  SP: '@', BP: '*', RF: '&', LT: '<', GT: '>', LP: '(', RP: ')', C: ',',
};

/** `_ZN` idents `17h<16 hex>E` → `a::b::h<hash>` (as c++filt and rustc-demangle print it). */
function demangleRustLegacy(s: string): string | null {
  if (!s.startsWith('_ZN') || !s.endsWith('E')) {
    // `.llvm.<digits>` and similar suffixes are not part of the path.
    const dot = s.indexOf('.');
    if (dot < 0 || !s.startsWith('_ZN') || s[dot - 1] !== 'E') return null;
    const r = demangleRustLegacy(s.slice(0, dot));
    return r;
  }
  let p = 3;
  const parts: string[] = [];
  while (p < s.length - 1) {
    let q = p;
    while (isDigit(s[q] ?? '')) q++;
    if (q === p || q - p > 4) return null;
    const len = Number(s.slice(p, q));
    if (len <= 0 || q + len > s.length - 1) return null;
    parts.push(s.slice(q, q + len));
    p = q + len;
  }
  if (p !== s.length - 1 || parts.length < 2) return null;
  const hash = parts[parts.length - 1];
  if (!/^h[0-9a-f]{16}$/.test(hash)) return null;
  const out: string[] = [];
  for (const part of parts) {
    const d = decodeRustLegacyIdent(part);
    if (d === null) return null;
    out.push(d);
  }
  return out.join('::');
}

function decodeRustLegacyIdent(id0: string): string | null {
  let id = id0;
  if (id.startsWith('_$')) id = id.slice(1);
  let out = '';
  let i = 0;
  while (i < id.length) {
    const c = id[i];
    if (c === '$') {
      const end = id.indexOf('$', i + 1);
      if (end < 0) return null;
      const code = id.slice(i + 1, end);
      if (RUST_ESCAPES[code] !== undefined) out += RUST_ESCAPES[code];
      else if (/^u[0-9a-f]{2,6}$/.test(code)) {
        const cp = parseInt(code.slice(1), 16);
        if (cp > 0x10ffff || cp < 0x20) return null;
        out += String.fromCodePoint(cp);
      } else return null;
      i = end + 1;
    } else if (c === '.') {
      if (id[i + 1] === '.') {
        out += '::';
        i += 2;
      } else {
        out += '.';
        i++;
      }
    } else if (/[A-Za-z0-9_]/.test(c)) {
      out += c;
      i++;
    } else return null;
  }
  return out;
}

// ───────────────────────────── Rust v0 ─────────────────────────────

const V0_BASIC: Record<string, string> = {
  a: 'i8', b: 'bool', c: 'char', d: 'f64', e: 'str', f: 'f32', h: 'u8', i: 'isize',
  j: 'usize', l: 'i32', m: 'u32', n: 'i128', o: 'u128', s: 'i16', t: 'u16', u: '()',
  v: '...', x: 'i64', y: 'u64', z: '!', p: '_',
};
const V0_INT_TYPES = new Set(['i8', 'i16', 'i32', 'i64', 'i128', 'isize', 'u8', 'u16', 'u32', 'u64', 'u128', 'usize']);

class V0Parser {
  private p = 0;
  private depth = 0;
  private out = 0;
  /** Bound lifetimes in scope (for `for<'a>` binders). */
  private bound = 0;
  constructor(private readonly s: string) {}

  private peek(): string {
    return this.s[this.p] ?? '';
  }
  private eat(c: string): boolean {
    if (this.s[this.p] === c) {
      this.p++;
      return true;
    }
    return false;
  }
  private enter(): void {
    if (++this.depth > MAX_DEPTH) fail();
  }
  private leave<T>(v: T): T {
    this.depth--;
    if (typeof v === 'string') {
      this.out += v.length;
      if (this.out > MAX_WORK) fail();
    }
    return v;
  }

  /** base-62 number terminated by `_` ("_" = 0, else value + 1); disambiguators are 64-bit. */
  private base62Big(): bigint {
    if (this.eat('_')) return 0n;
    let v = 0n;
    for (let n = 0; ; n++) {
      const c = this.s[this.p++];
      if (c === undefined || n > 12) fail();
      if (c === '_') break;
      let d: number;
      if (isDigit(c)) d = c.charCodeAt(0) - 48;
      else if (isLower(c)) d = c.charCodeAt(0) - 87;
      else if (isUpper(c)) d = c.charCodeAt(0) - 29;
      else return fail();
      v = v * 62n + BigInt(d);
    }
    return v + 1n;
  }

  private base62(): number {
    const v = this.base62Big();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail();
    return Number(v);
  }

  private optDisambiguator(): bigint {
    if (!this.eat('s')) return 0n;
    return this.base62Big() + 1n;
  }

  private decimal(): number {
    const start = this.p;
    if (this.peek() === '0') {
      this.p++;
      return 0;
    }
    while (isDigit(this.peek())) this.p++;
    if (this.p === start || this.p - start > 6) fail();
    return Number(this.s.slice(start, this.p));
  }

  private ident(): { dis: bigint; name: string } {
    const dis = this.optDisambiguator();
    if (this.peek() === 'u') fail(); // punycode: not handled
    const len = this.decimal();
    this.eat('_');
    if (this.p + len > this.s.length) fail();
    const name = this.s.slice(this.p, this.p + len);
    this.p += len;
    if (!/^[A-Za-z0-9_]*$/.test(name)) fail();
    return { dis, name };
  }

  private backref<T>(f: () => T): T {
    const at = this.p - 1;
    const i = this.base62();
    const target = i;
    if (target >= at) fail();
    const hold = this.p;
    this.p = target;
    const r = f();
    this.p = hold;
    return r;
  }

  path(inValue: boolean): string {
    this.enter();
    const c = this.s[this.p++];
    let r: string;
    switch (c) {
      case 'C': {
        const { dis, name } = this.ident();
        r = dis ? `${name}[${dis.toString(16)}]` : name;
        break;
      }
      case 'M': {
        this.optDisambiguator();
        this.path(false);
        r = `<${this.type()}>`;
        break;
      }
      case 'X': {
        this.optDisambiguator();
        this.path(false);
        const t = this.type();
        r = `<${t} as ${this.path(false)}>`;
        break;
      }
      case 'Y': {
        const t = this.type();
        r = `<${t} as ${this.path(false)}>`;
        break;
      }
      case 'N': {
        const ns = this.s[this.p++];
        if (ns === undefined) fail();
        const prefix = this.path(inValue);
        const { dis, name } = this.ident();
        if (isUpper(ns)) {
          const what = ns === 'C' ? 'closure' : ns === 'S' ? 'shim' : ns;
          r = `${prefix}::{${what}${name ? ':' + name : ''}#${dis}}`;
        } else if (isLower(ns)) {
          if (name === '') fail();
          r = `${prefix}::${name}`;
        } else return fail();
        break;
      }
      case 'I': {
        const base = this.path(inValue);
        const args: string[] = [];
        while (!this.eat('E')) {
          if (this.p >= this.s.length) fail();
          args.push(this.genericArg());
        }
        r = `${base}${inValue ? '::' : ''}<${args.join(', ')}>`;
        break;
      }
      case 'B':
        r = this.backref(() => this.path(inValue));
        break;
      default:
        return fail();
    }
    return this.leave(r);
  }

  private genericArg(): string {
    if (this.peek() === 'L') {
      this.p++;
      return this.lifetime(this.base62());
    }
    if (this.eat('K')) return this.constValue();
    return this.type();
  }

  private lifetime(i: number): string {
    if (i === 0) return "'_";
    const depth = this.bound - i;
    if (depth < 0) fail();
    return depth < 26 ? `'${String.fromCharCode(97 + depth)}` : `'_${depth}`;
  }

  private binder(): number {
    if (!this.eat('G')) return 0;
    return this.base62() + 1;
  }

  type(): string {
    this.enter();
    const c = this.peek();
    const basic = V0_BASIC[c];
    let r: string;
    if (basic !== undefined) {
      this.p++;
      r = basic;
    } else {
      switch (c) {
        case 'R':
        case 'Q': {
          this.p++;
          let lt = '';
          if (this.eat('L')) {
            const i = this.base62();
            if (i !== 0) lt = this.lifetime(i) + ' ';
          }
          r = `&${lt}${c === 'Q' ? 'mut ' : ''}${this.type()}`;
          break;
        }
        case 'P':
          this.p++;
          r = `*const ${this.type()}`;
          break;
        case 'O':
          this.p++;
          r = `*mut ${this.type()}`;
          break;
        case 'A': {
          this.p++;
          const t = this.type();
          if (!this.eat('K')) fail();
          r = `[${t}; ${this.constValue()}]`;
          break;
        }
        case 'S':
          this.p++;
          r = `[${this.type()}]`;
          break;
        case 'T': {
          this.p++;
          const items: string[] = [];
          while (!this.eat('E')) {
            if (this.p >= this.s.length) fail();
            items.push(this.type());
          }
          r = items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
          break;
        }
        case 'F': {
          this.p++;
          const n = this.binder();
          const hold = this.bound;
          this.bound += n;
          let prefix = n > 0 ? `for<${Array.from({ length: n }, (_, i) => this.lifetimeName(hold + i)).join(', ')}> ` : '';
          if (this.eat('U')) prefix += 'unsafe ';
          if (this.eat('K')) {
            if (this.eat('C')) prefix += 'extern "C" ';
            else {
              const { name } = this.ident();
              prefix += `extern "${name.replace(/_/g, '-')}" `;
            }
          }
          const args: string[] = [];
          while (!this.eat('E')) {
            if (this.p >= this.s.length) fail();
            args.push(this.type());
          }
          const ret = this.type();
          this.bound = hold;
          r = `${prefix}fn(${args.join(', ')})${ret === '()' ? '' : ' -> ' + ret}`;
          break;
        }
        case 'D': {
          this.p++;
          const n = this.binder();
          const hold = this.bound;
          this.bound += n;
          const traits: string[] = [];
          while (!this.eat('E')) {
            if (this.p >= this.s.length) fail();
            traits.push(this.dynTrait());
          }
          this.bound = hold;
          if (!this.eat('L')) fail();
          const lt = this.base62();
          let body = traits.join(' + ');
          if (n > 0) body = `for<${Array.from({ length: n }, (_, i) => this.lifetimeName(hold + i)).join(', ')}> ${body}`;
          r = `dyn ${body}${lt !== 0 ? ' + ' + this.lifetime(lt) : ''}`;
          break;
        }
        case 'B':
          this.p++;
          r = this.backref(() => this.type());
          break;
        default:
          r = this.path(false);
      }
    }
    return this.leave(r);
  }

  private lifetimeName(depth: number): string {
    return depth < 26 ? `'${String.fromCharCode(97 + depth)}` : `'_${depth}`;
  }

  private dynTrait(): string {
    let path = this.path(false);
    const assoc: string[] = [];
    while (this.peek() === 'p') {
      this.p++;
      const { name } = this.ident();
      assoc.push(`${name} = ${this.type()}`);
    }
    if (assoc.length > 0) {
      if (path.endsWith('>')) path = path.slice(0, -1) + ', ' + assoc.join(', ') + '>';
      else path += `<${assoc.join(', ')}>`;
    }
    return path;
  }

  private constValue(): string {
    this.enter();
    if (this.eat('B')) return this.leave(this.backref(() => this.constValue()));
    const c = this.s[this.p++];
    if (c === 'p') return this.leave('_');
    const t = V0_BASIC[c];
    if (t === undefined) return fail();
    const neg = this.eat('n');
    const start = this.p;
    while (/[0-9a-f]/.test(this.peek())) this.p++;
    const hex = this.s.slice(start, this.p);
    if (!this.eat('_')) fail();
    if (hex.length > 16) fail();
    const v = hex === '' ? 0n : BigInt('0x' + hex);
    let r: string;
    if (t === 'bool') {
      if (v > 1n) fail();
      r = v === 1n ? 'true' : 'false';
    } else if (t === 'char') {
      if (v > 0x10ffffn) fail();
      r = `'${String.fromCodePoint(Number(v))}'`;
      if (v < 0x20n) fail();
    } else if (V0_INT_TYPES.has(t)) {
      r = `${neg ? '-' : ''}${v.toString()}${t}`;
    } else return fail();
    return this.leave(r);
  }

  top(): string {
    const r = this.path(true);
    // An optional instantiating crate follows; it is not printed.
    if (this.p < this.s.length && this.peek() !== '.' && this.peek() !== '$') {
      this.path(false);
    }
    if (this.p < this.s.length && this.peek() !== '.' && this.peek() !== '$') fail();
    return r;
  }
}

function demangleRustV0(s: string): string | null {
  const body = s.slice(2);
  if (body === '' || isDigit(body[0])) return null;
  return new V0Parser(body).top();
}
