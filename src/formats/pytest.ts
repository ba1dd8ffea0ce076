/**
 * pytest's failure sections: the traceback pytest prints for a failing test (its FAILURES
 * and ERRORS sections), which is not Python's own `Traceback (most recent call last):`.
 * Takes: the cleaned lines. Gives: one section per failing test, in the order printed —
 * its lines, its frames (outermost first, as printed), the exception type and message —
 * for the python format to build reports from (src/formats/python.ts).
 *
 * Both entry styles pytest prints, in any mix (`--tb=auto` uses both):
 * - long: the function's source from its `def` line, the failing line marked `>`, the
 *   `E   ` lines of the exception, then the location `file.py:8: AttributeError`;
 * - short: the location first, `file.py:8: in level`, then the line and `E   ` lines.
 * Entries are separated by `_ _ _ _` lines; a long entry may open with the function's
 * arguments (`self = <…>, name = 'north'`).
 */
import { newFrame, type Frame } from '../model.js';

export interface PytestSection {
  /** The header line (`____ test_level ____`) and the section's last line. */
  start: number;
  end: number;
  /** What the header names: `test_level`, `TestBerths.test_count`, `ERROR at setup of test_dock`. */
  test: string;
  /** Printed order: the test function first, the innermost call last. */
  frames: Frame[];
  type: string;
  message: string | null;
  /** The failing line as the source reads (the last `>` line): for a failed assert, its condition. */
  source: string | null;
  /** The `E   ` lines after the first: pytest's explanation of a failed comparison. */
  detail: string[];
}

const HEADER_RE = /^_{3,} (.{1,300}?) _{3,}$/;
const SHORT_LOC_RE = /^(\S.{0,2000}?):(\d{1,9}): in (\S.{0,500})$/;
const LONG_LOC_RE = /^(\S.{0,2000}?\.py):(\d{1,9}): ?([A-Za-z_][\w.]{0,300})?$/;
const DEF_RE = /^\s{4,}(?:>\s*)?(?:async\s+)?def\s+([A-Za-z_]\w{0,200})\s*\(/;
const EXC_RE = /^([A-Za-z_][\w.]{0,300}(?:Error|Exception|Exit|Interrupt|Warning|Group|Failed|Skipped)|[A-Z][\w.]{0,300}): (.*)$/;
/** The most lines one section may hold: a longer run is not one test's traceback. */
const MAX_SECTION = 5000;

/** A `_ _ _ _` line between two entries of one traceback. */
function isSeparator(t: string): boolean {
  return t.length >= 5 && t.startsWith('_ _ _') && /^(?:_ )+_?$/.test(t);
}

/** The end of a section: the next header, or a `=== … ===` banner (the next section of pytest's summary). */
function endsSection(t: string): boolean {
  return (t.startsWith('___') && HEADER_RE.test(t)) || (t.startsWith('===') && t.endsWith('==='));
}

/** Every failure section in `lines` with at least one frame and an exception. */
export function readPytestSections(lines: string[], from = 0): PytestSection[] {
  const out: PytestSection[] = [];
  for (let i = from; i < lines.length; i++) {
    const l = lines[i];
    if (l.charCodeAt(0) !== 95 /* _ */ || !l.startsWith('___')) continue;
    const h = HEADER_RE.exec(l.trimEnd());
    if (!h) continue;
    const s = readSection(lines, i, h[1]);
    if (s) {
      out.push(s);
      i = s.end;
    }
  }
  return out;
}

function readSection(lines: string[], start: number, test: string): PytestSection | null {
  const frames: Frame[] = [];
  let type = '';
  let eLines: string[] = [];
  // the current long entry: its `def` name and its arguments line
  let defName: string | null = null;
  let args: string | null = null;
  let source: string | null = null;
  let end = start;
  let j = start + 1;
  for (; j < lines.length && j - start < MAX_SECTION; j++) {
    const raw = lines[j];
    const t = raw.trimEnd();
    if (endsSection(t)) break;
    if (t === '') continue;
    end = j;
    if (isSeparator(t)) {
      defName = null;
      args = null;
      continue;
    }
    if (t.startsWith('E ') || t === 'E') {
      eLines.push(t.slice(1).trim());
      continue;
    }
    const short = SHORT_LOC_RE.exec(t);
    if (short) {
      frames.push(frameAt(short[1], short[2], short[3].trim(), null));
      eLines = [];
      continue;
    }
    const long = raw.charCodeAt(0) !== 32 ? LONG_LOC_RE.exec(t) : null;
    if (long) {
      frames.push(frameAt(long[1], long[2], defName, args));
      if (long[3]) type = long[3];
      defName = null;
      args = null;
      continue;
    }
    const d = DEF_RE.exec(raw);
    if (d) {
      defName = d[1];
      continue;
    }
    if (raw.charCodeAt(0) === 62 /* > */) {
      source = t.slice(1).trim();
      continue;
    }
    // `self = <…>, name = 'north'` at the top of a long entry: the function's arguments
    if (defName === null && raw.charCodeAt(0) !== 32 && / = /.test(t)) args = t;
  }
  if (frames.length === 0 || eLines.length === 0) return null;
  const first = eLines[0];
  const m = EXC_RE.exec(first);
  const detail = eLines.slice(1);
  if (m && (type === '' || type === m[1] || m[1].endsWith(`.${type}`))) {
    return { start, end, test, frames, type: m[1], message: m[2], source, detail };
  }
  // `E   assert 2 == 3` (a failed assert, rewritten by pytest), or a type named only by the location line
  const assertion = first.startsWith('assert ');
  return { start, end, test, frames, type: type || (assertion ? 'AssertionError' : first), message: type || assertion ? first : null, source, detail };
}

function frameAt(file: string, line: string, fn: string | null, args: string | null): Frame {
  const f = newFrame(0, fn);
  f.file = file;
  f.line = Number(line);
  if (args !== null) f.args = args;
  return f;
}
