import { describe, expect, it } from 'vitest';
import { asan } from '../../src/formats/asan.js';
import { clean } from '../../src/ingest/clean.js';
import { parseSanitizerFrame } from '../../src/formats/sanitizer-frames.js';
import { newFrame } from '../../src/model.js';
import { TRUTH, base, casesFor, fixtureText, handwritten, parseWith } from '../fixtures/sanitizers/harness.js';
import { analyzeFixture, checkEndToEnd } from '../fixtures/sanitizers/harness.js';

describe('asan: fixtures from programs with planted bugs', () => {
  for (const name of casesFor('asan').filter((n) => !n.startsWith('asan-leak'))) {
    const truth = TRUTH[name];
    it(`${name}: kind, crash frame, access, stacks, message`, () => {
      const { report, crash } = parseWith(asan, fixtureText(name));
      expect(report.format).toBe('asan');
      expect(report.complete).toBe(true);
      expect(report.kind?.kind).toBe(truth.kind);
      expect(crash?.function?.startsWith(truth.function)).toBe(true);
      expect(base(crash?.file)).toBe(truth.file);
      if (truth.kind !== 'stack-overflow') expect(crash?.line).toBe(truth.line);
      if (truth.access) {
        expect(report.access?.type).toBe(truth.access.type);
        if (truth.access.size !== undefined && !report.signal) expect(report.access?.size).toBe(truth.access.size);
      }
      for (const role of truth.stacks) expect(report.stacks.map((s) => s.role)).toContain(role);
      expect(report.message).toMatch(/^AddressSanitizer: /);
      expect(report.title).toContain(`in ${truth.function}`);
      expect(report.crashingThreadId).toBe('0');
    });
  }

  it('keeps the freed and allocated stacks apart, each with its own top app frame', () => {
    const { report } = parseWith(asan, fixtureText('asan-heap-use-after-free-clang'));
    const freed = report.stacks.find((s) => s.role === 'freed')!;
    const alloc = report.stacks.find((s) => s.role === 'allocated')!;
    expect(freed.thread).toBe('0');
    expect(freed.frames.map((f) => f.function)).toContain('ticket_drop');
    expect(alloc.frames.map((f) => f.function)).toContain('ticket_new');
    expect(freed.frames[0].roleHint).toBe('crash-handling');
    expect(report.title).toBe('heap-use-after-free READ of size 4 in ticket_peek');
  });

  it('reads SEGV on unknown address as a NULL dereference with the fault address and access', () => {
    const { report } = parseWith(asan, fixtureText('asan-segv-null-clang'));
    expect(report.signal).toMatchObject({ name: 'SIGSEGV', number: 11, faultAddress: '0x000000000004' });
    expect(report.access?.type).toBe('write');
    expect(report.title).toBe('null-deref WRITE in rudder_set');
  });

  it('ignores the shadow-byte map and legend and ends the report at ABORTING', () => {
    const text = fixtureText('asan-heap-buffer-overflow-clang');
    const { report } = parseWith(asan, text + '\nunrelated log line after the report\n');
    const lines = text.split('\n');
    const abortLine = lines.findIndex((l) => l.includes('ABORTING'));
    expect(report.endLine).toBe(abortLine);
    const all = [report.threads[0].frames, ...report.stacks.map((s) => s.frames)].flat();
    expect(all.every((f) => !String(f.function).includes('redzone'))).toBe(true);
  });

  it('marks a report without SUMMARY as incomplete with a truncated fact', () => {
    const text = fixtureText('asan-heap-use-after-free-gcc').split('\n').slice(0, 8).join('\n');
    const { report } = parseWith(asan, text);
    expect(report.complete).toBe(false);
    expect(report.facts.some((f) => f.code === 'truncated')).toBe(true);
    expect(report.kind?.kind).toBe('use-after-free');
  });

  it('finds each report when a paste holds two', () => {
    const a = fixtureText('asan-double-free-clang');
    const b = fixtureText('asan-global-buffer-overflow-gcc');
    const { reports, report } = parseWith(asan, `${a}\nsome shell noise\n${b}`);
    expect(reports.map((r) => r.kind?.kind)).toEqual(['double-free', 'global-buffer-overflow']);
    expect(report.title).toContain('palette_lookup');
  });
});

describe('asan: hand-written reports (HWASan, shapes no tool here produces)', () => {
  for (const file of handwritten('asan-').concat(handwritten('hwasan-'))) {
    it(`${file}: parses with a kind, a crash frame and a message`, () => {
      const text = fixtureText(file);
      const expected = JSON.parse(/^# expect: (.*)$/m.exec(text)![1]);
      const { report, crash } = parseWith(asan, text);
      expect(report.kind?.kind).toBe(expected.kind);
      expect(crash?.function?.startsWith(expected.function)).toBe(true);
      if (expected.access) expect(report.access).toMatchObject(expected.access);
      if (expected.stacks) expect(report.stacks.map((s) => s.role)).toEqual(expected.stacks);
      expect(report.message).toBeTruthy();
      expect(report.complete).toBe(true);
    });
  }
});

describe('asan: hostile input', () => {
  it('does not throw on a 1 MB line, malformed frames or a bare headline', () => {
    const big = '    #0 0x' + 'a'.repeat(1 << 20);
    const text = `==1==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x1 at pc 0x2\n${big}\n    #1 0x zz in\n(\n`;
    expect(() => asan.find({ lines: text.split('\n') })).not.toThrow();
    expect(asan.find({ lines: ['==1==ERROR: AddressSanitizer: SEGV on unknown address'] })[0].complete).toBe(false);
  });
});

describe('asan: end to end through analyze()', () => {
  for (const name of casesFor('asan')) {
    it(`${name}: kind, crash frame (first app frame, not an interceptor), message, stacks`, () => {
      checkEndToEnd(name);
    });
  }

  it('a heap-use-after-free reads as the user expects: title, access, freed and allocated stacks', () => {
    const a = analyzeFixture('asan-heap-use-after-free-gcc');
    expect(a.title).toBe('heap-use-after-free READ of size 4 in ticket_peek');
    expect(a.access).toMatchObject({ type: 'read', size: 4 });
    expect(a.crashingThread?.id).toBe('0');
    expect(a.stacks.map((s) => s.role)).toEqual(['freed', 'allocated']);
    expect(a.message).toBe('AddressSanitizer: heap-use-after-free /home/dev/gadgets/use_after_free.c:19 in ticket_peek');
  });

  it('SEGV on a NULL-page address: null-deref with the fault address', () => {
    const a = analyzeFixture('asan-segv-null-gcc');
    expect(a.signal?.faultAddress).toBe('0x000000000004');
    expect(a.kind).toBe('null-deref');
  });
});

describe('asan: hand-written reports end to end', () => {
  for (const file of handwritten('asan-').concat(handwritten('hwasan-'))) {
    it(`${file}: analyze() picks the sanitizer report and its first app frame`, async () => {
      const { analyze, isError } = await import('../../src/analyze.js');
      const text = fixtureText(file);
      const expected = JSON.parse(/^# expect: (.*)$/m.exec(text)![1]);
      const a = analyze(text);
      if (isError(a)) throw new Error(a.error.message);
      expect(a.format).toBe('asan');
      expect(a.kind).toBe(expected.kind);
      expect(a.crashFrame?.function?.startsWith(expected.function)).toBe(true);
    });
  }
});

describe('asan: very long reports', () => {
  it('reads a 100,000-frame report, keeping the first 5,000 frames and saying it cut the rest', () => {
    const head = '==9==ERROR: AddressSanitizer: stack-overflow on address 0x7ffe00fe0fc0 (pc 0x1 bp 0x2 sp 0x3 T0)\n';
    const frames: string[] = [];
    for (let i = 0; i < 100000; i++) frames.push(`    #${i} 0x556a052d00bf in maze_walk /home/dev/gadgets/recursion.c:7:10`);
    const text = head + frames.join('\n') + '\nSUMMARY: AddressSanitizer: stack-overflow /home/dev/gadgets/recursion.c:4 in maze_walk\n==9==ABORTING\n';
    const [r] = asan.find({ lines: text.split('\n') });
    expect(r.kind?.kind).toBe('stack-overflow');
    expect(r.threads[0].frames.length).toBe(5000);
    expect(r.facts.some((f) => f.code === 'truncated')).toBe(true);
  });
});

describe('sanitizer frame lines, read by index', () => {
  const p = (l: string) => parseSanitizerFrame(l)?.frame ?? null;

  it('the usual shapes: location, module with BuildId, no symbol, TSan without pc', () => {
    expect(p('    #3 0x4f3c1a in queue_tail(std::vector<int> const&) /src/q.cpp:7:5')).toMatchObject({ index: 3, function: 'queue_tail(std::vector<int> const&)', address: '0x4f3c1a', file: '/src/q.cpp', line: 7, column: 5 });
    expect(p('    #4 0x563d6b9e8370 in _start (/tmp/b/ubsan-x+0x5370) (BuildId: 67a214640dfbbab9)')).toMatchObject({ function: '_start', address: '0x563d6b9e8370', module: '/tmp/b/ubsan-x' });
    const bare = p('    #2 0x55d1c2a1b2c4  (/path/bin+0x1234)')!;
    expect(bare.function).toBeNull();
    expect(bare.module).toBe('/path/bin');
    expect(p('    #0 counter_bump src/race.c:8:17 (bin+0xd0108) (BuildId: ab12)')).toMatchObject({ function: 'counter_bump', address: '0xd0108', module: 'bin', file: 'src/race.c', line: 8, column: 17 });
    expect(p('    #0 pthread_create <null> (bin+0x513ad)')).toMatchObject({ function: 'pthread_create', module: 'bin' });
  });

  it('names and locations that look like something else', () => {
    expect(p('    #1 0x7 in f C:\\src\\x.c:12')).toMatchObject({ function: 'f', file: 'C:\\src\\x.c', line: 12 });
    expect(p('    #1 0x7 in f a.c:1:2:3')).toMatchObject({ file: 'a.c:1', line: 2, column: 3 });
    expect(p('    #1 0x7 in f a.c:1234567890')?.file).toBeUndefined();
    expect(p('    #1 0x7 in memcpy-ssse3-back.S:1702')!.function).toBeNull();
    expect(p('    #1 0x7 in linux-gate.so.1')).toMatchObject({ function: null, module: 'linux-gate.so.1' });
    expect(p('    #1 0x7 in malloc _asan_rtl_')).toMatchObject({ function: 'malloc', module: '_asan_rtl_' });
    expect(p('    #1 0x7 in func+0x1a (/lib/libc.so.6+0x2724a)')).toMatchObject({ function: 'func', module: '/lib/libc.so.6' });
    expect(p('    #1.2 0x7 in inl x.c:3')).toMatchObject({ inlined: true, index: 1, function: 'inl' });
    expect(p('    #1 0x7 (<unknown module>)')).toMatchObject({ function: null, address: '0x7' });
    expect(p('    #1 0xZZ in f x.c:3')).toBeNull();
    expect(p('  x #1 0x7 in f x.c:3')).toBeNull();
    expect(p('    #1 0x7 in ' + 'a '.repeat(200) + 'x.c:3')).toMatchObject({ function: ('a '.repeat(200)).trim(), file: 'x.c', line: 3 });
  });

  it('frames keep newFrame\'s keys, in its order, then address, module, file, line, column', () => {
    const base = Object.keys(newFrame(0, 'f'));
    expect(Object.keys(p('    #0 0x1 in f x.c:1:2')!)).toEqual([...base, 'address', 'file', 'line', 'column']);
    expect(Object.keys(p('    #0 0x1 in f (m+0x1)')!)).toEqual([...base, 'address', 'module']);
    expect(Object.keys(p('    #0 f x.c:1:2 (m+0x1)')!)).toEqual([...base, 'address', 'module', 'file', 'line', 'column']);
    expect(Object.keys(p('    #0 0x1')!)).toEqual([...base, 'address']);
  });
});

describe('asan: stack numbering', () => {
  const head = ['==77==ERROR: AddressSanitizer: ABRT on unknown address 0x00000000004d (pc 0x7f0000000417 bp 0x1 sp 0x2 T0)'];
  const tail = ['', 'AddressSanitizer can not provide additional info.', 'SUMMARY: AddressSanitizer: ABRT (/lib/x86_64-linux-gnu/libc.so.6+0x35417) in gsignal', '==77==ABORTING'];
  it('reads on through a frame whose number the symbolizer garbled (#0 #1 #0 #3 …)', () => {
    const frames = [
      '    #0 0x7f0000000417 in gsignal (/lib/x86_64-linux-gnu/libc.so.6+0x35417)',
      '    #1 0x7f0000002019 in abort (/lib/x86_64-linux-gnu/libc.so.6+0x37019)',
      '    #0 0x7f0000000bd6 in libc.so.6',
      '    #3 0x7f0000000c81 in __assert_fail (/lib/x86_64-linux-gnu/libc.so.6+0x2dc81)',
      '    #4 0x550d27 in ledger_merge /src/ledger/merge.c:86:5',
      '    #5 0x5490c1 in ledger_apply /src/ledger/apply.c:97:19',
    ];
    const [r] = asan.find({ lines: [...head, ...frames, ...tail] });
    expect(r.threads[0].frames.map((f) => f.function)).toEqual(['gsignal', 'abort', null, '__assert_fail', 'ledger_merge', 'ledger_apply']);
  });
  it('still starts a new stack at a #0 the numbering does not go on after', () => {
    const frames = ['    #0 0x1 in first_a /src/a.c:1:1', '    #1 0x2 in first_b /src/a.c:2:1', '    #0 0x3 in second_a /src/b.c:1:1', '    #1 0x4 in second_b /src/b.c:2:1'];
    const [r] = asan.find({ lines: [...head, ...frames, ...tail] });
    expect(r.threads[0].frames.map((f) => f.function)).toEqual(['first_a', 'first_b']);
  });
});

describe('asan: hostile class names', () => {
  it('takes no signal from a class that only names an inherited property (`constructor`)', () => {
    const text = [
      '==7==ERROR: AddressSanitizer: constructor on unknown address 0x000000000000 (pc 0x55d1c2a1b2c4 bp 0x7ffd1 sp 0x7ffd0 T0)',
      '    #0 0x55d1c2a1b2c4 in cart_total /src/cart.c:19:5',
      '    #1 0x55d1c2a1b300 in main /src/main.c:12:3',
      'SUMMARY: AddressSanitizer: constructor /src/cart.c:19:5 in cart_total',
      '==7==ABORTING',
    ].join('\n');
    const r = parseWith(asan, text).report;
    expect(r.signal).toBeNull();
    expect(r.threads[0].frames[0].function).toBe('cart_total');
  });

  it('reads a pc only of hex digits', () => {
    expect(parseSanitizerFrame('    #0 0x55d1c2a1b2c4 in cart_total /src/cart.c:19:5')?.frame.address).toBe('0x55d1c2a1b2c4');
    expect(parseSanitizerFrame('    #0 0x55d1\x10\x19 in cart_total /src/cart.c:19:5')?.frame.address ?? null).not.toBe('0x55d1\x10\x19');
  });
  it('lines that end inside or right after the number are no frames (read without going past the end)', () => {
    for (const l of ['    #12', '  #1.', '  #1.2', '#3', '    #7   ', '  #1.2   ']) expect(parseSanitizerFrame(l)).toBeNull();
    // The same numbers with something after them are frames.
    const p = (l: string) => parseSanitizerFrame(l)?.frame ?? null;
    expect(p('  #1.2 0x4f3c1a in f a.c:1')).toMatchObject({ function: 'f', inlined: true, file: 'a.c', line: 1 });
    expect(p('    #7   0x4f3c1a in g')).toMatchObject({ index: 7, function: 'g', address: '0x4f3c1a' });
  });

  it('the start of a frame line: up to 12 blanks, 1-7 digits, a pc of 1-16 hex digits ending at a space or the end', () => {
    const p = (l: string) => parseSanitizerFrame(l)?.frame ?? null;
    expect(p(' '.repeat(12) + '#1 0x1 in f')).toMatchObject({ index: 1, function: 'f', address: '0x1' });
    expect(p(' '.repeat(13) + '#1 0x1 in f')).toBeNull();
    expect(p('\t #2 0x1 in f')).toMatchObject({ index: 2, function: 'f' });
    expect(p('  #1234567 0x1 in f')).toMatchObject({ index: 1234567 });
    expect(p('  #12345678 0x1 in f')).toBeNull();
    expect(p('  #0 0x0123456789abcdef in f')).toMatchObject({ address: '0x0123456789abcdef', function: 'f' });
    expect(p('  #0 0x0123456789abcdef0 in f')).toBeNull();
    expect(p('  #0 0xABCdef')).toMatchObject({ address: '0xABCdef', function: null });
    // No pc (a `0x` that is no pc is a name): read as TSan's frames without one.
    expect(p('  #0 0x12: f')).toBeNull();
    expect(p('  #0 f a.c:3')).toMatchObject({ function: 'f', file: 'a.c', line: 3 });
  });
});

describe('asan: the lines after SUMMARY', () => {
  const head = ['=================================================================', '==9==ERROR: AddressSanitizer: heap-use-after-free on address 0x602000000010 at pc 0x1 bp 0x2 sp 0x3', 'READ of size 4 at 0x602000000010 thread T0', '    #0 0x4f3c1a in f a.c:1:2', '', 'SUMMARY: AddressSanitizer: heap-use-after-free a.c:1:2 in f', 'Shadow bytes around the buggy address:', '  0x0c047fff7fb0: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00', '=>0x0c047fff8000: fa fa[fd]fa fa fa fa fa fa fa fa fa fa fa fa fa', 'Shadow byte legend (one shadow byte represents 8 application bytes):', '  Addressable:           00', '  Freed heap region:       fd'];
  const second = '==9==ERROR: AddressSanitizer: SEGV on unknown address 0x000000000000 (pc 0x1 bp 0x2 sp 0x3 T0)';
  const reports = (tail: string[]) => asan.find(clean([...head, ...tail, 'plain', 'text', 'here'].join('\n')));

  it('shadow rows and the legend belong to the report, up to an indented ABORTING', () => {
    const [r] = reports(['  ABORTING', '  0x0c047fff8010: fa']);
    expect(r.endLine).toBe(head.length);
    expect(r.complete).toBe(true);
    const [r2] = reports(['  Global redzone:        f9']);
    expect(r2.endLine).toBe(head.length);
  });

  it('an indented headline (after spaces, or spaces and a tab) ends it and starts the next', () => {
    for (const lead of ['  ', '  \t']) {
      const rs = reports([lead + second.slice(5), '    #0 0x4f3c1b in g b.c:3:4']);
      expect(rs).toHaveLength(2);
      expect(rs[0].endLine).toBe(head.length - 1);
      expect(rs[1].startLine).toBe(head.length);
    }
  });
});
