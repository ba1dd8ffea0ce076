/**
 * Live check against the installed toolchain: rebuild two planted-bug programs, run them
 * under the gdb on this machine (scripts/make-native-fixtures.sh with ONLY/TOOLS/OUT), and
 * analyse what that gdb prints. The committed fixtures pin one gdb version; this catches a
 * gdb (or gcc, glibc) whose output the parser no longer reads.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze, isError } from '../src/analyze.js';
import type { Analysis } from '../src/model.js';

const SCRIPT = join(__dirname, '..', 'scripts', 'make-native-fixtures.sh');
const PROGRAMS = ['evloop', 'assert_fail'];

function have(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

const missing = ['gcc', 'gdb', 'bash'].filter((t) => !have(t));
if (missing.length > 0) {
  console.warn(`native-live: skipped — ${missing.join(', ')} not installed (apt-get install gcc gdb)`);
}

function bare(name: string | null | undefined): string {
  let out = '';
  let angle = 0;
  for (const c of name ?? '') {
    if (c === '<') angle++;
    else if (c === '>') angle = Math.max(0, angle - 1);
    else if (angle === 0) out += c;
  }
  return out.replace(/\.(?:isra|constprop|part|cold)(?:\.\d+)?/g, '').trim();
}

describe.skipIf(missing.length > 0)('native live: the installed gdb still reads', () => {
  const out = mkdtempSync(join(tmpdir(), 'crashlens-live-out-'));
  const work = mkdtempSync(join(tmpdir(), 'crashlens-live-work-'));
  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('rebuilds and reruns the programs under gdb', () => {
    execFileSync('bash', [SCRIPT], {
      env: { ...process.env, ONLY: PROGRAMS.join(' '), BUILDS: 'O0 O2', TOOLS: 'gdb', OUT: out, WORK: work },
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 240_000,
    });
    for (const p of PROGRAMS) {
      const files = readdirSync(join(out, p));
      for (const build of ['O0', 'O2']) {
        for (const shape of ['bt', 'bt-full', 'thread-apply-all-bt', 'thread-apply-all-bt-full']) {
          expect(files).toContain(`${build}.gdb-${shape}.txt`);
        }
      }
    }
  }, 300_000);

  for (const program of PROGRAMS) {
    it(`${program}: every gdb shape gives the planted kind and crash frame`, () => {
      const truth = JSON.parse(readFileSync(join(out, program, 'truth.json'), 'utf8')) as {
        kind: string;
        crashFrame: { function: string; file: string; line: number };
        nullArgument: string | null;
      };
      const files = readdirSync(join(out, program)).filter((f) => f.includes('.gdb-'));
      expect(files.length).toBeGreaterThan(0);
      for (const f of files) {
        const text = readFileSync(join(out, program, f), 'utf8');
        const r = analyze(text, { input: f });
        expect(isError(r), `${program}/${f}`).toBe(false);
        const a = r as Analysis;
        const kinds = [truth.kind];
        if (truth.kind === 'null-deref' && !(truth.nullArgument && text.includes(`${truth.nullArgument}=0x0`))) kinds.push('segv');
        expect(kinds, `${program}/${f}: kind ${a.kind}`).toContain(a.kind);
        expect(bare(a.crashFrame?.function), `${program}/${f}: crash frame`).toBe(bare(truth.crashFrame.function));
        const file = a.crashFrame?.file ?? '';
        expect(file.slice(file.lastIndexOf('/') + 1), `${program}/${f}: file`).toBe(truth.crashFrame.file);
        expect(a.crashFrame?.line, `${program}/${f}: line`).toBe(truth.crashFrame.line);
      }
    });
  }
});
