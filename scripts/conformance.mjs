// Runs every peer conformance script (scripts/conformance-*.mjs) against the built
// library and prints their agreement figures. The peer data is read from
// ../shared/peer-suites at run time, never copied into the repo; without it each script
// prints "skipped". Figures are measurements, not pass/fail: this exits 0 unless a
// script itself crashes.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const scripts = readdirSync(here).filter((f) => /^conformance-.+\.mjs$/.test(f)).sort();
let failed = 0;
for (const s of scripts) {
  console.log(`== ${s}`);
  const r = spawnSync(process.execPath, [join(here, s)], { stdio: 'inherit', timeout: 600_000 });
  if (r.status !== 0) {
    failed++;
    console.log(`${s}: exited with ${r.status ?? r.signal}`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
