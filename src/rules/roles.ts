/**
 * Roles: which frames are the program's own code, which are libraries, runtime, crash
 * machinery, plumbing (DESIGN, `role` and its precedence).
 * Takes: frames and a RuleSet. Gives: each frame's `role`, its one-line `explanation`
 * when a rule knows the function, and a pack class (QEMU `device`, `event-loop`) kept in
 * a side table for blame rules.
 *
 * Precedence, first match wins: project rules → packs by function, then module, then
 * path → the format's own hint → system and toolchain locations → a frame with a source
 * file or in the main executable is `app` → no symbol is `unknown`.
 */
import type { Frame, Role } from '../model.js';
import type { CompiledRule, RuleSet } from './load.js';
import { globMatch, pathGlobMatch } from './glob.js';
import { systemRole } from './system-paths.js';
import { lastTopLevelSpace } from '../frames/names.js';

const frameClass = new WeakMap<Frame, string>();

export function classOf(frame: Frame): string | undefined {
  return frameClass.get(frame);
}

function baseName(path: string): string {
  const k = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return k >= 0 ? path.slice(k + 1) : path;
}

/** `f(int, char*)` → `f`; `ns::f<int>(x)` → `ns::f<int>`; names without a list unchanged. */
export function withoutParams(fn: string): string {
  if (!fn.endsWith(')')) return fn;
  let depth = 0;
  for (let i = fn.length - 1; i >= 0; i--) {
    const c = fn[i];
    if (c === ')') depth++;
    else if (c === '(') {
      depth--;
      if (depth === 0) {
        // `Visitor::operator()` is a name, not a name with an empty parameter list.
        if (fn.slice(0, i).trimEnd().endsWith('operator')) return fn;
        return i > 0 ? fn.slice(0, i).trimEnd() : fn;
      }
    }
  }
  return fn;
}

/**
 * A function template's demangled name starts with its return type
 * (`long FuzzedDataProvider::ConsumeIntegral<long>`, `void WTF::Vector<int>::Append<int>`):
 * the name without it, so that `FuzzedDataProvider::*` matches. Only a C++-looking return
 * type (words, `::`, template brackets, `*`, `&`) is dropped; `operator new`, a Swift
 * `closure #1 in …` and names without a space are unchanged.
 */
export function withoutReturnType(fn: string): string {
  const lastSpace = lastTopLevelSpace(fn);
  if (lastSpace <= 0) return fn;
  const head = fn.slice(0, lastSpace);
  const rest = fn.slice(lastSpace + 1);
  if (!/^[A-Za-z_][\w:<>,*& ]*$/.test(head) || /(?:^|::|\s)operator$/.test(head) || /\boperator\b/.test(head)) return fn;
  if (!/^[A-Za-z_~(]/.test(rest) || head.endsWith('(anonymous')) return fn;
  return rest;
}


function matchFunction(rules: CompiledRule[], names: string[]): CompiledRule[] {
  const out: CompiledRule[] = [];
  for (const r of rules) {
    if (r.function !== undefined && names.some((n) => globMatch(r.function!, n))) out.push(r);
  }
  return out;
}

function candidates(frame: Frame, set: RuleSet): CompiledRule[] {
  const out: CompiledRule[] = [];
  const fn = frame.function;
  const names: string[] = [];
  if (fn) {
    names.push(fn);
    const bare = withoutParams(fn);
    if (bare !== fn) {
      names.push(bare);
      // Only a name with a parameter list (a C++ signature) can start with a return type.
      const named = withoutReturnType(bare);
      if (named !== bare) names.push(named, withoutReturnType(fn));
    }
  }
  const mod = frame.module ? baseName(frame.module) : null;
  const file = frame.file ?? null;
  // Project rules first, in their own order.
  for (const r of set.project) {
    if (r.function !== undefined && names.some((n) => globMatch(r.function!, n))) out.push(r);
    else if (r.module !== undefined && mod && (globMatch(r.module, mod) || (frame.module && globMatch(r.module, frame.module)))) out.push(r);
    else if (r.path !== undefined && file && pathGlobMatch(r.path, file)) out.push(r);
  }
  for (const n of names) {
    const exact = set.exact.get(n);
    if (exact) out.push(exact);
  }
  if (names.length > 0) out.push(...matchFunction(set.functionGlobs, names));
  if (mod) for (const r of set.modules) if (globMatch(r.module!, mod)) out.push(r);
  if (file && !programCodeInHeader(frame)) for (const r of set.paths) if (pathGlobMatch(r.path!, file)) out.push(r);
  return out;
}

/** Namespaces of the C++ standard library and its ABI: their code in a header is library code. */
const LIBRARY_NAMESPACES = ['std::', '__gnu_cxx::', '__cxxabiv1::', '__gnu_debug::', 'boost::', '__sanitizer::', '__asan::'];

/**
 * An optimised build names the header of the innermost inlined code as the frame's file
 * (`store::Journal::replay … at /usr/include/c++/12/bits/new_allocator.h:90`): a function
 * of the program's own namespaces, in the main executable, stays the program's.
 */
function programCodeInHeader(frame: Frame): boolean {
  const fn = frame.function;
  if (!fn || !frame.file || frame.module) return false;
  if (!frame.file.startsWith('/usr/include/') && !frame.file.startsWith('/usr/local/include/')) return false;
  if (!fn.includes('::')) return false;
  const bare = fn.startsWith('(anonymous namespace)::') ? fn.slice(23) : fn;
  return !LIBRARY_NAMESPACES.some((ns) => bare.startsWith(ns));
}

function looksLikeSharedLibrary(module: string): boolean {
  const b = baseName(module).toLowerCase();
  return b.includes('.so') || b.endsWith('.dll') || b.endsWith('.dylib') || b.startsWith('lib') || b.endsWith('.sys');
}

/** A frame's role worked out once: for the frames with its function, module, file and hint. */
interface RoleHit {
  module: string | null | undefined;
  file: string | null | undefined;
  hint: Role | undefined;
  role: Role;
  explanation?: string;
  cls?: string;
}
/**
 * Roles already worked out, per rule set, by the frame's function, then a short list of
 * (module, file, hint): no key string is built per frame (a 50,000-frame recursion built
 * 50,000 of them, a quarter of its garbage).
 */
const memo = new WeakMap<RuleSet, { byFunction: Map<string | null, RoleHit[]>; size: number }>();

export function assignRole(frame: Frame, set: RuleSet): void {
  let cache = memo.get(set);
  if (!cache) memo.set(set, (cache = { byFunction: new Map(), size: 0 }));
  const seen = cache.byFunction.get(frame.function);
  if (seen !== undefined) {
    for (let k = 0; k < seen.length; k++) {
      const hit = seen[k];
      if (hit.module !== frame.module || hit.file !== frame.file || hit.hint !== frame.roleHint) continue;
      frame.role = hit.role;
      if (hit.explanation && !frame.explanation) frame.explanation = hit.explanation;
      if (hit.cls) frameClass.set(frame, hit.cls);
      return;
    }
  }
  const rules = candidates(frame, set);
  let role: Role | undefined;
  let explanation: string | undefined;
  let cls: string | undefined;
  for (const r of rules) {
    if (role === undefined && r.role) role = r.role;
    if (explanation === undefined && r.explanation) explanation = r.explanation;
    if (cls === undefined && r.class) cls = r.class;
  }
  role ??= frame.roleHint;
  role ??= (programCodeInHeader(frame) ? undefined : systemRole(frame.file)) ?? systemRole(frame.module) ?? undefined;
  if (role === undefined) {
    if (!frame.function) role = 'unknown';
    else if (frame.file) role = 'app';
    else if (frame.module && looksLikeSharedLibrary(frame.module)) role = 'library';
    else role = 'app';
  }
  frame.role = role;
  // (a function seen with many modules or files, such as `??`, keeps at most 64: the scan stays short)
  if (cache.size < 100000 && (seen === undefined || seen.length < 64)) {
    const hit: RoleHit = { module: frame.module, file: frame.file, hint: frame.roleHint, role, explanation, cls };
    if (seen !== undefined) seen.push(hit);
    else cache.byFunction.set(frame.function, [hit]);
    cache.size++;
  }
  if (explanation && !frame.explanation) frame.explanation = explanation;
  if (cls) frameClass.set(frame, cls);
}

export function assignRoles(frames: Frame[], set: RuleSet): void {
  for (const f of frames) assignRole(f, set);
}
