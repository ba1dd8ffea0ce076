// Runtime inputs for `npm run bench` (issue 5): goroutine dumps (10,000 and 50,000
// goroutines) whose panicking goroutine is not the first, and a 100 MB Java service log with
// an exception chain in the middle. Built from real fixtures (test/fixtures/runtimes),
// repeated, written straight into one buffer (so generating them does not set the peak);
// each runs in its own process so its peak RSS is its own. Prints figures; asserts nothing.
//
// Time: the first run (cold: the CLI case, code not yet optimised), then the best wall and
// best CPU time of BENCH_RUNS warm runs, each after a full GC (on a machine shared by other
// jobs, CPU time is the steadier figure), and where the CPU time goes.
// Memory, three ways, because for a small input Node's own footprint dominates: peak RSS,
// peak / input, and (peak - RSS before the run) / input, the part analyze adds for this input.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = process.env.CRASHLENS_DIST ?? join(root, 'dist');
const child = `
import { readFileSync } from 'node:fs';
const dist = ${JSON.stringify(dist)};
const { analyze } = await import(dist + '/analyze.js');
const root = ${JSON.stringify(root)};
const which = process.argv[1];
const n = Number(process.argv[2]);
const gc = globalThis.gc ?? (() => {});
gc();
// Node with crashlens loaded, before any input exists.
const nodeRss = process.memoryUsage().rss;
let buf;
if (which === 'goroutines') {
  const dump = readFileSync(root + 'test/fixtures/runtimes/go/many-goroutines.all.v1.txt', 'utf8');
  const blocks = dump.split('\\n\\n');
  const head = blocks[0];                       // panic: …
  const running = blocks[1];                    // goroutine N [running]: …
  const waiting = blocks.slice(2).filter((b) => b.startsWith('goroutine '));
  const out = Buffer.allocUnsafe(n * 200 + dump.length * 2);
  let at = out.write(head, 0);
  for (let i = 0; i < n; i++) {
    if (i === Math.floor(n / 2)) at += out.write('\\n\\n' + running, at);
    const b = waiting[i % waiting.length];
    at += out.write('\\n\\n' + b.replace(/^goroutine \\d+/, 'goroutine ' + (100000 + i)), at);
  }
  at += out.write('\\n', at);
  buf = out.subarray(0, at);
} else {
  const exc = readFileSync(root + 'test/fixtures/runtimes/java/caused-by.default.v1.txt', 'utf8');
  const line = (i) => '2026-11-25 10:00:' + String(i % 60).padStart(2, '0') + ',' + String(i % 1000).padStart(3, '0') + ' INFO  [pool-' + (i % 8) + '-thread-' + (i % 32) + '] o.h.t.RateService - quoted route ' + (i * 7919 % 100000) + ' in ' + (i % 97) + ' ms\\n';
  const out = Buffer.allocUnsafe(n + exc.length + 4096);
  let at = 0, i = 0;
  while (at < n / 2) at += out.write(line(i++), at, 'latin1');
  at += out.write(exc + '\\n', at);
  i = 0;
  while (at < n) at += out.write(line(i++), at, 'latin1');
  buf = out.subarray(0, at);
}
const { measure } = await import(${JSON.stringify(join(root, 'bench/measure.mjs'))});
const { a, ms, bestMs, bestCpu, peak, before, stages } = await measure(dist, buf);
const goroutines = (a.groups || []).reduce((k, g) => k + g.count, 0);
console.log(JSON.stringify({ bytes: buf.length, ms, bestMs, bestCpu, kind: a.kind, crash: a.crashFrame && a.crashFrame.function, groups: (a.groups || []).length, goroutines, nodeRss, before, peak, stages }));
`;

const fmt = (n, d = 1) => n.toFixed(d);
console.log('');
console.log('runtime input                             MB  first s   MB/s  best s   MB/s  CPU MB/s  peak RSS MB  peak/input  (peak-before)/input  result');
let nodeRss = 0;
for (const [label, which, size] of [
  ['10,000-goroutine dump', 'goroutines', 10_000],
  ['50,000-goroutine dump', 'goroutines', 50_000],
  ['100 MB Java log, exception in the middle', 'java', 100e6],
]) {
  const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', child, which, String(size)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) {
    console.log(`${label}: failed: ${(r.stderr || r.error?.message || '').slice(0, 300)}`);
    continue;
  }
  const x = JSON.parse(r.stdout.trim().split('\n').pop());
  nodeRss = x.nodeRss;
  const mbs = (t) => fmt(x.bytes / 1e6 / (t / 1000)).padStart(6);
  const extra = which === 'goroutines' ? `, ${x.goroutines} goroutines in ${x.groups} groups` : '';
  console.log(
    `${label.padEnd(40)} ${fmt(x.bytes / 1e6).padStart(5)} ${fmt(x.ms / 1000, 2).padStart(8)} ${mbs(x.ms)} ${fmt(x.bestMs / 1000, 2).padStart(7)} ${mbs(x.bestMs)} ${mbs(x.bestCpu).padStart(9)}` +
    ` ${fmt(x.peak / 1e6).padStart(12)} ${fmt(x.peak / x.bytes).padStart(11)} ${fmt((x.peak - x.before) / x.bytes).padStart(20)}  ${x.kind} in ${x.crash}${extra}`,
  );
  const parts = Object.entries(x.stages).filter(([k, v]) => v >= 2 || k === 'clean' || k.startsWith('rest'));
  console.log(`${''.padEnd(4)}CPU ms: ${parts.map(([k, v]) => `${k} ${fmt(v, 0)}`).join(', ')}`);
}
console.log('');
console.log(`Node with crashlens loaded holds ${fmt(nodeRss / 1e6)} MB of RSS before any input: for the 1.6 MB dump that alone is`);
console.log(`~${fmt(nodeRss / 1.64e6, 0)}x the input, so peak/input says little for small inputs; (peak-before)/input is what analyze adds.`);
console.log('targets: ≥ 50 MB/s end to end on a large log (first run); peak memory < 10 × input');
console.log('(a 1.6-8 MB dump\'s first run is bound by V8 compiling the parsers, ~0.1 s: its best warm run is the parsers\' throughput)');
