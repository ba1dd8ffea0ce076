/**
 * `go test` failures that are no panic: a test that called `t.Error`/`t.Fatal`.
 * Takes: the cleaned lines. Gives: one report per failing test with logged lines —
 * `--- FAIL: TestX (0.00s)` then its log, `    file_test.go:12: message`, indented under it
 * (a subtest `TestX/case` one level deeper) — an assertion at the first logged location.
 * A test that panicked logs nothing there (the panic follows at the left margin and is read
 * as a panic).
 */
import { emptyReport, newFrame, type ParsedReport } from '../model.js';

const FAIL_RE = /^(\s{0,40})--- FAIL: (\S{1,500}) \([\d.]{1,20}s\)$/;
const LOG_RE = /^\s{1,80}([\w./\\-]{1,500}\.go):(\d{1,9}): (.{0,2000})$/;
/** `FAIL	example.com/pkg	0.003s`: the package of the tests above it. */
const PKG_RE = /^FAIL\t(\S{1,500})\t/;

/** Every failing test with its log lines in `lines`. */
export function readGoTestFailures(lines: string[]): ParsedReport[] {
  const out: ParsedReport[] = [];
  let pending: ParsedReport[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.startsWith('FAIL\t')) {
      const pkg = PKG_RE.exec(l)?.[1];
      if (pkg) for (const r of pending) qualify(r, pkg);
      pending = [];
      continue;
    }
    if (l.indexOf('--- FAIL: ') < 0) continue;
    const m = FAIL_RE.exec(l);
    if (!m) continue;
    const r = readOne(lines, i, m[1].length, m[2]);
    if (r) {
      out.push(r);
      pending.push(r);
    }
  }
  return out;
}

function readOne(lines: string[], start: number, indent: number, test: string): ParsedReport | null {
  const said: string[] = [];
  let at: { file: string; line: number } | null = null;
  let end = start;
  for (let j = start + 1; j < lines.length && j - start < 500; j++) {
    const l = lines[j];
    if (l.length - l.trimStart().length <= indent || l.trimStart().startsWith('--- ')) break;
    const m = LOG_RE.exec(l);
    if (m) {
      at ??= { file: m[1], line: Number(m[2]) };
      said.push(m[3]);
    } else if (said.length > 0) said.push(l.trim()); // a logged message's further lines
    end = j;
  }
  if (at === null) return null;
  const rep = emptyReport('go', start);
  rep.endLine = end;
  const name = test.split('/')[0];
  const f = newFrame(0, name);
  f.file = at.file;
  f.line = at.line;
  f.roleHint = 'app';
  const message = said.join(' ').slice(0, 2000);
  rep.message = message;
  rep.assertion = { expression: message, file: at.file, line: at.line, function: name };
  rep.kind = { kind: 'assertion', confidence: 'high', reason: `go test: ${test} failed` };
  rep.facts.push({ code: 'other', text: `go test: test ${test} failed`, value: test });
  rep.threads.push({ id: 'test', name: test, crashed: true, state: null, frames: [f] });
  rep.crashingThreadId = 'test';
  return rep;
}

/** The package line after the tests names their package: `pkg.TestX`, as a panic's frames name it. */
function qualify(r: ParsedReport, pkg: string): void {
  const f = r.threads[0].frames[0];
  f.function = `${pkg}.${f.function}`;
  f.module = pkg;
  if (r.assertion) r.assertion.function = f.function;
}
