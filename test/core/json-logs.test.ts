import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { clean } from '../../src/ingest/clean.js';
import { expandJsonLogs } from '../../src/ingest/json-logs.js';
import type { Analysis } from '../../src/model.js';

// Real crashes as structured loggers and Docker's json-file driver write them: the text of a
// fixture as one JSON string value (escaped newlines), or one JSON object per line.
const read = (f: string) => readFileSync(`test/fixtures/runtimes/${f}`, 'utf8').replace(/\n+$/, '');
const gist = (a: Analysis | { error: unknown }) =>
  'error' in a ? a : { kind: a.kind, crash: a.crashFrame && [a.crashFrame.function, a.crashFrame.file, a.crashFrame.line], signature: a.signature, exception: a.exception };
const around = (line: string) => [JSON.stringify({ time: '2026-11-25T10:00:00Z', level: 'info', msg: 'relay ready' }), line, JSON.stringify({ time: '2026-11-25T10:00:02Z', level: 'info', msg: 'shutting down' })].join('\n');

describe('crashes inside JSON log lines', () => {
  const cases: Array<[string, string, (text: string) => string]> = [
    ['python-json-logger (exc_info)', 'python/attr-none.default.v1.txt', (t) => around(JSON.stringify({ asctime: '2026-11-25 10:00:01', levelname: 'ERROR', message: 'reading failed', exc_info: t }))],
    ['logstash (stack_trace)', 'java/caused-by.default.v1.txt', (t) => around(JSON.stringify({ '@timestamp': '2026-11-25T10:00:01Z', level: 'ERROR', message: 'quote failed', stack_trace: t }))],
    ['pino (err.stack, nested)', 'node/cause-chain.default.v1.txt', (t) => around(JSON.stringify({ level: 50, time: 1764064801000, err: { type: 'Error', stack: t }, msg: 'frame rejected' }))],
    ['Docker json-file (a line per object)', 'go/nil-pointer.default.v1.txt', (t) => t.split('\n').map((l, i) => JSON.stringify({ log: `${l}\n`, stream: 'stderr', time: `2026-11-25T10:00:01.${String(i).padStart(9, '0')}Z` })).join('\n')],
  ];
  for (const [name, file, wrap] of cases) {
    it(`${name}: ${file} analyses as the bare text`, () => {
      const bare = read(file);
      const want = gist(analyze(bare));
      expect((want as { crash: unknown }).crash).toBeTruthy();
      expect(gist(analyze(wrap(bare)))).toEqual(want);
    });
  }

  it("puts a line's message before the lines its values hold, and leaves other lines as they are", () => {
    const text = ['plain line', JSON.stringify({ level: 'error', msg: 'boom', stack: 'Error: boom\n    at f (/app/a.js:1:1)\n' }), '{"not": "multi-line"}'].join('\n');
    expect(expandJsonLogs(text)).toBe(['plain line', 'boom', 'Error: boom', '    at f (/app/a.js:1:1)', '{"not": "multi-line"}'].join('\n'));
    expect(clean(text).lines).toEqual(['plain line', 'boom', 'Error: boom', '    at f (/app/a.js:1:1)', '{"not": "multi-line"}']);
  });

  it('leaves text with no such line alone: broken JSON, arrays, deep nesting, no newline inside', () => {
    const deep = '{"a":'.repeat(100_000) + '"x\\ny"' + '}'.repeat(100_000);
    for (const t of ['{"msg": "a\\nb"', '["a\\nb"]', '{"msg": "one line"}', 'x {"msg": "a\\nb"}', deep]) expect(expandJsonLogs(t)).toBeNull();
    expect(clean('{"msg": "a\\nb"').lines).toEqual(['{"msg": "a\\nb"']);
  });
});
