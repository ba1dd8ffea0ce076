/**
 * Python tracebacks and faulthandler dumps.
 * Takes: the cleaned document. Gives: one report per traceback chain or fatal-error dump:
 * the exception chain (outermost in `type`/`message`, the rest in `causes`, innermost last),
 * the crashing stack innermost first (Python prints the most recent call LAST), the kind.
 *
 *   Traceback (most recent call last):
 *     File "/srv/tidepool.py", line 19, in read_salinity
 *       return station.probe.salinity
 *              ^^^^^^^^^^^^^^^^^^^^^^
 *   AttributeError: 'NoneType' object has no attribute 'salinity'
 *
 * Chains: "The above exception was the direct cause of the following exception:" (explicit,
 * `raise … from`): the root cause — the first one printed — is the crash. "During handling
 * of the above exception, another exception occurred:" (implicit): the handler's exception,
 * printed after, is the crash and the earlier one is context (DESIGN, `exception`).
 * Exception groups (`| ` prefixed), SyntaxError locations, `[Previous line repeated N more
 * times]`, `Exception in thread X:` headers and faulthandler's
 * `Fatal Python error: Segmentation fault` / `Current thread 0x… (most recent call first):`.
 */
import type { Confidence, CrashKind, Fact, Frame, ParsedReport, Thread } from '../model.js';
import { emptyReport, newFrame } from '../model.js';
import type { Doc } from '../ingest/doc.js';
import type { FormatModule } from './format.js';
import { kindForClass } from '../diagnose/kind-table.js';
import { linesAreSubstrings, rawIncludes } from '../ingest/clean.js';
import { readPytestSections, type PytestSection } from './pytest.js';

const GROUP_TRACEBACK = 'Exception Group Traceback (most recent call last):';
const EXPLICIT = 'The above exception was the direct cause of the following exception:';
const IMPLICIT = 'During handling of the above exception, another exception occurred:';

/** Kinds an exception message may select (the type decides first). */
const MESSAGE_KINDS = new Set<CrashKind>(['null-deref', 'stack-overflow', 'oom']);

const FILE_RE = /^File "([^"]{1,4000})", line (\d{1,9})(?:, in (.{1,2000}))?$/;
const FH_FILE_RE = /^File "([^"]{1,4000})", line (\d{1,9}) in (.{1,2000})$/;
const EXC_RE = /^([A-Za-z_][\w.]{0,300}(?:\[[^\]]{0,100}\])?)(?:: (.*))?$/;

interface Segment {
  type: string;
  message: string | null;
  /** Printed order: outermost call first. */
  frames: Frame[];
  /** Link to the segment printed before this one. */
  link: 'explicit' | 'implicit' | null;
  threadName: string | null;
  subExceptions: string[];
  /** SyntaxError location (`File "x.py", line 1` without a function). */
  syntaxAt?: string;
  /** `[Previous line repeated 995 more times]`. */
  repeated?: string;
  /** The source line printed under the innermost frame, and what Python 3.11+ marked in it. */
  source?: { text: string; marked: Marked | null };
}

/**
 * What the caret line under a source line marks (Python 3.11+): the whole expression that
 * failed, and, when it splits into `~` then `^` (`cfg["a"]["b"]` over `~~~~~~~~^^^^^`), the
 * operand (`cfg["a"]`) and the operation applied to it (`["b"]`).
 */
export interface Marked {
  expression: string;
  operand: string | null;
  operation: string | null;
}

/** Reads a caret line against the source line above it (both as printed, same indentation). */
export function readMarks(source: string, carets: string): Marked | null {
  let a = 0;
  while (a < carets.length && (carets.charCodeAt(a) === 32 || carets.charCodeAt(a) === 9)) a++;
  let b = carets.length;
  while (b > a && carets.charCodeAt(b - 1) === 32) b--;
  if (a >= b || b > source.length) return null;
  // `~`s, then `^`s, then `~`s at most: anything else is not a caret line
  let k = a;
  while (k < b && carets[k] === '~') k++;
  const tildes = k - a;
  const opFrom = k;
  while (k < b && carets[k] === '^') k++;
  const opTo = k;
  while (k < b && carets[k] === '~') k++;
  if (k !== b || opTo === opFrom) return null;
  const expression = source.slice(a, b).trim();
  if (expression === '') return null;
  // an operand is only clear when the marks are `~…~^…^` (a subscript, an attribute, a call)
  const split = tildes > 0 && opTo === b;
  return { expression, operand: split ? source.slice(a, opFrom).trim() || null : null, operation: split ? source.slice(opFrom, opTo).trim() || null : null };
}

/** Strip exception-group drawing: `  | `, `  +-+---- 1 ----`, nested `    | `. */
function stripGroup(l: string): string | null {
  let s = l;
  let k = 0;
  // Bounded loop: at most one prefix per nesting level.
  while (k < 50) {
    const t = s.trimStart();
    if (t.startsWith('| ')) s = t.slice(2);
    else if (t === '|') s = '';
    else if (t.startsWith('+-') || t.startsWith('+ ')) {
      if (t.startsWith('+ Exception Group Traceback')) return t.slice(2);
      return null;
    } else break;
    k++;
  }
  return s;
}

function isTracebackStart(l: string): boolean {
  return l.includes('Traceback (most recent call last):');
}

function kindOf(type: string, message: string | null): { kind: CrashKind; confidence: Confidence; reason: string } {
  const short = type.includes('.') ? type.slice(type.lastIndexOf('.') + 1) : type;
  const byType = kindForClass(short);
  if (byType) return { ...byType, reason: `Python ${short}` };
  if (message) {
    const byMsg = kindForClass(message);
    if (byMsg && MESSAGE_KINDS.has(byMsg.kind)) return { ...byMsg, reason: `Python ${short}: ${message}` };
  }
  const u = kindForClass('uncaught exception');
  return { kind: u?.kind ?? 'uncaught-exception', confidence: 'high', reason: `uncaught Python ${short}` };
}

/** Parse one traceback block starting after its header line; returns the segment and next line. */
function parseBlock(lines: string[], start: number, group: boolean): { seg: Segment; next: number; complete: boolean } {
  const seg: Segment = { type: '', message: null, frames: [], link: null, threadName: null, subExceptions: [] };
  let i = start;
  let sawException = false;
  for (; i < lines.length; i++) {
    let raw = lines[i];
    if (group) {
      const g = stripGroup(raw);
      if (g === null) {
        // `+-+---- 1 ----` opens the sub-exceptions: read their exception lines as facts.
        if (sawException) {
          i = readSubExceptions(lines, i, seg);
          break;
        }
        continue;
      }
      raw = g;
    }
    const t = raw.trim();
    if (t === '') {
      if (sawException) break;
      continue;
    }
    if (t.startsWith('File "')) {
      const m = FILE_RE.exec(t);
      if (m) {
        if (m[3] === undefined) {
          // SyntaxError location (`File "x.py", line 1`): not a call frame.
          seg.syntaxAt = `${m[1]}:${m[2]}`;
          continue;
        }
        const f = newFrame(0, m[3]);
        f.file = m[1];
        f.line = Number(m[2]);
        f.module = moduleOf(m[1]);
        seg.frames.push(f);
        seg.source = undefined;
        // the frame's source line, and Python 3.11+'s marks under it
        const src = i + 1 < lines.length ? (group ? stripGroup(lines[i + 1]) : lines[i + 1]) : null;
        if (src !== null && (src.startsWith('    ') || src.startsWith('\t')) && src.trim() !== '' && src.length <= 4000) {
          const marks = i + 2 < lines.length ? (group ? stripGroup(lines[i + 2]) : lines[i + 2]) : null;
          const t2 = marks?.trim() ?? '';
          seg.source = { text: src.trim(), marked: marks && (t2.startsWith('^') || t2.startsWith('~')) && marks.length <= 4000 ? readMarks(src, marks) : null };
        }
        continue;
      }
    }
    if (t.startsWith('[Previous line repeated ')) {
      seg.repeated = t;
      continue;
    }
    // Source lines and caret markers are indented under their frame.
    if (raw.startsWith('    ') || raw.startsWith('\t')) continue;
    if (t.startsWith('^') || t.startsWith('~')) continue;
    if (!sawException) {
      const m = EXC_RE.exec(t.length > 20000 ? t.slice(0, 20000) : t);
      if (m && (m[2] !== undefined || /(Error|Exception|Exit|Interrupt|Warning|Group)$/.test(m[1]) || seg.frames.length > 0)) {
        seg.type = m[1];
        seg.message = m[2] ?? null;
        sawException = true;
        continue;
      }
      break;
    }
    // Continuation of a multi-line message (notes, `add_note`): stop at anything structured.
    if (t === EXPLICIT || t === IMPLICIT || isTracebackStart(t)) break;
    break;
  }
  return { seg, next: i, complete: sawException };
}

/** Read `ValueError: …` lines of an exception group's sub-exceptions. */
function readSubExceptions(lines: string[], i: number, seg: Segment): number {
  for (; i < lines.length; i++) {
    const raw = lines[i];
    const t = raw.trim();
    if (!(t.startsWith('|') || t.startsWith('+'))) break;
    if (t.startsWith('+') && /^\+-{5,}$/.test(t)) {
      i++;
      break;
    }
    const s = stripGroup(raw);
    if (s === null) continue;
    const st = s.trim();
    if (st.startsWith('File "') || st === '' || s.startsWith('    ') || st.startsWith('^') || isTracebackStart(st)) continue;
    const m = EXC_RE.exec(st.length > 2000 ? st.slice(0, 2000) : st);
    if (m && m[2] !== undefined && seg.subExceptions.length < 100) seg.subExceptions.push(st);
  }
  return i;
}

/** The package of a frame: the directory under site-packages, or the file's stem. */
function moduleOf(file: string): string | null {
  const sp = file.indexOf('-packages/');
  if (sp >= 0) {
    const rest = file.slice(sp + 10);
    const k = rest.indexOf('/');
    return k > 0 ? rest.slice(0, k) : rest.replace(/\.py$/, '');
  }
  // Standard library: the dotted module under lib/pythonX.Y/ (`json.decoder`, `ctypes`).
  const lib = file.indexOf('/lib/python');
  if (lib >= 0) {
    const slash = file.indexOf('/', lib + 11);
    if (slash > 0 && file.endsWith('.py')) {
      const dotted = file.slice(slash + 1, -3).split('/').join('.');
      return dotted.endsWith('.__init__') ? dotted.slice(0, -9) : dotted;
    }
  }
  const k = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  const base = k >= 0 ? file.slice(k + 1) : file;
  return base.endsWith('.py') ? base.slice(0, -3) : null;
}

type Seg = Segment;

function toThreadFrames(frames: Frame[]): Frame[] {
  const out = frames.slice().reverse();
  out.forEach((f, i) => (f.index = i));
  return out;
}

function buildReport(segs: Seg[], startLine: number, endLine: number, complete: boolean): ParsedReport {
  const rep = emptyReport('python', startLine);
  rep.endLine = endLine;
  rep.complete = complete;
  // The crash: from the last segment, walk back over explicit links (`raise … from`) to the
  // root cause; an implicit link stops the walk (the handler's exception is the crash).
  let crash = segs.length - 1;
  while (crash > 0 && segs[crash].link === 'explicit') crash--;
  const outer = segs[segs.length - 1];
  const c = segs[crash];
  if (outer.type) {
    rep.exception = {
      type: outer.type,
      message: outer.message,
      causes: segs.slice(0, -1).reverse().map((s) => ({ type: s.type, message: s.message })),
    };
    rep.message = outer.message != null ? `${outer.type}: ${outer.message}` : outer.type;
    rep.kind = kindOf(c.type || outer.type, c.message);
  }
  // The outermost exception's kind wins when it is more specific (RecursionError raised
  // while handling something else is still a recursion).
  if (crash !== segs.length - 1 && rep.kind) {
    const k = kindOf(outer.type, outer.message);
    if (k.kind !== 'uncaught-exception' && rep.kind.kind === 'uncaught-exception') rep.kind = k;
  }
  // A plain traceback names no thread; `Exception in thread X:` does.
  const name = c.threadName ?? outer.threadName ?? null;
  const frames = toThreadFrames(c.frames);
  // A SyntaxError in a real file (an import, a script) points at the line to fix: it is the
  // innermost frame. (`compile()` of a string names a made-up file: the caller stays on top.)
  if (c.syntaxAt && /^(?:\/|[A-Za-z]:\\)/.test(c.syntaxAt)) {
    const k = c.syntaxAt.lastIndexOf(':');
    const f = newFrame(0, null);
    f.file = c.syntaxAt.slice(0, k);
    f.line = Number(c.syntaxAt.slice(k + 1));
    f.module = moduleOf(f.file);
    f.roleHint = 'app';
    frames.unshift(f);
    frames.forEach((x, i) => (x.index = i));
  }
  const thread: Thread = { id: name ?? 'MainThread', name, crashed: true, state: null, frames };
  rep.threads.push(thread);
  rep.crashingThreadId = thread.id;
  const facts: Fact[] = rep.facts;
  for (const s of segs) {
    if (s.syntaxAt) facts.push({ code: 'other', text: `${s.type} at ${s.syntaxAt}`, value: s.syntaxAt });
    if (s.repeated) facts.push({ code: 'other', text: s.repeated.replace(/^\[|\]$/g, '') });
    for (const sub of s.subExceptions) facts.push({ code: 'other', text: `sub-exception: ${sub}`, value: sub });
  }
  if (crash !== segs.length - 1) {
    facts.push({ code: 'other', text: `Root cause ${c.type} (raise … from): the crash frame comes from its traceback.` });
  }
  // The innermost frame's line as the traceback printed it, and what Python marked in it.
  const top = frames[0];
  if (c.source && top && typeof top.line === 'number' && !c.syntaxAt) {
    rep.sourceLine = { line: top.line, text: c.source.text };
    const m = c.source.marked;
    if (m) {
      const part = m.operand !== null && m.operation !== null ? `: the operation \`${m.operation}\` on \`${m.operand}\`` : '';
      // the value the operation was applied to: the `~` part, or what the missing attribute was read from
      let operand = m.operand;
      const attr = /^'[A-Za-z_][\w.]{0,200}' object has no attribute '([A-Za-z_]\w{0,200})'/.exec(c.message ?? '');
      if (operand === null && attr && m.expression.endsWith(`.${attr[1]}`) && m.expression.length > attr[1].length + 1) operand = m.expression.slice(0, -(attr[1].length + 1));
      // (the fact's value names the operand only when the error says it was None: a cause cites it)
      const none = operand !== null && /NoneType/.test(c.message ?? '');
      facts.push({ code: 'other', text: `Python marked \`${m.expression}\` in line ${top.line}${part}.`, frame: 0, value: `marked:${none ? operand : ''}` });
    }
  }
  if (!complete) facts.push({ code: 'truncated', text: 'The traceback is cut off before its exception line.' });
  return rep;
}

/** faulthandler: `Fatal Python error: …` then `Current thread 0x… (most recent call first):`. */
function parseFaulthandler(lines: string[], i: number): { rep: ParsedReport; next: number } {
  const header = lines[i].trim();
  const rep = emptyReport('python', i);
  const what = header.slice('Fatal Python error: '.length).trim();
  rep.message = header;
  const k = kindForClass(what);
  rep.kind = k ? { ...k, reason: `Fatal Python error: ${what}` } : { kind: 'abort', confidence: 'medium', reason: `Fatal Python error: ${what}` };
  if (/segmentation fault/i.test(what)) rep.signal = { name: 'SIGSEGV', number: 11 };
  else if (/aborted/i.test(what)) rep.signal = { name: 'SIGABRT', number: 6 };
  else if (/bus error/i.test(what)) rep.signal = { name: 'SIGBUS', number: 7 };
  else if (/floating point/i.test(what)) rep.signal = { name: 'SIGFPE', number: 8 };
  let j = i + 1;
  let cur: Thread | null = null;
  let end = i;
  for (; j < lines.length; j++) {
    const t = lines[j].trim();
    if (t === '') {
      if (cur && cur.frames.length > 0 && j + 1 < lines.length && !/^(Current thread|Thread) 0x/.test(lines[j + 1].trim())) break;
      continue;
    }
    const th = /^(Current thread|Thread) (0x[0-9a-f]{1,16})(?: \[([^\]]{0,200})\])? \(most recent call first\):$/.exec(t);
    if (th) {
      cur = { id: th[2], name: th[3] ?? null, crashed: th[1] === 'Current thread', state: null, frames: [] };
      rep.threads.push(cur);
      if (cur.crashed) rep.crashingThreadId = cur.id;
      end = j;
      continue;
    }
    if (t.startsWith('File "') && cur) {
      const m = FH_FILE_RE.exec(t);
      if (m) {
        const f = newFrame(cur.frames.length, m[3]);
        f.file = m[1];
        f.line = Number(m[2]);
        f.module = moduleOf(m[1]);
        cur.frames.push(f);
        end = j;
        continue;
      }
    }
    if (t.startsWith('<no Python frame>') || t.startsWith('...') || t.startsWith('Stack (most recent call first)')) {
      end = j;
      continue;
    }
    if (t.startsWith('Python runtime state:') || t.startsWith('Extension modules:')) {
      end = j;
      continue;
    }
    if (!cur && j - i < 4) continue;
    break;
  }
  rep.endLine = end;
  if (rep.threads.length === 0) {
    rep.complete = false;
    rep.facts.push({ code: 'truncated', text: 'faulthandler printed no thread stacks.' });
  }
  return { rep, next: Math.max(j, i + 1) };
}

const SYNTAX_TYPES = ['SyntaxError', 'IndentationError', 'TabError'];

function bareSyntaxError(lines: string[], i: number): { rep: ParsedReport; next: number } | null {
  const m = FILE_RE.exec(lines[i].trim());
  if (!m || m[3] !== undefined) return null;
  for (let k = i + 1; k < lines.length && k - i <= 4; k++) {
    const t = lines[k];
    const em = EXC_RE.exec(t.length > 20000 ? '' : t);
    if (em && SYNTAX_TYPES.includes(em[1])) {
      const seg: Seg = { type: em[1], message: em[2] ?? null, frames: [], link: null, threadName: null, subExceptions: [], syntaxAt: `${m[1]}:${m[2]}` };
      const rep = buildReport([seg], i, k, true);
      // Without a traceback the location is the only frame, whatever its path.
      if (rep.threads[0].frames.length === 0) {
        const f = newFrame(0, null);
        f.file = m[1];
        f.line = Number(m[2]);
        f.module = moduleOf(m[1]);
        f.roleHint = 'app';
        rep.threads[0].frames.push(f);
      }
      return { rep, next: k + 1 };
    }
    if (!t.startsWith('    ') && t.trim() !== '') return null;
  }
  return null;
}

export function parsePython(doc: Doc): ParsedReport[] {
  const lines = doc.lines;
  const out: ParsedReport[] = [];
  let i = 0;
  // A text with only a faulthandler report (the other trigger) has no line to search for a
  // traceback header: the whole-text lookup is already done.
  const mayTrace = !linesAreSubstrings(doc) || rawIncludes(doc, 'Traceback (most recent call last)');
  while (i < lines.length) {
    const l = lines[i];
    if (l.charCodeAt(0) === 70 /* F */ && l.startsWith('Fatal Python error: ')) {
      const { rep, next } = parseFaulthandler(lines, i);
      out.push(rep);
      i = next;
      continue;
    }
    if (!mayTrace || !isTracebackStart(l)) {
      // A SyntaxError of the main script has no traceback: `File "x", line N`, the source,
      // a caret, then `SyntaxError: …`.
      if (l.startsWith('  File "') && !l.includes(', in ')) {
        const b = bareSyntaxError(lines, i);
        if (b) {
          out.push(b.rep);
          i = b.next;
          continue;
        }
      }
      i++;
      continue;
    }
    // A chain: blocks joined by the two separator sentences.
    const start = i > 0 && lines[i - 1].startsWith('Exception in thread ') ? i - 1 : i;
    const threadName = start < i ? /^Exception in thread (.{1,200}?)(?: \([^)]{0,200}\))?:$/.exec(lines[i - 1])?.[1] ?? null : null;
    const segs: Seg[] = [];
    let link: Segment['link'] = null;
    let j = i;
    let complete = true;
    let end = i;
    while (j < lines.length) {
      const t = lines[j].trim();
      const group = t.includes(GROUP_TRACEBACK);
      if (!isTracebackStart(t)) break;
      const b = parseBlock(lines, j + 1, group);
      const seg = b.seg as Seg;
      seg.link = link;
      seg.threadName = threadName;
      if (!b.complete) complete = false;
      if (b.complete || seg.frames.length > 0) segs.push(seg);
      end = Math.max(j, b.next - 1);
      j = b.next;
      // Skip blank lines, then look for a chain separator followed by another traceback.
      let k = j;
      while (k < lines.length && lines[k].trim() === '') k++;
      const sep = k < lines.length ? lines[k].trim() : '';
      if (sep === EXPLICIT || sep === IMPLICIT) {
        link = sep === EXPLICIT ? 'explicit' : 'implicit';
        k++;
        while (k < lines.length && lines[k].trim() === '') k++;
        j = k;
        continue;
      }
      break;
    }
    // Trim trailing blank lines from the range.
    while (end > i && lines[end].trim() === '') end--;
    // A header with neither frames nor an exception line is not a Python traceback (Ruby
    // 2.5–2.7 print the same header above `N: from file:line` lines).
    if (segs.length > 0) {
      const rep = buildReport(segs, start, end, complete);
      const test = unittestHeader(lines, start);
      if (test !== null) {
        rep.startLine = start - 3;
        rep.facts.push({ code: 'other', text: `unittest: test ${test} failed`, value: test });
      }
      out.push(rep);
    }
    i = Math.max(j, i + 1);
  }
  if (!linesAreSubstrings(doc) || PYTEST_TRIGGERS.some((t) => rawIncludes(doc, t))) {
    for (const s of readPytestSections(lines)) out.push(pytestReport(s));
    out.sort((a, b) => a.startLine - b.startLine);
  }
  return out;
}

/**
 * unittest's heading of a failed test above its traceback (`====`, `ERROR: test_x
 * (pkg.mod.Class.test_x)`, `----`): the test's dotted id, else null. Before Python 3.11 the
 * parentheses hold the class only.
 */
function unittestHeader(lines: string[], start: number): string | null {
  if (start < 3 || !lines[start - 1].startsWith('-----') || !lines[start - 3].startsWith('=====')) return null;
  const m = /^(?:ERROR|FAIL): ([\w]{1,200}) \(([\w.]{1,500})\)/.exec(lines[start - 2]);
  if (!m) return null;
  return m[2].endsWith(`.${m[1]}`) ? m[2] : `${m[2]}.${m[1]}`;
}

/** A failing test's section as pytest prints it, as a report like a traceback's. */
function pytestReport(s: PytestSection): ParsedReport {
  for (const f of s.frames) f.module = moduleOf(f.file!);
  const seg: Seg = { type: s.type, message: s.message, frames: s.frames, link: null, threadName: null, subExceptions: [] };
  const rep = buildReport([seg], s.start, s.end, true);
  // A failed `assert`: its condition as written, and what pytest compared
  if (s.type === 'AssertionError' && s.source !== null && s.source.startsWith('assert ')) {
    const at = s.frames[s.frames.length - 1];
    rep.assertion = { expression: s.source.slice(7).replace(/\s{2,}#.*$/, '').trim(), file: at.file ?? null, line: at.line ?? null, function: at.function ?? null };
    if (s.message !== null) rep.facts.push({ code: 'other', text: `pytest compared: ${[s.message, ...s.detail].join('; ').replace(/\s+/g, ' ').slice(0, 300)}`, value: s.message });
  }
  const setup = /^ERROR at (setup|teardown) of (.+)$/.exec(s.test);
  rep.facts.push(
    setup
      ? { code: 'other', text: `pytest: the error is in the ${setup[1]} of ${setup[2]} (a fixture), not in the test itself`, value: setup[2] }
      : { code: 'other', text: `pytest: test ${s.test} failed`, value: s.test },
  );
  return rep;
}

/** pytest's failure sections hold `E   ` lines (the exception) under a FAILURES or ERRORS banner. */
const PYTEST_TRIGGERS = ['\nE   ', ' FAILURES ', ' ERRORS '];

export const python: FormatModule = {
  id: 'python',
  // Cheap pre-check on the raw text: no trigger, no report of this format.
  triggers: ['Traceback (most recent call last)', 'Fatal Python error', ...PYTEST_TRIGGERS],
  priority: 5,
  find: parsePython,
};
