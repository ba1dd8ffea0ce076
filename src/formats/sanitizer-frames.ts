/**
 * Sanitizer frame lines and the small helpers every sanitizer format shares.
 * Takes: one line of ASan/MSan/TSan/UBSan/LSan/HWASan output. Gives: a `Frame` (function,
 * address, module, file, line, column) or null, and helpers for thread ids, access lines,
 * `==pid==` prefixes, short function names for titles and runtime-frame hints.
 *
 * Frame shapes read (all found by a forward scan, no backtracking regex):
 *   `    #0 0x4f3c1a in func file.c:12:5`
 *   `    #1 0x7f… in func (/lib/x86_64-linux-gnu/libc.so.6+0x2724a) (BuildId: 8d1f…)`
 *   `    #2 0x55… (/path/bin+0x1234)`                         (no symbol)
 *   `    #0 counter_bump src/race.c:8:17 (bin+0xd0108) (BuildId: …)`   (TSan: no pc)
 *   `    #0 pthread_create <null> (bin+0x513ad)`
 *   `    #1 0x… in queue_tail(std::vector<int> const&) /src/q.cpp:7`  (C++ names with spaces)
 */
import type { Access, Frame, Role } from '../model.js';
import { newFrame } from '../model.js';

export interface SanitizerFrameLine {
  /** The number after `#`. */
  number: number;
  frame: Frame;
}

const HEX = /^0x[0-9a-fA-F]{1,16}$/;
const LINE_COL = /^(.*?):(\d{1,9})(?::(\d{1,9}))?$/;

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Strip trailing `(BuildId: …)` and `(module+0x…)` groups; returns [rest, module, offset]. */
function stripTrailingGroups(s: string): { rest: string; module: string | null; offset: string | null } {
  let rest = s.trimEnd();
  let module: string | null = null;
  let offset: string | null = null;
  for (let guard = 0; guard < 3 && rest.endsWith(')'); guard++) {
    const open = rest.lastIndexOf(' (');
    const at = open >= 0 ? open + 1 : rest.startsWith('(') ? 0 : -1;
    if (at < 0) break;
    const inner = rest.slice(at + 1, -1);
    if (inner.startsWith('BuildId:')) {
      rest = rest.slice(0, at).trimEnd();
      continue;
    }
    const plus = inner.lastIndexOf('+0x');
    if (plus > 0 && HEX.test(inner.slice(plus + 1))) {
      module = inner.slice(0, plus);
      offset = inner.slice(plus + 1);
      rest = rest.slice(0, at).trimEnd();
      continue;
    }
    break;
  }
  return { rest, module, offset };
}

/** True for a token that is a source location (`file.c:12:5`, `<null>`, `x.cpp.o`). */
function moduleToken(tok: string): boolean {
  // `<<application>>+0xacf4c`, `libfoo.so+0x1234` printed without parentheses.
  if (tok.endsWith(')')) return false;
  const plus = tok.lastIndexOf('+0x');
  return plus > 0 && HEX.test(tok.slice(plus + 1)) && !tok.includes('(');
}

function locationToken(tok: string): boolean {
  if (tok === '<null>') return true;
  if (tok.includes(':') && !tok.endsWith(')') && LINE_COL.test(tok)) return true;
  if (tok.endsWith('.o')) return true;
  return false;
}

/** Parse a sanitizer frame line, or null when the line is not one. */
export function parseSanitizerFrame(line: string): SanitizerFrameLine | null {
  const hash = line.indexOf('#');
  if (hash < 0 || hash > 12) return null;
  for (let k = 0; k < hash; k++) if (line[k] !== ' ' && line[k] !== '\t') return null;
  let i = hash + 1;
  let num = 0;
  const numStart = i;
  while (isDigit(line[i]) && i - numStart < 7) num = num * 10 + (line.charCodeAt(i++) - 48);
  if (i === numStart) return null;
  // Fuchsia's symbolizer numbers inlined frames `#1.1`, `#1.2` before the real `#1`.
  let inlined = false;
  if (line[i] === '.' && isDigit(line[i + 1])) {
    inlined = true;
    i++;
    while (isDigit(line[i]) && i < hash + 20) i++;
  }
  if (line[i] !== ' ') return null;
  while (line[i] === ' ') i++;
  let rest = line.slice(i);
  let address: string | null = null;
  if (rest.startsWith('0x')) {
    const sp = rest.indexOf(' ');
    const tok = sp < 0 ? rest : rest.slice(0, sp);
    if (!HEX.test(tok)) return null;
    address = tok;
    rest = sp < 0 ? '' : rest.slice(sp).trimStart();
    if (rest.startsWith('in ')) rest = rest.slice(3);
  }
  let { rest: body, module, offset } = stripTrailingGroups(rest);
  if (body === '(<unknown module>)' || body === '<unknown module>') body = '';
  {
    const last = body.lastIndexOf(' ');
    if (last > 0 && moduleToken(body.slice(last + 1))) {
      const tok = body.slice(last + 1);
      const plus = tok.lastIndexOf('+0x');
      module ??= tok.slice(0, plus);
      offset ??= tok.slice(plus + 1);
      body = body.slice(0, last).trimEnd();
    }
  }
  let fn: string | null = body;
  let file: string | null = null;
  let lineNo: number | null = null;
  let column: number | null = null;
  const sp = body.lastIndexOf(' ');
  if (sp > 0 && locationToken(body.slice(sp + 1))) {
    const tok = body.slice(sp + 1);
    fn = body.slice(0, sp).trimEnd();
    const m = tok === '<null>' ? null : LINE_COL.exec(tok);
    if (m) {
      file = m[1];
      lineNo = Number(m[2]);
      column = m[3] ? Number(m[3]) : null;
    } else if (tok !== '<null>') {
      file = null; // an object file name (`x.cpp.o`) is no source location
    }
  }
  if (fn !== null && file === null) {
    // `in malloc _asan_rtl_`: a bare name and a module word, no location.
    const one = fn.indexOf(' ');
    if (one > 0 && fn.indexOf(' ', one + 1) < 0 && !fn.includes('(') && !fn.startsWith('operator')) {
      module ??= fn.slice(one + 1);
      fn = fn.slice(0, one);
    }
  }
  if (fn !== null) {
    fn = fn.trim();
    // The symbolizer printed a location where the name belongs (`memcpy-ssse3-back.S:1702`).
    if (fn.includes(':') && !fn.includes('(') && !fn.includes(' ') && LINE_COL.test(fn)) fn = null;
    // `in linux-gate.so.1`: a module where the name belongs.
    else if (fn.includes('.so') && /^[\w.+-]{1,200}\.so(?:\.\d{1,6}){0,4}$/.test(fn)) {
      module ??= fn;
      fn = null;
    }
  }
  if (fn !== null) {
    // `func+0x1a` when only the symbol table was available.
    const plus = fn.lastIndexOf('+0x');
    if (plus > 0 && HEX.test(fn.slice(plus + 1))) fn = fn.slice(0, plus);
    if (fn === '' || fn === '<unknown>' || fn === '??' || fn === '<unknown module>') fn = null;
  }
  if (fn === null && module === null && address === null) return null;
  const frame = newFrame(num, fn);
  if (inlined) frame.inlined = true;
  frame.address = address ?? offset;
  if (module) frame.module = module;
  if (file) frame.file = file;
  if (lineNo !== null) frame.line = lineNo;
  if (column !== null) frame.column = column;
  return { number: num, frame };
}

/**
 * Read consecutive frame lines starting at `start`; returns the frames and the index of
 * the first line after them. A frame list restarts at `#0` only as a new stack, so it stops
 * there. Caps the frames kept (a 50,000-frame recursion stays linear and bounded in memory).
 */
export function readFrames(lines: string[], start: number, end: number, maxFrames = 5000): { frames: Frame[]; next: number; dropped: number } {
  const frames: Frame[] = [];
  let i = start;
  let dropped = 0;
  while (i < end) {
    let l = lines[i];
    if (l.trim() === '' && frames.length > 0) {
      // Some logs put blank lines between frames: continue when the next frame follows on.
      let j = i + 1;
      while (j < end && j <= i + 2 && lines[j].trim() === '') j++;
      const peek = j < end ? parseSanitizerFrame(lines[j]) : null;
      if (!peek || peek.number === 0) break;
      i = j;
      l = lines[i];
    }
    if (!l.includes('#')) break;
    const f = parseSanitizerFrame(l);
    if (!f) break;
    if (frames.length > 0 && f.number === 0) break;
    if (frames.length < maxFrames) {
      f.frame.index = frames.length;
      frames.push(f.frame);
    } else dropped++;
    i++;
  }
  return { frames, next: i, dropped };
}

/** The thread id a sanitizer names: `T0` → "0", `main thread` → "0", `thread #3` → "3". */
export function threadIdFrom(text: string): string | null {
  if (text.includes('main thread')) return '0';
  let k = text.indexOf(' T');
  while (k >= 0) {
    let j = k + 2;
    let id = '';
    while (isDigit(text[j]) && id.length < 9) id += text[j++];
    if (id && (j >= text.length || !/[\w]/.test(text[j]))) return id;
    k = text.indexOf(' T', k + 2);
  }
  if (text.startsWith('T') && isDigit(text[1])) {
    let j = 1;
    let id = '';
    while (isDigit(text[j]) && id.length < 9) id += text[j++];
    return id;
  }
  return null;
}

/** `READ of size 4 at 0x… thread T0` / `Write of size 4 at 0x… by thread T2` → Access. */
export function parseAccessLine(text: string): { access: Access; thread: string | null } | null {
  const t = text.trim();
  const m = /^(?:Atomic )?(READ|WRITE|Read|Write|read|write) of size (\d{1,12}) at (0x[0-9a-fA-F]{1,16})/.exec(t);
  if (!m) return null;
  const access: Access = { type: m[1].toLowerCase() === 'read' ? 'read' : 'write', size: Number(m[2]), address: m[3] };
  return { access, thread: threadIdFrom(t.slice(m[0].length)) };
}

/** Remove a `==1234==` (sanitizer) prefix; returns the line unchanged when it has none. */
export function stripPidPrefix(line: string): string {
  if (!line.startsWith('==')) return line;
  let j = 2;
  while (isDigit(line[j]) && j < 14) j++;
  if (j > 2 && line.startsWith('==', j)) return line.slice(j + 2);
  return line;
}

/**
 * The name a title uses: no argument list, no `+0x` offset
 * (`queue_tail(std::vector<int> const&)` → `queue_tail`, `operator delete(void*)` → `operator delete`).
 */
export function shortName(fn: string): string {
  let s = fn.trim();
  if (s.endsWith(' const')) s = s.slice(0, -6);
  if (!s.endsWith(')')) return s;
  let depth = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    const c = s[i];
    if (c === ')') depth++;
    else if (c === '(') {
      depth--;
      if (depth === 0) {
        // `operator()(int)`: keep the operator's own parentheses.
        if (i > 0 && s.slice(0, i).endsWith('operator()')) return s.slice(0, i);
        return i > 0 ? s.slice(0, i) : s;
      }
    }
  }
  return s;
}

const RUNTIME_PREFIXES = [
  '_sanitizer_', '_asan_', '_interceptor_', '__interceptor_', '___interceptor_', '__interception::', '__asan', '__msan', '__tsan', '__lsan',
  '__ubsan', '__hwasan', '__sanitizer', '__dfsan', '__esan', '__scudo', '__gwp_asan',
];

/** Functions the sanitizer runtimes intercept; as the first frames of a stack they are the runtime. */
const INTERCEPTED = new Set([
  'malloc', 'calloc', 'realloc', 'reallocarray', 'free', 'cfree', 'valloc', 'pvalloc', 'memalign',
  'aligned_alloc', 'posix_memalign', 'strdup', 'strndup', '__strdup', 'memcpy', 'memmove', 'memset',
  'memcmp', 'bcmp', 'strlen', 'strnlen', 'strcpy', 'strncpy', 'strcat', 'strncat', 'strcmp',
  'strncmp', 'strchr', 'strrchr', 'strstr', 'strcasecmp', 'strncasecmp', 'wcslen', 'printf',
  'fprintf', 'sprintf', 'snprintf', 'vsnprintf', 'puts', 'fwrite', 'fread', 'read', 'write',
  'pthread_create', 'pthread_join', 'pthread_mutex_lock', 'pthread_mutex_unlock',
  'pthread_mutex_trylock', 'pthread_mutex_destroy', 'pthread_rwlock_rdlock', 'pthread_rwlock_wrlock',
  'pthread_rwlock_unlock', 'pthread_cond_wait', 'pthread_cond_signal', 'pthread_cond_broadcast',
  'pthread_spin_lock', 'pthread_spin_unlock', 'sem_wait', 'sem_post', 'usleep', 'sleep', 'nanosleep',
  'signal', 'sigaction', 'raise', 'kill', 'abort', 'longjmp', 'siglongjmp', 'dlopen', 'dlclose',
]);

function isRuntimeFile(file: string | null | undefined): boolean {
  if (!file) return false;
  return file.includes('libsanitizer/') || file.includes('compiler-rt/lib/') || file.includes('/sanitizer_common/');
}

function isRuntimeModule(module: string | null | undefined): boolean {
  if (!module) return false;
  const slash = module.lastIndexOf('/');
  const b = module.slice(slash + 1);
  return b.startsWith('libasan') || b.startsWith('libtsan') || b.startsWith('libubsan') || b.startsWith('liblsan') ||
    b.startsWith('libhwasan') || b.startsWith('libclang_rt.') || b.startsWith('vgpreload_');
}

/** True when the frame belongs to the sanitizer (or valgrind) runtime. */
export function isRuntimeFrame(f: Frame): boolean {
  const fn = f.function ?? '';
  for (const p of RUNTIME_PREFIXES) if (fn.startsWith(p)) return true;
  if (isRuntimeFile(f.file) || isRuntimeModule(f.module)) return true;
  const name = shortName(fn);
  if (name.startsWith('operator new') || name.startsWith('operator delete')) return !f.file || isRuntimeFile(f.file);
  if (INTERCEPTED.has(name) || (name.includes('@') && INTERCEPTED.has(name.slice(0, name.indexOf('@'))))) return !f.file || isRuntimeFile(f.file);
  return false;
}

/**
 * Mark the leading runtime frames of a stack (`__interceptor_free`, `malloc` in the
 * sanitizer's module, `__asan_memcpy`) as crash-handling, so the crash frame is the first
 * frame of the program, not the interceptor that reported.
 */
export function hintRuntimeFrames(frames: Frame[], role: Role = 'crash-handling'): void {
  for (const f of frames) {
    if (!isRuntimeFrame(f)) break;
    f.roleHint = role;
  }
}

/** First frame after the leading runtime frames (what a title names), or null. */
export function firstProgramFrame(frames: Frame[]): Frame | null {
  for (const f of frames) {
    if (f.roleHint === 'crash-handling' || f.roleHint === 'library' || isRuntimeFrame(f)) continue;
    if (f.function) return f;
  }
  return null;
}

/** `heap-use-after-free READ of size 4 in ticket_peek` (syzbot-style, no addresses). */
export function sanitizerTitle(cls: string, access: Access | null, frames: Frame[], withAccess = true): string {
  let t = cls;
  if (withAccess && access && (access.type === 'read' || access.type === 'write')) {
    t += ` ${access.type.toUpperCase()}`;
    if (access.size !== undefined) t += ` of size ${access.size}`;
  }
  const f = firstProgramFrame(frames);
  if (f?.function) t += ` in ${shortName(f.function)}`;
  return t;
}
