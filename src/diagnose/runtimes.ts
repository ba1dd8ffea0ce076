/**
 * What differs when the crash comes from a language runtime rather than a native debugger:
 * which tools apply, what the language calls a null reference, and the next steps each
 * runtime offers (its debugger, its profiler, its race detector).
 * Takes: the facts and the kind. Gives: words and `NextStep`s, as tables by format.
 * A native step (gdb, a sanitizer rebuild, rr, valgrind) is never offered for a managed
 * runtime's exception: a Java NullPointerException is not fixed by rebuilding with ASan.
 */
import type { CrashKind, Frame, NextStep } from '../model.js';
import type { Facts } from './facts.js';

/** Reports of a VM or interpreter: their frames are the language's, not machine code. */
export const MANAGED_FORMATS = new Set(['python', 'java', 'node', 'dotnet', 'ruby', 'php']);

/** Languages compiled to native code that report through their own runtime (a panic, a trap). */
export const NATIVE_RUNTIME_FORMATS = new Set(['go', 'rust', 'swift']);

/** True when the report comes from a native debugger, sanitizer or crash handler (C, C++, kernel). */
export function isNativeReport(format: string): boolean {
  return !MANAGED_FORMATS.has(format) && !NATIVE_RUNTIME_FORMATS.has(format);
}

/** What each language calls the value a null dereference used. */
export const NULL_WORD: Record<string, string> = {
  java: '`null`',
  dotnet: '`null`',
  php: '`null`',
  node: '`undefined` (or `null`)',
  python: '`None`',
  ruby: '`nil`',
  go: '`nil`',
  swift: '`nil`',
  rust: '`None`',
};

/** Node's unhandled rejection of a value that is not an Error: the stack is Node's own. */
export function isBareRejection(f: Facts): boolean {
  const e = f.report.exception;
  return f.report.format === 'node' && e !== null && (e.type === 'UnhandledPromiseRejection' || f.report.facts.some((x) => x.value === 'ERR_UNHANDLED_REJECTION'));
}

/** The innermost exception's type (the root cause of a chain). */
/**
 * The exception of a chain that the crash is about (DESIGN, `exception`): the root cause
 * (the innermost, last of `causes`), but for Python only when the chain was explicit
 * (`raise … from`, which its parser notes); an implicit chain's crash is the outer exception.
 */
export function drivingException(f: Facts): { type: string; message: string | null } | null {
  const e = f.report.exception;
  if (!e) return null;
  if (e.causes.length === 0) return e;
  if (f.report.format === 'python') {
    const root = f.report.facts.find((x) => x.text.startsWith('Root cause '));
    const type = root ? /^Root cause (\S+) /.exec(root.text)?.[1] : undefined;
    return (type !== undefined ? [...e.causes].reverse().find((c) => c.type === type) : undefined) ?? e;
  }
  return e.causes[e.causes.length - 1];
}

function rootType(f: Facts): string | null {
  return drivingException(f)?.type ?? null;
}

/** The outermost frame's file when it is a script's top level (Python's `<module>`), for a runnable command. */
function entryFile(frames: Frame[], topLevel: string): string | null {
  const last = frames[frames.length - 1];
  return last && last.function === topLevel && last.file ? last.file : null;
}

const where = (c: Frame | null) => (c?.file ? `${c.file}${c.line ? `:${c.line}` : ''}` : null);

type Steps = (f: Facts, kind: CrashKind) => NextStep[];

/** Kinds a native crash inside a runtime (an extension, the VM itself) is reported as. */
const NATIVE_KINDS = new Set<CrashKind>(['segv', 'abort', 'bus-error', 'illegal-instruction', 'heap-corruption', 'double-free', 'invalid-free', 'use-after-free']);

/** The pytest node id of a failing test's report (`tests/test_x.py::TestY::test_z`), from its file and name. */
function pytestNode(f: Facts): string | null {
  const fact = f.report.facts.find((x) => x.text.startsWith('pytest: '));
  const file = f.frames[f.frames.length - 1]?.file;
  if (!fact?.value || !file) return null;
  return `${file}::${fact.value.split('.').join('::')}`;
}

const python: Steps = (f, kind) => {
  const unittest = f.report.facts.find((x) => x.text.startsWith('unittest: '))?.value;
  if (unittest) {
    return [
      { text: 'Rerun only this test.', command: `python3 -m unittest -v ${unittest}` },
      { text: 'unittest catches the exception; pytest runs the same test and stops in pdb at the failure.', command: `python3 -m pytest --pdb -k ${unittest.slice(unittest.lastIndexOf('.') + 1)}` },
    ];
  }
  const node = pytestNode(f);
  if (node !== null) {
    return [
      { text: 'Rerun only this test and stop in pdb at the failure, every frame alive (`where`, `up`, `p <name>`).', command: `python3 -m pytest '${node}' --pdb` },
      { text: 'Or print every frame in full with its local variables.', command: `python3 -m pytest '${node}' --tb=long --showlocals` },
    ];
  }
  const script = entryFile(f.frames, '<module>') ?? 'script.py';
  if (NATIVE_KINDS.has(kind)) {
    return [
      { text: 'The crash is in native code (a C extension or the interpreter): run it under gdb for the C stack, then `py-bt` (python3-dbg) for the Python frames.', command: `gdb -ex run -ex bt --args python3 -X faulthandler ${script}` },
    ];
  }
  if (kind === 'oom') {
    return [{ text: 'Find what holds the memory: tracemalloc records where every block was allocated (compare two `tracemalloc.take_snapshot()` statistics).', command: `python3 -X tracemalloc=25 ${script}` }];
  }
  const out: NextStep[] = [{ text: 'Rerun under pdb: it stops at the uncaught exception with every frame alive (`where`, `up`, `p <name>`).', command: `python3 -m pdb -c continue ${script}` }];
  const at = where(f.crash);
  if (kind === 'null-deref' && at) out.push({ text: `Stop just before the crash line and print where the \`None\` was read from.`, command: `python3 -m pdb -c "break ${at}" -c continue ${script}` });
  return out;
};

/** The JUnit test a failure happened in: a method of a `…Test`/`…Tests`/`…IT` class, with JUnit on the stack. */
function junitTest(frames: Frame[]): { cls: string; method: string } | null {
  if (!frames.some((x) => x.function !== null && (x.function.startsWith('org.junit.') || x.function.startsWith('junit.framework.')))) return null;
  for (const x of frames) {
    const m = x.function !== null ? /^((?:[\w$]+\.)*([\w$]*(?:Test|Tests|IT)))\.([\w$]+)$/.exec(x.function) : null;
    if (m && x.role === 'app') return { cls: m[1], method: m[3] };
  }
  return null;
}

const java: Steps = (f, kind) => {
  const test = junitTest(f.frames);
  if (test) {
    const simple = test.cls.slice(test.cls.lastIndexOf('.') + 1);
    return [
      { text: 'Rerun only this test, with Maven or Gradle.', command: `mvn test -Dtest='${simple}#${test.method}'\ngradle test --tests '${test.cls}.${test.method}'` },
      { text: 'Debug it: Maven waits for a debugger on port 5005 (the IDE\'s remote debug, with an exception breakpoint).', command: `mvn test -Dtest='${simple}#${test.method}' -Dmaven.surefire.debug` },
    ];
  }
  if (kind === 'oom') {
    return [
      { text: 'Dump the heap at the OutOfMemoryError and open it in Eclipse MAT or VisualVM: the dominator tree shows what holds the memory.', command: 'java -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=/tmp/heap.hprof …' },
      { text: 'Or, on the live process, see which classes fill the heap.', command: 'jcmd <pid> GC.class_histogram | head -30' },
    ];
  }
  if (kind === 'deadlock') {
    return [{ text: 'Take thread dumps with lock details from the live process, a few seconds apart: the same cycle in each confirms the deadlock.', command: 'jcmd <pid> Thread.print -l' }];
  }
  if (kind === 'stack-overflow') {
    return [{ text: 'The JVM prints at most 1024 frames: raise the limit to see where the recursion was entered.', command: 'java -XX:MaxJavaStackTraceDepth=100000 …' }];
  }
  const type = rootType(f) ?? 'java.lang.Throwable';
  const out: NextStep[] = [{ text: `Stop where the \`${type}\` is thrown, with the state intact: an exception breakpoint in the IDE, or jdb.`, command: `jdb -classpath <classpath> <MainClass>\n> catch ${type}\n> run` }];
  if (kind === 'null-deref' && !(drivingException(f)?.message ?? '').includes(' because ')) {
    out.push({ text: 'Let the JVM name the null expression (helpful NullPointerException messages, JDK 14+; on by default from 15).', command: 'java -XX:+ShowCodeDetailsInExceptionMessages …' });
  }
  return out;
};

/** The test file and name of a node:test failure (its `location`, else its innermost frame in a file). */
function nodeTest(f: Facts): { name: string; file: string } | null {
  const fact = f.report.facts.find((x) => x.text.startsWith('node:test: '));
  if (!fact?.value) return null;
  const files = f.frames.map((x) => x.file?.replace(/^file:\/\//, '')).filter((x): x is string => !!x && !x.startsWith('node:'));
  let loc = /\((.+):\d+:\d+\)$/.exec(fact.text)?.[1]?.replace(/^file:\/\//, '') ?? files[0];
  // the spec reporter names the file relative to where the tests ran; a frame may say where that is
  if (loc && !loc.startsWith('/')) loc = files.find((x) => x.endsWith(`/${loc}`)) ?? loc;
  return loc ? { name: fact.value, file: loc } : null;
}

const node: Steps = (f, kind) => {
  const test = nodeTest(f);
  if (test) {
    const pattern = `'^${test.name.replace(/[.*+?^${}()|[\]\\']/g, '\\$&')}$'`;
    return [
      { text: 'Rerun only this test.', command: `node --test --test-name-pattern=${pattern} ${test.file}` },
      { text: 'Stop in it with the inspector (chrome://inspect, "Pause on exceptions").', command: `node --inspect-brk --test --test-name-pattern=${pattern} ${test.file}` },
    ];
  }
  if (kind === 'oom') {
    return [{ text: 'Write heap snapshots as the heap nears its limit, then compare them in Chrome DevTools (Memory tab) to see what grows.', command: 'node --heapsnapshot-near-heap-limit=2 --max-old-space-size=4096 app.js' }];
  }
  if (isBareRejection(f)) {
    return [
      { text: 'Log every unhandled rejection with its promise where it happens (put this first in the entry file).', command: "process.on('unhandledRejection', (reason, promise) => { console.error('unhandled rejection', reason, promise); });" },
      { text: 'Find the code that rejects or throws values that are not Errors (they carry no stack).', command: "npx eslint --rule 'prefer-promise-reject-errors: error' --rule 'no-throw-literal: error' ." },
    ];
  }
  return [
    { text: 'Stop at the throw with the state intact: start under the inspector, open chrome://inspect and turn on "Pause on exceptions".', command: 'node --inspect-brk app.js' },
    { text: 'Keep more frames (async ones included) in the printed stack.', command: 'node --stack-trace-limit=100 app.js' },
  ];
};

/** The Go test a crash happened in (`pkg.TestX` under `testing.tRunner`): its name and its file's folder. */
function goTest(frames: Frame[]): { name: string; dir: string } | null {
  if (!frames.some((x) => x.function === 'testing.tRunner')) return null;
  for (const x of frames) {
    const m = x.function !== null ? /\.(Test[A-Za-z0-9_]*)$/.exec(x.function) : null;
    if (m && x.file) return { name: m[1], dir: x.file.slice(0, Math.max(1, x.file.lastIndexOf('/'))) };
  }
  return null;
}

const go: Steps = (f, kind) => {
  const failed = f.report.facts.find((x) => x.text.startsWith('go test: '))?.value;
  if (failed) {
    const run = `'^${failed.split('/').map((p) => p.replace(/[.*+?^${}()|[\]\\']/g, '\\$&')).join('$/^')}$'`;
    return [
      { text: `Rerun only ${failed}, uncached, with its log.`, command: `go test -run ${run} -count=1 -v ./...` },
      { text: 'Step through it in Delve from the package holding the test.', command: `dlv test <package dir> -- -test.run ${run}` },
    ];
  }
  const test = goTest(f.frames);
  if (test && kind !== 'data-race') {
    return [
      { text: `Rerun only ${test.name}, uncached.`, command: `go test -run '^${test.name}$' -count=1 ${test.dir}` },
      { text: 'Run it under Delve: it stops at the panic with the goroutine intact.', command: `dlv test ${test.dir} -- -test.run '^${test.name}$'\n(dlv) continue\n(dlv) bt\n(dlv) locals` },
    ];
  }
  if (kind === 'data-race') {
    return [{ text: 'Run with the race detector: it names both accesses and the goroutines that made them.', command: 'go test -race ./...\ngo run -race .' }];
  }
  if (kind === 'oom') {
    return [{ text: 'Profile the heap of a running instance (import _ "net/http/pprof" and serve it): the top allocation sites show what grows.', command: 'go tool pprof -top http://localhost:6060/debug/pprof/heap' }];
  }
  const steps: NextStep[] = [{ text: 'Print every goroutine, not only the failing one, and let the crash write a core.', command: 'GOTRACEBACK=crash ./prog' }];
  if (kind === 'deadlock') {
    steps.push({ text: 'Attach Delve to a run that hangs (before the runtime gives up) and see what each goroutine waits on.', command: 'dlv attach <pid>\n(dlv) goroutines\n(dlv) goroutine <id> bt' });
  } else {
    steps.push({ text: 'Run it under Delve: it stops at the panic with the goroutine intact.', command: 'dlv debug . -- <args>\n(dlv) continue\n(dlv) bt\n(dlv) locals' });
  }
  return steps;
};

/** The libtest test a panic happened in: its thread is named after it (`tests::x`) and a frame runs it. */
function rustTest(f: Facts): string | null {
  const name = f.thread?.name;
  if (!name || name === 'main' || !/^[\w:]+$/.test(name)) return null;
  return f.frames.some((x) => x.function !== null && x.function.endsWith(`::${name}`)) ? name : null;
}

const rust: Steps = (f, kind) => {
  const test = rustTest(f);
  if (test && !NATIVE_KINDS.has(kind)) {
    return [
      { text: `Rerun only ${test}, with every frame and its output.`, command: `RUST_BACKTRACE=full cargo test ${test} -- --exact --nocapture` },
      { text: 'Stop at the panic in the debugger: `cargo test --no-run` prints the test binary, then:', command: `rust-gdb -ex 'break rust_panic' -ex run --args target/debug/deps/<crate>-<hash> ${test} --exact` },
    ];
  }
  if (kind === 'oom') {
    return [{ text: 'Find the allocation that asked for too much, and what grew before it.', command: 'heaptrack target/debug/<prog>' }];
  }
  if (NATIVE_KINDS.has(kind)) {
    return [{ text: 'Memory went wrong in unsafe code or FFI: rebuild with AddressSanitizer (nightly).', command: 'RUSTFLAGS=-Zsanitizer=address cargo +nightly run --target x86_64-unknown-linux-gnu' }];
  }
  return [
    { text: 'Every frame, with file and line, for the panic.', command: 'RUST_BACKTRACE=full cargo run' },
    { text: 'Stop at the panic in the debugger and look at the locals.', command: "rust-gdb -ex 'break rust_panic' -ex run --args target/debug/<prog>" },
  ];
};

const ruby: Steps = (f, kind) => {
  const test = f.report.facts.find((x) => x.text.startsWith('Minitest: '))?.value;
  const file = f.frames[f.frames.length - 1]?.file;
  if (test && file) {
    const name = test.slice(test.indexOf('#') + 1);
    const out: NextStep[] = [{ text: 'Rerun only this test (Minitest’s -n filter).', command: `ruby ${file} -n ${name}` }];
    const type = rootType(f);
    if (type) out.push({ text: `Stop where the \`${type}\` is raised, with the state intact (the debug gem, Ruby 3.1+).`, command: `rdbg ${file} -- -n ${name}\n(rdbg) catch ${type}\n(rdbg) continue` });
    return out;
  }
  const type = rootType(f) ?? 'StandardError';
  const out: NextStep[] = [{ text: `Stop where the \`${type}\` is raised, with the state intact (the debug gem, Ruby 3.1+).`, command: `rdbg script.rb\n(rdbg) catch ${type}\n(rdbg) continue` }];
  if (kind === 'stack-overflow') out.push({ text: 'Only if the recursion is meant to be this deep (it rarely is): a larger VM stack tells.', command: 'RUBY_THREAD_VM_STACK_SIZE=8388608 ruby script.rb' });
  return out;
};

const php: Steps = () => [
  { text: 'Step to the throw with Xdebug and your IDE listening.', command: 'php -d xdebug.mode=debug -d xdebug.start_with_request=yes script.php' },
  { text: 'Show every notice and warning that came before (an earlier warning often names the missing value).', command: 'php -d display_errors=1 -d error_reporting=-1 script.php' },
];

const dotnet: Steps = () => [
  { text: 'Let the runtime write a dump when it crashes, then read the exception and every managed stack.', command: 'DOTNET_DbgEnableMiniDump=1 dotnet run\ndotnet-dump analyze <dump>\n> pe -nested\n> clrstack -all' },
];

const swift: Steps = () => [{ text: 'Run it under lldb: it stops at the trap (a force unwrap of nil, an index out of range, a fatalError) with the frames intact.', command: 'lldb ./prog -o run -o bt' }];

/** Next steps by the format that reported the crash. */
export const RUNTIME_STEPS: Record<string, Steps> = { python, java, node, go, rust, ruby, php, dotnet, swift };
