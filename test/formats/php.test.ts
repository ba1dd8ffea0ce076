import { describe, expect, it } from 'vitest';
import { parsePhp } from '../../src/formats/php.js';
import { basename, crashingThread, docOf, firstFrameIn, fixtures } from '../fixtures/runtimes/load.js';
import { endToEnd } from '../fixtures/runtimes/e2e.js';

const all = fixtures('php');

describe('php format on real php-cli output', () => {
  it('has every planted bug, in v1 and v2', () => {
    expect([...new Set(all.map((f) => f.truth.case))].sort()).toEqual(['null-method', 'type-error', 'uncaught-previous']);
    expect(all.filter((f) => f.truth.version === 'v2').length).toBe(3);
  });

  for (const fx of all) {
    const t = fx.truth;
    it(`${fx.name}: kind ${t.kind}, exception chain and crash location`, () => {
      const reports = parsePhp(docOf(fx.text));
      expect(reports.length).toBe(1);
      const r = reports[0];
      expect(r.complete).toBe(true);
      expect(r.kind?.kind).toBe(t.kind);
      if (t.exceptionType) expect(r.exception?.type).toBe(t.exceptionType);
      if (t.rootCause) expect(r.exception?.causes.at(-1)?.type).toBe(t.rootCause);
      const th = crashingThread(r)!;
      expect(th.frames.at(-1)!.function).toBe('{main}');
      const crash = firstFrameIn(th.frames, t.file)!;
      expect(crash.function).toBe(t.crashFunction);
      expect(crash.line).toBe(t.line);
      for (const f of th.frames.slice(0, crash.index)) expect(basename(f.file)).not.toBe(t.file);
    });
  }
});

describe('php format shapes beyond the fixtures', () => {
  it('memory exhaustion without a trace is oom at the reported line', () => {
    const r = parsePhp(docOf('PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /var/www/ledger/import.php on line 77'))[0];
    expect(r.kind?.kind).toBe('oom');
    expect(crashingThread(r)!.frames[0]).toMatchObject({ file: '/var/www/ledger/import.php', line: 77 });
  });

  it('vendor frames carry their composer package; internal functions have no location', () => {
    const r = parsePhp(docOf([
      'PHP Fatal error:  Uncaught LogicException: bad state in /var/www/app/vendor/acme/sieve/src/Filter.php:12',
      'Stack trace:',
      '#0 [internal function]: Acme\\Sieve\\Filter->apply()',
      '#1 /var/www/app/src/Import.php(31): array_map()',
      '#2 {main}',
      '  thrown in /var/www/app/vendor/acme/sieve/src/Filter.php on line 12',
    ].join('\n')))[0];
    const fr = crashingThread(r)!.frames;
    expect(fr[0]).toMatchObject({ function: 'Acme\\Sieve\\Filter->apply', module: 'acme/sieve', line: 12 });
    expect(fr[1]).toMatchObject({ function: 'array_map', file: null });
    expect(fr[2]).toMatchObject({ function: '{main}', file: '/var/www/app/src/Import.php', line: 31 });
  });

  it('a cut-off trace is incomplete; hostile input does not throw', () => {
    const r = parsePhp(docOf('Fatal error: Uncaught Exception: x in /a.php:3\nStack trace:\n#0 /a.php(9): f()'))[0];
    expect(r.complete).toBe(false);
    expect(() => parsePhp(docOf('Fatal error: Uncaught ' + ' in '.repeat(100000) + '\n#0 ' + '('.repeat(100000)))).not.toThrow();
    expect(parsePhp(docOf('PHP Warning:  something'))).toEqual([]);
    expect(parsePhp(docOf('Fatal error: Index out of range: file Swift/ContiguousArrayBuffer.swift, line 600'))).toEqual([]);
  });
});

endToEnd('php', 'php');
