import { describe, expect, it } from 'vitest';
import { analyze, isError } from '../../src/analyze.js';
import type { Analysis } from '../../src/model.js';
import { emptyReport, newFrame } from '../../src/model.js';
import { detect } from '../../src/detect.js';
import type { FormatModule } from '../../src/formats/format.js';

// One crash printed twice: the program's own report, then at once the sanitizer's deadly
// signal. The analysis must name the cause the first printout gives, not a bare TRAP/ABRT.

const V8_FATAL = [
  '#',
  '# Fatal error in ../../src/base/tiny-list.h, line 88',
  '# Fatal process out of memory: base::TinyList::Grow',
  '#',
  '#FailureMessage Object: 0xedd6f820',
  '==== C stack trace ===============================',
  '    /opt/builds/d8(v8::base::debug::StackTrace::StackTrace()+0x1e) [0x5670fa1e]',
  '    /opt/builds/libv8_libbase.so(V8_Fatal(char const*, int, char const*, ...)+0x2a7) [0xf05e27b7]',
  '    /opt/builds/libv8.so(v8::base::TinyList<int>::Grow(unsigned int)+0x99) [0xf54aeb59]',
  '    /opt/builds/libv8.so(v8::internal::Lantern::Compile()+0x3d) [0xf54ae92d]',
  '    /opt/builds/d8(main+0x20) [0x5670fb20]',
  '    /lib/i386-linux-gnu/libc.so.6(__libc_start_main+0xf7) [0xef032637]',
];

const ASAN_TRAP = [
  'AddressSanitizer:DEADLYSIGNAL',
  '=================================================================',
  '==4242==ERROR: AddressSanitizer: TRAP on unknown address 0x00000000 (pc 0xf060e8f5 bp 0xff948ff8 sp 0xff948ff0 T0)',
  '    #0 0xf060e8f5 in v8::base::OS::Abort() src/base/platform/platform-posix.cc:502:5',
  '    #1 0xf05e27b7 in V8_Fatal(char const*, int, char const*, ...) src/base/logging.cc:167:3',
  '    #2 0xf54aeb59 in v8::base::TinyList<int>::Grow(unsigned int) src/base/tiny-list.h:88:7',
  '    #3 0xf54ae92d in v8::internal::Lantern::Compile() src/lantern/lantern.cc:41:3',
  '    #4 0x5670fb20 in main src/d8/d8.cc:12:3',
  '',
  'AddressSanitizer can not provide additional info.',
  'SUMMARY: AddressSanitizer: TRAP src/base/platform/platform-posix.cc:502:5 in v8::base::OS::Abort()',
  '==4242==ABORTING',
];

const PY_UNCAUGHT = [
  ' === Uncaught Python exception: ===',
  'Traceback (most recent call last):',
  '  File "/src/fuzz_parcel.py", line 14, in TestOneInput',
  '    parcel.unpack(data)',
  '  File "/src/parcel/reader.py", line 40, in unpack',
  '    return self._header(buf)',
  '  File "/src/parcel/reader.py", line 22, in _header',
  '    raise ValueError("short parcel header")',
  'ValueError: short parcel header',
  '',
];

const ASAN_ABRT = [
  'AddressSanitizer:DEADLYSIGNAL',
  '=================================================================',
  '==7311==ERROR: AddressSanitizer: ABRT on unknown address 0x1c8f00001c8f (pc 0x7f1e2c5a0849 bp 0x7ffc9776f1d0 sp 0x7ffc9776f1c8 T0)',
  '    #0 0x7f1e2c5a0849 in raise (/lib/x86_64-linux-gnu/libpthread.so.0+0xf849)',
  '    #1 0x5629075d5730 in LLVMFuzzerTestOneInput /src/harness/python_fuzzer.cc:111:5',
  '    #2 0x562907ad7a56 in fuzzer::Fuzzer::ExecuteCallback(unsigned char const*, unsigned long) /src/llvm/compiler-rt/lib/fuzzer/FuzzerLoop.cpp:611:15',
  '',
  'AddressSanitizer can not provide additional info.',
  'SUMMARY: AddressSanitizer: ABRT (/lib/x86_64-linux-gnu/libpthread.so.0+0xf849) in raise',
  '==7311==ABORTING',
];

function run(lines: string[]): Analysis {
  const a = analyze(lines.join('\n'));
  if (isError(a)) throw new Error(a.error.message);
  return a;
}

describe('detect: one crash printed twice', () => {
  it("a V8 fatal-error block before ASan's TRAP makes the analysed report an OOM with V8's message", () => {
    const a = run([...V8_FATAL, ...ASAN_TRAP]);
    expect(a.format).toBe('asan');
    expect(a.kind).toBe('oom');
    expect(a.message).toBe('Fatal process out of memory: base::TinyList::Grow');
    expect(a.crashFrame?.function).toBe('v8::base::TinyList<int>::Grow(unsigned int)');
  });

  it('the same TRAP alone stays a deliberate abort with no cause invented', () => {
    const a = run(ASAN_TRAP);
    expect(a.kind).not.toBe('oom');
    expect(a.message ?? '').not.toMatch(/out of memory/);
  });

  it('an uncaught Python exception followed at once by the harness abort is the crash', () => {
    const a = run([...PY_UNCAUGHT, ...ASAN_ABRT]);
    expect(a.format).toBe('python');
    expect(a.kind).toBe('uncaught-exception');
    expect(a.crashFrame?.function).toBe('_header');
    expect(a.reports?.length).toBe(2);
  });

  it('an abort far from an earlier exception is its own crash', () => {
    const gap = Array.from({ length: 30 }, (_, i) => `INFO worker: request ${i} served`);
    const a = run([...PY_UNCAUGHT, ...gap, ...ASAN_ABRT]);
    expect(a.format).toBe('asan');
  });

  it('--pick still chooses any report', () => {
    const a = analyze([...PY_UNCAUGHT, ...ASAN_ABRT].join('\n'), { pick: 2 }) as Analysis;
    expect(a.format).toBe('asan');
  });
});

describe('the report analysed when none is named', () => {
  // Reports of a stand-in format, one per line: `F` has frames, `c` is complete.
  const fake = (specs: string[]): FormatModule => ({
    id: 'fake',
    find: () =>
      specs.map((spec, line) => {
        const r = emptyReport('fake', line);
        r.complete = spec.includes('c');
        if (spec.includes('F')) r.threads.push({ id: '1', name: null, crashed: true, state: null, frames: [newFrame(0, `f${line}`)] });
        return r;
      }),
  });
  const cases: Array<[string[], number]> = [
    [['Fc', 'F', 'c'], 0], // the last complete report with frames, though later ones exist
    [['F', 'c', ''], 0], // none with frames is complete: the last with frames
    [['c', ''], 0], // none has frames: the last complete one
    [['', ''], 1], // nothing complete, no frames: the last one
    [['Fc', 'Fc', 'F', ''], 1],
  ];
  for (const [specs, want] of cases) {
    it(`${JSON.stringify(specs)} → report ${want + 1}`, () => {
      const doc = { lines: specs.map(() => 'x') };
      expect(detect(doc, [fake(specs)]).picked).toBe(want);
    });
  }
});
