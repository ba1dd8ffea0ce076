import { describe, expect, it } from 'vitest';
import { cleanDotnetName, parseDotnet, parseDotnetFrame } from '../../src/formats/dotnet.js';
import { parseJava } from '../../src/formats/java.js';
import { crashingThread, docOf, handwritten } from '../fixtures/runtimes/load.js';
import { analyze } from '../../src/analyze.js';
import { candidateLines, clean } from '../../src/ingest/clean.js';
import type { Analysis } from '../../src/model.js';

describe('dotnet format on hand-written shapes (no .NET SDK on the build machine)', () => {
  it('inner exception: the root cause gives the stack and the kind, the outer stays the exception', () => {
    const r = parseDotnet(docOf(handwritten('dotnet-inner.txt')));
    expect(r).toHaveLength(1);
    expect(r[0].startLine).toBe(2);
    expect(r[0].exception).toEqual({
      type: 'System.InvalidOperationException',
      message: "Ledger 'east' could not be loaded",
      causes: [{ type: 'System.FormatException', message: "The input string '12,5x' was not in a correct format." }],
    });
    expect(r[0].kind?.kind).toBe('uncaught-exception');
    const fr = crashingThread(r[0])!.frames;
    expect(fr[2]).toMatchObject({ function: 'Harbor.Ledgers.LedgerReader.ParseAmount', file: '/src/Harbor/Ledgers/LedgerReader.cs', line: 58, module: 'Harbor.Ledgers' });
    // Async state machine shown as the method; the outer block's callers follow once.
    expect(fr[4]).toMatchObject({ function: 'Harbor.Ledgers.LedgerReader.LoadAsync', line: 27 });
    expect(fr.slice(5).map((f) => f.function)).toEqual(['Harbor.Program.<Main>$', 'Harbor.Program.<Main>']);
    fr.forEach((f, i) => expect(f.index).toBe(i));
  });

  it('NullReferenceException with a lambda frame and Windows paths', () => {
    const r = parseDotnet(docOf(handwritten('dotnet-nullref.txt')))[0];
    expect(r.kind?.kind).toBe('null-deref');
    const fr = crashingThread(r)!.frames;
    expect(fr[0]).toMatchObject({ function: 'Harbor.Berths.BerthPlanner.Assign', file: 'C:\\src\\Harbor\\Berths\\BerthPlanner.cs', line: 88 });
    expect(fr[1]).toMatchObject({ function: 'Harbor.Berths.BerthPlanner.PlanAll.lambda', module: 'Harbor.Berths' });
  });

  it('Stack overflow with a folded repeat block', () => {
    const r = parseDotnet(docOf(handwritten('dotnet-stackoverflow.txt')))[0];
    expect(r.kind?.kind).toBe('stack-overflow');
    expect(crashingThread(r)!.frames.map((f) => f.function)).toEqual(['Harbor.Routes.RouteGraph.Depth', 'Harbor.Routes.RouteGraph.Longest', 'Harbor.Program.Main']);
    expect(r.facts.some((f) => f.value === '19204')).toBe(true);
  });

  it('compiler-generated names read as the method a person wrote', () => {
    expect(cleanDotnetName('Harbor.Sync.<FetchAsync>d__5.MoveNext')).toBe('Harbor.Sync.FetchAsync');
    expect(cleanDotnetName('Program.<<Main>$>g__Join|0_8')).toBe('Program.Main.Join');
    expect(cleanDotnetName('A.B.<>c.<Run>b__2_0')).toBe('A.B.Run.lambda');
    expect(parseDotnetFrame('  at Harbor.Dock.Moor (System.String name) [0x0001c] in /src/Dock.cs:42', 0)).toMatchObject({ function: 'Harbor.Dock.Moor' });
  });

  it('a logged exception without the Unhandled header; Java traces stay Java', () => {
    const r = parseDotnet(docOf('System.ArgumentException: bad berth\n   at Harbor.Dock.Moor(String name) in /src/Dock.cs:line 42\n'));
    expect(r).toHaveLength(1);
    expect(parseDotnet(docOf('java.lang.IllegalStateException: x\n\tat org.a.B.c(B.java:1)'))).toEqual([]);
    expect(parseJava(docOf(handwritten('dotnet-nullref.txt')))).toEqual([]);
  });

  it('in a cleaned log with valgrind `at` lines, still finds a logged exception and an Unhandled header', () => {
    // Through clean(): candidates that are neither a header nor a .NET `at` line are passed over.
    const vg = Array.from({ length: 4000 }, (_, k) => (k % 40 === 0 ? `==4242==    at 0x${(0x4848000 + k).toString(16)}: berth_scan (berth.c:${k})` : `==4242== tide ${k}`));
    const text = [...vg, 'System.ArgumentException: bad berth', '   at Harbor.Dock.Moor(String name) in /src/Dock.cs:line 42', ...vg, 'Unhandled exception. System.InvalidOperationException: tide', '   at Harbor.Tide.Read() in /src/Tide.cs:line 7', ...vg].join('\n');
    const doc = clean(text);
    expect(candidateLines(doc, ['  at '])).not.toBeNull();
    expect(parseDotnet(doc).map((r) => r.startLine)).toEqual([4000, 8002]);
  });

  it('survives hostile input', () => {
    expect(() => parseDotnet(docOf('Unhandled exception. ' + ' ---> '.repeat(100000) + '\n   at ' + '('.repeat(100000) + '\n   at <<<' + '<'.repeat(10000)))).not.toThrow();
    expect(parseDotnet(docOf('Unhandled exceptions are logged here'))).toEqual([]);
  });
});

describe('dotnet end to end', () => {
  it('crash frame is the app method under the BCL throw helpers', () => {
    const a = analyze(handwritten('dotnet-inner.txt'), { input: 'x' }) as Analysis;
    expect(a.format).toBe('dotnet');
    expect(a.crashFrame?.function).toBe('Harbor.Ledgers.LedgerReader.ParseAmount');
    expect(a.crashFrame?.line).toBe(58);
    expect(a.exception?.causes.at(-1)?.type).toBe('System.FormatException');
    const b = analyze(handwritten('dotnet-nullref.txt'), { input: 'y' }) as Analysis;
    expect(b.kind).toBe('null-deref');
    expect(b.crashFrame?.function).toBe('Harbor.Berths.BerthPlanner.Assign');
    // Moving the code down a few lines keeps the signature.
    const shifted = analyze(handwritten('dotnet-nullref.txt').replace(/:line (\d+)/g, (_, n) => `:line ${Number(n) + 7}`), { input: 'z' }) as Analysis;
    expect(shifted.signature.id).toBe(b.signature.id);
    expect(a.signature.id).not.toBe(b.signature.id);
  });
});
