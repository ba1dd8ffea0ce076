import { describe, expect, it } from 'vitest';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { findApple, parseAppleFrame } from '../../src/formats/apple.js';
import { crashed, crashFrame, doc, fixtures as fixtureDir } from '../helpers/hand-written.js';
import { analyze } from '../../src/analyze.js';
import type { Analysis } from '../../src/model.js';

const { dir: DIR, load } = fixtureDir('apple');

const fixtures = readdirSync(DIR).filter((f) => f.endsWith('.crash') || f.endsWith('.ips'));
const truthOf = (name: string) => JSON.parse(load(name.replace(/\.(crash|ips)$/, '.truth.json')));

describe('apple fixtures against their truth', () => {
  it('has several fixtures in both forms', () => {
    expect(fixtures.filter((f) => f.endsWith('.crash')).length).toBeGreaterThanOrEqual(2);
    expect(fixtures.filter((f) => f.endsWith('.ips')).length).toBeGreaterThanOrEqual(2);
  });
  for (const name of fixtures) {
    it(name, () => {
      const truth = truthOf(name);
      const reports = findApple(doc(load(name)));
      expect(reports.length).toBe(1);
      const r = reports[0];
      expect(r.format).toBe('apple');
      expect(r.kind?.kind).toBe(truth.kind);
      expect(r.crashingThreadId).toBe(truth.thread);
      const t = crashed(r)!;
      expect(t.crashed).toBe(true);
      const cf = crashFrame(t.frames)!;
      expect(cf.function).toBe(truth.function);
      if (truth.module) expect(cf.module).toBe(truth.module);
      if (truth.file) expect(cf.file).toBe(truth.file);
      if (truth.line) expect(cf.line).toBe(truth.line);
      if (truth.address) expect(r.signal?.faultAddress).toBe(truth.address);
      expect(r.complete).toBe(true);
    });
  }
});

describe('apple details', () => {
  it('text form: threads with names, signal, roles from Binary Images', () => {
    const [r] = findApple(doc(load('macos-null-worker.crash')));
    expect(r.threads.map((t) => t.id)).toEqual(['0', '1', '2', '3']);
    expect(r.threads[3].name).toBe('Dispatch queue: org.example.inkwell.autosave');
    expect(r.threads[2].name).toBe('com.apple.NSEventThread');
    expect(r.signal).toMatchObject({ name: 'SIGSEGV', number: 11, faultAddress: '0x0000000000000020', code: 'EXC_BAD_ACCESS / KERN_INVALID_ADDRESS at 0x0000000000000020' });
    expect(r.message).toBe('EXC_BAD_ACCESS (SIGSEGV) KERN_INVALID_ADDRESS at 0x0000000000000020');
    expect(r.access).toEqual({ type: 'unknown', address: '0x0000000000000020' });
    const t = r.threads[3];
    expect(t.frames).toHaveLength(11);
    expect(t.frames[0]).toMatchObject({ module: 'Inkwell', address: '0x102b0c3e4', roleHint: 'app' });
    expect(t.frames[3]).toMatchObject({ function: '_dispatch_call_block_and_release', roleHint: 'library' });
    expect(r.facts.find((f) => f.code === 'program')?.value).toBe('Inkwell');
  });

  it('uncaught NSException: the Last Exception Backtrace is the crashing stack, the printed one kept', () => {
    const [r] = findApple(doc(load('ios-nsexception.crash')));
    const t = crashed(r)!;
    expect(t.frames[1].function).toBe('objc_exception_throw');
    expect(t.name).toBe('Dispatch queue: com.apple.main-thread');
    expect(r.stacks).toHaveLength(1);
    expect(r.stacks[0]).toMatchObject({ role: 'suppressed', thread: '0' });
    expect(r.stacks[0].frames[0].function).toBe('__pthread_kill');
  });

  it('Application Specific Information: NSException reason, assert(), C++ terminate', () => {
    const base = load('ios-nsexception.crash');
    const withAsi = (lines: string[]) => base.replace('Triggered by Thread:  0\n', 'Triggered by Thread:  0\n\nApplication Specific Information:\n' + lines.join('\n') + '\n');
    const [ns] = findApple(doc(withAsi(["*** Terminating app due to uncaught exception 'NSRangeException', reason: '*** -[__NSArrayM objectAtIndexedSubscript:]: index 7 beyond bounds [0 .. 4]'"])));
    expect(ns.exception).toEqual({ type: 'NSRangeException', message: '*** -[__NSArrayM objectAtIndexedSubscript:]: index 7 beyond bounds [0 .. 4]', causes: [] });
    expect(ns.kind?.kind).toBe('uncaught-exception');
    const mac = load('macos-null-worker.crash').replace('Exception Type:        EXC_BAD_ACCESS (SIGSEGV)', 'Exception Type:        EXC_CRASH (SIGABRT)')
      .replace('Termination Reason:', 'Application Specific Information:\nabort() called\nAssertion failed: (page < count), function -[IWDocumentStore snapshotForPage:], file IWDocumentStore.m, line 211.\n\nTermination Reason:');
    const [as] = findApple(doc(mac));
    expect(as.kind?.kind).toBe('assertion');
    expect(as.assertion).toEqual({ expression: 'page < count', function: '-[IWDocumentStore snapshotForPage:]', file: 'IWDocumentStore.m', line: 211 });
  });

  it('.ips: faulting thread, OS thread ids, usedImages, Swift fatal error message', () => {
    const [r] = findApple(doc(load('ips-segv-worker.ips')));
    expect(r.threads.map((t) => [t.id, t.lwp, t.crashed])).toEqual([['0', '1100001', false], ['1', '1100002', false], ['2', '1100057', true]]);
    expect(r.threads[2].name).toBe('ReportBuilder');
    expect(r.threads[0].name).toBe('Dispatch queue: com.apple.main-thread');
    expect(r.threads[2].frames[0]).toMatchObject({ module: 'Tallyhouse', function: 'Ledger.total', args: 'for:', address: '0x' + (4305616896 + 201344).toString(16) });
    expect(r.threads[2].frames[3].roleHint).toBe('library');
    const [s] = findApple(doc(load('ips-swift-index.ips')));
    expect(s.message).toBe('Fatal error: Index out of range');
    expect(s.signal?.name).toBe('SIGTRAP');
  });

  it('.ips uncaught NSException: asi reason and lastExceptionBacktrace', () => {
    const [head, ...rest] = load('ips-segv-worker.ips').split('\n');
    const body = JSON.parse(rest.join('\n'));
    body.exception = { codes: '0x0000000000000000, 0x0000000000000000', type: 'EXC_CRASH', signal: 'SIGABRT' };
    body.asi = { CoreFoundation: ["*** Terminating app due to uncaught exception 'NSInternalInconsistencyException', reason: 'ledger row missing'"] };
    body.lastExceptionBacktrace = [
      { imageOffset: 1000, symbol: '__exceptionPreprocess', symbolLocation: 164, imageIndex: 4 },
      { imageOffset: 201500, symbol: 'Ledger.row(at:)', symbolLocation: 12, imageIndex: 0, sourceFile: 'Ledger.swift', sourceLine: 120 },
    ];
    const [r] = findApple(doc(head + '\n' + JSON.stringify(body, null, 2)));
    expect(r.kind?.kind).toBe('uncaught-exception');
    expect(r.exception).toEqual({ type: 'NSInternalInconsistencyException', message: 'ledger row missing', causes: [] });
    expect(crashed(r)!.frames.map((f) => f.function)).toEqual(['__exceptionPreprocess', 'Ledger.row']);
    expect(r.stacks[0]).toMatchObject({ role: 'suppressed', thread: '2' });
  });

  it('a cut-off .ips body is reported as truncated, a cut-off text report too', () => {
    const text = load('ips-segv-worker.ips').split('\n');
    const [r] = findApple(doc(text.slice(0, 40).join('\n')));
    expect(r.complete).toBe(false);
    const crash = load('macos-null-worker.crash').split('\n');
    const cut = crash.slice(0, crash.findIndex((l) => l.startsWith('Thread 2')));
    const [c] = findApple(doc(cut.join('\n')));
    expect(c.complete).toBe(false);
    expect(c.crashingThreadId).toBe('3');
  });

  it('two text reports in one paste are two reports, in order', () => {
    const reps = findApple(doc(load('macos-assert.crash') + '\n\n' + load('macos-null-worker.crash')));
    expect(reps.map((r) => [r.kind?.kind, r.crashingThreadId])).toEqual([['assertion', '0'], ['null-deref', '3']]);
    expect(reps[0].endLine).toBeLessThan(reps[1].startLine);
  });

  it('macOS: Application Specific Backtrace is the exception stack; AppKit crashing on exception', () => {
    const text = [
      'Process:               Marrow [4410]',
      'Crashed Thread:        0  main  Dispatch queue: com.apple.main-thread',
      '',
      'Exception Type:        EXC_BREAKPOINT (SIGTRAP)',
      'Exception Codes:       0x0000000000000001, 0x000000018f3411fc',
      '',
      'Application Specific Information:',
      "Crashing on exception: *** -[__NSArrayM objectAtIndex:]: index 4 beyond bounds [0 .. 1]",
      '',
      'Application Specific Backtrace 0:',
      '0   CoreFoundation                      0x000000018b2a1c2c __exceptionPreprocess + 176',
      '1   libobjc.A.dylib                     0x000000018ad8a0b4 objc_exception_throw + 60',
      '2   CoreFoundation                      0x000000018b29e1d0 -[__NSArrayM objectAtIndex:] + 460',
      '3   Marrow                              0x0000000102f1a2b4 -[MRWShelf bookAt:] + 52 (MRWShelf.m:31)',
      '',
      'Thread 0 Crashed::  Dispatch queue: com.apple.main-thread',
      '0   AppKit                        \t       0x18f3411fc -[NSApplication _crashOnException:] + 256',
      '1   AppKit                        \t       0x18f340fbc -[NSApplication reportException:] + 460',
      '2   Marrow                        \t       0x102f19010 main + 40 (main.m:9)',
    ].join('\n');
    const [r] = findApple(doc(text));
    expect(r.kind?.kind).toBe('uncaught-exception');
    expect(r.exception?.message).toBe('*** -[__NSArrayM objectAtIndex:]: index 4 beyond bounds [0 .. 1]');
    expect(crashFrame(crashed(r)!.frames)?.function).toBe('-[MRWShelf bookAt:]');
    expect(r.stacks[0].frames[0].function).toBe('-[NSApplication _crashOnException:]');
  });

  it('frame text: unsymbolicated, atos form, inlined', () => {
    expect(parseAppleFrame('9   ???   0x0000000000000000 0x0 + 0')?.frame).toMatchObject({ module: null, function: null });
    expect(parseAppleFrame('5   Plumly   0x0000000104a1b2c4 0x104a10000 + 45764')?.frame).toMatchObject({ function: null, module: 'Plumly', address: '0x0000000104a1b2c4' });
    expect(parseAppleFrame('5   Plumly   0x0000000104a1b2c4 Plumly + 45764')?.frame).toMatchObject({ function: null });
    expect(parseAppleFrame('2   Plumly  0x00000001022a4b10 parseRow (in Plumly) (Rows.c:40)')?.frame).toMatchObject({ function: 'parseRow', file: 'Rows.c', line: 40 });
    expect(parseAppleFrame('0   Plumly  0x00000001022a4b10 Feed.count.getter + 12 (Feed.swift:8) [inlined]')?.frame).toMatchObject({ function: 'Feed.count.getter', inlined: true, line: 8 });
    expect(parseAppleFrame('12  Google Chrome Framework  0x0000000110a1b2c4 ChromeMain + 60')?.frame).toMatchObject({ module: 'Google Chrome Framework', function: 'ChromeMain' });
  });

  it('never throws on hostile input; plain text is not a report', () => {
    const junk = ['{"bug_type":"309"}', '{' + '['.repeat(100000), 'Exception Type: ' + 'x'.repeat(1 << 20), 'Thread 0 Crashed:', '0 a 0x' + 'f'.repeat(50000), '\ufffd'];
    expect(() => findApple(doc(junk.join('\n')))).not.toThrow();
    const images = ['Exception Type:  EXC_BAD_ACCESS (SIGSEGV)', 'Binary Images:'];
    for (let k = 0; k < 300; k++) images.push('0x1 - 0x2 ' + 'a'.repeat(300) + 'b'.repeat(7000));
    expect(() => findApple(doc(images.join('\n')))).not.toThrow();
    expect(findApple(doc('Process: started\nThread 1: ok'))).toEqual([]);
  });

  it.runIf(existsSync(join(import.meta.dirname, '../../src/analyze.ts')))('end to end through analyze()', async () => {
    const { analyze } = await import('../../src/analyze.js' as string);
    for (const name of fixtures) {
      const truth = truthOf(name);
      const a = analyze(load(name), { input: name });
      expect(a.error, name).toBeUndefined();
      expect(a.format, name).toBe('apple');
      expect(a.kind, name).toBe(truth.kind);
      expect(a.crashFrame?.function, name).toBe(truth.function);
      expect(a.crashingThread?.id, name).toBe(truth.thread);
    }
  });
});

describe('apple: an uncaught Objective-C exception', () => {
  it('is named as one (objc_exception_throw in the Last Exception Backtrace), not as a C++ exception or a panic', () => {
    const a = analyze(load('ios-nsexception.crash')) as Analysis;
    expect(a.kind).toBe('uncaught-exception');
    expect(a.causes[0].title).toMatch(/^An Objective-C exception \(NSException\) escaped every handler; the program's innermost frame where it was thrown is `-\[PLFeedViewController tableView:cellForRowAtIndexPath:\]`/);
    expect(a.causes.some((c) => /C\+\+ exception|panic/.test(c.title))).toBe(false);
  });
});
