import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { Analysis } from '../../src/model.js';

// Real crashes as they reach a user through a log collector: every line of a fixture behind
// the prefix a CI console, a container runtime, journald or Docker Compose adds. The analysis
// must be the one of the bare text.
const FIXTURES = [
  'test/fixtures/runtimes/python/attr-none.default.v1.txt',
  'test/fixtures/runtimes/go/nil-pointer.default.v1.txt',
  'test/fixtures/runtimes/java/caused-by.default.v1.txt',
  'test/fixtures/runtimes/rust/unwrap-none.debug-bt1.v1.txt',
  'test/fixtures/sanitizers/asan-heap-use-after-free-gcc.txt',
];
const PREFIXES: Array<[string, (i: number) => string]> = [
  ['GitHub Actions', (i) => `2026-11-25T10:00:0${i % 10}.${String(i).padStart(7, '0')}Z `],
  ['kubectl logs --timestamps', (i) => `2026-11-25T10:00:00.${String(i).padStart(9, '0')}Z `],
  ['CRI (/var/log/containers)', (i) => `2026-11-25T10:00:00.${String(i).padStart(9, '0')}Z stderr F `],
  ['Jenkins timestamper', () => '[2026-11-25T10:00:00.123Z] '],
  ['journalctl -o short-iso', () => '2026-11-25T10:00:00+0000 host7 relayd[4242]: '],
  ['docker compose logs', () => 'relay-1  | '],
  ['docker compose logs -t', (i) => `relay-1  | 2026-11-25T10:00:00.${String(i).padStart(6, '0')}Z `],
];

function gist(a: Analysis | { error: unknown }): unknown {
  if ('error' in a) return a;
  return { kind: a.kind, crash: a.crashFrame && [a.crashFrame.function, a.crashFrame.file, a.crashFrame.line], signature: a.signature, exception: a.exception, frames: a.threads.find((t) => t.crashed)?.frames.length };
}

describe('a crash behind log prefixes is the crash', () => {
  for (const file of FIXTURES) {
    const bare = readFileSync(file, 'utf8');
    const want = gist(analyze(bare));
    it(`${file.split('/').pop()}: has a crash frame bare`, () => expect((want as { crash: unknown }).crash).toBeTruthy());
    for (const [name, prefix] of PREFIXES) {
      it(`${file.split('/').pop()} behind ${name}`, () => {
        const text = bare.split('\n').map((l, i) => prefix(i) + l).join('\n');
        expect(gist(analyze(text))).toEqual(want);
      });
    }
  }
});
