import { describe, expect, it } from 'vitest';
import { parsePython, readMarks } from '../../src/formats/python.js';
import { basename, crashingThread, docOf, firstFrameIn, fixtures } from '../fixtures/runtimes/load.js';
import { endToEnd } from '../fixtures/runtimes/e2e.js';
import { satyrCases } from '../fixtures/runtimes/peer.js';

const all = fixtures('python');

describe('python format on real interpreter output', () => {
  it('has every planted bug, in v1 and v2', () => {
    const cases = new Set(all.map((f) => f.truth.case));
    expect([...cases].sort()).toEqual(['attr-none', 'exception-group', 'faulthandler', 'implicit-chain', 'pytest-assert', 'raise-from', 'recursion', 'syntax', 'thread-error']);
    // (attr-none also as pytest reports it, in its default and short styles, and under unittest)
    expect(all.filter((f) => f.truth.version === 'v2').length).toBe(12);
  });

  for (const fx of all) {
    const t = fx.truth;
    it(`${fx.name}: kind ${t.kind}, exception chain and crash location`, () => {
      const reports = parsePython(docOf(fx.text));
      expect(reports.length).toBe(1);
      const r = reports[0];
      expect(r.complete).toBe(true);
      expect(r.kind?.kind).toBe(t.kind);
      if (t.exceptionType) expect(r.exception?.type).toBe(t.exceptionType);
      if (t.rootCause) expect(r.exception?.causes.at(-1)?.type).toBe(t.rootCause);
      const th = crashingThread(r)!;
      // Innermost first: Python prints the most recent call last.
      if (t.thread) expect(th.name).toBe(t.thread);
      // (under a test runner the outermost frame shown is the test function)
      else if (t.variant.startsWith('pytest') || t.variant === 'unittest') expect(th.frames[th.frames.length - 1].function).toMatch(/^test_/);
      else if (!t.rootCause) expect(th.frames[th.frames.length - 1].function).toBe('<module>');
      const crash = firstFrameIn(th.frames, t.file)!;
      expect(crash.function).toBe(t.crashFunction);
      expect(crash.line).toBe(t.line);
      for (const f of th.frames.slice(0, crash.index)) expect(basename(f.file)).not.toBe(t.file);
    });
  }

  it("pytest's failure sections: frames, the arguments pytest shows, a failed assert's condition and comparison", () => {
    const [r] = parsePython(docOf(all.find((f) => f.name === 'attr-none.pytest.v1')!.text));
    const th = crashingThread(r)!;
    expect(th.frames.map((f) => [f.function, basename(f.file), f.line])).toEqual([['read_salinity', 'tidepool.py', 30], ['test_salinity', 'test_tidepool.py', 14]]);
    expect(th.frames[0].args).toBe('station = <tidepool.Station object at ' + /0x[0-9a-f]+/.exec(th.frames[0].args!)![0] + '>');
    expect(r.facts).toContainEqual(expect.objectContaining({ value: 'test_salinity' }));
    const fa = all.find((f) => f.name === 'pytest-assert.pytest.v1')!;
    const [a] = parsePython(docOf(fa.text));
    expect(a.assertion).toMatchObject({ expression: 'len(stations) == 3', function: 'test_station_count', line: fa.truth.line });
    expect(a.facts.find((f) => f.text.startsWith('pytest compared: '))?.text).toMatch(/^pytest compared: assert 2 == 3; \+ where 2 = len\(/);
    // --tb=native prints Python's own traceback: read as one, not twice
    const native = parsePython(docOf('___ test_x ___\nTraceback (most recent call last):\n  File "t.py", line 2, in test_x\n    f()\nValueError: bad'));
    expect(native).toHaveLength(1);
  });

  it('takes the root cause of `raise … from` as the crash, with library frames above it', () => {
    const r = parsePython(docOf(all.find((f) => f.name === 'raise-from.default.v1')!.text))[0];
    expect(r.exception).toMatchObject({ type: 'RuntimeError', causes: [{ type: 'json.decoder.JSONDecodeError' }] });
    const th = crashingThread(r)!;
    expect(th.frames[0]).toMatchObject({ function: 'raw_decode', module: 'json.decoder' });
  });

  it('takes the handler\'s exception of implicit chaining as the crash, the first as context', () => {
    const r = parsePython(docOf(all.find((f) => f.name === 'implicit-chain.default.v1')!.text))[0];
    expect(r.exception).toEqual({ type: 'ZeroDivisionError', message: 'division by zero', causes: [{ type: 'KeyError', message: "'reef-4'" }] });
    expect(crashingThread(r)!.frames[0].function).toBe('calibrate');
  });

  it('reads a faulthandler dump: signal, current thread, frames most recent first', () => {
    const r = parsePython(docOf(all.find((f) => f.name === 'faulthandler.default.v1')!.text))[0];
    expect(r.signal?.name).toBe('SIGSEGV');
    expect(r.crashingThreadId).toMatch(/^0x[0-9a-f]+$/);
    expect(crashingThread(r)!.frames.map((f) => f.function)).toEqual(['string_at', 'flush_buffer', 'main', '<module>']);
    expect(crashingThread(r)!.frames[0].module).toBe('ctypes');
  });

  it('keeps exception-group members and the SyntaxError location as facts', () => {
    const g = parsePython(docOf(all.find((f) => f.name === 'exception-group.default.v1')!.text))[0];
    expect(g.facts.filter((f) => f.text.startsWith('sub-exception')).map((f) => f.value)).toEqual(['ValueError: probe -1 offline', 'ValueError: probe -2 offline']);
    const s = parsePython(docOf(all.find((f) => f.name === 'syntax.default.v1')!.text))[0];
    expect(s.facts.some((f) => f.value === 'rules.py:1')).toBe(true);
  });
});

describe('python format shapes beyond the fixtures', () => {
  it('names the thread of `Exception in thread X:` and reads site-packages modules', () => {
    const r = parsePython(docOf([
      'Exception in thread feeder-2 (pump):',
      'Traceback (most recent call last):',
      '  File "/usr/lib/python3.12/threading.py", line 1073, in _bootstrap_inner',
      '    self.run()',
      '  File "/opt/brine/app/pump.py", line 12, in pump',
      '    gauge.read()',
      '  File "/opt/brine/venv/lib/python3.12/site-packages/gaugekit/core.py", line 88, in read',
      '    return self._dev.value',
      "AttributeError: 'NoneType' object has no attribute 'value'",
    ].join('\n')))[0];
    expect(r.crashingThreadId).toBe('feeder-2');
    const fr = crashingThread(r)!.frames;
    expect(fr[0]).toMatchObject({ function: 'read', module: 'gaugekit', line: 88 });
    expect(fr[1]).toMatchObject({ function: 'pump', module: 'pump' });
    expect(r.kind?.kind).toBe('null-deref');
  });

  it('reads MemoryError as oom and a traceback cut before its exception as incomplete', () => {
    expect(parsePython(docOf('Traceback (most recent call last):\n  File "a.py", line 1, in <module>\nMemoryError'))[0].kind?.kind).toBe('oom');
    const cut = parsePython(docOf('Traceback (most recent call last):\n  File "/srv/a.py", line 3, in <module>\n    f()\n  File "/srv/a.py", line 2, in f'))[0];
    expect(cut.complete).toBe(false);
    expect(cut.facts.some((f) => f.code === 'truncated')).toBe(true);
    expect(cut.threads[0].frames[0].function).toBe('f');
  });

  it('a mixed chain: implicit then explicit — the root of the last explicit run is the crash', () => {
    const tb = (fn: string, exc: string) => ['Traceback (most recent call last):', `  File "/srv/m.py", line 1, in ${fn}`, exc];
    const r = parsePython(docOf([
      ...tb('a', 'KeyError: 1'), '', 'During handling of the above exception, another exception occurred:', '',
      ...tb('b', 'ValueError: 2'), '', 'The above exception was the direct cause of the following exception:', '',
      ...tb('c', 'RuntimeError: 3'),
    ].join('\n')))[0];
    expect(r.exception?.type).toBe('RuntimeError');
    expect(r.exception?.causes.map((c) => c.type)).toEqual(['ValueError', 'KeyError']);
    expect(crashingThread(r)!.frames[0].function).toBe('b');
  });

  it('survives hostile input', () => {
    expect(() => parsePython(docOf('Traceback (most recent call last):\n  File "' + 'a'.repeat(1_000_000) + '\n' + '| '.repeat(100000)))).not.toThrow();
    expect(() => parsePython(docOf('Fatal Python error: Aborted\n\n'))).not.toThrow();
    expect(parsePython(docOf('no traceback here'))).toEqual([]);
  });
});

endToEnd('python', 'python');

describe('python against satyr expectations (peer suite, read at run time)', () => {
  const cases = satyrCases('python');
  it.skipIf(cases.length === 0)('exception name, frame count and top frame match', () => {
    for (const c of cases) {
      const rs = parsePython(docOf(c.text));
      expect(rs.length, c.name).toBeGreaterThan(0);
      const r = rs[rs.length - 1];
      const th = crashingThread(r)!;
      if (c.exceptionName) expect(r.exception?.type, c.name).toBe(c.exceptionName);
      if (c.frameCount !== undefined) expect(th.frames.length, c.name).toBe(c.frameCount);
      if (c.topFrame) expect(th.frames[0], c.name).toMatchObject({ function: c.topFrame.function_name, file: c.topFrame.file_name, line: c.topFrame.file_line });
    }
  });
});

describe("python: Python 3.11+'s marks under a source line", () => {
  const src = '    return cfg["a"]["b"] + cfg["c"]';
  it('split `~` then `^`: the operand and the operation', () => {
    expect(readMarks(src, '           ~~~~~~~~^^^^^')).toEqual({ expression: 'cfg["a"]["b"]', operand: 'cfg["a"]', operation: '["b"]' });
  });
  it('only `^`, or `~` around `^` (a binary operation): the expression alone', () => {
    expect(readMarks('    return station.probe.salinity', '           ^^^^^^^^^^^^^^^^^^^^^^')).toEqual({ expression: 'station.probe.salinity', operand: null, operation: null });
    expect(readMarks(src, '           ~~~~~~~~~~~~~~^~~~~~~~~~')).toEqual({ expression: 'cfg["a"]["b"] + cfg["c"]', operand: null, operation: null });
  });
  it('anything else is not a caret line', () => {
    expect(readMarks(src, '           ~~~~')).toBeNull();
    expect(readMarks(src, '           ^^ ^^')).toBeNull();
    expect(readMarks(src, '    ' + '^'.repeat(100))).toBeNull();
    expect(readMarks(src, '      ')).toBeNull();
  });
});
