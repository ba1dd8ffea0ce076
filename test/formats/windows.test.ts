import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { findWindows, exceptionByName, exceptionKind, exceptionByCode, parseCallSite } from '../../src/formats/windows.js';
import { crashed, crashFrame, doc, fixtures as fixtureDir } from '../helpers/hand-written.js';
import { candidateLines, clean } from '../../src/ingest/clean.js';
import '../../src/detect.js'; // registers every format's triggers with clean(), as a run does

const { dir: DIR } = fixtureDir('windows');

const fixtures = readdirSync(DIR).filter((f) => f.endsWith('.txt'));

describe('windows fixtures against their truth', () => {
  it('has several fixtures', () => expect(fixtures.length).toBeGreaterThanOrEqual(4));
  for (const name of fixtures) {
    it(name, () => {
      const truth = JSON.parse(readFileSync(join(DIR, name.replace(/\.txt$/, '.truth.json')), 'utf8'));
      const reports = findWindows(doc(readFileSync(join(DIR, name), 'utf8')));
      expect(reports.length).toBe(1);
      const r = reports[0];
      expect(r.format).toBe('windows');
      expect(r.kind?.kind).toBe(truth.kind);
      expect(r.crashingThreadId).toBe(truth.thread);
      const t = crashed(r)!;
      expect(t).not.toBeNull();
      if (truth.threadName) expect(t.name).toBe(truth.threadName);
      const cf = crashFrame(t.frames)!;
      expect(cf.function).toBe(truth.function);
      if (truth.file) expect(cf.file).toBe(truth.file);
      if (truth.line) expect(cf.line).toBe(truth.line);
      if (truth.access) expect(r.access?.type).toBe(truth.access);
      if (truth.address) expect(r.access?.address).toBe(truth.address);
      t.frames.forEach((f, k) => expect(f.index).toBe(k));
    });
  }
});

describe('windows details', () => {
  it('reads !analyze: signal, message, the whole STACK_TEXT with inline frames', () => {
    const [r] = findWindows(doc(readFileSync(join(DIR, 'analyze-null-read.txt'), 'utf8')));
    expect(r.signal).toEqual({ name: 'EXCEPTION_ACCESS_VIOLATION', code: 'c0000005', faultAddress: '0x0000000000000008' });
    expect(r.message).toBe('Access violation reading location 0x0000000000000008');
    const t = crashed(r)!;
    expect(t.frames.map((f) => f.function)).toEqual([
      'TileGrid::cellAt', 'Renderer::drawLayer', 'main', 'invoke_main', '__scrt_common_main_seh',
      'BaseThreadInitThunk', 'RtlUserThreadStart',
    ]);
    expect(t.frames[3].inlined).toBe(true);
    expect(t.frames[0].module).toBe('tilecraft');
    expect(t.frames[0].roleHint).toBe('app');
    expect(r.complete).toBe(true);
  });

  it('~*k: every thread, the # marker picks the crashed one, names and OS ids kept', () => {
    const [r] = findWindows(doc(readFileSync(join(DIR, 'tilde-k-stack-overflow.txt'), 'utf8')));
    expect(r.threads.map((t) => t.id)).toEqual(['0', '1', '2']);
    expect(r.threads[2].lwp).toBe('2f4c');
    expect(r.threads[0].frames[2]).toMatchObject({ function: 'App::run', file: 'C:\\work\\quillpad\\src\\app.cpp', line: 88 });
    expect(r.threads[2].frames).toHaveLength(11);
    expect(r.threads[2].frames[8].function).toBe('thread_start<unsigned int (__cdecl*)(void *),1>');
  });

  it('fail fast subcode refines c0000409', () => {
    const [r] = findWindows(doc(readFileSync(join(DIR, 'analyze-gs-x86.txt'), 'utf8')));
    expect(r.kind?.reason).toContain('FAST_FAIL_STACK_COOKIE_CHECK_FAILURE');
    expect(r.message).toContain('FAST_FAIL_STACK_COOKIE_CHECK_FAILURE');
    const abortLike = findWindows(doc(readFileSync(join(DIR, 'analyze-gs-x86.txt'), 'utf8').replace(/Parameter\[0\]: 00000002/, 'Parameter[0]: 00000007').replace(/EXCEPTION_PARAMETER1:  00000002/, 'EXCEPTION_PARAMETER1:  00000007').replace(/Subcode: .*/, 'Subcode: 0x7 FAST_FAIL_FATAL_APP_EXIT')));
    expect(abortLike[0].kind?.kind).toBe('abort');
    // Without the parameters, the bucket still names the sub-code.
    const bucketOnly = findWindows(doc([
      '*                        Exception Analysis                                   *',
      'EXCEPTION_CODE_STR:  c0000409',
      'FAILURE_BUCKET_ID:  FAIL_FAST_FATAL_APP_EXIT_c0000409_ucrtbase.dll!abort',
      'STACK_TEXT:',
      '0019fa28 00401d6b ucrtbase!abort+0x4e',
      '0019fa40 00401e00 brickc!Main::run+0x10',
      '',
    ].join('\n')));
    expect(bucketOnly[0].kind?.kind).toBe('abort');
  });

  it('Visual Studio: kp-style args, Line numbers, [External Code] noted', () => {
    const [r] = findWindows(doc(readFileSync(join(DIR, 'vs-write-av.txt'), 'utf8')));
    const t = crashed(r)!;
    expect(t.frames[0]).toMatchObject({ module: 'ledgerly.exe', function: 'Journal::append', args: 'const Entry & e', line: 214 });
    expect(t.frames).toHaveLength(3);
    expect(r.facts.some((f) => f.text.includes('External Code'))).toBe(true);
  });

  it('the CRT Debug Assertion Failed! dialog gives the assertion and the headline', () => {
    const [r] = findWindows(doc(readFileSync(join(DIR, 'vs-debug-assert.txt'), 'utf8')));
    expect(r.assertion).toEqual({
      expression: 'vector subscript out of range', line: 1886, function: null,
      file: 'C:\\Program Files\\Microsoft Visual Studio\\2022\\Community\\VC\\Tools\\MSVC\\14.38.33130\\include\\vector',
    });
    expect(r.message).toBe('Debug Assertion Failed: vector subscript out of range');
    expect(crashed(r)!.frames[2].roleHint).toBe('library');
  });

  it("Visual Studio's exception dialog: read access violation, **p** was nullptr", () => {
    const text = [
      'Exception thrown: read access violation.',
      '**node** was nullptr.',
      '',
      '>\tfernhill.exe!Tree::depth(const Node * node) Line 27\tC++',
      ' \tfernhill.exe!main() Line 8\tC++',
    ].join('\n');
    const [r] = findWindows(doc(text));
    expect(r.kind?.kind).toBe('null-deref');
    expect(r.access).toEqual({ type: 'read', address: '0x0' });
    expect(r.message).toBe('Read access violation: node was nullptr');
    expect(crashed(r)!.frames[0].function).toBe('Tree::depth');
  });

  it('VS with spaces instead of tabs, unsymbolized frames', () => {
    const text = [
      "Unhandled exception at 0x00007FF6B2C41A7C in pinwheel.exe: 0xC0000094: Integer division by zero.",
      '>  pinwheel.exe!Stats::mean(const std::vector<int> & v) Line 17    C++',
      '   pinwheel.exe!main() Line 9    C++',
      '   kernel32.dll!00007ffa1c2b7344()    Unknown',
    ].join('\n');
    const [r] = findWindows(doc(text));
    expect(r.kind?.kind).toBe('fpe');
    const t = crashed(r)!;
    expect(t.frames.map((f) => f.function)).toEqual(['Stats::mean', 'main', null]);
    expect(t.frames[2].address).toBe('0x00007ffa1c2b7344');
  });

  it('a first-chance break-in with no exception analysis is a snapshot', () => {
    const text = [
      '(1a2c.1b00): Break instruction exception - code 80000003 (first chance)',
      'ntdll!DbgBreakPoint:',
      '0:005> k',
      ' # Child-SP          RetAddr               Call Site',
      '00 0000003a`7f9ffb58 00007ffa`1e55a1ce     ntdll!DbgBreakPoint',
      '01 0000003a`7f9ffb60 00007ffa`1c2b7344     ntdll!DbgUiRemoteBreakin+0x4e',
      '02 0000003a`7f9ffb90 00007ffa`1e4a26b1     kernel32!BaseThreadInitThunk+0x14',
    ].join('\n');
    const [r] = findWindows(doc(text));
    expect(r.kind?.kind).toBe('snapshot');
    expect(r.threads[0].id).toBe('5');
  });

  it('a kernel-mode !analyze (bugcheck) with a NULL read is a null-deref in the driver', () => {
    const text = [
      '*******************************************************************************',
      '*                        Bugcheck Analysis                                    *',
      '*******************************************************************************',
      '',
      'DRIVER_IRQL_NOT_LESS_OR_EQUAL (d1)',
      'BUGCHECK_CODE:  d1',
      'BUGCHECK_P1: 0',
      'READ_ADDRESS:  0000000000000000',
      'PROCESS_NAME:  System',
      'STACK_TEXT:  ',
      'fffff806`1a2b3c48 fffff806`1c6f2a69     : 00000000`0000000a 00000000`00000000 : nt!KeBugCheckEx',
      'fffff806`1a2b3c50 fffff806`1c6ee3a0     : 00000000`00000000 00000000`00000000 : nt!KiBugCheckDispatch+0x69',
      'fffff806`1a2b3d90 fffff806`3e1f1234     : 00000000`00000000 00000000`00000000 : nt!KiPageFault+0x460',
      'fffff806`1a2b3f20 fffff806`3e1f2000     : 00000000`00000000 00000000`00000000 : pebblenet!RxRing::Drain+0x34 [c:\drv\pebblenet\ring.c @ 88]',
      '',
    ].join('\n');
    const [r] = findWindows(doc(text));
    expect(r.kind?.kind).toBe('null-deref');
    expect(r.access).toEqual({ type: 'read', address: '0x0000000000000000' });
    expect(crashed(r)!.frames[3]).toMatchObject({ module: 'pebblenet', function: 'RxRing::Drain', line: 88 });
  });

  it('after an exception event without a new prompt, the stack belongs to the event thread', () => {
    const text = [
      '0:011> g',
      '(ec4.f40): Access violation - code c0000005 (!!! second chance !!!)',
      'ChildEBP RetAddr',
      '0a1bfe10 6d2c4a11 lanternjs!Value::tag+0x4',
      '0a1bfe30 6d2c5b02 lanternjs!Interp::step+0x91',
    ].join('\n');
    const [r] = findWindows(doc(text));
    expect(r.crashingThreadId).toBe('f40');
    expect(crashed(r)!.frames.map((f) => f.function)).toEqual(['Value::tag', 'Interp::step']);
  });

  it("Event Viewer's Application Error: code, faulting module and offset", () => {
    const text = [
      'Faulting application name: inkpot.exe, version: 2.3.0.0, time stamp: 0x65a1b2c3',
      'Faulting module name: ntdll.dll, version: 10.0.19041.3636, time stamp: 0x1b2c3d4e',
      'Exception code: 0xc0000374',
      'Fault offset: 0x00000000000ff6b9',
      'Faulting process id: 0x2b4c',
      'Faulting application path: C:\\Program Files\\Inkpot\\inkpot.exe',
      'Faulting module path: C:\\Windows\\SYSTEM32\\ntdll.dll',
    ].join('\n');
    const [r] = findWindows(doc(text));
    expect(r.kind?.kind).toBe('heap-corruption');
    expect(r.crashingThreadId).toBe('wer');
    expect(r.message).toBe('Heap corruption in ntdll.dll at offset 0x00000000000ff6b9');
    expect(crashed(r)!.frames[0]).toMatchObject({ module: 'ntdll.dll', address: '0x00000000000ff6b9', function: null, roleHint: 'library' });
  });

  it('kc (call sites only) and kb (three argument columns)', () => {
    const kc = ['0:000> kc', ' # Call Site', '00 ntdll!NtWaitForSingleObject', '01 KERNELBASE!WaitForSingleObjectEx', '02 mossgate!Pool::join', '03 mossgate!main'].join('\n');
    const [a] = findWindows(doc(kc));
    expect(a.threads[0].frames.map((f) => f.function)).toEqual(['NtWaitForSingleObject', 'WaitForSingleObjectEx', 'Pool::join', 'main']);
    const kb = ['0:000> kb', 'ChildEBP RetAddr  Args to Child', '0019fa28 00401d6b 0019fcd8 00000041 00000000 mossgate!Pool::join+0x1d [c:\\m\\pool.c @ 9]'].join('\n');
    const [b] = findWindows(doc(kb));
    expect(b.threads[0].frames[0]).toMatchObject({ function: 'Pool::join', file: 'c:\\m\\pool.c', line: 9 });
  });

  it('module+offset call sites and kv decorations', () => {
    expect(parseCallSite('tilecraft+0x1a2b', 0)).toMatchObject({ function: null, module: 'tilecraft' });
    expect(parseCallSite('app!Foo::operator()+0x10', 0)).toMatchObject({ function: 'Foo::operator()' });
    expect(parseCallSite('app!Foo::bar(int x = 0n5)+0x1e [c:\\s\\f.cpp @ 12] (CONV: cdecl)', 0))
      .toMatchObject({ function: 'Foo::bar', args: 'int x = 0n5', file: 'c:\\s\\f.cpp', line: 12 });
  });

  it('exception table: names and codes agree; NULL-page access violations are null-deref', () => {
    expect(exceptionByName('EXCEPTION_ACCESS_VIOLATION_WRITE')?.code).toBe('c0000005');
    expect(exceptionByName('0xC00000FD')?.kind).toBe('stack-overflow');
    const av = exceptionByCode('c0000005')!;
    expect(exceptionKind(av, '0x10', null).kind).toBe('null-deref');
    expect(exceptionKind(av, '0x7ff612340000', null).kind).toBe('segv');
    expect(exceptionByCode('c0000374')?.kind).toBe('heap-corruption');
    expect(exceptionByCode('e06d7363')?.kind).toBe('uncaught-exception');
  });

  it('never throws on hostile input, and reads a long paste whole', () => {
    const junk = ['00 ' + '0'.repeat(1 << 20), '!'.repeat(100000), '(Inline Function) '.repeat(5000), '>\t.exe!'.repeat(10000), '\u0000\ufffd'];
    expect(() => findWindows(doc(junk.join('\n')))).not.toThrow();
    // Lines shaped to make a backtracking pattern explode: long space runs, key lines, no end.
    const nasty = ['0:000> !analyze -v', '*                        Exception Analysis                                   *'];
    for (let k = 0; k < 200; k++) nasty.push('a.exe!f' + ' '.repeat(7000) + '$$', 'EXCEPTION_CODE:' + ' '.repeat(39) + 'x'.repeat(7900), '00 ' + '0000001d`9fcff5a8 '.repeat(400));
    expect(() => findWindows(doc(nasty.join('\n')))).not.toThrow();
    const big = readFileSync(join(DIR, 'tilde-k-stack-overflow.txt'), 'utf8').repeat(300);
    expect(findWindows(doc(big)).length).toBe(findWindows(doc(readFileSync(join(DIR, 'tilde-k-stack-overflow.txt'), 'utf8'))).length * 300);
  });

  it('in a kernel log full of `<TASK>` and `<4>`, still opens on a WinDbg prompt', () => {
    // Through clean(): a prompt end (`K>`) on a line that does not start with a digit is
    // passed over unread; the digit-led prompt line opens the session.
    const noise = Array.from({ length: 3000 }, (_, k) => (k % 2 ? ' <TASK>' : '<4>[ 12.5] pier_scan+0x12/0x40') + ` berth worker ${k} scanned the north moorings and the tide gauge`);
    const session = readFileSync(join(DIR, 'kn-cpp-exception.txt'), 'utf8').split('\n').slice(3);
    expect(session[0]).toBe('0:000> kn');
    const text = [...noise, ...session, ...noise].join('\n');
    const d = clean(text);
    expect(candidateLines(d, ['K>'])).not.toBeNull();
    const r = findWindows(d);
    expect(r.map((x) => x.startLine)).toEqual([3000]);
    expect(crashFrame(r[0].threads[0].frames)?.function).toBe('Settings::requireKey');
  });

  it('plain logs give no report', () => {
    expect(findWindows(doc('hello world\nnothing to see: here\n0x1234 is a number'))).toEqual([]);
  });

  it.runIf(existsSync(join(import.meta.dirname, '../../src/analyze.ts')))('end to end through analyze()', async () => {
    const { analyze } = await import('../../src/analyze.js' as string);
    for (const name of fixtures) {
      const truth = JSON.parse(readFileSync(join(DIR, name.replace(/\.txt$/, '.truth.json')), 'utf8'));
      const a = analyze(readFileSync(join(DIR, name), 'utf8'), { input: name });
      expect(a.error, name).toBeUndefined();
      expect(a.format, name).toBe('windows');
      expect(a.kind, name).toBe(truth.kind);
      expect(a.crashFrame?.function, name).toBe(truth.function);
      expect(a.crashingThread?.id, name).toBe(truth.thread);
    }
  });
});

// ClusterFuzz's cdb (console WinDbg) logs, read at run time from the shared peer suites.
const CF = join(import.meta.dirname, '../../../shared/peer-suites/clusterfuzz');
describe.runIf(existsSync(join(CF, 'manifest.json')))('ClusterFuzz cdb logs (peer data, read at run time)', () => {
  const manifest = JSON.parse(readFileSync(join(CF, 'manifest.json'), 'utf8')) as Array<{ file: string; expected: Record<string, unknown> }>;
  const kinds: Record<string, string> = {
    'cdb_divide_by_zero.txt': 'fpe', 'cdb_integer_overflow.txt': 'fpe', 'cdb_read.txt': 'null-deref',
    'cdb_read_x64.txt': 'null-deref', 'cdb_stack_overflow.txt': 'stack-overflow', 'cdb_other.txt': 'heap-corruption',
  };
  for (const [file, kind] of Object.entries(kinds)) {
    it(file, () => {
      const entry = manifest.find((e) => e.file.endsWith('/' + file))!;
      const reports = findWindows(doc(readFileSync(join(CF, entry.file), 'utf8')));
      expect(reports).toHaveLength(1);
      expect(reports[0].kind?.kind).toBe(kind);
      const t = crashed(reports[0])!;
      const first = String(entry.expected.crash_state).split('\n')[0];
      // Agreement on the crash frame where the peer's state is a plain function of the stack.
      if (file !== 'cdb_other.txt' && file !== 'cdb_stack_overflow.txt') expect(crashFrame(t.frames)?.function).toBe(first);
    });
  }
});
