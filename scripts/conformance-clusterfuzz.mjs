#!/usr/bin/env node
/**
 * Conformance of the sanitizer parsers against ClusterFuzz's stack analyzer expectations.
 * Takes: ../shared/peer-suites/clusterfuzz (read at run time; nothing is copied) and the
 * built parsers in dist/ (`npm run build` first; CRASHLENS_DIST=dir to use another build).
 * Gives: printed agreement figures for every case a crashlens sanitizer format (asan, msan,
 * tsan, ubsan, lsan) reads:
 *   - crash type: ClusterFuzz's `crash_type` class mapped to a crashlens kind vs our kind;
 *   - frames: the first 3 lines of `crash_state` vs our crash frame and the next two
 *     significant frames (names normalised the way ClusterFuzz does: no arguments, no
 *     `(anonymous namespace)::`, no `module!`, at most 80 characters; ClusterFuzz names the
 *     `LLVMFuzzerTestOneInput` frame by its source file's base name, so that frame of ours is
 *     named the same way). Roles come from the packs the analysis itself selects for the
 *     report (`rulesForReport`), so a product pack (kernel, QEMU) applies only when identified.
 * Denominator for frames: the cases whose first crash_state line is a function name (not a
 * CHECK/ASSERT condition, a fuzz-target name — the FUZZ_TARGET a test sets, which ClusterFuzz
 * puts in the state when no frame qualifies —, the file of a V8 `# Fatal error in FILE` line,
 * `Kernel failure`, `NULL` or empty).
 * The kind compared is the sanitizer report's own (the format's class, with the messages
 * merged into it); the kind of the whole analysis (`analyze()`, which also reads the stack:
 * an assertion or terminate behind an ABRT, an OOM handler) is printed beside it.
 * Prints "skipped" and exits 0 when the peer suite or the build is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');
const suite = resolve(process.env.CLUSTERFUZZ_SUITE ?? join(repo, '..', 'shared', 'peer-suites', 'clusterfuzz'));
const dist = resolve(process.env.CRASHLENS_DIST ?? join(repo, 'dist'));
const verbose = process.argv.includes('--verbose') || process.argv.includes('-v');

if (!existsSync(join(suite, 'manifest.json'))) {
  console.log(`clusterfuzz conformance: skipped (no peer suite at ${suite})`);
  process.exit(0);
}
const need = ['formats/asan.js', 'formats/msan.js', 'formats/tsan.js', 'formats/ubsan.js', 'formats/lsan.js', 'ingest/clean.js', 'rules/load.js', 'rules/roles.js', 'diagnose/crash-frame.js', 'diagnose/kind-table.js'];
if (!need.every((p) => existsSync(join(dist, p)))) {
  console.log(`clusterfuzz conformance: skipped (no build at ${dist}; run npm run build)`);
  process.exit(0);
}
const load = (p) => import(pathToFileURL(join(dist, p)).href);
const [{ asan }, { msan }, { tsan }, { ubsan }, { lsan }, { clean }, { rulesForReport }, { assignRoles }, { crashFrameIndex }, { kindForClass }] =
  await Promise.all(need.map(load));
const MODULES = [asan, msan, tsan, ubsan, lsan];

/** ClusterFuzz crash_type (first line, access suffix removed) → crashlens kind, or null. */
const UBSAN_TYPES = new Set(['Integer-overflow', 'Unsigned-integer-overflow', 'Divide-by-zero', 'Pointer-overflow', 'Index-out-of-bounds',
  'Misaligned-address', 'Object-size', 'Invalid-bool-value', 'Invalid-enum-value', 'Implicit-conversion', 'Incorrect-function-pointer-type',
  'Non-positive-vla-bound-value', 'Upcast-of-null-pointer', 'Unreachable code', 'Bad-cast', 'Float-cast-overflow', 'Invalid-builtin-use',
  'Invalid-null-argument', 'Invalid-null-return', 'Nullptr-dereference', 'Potential-null-reference', 'Missing-return', 'Memcpy-param-overlap',
  'Negative-size-param']);
const CF_KINDS = {
  'Null-dereference': 'null-deref', UNKNOWN: 'segv', 'Segv on unknown address': 'segv', 'Heap-double-free': 'double-free',
  'Invalid-free': 'invalid-free', 'Bad-free': 'invalid-free', 'Direct-leak': 'leak', 'Indirect-leak': 'leak', 'Data race': 'data-race',
  Ill: 'illegal-instruction', 'Floating-point-exception': 'fpe', Bus: 'bus-error', Abrt: 'abort', 'Out-of-memory': 'oom',
  'Stack-overflow': 'stack-overflow', Timeout: 'hang', 'Use-of-uninitialized-value': 'uninitialized-value', 'Heap-corruption': 'heap-corruption',
};
function cfKind(type) {
  let t = type.split('\n')[0].trim();
  t = t.replace(/ (READ|WRITE)( \{\*\}| \d+)?$/, '');
  if (!t) return null;
  if (CF_KINDS[t]) return [CF_KINDS[t]];
  // ClusterFuzz names ASan's Windows SEH divide-by-zero like UBSan's check: SIGFPE is `fpe` here.
  if (t === 'Divide-by-zero') return ['undefined-behavior', 'fpe'];
  // HWASan without a `Cause:` line: any memory-safety kind the report's cause names.
  if (t === 'Tag-mismatch') return ['use-after-free', 'heap-overflow', 'stack-buffer-overflow', 'global-buffer-overflow', 'invalid-free', 'double-free'];
  if (UBSAN_TYPES.has(t)) return ['undefined-behavior'];
  const k = kindForClass(t.toLowerCase())?.kind;
  return k ? [k] : null;
}

/** ClusterFuzz's frame-name normalisation (the parts that apply to function names). */
function cfName(fn) {
  if (!fn) return '';
  let s = fn.trim();
  if (s.startsWith('in ')) s = s.slice(3);
  s = s.replaceAll('(anonymous namespace)::', '').replaceAll('`anonymous namespace\'::', '').replaceAll('non-virtual thunk to ', '');
  const bang = s.lastIndexOf('!');
  if (bang >= 0) s = s.slice(bang + 1);
  const cut = s.search(/[([]/);
  if (cut > 0) s = s.slice(0, cut);
  else {
    const sp = s.indexOf(' ');
    if (sp > 0) s = s.slice(0, sp);
  }
  return s.trim().slice(0, 80);
}

/** A frame's name as ClusterFuzz's state shows it: the fuzz target's entry by its file. */
function cfFrameName(f) {
  if (f.function === 'LLVMFuzzerTestOneInput' && f.file) return f.file.slice(Math.max(f.file.lastIndexOf('/'), f.file.lastIndexOf('\\')) + 1);
  return cfName(f.function);
}

/** Why a crash_state's first line is not a function name (null: it is one). */
function excluded(expected, env, text) {
  const state = expected.crash_state;
  if (state === undefined) return 'no crash_state checked';
  const first = state.split('\n')[0];
  if (env?.FUZZ_TARGET && first === env.FUZZ_TARGET) return 'fuzz-target state';
  if (/\.(cc|cpp|c|h)$/.test(first) && new RegExp(`# Fatal error in \\S*\\b${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, line`).test(text)) return 'fatal-error file state';
  const type = (expected.crash_type ?? '').split('\n')[0];
  if (first === '' || first === 'NULL') return 'empty state';
  if (/CHECK|ASSERT|Kernel failure|Fatal error/.test(type)) return `${type || 'check'} state`;
  if (/ in [\w.-]+\.(cc|cpp|c|h|rs|go|py|java|js)$/.test(first)) return 'condition state';
  // A name may hold spaces (template arguments, a return type, `operator+=`); a bad-cast
  // description, a path or a sentence (a V8 API error) is no name.
  if (/^Bad-cast to /.test(first) || /^(?:[/\\]|[A-Za-z]:[/\\])/.test(first) || /\.\s/.test(first)) return 'not a function name';
  if (!/^[~\w:<>$.@*&,\-+=!|%^[\]/ ]+$/.test(first)) return 'not a function name';
  if (expected.crash_type && /Out-of-memory|Timeout|Overwrites-const-input/.test(type)) return 'fuzz-target state';
  return null;
}

// With the detection stage built, a case counts when the report crashlens picks (over every
// format) is a sanitizer report; without it, when a sanitizer format reads the text at all.
const detect = existsSync(join(dist, 'detect.js')) ? (await load('detect.js')).detect : null;
const analyze = existsSync(join(dist, 'analyze.js')) ? (await load('analyze.js')).analyze : null;
const OURS = new Set(MODULES.map((m) => m.id));

function analyseText(text) {
  const doc = clean(text);
  let report = null;
  if (detect) {
    const d = detect(doc);
    const r = d.picked >= 0 ? d.reports[d.picked] : null;
    if (!r || !OURS.has(r.format)) return null;
    report = r;
  } else {
    const reports = [];
    for (const m of MODULES) for (const r of m.find(doc)) reports.push(r);
    if (reports.length === 0) return null;
    reports.sort((a, b) => a.startLine - b.startLine);
    const complete = reports.filter((r) => r.complete);
    report = complete.length ? complete[complete.length - 1] : reports[reports.length - 1];
  }
  const thread = report.threads.find((t) => t.id === report.crashingThreadId) ?? report.threads[0];
  const frames = thread?.frames ?? [];
  const names0 = new Set();
  for (const t of report.threads) for (const f of t.frames) if (f.function) names0.add(f.function);
  for (const s of report.stacks ?? []) for (const f of s.frames) if (f.function) names0.add(f.function);
  assignRoles(frames, rulesForReport(report.format, names0));
  const i = crashFrameIndex(frames);
  const names = [];
  if (i >= 0) {
    for (let k = i; k < frames.length && names.length < 3; k++) {
      const f = frames[k];
      if (f.role === 'crash-handling' || f.role === 'unknown' || !f.function) continue;
      names.push(cfFrameName(f));
    }
  }
  return { report, names };
}

const manifest = JSON.parse(readFileSync(join(suite, 'manifest.json'), 'utf8'));
let cases = 0;
let read = 0;
let typeDen = 0;
let typeOk = 0;
let fullOk = 0;
const fullMiss = [];
let frameDen = 0;
let frame1Ok = 0;
let state3Ok = 0;
const excludedBy = new Map();
const typeMiss = [];
const frameMiss = [];
for (const entry of manifest) {
  if (!entry.file || !entry.expected || entry.kind === 'split_stacktrace') continue;
  cases++;
  const p = join(suite, entry.file);
  if (!existsSync(p)) continue;
  let text = readFileSync(p, 'utf8');
  if (entry.options?.preprocess === 'centipede.trim_logs') text = text.split('\n').map((l) => (l.startsWith('CRASH LOG: ') ? l.slice(11) : l)).join('\n');
  let res;
  try {
    res = analyseText(text);
  } catch (e) {
    frameMiss.push(`${entry.file}: parser threw ${e?.message ?? e}`);
    continue;
  }
  if (!res) continue;
  read++;
  const ex = entry.expected;
  if (ex.crash_type) {
    const want = cfKind(ex.crash_type);
    if (want) {
      typeDen++;
      if (want.includes(res.report.kind?.kind)) typeOk++;
      else typeMiss.push(`${entry.file}: type ${JSON.stringify(ex.crash_type.split('\n')[0])} → ${want.join('/')}, ours ${res.report.kind?.kind ?? 'none'}`);
      if (analyze) {
        const a = analyze(text, { context: false });
        const k = a.error ? 'none' : a.kind;
        if (want.includes(k)) fullOk++;
        else fullMiss.push(`${entry.file}: type ${JSON.stringify(ex.crash_type.split('\n')[0])} → ${want.join('/')}, analysis ${k}`);
      }
    }
  }
  const why = excluded(ex, entry.env, text);
  if (why) {
    excludedBy.set(why, (excludedBy.get(why) ?? 0) + 1);
    continue;
  }
  frameDen++;
  const want = ex.crash_state.split('\n').filter((l) => l !== '').slice(0, 3);
  if (res.names[0] === want[0]) frame1Ok++;
  if (want.every((w, k) => res.names[k] === w)) state3Ok++;
  if (res.names[0] !== want[0] || !want.every((w, k) => res.names[k] === w)) {
    frameMiss.push(`${entry.file}: state [${want.join(' | ')}], ours [${res.names.join(' | ')}]`);
  }
}

const pct = (a, b) => (b ? `${((100 * a) / b).toFixed(1)}%` : 'n/a');
console.log('clusterfuzz conformance (sanitizer formats: asan, msan, tsan, ubsan, lsan)');
console.log(`  manifest cases: ${cases}; analysed as a sanitizer report (${detect ? 'picked by detection over all formats' : 'read by a sanitizer format'}): ${read}`);
console.log(`  crash type → kind: ${typeOk}/${typeDen} (${pct(typeOk, typeDen)})`);
if (analyze) console.log(`  crash type → kind of the whole analysis: ${fullOk}/${typeDen} (${pct(fullOk, typeDen)})`);
console.log(`  first crash_state frame = our crash frame: ${frame1Ok}/${frameDen} (${pct(frame1Ok, frameDen)})`);
console.log(`  all 3 crash_state frames = our first 3 significant frames: ${state3Ok}/${frameDen} (${pct(state3Ok, frameDen)})`);
console.log(`  excluded from the frame denominator: ${[...excludedBy].map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`);
const show = (title, list) => {
  if (!list.length) return;
  console.log(`  ${title} (${list.length}):`);
  for (const l of verbose ? list : list.slice(0, 25)) console.log(`    ${l}`);
  if (!verbose && list.length > 25) console.log(`    … ${list.length - 25} more (--verbose)`);
};
show('type disagreements', typeMiss);
show('type disagreements of the whole analysis', fullMiss);
show('frame disagreements', frameMiss);
