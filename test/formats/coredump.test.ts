import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { coredump, parseCoredumpFrame } from '../../src/formats/coredump.js';
import { analyze } from '../../src/analyze.js';
import { clean } from '../../src/ingest/clean.js';
import type { Analysis } from '../../src/model.js';
import { crashed, fixtures as fixtureDir } from '../helpers/hand-written.js';

// Hand-written (no systemd-coredump runs here), modelled on `coredumpctl info` output and
// journal entries pasted in public bug reports; every name is invented.
const { dir: DIR, load } = fixtureDir('coredump');
const names = readdirSync(DIR).filter((f) => f.endsWith('.txt'));

describe('systemd-coredump fixtures against their truth', () => {
  it('has several fixtures', () => expect(names.length).toBeGreaterThanOrEqual(4));
  for (const name of names) {
    it(name, () => {
      const truth = JSON.parse(load(name.replace(/\.txt$/, '.truth.json')));
      const a = analyze(load(name)) as Analysis;
      expect(a.format).toBe('coredump');
      expect(a.kind).toBe(truth.kind);
      expect(a.reports?.length ?? 1).toBe(truth.reports ?? 1);
      expect(a.crashingThread?.id).toBe(truth.thread);
      expect(a.threads.length).toBe(truth.threads);
      if (truth.signal) expect(a.signal?.name).toBe(truth.signal);
      if (truth.function !== null) expect(a.crashFrame).toMatchObject({ function: truth.function, module: truth.module, moduleOffset: truth.moduleOffset });
      else expect(a.crashFrame).toBeNull();
      // the module offset reaches addr2line
      expect(a.nextSteps.map((s) => s.command ?? '').join('\n')).toContain(`${truth.moduleOffset}`);
    });
  }
});

describe('systemd-coredump details', () => {
  it('reads a frame line: symbol or n/a, module and offset, a versioned symbol', () => {
    expect(parseCoredumpFrame('                #1  0x00007f3a5c093a41 pthread_cond_wait@@GLIBC_2.3.2 (libc.so.6 + 0x93a41)')).toEqual({ index: 1, address: '0x00007f3a5c093a41', symbol: 'pthread_cond_wait@@GLIBC_2.3.2', module: 'libc.so.6', offset: '0x93a41' });
    expect(parseCoredumpFrame('#12 0x0000559e0c4a1f85 n/a (/opt/ledger/bin/ledgerd + 0x1f85)')).toMatchObject({ index: 12, symbol: null, module: '/opt/ledger/bin/ledgerd' });
    expect(parseCoredumpFrame('#51 0x00007c06215203f3 n/a (n/a + 0x0)')).toMatchObject({ symbol: null, module: null });
    expect(parseCoredumpFrame('#3  0x00007f operator() (libfoo.so (deleted) + 0x10)')).toMatchObject({ symbol: 'operator()', module: 'libfoo.so (deleted)' });
    for (const bad of ['#0  0x1 in f () at a.c:1', '#0 f (libc.so.6 + 0x1)', '#x  0x1 f (m + 0x1)', '#0  0x1 f (m + 0xzz)', '#0  0x1 f (m)']) expect(parseCoredumpFrame(bad)).toBeNull();
  });

  it('coredumpctl info: the signal, the program, the threads in order, the crashing one first', () => {
    const [r] = coredump.find(clean(load('coredumpctl-info-segv.txt')));
    expect(r.signal).toEqual({ name: 'SIGSEGV', number: 11 });
    expect(r.message).toBe('tallyd dumped core on SIGSEGV');
    expect(r.startLine).toBe(0);
    expect(r.threads.map((t) => [t.id, t.crashed, t.frames.length])).toEqual([['4242', true, 6], ['4243', false, 5]]);
    // a symbol version is not part of the function's name
    expect(r.threads[1].frames[1]).toMatchObject({ function: 'pthread_cond_wait', rawFunction: 'pthread_cond_wait@@GLIBC_2.3.2' });
    expect(r.facts).toContainEqual(expect.objectContaining({ code: 'program', value: '/usr/local/bin/tallyd --config /etc/tallyd.conf' }));
    expect(crashed(r)!.frames[0]).toMatchObject({ function: 'cart_total', address: '0x000055d1c2a1b2c4', module: '/usr/local/bin/tallyd', moduleOffset: '0x12c4' });
  });

  it('a journal entry: the process from its message, the signal from the earlier "terminated abnormally" entry, one report per core', () => {
    const reports = coredump.find(clean(load('journal-two-dumps-fpe.txt')));
    expect(reports.map((r) => [r.message, r.startLine, r.endLine, r.crashingThreadId])).toEqual([
      ['tallyd dumped core', 0, 5, '2201'],
      ['gaugectl dumped core on SIGFPE', 6, 19, '2291'],
    ]);
    expect(reports[0].signal).toBeNull();
  });

  it('next steps: coredumpctl debug with the PID, and addr2line on the executable for a frame with no name', () => {
    const a = analyze(load('coredumpctl-info-terminate-stripped.txt')) as Analysis;
    const commands = a.nextSteps.map((s) => s.command ?? '');
    expect(commands).toContain('coredumpctl debug 918\n(gdb) thread apply all bt full');
    expect(commands).toContain('addr2line -f -C -i -e /opt/ledger/bin/ledgerd 0x2f31');
    // a bare module name that is the executable's file gets the executable's path
    const j = analyze(load('journal-abort-assert.txt')) as Analysis;
    expect(j.nextSteps.map((s) => s.command ?? '')).toContain('addr2line -f -C -i -e ledgerd 0x49d1');
    expect(j.causes[0].title).toBe('An assertion failed in `journal_commit` (the assertion text was not pasted).');
  });

  it('a stack trace line alone, or gdb frames, are not a core dump', () => {
    expect(coredump.find(clean('Stack trace of thread 12:\n'))).toHaveLength(1);
    expect(coredump.find(clean('Stack trace of thread x:\n#0  0x1 f (m + 0x1)\n'))).toHaveLength(0);
    expect(coredump.find(clean('#0  0x1 in f () at a.c:1\n#1  0x2 in main () at a.c:9\n'))).toHaveLength(0);
  });
});
