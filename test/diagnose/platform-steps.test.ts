import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { Analysis } from '../../src/model.js';

// Next steps name the tools of the platform the report comes from: valgrind and rr only for
// a Linux program, the sanitizer rebuild and the throw breakpoint in that platform's build
// and debugger.
const run = (file: string) => analyze(readFileSync(`test/fixtures/${file}`, 'utf8')) as Analysis;
const commands = (a: Analysis) => a.nextSteps.map((s) => s.command ?? '').join('\n---\n');

describe("next steps in the report's platform", () => {
  it('Android: HWASan in the NDK build, no valgrind, no rr, no make', () => {
    const c = commands(run('android/abort-assert.txt'));
    expect(c).toContain('-fsanitize=hwaddress');
    expect(c).not.toMatch(/valgrind|rr record|make$/m);
  });
  it('Windows: the throw breakpoint in WinDbg, not gdb', () => {
    const c = commands(run('windows/kn-cpp-exception.txt'));
    expect(c).toContain('sxe eh');
    expect(c).not.toContain('catch throw');
    expect(c).not.toMatch(/valgrind|rr record/);
  });
  it("Apple: lldb's exception breakpoint (Objective-C for an NSException)", () => {
    const c = commands(run('apple/ios-nsexception.crash'));
    expect(c).toContain('breakpoint set -E objc');
    expect(c).not.toMatch(/valgrind|rr record|catch throw/);
  });
  it('Linux (gdb): the sanitizer rebuild, valgrind and rr stay', () => {
    const c = commands(run('coredump/coredumpctl-info-segv.txt'));
    expect(c).toContain('-fsanitize=address,undefined');
    expect(c).toContain('valgrind');
    expect(c).toContain('rr record');
  });
});
