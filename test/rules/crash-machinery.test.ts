/**
 * Pack knowledge that moves the crash frame: Blink's WTF containers, PartitionAlloc and a
 * vendored libc++ are library code (the caller is where to look), Centipede's runner is the
 * fuzzing engine, and closures inside Swift's assertion failure are crash machinery.
 */
import { describe, expect, it } from 'vitest';
import { defaultRules } from '../../src/rules/load.js';
import { assignRoles } from '../../src/rules/roles.js';
import { crashFrame } from '../../src/diagnose/crash-frame.js';
import { newFrame, type Frame } from '../../src/model.js';

function frames(rows: Array<[string, string | null]>): Frame[] {
  const out = rows.map(([fn, file], i) => {
    const f = newFrame(i, fn);
    if (file) f.file = file;
    return f;
  });
  assignRoles(out, defaultRules());
  return out;
}

describe('rule packs: crash machinery and base libraries', () => {
  it("a WTF container's bounds check is library code: the crash frame is the Blink caller", () => {
    const fs = frames([
      ['base::debug::BreakDebugger', 'base/debug/debugger_win.cc'],
      ['logging::LogMessage::~LogMessage', 'base/logging.cc'],
      ['WTF::Vector<blink::Member<blink::MimeClassInfo>,0,blink::HeapAllocator>::at', 'third_party/WebKit/Source/platform/wtf/Vector.h'],
      ['blink::PluginInfo::GetMimeClassInfo', 'third_party/WebKit/Source/platform/plugins/PluginData.cpp'],
    ]);
    expect(fs[2].role).toBe('library');
    expect(crashFrame(fs)?.function).toBe('blink::PluginInfo::GetMimeClassInfo');
  });

  it("an inlined accessor from a vendored libc++ header is library code", () => {
    const fs = frames([
      ['operator->', 'buildtools/third_party/libc++/trunk/include/memory'],
      ['content::NavigationEntryImpl::site_instance() const', 'content/browser/frame_host/navigation_entry_impl.h'],
    ]);
    expect(fs[0].role).toBe('library');
    expect(crashFrame(fs)?.function).toBe('content::NavigationEntryImpl::site_instance() const');
  });

  it("PartitionAlloc is library code, its out-of-memory handler crash machinery", () => {
    const fs = frames([
      ['partition_alloc::internal::OnNoMemoryInternal(unsigned long)', 'base/allocator/partition_allocator/oom.cc'],
      ['partition_alloc::internal::PartitionRoot::Alloc(unsigned long)', 'base/allocator/partition_allocator/partition_root.h'],
      ['blink::ArrayBufferContents::AllocateMemory(unsigned long)', 'third_party/blink/renderer/core/typed_arrays/array_buffer_contents.cc'],
    ]);
    expect(fs.map((f) => f.role)).toEqual(['crash-handling', 'library', 'app']);
  });

  it("Centipede's runner (coverage callback, stack-limit check) is the fuzzing engine, not the target", () => {
    const fs = frames([
      ['raise', '/build/glibc-LcI20x/glibc-2.31/sysdeps/unix/sysv/linux/raise.c'],
      ['abort', '/build/glibc-LcI20x/glibc-2.31/stdlib/abort.c'],
      ['fuzztest::internal::CheckStackLimit(unsigned long)', 'third_party/fuzztest/src/centipede/runner.cc'],
      ['HandleOnePc', 'third_party/fuzztest/src/centipede/runner_sancov.cc'],
      ['v8::internal::wasm::grow_stack(v8::internal::Isolate*, void*, unsigned long, unsigned long, unsigned long)', 'src/wasm/wasm-external-refs.cc'],
    ]);
    expect(fs[3].role).toBe('runtime');
    expect(crashFrame(fs)?.function).toContain('v8::internal::wasm::grow_stack');
  });

  it('a function template named with its return type still matches its rule', () => {
    const fs = frames([
      ['void fuzztest::internal::FuzzTestFuzzerImpl::RunOneInput<int>(int const&)', 'fuzztest/internal/runtime.cc'],
      ['unsigned long WTF::HashTable<int, int>::Lookup<int>(int const&)', 'third_party/blink/renderer/platform/wtf/hash_table.h'],
      ['operator new(unsigned long)', null],
    ]);
    expect(fs.map((f) => f.role)).toEqual(['runtime', 'library', 'library']);
  });

  it("closures inside Swift's _assertionFailure are crash machinery: the crash frame is the caller that failed", () => {
    const fs = frames([
      ['closure #1 (Swift.UnsafeBufferPointer<Swift.UInt8>) -> () in closure #1 (Swift.UnsafeBufferPointer<Swift.UInt8>) -> () in Swift._assertionFailure(_: Swift.StaticString, _: Swift.String, file: Swift.StaticString, line: Swift.UInt, flags: Swift.UInt32) -> Swift.Never', null],
      ['function signature specialization <Arg[1] = [Closure Propagated : closure #1 (Swift.UnsafeBufferPointer<Swift.UInt8>) -> () in Swift._assertionFailure(_: Swift.StaticString, _: Swift.String, file: Swift.StaticString, line: Swift.UInt, flags: Swift.UInt32) -> Swift.Never, Argument Types : [Swift.StaticString]> of generic specialization <()> of Swift.String.withUTF8<A>((Swift.UnsafeBufferPointer<Swift.UInt8>) throws -> A) throws -> A', null],
      ['Swift._assertionFailure(_: Swift.StaticString, _: Swift.String, file: Swift.StaticString, line: Swift.UInt, flags: Swift.UInt32) -> Swift.Never', null],
      ['SwiftProtobuf.BinaryDecoder.decodeSingularGroupField<A where A: SwiftProtobuf.Message>(value: inout Swift.Optional<A>) throws -> ()', '/src/swift-protobuf/Sources/SwiftProtobuf/BinaryDecoder.swift'],
    ]);
    expect(fs.slice(0, 3).map((f) => f.role)).toEqual(['crash-handling', 'crash-handling', 'crash-handling']);
    expect(crashFrame(fs)?.function).toContain('SwiftProtobuf.BinaryDecoder.decodeSingularGroupField');
  });
});
