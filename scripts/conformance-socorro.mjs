#!/usr/bin/env node
/**
 * Conformance of the minidump (Breakpad / rust-minidump) format against Socorro's signature
 * generator expectations, where they concern what a stack-walk text carries.
 * Takes: ../shared/peer-suites/socorro (read at run time; nothing is copied) and the built
 * format modules in dist/ (`npm run build` first; CRASHLENS_DIST=dir to use another build).
 * Gives: printed agreement figures, each with its denominator and the excluded cases by reason:
 *   - crash reason → kind: Socorro's stack-overflow, OOM and bad-hardware rules (their
 *     predicates over `reason`) vs our kind for the same `Crash reason:` line
 *     (stack-overflow, oom, bus-error);
 *   - source paths: Socorro's parse_source_file vs the file our frames carry for a
 *     `[hg:…:path:rev : line + 0x…]` location;
 *   - frame lists: the crashing thread of Socorro's processed-crash inputs, printed as
 *     rust-minidump text (inlined frames first, `Found by: inlining`) and read back by our
 *     parser, vs Socorro's frame list (create_frame_list) or the input's functions.
 * Cases about Socorro's own annotations (OOM allocation sizes, last_error_value, IPC, Java,
 * shutdown hangs) and its signature-string rules are outside a text parser and are counted
 * as excluded. Prints "skipped" and exits 0 when the peer suite or the build is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');
const suite = resolve(process.env.SOCORRO_SUITE ?? join(repo, '..', 'shared', 'peer-suites', 'socorro'));
const dist = resolve(process.env.CRASHLENS_DIST ?? join(repo, 'dist'));
const verbose = process.argv.includes('--verbose') || process.argv.includes('-v');

if (!existsSync(join(suite, 'manifest.json'))) {
  console.log(`socorro conformance: skipped (no peer suite at ${suite})`);
  process.exit(0);
}
if (!existsSync(join(dist, 'formats/breakpad.js'))) {
  console.log(`socorro conformance: skipped (no build at ${dist}; run npm run build)`);
  process.exit(0);
}
const { findBreakpad, reasonFacts, sourcePath } = await import(pathToFileURL(join(dist, 'formats/breakpad.js')).href);

const manifest = JSON.parse(readFileSync(join(suite, 'manifest.json'), 'utf8'));
const cases = manifest.map((e) => ({ ...e, data: JSON.parse(readFileSync(join(suite, e.file), 'utf8')) }));

const excluded = new Map();
const exclude = (why) => excluded.set(why, (excluded.get(why) ?? 0) + 1);

/** One measured question: agreements over a denominator, with the disagreements listed. */
function tally(name) {
  return { name, n: 0, agree: 0, diffs: [] };
}
function record(t, ok, what) {
  t.n++;
  if (ok) t.agree++;
  else t.diffs.push(what);
}

// --- 1. crash reason → kind --------------------------------------------------------------
const REASON_RULES = { StackOverflowSignature: 'stack-overflow', OOMSignature: 'oom', BadHardware: 'bus-error' };
const reasons = tally('crash reason → kind');
for (const c of cases) {
  const kind = REASON_RULES[c.component];
  if (!kind) continue;
  if (c.method !== 'predicate') {
    exclude(`${c.component}.${c.method}: signature text rewriting`);
    continue;
  }
  const crash = c.data.args?.[0] ?? {};
  const keys = Object.keys(crash);
  if (keys.length !== 1 || keys[0] !== 'reason') {
    exclude(`${c.component}: decided by annotations or the signature, not by a crash reason`);
    continue;
  }
  const ours = reasonFacts(crash.reason, null).kind?.kind ?? null;
  const expected = c.expected.return === true;
  record(reasons, (ours === kind) === expected, `${c.file}: reason ${JSON.stringify(crash.reason)}: Socorro ${expected ? kind : 'not ' + kind}, ours ${ours}`);
}

// --- 2. source paths ---------------------------------------------------------------------
const paths = tally('source path of a frame');
for (const c of cases.filter((x) => x.component === 'utils.parse_source_file')) {
  const input = c.data.args?.[0];
  if (typeof input !== 'string') {
    exclude('parse_source_file: no path');
    continue;
  }
  const text = ['Crash reason:  SIGSEGV /SEGV_MAPERR', 'Crash address: 0x0', '', 'Thread 0 (crashed)', ` 0  mod!f() [${input} : 7 + 0x1]`, '    Found by: given as instruction pointer in context'].join('\n');
  const [r] = findBreakpad({ lines: text.split('\n') });
  const ours = r?.threads[0]?.frames[0]?.file ?? null;
  const plain = sourcePath(input);
  // Socorro also drops a Windows drive letter; a path is the same file either way.
  const expected = c.expected.return;
  const same = ours === expected || (/^[a-z]:\\/i.test(input) && ours === input && expected === input.slice(2));
  record(paths, same && plain === ours, `${c.file}: ${input} → Socorro ${expected}, ours ${ours}`);
}

// --- 3. frame lists through the text form ------------------------------------------------
const TRUST_TEXT = {
  context: 'given as instruction pointer in context', cfi: 'call frame info', cfi_scan: 'call frame info with scanning',
  frame_pointer: "previous frame's frame pointer", scan: 'stack scanning', inlined: 'inlining', prewalked: 'call stack info',
};
/** Socorro's processed-crash frames printed the way rust-minidump's --human output prints them. */
function render(frames) {
  const out = ['Operating system: Windows NT', 'Crash reason:  EXCEPTION_ACCESS_VIOLATION_READ', 'Crash address: 0x0', '', 'Thread 0 (crashed)'];
  let n = 0;
  for (const f of frames) {
    for (const inl of f.inlines ?? []) {
      out.push(` ${n++}  ${f.module ?? '???'}!${inl.function}${inl.file ? ` [${inl.file} : ${inl.line ?? 0} + 0x0]` : ''}`, '    Found by: inlining');
    }
    let site;
    if (f.function) site = `${f.module ?? '???'}!${f.function}${f.file ? ` [${f.file} : ${f.line ?? 0} + ${f.function_offset ?? '0x0'}]` : ` + ${f.function_offset ?? '0x0'}`}`;
    else if (f.module) site = `${f.module} + ${f.module_offset ?? '0x0'}`;
    else site = f.offset ?? '0x0';
    out.push(` ${n++}  ${site}`, `    Found by: ${TRUST_TEXT[f.trust] ?? 'stack scanning'}`);
  }
  return out.join('\n');
}
function crashingFrames(crash) {
  const threads = crash.threads ?? (crash.frames ? [{ frames: crash.frames }] : null);
  if (!Array.isArray(threads)) return null;
  const idx = Number.parseInt(String(crash.crashing_thread ?? crash.threads_index ?? 0), 10) || 0;
  return threads[idx]?.frames ?? null;
}
const frameLists = tally('frame list (functions, inlined first)');
for (const c of cases) {
  const isList = c.component === 'CSignatureTool' && c.method === 'create_frame_list';
  const isRule = c.component === 'SignatureGenerationRule' && c.method === 'action';
  if (!isList && !isRule) continue;
  const frames = crashingFrames(c.data.args?.[0] ?? {});
  if (!Array.isArray(frames) || frames.length === 0) {
    exclude(`${c.component}: no native frames (Java or empty input)`);
    continue;
  }
  const [r] = findBreakpad({ lines: render(frames).split('\n') });
  const ours = (r?.threads[0]?.frames ?? []).map((f) => (f.function !== null ? (f.args ? `${f.function}(${f.args})` : f.function) : null));
  const expected = isList && Array.isArray(c.expected.return)
    ? c.expected.return
    : frames.flatMap((f) => [...(f.inlines ?? []).map((i) => i.function), f.function ?? null]);
  const n = Math.min(expected.length, ours.length);
  const same = expected.length <= ours.length && expected.slice(0, n).every((e, k) => e === ours[k]);
  record(frameLists, same, `${c.file}: Socorro ${JSON.stringify(expected.slice(0, 6))}…, ours ${JSON.stringify(ours.slice(0, 6))}…`);
}

for (const c of cases) {
  if (REASON_RULES[c.component] || c.component === 'utils.parse_source_file') continue;
  if ((c.component === 'CSignatureTool' && c.method === 'create_frame_list') || (c.component === 'SignatureGenerationRule' && c.method === 'action')) continue;
  exclude(`${c.component}: signature-string rules (the signature stage's job, not a parser's)`);
}

console.log(`socorro conformance (${cases.length} cases)`);
for (const t of [reasons, paths, frameLists]) {
  const pct = t.n ? ((100 * t.agree) / t.n).toFixed(1) : '–';
  console.log(`  ${t.name}: ${t.agree}/${t.n} agree (${pct}%)`);
  for (const d of verbose ? t.diffs : t.diffs.slice(0, 10)) console.log(`    disagree: ${d}`);
  if (!verbose && t.diffs.length > 10) console.log(`    … ${t.diffs.length - 10} more (--verbose)`);
}
console.log(`  excluded: ${[...excluded.values()].reduce((a, b) => a + b, 0)}`);
for (const [why, n] of [...excluded.entries()].sort((a, b) => b[1] - a[1])) console.log(`    ${n} × ${why}`);
