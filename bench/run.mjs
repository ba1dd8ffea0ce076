// `npm run bench`: throughput and memory of the built analyser, printed as figures.
// Targets (issue 2/3): at least 50 MB/s end to end on one core; a 50,000-frame recursion in
// under one second; peak memory under ten times the input size. Each large case runs in a
// child process so its peak RSS is its own: the first (cold) run gives the peak and a time,
// then BENCH_RUNS warm runs (default: enough to read ~60 MB, 3 to 20) give the best wall time and the best CPU time, and
// it prints where the CPU time went: clean, each format's find (formats whose triggers are
// absent are skipped, as detect does), and the rest of analyze (roles, diagnosis, signature, GC).
// BENCH_LOG_MB sets the log size (default 50; 200 works); CRASHLENS_DIST another build;
// BENCH_ONLY=large skips the fixture corpus.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = process.env.CRASHLENS_DIST ?? join(root, 'dist');
const { analyze } = await import(join(dist, 'analyze.js'));

function walk(dir, out = []) {
  let entries = [];
  try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return out; }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (/\.(txt|log|crash|ips|json)$/.test(e.name) && !e.name.startsWith('truth') && statSync(p).size < 4_000_000) out.push(p);
  }
  return out;
}

function fmt(n, d = 1) { return n.toFixed(d); }

// 1. The fixture corpus, per area.
const corpus = walk(join(root, 'test/fixtures')).concat(walk(join(root, 'examples')).filter((f) => f.endsWith('.txt')));
const areas = new Map();
for (const f of corpus) {
  const area = f.slice(root.length).split('/').slice(0, 3).join('/');
  if (!areas.has(area)) areas.set(area, []);
  areas.get(area).push(readFileSync(f));
}
console.log('corpus                                 files      MB   MB/s  reports/s');
let totalBytes = 0, totalMs = 0, totalFiles = 0;
for (const [area, bufs] of process.env.BENCH_ONLY === 'large' ? [] : [...areas].sort()) {
  const bytes = bufs.reduce((n, b) => n + b.length, 0);
  const rounds = Math.max(1, Math.min(50, Math.ceil(5e6 / Math.max(bytes, 1))));
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) for (const b of bufs) analyze(b);
  const ms = performance.now() - t0;
  totalBytes += bytes * rounds; totalMs += ms; totalFiles += bufs.length * rounds;
  console.log(`${area.padEnd(38)} ${String(bufs.length).padStart(5)} ${fmt(bytes / 1e6, 2).padStart(7)} ${fmt((bytes * rounds) / 1e6 / (ms / 1000)).padStart(6)} ${fmt((bufs.length * rounds) / (ms / 1000), 0).padStart(10)}`);
}
if (totalFiles > 0) console.log(`${'all fixtures'.padEnd(38)} ${String(corpus.length).padStart(5)} ${''.padStart(7)} ${fmt(totalBytes / 1e6 / (totalMs / 1000)).padStart(6)} ${fmt(totalFiles / (totalMs / 1000), 0).padStart(10)}`);

// 2. Large generated inputs, each in its own process for a clean peak RSS.
const child = `
const dist = ${JSON.stringify(dist)};
const { readdirSync, readFileSync } = await import('node:fs');
const kind = process.argv[1], size = Number(process.argv[2]), dir = process.argv[3];
let text;
if (kind === 'log') {
  // Written straight into one buffer (no arrays of lines, no joined copies), so the RSS
  // before the run is little more than the input and the peak ratio is analyze's own.
  const line = (i) => '2026-11-25T10:00:00.' + String(i % 1000).padStart(3, '0') + 'Z INFO worker[' + (i % 97) + ']: handled request id=' + i + ' path=/api/v1/items/' + (i * 7919 % 100000) + ' status=200 bytes=' + (i % 4096) + '\\n';
  const crash = ['Program received signal SIGSEGV, Segmentation fault.', '[Switching to Thread 0x7f3a5bfff6c0 (LWP 4242)]', '#0  0x000055d1c2a1b2c4 in cart_total (c=0x0) at cart.c:19', '#1  0x000055d1c2a1b300 in checkout (s=0x55d1c4f0e8a0) at shop.c:88', '#2  0x000055d1c2a1b400 in main () at main.c:12'].join('\\n') + '\\n';
  const out = Buffer.allocUnsafe(size + 4096);
  let at = 0, i = 0;
  while (at < size / 2) at += out.write(line(i++), at, 'latin1');
  at += out.write(crash, at, 'latin1');
  i = 0;
  while (at < size) at += out.write(line(i++), at, 'latin1');
  text = out.subarray(0, at);
} else if (kind === 'kernel-log' || kind === 'sanitizer-log') {
  // What a large log of these formats mostly is: a machine's console (dmesg lines) or a CI
  // job's test output, with a few reports in it (four fixtures, spread through the log).
  const kernel = kind === 'kernel-log';
  const line = kernel
    ? (i) => '[' + String(1000 + Math.floor(i / 1000)).padStart(5) + '.' + String(i % 1000000).padStart(6, '0') + '] virtio_net virtio' + (i % 4) + ' eth' + (i % 4) + ': rx queue ' + (i % 16) + ' refilled ' + (i * 31 % 512) + ' buffers\\n'
    : (i) => '[ RUN      ] ledger_suite.case_' + i + '\\n[       OK ] ledger_suite.case_' + i + ' (' + (i % 40) + ' ms)\\n';
  const embeds = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort().filter((_, k, all) => k % Math.ceil(all.length / 4) === 0).map((f) => readFileSync(dir + '/' + f, 'latin1') + '\\n');
  const out = Buffer.allocUnsafe(size + 4096 + embeds.reduce((n, e) => n + e.length, 0));
  let at = 0, i = 0;
  for (let k = 0; k < embeds.length; k++) {
    while (at < (size * (k + 1)) / (embeds.length + 1)) at += out.write(line(i++), at, 'latin1');
    at += out.write(embeds[k], at, 'latin1');
  }
  while (at < size) at += out.write(line(i++), at, 'latin1');
  text = out.subarray(0, at);
} else if (kind === 'corpus') {
  // Every fixture of one area, concatenated until the size is reached. Each round of copies
  // is shifted as if it came from another build (source lines + round, kernel offsets
  // + round), so no parser can reuse the parse of an identical line more than a real log of
  // one build's repeated crashes would let it.
  const files = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort().map((f) => readFileSync(dir + '/' + f, 'utf8'));
  const shift = (t, r) => r === 0 ? t : t
    .replace(/(\\.(?:c|cc|cpp|cxx|h|hpp|rs|go|S)):([0-9]{1,7})/g, (m, ext, n) => ext + ':' + (Number(n) + r))
    .replace(/\\+0x([0-9a-f]{1,8})\\/0x/g, (m, off) => '+0x' + (parseInt(off, 16) + r).toString(16) + '/0x');
  const parts = [];
  let n = 0;
  for (let r = 0; n < size; r++) for (const f of files) { const g = shift(f, r); parts.push(g); n += g.length + 1; }
  text = parts.join('\\n');
} else if (kind === 'hostile') {
  // Lines built to make a backtracking pattern explode (nested parentheses, quote runs,
  // long space runs, a 1 MB line), around a two-frame gdb crash, repeated to the size.
  const crash = ['Program received signal SIGSEGV, Segmentation fault.', '#0  0x1 in cart_total (c=0x0) at cart.c:19', '#1  0x2 in main () at main.c:12'];
  const evil = ['f (' + '('.repeat(100_000), '#0  ' + 'a ('.repeat(50_000), '#1  0x1 in g (' + '"\\\\'.repeat(50_000), 'Thread 1 (' + ' ('.repeat(50_000), 'ERROR:' + ':1:'.repeat(50_000), 'x: y.c:1: f: Assertion \\x60' + "'".repeat(100_000), '[' + ' '.repeat(100_000), '    at ' + '('.repeat(100_000), '  * frame #0: 0x1 ' + '('.repeat(100_000), 'x'.repeat(1 << 20)];
  const parts = [];
  let n = 0;
  while (n < size) for (const l of evil) { parts.push(l); n += l.length + 1; }
  text = parts.concat(crash).join('\\n');
} else {
  const lines = ['Program received signal SIGSEGV, Segmentation fault.'];
  for (let i = 0; i < size; i++) lines.push('#' + i + '  0x000055555555518d in walk_tree (n=0x555555558040 <b>, depth=' + (size - i) + ') at recurse.c:19');
  lines.push('#' + size + '  0x00005555555551c0 in main () at recurse.c:30');
  text = lines.join('\\n');
}
let buf = Buffer.isBuffer(text) ? text : Buffer.from(text);
text = null;
const { measure } = await import(${JSON.stringify(join(root, 'bench/measure.mjs'))});
const m = await measure(dist, buf, { stagesWanted: process.env.BENCH_STAGES !== '0' });
const a = m.a;
console.log(JSON.stringify({ bytes: m.bytes, ms: m.ms, bestMs: m.bestMs, bestCpu: m.bestCpu, kind: a.kind, crash: a.crashFrame && a.crashFrame.function, reports: a.reports ? a.reports.length : 0, peak: m.peak, before: m.before, stages: m.stages }));
`;
function runChild(kind, size, dir = '') {
  const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', child, kind, String(size), dir], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) { console.log(`${kind} ${size}: failed: ${(r.stderr || r.error?.message || '').slice(0, 300)}`); return null; }
  return JSON.parse(r.stdout.trim().split('\n').pop());
}
console.log('');
console.log('large input                             MB  first s   MB/s  best s   MB/s  CPU MB/s  peak RSS/input  result');
const big = Number(process.env.BENCH_LOG_MB ?? 50);
// BENCH_DENSE_MB=100 shows the first run's fixed cost (compiling the parsers) amortised.
const dense = Number(process.env.BENCH_DENSE_MB ?? 20);
const cases = [
  [`${big} MB log, crash in the middle`, 'log', big * 1e6],
  [`${big} MB console log, 4 kernel reports`, 'kernel-log', big * 1e6, join(root, 'test/fixtures/kernel')],
  [`${big} MB test log, 4 sanitizer reports`, 'sanitizer-log', big * 1e6, join(root, 'test/fixtures/sanitizers')],
  [`${dense} MB of sanitizer reports, dense`, 'corpus', dense * 1e6, join(root, 'test/fixtures/sanitizers')],
  [`${dense} MB of the kernel corpus`, 'corpus', dense * 1e6, join(root, 'test/fixtures/kernel')],
  ['50,000-frame recursion', 'recursion', 50_000],
  ['20 MB of hostile lines (1 MB line…)', 'hostile', 20e6],
];
for (const [label, kind, size, dir] of cases) {
  const r = runChild(kind, size, dir);
  if (!r) continue;
  const ratio = (r.peak - r.before) / r.bytes;
  const mbs = (t) => fmt(r.bytes / 1e6 / (t / 1000)).padStart(6);
  console.log(`${label.padEnd(38)} ${fmt(r.bytes / 1e6, 1).padStart(5)} ${fmt(r.ms / 1000, 2).padStart(8)} ${mbs(r.ms)} ${fmt(r.bestMs / 1000, 2).padStart(7)} ${mbs(r.bestMs)} ${(Number.isFinite(r.bestCpu) ? mbs(r.bestCpu) : '').padStart(9)} ${fmt(ratio, 1).padStart(15)}  ${r.kind ?? 'no crash'} in ${r.crash}, ${r.reports} reports`);
  const parts = Object.entries(r.stages).filter(([k, v]) => v >= 2 || k === 'clean' || k.startsWith('rest'));
  if (parts.length) console.log(`${''.padEnd(4)}CPU ms: ${parts.map(([k, v]) => `${k} ${fmt(v, 0)}`).join(', ')}`);
}
console.log('');
console.log('targets: ≥ 50 MB/s end to end on a large log (first run); 50,000-frame recursion < 1 s; peak memory < 10 × input');
console.log('(a dense corpus\'s first run is bound by V8 compiling the parsers, a fixed 0.2-0.5 s here: its best warm run is the parsers\' throughput)');
