// Runtime inputs for `npm run bench` (issue 5): a 10,000-goroutine dump whose panicking
// goroutine is not the first, and a 100 MB Java service log with an exception chain in the
// middle. Both are built from real fixtures (test/fixtures/runtimes), repeated; each runs in
// its own process so its peak RSS is its own. Prints figures; asserts nothing.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const child = `
import { readFileSync } from 'node:fs';
const { analyze } = await import(${JSON.stringify(join(root, 'dist/analyze.js'))});
const root = ${JSON.stringify(root)};
const which = process.argv[1];
let text;
if (which === 'goroutines') {
  const dump = readFileSync(root + 'test/fixtures/runtimes/go/many-goroutines.all.v1.txt', 'utf8');
  const blocks = dump.split('\\n\\n');
  const head = blocks[0];                       // panic: …
  const running = blocks[1];                    // goroutine N [running]: …
  const waiting = blocks.slice(2).filter((b) => b.startsWith('goroutine '));
  const out = [head];
  const n = Number(process.argv[2]);
  for (let i = 0; i < n; i++) {
    if (i === Math.floor(n / 2)) out.push(running);
    const b = waiting[i % waiting.length];
    out.push(b.replace(/^goroutine \\d+/, 'goroutine ' + (100000 + i)));
  }
  text = out.join('\\n\\n') + '\\n';
} else {
  const exc = readFileSync(root + 'test/fixtures/runtimes/java/caused-by.default.v1.txt', 'utf8');
  const size = Number(process.argv[2]);
  const parts = [];
  let bytes = 0, i = 0;
  while (bytes < size / 2) {
    const l = '2026-11-25 10:00:' + String(i % 60).padStart(2, '0') + ',' + String(i % 1000).padStart(3, '0') + ' INFO  [pool-' + (i % 8) + '-thread-' + (i % 32) + '] o.h.t.RateService - quoted route ' + (i * 7919 % 100000) + ' in ' + (i % 97) + ' ms';
    parts.push(l); bytes += l.length + 1; i++;
  }
  const half = parts.join('\\n');
  text = half + '\\n' + exc + '\\n' + half + '\\n';
}
const buf = Buffer.from(text);
text = null;
const t0 = performance.now();
const a = analyze(buf);
const ms = performance.now() - t0;
const peak = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify({ bytes: buf.length, ms, kind: a.kind, crash: a.crashFrame && a.crashFrame.function, groups: (a.groups || []).length, goroutines: (a.groups || []).reduce((n, g) => n + g.count, 0) + (a.threads || []).length, peak }));
`;

console.log('');
console.log('runtime input                           MB       s   MB/s  peak RSS/input  result');
for (const [label, which, size] of [['10,000-goroutine dump', 'goroutines', 10_000], ['100 MB Java log, exception in the middle', 'java', 100e6]]) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', child, which, String(size)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) {
    console.log(`${label}: failed: ${r.stderr.slice(0, 300)}`);
    continue;
  }
  const x = JSON.parse(r.stdout.trim().split('\n').pop());
  const extra = which === 'goroutines' ? `, ${x.groups} groups` : '';
  console.log(`${label.padEnd(38)} ${(x.bytes / 1e6).toFixed(1).padStart(5)} ${(x.ms / 1000).toFixed(2).padStart(7)} ${(x.bytes / 1e6 / (x.ms / 1000)).toFixed(1).padStart(6)} ${(x.peak / x.bytes).toFixed(1).padStart(15)}  ${x.kind} in ${x.crash}${extra}`);
}
