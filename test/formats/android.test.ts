import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { findAndroid, parseTombstoneFrame, signalKind } from '../../src/formats/android.js';
import { crashed, crashFrame, doc, fixtures as fixtureDir } from '../helpers/hand-written.js';
import { analyze } from '../../src/analyze.js';
import type { Analysis } from '../../src/model.js';

const { dir: DIR, load } = fixtureDir('android');

const fixtures = readdirSync(DIR).filter((f) => f.endsWith('.txt'));

describe('android fixtures against their truth', () => {
  it('has several fixtures', () => expect(fixtures.length).toBeGreaterThanOrEqual(4));
  for (const name of fixtures) {
    it(name, () => {
      const truth = JSON.parse(load(name.replace(/\.txt$/, '.truth.json')));
      const reports = findAndroid(doc(load(name)));
      expect(reports.length).toBe(1);
      const r = reports[0];
      expect(r.kind?.kind).toBe(truth.kind);
      expect(r.crashingThreadId).toBe(truth.thread);
      const t = crashed(r)!;
      expect(t.crashed).toBe(true);
      expect(t.name).toBe(truth.threadName);
      expect(crashFrame(t.frames)?.function).toBe(truth.function);
      if (truth.address) expect(r.signal?.faultAddress).toBe(truth.address);
    });
  }
});

describe('android details', () => {
  it('reads logcat-prefixed tombstones: signal, cause, every frame with module and symbol', () => {
    const [r] = findAndroid(doc(load('null-deref-logcat.txt')));
    expect(r.signal).toEqual({ name: 'SIGSEGV', number: 11, code: 'SEGV_MAPERR', faultAddress: '0x0000000000000018' });
    expect(r.message).toBe('null pointer dereference');
    const t = crashed(r)!;
    expect(t.frames).toHaveLength(6);
    expect(t.frames[0]).toMatchObject({ function: 'Canvas::strokeAt', args: 'int, int', address: '0x00000000000351d4', roleHint: 'app' });
    expect(t.frames[5]).toMatchObject({ function: '__start_thread', module: '/apex/com.android.runtime/lib64/bionic/libc.so' });
    expect(r.facts.find((f) => f.code === 'program')?.value).toBe('org.example.sketchpad');
  });

  it('abort message with a bionic assertion becomes the assertion; other threads kept', () => {
    const [r] = findAndroid(doc(load('abort-assert.txt')));
    expect(r.assertion).toEqual({ expression: '!items_.empty()', file: 'packages/tidepool/queue.cpp', line: 57, function: 'void tidepool::Queue::pop()' });
    expect(r.threads.map((t) => [t.id, t.name, t.crashed])).toEqual([['812', 'tidepoold', true], ['840', 'binder:812_1', false]]);
    expect(r.threads[1].frames).toHaveLength(4);
    // The crashed daemon's own frames are app code although it lives under /system.
    expect(crashed(r)!.frames[2]).toMatchObject({ module: '/system/bin/tidepoold', roleHint: 'app' });
    expect(crashed(r)!.frames[0].roleHint).toBe('library');
    expect(crashed(r)!.frames).toHaveLength(6);
  });

  it('GWP-ASan: freed and allocated stacks, thread ids', () => {
    const [r] = findAndroid(doc(load('gwp-asan-uaf.txt')));
    expect(r.stacks.map((s) => [s.role, s.thread, s.frames.length])).toEqual([['freed', '9185', 3], ['allocated', '9120', 2]]);
    expect(r.stacks[0].frames[1].function).toBe('mail::Account::dropFolder');
    expect(crashed(r)!.frames[0].function).toBe('mail::Folder::unreadCount');
  });

  it('uncaught C++ exception: type and message from the abort message', () => {
    const [r] = findAndroid(doc(load('uncaught-cxx.txt')));
    expect(r.exception).toEqual({ type: 'std::out_of_range', message: 'vector', causes: [] });
  });

  it('a lone libc Fatal signal line is a report; a tombstone without backtrace is truncated', () => {
    const [r] = findAndroid(doc('F libc    : Fatal signal 7 (SIGBUS), code 1 (BUS_ADRALN), fault addr 0x7b0012345 in tid 77 (Loader), pid 70 (org.example.x)'));
    expect(r.kind?.kind).toBe('bus-error');
    expect(r.crashingThreadId).toBe('77');
    const [cut] = findAndroid(doc(load('abort-assert.txt').split('\n').slice(0, 11).join('\n')));
    expect(cut.complete).toBe(false);
    expect(cut.facts.some((f) => f.code === 'truncated')).toBe(true);
  });

  it('two tombstones in one paste are two reports', () => {
    const reps = findAndroid(doc(load('abort-assert.txt') + '\n' + load('gwp-asan-uaf.txt')));
    expect(reps.map((r) => r.kind?.kind)).toEqual(['assertion', 'use-after-free']);
    expect(reps[1].startLine).toBeGreaterThan(reps[0].endLine - 1);
  });

  it('a symbolized tombstone (sanitizer-style frames) and a second Fatal signal from another thread', () => {
    const text = [
      'Fatal signal 11 (SIGSEGV), code 2, fault addr 0xb6e43000 in tid 1544 (compositor)',
      'Fatal signal 11 (SIGSEGV), code 2, fault addr 0xb6e43800 in tid 1543 (compositor)',
      '*** *** *** *** *** *** *** *** *** *** *** *** *** *** *** ***',
      'pid: 1236, tid: 1544, name: compositor  >>> /system/bin/vistad <<<',
      'signal 11 (SIGSEGV), code 2 (SEGV_ACCERR), fault addr 0xb6e43000',
      'backtrace:',
      '    #0 0x0003a1b0 in vista::Layer::blit(vista::Rect const&) const src/layer.cpp:77:3',
      '    #1 0x000173c1 (/system/bin/vistad+0x000173c1)',
      '    #1 0x000173c1 in vista::Compositor::frame() src/compositor.cpp:120:9',
    ].join('\n');
    const reps = findAndroid(doc(text));
    expect(reps).toHaveLength(1);
    expect(reps[0].crashingThreadId).toBe('1544');
    const t = crashed(reps[0])!;
    expect(t.frames.map((f) => [f.function, f.file, f.line])).toEqual([
      ['vista::Layer::blit', 'src/layer.cpp', 77], ['vista::Compositor::frame', 'src/compositor.cpp', 120],
    ]);
    expect(reps[0].kind?.kind).toBe('segv');
  });

  it('frame text: offsets inside apks, anonymous mappings', () => {
    expect(parseTombstoneFrame('#07 pc 00000000001a2b3c  /data/app/org.example-1/base.apk!libfoo.so (offset 0x9e4000) (foo::bar()+12) (BuildId: 00ff)')?.frame)
      .toMatchObject({ function: 'foo::bar', module: '/data/app/org.example-1/base.apk!libfoo.so' });
    expect(parseTombstoneFrame('#03 pc 0000000000004c20  [anon:dalvik-jit-code-cache]')?.frame).toMatchObject({ function: null, module: null });
    expect(signalKind('SIGSEGV', 'SEGV_MAPERR', '0x0')?.kind).toBe('null-deref');
    expect(signalKind('SIGSEGV', 'SEGV_MAPERR', '0x7ffd0000')?.kind).toBe('segv');
  });

  it('never throws on hostile input', () => {
    const junk = ['*** *** *** *** *** ***', 'pid: 1, tid: 2, name: ' + 'x'.repeat(1 << 20), '#00 pc ' + '0'.repeat(100000), 'backtrace:', '#00 pc 1 ((((((((', '\ufffd'];
    expect(() => findAndroid(doc(junk.join('\n')))).not.toThrow();
    expect(findAndroid(doc('just a log line\nsignal handler installed'))).toEqual([]);
  });

  it.runIf(existsSync(join(import.meta.dirname, '../../src/analyze.ts')))('end to end through analyze()', async () => {
    const { analyze } = await import('../../src/analyze.js' as string);
    for (const name of fixtures) {
      const truth = JSON.parse(load(name.replace(/\.txt$/, '.truth.json')));
      const a = analyze(load(name), { input: name });
      expect(a.error, name).toBeUndefined();
      expect(a.format, name).toBe('android');
      expect(a.kind, name).toBe(truth.kind);
      expect(a.crashFrame?.function, name).toBe(truth.function);
      expect(a.crashingThread?.id, name).toBe(truth.thread);
    }
  });
});

// ClusterFuzz's Android logs (symbolized tombstones in logcat), read at run time from the shared peer suites.
const CF = join(import.meta.dirname, '../../../shared/peer-suites/clusterfuzz');
describe.runIf(existsSync(join(CF, 'manifest.json')))('ClusterFuzz Android tombstones (peer data, read at run time)', () => {
  const manifest = JSON.parse(readFileSync(join(CF, 'manifest.json'), 'utf8')) as Array<{ file: string; expected: Record<string, unknown> }>;
  // Cases whose first crash_state line is a plain function of the tombstone's stack.
  for (const file of ['ignore_libc_if_symbolized.txt', 'unknown_crash_and_timeout.txt']) {
    it(file, () => {
      const entry = manifest.find((e) => e.file.endsWith('/' + file))!;
      const reports = findAndroid(doc(readFileSync(join(CF, entry.file), 'utf8')));
      expect(reports).toHaveLength(1);
      const t = crashed(reports[0])!;
      expect(crashFrame(t.frames)?.function).toBe(String(entry.expected.crash_state).split('\n')[0]);
    });
  }
});

describe('android: next steps from the module-relative pc', () => {
  const steps = (name: string) => (analyze(load(name)) as Analysis).nextSteps.map((s) => s.command ?? '');
  it("an app's library: ndk-stack and llvm-addr2line on the NDK's unstripped copy", () => {
    const a = analyze(load('gwp-asan-uaf.txt')) as Analysis;
    expect(a.crashFrame).toMatchObject({ module: expect.stringContaining('libmailcore.so'), moduleOffset: '0x000000000008a114' });
    expect(steps('gwp-asan-uaf.txt')).toEqual(expect.arrayContaining(['ndk-stack -sym obj/local/arm64-v8a -i tombstone.txt', 'llvm-addr2line -f -C -i -e obj/local/arm64-v8a/libmailcore.so 0x000000000008a114']));
  });
  it("a platform binary: the product's symbols", () => {
    expect(steps('abort-assert.txt')).toEqual(expect.arrayContaining(['ndk-stack -sym $ANDROID_PRODUCT_OUT/symbols -i tombstone.txt', 'llvm-addr2line -f -C -i -e $ANDROID_PRODUCT_OUT/symbols/system/bin/tidepoold 0x0000000000012a40']));
  });
});
