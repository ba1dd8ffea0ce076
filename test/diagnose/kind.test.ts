/**
 * Kind rules that read the crashing stack and the report's origin: a sanitizer's deadly
 * trap is a crash (never a snapshot), a function that dies of memory exhaustion makes the
 * kind oom, and a debugger's SIGTRAP stays a snapshot.
 */
import { describe, expect, it } from 'vitest';
import { analyze, isError } from '../../src/analyze.js';
import type { Analysis } from '../../src/model.js';

function run(lines: string[]): Analysis {
  const a = analyze(lines.join('\n'), { context: false });
  if (isError(a)) throw new Error(a.error.message);
  return a;
}

describe('kind: sanitizer traps', () => {
  it('an AddressSanitizer TRAP after a fatal check is a deliberate crash, not a snapshot', () => {
    const a = run([
      '==1939064==ERROR: AddressSanitizer: TRAP on unknown address 0x00000000 (pc 0xf060e8f5 bp 0xff948ff8 sp 0xff948ff0 T0)',
      '    #0 0xf060e8f4 in v8::base::OS::Abort() src/base/platform/platform-posix.cc:502:5',
      '    #1 0xf05e27b7 in V8_Fatal(char const*, int, char const*, ...) src/base/logging.cc:167:3',
      '    #2 0xf54ae92e in v8::internal::Parser::Consume(int) src/parsing/parser.cc:88:3',
      '    #3 0xf54ae99e in v8::internal::Parser::ParseProgram() src/parsing/parser.cc:120:3',
      '',
      'SUMMARY: AddressSanitizer: TRAP src/base/platform/platform-posix.cc:502:5 in v8::base::OS::Abort()',
      '==1939064==ABORTING',
    ]);
    expect(a.kind).toBe('abort');
    expect(a.crashFrame?.function).toBe('v8::internal::Parser::Consume(int)');
  });

  it("gdb stopping at a SIGTRAP is still a snapshot", () => {
    const a = run([
      'Program received signal SIGTRAP, Trace/breakpoint trap.',
      '0x0000555555555151 in compute (n=3) at prog.c:5',
      '#0  0x0000555555555151 in compute (n=3) at prog.c:5',
      '#1  0x0000555555555180 in main () at prog.c:12',
    ]);
    expect(a.kind).toBe('snapshot');
  });
});

describe('kind: dying of memory exhaustion', () => {
  it("V8's FatalProcessOutOfMemory on the crashing stack makes the kind oom; the crash frame is the allocating code", () => {
    const a = run([
      '==3746==ERROR: AddressSanitizer: ABRT on unknown address 0x00000ea2 (pc 0xf7f0e509 bp 0xfff9e92c sp 0xfff9e910 T0)',
      '    #0 0xf7f0e509 in raise /build/glibc/sysdeps/unix/sysv/linux/raise.c:51:1',
      '    #1 0xf7f0e600 in abort /build/glibc/stdlib/abort.c:79:7',
      '    #2 0xf7eaed09 in v8::base::FatalOOM(v8::base::OOMType, char const*) src/base/logging.cc:98:3',
      '    #3 0xf08580c8 in v8::internal::V8::FatalProcessOutOfMemory(v8::internal::Isolate*, char const*, v8::OOMDetails const&) src/utils/utils.cc:40:3',
      '    #4 0xf0858100 in v8::internal::wasm::InstantiateModule(v8::internal::Isolate*) src/wasm/module-instantiate.cc:120:5',
      '',
      'SUMMARY: AddressSanitizer: ABRT /build/glibc/sysdeps/unix/sysv/linux/raise.c:51:1 in raise',
      '==3746==ABORTING',
    ]);
    expect(a.kind).toBe('oom');
    expect(a.crashFrame?.function).toBe('v8::internal::wasm::InstantiateModule(v8::internal::Isolate*)');
  });
});
