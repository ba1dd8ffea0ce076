/**
 * JavaScript errors: Node.js uncaught exceptions and rejections, V8 (Chrome) and
 * SpiderMonkey/JavaScriptCore (Firefox, Safari) stack traces.
 * Takes: the cleaned document. Gives: one report per error: the exception (outermost in
 * `type`/`message`; `[cause]:` chains follow, innermost last), the stack of the root cause
 * innermost first, the error code (`ERR_…`), and the kind.
 *
 *   /srv/relay.cjs:19                                  ← Node's source excerpt (optional)
 *     return route.target.toUpperCase();
 *                  ^
 *
 *   TypeError: Cannot read properties of undefined (reading 'target')
 *       at routeMessage (/srv/relay.cjs:19:16)
 *       at Object.<anonymous> (/srv/relay.cjs:69:1)
 *       at node:internal/main/run_main_module:28:49 {
 *     code: 'ERR_…',
 *     [cause]: SyntaxError: …
 *         at JSON.parse (<anonymous>)
 *   }
 *
 * Firefox/Safari print `fn@url:line:col` lines instead of `at` lines.
 */
import type { Confidence, CrashKind, Frame, ParsedReport } from '../model.js';
import { emptyReport, newFrame } from '../model.js';
import type { Doc } from '../ingest/doc.js';
import type { FormatModule } from './format.js';
import { kindForClass } from '../diagnose/kind-table.js';
import { AT_LINE_TRIGGERS, isWs, startsWithAt, textEnd, textStart } from './line-start.js';
import { candidateIndex, candidateLines, linesAreSubstrings, rawIncludes } from '../ingest/clean.js';
import { readTapFailures, type TapFailure } from './node-test.js';

/** Kinds an error message may select (`Cannot read properties of undefined`, call stack size). */
const MESSAGE_KINDS = new Set<CrashKind>(['null-deref', 'stack-overflow', 'oom']);

// (`TypeError [ERR_X]: …`; the test runner's spec reporter prints `TypeError [Error]: …`, whose bracket is no code)
const HEADER_RE = /^(?:Uncaught (?:\(in promise\) )?)?(?:\[?)([A-Z][\w$.]{0,100}|[a-z][\w$]{0,60}Error)(?: \[([A-Z][A-Z0-9_]{1,80})\]| \[[A-Z][a-z]\w{0,40}\])?(?:: (.*))?$/;
const GECKO_RE = /^([^@\s]{0,500})@(.{1,4000}?):(\d{1,9}):(\d{1,9})$/;

interface ErrNode {
  type: string;
  code: string | null;
  message: string | null;
  frames: Frame[];
  indent: number;
}

/** How many lines below an error header its first `at` line (or `{` line) may be. */
const HEADER_REACH = 21;

function indentOf(l: string): number {
  let n = 0;
  while (n < l.length && n < 400 && l[n] === ' ') n++;
  return n;
}

/**
 * Whether a line may be what a report needs near its header: an `at` line, a line ending in
 * `{` (a property block), a gecko frame (`@`), V8's `FATAL ERROR: ` line. Every report has
 * one (a line holding a trigger); a candidate line that is none of these anchors nothing.
 */
function mayAnchor(l: string): boolean {
  return startsWithAt(l) || l.indexOf('@') >= 0 || l.includes('FATAL ERROR: ') || l.trimEnd().endsWith('{');
}

function isAtLine(l: string): boolean {
  if (!startsWithAt(l)) return false;
  return l.includes(':') || l.includes('<anonymous>') || l.includes('(native)') || l.includes('(index ');
}

/** `[\w$.]`, the characters of an error type's name. */
function isTypeChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c === 46;
}

/**
 * Cheap test of a line's first word (its text from `s`): can `headerOf` match it? The type is
 * the first word (after `Uncaught `, `(in promise) `, `[`), and it ends in Error, Exception or
 * Rejection unless a ` [CODE]` follows. Reads only the start of the line.
 */
function mayBeHeader(l: string, s: number): boolean {
  if (typeAt(l, s)) return true;
  if (l.charCodeAt(s) !== 85 /* U */ || !l.startsWith('Uncaught ', s)) return false;
  let k = s + 9;
  if (l.startsWith('(in promise) ', k)) k += 13;
  return typeAt(l, k);
}

function typeAt(l: string, k: number): boolean {
  if (l.charCodeAt(k) === 91 /* [ */) k++;
  const a = k;
  const n = l.length;
  while (k < n && isTypeChar(l.charCodeAt(k))) k++;
  if (k === a) return false;
  const last = l.charCodeAt(k - 1);
  if (last === 114 /* r */) return k - a >= 5 && l.startsWith('Error', k - 5);
  if (last === 110 /* n */) return k - a >= 9 && (l.startsWith('Exception', k - 9) || l.startsWith('Rejection', k - 9));
  return l.charCodeAt(k) === 32 && l.charCodeAt(k + 1) === 91; // ` [CODE]`
}

/** Cheap test for `fn@url:line:col` (text from `s`): a digit last, an `@` before any whitespace. */
function mayBeGecko(l: string, s: number): boolean {
  let c = l.charCodeAt(l.length - 1);
  if (!(c > 32 && c < 128)) c = l.charCodeAt(textEnd(l));
  if (!(c >= 48 && c <= 57)) return false;
  const at = l.indexOf('@', s);
  if (at < 0) return false;
  for (let k = s; k < at; k++) if (isWs(l.charCodeAt(k))) return false;
  return true;
}

/** `file:///srv/x.js:10:5` → file, line, column. */
function splitLoc(s: string): { file: string; line: number | null; column: number | null } {
  let file = s.trim();
  const nums: number[] = [];
  for (let k = 0; k < 2; k++) {
    const c = file.lastIndexOf(':');
    if (c <= 0) break;
    const tail = file.slice(c + 1);
    if (!/^\d{1,9}$/.test(tail)) break;
    nums.unshift(Number(tail));
    file = file.slice(0, c);
  }
  if (file.startsWith('file://')) file = file.slice(7);
  return { file, line: nums.length ? nums[0] : null, column: nums.length > 1 ? nums[1] : null };
}

/** `    at async Foo.bar [as baz] (/srv/x.js:1:2)` → a frame. */
export function parseV8Frame(l: string, index: number): Frame | null {
  let s = l.trim();
  if (!s.startsWith('at ')) return null;
  s = s.slice(3);
  let fn: string | null = null;
  let loc = s;
  if (s.endsWith(')')) {
    // The location is the last parenthesised group; function names may hold parentheses.
    let depth = 0;
    let open = -1;
    for (let i = s.length - 1; i >= 0; i--) {
      const c = s[i];
      if (c === ')') depth++;
      else if (c === '(') {
        depth--;
        if (depth === 0) {
          open = i;
          break;
        }
      }
    }
    if (open > 0) {
      fn = s.slice(0, open).trim();
      loc = s.slice(open + 1, -1);
    }
  }
  let isAsync = false;
  if (fn) {
    if (fn.startsWith('async ')) {
      isAsync = true;
      fn = fn.slice(6);
    }
    if (fn.startsWith('new ')) fn = fn.slice(4);
    const as = fn.indexOf(' [as ');
    if (as > 0) fn = fn.slice(0, as);
  } else if (s.startsWith('async ')) {
    isAsync = true;
    loc = s.slice(6);
  }
  const f = newFrame(index, fn && fn.length > 0 ? fn : null);
  f.rawFunction = fn ? s.slice(0, s.length - loc.length - 2).trim() || fn : null;
  if (loc === '<anonymous>' || loc === 'native' || loc.startsWith('eval at ') || loc.startsWith('index ')) {
    f.file = loc === '<anonymous>' ? '<anonymous>' : null;
  } else {
    const p = splitLoc(loc);
    f.file = p.file;
    f.line = p.line;
    f.column = p.column;
  }
  f.module = moduleOf(f.file ?? null);
  if (isAsync) f.trust = 'async';
  return f;
}

/** `…/node_modules/@scope/pkg/…` → `@scope/pkg`; `node:internal/…` → `node:internal`. */
function moduleOf(file: string | null): string | null {
  if (!file) return null;
  if (file.startsWith('node:')) {
    const k = file.indexOf('/');
    return k > 0 ? file.slice(0, k) : file;
  }
  const nm = file.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = file.slice(nm + 13).split('/');
    return rest[0].startsWith('@') && rest.length > 1 ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  return null;
}

/**
 * Other engines' wording for the classes the kind table knows by V8's words: Firefox
 * (`x is undefined`, `can't access property "y", x is null`) and Safari
 * (`undefined is not an object`), and Firefox's `too much recursion`.
 */
const ENGINE_CLASSES: Array<{ includes: string; cls: string }> = [
  { includes: "can't access property", cls: 'cannot read properties of undefined' },
  { includes: ' is undefined', cls: 'cannot read properties of undefined' },
  { includes: ' is null', cls: 'cannot read properties of null' },
  { includes: 'undefined is not an object', cls: 'cannot read properties of undefined' },
  { includes: 'null is not an object', cls: 'cannot read properties of null' },
  { includes: 'too much recursion', cls: 'maximum call stack size exceeded' },
];

function kindOf(root: ErrNode, outer: ErrNode): { kind: CrashKind; confidence: Confidence; reason: string } {
  // the assert module's failures (and the test runner's)
  if (root.type === 'AssertionError' || root.code === 'ERR_ASSERTION') return { kind: 'assertion', confidence: 'high', reason: `${root.type}${root.code ? ` [${root.code}]` : ''}` };
  for (const n of [root, outer]) {
    if (n.message && (n.type === 'TypeError' || n.type === 'InternalError' || n.type === 'RangeError')) {
      for (const row of ENGINE_CLASSES) {
        if (n.message.includes(row.includes)) {
          const k = kindForClass(row.cls);
          if (k) return { ...k, reason: `${n.type}: ${n.message}` };
        }
      }
    }
    if (n.message) {
      const byMsg = kindForClass(n.message);
      if (byMsg && MESSAGE_KINDS.has(byMsg.kind)) return { ...byMsg, reason: `${n.type}: ${n.message}` };
    }
  }
  return { kind: 'uncaught-exception', confidence: 'high', reason: `uncaught ${root.type}` };
}

function headerOf(t: string): RegExpExecArray | null {
  if (t.length > 20000) return null;
  const m = HEADER_RE.exec(t);
  if (!m) return null;
  // `Error`, `TypeError`, `SomethingError`, `UnhandledPromiseRejection`, `AbortError`…
  const type = m[1];
  if (!(/(Error|Exception|Rejection)$/.test(type) || type === 'Error' || m[2])) return null;
  return m;
}

/** Node's assert module writes messages with blank lines around a diff (`Expected values to be strictly equal:`, blank, `2 !== 3`, blank). */
function blankLinesInMessage(type: string): boolean {
  return type === 'AssertionError';
}

/** `[Type: message] {`: an error printed without a stack, its property block opened on the same line. */
function opensOwnBlock(t: string): boolean {
  return t.charCodeAt(0) === 91 /* [ */ && t.endsWith('] {');
}

/** A line of a property block: `  code: 'ERR_X'`, `  [cause]: …`, or its closing `}`. */
function isPropertyLine(l: string): boolean {
  const t = l.trim();
  return t === '}' || /^(?:\[[\w$]{1,40}\]|[\w$]{1,40}): /.test(t);
}

/** Parse an error whose header is at `i` (its `at` lines follow). */
function parseError(lines: string[], i: number): { rep: ParsedReport; next: number } {
  const head = headerOf(lines[i].trim())!;
  const outer: ErrNode = { type: head[1], code: head[2] ?? null, message: head[3] ?? null, frames: [], indent: indentOf(lines[i]) };
  const nodes: ErrNode[] = [outer];
  let cur = outer;
  let j = i + 1;
  let end = i;
  let code: string | null = outer.code;
  let depth = 0; // `{ … }` property block nesting
  let elided = 0;
  let compared: Map<string, string> | null = null;
  // `[UnhandledPromiseRejection: …] {` on one line (Node 15-18): no stack, the block follows.
  if (opensOwnBlock(lines[i].trim())) {
    if (outer.message !== null) outer.message = outer.message.slice(0, -3);
    depth = 1;
  }
  // A message may continue on following lines until the first `at` line (an assertion's
  // message holds blank lines around its diff).
  const blanks = blankLinesInMessage(outer.type);
  while (depth === 0 && j < lines.length && j - i <= 20 && !isAtLine(lines[j]) && (blanks || lines[j].trim() !== '') && !lines[j].trimEnd().endsWith('{')) {
    outer.message = outer.message !== null ? `${outer.message}\n${lines[j].trim()}` : lines[j].trim();
    j++;
  }
  if (outer.message !== null && blanks) outer.message = outer.message.replace(/\n{2,}/g, '\n').trim();
  if (depth === 0 && j < lines.length && !isAtLine(lines[j]) && lines[j].trimEnd().endsWith('{')) {
    // Header with a property block but no stack (`[UnhandledPromiseRejection: …] {`).
    depth = 1;
    end = j;
    j++;
  }
  for (; j < lines.length; j++) {
    const l = lines[j];
    const t = l.trim();
    if (isAtLine(l)) {
      const f = parseV8Frame(t.endsWith(' {') ? t.slice(0, -2) : t, cur.frames.length);
      if (f) cur.frames.push(f);
      end = j;
      if (t.endsWith(' {')) depth++;
      continue;
    }
    if (t.startsWith('... ') && t.endsWith('stack trace ...')) {
      elided++;
      end = j;
      continue;
    }
    if (depth > 0) {
      end = j;
      if (t === '}' || t === '},') {
        depth--;
        if (depth === 0) {
          j++;
          break;
        }
        continue;
      }
      const cm = /^code: '([^']{1,100})'/.exec(t);
      if (cm && !code) code = cm[1];
      // what a failed assertion compared: `actual: 2,`, `expected: 3,`, `operator: 'strictEqual'`
      if (depth === 1 && cur === outer) {
        const am = /^(actual|expected|operator): (.{1,200}?),?$/.exec(t);
        if (am && !t.endsWith('{') && !t.endsWith('[')) (compared ??= new Map()).set(am[1], unquoteValue(am[2]));
      }
      const cause = t.startsWith('[cause]: ') ? t.slice(9) : t.startsWith('cause: ') ? t.slice(7) : null;
      if (cause !== null) {
        const hm = headerOf(cause.endsWith(' {') ? cause.slice(0, -2) : cause);
        if (hm) {
          const node: ErrNode = { type: hm[1], code: hm[2] ?? null, message: hm[3] ?? null, frames: [], indent: indentOf(l) };
          nodes.push(node);
          cur = node;
          if (cause.endsWith(' {')) depth++;
        }
        continue;
      }
      if (t.endsWith('{')) depth++;
      continue;
    }
    break;
  }
  const rep = emptyReport('node', i);
  let excerpt: { file: string | null; line: number; at: number } | null = null;
  // Node's source excerpt above the error: `file:line`, the source line, a caret, a blank.
  for (let k = i - 1; k >= Math.max(0, i - 4); k--) {
    const t = lines[k].trim();
    if (t === '' || t.startsWith('^') || /^\s/.test(lines[k])) continue;
    const loc = splitLoc(t);
    if (loc.line != null && (t.startsWith('/') || t.startsWith('file:') || t.startsWith('node:') || /^[A-Za-z]:\\/.test(t))) {
      rep.startLine = k;
      rep.facts.push({ code: 'other', text: `thrown at ${loc.file}:${loc.line}`, value: `${loc.file}:${loc.line}` });
      excerpt = { file: loc.file, line: loc.line, at: k };
    }
    break;
  }
  rep.endLine = end;
  const root = nodes[nodes.length - 1];
  rep.exception = {
    type: outer.type,
    message: outer.message,
    causes: nodes.slice(1).map((n) => ({ type: n.type, message: n.message })),
  };
  rep.message = `${outer.type}${outer.code ? ` [${outer.code}]` : ''}${outer.message != null ? ': ' + outer.message : ''}`;
  rep.kind = kindOf(root, outer);
  if (code) rep.facts.push({ code: 'other', text: `error code ${code}`, value: code });
  // inside a test (the spec reporter's `✖ name` above) the caller makes it the report's assertion
  if (code === 'ERR_ASSERTION') assertions.set(rep, assertionOf(compared, outer.message, root.frames));
  if (elided > 0) rep.facts.push({ code: 'other', text: 'Node left out frames that repeat the cause\'s stack ("lines matching cause stack trace").' });
  if (outer.type === 'UnhandledPromiseRejection' || code === 'ERR_UNHANDLED_REJECTION') {
    rep.facts.push({ code: 'other', text: 'A promise was rejected with a value that is not an Error, and nothing handled the rejection: no stack of the rejecting code exists.' });
  }
  rep.threads.push({ id: 'main', name: null, crashed: true, state: null, frames: root.frames });
  rep.crashingThreadId = 'main';
  // the excerpt's line, when it is the innermost frame's, and the value its caret points into
  const top = root.frames[0];
  const ex = excerpt as { file: string | null; line: number; at: number } | null;
  if (ex !== null && ex.at + 1 < i && top && top.line === ex.line && top.file && ex.file && sameFile(top.file, ex.file)) {
    const src = lines[ex.at + 1];
    rep.sourceLine = { line: ex.line, text: src.trim() };
    const read = readOf(root.message);
    const caret = ex.at + 2 < i ? lines[ex.at + 2] : '';
    const operand = read !== null ? operandAt(src, caret.indexOf('^'), read) : null;
    if (read !== null && operand !== null) {
      rep.facts.push({ code: 'other', text: `Node pointed at \`.${read.prop}\` of \`${operand}\` in line ${ex.line}: \`${operand}\` was ${read.value}.`, frame: 0, value: `marked:${operand}` });
    }
  }
  if (depth > 0) {
    rep.complete = false;
    rep.facts.push({ code: 'truncated', text: 'The error\'s property block is cut off.' });
  }
  return { rep, next: Math.max(j, i + 1) };
}

/** `/app/x.js` and `file:///app/x.js` name one file. */
function sameFile(a: string, b: string): boolean {
  return a.replace(/^file:\/\//, '') === b.replace(/^file:\/\//, '');
}

/** What V8's `Cannot read properties of undefined (reading 'target')` read, and from which value. */
function readOf(message: string | null): { prop: string; value: string } | null {
  const m = message !== null ? /^Cannot (?:read|set) properties of (undefined|null) \((?:reading|setting) '([A-Za-z_$][\w$]{0,200})'\)/.exec(message) : null;
  return m ? { value: m[1], prop: m[2] } : null;
}

/**
 * The value V8's caret points into: the caret stands under the property it read, after a
 * `.`, and the value is the name chain just before that (`route` of `route.target`,
 * `msg.header` of `msg.header.id`); null for anything else (a call's result, an index,
 * optional chaining), rather than a guess.
 */
function operandAt(src: string, caret: number, read: { prop: string }): string | null {
  if (caret <= 1 || caret >= src.length || src.length > 4000) return null;
  if (!src.startsWith(read.prop, caret) || src.charCodeAt(caret - 1) !== 46 /* . */) return null;
  const end = caret - 1;
  let a = end;
  while (a > 0 && /[\w$.]/.test(src[a - 1])) a--;
  const chain = src.slice(a, end);
  return /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/.test(chain) ? chain : null;
}

/** Firefox / Safari: a run of `fn@url:line:col` lines (optionally after a message line). */
function parseGecko(lines: string[], i: number): { rep: ParsedReport; next: number } {
  const rep = emptyReport('node', i);
  const frames: Frame[] = [];
  let j = i;
  for (; j < lines.length; j++) {
    const t = lines[j].trim();
    if (!t.includes('@')) break;
    const m = GECKO_RE.exec(t.length > 5000 ? t.slice(0, 5000) : t);
    if (!m) break;
    const f = newFrame(frames.length, m[1] ? m[1] : null);
    const loc = splitLoc(`${m[2]}:${m[3]}:${m[4]}`);
    f.file = loc.file;
    f.line = loc.line;
    f.column = loc.column;
    f.module = moduleOf(f.file);
    frames.push(f);
  }
  rep.endLine = j - 1;
  if (i > 0) {
    const hm = headerOf(lines[i - 1].trim());
    if (hm) {
      rep.startLine = i - 1;
      rep.exception = { type: hm[1], message: hm[3] ?? null, causes: [] };
      rep.message = lines[i - 1].trim();
      const n: ErrNode = { type: hm[1], code: null, message: hm[3] ?? null, frames, indent: 0 };
      rep.kind = kindOf(n, n);
    }
  }
  if (!rep.kind) {
    // Firefox messages like `TypeError: x is undefined` come as a separate line; without
    // one the stack alone says only that an error was thrown.
    rep.kind = { kind: 'uncaught-exception', confidence: 'low', reason: 'a JavaScript stack without its error line' };
  }
  rep.threads.push({ id: 'main', name: null, crashed: true, state: null, frames });
  rep.crashingThreadId = 'main';
  return { rep, next: j };
}

/**
 * V8's fatal errors: `FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out
 * of memory`, then `----- Native stack trace -----` and ` 1: 0xb78db3 node::OOMErrorHandler(…) [node]`.
 * The `<--- Last few GCs --->` block before it belongs to the report.
 */
function parseV8Fatal(lines: string[], i: number): { rep: ParsedReport; next: number } {
  const msg = lines[i].trim().slice('FATAL ERROR: '.length);
  const rep = emptyReport('node', i);
  for (let k = i - 1; k >= 0 && i - k <= 40; k--) {
    if (lines[k].startsWith('<--- Last few GCs --->')) {
      rep.startLine = k;
      break;
    }
  }
  rep.message = `FATAL ERROR: ${msg}`;
  const k = kindForClass(msg);
  rep.kind = k ? { ...k, reason: `V8: ${msg}` } : { kind: 'abort', confidence: 'medium', reason: `V8: ${msg}` };
  const frames: Frame[] = [];
  let j = i + 1;
  let end = i;
  for (; j < lines.length; j++) {
    const t = lines[j].trim();
    if (t === '' || t.startsWith('----- Native stack trace')) {
      if (frames.length > 0 && t === '' && j + 1 < lines.length && !/^\s*\d{1,4}: 0x/.test(lines[j + 1])) break;
      continue;
    }
    const m = /^(\d{1,4}): (0x[0-9a-f]{1,16}) ?(.{0,4000}?) ?\[([^\]]{1,500})\]$/.exec(t.length > 5000 ? '' : t);
    if (!m) break;
    let fn = m[3].trim();
    const paren = fn.indexOf('(');
    if (paren > 0) fn = fn.slice(0, paren);
    const f = newFrame(frames.length, fn.length > 0 ? fn : null);
    f.rawFunction = m[3].trim() || null;
    f.address = m[2];
    f.module = m[4];
    f.roleHint = 'runtime';
    frames.push(f);
    end = j;
  }
  rep.endLine = end;
  rep.facts.push({ code: 'other', text: 'V8 aborted the process; the native frames are the engine\'s. The JavaScript stack is not printed for this error: rerun with --heapsnapshot-near-heap-limit or --trace-gc to find what grows.' });
  rep.threads.push({ id: 'main', name: null, crashed: true, state: null, frames });
  rep.crashingThreadId = 'main';
  return { rep, next: Math.max(j, i + 1) };
}

export function parseNode(doc: Doc): ParsedReport[] {
  const lines = doc.lines;
  const out: ParsedReport[] = [];
  // Every report has a line holding a trigger (an `at` line, `{`, `@`, `FATAL ERROR: `)
  // within HEADER_REACH lines of its first: skip to there from one candidate to the next,
  // passing over the candidates that cannot anchor a report (valgrind's `==1==    at 0x…`).
  const candidates = candidateLines(doc, TRIGGERS);
  // The spec reporter prints each failure twice: where it happened, and again in its
  // closing list (`✖ failing tests:`), under the test's place. The list's copy is kept.
  let specs: Array<{ report: ParsedReport; test: string; listed: boolean }> | null = null;
  let i = 0;
  while (i < lines.length) {
    if (candidates !== null) {
      let k = candidateIndex(candidates, i);
      while (k < candidates.length && candidates[k] - HEADER_REACH > i && !mayAnchor(lines[candidates[k]])) k++;
      if (k >= candidates.length) break;
      if (candidates[k] - HEADER_REACH > i) i = candidates[k] - HEADER_REACH;
    }
    const l = lines[i];
    // (An empty line's first char is not read: a read past the end throws the compiled reader away.)
    const c0 = l.length > 0 ? l.charCodeAt(0) : 0;
    const s = c0 > 32 && c0 < 128 ? 0 : textStart(l);
    if (s === l.length) {
      i++;
      continue;
    }
    if (l.charCodeAt(s) === 70 /* F */ && l.startsWith('FATAL ERROR: ', s)) {
      const { rep, next } = parseV8Fatal(lines, i);
      out.push(rep);
      i = next;
      continue;
    }
    // An error header: `Type: message` (or `Type [CODE]: message`) indented by fewer than 8
    // spaces, followed by `at` lines or a `{` property block. Its first word tells first.
    if (i + 1 < lines.length && mayBeHeader(l, s) && indentOf(l) < 8) {
      const t = l.trim();
      const hm = t.length < 20000 ? headerOf(t) : null;
      if (hm) {
        let k = i + 1;
        const blanks = blankLinesInMessage(hm[1]);
        while (k < lines.length && k - i < HEADER_REACH && !isAtLine(lines[k]) && (blanks || lines[k].trim() !== '') && !lines[k].trimEnd().endsWith('{')) k++;
        const next = k < lines.length ? lines[k] : '';
        // JVM frames (`at pkg.C.m(File.java:1)`) and .NET frames (`at NS.C.M() in F.cs:line 4`)
        // belong to their own formats.
        const isJavaish = next.trimStart().startsWith('at ') && (/\(\w[\w$]*\.(java|kt|scala|groovy):\d+\)$/.test(next.trim()) || /:line \d{1,9}$/.test(next.trim()));
        const anchored = k < lines.length && (isAtLine(next) || (next.trimEnd().endsWith('{') && t.startsWith('[')));
        if (!isJavaish && (anchored || (opensOwnBlock(t) && isPropertyLine(lines[i + 1])))) {
          const { rep, next: n } = parseError(lines, i);
          // the test runner's spec reporter names the failing test right above: `✖ name (1.2ms)`
          const spec = i > 0 ? SPEC_FAIL_RE.exec(lines[i - 1]) : null;
          if (spec) {
            // its closing list heads each failure with where the test is: `test at file.mjs:16:1`
            const at = i > 1 ? SPEC_TEST_AT_RE.exec(lines[i - 2]) : null;
            rep.startLine = Math.min(rep.startLine, at ? i - 2 : i - 1);
            rep.facts.push({ code: 'other', text: `node:test: test "${spec[1]}" failed${at ? ` (${at[1]})` : ''}`, value: spec[1] });
            (specs ??= []).push({ report: rep, test: spec[1], listed: at !== null });
            rep.assertion = assertions.get(rep) ?? null;
          }
          out.push(rep);
          i = n;
          continue;
        }
      }
    }
    // Two or more gecko lines (`fn@url:line:col`) in a row make a stack.
    if (i + 1 < lines.length && mayBeGecko(l, s) && mayBeGecko(lines[i + 1], textStart(lines[i + 1]))) {
      const t = l.trim();
      const n2 = lines[i + 1].trim();
      if (GECKO_RE.test(t.length > 5000 ? '' : t) && GECKO_RE.test(n2.length > 5000 ? '' : n2)) {
        const { rep, next } = parseGecko(lines, i);
        out.push(rep);
        i = Math.max(next, i + 1);
        continue;
      }
    }
    i++;
  }
  if (specs !== null) dropRepeats(out, specs);
  if (!linesAreSubstrings(doc) || rawIncludes(doc, TAP_TRIGGER)) {
    for (const f of readTapFailures(lines)) out.push(tapReport(f));
    out.sort((a, b) => a.startLine - b.startLine);
  }
  return out;
}

/** The assertion of each failed `assert` parseError read, for the caller to take when a test failed. */
const assertions = new WeakMap<ParsedReport, NonNullable<ParsedReport['assertion']>>();

/** A single-quoted string value of util.inspect's output without its quotes; other values as they are. */
function unquoteValue(v: string): string {
  return v.length >= 2 && v.startsWith("'") && v.endsWith("'") ? v.slice(1, -1) : v;
}

/**
 * The assertion of an `AssertionError [ERR_ASSERTION]`: what it compared (its `operator`,
 * `expected` and `actual` properties) when printed, else its message, at its innermost frame.
 */
function assertionOf(compared: Map<string, string> | null, message: string | null, frames: Frame[]): NonNullable<ParsedReport['assertion']> {
  const top = frames[0] ?? null;
  const said = compared === null ? '' : ['operator', 'expected', 'actual'].filter((k) => compared.has(k)).map((k) => `${k} ${compared.get(k)}`).join(', ');
  return { expression: said || (message ?? 'assertion failed'), file: top?.file ?? null, line: top?.line ?? null, function: top?.function ?? null };
}

/** A failing test of Node's test runner, from its TAP block, as a report like a thrown error's. */
function tapReport(t: TapFailure): ParsedReport {
  const rep = emptyReport('node', t.start);
  rep.endLine = t.end;
  const type = t.fields.get('name') ?? 'Error';
  const message = t.fields.get('error') ?? null;
  const code = t.fields.get('code') ?? null;
  const frames: Frame[] = [];
  for (const l of t.stack) {
    const f = parseV8Frame(`at ${l}`, frames.length);
    if (f) frames.push(f);
  }
  rep.exception = { type, message, causes: [] };
  rep.message = `${type}${code ? ` [${code}]` : ''}${message !== null ? `: ${message}` : ''}`;
  const node: ErrNode = { type, code, message, frames, indent: 0 };
  rep.kind = kindOf(node, node);
  if (code === 'ERR_ASSERTION') rep.assertion = assertionOf(t.fields, message, frames);
  rep.facts.push({ code: 'other', text: `node:test: test "${t.test}" failed${t.fields.has('location') ? ` (${t.fields.get('location')})` : ''}`, value: t.test });
  if (code) rep.facts.push({ code: 'other', text: `error code ${code}`, value: code });
  rep.threads.push({ id: 'main', name: null, crashed: true, state: null, frames });
  rep.crashingThreadId = 'main';
  return rep;
}

/** A failing test's line in the spec reporter's output of `node --test`. */
const SPEC_FAIL_RE = /^\s{0,40}\u2716 (.{1,500}?) \([\d.]{1,20}ms\)$/;
/** Where a failing test is, above its line in that list: `test at relay.test.mjs:16:1`. */
const SPEC_TEST_AT_RE = /^\s{0,40}test at (\S{1,500}:\d{1,9}:\d{1,9})$/;

/**
 * Drops from `out` each spec-reporter failure printed before the closing list whose test and
 * error the list prints again: the same failure, not another report.
 */
function dropRepeats(out: ParsedReport[], specs: Array<{ report: ParsedReport; test: string; listed: boolean }>): void {
  const listed = new Set<string>();
  for (const s of specs) if (s.listed) listed.add(`${s.test}\n${s.report.message}`);
  const repeats = new Set<ParsedReport>();
  for (const s of specs) if (!s.listed && listed.has(`${s.test}\n${s.report.message}`)) repeats.add(s.report);
  if (repeats.size === 0) return;
  let n = 0;
  for (const r of out) if (!repeats.has(r)) out[n++] = r;
  out.length = n;
}

/** Every failing test's line in the TAP output of `node --test`. */
const TAP_TRIGGER = 'not ok ';

// Cheap pre-check on the raw text: no trigger, no report of this format.
// A header followed by a line ending in `{` (a property block) needs one of the last two.
const TRIGGERS = [...AT_LINE_TRIGGERS, '@', 'FATAL ERROR: ', '{\n', '{\r', TAP_TRIGGER];

export const node: FormatModule = {
  id: 'node',
  triggers: TRIGGERS,
  priority: 5,
  find: parseNode,
};
