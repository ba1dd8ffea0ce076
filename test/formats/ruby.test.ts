import { describe, expect, it } from 'vitest';
import { parseRuby, receiverAt } from '../../src/formats/ruby.js';
import { parsePython } from '../../src/formats/python.js';
import { basename, crashingThread, docOf, firstFrameIn, fixtures } from '../fixtures/runtimes/load.js';
import { endToEnd } from '../fixtures/runtimes/e2e.js';
import { satyrCases } from '../fixtures/runtimes/peer.js';

const all = fixtures('ruby');

describe('ruby format on real interpreter output', () => {
  it('has every planted bug, in v1 and v2', () => {
    expect([...new Set(all.map((f) => f.truth.case))].sort()).toEqual(['minitest-failure', 'nil-method', 'raise-cause', 'stack-overflow', 'thread-error']);
    // (nil-method also as Minitest reports it)
    expect(all.filter((f) => f.truth.version === 'v2').length).toBe(6);
  });

  for (const fx of all) {
    const t = fx.truth;
    it(`${fx.name}: kind ${t.kind}, exception chain and crash location`, () => {
      const reports = parseRuby(docOf(fx.text));
      expect(reports.length).toBe(1);
      const r = reports[0];
      expect(r.kind?.kind).toBe(t.kind);
      if (t.exceptionType) expect(r.exception?.type).toBe(t.exceptionType);
      if (t.rootCause) expect(r.exception?.causes.at(-1)?.type).toBe(t.rootCause);
      const th = crashingThread(r)!;
      if (t.thread) {
        expect(th.name).toBe(t.thread);
        expect(r.exception?.causes).toEqual([]);
        expect(r.facts.some((f) => f.text.includes('Thread#join'))).toBe(true);
        expect(th.id).toMatch(/^0x[0-9a-f]+$/);
      } else if (t.variant === 'minitest') expect(th.frames.at(-1)!.function).toMatch(/^test_/);
      else expect(th.frames.at(-1)!.function).toBe('<main>');
      const crash = firstFrameIn(th.frames, t.file)!;
      expect(crash.function).toBe(t.crashFunction);
      expect(crash.line).toBe(t.line);
      for (const f of th.frames.slice(0, crash.index)) expect(basename(f.file)).not.toBe(t.file);
    });
  }
});

describe('ruby format shapes beyond the fixtures', () => {
  it("Minitest: an Error's backtrace under error_highlight's excerpt, a Failure's location and expected/actual", () => {
    const [e] = parseRuby(docOf(all.find((f) => f.name === 'nil-method.minitest.v1')!.text));
    expect(crashingThread(e)!.frames.map((f) => [f.function, basename(f.file), f.line])).toEqual([['slab_width', 'quarry.rb', 18], ['test_slab_width', 'quarry_test.rb', 11]]);
    expect(e.facts).toContainEqual(expect.objectContaining({ value: 'QuarryTest#test_slab_width' }));
    const [a] = parseRuby(docOf(all.find((f) => f.name === 'minitest-failure.minitest.v1')!.text));
    expect(a.kind?.kind).toBe('assertion');
    expect(a.assertion).toEqual({ expression: 'Expected: 3 Actual: 2', file: 'quarry_test.rb', line: 15, function: 'test_slab_count' });
  });

  it('Ruby 3.4 quoting with class names, gems as modules, block frames named for their method', () => {
    const r = parseRuby(docOf([
      "/srv/kiosk/app/till.rb:14:in 'Till#total': undefined method 'price' for nil (NoMethodError)",
      "\tfrom /usr/lib/ruby/gems/3.4.0/gems/tallyho-2.1.0/lib/tallyho.rb:30:in 'block in Tallyho.each_line'",
      "\tfrom /srv/kiosk/app/main.rb:3:in '<main>'",
    ].join('\n')))[0];
    const fr = crashingThread(r)!.frames;
    expect(fr[0]).toMatchObject({ function: 'Till#total', line: 14 });
    expect(fr[1]).toMatchObject({ function: 'Tallyho.each_line', rawFunction: 'block in Tallyho.each_line', module: 'tallyho' });
    expect(r.kind?.kind).toBe('null-deref');
  });

  it('Ruby 2.5–2.7 reversed traces are turned innermost first, and Python leaves them alone', () => {
    const text = [
      'Traceback (most recent call last):',
      "\t2: from quarry.rb:41:in `<main>'",
      "\t1: from quarry.rb:26:in `plan'",
      "quarry.rb:21:in `parse_cut': bad depth (ArgumentError)",
    ].join('\n');
    const r = parseRuby(docOf(text))[0];
    expect(crashingThread(r)!.frames.map((f) => f.function)).toEqual(['parse_cut', 'plan', '<main>']);
    expect(r.startLine).toBe(0);
    expect(parsePython(docOf(text))).toEqual([]);
  });

  it('survives hostile input', () => {
    expect(() => parseRuby(docOf('a.rb:1:in `' + 'x'.repeat(1_000_000) + "': m (E)\n\tfrom " + ':'.repeat(100000)))).not.toThrow();
    expect(parseRuby(docOf('plain: text (Not)'))).toEqual([]);
  });
});

endToEnd('ruby', 'ruby');

describe('ruby against satyr expectations (peer suite, read at run time)', () => {
  const cases = satyrCases('ruby');
  it.skipIf(cases.length === 0)('exception name, frame count and top frame match', () => {
    for (const c of cases) {
      const rs = parseRuby(docOf(c.text));
      expect(rs.length, c.name).toBeGreaterThan(0);
      const r = rs[rs.length - 1];
      const th = crashingThread(r)!;
      if (c.exceptionName) expect(r.exception?.type, c.name).toBe(c.exceptionName);
      if (c.frameCount !== undefined) expect(th.frames.length, c.name).toBe(c.frameCount);
      if (c.topFrame) expect(th.frames[0], c.name).toMatchObject({ function: c.topFrame.function_name, file: c.topFrame.file_name, line: c.topFrame.file_line });
    }
  });
});

describe("ruby: error_highlight's receiver", () => {
  it('is the expression before the marked `.`, brackets and all', () => {
    expect(receiverAt('    @slabs[name].width', '                ^^^^^^')).toBe('@slabs[name]');
    expect(receiverAt('    x = Store.find(id, opts).owner', '                            ^^^^^^')).toBe('Store.find(id, opts)');
    expect(receiverAt('    user&.profile', '        ^^^^^^^^^')).toBe('user');
  });
  it('is nothing when the marks are not under a `.`, or the brackets do not close', () => {
    expect(receiverAt('    width(slab)', '    ^^^^^')).toBeNull();
    expect(receiverAt('    a]].b', '       ^^')).toBeNull();
    expect(receiverAt('    (1 + 2).b', '           ^^')).toBeNull();
  });
});
