import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { Analysis } from '../../src/model.js';
import { fixtures, handwritten } from '../fixtures/runtimes/load.js';

// What a runtime's crash gets told to do next and why: its own tools (pdb, jdb, the
// inspector, Delve, rdbg, Xdebug, dotnet-dump), never a native rebuild with a C sanitizer,
// rr or gdb's `catch throw`; and a cause for a null reference that names the language's null.

const run = (text: string, name = 'x'): Analysis => {
  const a = analyze(text, { input: name, context: false });
  if ('error' in a) throw new Error(`${name}: ${a.error.message}`);
  return a as Analysis;
};
const commands = (a: Analysis) => a.nextSteps.map((s) => `${s.text}\n${s.command ?? ''}`).join('\n---\n');

const NATIVE_ONLY = [/fsanitize=address,undefined/, /\brr record\b/, /^catch throw$/m, /valgrind --track-origins/, /thread apply all bt/, /debuginfod/, /helgrind/];

describe('runtime crashes get their runtime’s next steps', () => {
  // (a panic caught in a gdb or lldb session is a native debugger's report: its steps are gdb's)
  const all = ['python', 'java', 'node', 'go', 'rust', 'ruby', 'php'].flatMap((rt) => fixtures(rt)).filter((fx) => !/\.(gdb|lldb)\./.test(fx.name));
  it('has fixtures of every runtime', () => expect(all.length).toBeGreaterThan(60));
  for (const fx of all) {
    it(`${fx.name}: no native-only step`, () => {
      const a = run(fx.text, fx.name);
      expect(a.format).toBe(fx.path.split('/').at(-2));
      for (const re of NATIVE_ONLY) expect(commands(a)).not.toMatch(re);
      if (a.kind !== 'snapshot') expect(a.nextSteps.length, commands(a)).toBeGreaterThan(0);
    });
  }

  const first = (rt: string, name: string) => fixtures(rt).find((f) => f.name.startsWith(name))!;
  const cases: Array<[string, string, RegExp]> = [
    ['python', 'attr-none', /python3 -m pdb -c continue \S*tidepool\.py/],
    ['python', 'faulthandler', /gdb -ex run -ex bt --args python3 -X faulthandler/],
    ['python', 'attr-none.pytest-short', /python3 -m pytest 'test_tidepool\.py::test_salinity' --pdb/],
    ['python', 'attr-none.unittest', /python3 -m unittest -v test_tidepool\.StationTest\.test_probe_reading/],
    ['java', 'npe', /catch java\.lang\.NullPointerException/],
    ['java', 'caused-by', /catch java\.lang\.NumberFormatException/], // the root cause's type
    ['java', 'oom', /HeapDumpOnOutOfMemoryError/],
    ['java', 'deadlock', /jcmd <pid> Thread\.print -l/],
    ['node', 'cause-chain', /node --inspect-brk/],
    ['node', 'heap-oom', /--heapsnapshot-near-heap-limit/],
    ['node', 'rejection-string', /process\.on\('unhandledRejection'/],
    ['node', 'node-test-typeerror', /node --test --test-name-pattern='\^routes a frame\$' \/tmp\/crashlens-rt\/node\/relay\.test\.mjs/],
    // (the spec reporter names the file relative to where the tests ran: the frames say where that is)
    ['node', 'node-test-assert.spec-all', /node --test --test-name-pattern='\^counts relays\$' \/tmp\/crashlens-rt\/node\/relay\.test\.mjs/],
    ['go', 'concurrent-map', /go test -race/],
    ['go', 'index.default', /dlv debug/],
    ['go', 'gotest-fail', /go test -run '\^TestManifestCount\$' -count=1 -v \.\/\.\.\./],
    ['go', 'index.gotest', /go test -run '\^TestPickBerth\$' -count=1 \/tmp\/crashlens-rt\/go\n[^]*dlv test \/tmp\/crashlens-rt\/go -- -test\.run '\^TestPickBerth\$'/],
    ['rust', 'alloc-fail', /heaptrack/],
    ['rust', 'index-oob.test', /RUST_BACKTRACE=full cargo test tests::journal_lookup -- --exact --nocapture/],
    ['rust', 'index-oob.debug-bt1', /rust-gdb -ex 'break rust_panic' -ex run --args target\/debug\/<prog>/],
    ['ruby', 'nil-method.default', /catch NoMethodError/],
    ['ruby', 'nil-method.minitest', /ruby quarry_test\.rb -n test_slab_width\n[^]*rdbg quarry_test\.rb -- -n test_slab_width\n\(rdbg\) catch NoMethodError/],
    ['ruby', 'minitest-failure', /^Rerun only this test[^]*ruby quarry_test\.rb -n test_slab_count$/],
    ['php', 'null-method', /xdebug\.mode=debug/],
  ];
  for (const [rt, name, want] of cases) {
    it(`${rt} ${name}: ${want.source}`, () => expect(commands(run(first(rt, name).text))).toMatch(want));
  }

  it('.NET: a dump read with dotnet-dump', () => {
    expect(commands(run(handwritten('dotnet-nullref.txt')))).toMatch(/dotnet-dump analyze/);
  });

  it('a native crash keeps its native steps', () => {
    const gdb = 'Program received signal SIGSEGV, Segmentation fault.\n#0  0x000055d1c2a1b2c4 in cart_total (c=0x0) at cart.c:19\n#1  0x000055d1c2a1b300 in main () at main.c:12';
    expect(commands(run(gdb))).toMatch(/fsanitize=address,undefined/);
  });
});

describe('runtime crashes get causes that fit them', () => {
  const first = (rt: string, name: string) => run(fixtures(rt).find((f) => f.name.startsWith(name))!.text);
  const nulls: Array<[string, string, string]> = [
    ['java', 'npe', '`null`'],
    ['python', 'attr-none', '`None`'],
    ['ruby', 'nil-method', '`nil`'],
    ['php', 'null-method', '`null`'],
  ];
  for (const [rt, name, word] of nulls) {
    it(`${rt} ${name}: a ${word} value used as an object, with the runtime's message`, () => {
      const a = first(rt, name);
      expect(a.kind).toBe('null-deref');
      expect(a.causes[0].title).toMatch(new RegExp(`^A ${word} value (?:\\(\`[^\`]+\`\\) )?was used as an object in \`${a.crashFrame!.function}\``));
      expect(a.causes[0].title).toContain(a.exception!.message!.slice(0, 40));
    });
  }

  it("Python 3.11+: the expression it marked in the crash line names the None (`station.probe` of `station.probe.salinity`)", () => {
    const a = first('python', 'attr-none.default');
    expect(a.causes[0].title).toMatch(/^A `None` value \(`station\.probe`\) was used as an object in `read_salinity`/);
    expect(a.causes[0].evidence).toEqual(expect.arrayContaining(['marked-expression', 'source-line']));
    expect(a.evidence.find((e) => e.id === 'marked-expression')?.text).toBe('Python marked `station.probe.salinity` in line 30.');
    expect(a.evidence.find((e) => e.id === 'source-line')?.text).toBe('The report shows line 30: `return station.probe.salinity  # BUG[attr-none]`.');
    // a subscript: the `~` part is the value, the `^` part what was done to it
    const k = first('python', 'thread-error.default');
    expect(k.evidence.find((e) => e.id === 'marked-expression')?.text).toBe('Python marked `gauges["tide-height"]` in line 69: the operation `["tide-height"]` on `gauges`.');
    // Node: the caret under the property read names the value it was read from
    const n = first('node', 'undefined-prop.default');
    expect(n.causes[0].title).toMatch(/^A `undefined` \(or `null`\) value \(`route`\) was used as an object in `routeMessage`/);
    expect(n.evidence.find((e) => e.id === 'marked-expression')?.text).toBe('Node pointed at `.target` of `route` in line 23: `route` was undefined.');
    // Ruby: error_highlight marks the call; the receiver before its `.` was nil
    const r = first('ruby', 'nil-method.default');
    expect(r.causes[0].title).toMatch(/^A `nil` value \(`@slabs\[name\]`\) was used as an object in `slab_width`/);
    expect(r.evidence.find((e) => e.id === 'marked-expression')?.text).toBe('Ruby marked `.width` in line 18: `@slabs[name]` was nil.');
    // Node's own line (node:internal) is not shown as the crash line
    expect(first('node', 'err-code.default').evidence.some((e) => e.id === 'source-line')).toBe(false);
    // marks in a library's frame (json's decoder) are not cited
    expect(first('python', 'raise-from.default').evidence.some((e) => e.id === 'marked-expression')).toBe(false);
  });

  it("a chain's cause quotes its root cause, which the crash is about, and names it; Python's implicit chain keeps the outer one", () => {
    const j = first('java', 'caused-by.default');
    expect(j.exception!.message).not.toContain('12.5x');
    expect(j.causes[0].title).toContain('escaped every handler, caused by `java.lang.NumberFormatException` ("For input string: "12.5x"")');
    expect(j.evidence.find((e) => e.id === 'root-cause')?.text).toBe('Caused by java.lang.NumberFormatException: For input string: "12.5x".');
    expect(j.causes[0].evidence).toContain('root-cause');
    const p = first('python', 'raise-from.default');
    expect(p.causes[0].title).toMatch(/^An exception of type `RuntimeError` escaped every handler, caused by `json\.decoder\.JSONDecodeError` \("Expecting property name/);
    const implicit = first('python', 'implicit-chain.default');
    expect(implicit.exception!.causes.length).toBeGreaterThan(0);
    expect(implicit.causes[0].title).toMatch(/^An exception of type `ZeroDivisionError` escaped every handler \("division by zero"\)/);
    expect(implicit.evidence.some((e) => e.id === 'root-cause')).toBe(false);
  });

  it('a helpful NullPointerException (JDK 14+) names the null: the cause says it, and no step asks the JVM for it', () => {
    const text = [
      'Exception in thread "main" java.lang.IllegalStateException: Failed to execute CommandLineRunner',
      '\tat org.harbor.tally.TallyApplication.main(TallyApplication.java:12)',
      'Caused by: java.lang.NullPointerException: Cannot invoke "String.length()" because "this.owner" is null',
      '\tat org.harbor.tally.Ledger.width(Ledger.java:41)',
      '\tat org.harbor.tally.TallyApplication.run(TallyApplication.java:20)',
      '\t... 1 more',
    ].join('\n');
    const a = run(text);
    expect(a.kind).toBe('null-deref');
    expect(a.causes[0].title).toMatch(/^A `null` value \(`this\.owner`\) was used as an object in `org\.harbor\.tally\.Ledger\.width` \("Cannot invoke "String\.length\(\)" because "this\.owner" is null"\)/);
    expect(a.evidence.find((e) => e.id === 'marked-expression')?.text).toBe('The JVM names the value that was null: `this.owner`.');
    expect(commands(a)).not.toContain('ShowCodeDetailsInExceptionMessages');
    // the JVM's placeholder for code without debug info names nothing
    expect(run(text.replace('this.owner', '<local1>')).evidence.some((e) => e.id === 'marked-expression')).toBe(false);
  });

  it('Node: a rejection with a non-Error value says the stack is Node’s own, not the code that rejected', () => {
    const a = first('node', 'rejection-string');
    expect(a.causes).toHaveLength(1);
    expect(a.causes[0].title).toMatch(/^A promise was rejected with a value that is not an Error/);
    expect(a.causes[0].title).not.toContain('thrown from');
  });

  it('an uncaught exception gets one cause, not the same one twice in other words', () => {
    const a = first('java', 'caused-by');
    expect(a.causes).toHaveLength(1);
    expect(a.causes[0].title).toMatch(/escaped every handler/);
  });

  it('out of memory: an allocation in the program, in the runtime (Node’s heap limit), or with no frames at all', () => {
    expect(first('java', 'oom').causes[0].title).toMatch(/^An allocation in `org\.harbor\.tally\.Tally\.hoardInvoices`/);
    const n = first('node', 'heap-oom');
    // Node's OOM handler reports; it did not allocate
    expect(n.crashFrame?.function).not.toBe('node::OOMErrorHandler');
    expect(n.causes[0].title).toMatch(/^Memory ran out inside the runtime, not at a call of the program/);
    const r = run(fixtures('rust').find((f) => f.name.includes('bt0'))!.text);
    expect(r.crashFrame).toBeNull();
    expect(r.causes[0].title).toMatch(/^Memory ran out, and no frame of the report says where/);
  });

  it('a failed pytest assert: kind assertion, its condition and what pytest compared', () => {
    const a = first('python', 'pytest-assert');
    expect(a.kind).toBe('assertion');
    expect(a.causes[0].title).toMatch(/^The check `len\(stations\) == 3` failed in `test_station_count` \(pytest compared 2 == 3; \+ where 2 = len/);
  });

  it('a failed Minitest assertion names the test and what it expected', () => {
    expect(first('ruby', 'minitest-failure').causes[0].title).toBe('The test `QuarryTest#test_slab_count` failed an assertion (Expected: 3 Actual: 2): the code under test returned a different value than the test expects, or the test expects the wrong one.');
  });

  it('a go test that failed without a panic (t.Errorf) is an assertion at its logged line', () => {
    const a = first('go', 'gotest-fail');
    expect(a.kind).toBe('assertion');
    expect(a.crashFrame).toMatchObject({ function: 'example.invalid/shipyard.TestManifestCount', file: 'main_test.go', line: 19 });
    expect(a.causes[0].title).toMatch(/^The test `TestManifestCount` failed an assertion \(len\(berths\) = 2, want 3\)/);
  });

  it('a failed node:test assertion names the test and what it compared', () => {
    // TAP (CI) and the spec reporter (a terminal) say the same
    for (const name of ['node-test-assert.tap', 'node-test-assert.spec-all']) {
      expect(first('node', name).causes[0].title).toMatch(/^The test `counts relays` failed an assertion \(operator strictEqual, expected 3, actual 2\)/);
    }
    // an assert outside a test keeps its message as the cause
    expect(first('node', 'assert-fail').causes[0].title).toMatch(/^A check failed in `checkQuota` \("Expected values to be strictly equal: 2 !== 3"\)/);
  });

  it('a JUnit assertion (opentest4j, as Maven prints it) is kind assertion, with its message as the cause', () => {
    const text = [
      '[ERROR] org.harbor.tally.TallyTest.countsInvoices -- Time elapsed: 0.012 s <<< FAILURE!',
      'org.opentest4j.AssertionFailedError: expected: <3> but was: <2>',
      '\tat org.junit.jupiter.api.AssertionFailureBuilder.build(AssertionFailureBuilder.java:151)',
      '\tat org.junit.jupiter.api.Assertions.assertEquals(Assertions.java:531)',
      '\tat org.harbor.tally.TallyTest.countsInvoices(TallyTest.java:14)',
    ].join('\n');
    const a = run(text);
    expect(a.kind).toBe('assertion');
    expect(a.crashFrame?.function).toBe('org.harbor.tally.TallyTest.countsInvoices');
    expect(a.causes[0].title).toBe('A check failed in `org.harbor.tally.TallyTest.countsInvoices` ("expected: <3> but was: <2>"): the code under test returned a different value than the test (or the assertion) expects, or the expectation is wrong.');
    expect(commands(a)).toMatch(/mvn test -Dtest='TallyTest#countsInvoices'\ngradle test --tests 'org\.harbor\.tally\.TallyTest\.countsInvoices'/);
  });

  it('Go: all goroutines asleep, and a Java-level deadlock, each get a cause', () => {
    expect(first('go', 'deadlock').causes[0].title).toMatch(/^Every goroutine is blocked/);
    const j = first('java', 'deadlock');
    expect(j.causes[0].title).toMatch(/^Lock-order inversion between Java threads: "clerk-a" waiting to lock/);
  });
});
