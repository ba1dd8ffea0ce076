// `node bench/instructions.mjs <input> [top]`: where a warm analyze spends its instructions,
// per function, counted by valgrind (callgrind) instead of timed. On a shared machine wall and
// CPU times of the same build swing ±30% within minutes; instruction counts under
// `node --predictable` (V8 on one thread: GC and compiler included, no background threads)
// move by a few percent at most, so they decide whether a change pays.
//
// Runs analyze 2 and 5 times in two child processes under callgrind, maps the JIT code's
// addresses to JS functions through V8's `--perf-basic-prof` map, and prints the first run's
// total and, per function, the self instructions of one warm run: (I(5) − I(2)) / 3.
// Needs valgrind; takes a few minutes for a 5 MB input (use a slice of a large one).
// CRASHLENS_DIST: another build. Prints figures; asserts nothing.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = resolve(process.env.CRASHLENS_DIST ?? join(root, 'dist'));
const [input, topArg] = process.argv.slice(2);
if (!input || !existsSync(input)) {
  console.error('usage: node bench/instructions.mjs <input> [top]');
  process.exit(2);
}
const top = Number(topArg ?? 40);

const child = `
const [file, dist, runs] = process.argv.slice(1);
const { analyze } = await import(dist + '/analyze.js');
const buf = (await import('node:fs')).readFileSync(file);
for (let i = 0; i < Number(runs); i++) analyze(buf);
`;

/** Runs analyze `runs` times under callgrind; resolves to the callgrind file and the perf map. */
function profile(runs) {
  const out = join(tmpdir(), `crashlens-callgrind-${process.pid}-${runs}.out`);
  const args = ['--tool=callgrind', `--callgrind-out-file=${out}`, process.execPath, '--predictable', '--predictable-gc-schedule', '--perf-basic-prof',
    '--input-type=module', '-e', child, resolve(input), dist, String(runs)];
  return new Promise((done, fail) => {
    const p = spawn('valgrind', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => { err += d; });
    p.on('error', fail);
    p.on('close', (code) => {
      const pid = /^==(\d+)==/m.exec(err)?.[1];
      if (code !== 0 || !pid) fail(new Error(`valgrind failed (${code}): ${err.slice(-400)}`));
      else done({ out, map: `/tmp/perf-${pid}.map` });
    });
  });
}

/** V8's perf map: sorted [start, end, name] of each piece of generated code. */
function readMap(file) {
  const rows = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const a = line.indexOf(' ');
    const b = line.indexOf(' ', a + 1);
    if (a < 0 || b < 0) continue;
    const start = parseInt(line.slice(0, a), 16);
    rows.push([start, start + parseInt(line.slice(a + 1, b), 16), line.slice(b + 1).replace(/^(JS|LazyCompile|Function|Builtin|BytecodeHandler|Stub|Handler|RegExp|Script):[*~^+]?/, '')]);
  }
  return rows.sort((x, y) => x[0] - y[0]);
}

function symbolAt(rows, addr) {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid][0] <= addr) lo = mid + 1;
    else hi = mid;
  }
  const r = rows[lo - 1];
  return r && addr < r[1] ? r[2] : null;
}

/**
 * Self instructions by function from a callgrind file (`--dump-instr=no`: positions are
 * lines, so JIT code, which valgrind cannot name, is attributed by the function's address
 * range: callgrind names it by address, `0x…`). Cost lines after `calls=` are inclusive
 * costs of the call and are skipped.
 */
function selfCosts(file, rows) {
  const names = new Map();
  const name = (kind, rest) => {
    const m = /^\((\d+)\)(?: (.*))?$/.exec(rest.trim());
    if (!m) return rest.trim();
    const key = kind + m[1];
    if (m[2] !== undefined) names.set(key, m[2]);
    return names.get(key) ?? '?';
  };
  const by = new Map();
  let ob = '';
  let fn = '';
  let skip = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('ob=')) ob = name('ob', line.slice(3));
    else if (line.startsWith('fn=')) fn = name('fn', line.slice(3));
    else if (line.startsWith('cfn=')) name('fn', line.slice(4));
    else if (line.startsWith('cob=')) name('ob', line.slice(4));
    else if (line.startsWith('calls=')) skip = true;
    else if (/^[0-9+\-*]/.test(line)) {
      if (skip) { skip = false; continue; }
      const cost = Number(line.split(' ')[1] ?? 0);
      let key = fn;
      if (ob === '???' || fn.startsWith('0x')) key = symbolAt(rows, parseInt(fn, 16)) ?? 'JIT code (unnamed)';
      by.set(key, (by.get(key) ?? 0) + cost);
    }
  }
  return by;
}

const [a, b] = await Promise.all([profile(2), profile(5)]);
const costs = [a, b].map((p) => {
  const c = selfCosts(p.out, readMap(p.map));
  rmSync(p.out, { force: true });
  rmSync(p.map, { force: true });
  return c;
});
const total = (m) => [...m.values()].reduce((s, v) => s + v, 0);
const warm = new Map();
for (const k of new Set([...costs[0].keys(), ...costs[1].keys()])) warm.set(k, ((costs[1].get(k) ?? 0) - (costs[0].get(k) ?? 0)) / 3);
const warmTotal = total(warm);
const first = total(costs[0]) - 1 * warmTotal;
const M = (v) => `${(v / 1e6).toFixed(1)}M`;
console.log(`${input}: a warm analyze ${M(warmTotal)} instructions, the first run (with start-up and compiling) about ${M(first)}`);
for (const [k, v] of [...warm].sort((x, y) => y[1] - x[1]).slice(0, top)) {
  console.log(`${M(v).padStart(9)} ${((100 * v) / warmTotal).toFixed(1).padStart(5)}%  ${k.replace(/ file:\/\/\S*?\/dist\//, ' ').slice(0, 120)}`);
}
