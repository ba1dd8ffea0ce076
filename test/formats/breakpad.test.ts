import { describe, expect, it } from 'vitest';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { findBreakpad, parseWalkFrame, reasonFacts, sourcePath, trustOf } from '../../src/formats/breakpad.js';
import { crashed, crashFrame, doc, fixtures as fixtureDir } from '../helpers/hand-written.js';

const { dir: DIR, load } = fixtureDir('breakpad');

const fixtures = readdirSync(DIR).filter((f) => f.endsWith('.txt'));

describe('breakpad fixtures against their truth', () => {
  it('has several fixtures', () => expect(fixtures.length).toBeGreaterThanOrEqual(4));
  for (const name of fixtures) {
    it(name, () => {
      const truth = JSON.parse(load(name.replace(/\.txt$/, '.truth.json')));
      const reports = findBreakpad(doc(load(name)));
      expect(reports.length).toBe(1);
      const r = reports[0];
      expect(r.format).toBe('breakpad');
      expect(r.kind?.kind).toBe(truth.kind);
      expect(r.crashingThreadId).toBe(truth.thread);
      const t = crashed(r)!;
      expect(t.crashed).toBe(true);
      if (truth.threadName) expect(t.name).toBe(truth.threadName);
      const cf = crashFrame(t.frames)!;
      expect(cf.function).toBe(truth.function);
      if (truth.file) expect(cf.file).toBe(truth.file);
      if (truth.line) expect(cf.line).toBe(truth.line);
      if (truth.access) expect(r.access?.type).toBe(truth.access);
    });
  }
});

describe('breakpad details', () => {
  it('Breakpad text: signal, threads, trust, main module, scanning noted', () => {
    const [r] = findBreakpad(doc(load('linux-null-deref.txt')));
    expect(r.signal).toEqual({ name: 'SIGSEGV', number: 11, code: 'SEGV_MAPERR', faultAddress: '0x0' });
    expect(r.threads.map((t) => [t.id, t.crashed, t.frames.length])).toEqual([['0', true, 7], ['1', false, 3]]);
    const f = r.threads[0].frames;
    expect(f.map((x) => x.trust)).toEqual(['context', 'cfi', 'cfi', 'cfi', 'cfi', 'scan', 'scan']);
    expect(f[0]).toMatchObject({ module: 'libgem.so', function: 'gem::Mesh::bounds', file: 'mesh.cc', line: 88 });
    expect(f[4]).toMatchObject({ module: 'libc.so.6', function: null, address: '0x29d90' });
    expect(f[2].roleHint).toBe('app');
    expect(r.facts.some((x) => x.text.includes('stack scanning') && x.frame === 5)).toBe(true);
    expect(r.message).toBe('SIGSEGV /SEGV_MAPERR at 0x0');
  });

  it('rust-minidump text: thread names and tids, inlined frames, Windows access type', () => {
    const [r] = findBreakpad(doc(load('rust-minidump-windows-write.txt')));
    const t = crashed(r)!;
    expect(t).toMatchObject({ id: '7', name: 'AudioMixer', lwp: '21344' });
    expect(t.frames[1]).toMatchObject({ inlined: true, trust: 'inlined', function: 'resonate::mixer::Mixer::render_block' });
    expect(r.threads[1]).toMatchObject({ id: '0', name: 'main', crashed: false });
    expect(r.access).toEqual({ type: 'write', address: '0x00000218e4c70ff8' });
    expect(r.signal).toMatchObject({ name: 'EXCEPTION_ACCESS_VIOLATION_WRITE', code: 'c0000005' });
  });

  it('machine-readable -m output: crashing thread from the Crash line, main module', () => {
    const [r] = findBreakpad(doc(load('machine-stack-overflow.txt')));
    expect(r.threads.map((t) => t.frames.length)).toEqual([7, 1]);
    expect(r.threads[0].frames[0]).toMatchObject({ function: 'Node::depth', args: 'Node const*', roleHint: 'app' });
  });

  it('crash reasons of every platform map through their tables', () => {
    expect(reasonFacts('EXCEPTION_ACCESS_VIOLATION_READ', '0x10').kind?.kind).toBe('null-deref');
    expect(reasonFacts('EXCEPTION_STACK_BUFFER_OVERRUN / FAST_FAIL_FATAL_APP_EXIT', null).kind?.kind).toBe('abort');
    expect(reasonFacts('STATUS_STACK_BUFFER_OVERRUN / FAST_FAIL_STACK_COOKIE_CHECK_FAILURE', null).kind?.kind).toBe('stack-smashing');
    expect(reasonFacts('STATUS_HEAP_CORRUPTION', null).kind?.kind).toBe('heap-corruption');
    expect(reasonFacts('EXC_BAD_ACCESS / KERN_INVALID_ADDRESS', '0x8').kind?.kind).toBe('null-deref');
    expect(reasonFacts('EXC_BAD_ACCESS / KERN_PROTECTION_FAILURE', '0x1a2b3c4d5e').kind?.kind).toBe('segv');
    expect(reasonFacts('SIGILL / ILL_ILLOPN', '0x55d0c0a1c3f2').kind?.kind).toBe('illegal-instruction');
    expect(reasonFacts('SIGFPE /FPE_INTDIV', null).kind?.kind).toBe('fpe');
    expect(reasonFacts('DUMP_REQUESTED', null).kind?.kind).toBe('snapshot');
    expect(reasonFacts('EXCEPTION_BREAKPOINT', null).kind?.kind).toBe('abort');
    // SIGABRT's "crash address" is the sender, not a fault address.
    expect(reasonFacts('SIGABRT', '0x3e8000063b2').signal).toEqual({ name: 'SIGABRT', number: 6 });
  });

  it('frame and path text', () => {
    expect(parseWalkFrame(0, 'XUL!mozilla::dom::Node::Remove() [hg:hg.example.org/central:dom/base/Node.cpp:0a1b2c3d : 77 + 0x4]')).toMatchObject({ file: 'dom/base/Node.cpp', line: 77, function: 'mozilla::dom::Node::Remove' });
    expect(sourcePath('hg:hg.example.org/central:dom/base/Node.cpp:0a1b2c3d')).toBe('dom/base/Node.cpp');
    expect(parseWalkFrame(3, '0x7ff6a1b2c3d4')).toMatchObject({ function: null, module: null, address: '0x7ff6a1b2c3d4' });
    expect(parseWalkFrame(3, 'libxyz.so!Thing::go + 0x1f')).toMatchObject({ function: 'Thing::go', module: 'libxyz.so' });
    expect(trustOf("previous frame's frame pointer")).toBe('frame_pointer');
    expect(trustOf('call frame info with scanning')).toBe('cfi_scan');
  });

  it('a walk cut before its threads is truncated; two walks are two reports', () => {
    const head = load('linux-null-deref.txt').split('\n').slice(0, 12).join('\n');
    const [cut] = findBreakpad(doc(head));
    expect(cut.complete).toBe(false);
    expect(cut.facts.some((f) => f.code === 'truncated')).toBe(true);
    const two = findBreakpad(doc(load('linux-abort-assert.txt') + '\n' + load('linux-null-deref.txt')));
    expect(two.map((r) => r.kind?.kind)).toEqual(['assertion', 'null-deref']);
  });

  it('never throws on hostile input; ordinary text is not a walk', () => {
    const junk = ['Crash reason:  ' + '/'.repeat(100000), 'Thread 0 (crashed)', ' 0  ' + '['.repeat(100000) + ']', '0|0|' + '|'.repeat(10000), 'Crash|', '\ufffd'];
    expect(() => findBreakpad(doc(junk.join('\n')))).not.toThrow();
    expect(findBreakpad(doc('Thread 1 started\n 0 items\nOperating system: fine'))).toEqual([]);
  });

  it.runIf(existsSync(join(import.meta.dirname, '../../src/analyze.ts')))('end to end through analyze()', async () => {
    const { analyze } = await import('../../src/analyze.js' as string);
    for (const name of fixtures) {
      const truth = JSON.parse(load(name.replace(/\.txt$/, '.truth.json')));
      const a = analyze(load(name), { input: name });
      expect(a.error, name).toBeUndefined();
      expect(a.format, name).toBe('breakpad');
      expect(a.kind, name).toBe(truth.kind);
      expect(a.crashFrame?.function, name).toBe(truth.function);
      expect(a.crashingThread?.id, name).toBe(truth.thread);
    }
  });
});
