import { describe, expect, it } from 'vitest';
import { parseNode, parseV8Frame } from '../../src/formats/node.js';
import { basename, crashingThread, docOf, firstFrameIn, fixtures, handwritten } from '../fixtures/runtimes/load.js';
import { endToEnd } from '../fixtures/runtimes/e2e.js';
import { analyze } from '../../src/analyze.js';
import { candidateLines, clean } from '../../src/ingest/clean.js';
import type { Analysis } from '../../src/model.js';
import { satyrCases } from '../fixtures/runtimes/peer.js';

const all = fixtures('node');

describe('node format on real Node.js output', () => {
  it('has every planted bug, in v1 and v2', () => {
    const cases = new Set(all.map((f) => f.truth.case));
    expect([...cases].sort()).toEqual(['assert-fail', 'cause-chain', 'err-code', 'heap-oom', 'node-test-assert', 'node-test-typeerror', 'rejection-string', 'stack-overflow', 'undefined-prop', 'unhandled-rejection']);
    // (node-test-typeerror with both of the test runner's reporters, and a spec run where both tests fail)
    expect(all.filter((f) => f.truth.version === 'v2').length).toBe(12);
  });

  it("node --test's TAP output: the failing test's error, stack and assertion; a skipped test is not a report", () => {
    const [t] = parseNode(docOf(all.find((f) => f.name === 'node-test-typeerror.tap.v1')!.text));
    expect(t.exception).toMatchObject({ type: 'TypeError', message: "Cannot read properties of undefined (reading 'target')" });
    expect(t.kind?.kind).toBe('null-deref');
    expect(crashingThread(t)!.frames[0]).toMatchObject({ function: 'routeTarget', line: 13 });
    expect(t.facts).toContainEqual(expect.objectContaining({ value: 'routes a frame' }));
    const reports = parseNode(docOf(all.find((f) => f.name === 'node-test-assert.tap.v1')!.text));
    expect(reports).toHaveLength(1);
    expect(reports[0].kind?.kind).toBe('assertion');
    expect(reports[0].assertion?.expression).toBe('operator strictEqual, expected 3, actual 2');
  });

  it("node --test's spec reporter: each failure once, from its closing list, which names the test's place", () => {
    const text = all.find((f) => f.name === 'node-test-assert.spec-all.v1')!.text;
    const reports = parseNode(docOf(text));
    expect(reports.map((r) => r.exception?.type)).toEqual(['TypeError', 'AssertionError']);
    const lines = text.split('\n');
    const closing = lines.findIndex((l) => l.startsWith('\u2716 failing tests:'));
    expect(closing).toBeGreaterThan(0);
    for (const r of reports) expect(r.startLine).toBeGreaterThan(closing);
    expect(reports[0].facts).toContainEqual(expect.objectContaining({ text: 'node:test: test "routes a frame" failed (relay.test.mjs:16:1)', value: 'routes a frame' }));
    expect(reports[1].facts).toContainEqual(expect.objectContaining({ text: 'node:test: test "counts relays" failed (relay.test.mjs:20:1)', value: 'counts relays' }));
    // what the failed assertion compared, from the error's property block
    expect(reports[1].assertion).toMatchObject({ expression: 'operator strictEqual, expected 3, actual 2', function: 'TestContext.<anonymous>', line: 21 });
    expect(reports[0].assertion).toBeNull();
    // without its closing list (a log cut there) the failures where they happened are kept
    const cut = parseNode(docOf(lines.slice(0, closing).join('\n')));
    expect(cut.map((r) => r.exception?.type)).toEqual(['TypeError', 'AssertionError']);
  });

  for (const fx of all) {
    const t = fx.truth;
    it(`${fx.name}: kind ${t.kind}, exception chain and crash location`, () => {
      const reports = parseNode(docOf(fx.text));
      // the spec reporter prints a failure twice, where it happened and in its closing list:
      // one report per failing test (spec-all: both tests fail, the assertion is the last)
      expect(reports.length).toBe(t.variant === 'spec-all' ? 2 : 1);
      const r = reports.at(-1)!;
      expect(r.complete).toBe(true);
      expect(r.kind?.kind).toBe(t.kind);
      if (t.exceptionType) expect(r.exception?.type).toBe(t.exceptionType);
      if (t.rootCause) expect(r.exception?.causes.at(-1)?.type).toBe(t.rootCause);
      if (t.frames !== 'yes') return;
      const th = crashingThread(r)!;
      const crash = firstFrameIn(th.frames, t.file)!;
      expect(crash.function).toBe(t.crashFunction);
      expect(crash.line).toBe(t.line);
      for (const f of th.frames.slice(0, crash.index)) expect(basename(f.file)).not.toBe(t.file);
    });
  }

  it('reads the error code and the cause chain', () => {
    const e = parseNode(docOf(all.find((f) => f.name === 'err-code.default.v1')!.text))[0];
    expect(e.facts.find((f) => f.text.startsWith('error code'))?.value).toBe('ERR_INVALID_ARG_VALUE');
    expect(e.message).toMatch(/^TypeError \[ERR_INVALID_ARG_VALUE\]: /);
    const c = parseNode(docOf(all.find((f) => f.name === 'cause-chain.default.v1')!.text))[0];
    expect(c.exception).toMatchObject({ type: 'Error', message: 'frame rejected by relay', causes: [{ type: 'SyntaxError' }] });
    expect(crashingThread(c)!.frames[0]).toMatchObject({ function: 'JSON.parse', file: '<anonymous>' });
  });
});

describe("node: the source excerpt above an uncaught error", () => {
  const excerpt = (src: string, caret: string, message: string) =>
    parseNode(docOf(['/app/relay.js:23', src, caret, '', message, '    at routeMessage (/app/relay.js:23:16)', '    at main (/app/relay.js:67:19)'].join('\n')))[0];
  const marked = (r: ReturnType<typeof excerpt>) => r.facts.find((f) => f.value?.startsWith('marked:'))?.value ?? null;
  it('names the value a property was read from, when the caret is under that property', () => {
    const r = excerpt('  return msg.header.target.id;', '                    ^', "TypeError: Cannot read properties of undefined (reading 'target')");
    expect(r.sourceLine).toEqual({ line: 23, text: 'return msg.header.target.id;' });
    expect(marked(r)).toBe('marked:msg.header');
    expect(marked(excerpt('  x = route.target;', '            ^', "TypeError: Cannot set properties of null (setting 'target')"))).toBe('marked:route');
  });
  it('names nothing it would have to guess: a call, an index, another property, another error', () => {
    expect(marked(excerpt('  return load().target;', '                ^', "TypeError: Cannot read properties of undefined (reading 'target')"))).toBeNull();
    expect(marked(excerpt('  return list[0].target;', '                  ^', "TypeError: Cannot read properties of undefined (reading 'target')"))).toBeNull();
    expect(marked(excerpt('  return route.other;', '               ^', "TypeError: Cannot read properties of undefined (reading 'target')"))).toBeNull();
    expect(marked(excerpt('  return route.target;', '               ^', 'TypeError: route.target is not a function'))).toBeNull();
  });
  it("keeps the excerpt's line only when it is the innermost frame's", () => {
    const r = parseNode(docOf(['/app/other.js:5', '  boom();', '  ^', '', 'Error: x', '    at f (/app/relay.js:23:16)'].join('\n')))[0];
    expect(r.sourceLine).toBeNull();
  });
});

describe('node: V8 fatal errors', () => {
  it('heap out of memory: oom, the GC log and native frames in the report', () => {
    const r = parseNode(docOf(all.find((f) => f.name === 'heap-oom.default.v1')!.text))[0];
    expect(r.kind?.kind).toBe('oom');
    expect(r.message).toContain('JavaScript heap out of memory');
    expect(r.startLine).toBe(1);
    const fr = crashingThread(r)!.frames;
    expect(fr.length).toBeGreaterThan(3);
    expect(fr[0]).toMatchObject({ module: 'node', roleHint: 'runtime' });
  });
});

describe('node format on hand-written shapes', () => {
  it('in a cleaned log full of valgrind `at` lines, finds the error whose first `at` line is 21 lines below its header', () => {
    // Through clean(): the format jumps between candidate lines, passing over those that
    // cannot anchor a report (`==1==    at 0x…`), and reads HEADER_REACH lines above the others.
    const vg = Array.from({ length: 4000 }, (_, k) => (k % 40 === 0 ? `==4242==    at 0x${(0x4848000 + k).toString(16)}: berth_scan (berth.c:${k})` : `==4242== tide ${k}`));
    const message = Array.from({ length: 20 }, (_, k) => `  detail ${k}`);
    const text = [...vg, "TypeError: Cannot read properties of undefined (reading 'tide')", ...message, '    at readTide (/srv/pier/tide.js:12:7)', '    at main (/srv/pier/main.js:3:1)', ...vg].join('\n');
    const doc = clean(text);
    expect(candidateLines(doc, ['  at '])).not.toBeNull();
    const r = parseNode(doc);
    expect(r).toHaveLength(1);
    expect(r[0].startLine).toBe(4000);
    expect(crashingThread(r[0])!.frames[0]).toMatchObject({ function: 'readTide', line: 12 });
  });

  it("Node 15-18's unhandled rejection on one line, `[UnhandledPromiseRejection: …] {` with its block and no stack", () => {
    const text = [
      'node:internal/process/promises:246',
      '          triggerUncaughtException(err, true /* fromPromise */);',
      '          ^',
      '',
      '[UnhandledPromiseRejection: This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason "berth closed".] {',
      "  code: 'ERR_UNHANDLED_REJECTION'",
      '}',
    ].join('\n');
    const [r] = parseNode(docOf(text));
    expect(r.exception).toEqual({ type: 'UnhandledPromiseRejection', message: expect.stringMatching(/the reason "berth closed"\.$/), causes: [] });
    expect(r.endLine).toBe(6);
    expect(r.facts.some((f) => f.value === 'ERR_UNHANDLED_REJECTION')).toBe(true);
    // a one-line error in brackets with no block and no stack is not a report
    expect(parseNode(docOf('[Error: berth closed] {\nplain text'))).toEqual([]);
  });

  it('Chrome console: `Uncaught TypeError` with URL frames', () => {
    const r = parseNode(docOf(handwritten('chrome-console.txt')))[0];
    expect(r.kind?.kind).toBe('null-deref');
    expect(crashingThread(r)!.frames[0]).toMatchObject({ function: 'renderBasket', file: 'https://shop.lanternfish.example/static/js/basket.4f2a9c.js', line: 212, column: 31 });
  });

  it('Firefox console: `fn@url:line:col` frames after the message line', () => {
    const r = parseNode(docOf(handwritten('firefox-console.txt')))[0];
    expect(r.exception?.type).toBe('TypeError');
    expect(r.kind?.kind).toBe('null-deref');
    expect(r.startLine).toBe(0);
    expect(crashingThread(r)!.frames.map((f) => f.function)).toEqual(['renderBasket', 'onAddClick', 'EventListener.handleEvent*']);
  });

  it('node_modules frames carry their package; async frames are kept', () => {
    const r = parseNode(docOf(handwritten('node-express-library.txt')))[0];
    const fr = crashingThread(r)!.frames;
    expect(fr[0]).toMatchObject({ function: 'lookupLantern', line: 41 });
    expect(fr[1]).toMatchObject({ function: 'Layer.handle', module: 'quickroute' });
    expect(fr.at(-1)).toMatchObject({ function: 'serveBatch', trust: 'async' });
    expect(r.startLine).toBe(1);
    expect(r.facts.some((f) => f.value === '/srv/lanternd/node_modules/quickroute/lib/layer.js:95')).toBe(true);
  });

  it('frame text', () => {
    expect(parseV8Frame('at new Relay (/a/b.js:3:4)', 0)).toMatchObject({ function: 'Relay', file: '/a/b.js', line: 3, column: 4 });
    expect(parseV8Frame('at file:///a/c.mjs:9:1', 0)).toMatchObject({ function: null, file: '/a/c.mjs', line: 9 });
    expect(parseV8Frame('at Object.<anonymous> (/a/b.js:1:1)', 0)).toMatchObject({ function: 'Object.<anonymous>' });
    expect(parseV8Frame('at fn (/srv/app/node_modules/@scope/pkg/x.js:1:1)', 0)!.module).toBe('@scope/pkg');
    expect(parseV8Frame('at node:internal/main/run_main_module:28:49', 0)).toMatchObject({ file: 'node:internal/main/run_main_module', module: 'node:internal' });
  });

  it('leaves Java traces alone and survives hostile input', () => {
    expect(parseNode(docOf('java.lang.IllegalStateException: x\n\tat org.a.B.c(B.java:1)'))).toEqual([]);
    expect(parseNode(docOf('IllegalStateException: x\n\tat org.a.B.c(B.java:1)'))).toEqual([]);
    expect(parseNode(docOf('System.InvalidOperationException: x\n   at Harbor.Dock.Moor(String name) in /src/Dock.cs:line 42'))).toEqual([]);
    expect(() => parseNode(docOf('TypeError: ' + 'x'.repeat(1_000_000) + '\n    at ' + '('.repeat(100_000) + '\n' + 'a@'.repeat(100000) + ':1:1'))).not.toThrow();
    expect(parseNode(docOf('Error handling is fine here\nno stack'))).toEqual([]);
  });
});

describe('node end to end: library frames are not the crash frame', () => {
  it('an error in a route handler called by a node_modules router blames the handler', () => {
    const a = analyze(handwritten('node-express-library.txt'), { input: 'x' }) as Analysis;
    expect(a.format).toBe('node');
    expect(a.kind).toBe('null-deref');
    expect(a.crashFrame?.function).toBe('lookupLantern');
    expect(a.crashFrame?.role).toBe('app');
  });
});

endToEnd('node', 'node');

describe('node against satyr expectations (peer suite, read at run time)', () => {
  const cases = satyrCases('javascript');
  it.skipIf(cases.length === 0)('exception name, frame count and top frame match', () => {
    for (const c of cases) {
      const rs = parseNode(docOf(c.text));
      expect(rs.length, c.name).toBeGreaterThan(0);
      const r = rs[rs.length - 1];
      const th = crashingThread(r)!;
      if (c.exceptionName) expect(r.exception?.type, c.name).toBe(c.exceptionName);
      if (c.frameCount !== undefined) expect(th.frames.length, c.name).toBe(c.frameCount);
      if (c.topFrame) expect(th.frames[0], c.name).toMatchObject({ function: c.topFrame.function_name, file: c.topFrame.file_name, line: c.topFrame.file_line });
    }
  });
});
