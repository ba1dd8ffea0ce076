import { describe, expect, it } from 'vitest';
import { scanMessages } from '../../src/formats/messages.js';
import { analyze, isError } from '../../src/analyze.js';

const one = (line: string, more: string[] = []) => scanMessages([line, ...more])[0];

describe('messages programs print as they die', () => {
  it('reads a glibc assertion line into expression, file, line and function', () => {
    const h = one("qemu-system-x86_64: ../system/memory.c:1109: memory_region_transaction_commit: Assertion `qemu_mutex_iothread_locked()' failed.");
    expect(h.assertion).toEqual({ expression: 'qemu_mutex_iothread_locked()', file: '../system/memory.c', line: 1109, function: 'memory_region_transaction_commit' });
    expect(h.kind).toBe('assertion');
  });

  it('reads BSD/musl and GLib assertions', () => {
    expect(one('Assertion failed: (n > 0), function pool_take, file pool.c, line 42.').assertion).toMatchObject({ expression: 'n > 0', function: 'pool_take', line: 42 });
    expect(one('**', []) ?? null).toBeNull();
    expect(one('ERROR:../hw/scsi/scsi-bus.c:1234:scsi_req_unref: assertion failed: (req->refcount > 0)').assertion).toMatchObject({
      expression: 'req->refcount > 0',
      file: '../hw/scsi/scsi-bus.c',
      line: 1234,
      function: 'scsi_req_unref',
    });
  });

  it('reads glibc heap and fortify messages', () => {
    expect(one('free(): double free detected in tcache 2').kind).toBe('double-free');
    expect(one('malloc(): corrupted top size').kind).toBe('heap-corruption');
    expect(one("*** Error in `./prog': double free or corruption (fasttop): 0x0000000001e2b010 ***").kind).toBe('double-free');
    expect(one('*** stack smashing detected ***: terminated').kind).toBe('stack-smashing');
    expect(one('*** buffer overflow detected ***: terminated').kind).toBe('stack-buffer-overflow');
  });

  it('reads terminate with what() and pure virtual calls', () => {
    const h = one("terminate called after throwing an instance of 'std::out_of_range'", ['  what():  vector::_M_range_check: __n (which is 7) >= this->size() (which is 3)']);
    expect(h.exception).toEqual({ type: 'std::out_of_range', message: 'vector::_M_range_check: __n (which is 7) >= this->size() (which is 3)' });
    expect(one('pure virtual method called').fact).toBe('pure-virtual');
  });

  it("reads V8's fatal error block: a failed CHECK or UNREACHABLE() is an assertion, running out of memory an OOM", () => {
    const check = one('# Fatal error in ../../src/compiler/verifier.cc, line 394', ['# Check failed: a == b (2 vs. 3).']);
    expect(check.kind).toBe('assertion');
    expect(check.assertion).toEqual({ expression: 'a == b (2 vs. 3)', file: '../../src/compiler/verifier.cc', line: 394, function: null });
    expect(one('# Fatal error in ../../src/flags/flags.cc, line 624', ['# unreachable code']).assertion).toMatchObject({ expression: 'unreachable code', line: 624 });
    expect(one('# Fatal error in ../../src/d8/d8.cc, line 3943', ['# Fake error.']).kind).toBe('abort');
    const oom = scanMessages(['# Fatal error in ../../src/base/small-vector.h, line 162', '# Fatal process out of memory: base::SmallVector::Grow']);
    expect(oom.map((h) => h.kind)).toEqual(['oom']);
    expect(oom[0].message).toBe('Fatal process out of memory: base::SmallVector::Grow');
    expect(one('<--- Last few GCs ---> Fatal JavaScript out of memory: Reached heap limit').kind).toBe('oom');
  });

  it('reads Chromium and glog CHECK failures as assertions with file and line', () => {
    expect(one('[0922/115903:FATAL:font_list.cc(299)] Check failed: space_width_ > 0 (0 vs. 0)').assertion).toEqual({
      expression: 'space_width_ > 0 (0 vs. 0)', file: 'font_list.cc', line: 299, function: null,
    });
    expect(one('[0424/050845.358008:FATAL:base/feature_list.cc:467] DCHECK failed: !HasTrial(name).').assertion).toMatchObject({ expression: '!HasTrial(name)', file: 'base/feature_list.cc', line: 467 });
    expect(one('F0813 00:29:27.775753  384244 file.cc:130] Check failed: std::is_sorted(foo.begin(), foo.end())').assertion).toMatchObject({ file: 'file.cc', line: 130 });
    expect(one('the test log says: Check failed: nothing to see')).toBeUndefined();
  });

  it("reads fuzzing engines' limits: Centipede's stack, time and RSS limits, libFuzzer's timeout and OOM", () => {
    expect(one('========= Stack limit exceeded: 982784 > 131072 (byte); aborting').kind).toBe('stack-overflow');
    expect(one('========= Per-input timeout exceeded: 26 > 25 (sec); exiting').kind).toBe('hang');
    expect(one('========= RSS limit exceeded: 4097 > 4096 (MB); exiting').kind).toBe('oom');
    expect(one('========= Per-input timeout exceeded: 26 > 25 (sec); exiting without reporting as an error')).toBeUndefined();
    expect(one('==12== ERROR: libFuzzer: timeout after 25 seconds').kind).toBe('hang');
    expect(one('==12== ERROR: libFuzzer: out-of-memory (used: 2100Mb; exceeds: 2048Mb)').kind).toBe('oom');
  });

  it('a limit message before the abort it causes names the kind of the sanitizer report', () => {
    const text = [
      '========= Stack limit exceeded: 982784 > 131072 (byte); aborting',
      'AddressSanitizer:DEADLYSIGNAL',
      '=================================================================',
      '==477==ERROR: AddressSanitizer: ABRT on unknown address 0x0539000001dd (pc 0x7f3 bp 0x7ff sp 0x7ff T0)',
      '    #0 0x7f3 in raise /build/glibc-LcI20x/glibc-2.31/sysdeps/unix/sysv/linux/raise.c:51:1',
      '    #1 0x7f4 in abort /build/glibc-LcI20x/glibc-2.31/stdlib/abort.c:79:7',
      '    #2 0x55a in fuzztest::internal::CheckStackLimit(unsigned long) third_party/fuzztest/src/centipede/runner.cc:298:5',
      '    #3 0x55b in HandleOnePc third_party/fuzztest/src/centipede/runner_sancov.cc:125:3',
      '    #4 0x55c in parse_expr src/parser.c:88:3',
      '    #5 0x55d in parse_expr src/parser.c:91:10',
      '',
      'SUMMARY: AddressSanitizer: ABRT /build/glibc-LcI20x/glibc-2.31/sysdeps/unix/sysv/linux/raise.c:51:1 in raise',
      '==477==ABORTING',
    ].join('\n');
    const a = analyze(text, { context: false });
    if (isError(a)) throw new Error(a.error.message);
    expect(a.kind).toBe('stack-overflow');
    expect(a.crashFrame?.function).toBe('parse_expr');
  });

  it("reads the shell's signal summary but not ordinary prose", () => {
    expect(one('Segmentation fault (core dumped)').signal).toBe('SIGSEGV');
    expect(one('bash: line 1: 4242 Aborted                 (core dumped) ./prog').signal).toBe('SIGABRT');
    expect(one('the job was Aborted by the user because it took too long')).toBeUndefined();
  });
});
