/**
 * Ruby uncaught exceptions, as the interpreter prints them at exit.
 * Takes: the cleaned document. Gives: one report per exception (with its `cause` chain),
 * frames innermost first, and the kind.
 *
 *   quarry.rb:17:in `slab_width': undefined method `width' for nil:NilClass (NoMethodError)
 *   	from quarry.rb:39:in `<main>'
 *   quarry.rb:21:in `parse_cut': cut depth "12mm" is not a number (ArgumentError)  ← the cause
 *   	from quarry.rb:27:in `plan'
 *
 * Ruby 3.4 quotes `'Quarry#slab_width'` with the class; Ruby 2.5–2.7 on a terminal print
 * the trace reversed under `Traceback (most recent call last):` with `N: from …` lines, the
 * innermost call last: those are reversed here. The cause (printed after the exception,
 * Ruby 3.1+) is the root cause: it gives the crash stack and the kind.
 * `block in x`, `rescue in x`, `ensure in x` frames are named `x` (`rawFunction` keeps them).
 */
import type { Confidence, CrashKind, Frame, ParsedReport } from '../model.js';
import { emptyReport, newFrame } from '../model.js';
import type { Doc } from '../ingest/doc.js';
import type { FormatModule } from './format.js';
import { kindForClass } from '../diagnose/kind-table.js';

/**
 * Ruby's own words for classes the kind table names differently; each maps to the class
 * text kindForClass() knows. (Rows requested for src/diagnose/kind-table.ts.)
 */
const RUBY_CLASSES: Array<{ includes: string; cls: string }> = [
  { includes: 'for nil:NilClass', cls: 'invalid memory address or nil pointer dereference' },
  // Ruby 3.4: `undefined method 'price' for nil` (the class name follows in the text tested).
  { includes: 'for nil ', cls: 'invalid memory address or nil pointer dereference' },
  { includes: 'stack level too deep', cls: 'stack overflow' },
  { includes: 'failed to allocate memory', cls: 'out of memory' },
];

const MESSAGE_KINDS = new Set<CrashKind>(['null-deref', 'stack-overflow', 'oom']);

interface Block {
  type: string;
  message: string | null;
  frames: Frame[];
  /** error_highlight's excerpt under the header: the code line and the carets under it. */
  code?: string;
  carets?: string;
}

/**
 * The receiver error_highlight's carets point at: they mark `.width` of `@slabs[name].width`,
 * and the receiver is the expression just before the `.` (names, `@`/`$`, `::`, `.`, and
 * bracketed groups read back to their opener); null when the marks are not under a `.`.
 */
export function receiverAt(code: string, carets: string): string | null {
  const at = carets.indexOf('^');
  if (at <= 0 || at >= code.length || code.length > 4000 || (code[at] !== '.' && !code.startsWith('&.', at))) return null;
  let a = at;
  while (a > 0 && at - a < 200) {
    const c = code[a - 1];
    if (c === ']' || c === ')') {
      const open = c === ']' ? '[' : '(';
      let depth = 0;
      let k = a - 1;
      for (; k >= 0 && at - k < 200; k--) {
        if (code[k] === c) depth++;
        else if (code[k] === open && --depth === 0) break;
      }
      if (k < 0 || depth !== 0) return null;
      a = k;
    } else if (/[\w@$:.?!]/.test(c)) a--;
    else break;
  }
  const receiver = code.slice(a, at);
  return /^[@$A-Za-z_:]/.test(receiver) ? receiver : null;
}

/** `path:12:in `name'` / `path:12:in 'Klass#name'` / `path:12` → location and function. */
function parseLoc(s: string): { file: string; line: number | null; fn: string | null; rest: string } | null {
  const inAt = s.indexOf(':in ');
  let locPart = s;
  let fn: string | null = null;
  let rest = '';
  if (inAt > 0) {
    locPart = s.slice(0, inAt);
    const q = s[inAt + 4];
    if (q !== '`' && q !== "'") return null;
    const close = s.indexOf("'", inAt + 5);
    if (close < 0) return null;
    fn = s.slice(inAt + 5, close);
    rest = s.slice(close + 1);
  }
  const c = locPart.lastIndexOf(':');
  if (c <= 0 || !/^\d{1,9}$/.test(locPart.slice(c + 1))) return null;
  return { file: locPart.slice(0, c), line: Number(locPart.slice(c + 1)), fn, rest };
}

function makeFrame(index: number, file: string, line: number | null, raw: string | null): Frame {
  let fn = raw;
  if (fn) {
    // `block (2 levels) in plan`, `rescue in block in plan`, `ensure in plan` → `plan`.
    for (let k = 0; k < 20; k++) {
      const m = /^(?:block(?: \(\d{1,4} levels\))?|rescue|ensure) in /.exec(fn);
      if (!m) break;
      fn = fn.slice(m[0].length);
    }
  }
  const f = newFrame(index, fn);
  f.rawFunction = raw;
  f.file = file;
  f.line = line;
  const gems = file.lastIndexOf('/gems/');
  if (gems >= 0) {
    const name = file.slice(gems + 6).split('/')[0];
    f.module = name.replace(/-\d[\w.]*$/, '');
  }
  return f;
}

/**
 * A header: `path:line:in 'fn': message (Class)`. A multi-line message ends with
 * `(Class)` on its last line; `lines`/`at` let the header read on (up to 20 lines).
 */
function parseHeader(l: string, lines?: string[], at?: number): { frame: Frame; type: string; message: string | null; last: number } | null {
  if (l.startsWith(' ') || l.startsWith('\t') || !l.includes(':in ')) return null;
  let text = l;
  let last = at ?? 0;
  if (!l.endsWith(')')) {
    if (!lines || at === undefined || !l.includes("': ")) return null;
    for (let k = at + 1; k < lines.length && k - at <= 20; k++) {
      const t = lines[k];
      if (isFromLine(t) || t.trim() === '') return null;
      text += '\n' + t;
      if (/ ?\([A-Z][\w:]{0,200}\)$/.test(t)) {
        last = k;
        break;
      }
    }
    if (last === at) return null;
  }
  const loc = parseLoc(text.length > 20000 ? text.slice(0, 20000) : text);
  if (!loc || !loc.rest.startsWith(': ')) return null;
  const body = loc.rest.slice(2);
  const open = Math.max(body.lastIndexOf(' ('), body.lastIndexOf('\n('));
  if (open < 0) return null;
  const type = body.slice(open + 2, -1);
  if (!/^[A-Z][\w:]{0,200}$/.test(type)) return null;
  const f = makeFrame(0, loc.file, loc.line, loc.fn);
  return { frame: f, type, message: body.slice(0, open), last };
}

function kindOf(root: Block, outer: Block): { kind: CrashKind; confidence: Confidence; reason: string } {
  for (const b of [root, outer]) {
    const text = `${b.message ?? ''} ${b.type}`;
    for (const row of RUBY_CLASSES) {
      if (text.includes(row.includes)) {
        const k = kindForClass(row.cls);
        if (k) return { ...k, reason: `Ruby ${b.type}: ${row.includes}` };
      }
    }
    const byType = kindForClass(b.type);
    if (byType) return { ...byType, reason: `Ruby ${b.type}` };
    if (b.message) {
      const byMsg = kindForClass(b.message);
      if (byMsg && MESSAGE_KINDS.has(byMsg.kind)) return { ...byMsg, reason: `Ruby ${b.type}: ${b.message}` };
    }
  }
  return { kind: 'uncaught-exception', confidence: 'high', reason: `uncaught Ruby ${root.type}` };
}

function isFromLine(l: string): boolean {
  const t = l.trimStart();
  return t.startsWith('from ') || /^\d{1,7}: from /.test(t);
}

/** Minitest's report of a failing test: `  1) Error:` (an exception) or `  2) Failure:` (an assertion). */
const MINITEST_RE = /^\s{0,8}\d{1,6}\) (Error|Failure):$/;
const MINITEST_TEST_RE = /^([A-Z][\w:]{0,200})#([\w?!]{1,200})(?: \[([^\]]{1,2000}):(\d{1,9})\])?:$/;
const EXC_LINE_RE = /^([A-Z][\w:]{0,200}): (.*)$/;

/**
 * A Minitest block: the test (`QuarryTest#test_width:`), then for an Error `Type: message`,
 * error_highlight's excerpt and the backtrace indented; for a Failure the assertion's
 * location in the test line and its `Expected:`/`Actual:` lines.
 */
function parseMinitest(lines: string[], i: number, what: string): { rep: ParsedReport; next: number } | null {
  const tm = MINITEST_TEST_RE.exec((lines[i + 1] ?? '').trim());
  if (!tm) return null;
  const rep = emptyReport('ruby', i);
  rep.facts.push({ code: 'other', text: `Minitest: ${tm[1]}#${tm[2]} ${what === 'Error' ? 'raised' : 'failed'}`, value: `${tm[1]}#${tm[2]}` });
  let j = i + 2;
  if (what === 'Failure') {
    if (!tm[3]) return null;
    const said: string[] = [];
    for (; j < lines.length && j - i < 40 && lines[j].trim() !== ''; j++) said.push(lines[j].trim());
    const frame = makeFrame(0, tm[3], Number(tm[4]), tm[2]);
    rep.endLine = j - 1;
    rep.message = said.join(' ') || 'Minitest assertion failed';
    rep.assertion = { expression: rep.message, file: frame.file ?? null, line: frame.line ?? null, function: tm[2] };
    rep.kind = { kind: 'assertion', confidence: 'high', reason: 'Minitest assertion failed' };
    rep.threads.push({ id: 'main', name: null, crashed: true, state: null, frames: [frame] });
    rep.crashingThreadId = 'main';
    return { rep, next: j };
  }
  const em = EXC_LINE_RE.exec((lines[j] ?? '').trim());
  if (!em) return null;
  const block: Block = { type: em[1], message: em[2], frames: [] };
  // the message may run on until a blank line; then the excerpt, then the backtrace
  for (j++; j < lines.length && j - i < 40 && lines[j].trim() !== '' && !parseLoc(lines[j].trim())?.fn; j++) block.message += `\n${lines[j].trim()}`;
  let end = j - 1;
  for (; j < lines.length && j - i < 10_000; j++) {
    const t = lines[j].trim();
    const loc = lines[j].startsWith(' ') ? parseLoc(t) : null;
    if (loc && loc.fn !== null && loc.rest === '') {
      block.frames.push(makeFrame(block.frames.length, loc.file, loc.line, loc.fn));
      end = j;
      continue;
    }
    if (block.frames.length > 0 || j - end > 4) break;
  }
  if (block.frames.length === 0) return null;
  rep.endLine = end;
  rep.exception = { type: block.type, message: block.message, causes: [] };
  rep.message = `${block.type}: ${block.message}`;
  rep.kind = kindOf(block, block);
  rep.threads.push({ id: 'main', name: null, crashed: true, state: null, frames: block.frames });
  rep.crashingThreadId = 'main';
  return { rep, next: end + 1 };
}

export function parseRuby(doc: Doc): ParsedReport[] {
  const lines = doc.lines;
  const out: ParsedReport[] = [];
  let i = 0;
  while (i < lines.length) {
    const l = lines[i];
    const mt = l.length < 40 && l.endsWith(':') ? MINITEST_RE.exec(l) : null;
    if (mt) {
      const m = parseMinitest(lines, i, mt[1]);
      if (m) {
        out.push(m.rep);
        i = m.next;
        continue;
      }
    }
    let reversed = false;
    let start = i;
    let j = i;
    const revFrames: Frame[] = [];
    if (l.startsWith('Traceback (most recent call last):') && i + 1 < lines.length && /^\s{0,40}\d{1,7}: from /.test(lines[i + 1])) {
      // Ruby 2.5–2.7: `N: from …` lines, outermost first, then the header line.
      reversed = true;
      j = i + 1;
      while (j < lines.length && /^\s{0,40}\d{1,7}: from /.test(lines[j])) {
        const t = lines[j].trimStart();
        const loc = parseLoc(t.slice(t.indexOf('from ') + 5));
        if (loc) revFrames.push(makeFrame(0, loc.file, loc.line, loc.fn));
        j++;
      }
    }
    const h = j < lines.length ? parseHeader(lines[j], lines, j) : null;
    if (!h) {
      i = reversed ? j : i + 1;
      continue;
    }
    start = reversed ? i : j;
    // `#<Thread:0x…@name file:line run> terminated with exception (report_on_exception is true):`
    let threadId: string | null = null;
    let threadName: string | null = null;
    if (!reversed && j > 0 && lines[j - 1].startsWith('#<Thread:') && lines[j - 1].includes('terminated with exception')) {
      const tm = /^#<Thread:(0x[0-9a-f]{1,16})(?:@([^\s>]{1,200}))?/.exec(lines[j - 1]);
      if (tm) {
        threadId = tm[1];
        threadName = tm[2] && !tm[2].includes(':') ? tm[2] : null;
        start = j - 1;
      }
    }
    const blocks: Block[] = [];
    let end = h.last;
    const headerLine = j;
    let reraised = false;
    let cur: Block = { type: h.type, message: h.message, frames: [h.frame] };
    blocks.push(cur);
    if (reversed) {
      for (let k = revFrames.length - 1; k >= 0; k--) cur.frames.push(revFrames[k]);
    }
    j = h.last + 1;
    for (; j < lines.length; j++) {
      const t = lines[j];
      if (isFromLine(t)) {
        const tt = t.trimStart();
        const loc = parseLoc(tt.slice(tt.indexOf('from ') + 5));
        if (loc) cur.frames.push(makeFrame(0, loc.file, loc.line, loc.fn));
        end = j;
        continue;
      }
      const tt = t.trim();
      if (tt.startsWith('... ') && tt.endsWith('levels...')) {
        end = j;
        continue;
      }
      const next = parseHeader(t, lines, j);
      if (next && t === lines[headerLine]) {
        // The same exception again: Thread#join re-raising a thread's exception in the
        // joining thread. Same crash; its `from` lines are skipped.
        reraised = true;
        end = next.last;
        j = next.last;
        while (j + 1 < lines.length && isFromLine(lines[j + 1])) j++;
        end = j;
        continue;
      }
      if (next) {
        // The cause, printed right after (Ruby 3.1+).
        cur = { type: next.type, message: next.message, frames: [next.frame] };
        blocks.push(cur);
        end = next.last;
        j = next.last;
        continue;
      }
      // error_highlight's source excerpt (blank, code, carets) under the header.
      if (j - end <= 4 && (tt === '' || t.startsWith('    ') || /^\^+$/.test(tt))) {
        if (tt !== '' && /^\^+$/.test(tt)) {
          if (cur.code !== undefined && cur.carets === undefined) cur.carets = t;
        } else if (tt !== '' && cur.code === undefined) cur.code = t;
        continue;
      }
      break;
    }
    const rep = emptyReport('ruby', start);
    rep.endLine = end;
    for (const b of blocks) b.frames.forEach((f, k) => (f.index = k));
    const outer = blocks[0];
    const root = blocks[blocks.length - 1];
    rep.exception = { type: outer.type, message: outer.message, causes: blocks.slice(1).map((b) => ({ type: b.type, message: b.message })) };
    rep.message = `${outer.type}: ${outer.message ?? ''}`.trim();
    rep.kind = kindOf(root, outer);
    rep.threads.push({ id: threadId ?? 'main', name: threadName, crashed: true, state: null, frames: root.frames });
    rep.crashingThreadId = threadId ?? 'main';
    if (root !== outer) rep.facts.push({ code: 'other', text: `Root cause ${root.type}: the crash frame comes from its backtrace.` });
    if (reraised) rep.facts.push({ code: 'other', text: 'The joining thread re-raised the same exception (Thread#join).' });
    // the raising line as error_highlight printed it, and the receiver it marks when that was nil
    const top = root.frames[0];
    if (root.code !== undefined && top && typeof top.line === 'number') {
      rep.sourceLine = { line: top.line, text: root.code.trim() };
      const receiver = root.carets !== undefined && /\bfor nil\b/.test(root.message ?? '') ? receiverAt(root.code, root.carets) : null;
      if (receiver !== null) {
        const call = root.code.slice(root.carets!.indexOf('^'), root.carets!.trimEnd().length).trim();
        rep.facts.push({ code: 'other', text: `Ruby marked \`${call}\` in line ${top.line}: \`${receiver}\` was nil.`, frame: 0, value: `marked:${receiver}` });
      }
    }
    out.push(rep);
    i = Math.max(j, i + 1);
  }
  return out;
}

export const ruby: FormatModule = {
  id: 'ruby',
  // Cheap pre-check on the raw text: no trigger, no report of this format.
  // (a Minitest failure has no backtrace line: its block's head is the trigger)
  triggers: [':in `', ":in '", ') Failure:', ') Error:'],
  priority: 5,
  find: parseRuby,
};
