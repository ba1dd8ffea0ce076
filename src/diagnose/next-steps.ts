/**
 * Next steps: concrete commands for this crash.
 * Takes: the facts, kind, evidence and the products identified. Gives: `nextSteps` — the
 * gdb commands for the crash frame and the suspicious variable, then tools by kind (a
 * sanitizer rebuild, valgrind, rr), debug symbols when frames have none, and the steps a
 * product's rule pack adds (QEMU: its sanitizer build, trace events). A table of rows,
 * each with the condition under which it applies.
 */
import type { CrashKind, Evidence, Frame, NextStep } from '../model.js';
import type { Facts } from './facts.js';
import { isNativeReport, RUNTIME_STEPS } from './runtimes.js';

const MEMORY_KINDS: CrashKind[] = ['null-deref', 'segv', 'heap-corruption', 'double-free', 'invalid-free', 'use-after-free', 'stack-smashing', 'stack-buffer-overflow', 'heap-overflow', 'abort', 'bus-error'];

interface StepRow {
  when(f: Facts, kind: CrashKind, ev: Evidence[]): boolean;
  steps(f: Facts, kind: CrashKind): NextStep[];
}

const debuggerFormats = new Set(['gdb', 'lldb', 'message', 'glibc-backtrace', 'coredump']);
/** Reports made by a memory checker already: suggesting one again would be noise. */
const CHECKER_FORMATS = new Set(['asan', 'msan', 'tsan', 'ubsan', 'lsan', 'valgrind', 'kernel']);
const SANITIZER_FORMATS = new Set(['asan', 'msan', 'tsan', 'ubsan', 'lsan']);
const hasFact = (f: Facts, code: string) => f.report.facts.some((x) => x.code === code);
/** The rows of native tools (gdb, pthreads, sanitizer rebuilds, valgrind, rr, symbols) apply to native reports only. */
const native = (f: Facts) => isNativeReport(f.report.format);
/** Formats of platforms valgrind and rr do not run on (a phone, a Mac, Windows). */
const NOT_LINUX = new Set(['android', 'apple', 'windows']);
/** valgrind and rr: native reports of a Linux program. */
const linux = (f: Facts) => native(f) && !NOT_LINUX.has(f.report.format);

/** How each platform's build turns the sanitizer on (the default: a Linux make build). */
const SANITIZER_REBUILD: Record<string, NextStep> = {
  default: { text: 'Rebuild with AddressSanitizer and UBSan: they stop at the first bad access, with the allocation and free stacks.', command: 'CFLAGS="-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined" make' },
  android: { text: 'Rebuild the native code with HWASan (arm64; the app runs with a wrap.sh or on a HWASan system image): it stops at the first bad access, with the allocation and free stacks.', command: 'APP_CFLAGS := -fsanitize=hwaddress -fno-omit-frame-pointer\nAPP_LDFLAGS := -fsanitize=hwaddress' },
  apple: { text: 'Run the tests (or the scheme) with Address Sanitizer on: it stops at the first bad access, with the allocation and free stacks.', command: 'xcodebuild test -scheme <Scheme> -enableAddressSanitizer YES' },
  windows: { text: 'Rebuild with MSVC\'s AddressSanitizer: it stops at the first bad access, with the allocation and free stacks.', command: 'cl /Zi /Od /fsanitize=address <sources>' },
};

/**
 * The frame whose module offset addr2line can name: the crash frame, or, when no frame could
 * be chosen (a stripped binary), the program's first frame with no name.
 */
function offsetFrame(f: Facts): Frame | null {
  const c = f.crash ?? f.frames.find((x) => x.function === null && x.moduleOffset && x.role !== 'library' && x.role !== 'crash-handling') ?? null;
  return c?.module && c.moduleOffset ? c : null;
}

export const STEP_ROWS: StepRow[] = [
  {
    // systemd-coredump kept the core: open it in gdb
    when: (f) => f.report.format === 'coredump' && f.report.facts.some((x) => x.code === 'core-file'),
    steps: (f) => [{ text: 'Open the core systemd-coredump kept in gdb (with debuginfod on, gdb fetches the missing symbols by build-id), then print every thread with locals.', command: `coredumpctl debug ${f.report.facts.find((x) => x.code === 'core-file')!.value}\n(gdb) thread apply all bt full` }],
  },
  {
    // a frame given as an offset into its module (systemd-coredump, backtrace_symbols'
    // `./prog(+0x11de)`): addr2line names its line. The crash frame, or in a stripped
    // binary the first frame of the program with no name.
    when: (f) => native(f) && offsetFrame(f) !== null,
    steps(f) {
      const c = offsetFrame(f)!;
      if (f.report.format === 'android') {
        // the device's binaries are stripped: the build's unstripped ones have the lines,
        // a platform build's under its product's symbols/, an app's where the NDK left them
        const platform = /^\/(?:system|system_ext|vendor|product|odm|apex)\//.test(c.module!);
        const dir = platform ? '$ANDROID_PRODUCT_OUT/symbols' : 'obj/local/arm64-v8a';
        const lib = platform ? `${dir}${c.module}` : `${dir}/${c.module!.slice(c.module!.lastIndexOf('/') + 1)}`;
        return [
          { text: `Symbolize the whole tombstone with the build's unstripped binaries (${platform ? 'a platform build keeps them under $ANDROID_PRODUCT_OUT/symbols' : 'the NDK build keeps them under obj/local/<abi>, Gradle under build/intermediates/merged_native_libs'}).`, command: `ndk-stack -sym ${dir} -i tombstone.txt` },
          { text: `Or turn frame #${c.index}'s pc into a function, file and line.`, command: `llvm-addr2line -f -C -i -e ${lib} ${c.moduleOffset}` },
        ];
      }
      const exe = f.report.facts.find((x) => x.code === 'program')?.value?.split(' ')[0];
      // the module as printed may be a bare name: the executable's path when it is that file
      const path = c.module!.includes('/') ? c.module! : exe && exe.endsWith(`/${c.module}`) ? exe : c.module!;
      return [{ text: `Turn frame #${c.index}'s offset into a function, file and line (needs the binary with its debug info, the one that crashed).`, command: `addr2line -f -C -i -e ${path} ${c.moduleOffset}` }];
    },
  },
  {
    when: (f, kind) => kind !== 'snapshot' && kind !== 'deadlock' && f.crash !== null && debuggerFormats.has(f.report.format),
    steps(f) {
      const c = f.crash!;
      const thread = f.thread && f.report.threads.length > 1 ? `thread ${f.thread.id}\n` : '';
      const steps: NextStep[] = [
        { text: `Select the crash frame #${c.index} (${c.function}) and look at its arguments and locals.`, command: `${thread}frame ${c.index}\ninfo args\ninfo locals` },
      ];
      const p = f.nullPointers.find((x) => x.frame === c) ?? f.nullPointers[0];
      if (p) {
        steps.push({ text: `\`${p.name}\` is NULL in frame #${p.frame.index}: go to the caller and find where it should have been set.`, command: `frame ${p.frame.index + 1}\ninfo locals\nlist` });
      }
      if (f.report.signal && (f.report.signal.name === 'SIGSEGV' || f.report.signal.name === 'SIGBUS')) {
        steps.push({ text: 'Show the faulting address and instruction (which register held the bad pointer).', command: 'p $_siginfo._sifields._sigfault.si_addr\nx/i $pc\ninfo registers' });
      }
      if (f.report.threads.length <= 1) {
        steps.push({ text: 'Capture every thread with locals: another thread often holds the other half of the story.', command: 'thread apply all bt full' });
      }
      return steps;
    },
  },
  {
    when: (f) => f.report.format === 'kernel' && f.crash !== null,
    steps(f) {
      const c = f.crash!;
      const obj = c.module ? `${c.module}.ko` : 'vmlinux';
      return [
        { text: 'Turn every frame of the oops into file:line with the kernel tree and the vmlinux (and modules) of this exact build.', command: './scripts/decode_stacktrace.sh vmlinux "$(pwd)" < oops.txt' },
        { text: `Look at the code at the crash frame ${c.function}${c.module ? ` in module ${c.module}` : ''} (take the +0x…/0x… offset from the oops).`, command: `./scripts/faddr2line ${obj} ${c.function}+0x…/0x…` },
        { text: 'Reproduce under a KASAN (and lockdep) kernel to catch the first bad access.', command: 'scripts/config -e KASAN -e KASAN_INLINE -e PROVE_LOCKING && make olddefconfig' },
      ];
    },
  },
  {
    when: (f, kind) => kind === 'deadlock' && native(f),
    steps(f) {
      const steps: NextStep[] = [];
      for (const b of f.blocked.slice(0, 4)) {
        if (b.lock) steps.push({ text: `Find which thread owns the lock thread ${b.thread.id} waits on (\`__owner\` is the owner's LWP).`, command: `p *(pthread_mutex_t *) ${b.lock.split(' ')[0]}` });
      }
      steps.push({ text: 'Dump every thread with locals to see which locks each one holds.', command: 'thread apply all bt full' });
      steps.push({ text: 'Catch the lock-order inversion before it hangs: build with ThreadSanitizer or run under helgrind.', command: 'gcc -g -O1 -fsanitize=thread …   # or: valgrind --tool=helgrind ./prog' });
      return steps;
    },
  },
  {
    when: (f, kind) => kind === 'stack-overflow' && native(f),
    steps(f) {
      return [
        { text: 'See where the recursion was entered (the outermost frames).', command: 'bt -20' },
        { text: 'Check the stack limit of the crashing thread.', command: 'ulimit -s' },
        ...(f.cycle ? [{ text: `Break on the cycle's first function and watch the argument that should shrink each call.`, command: `break ${f.cycle.functions[0]}\nrun\ninfo args` }] : []),
      ];
    },
  },
  {
    when: (f) => SANITIZER_FORMATS.has(f.report.format) && f.crash !== null,
    steps: (f) => {
      const freed = f.report.stacks.find((s) => s.role === 'freed')?.frames.find((x) => x.role === 'app');
      const out: NextStep[] = [];
      if (freed) out.push({ text: `The memory was freed in ${freed.function}${freed.file ? ` (${freed.file}${freed.line ? `:${freed.line}` : ''})` : ''}: find the pointer that outlived that free and who still uses it in ${f.crash!.function}.` });
      out.push({
        text: 'Stop in the debugger at the moment the sanitizer reports, with the program state intact.',
        command: `${f.report.format.toUpperCase()}_OPTIONS=abort_on_error=1:disable_coredump=0 gdb -ex run -ex bt --args ./prog`,
      });
      return out;
    },
  },
  {
    when: (f, kind) => (MEMORY_KINDS.includes(kind) || kind === 'assertion') && !CHECKER_FORMATS.has(f.report.format) && native(f),
    steps: (f) => [SANITIZER_REBUILD[f.report.format] ?? SANITIZER_REBUILD.default],
  },
  {
    when: (f, kind) => ['heap-corruption', 'double-free', 'invalid-free', 'use-after-free', 'segv'].includes(kind) && !['asan', 'valgrind'].includes(f.report.format) && linux(f),
    steps: () => [
      { text: 'Or run the unchanged binary under valgrind to find the first invalid write.', command: 'valgrind --track-origins=yes --read-var-info=yes ./prog' },
    ],
  },
  {
    when: (f, kind) => ['heap-corruption', 'null-deref', 'segv', 'use-after-free', 'assertion', 'double-free'].includes(kind) && f.report.format !== 'kernel' && linux(f),
    steps: () => [
      { text: 'Record the failing run with rr, then go backwards from the crash to the write that set the bad value.', command: 'rr record ./prog\nrr replay\n(rr) continue\n(rr) watch -l <the bad variable>\n(rr) reverse-continue' },
    ],
  },
  {
    when: (f, kind) => kind === 'fpe' && native(f),
    steps: (f) => [
      { text: 'Print the operands of the division at the crash line.', command: `frame ${f.crash?.index ?? 0}\ninfo locals\nx/i $pc` },
      { text: 'UBSan names the exact division and its operands.', command: 'CFLAGS="-g -fsanitize=undefined -fno-sanitize-recover=all" make' },
    ],
  },
  {
    when: (f, kind) => kind === 'uncaught-exception' && native(f),
    steps: (f) => [
      // in the debugger of the report's platform
      f.report.format === 'windows'
        ? { text: 'Stop where the C++ exception is thrown (WinDbg: break on first-chance C++ EH exceptions), not where it ends the process.', command: 'sxe eh\ng\nk' }
        : f.report.format === 'apple'
          ? { text: 'Stop where the exception is thrown, not where it ends the process (lldb).', command: f.functions.has('objc_exception_throw') ? 'breakpoint set -E objc\nrun\nbt' : 'breakpoint set -E c++\nrun\nbt' }
          : { text: 'Stop where the exception is thrown, not where terminate runs.', command: 'catch throw\nrun\nbt' },
    ],
  },
  {
    // A runtime's own debugger, profiler or detector (pdb, jdb, the inspector, Delve, rdbg…).
    when: (f, kind) => kind !== 'snapshot' && RUNTIME_STEPS[f.report.format] !== undefined,
    steps: (f, kind) => RUNTIME_STEPS[f.report.format](f, kind),
  },
  {
    when: (f) => native(f) && (hasFact(f, 'no-symbols') || f.frames.some((x) => x.role === 'unknown')),
    steps: () => [
      { text: 'Frames without names: install the debug symbols for this exact build (debuginfod fetches them by build-id).', command: 'gdb -iex "set debuginfod enabled on" ./prog core' },
    ],
  },
  {
    when: (f) => native(f) && f.frames.some((x) => x.role === 'app' && (x.args?.includes('<optimized out>') || x.locals?.some((l) => l.value === '<optimized out>'))),
    steps: () => [
      { text: 'Values are <optimized out>: rebuild the crashing file with -O0 -g (or -Og) to see them.', command: 'CFLAGS="-Og -g" make' },
    ],
  },
];

export function nextSteps(f: Facts, kind: CrashKind, ev: Evidence[]): NextStep[] {
  const out: NextStep[] = [];
  if (kind === 'snapshot') {
    out.push({ text: 'No crash was captured. If the program crashes later, let it run to the crash and capture all threads then.', command: 'continue\nthread apply all bt full' });
  }
  for (const row of STEP_ROWS) if (row.when(f, kind, ev)) out.push(...row.steps(f, kind));
  for (const p of f.rules.products) {
    if (!f.products.includes(p.name)) continue;
    for (const s of p.nextSteps) out.push({ ...s });
  }
  // No duplicates, stable order.
  const seen = new Set<string>();
  return out.filter((s) => {
    const k = s.text + '\u0000' + (s.command ?? '');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
