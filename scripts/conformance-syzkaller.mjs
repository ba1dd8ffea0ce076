#!/usr/bin/env node
// Measures crashlens' kernel parser against syzkaller's report expectations.
// Reads ../shared/peer-suites/syzkaller (manifest.json + the .log inputs) at run time and
// copies nothing into the repo. Prints, over the Linux report cases:
//   - detected: a kernel report was found where syzkaller finds one;
//   - title: our title equals syzkaller's title (exactly; and title-or-alternative);
//   - guilty frame: our guilty function (the parser's pick, and analyze()'s crashFrame when
//     dist/analyze.js exists) equals `expected.frame`, else the function after the last
//     " in " of the title or of an alternative title;
//   - the denominators, the excluded cases by reason, and the disagreements.
// Usage: node scripts/conformance-syzkaller.mjs [--all-disagreements] [--frame-disagreements] [--json]
// Env: CRASHLENS_DIST (built sources, default ./dist), CRASHLENS_PEERS (default ../shared/peer-suites).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');
const peers = process.env.CRASHLENS_PEERS ?? resolve(repo, '..', 'shared', 'peer-suites');
const suite = join(peers, 'syzkaller');
const dist = resolve(process.env.CRASHLENS_DIST ?? join(repo, 'dist'));
const showAll = process.argv.includes('--all-disagreements');
const asJson = process.argv.includes('--json');
const showFrames = process.argv.includes('--frame-disagreements');

if (!existsSync(join(suite, 'manifest.json'))) {
  console.log('syzkaller conformance: skipped (no peer suite at ' + suite + ')');
  process.exit(0);
}
const kernelPath = join(dist, 'formats', 'kernel.js');
if (!existsSync(kernelPath)) {
  console.log('syzkaller conformance: skipped (build first: ' + kernelPath + ' is missing)');
  process.exit(0);
}
const { kernelFormat, titleFunc } = await import(pathToFileURL(kernelPath).href);
let analyze = null;
const analyzePath = join(dist, 'analyze.js');
if (existsSync(analyzePath)) {
  try { ({ analyze } = await import(pathToFileURL(analyzePath).href)); } catch { analyze = null; }
}

const manifest = JSON.parse(readFileSync(join(suite, 'manifest.json'), 'utf8'));

/** syzkaller's replacement of dynamic title parts (README: "Title semantics (Linux)", rule 7). */
function normaliseTitle(t) {
  return t
    .replace(/syz-executor[.0-9]*/g, 'syz-executor')
    .replace(/\b(?:0x)?[0-9a-f]{6,}\b/g, 'ADDR')
    .replace(/:[0-9]+/g, ':LINE')
    .replace(/\b[0-9]+\b/g, 'NUM')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/ {2,}/g, ' ')
    .trim()
    .slice(0, 120);
}

/** The function a title names: after the last " in ". */
function titleFunction(t) {
  const i = t.lastIndexOf(' in ');
  return i < 0 ? null : t.slice(i + 4).trim();
}

/**
 * The frames a syzkaller title function stands for. A crash frame is one frame, while a
 * title can name two: KCSAN's `a / b` (either access's frame) and a WARNING raised in a
 * helper, `caller/helper` (the caller is the guilty frame, the helper is appended).
 */
function titleFrames(w) {
  if (w.includes(' / ')) return w.split(' / ');
  const slash = w.indexOf('/');
  return slash > 0 && !w.includes(' ') ? [w, w.slice(0, slash)] : [w];
}

function stripClone(fn) {
  if (!fn) return fn;
  const d = fn.indexOf('.', 1);
  return d > 0 && !fn.startsWith('<') ? fn.slice(0, d) : fn;
}

const excluded = { 'not linux report': 0, 'no crash expected (empty title)': 0, corrupted: 0 };
const noCrash = { total: 0, ok: 0, wrong: [] };
const stats = { n: 0, detected: 0, titleExact: 0, titleAny: 0, frameN: 0, frame: 0, analyzeFrame: 0, analyzeN: 0 };
const disagreements = [];
const frameDisagreements = [];

for (const c of manifest) {
  if (c.os !== 'linux' || c.kind !== 'report') { excluded['not linux report']++; continue; }
  const e = c.expected;
  const text = readFileSync(join(suite, c.file), 'utf8').replace(/\r/g, '');
  const doc = { lines: text.split('\n') };
  let reports = [];
  try { reports = kernelFormat.find(doc); } catch (err) { reports = []; disagreements.push({ file: c.file, what: 'threw', ours: String(err) }); }
  if (!e.title) {
    excluded['no crash expected (empty title)']++;
    noCrash.total++;
    if (reports.length === 0) noCrash.ok++; else noCrash.wrong.push({ file: c.file, ours: reports[0].title });
    continue;
  }
  if (e.corrupted) { excluded.corrupted++; continue; }
  stats.n++;
  const r = reports[0];
  const titles = [e.title, ...(e.alt_titles ?? [])];
  if (r) stats.detected++;
  const ours = r ? normaliseTitle(r.title ?? '') : null;
  if (ours === e.title) stats.titleExact++;
  if (ours !== null && titles.includes(ours)) stats.titleAny++;
  // guilty frame
  const want = e.frame ? [e.frame] : titles.map(titleFunction).filter(Boolean);
  let got = null;
  if (r) {
    const fact = r.facts.find((f) => f.value === 'guilty-frame');
    got = fact ? titleFunction(r.title ?? '') : null;
  }
  if (want.length > 0) {
    stats.frameN++;
    const ok = got !== null && want.some((w) => w === got || w === stripClone(got));
    if (ok) stats.frame++;
    let afn = null;
    let aok = false;
    if (analyze) {
      stats.analyzeN++;
      try {
        const a = analyze(text, { input: c.file, pick: 1 });
        // named as a title names it: clone suffixes dropped, a syscall wrapper by its syscall
        afn = a && a.crashFrame && a.crashFrame.function ? stripClone(a.crashFrame.function) : null;
        const names = afn ? [afn, titleFunc ? titleFunc(afn) : afn] : [];
        if (names.some((n) => want.some((w) => titleFrames(w).includes(n)))) { stats.analyzeFrame++; aok = true; }
        if (a && a.format !== 'kernel') afn = `${afn} (format ${a.format})`;
      } catch (err) { afn = `(threw ${String(err).slice(0, 80)})`; }
    }
    if (!ok || (analyze && !aok)) {
      frameDisagreements.push({ file: c.file, expected: want.join(' | '), parser: got ?? '(none)', analyze: afn ?? '(none)', title: e.title });
    }
  }
  if (ours === null || !titles.includes(ours)) {
    disagreements.push({ file: c.file, expected: e.title, ours: ours ?? '(not detected)' });
  }
}

const pct = (a, b) => (b === 0 ? 'n/a' : ((100 * a) / b).toFixed(1) + '%');
const result = {
  denominator: stats.n,
  excluded,
  detected: pct(stats.detected, stats.n),
  titleExact: pct(stats.titleExact, stats.n),
  titleOrAlt: pct(stats.titleAny, stats.n),
  guiltyFrame: `${pct(stats.frame, stats.frameN)} of ${stats.frameN}`,
  analyzeCrashFrame: analyze ? `${pct(stats.analyzeFrame, stats.analyzeN)} of ${stats.analyzeN}` : 'n/a (no dist/analyze.js)',
  noCrashCorrectlyIgnored: `${noCrash.ok}/${noCrash.total}`,
};
if (asJson) {
  console.log(JSON.stringify({ ...result, disagreements, frameDisagreements, falseAlarms: noCrash.wrong }, null, 1));
} else {
  console.log('syzkaller conformance (Linux report cases)');
  console.log(`  denominator: ${stats.n} cases with a title, not corrupted`);
  for (const [k, v] of Object.entries(excluded)) console.log(`  excluded: ${v} ${k}`);
  console.log(`  report detected:        ${result.detected}`);
  console.log(`  title exact match:      ${result.titleExact}`);
  console.log(`  title or alt title:     ${result.titleOrAlt}`);
  console.log(`  guilty frame (parser):  ${result.guiltyFrame}`);
  console.log(`  crash frame (analyze):  ${result.analyzeCrashFrame}`);
  console.log(`  no-crash logs ignored:  ${result.noCrashCorrectlyIgnored}`);
  const list = showAll ? disagreements : disagreements.slice(0, 40);
  console.log(`  disagreements: ${disagreements.length}${showAll ? '' : ' (first 40; --all-disagreements for all)'}`);
  for (const d of list) console.log(`    ${d.file}: expected "${d.expected}" ours "${d.ours}"`);
  if (showFrames) {
    console.log(`  frame disagreements: ${frameDisagreements.length}`);
    for (const d of frameDisagreements) {
      console.log(`    ${d.file}: expected ${d.expected}; parser ${d.parser}; analyze ${d.analyze}  [${d.title}]`);
    }
  }
}
