/**
 * PHP fatal errors and uncaught exceptions.
 * Takes: the cleaned document. Gives: one report per fatal error, with the exception chain
 * (PHP prints the innermost — the previous exception — first and each outer one after
 * `Next`), the frames innermost first, and the kind.
 *
 *   PHP Fatal error:  Uncaught Error: Call to a member function curve() on null in /srv/kiln.php:18
 *   Stack trace:
 *   #0 /srv/kiln.php(43): Kiln->firingCurve()
 *   #1 {main}
 *     thrown in /srv/kiln.php on line 18
 *
 * Each `#N file(line): fn()` line names the function called and where it was called from,
 * so frame 0 is `#0`'s function at the header's location, frame k is `#k`'s function at
 * `#k-1`'s location, and `{main}` is the script body.
 */
import type { Confidence, CrashKind, Frame, ParsedReport } from '../model.js';
import { emptyReport, newFrame } from '../model.js';
import type { Doc } from '../ingest/doc.js';
import type { FormatModule } from './format.js';
import { kindForClass } from '../diagnose/kind-table.js';

/** PHP's words for classes the kind table names differently (rows requested for kind-table.ts). */
const PHP_CLASSES: Array<{ includes: string; cls: string }> = [
  { includes: ' on null', cls: 'invalid memory address or nil pointer dereference' },
  { includes: 'Allowed memory size of', cls: 'out of memory' },
  { includes: 'Out of memory', cls: 'out of memory' },
  { includes: 'Maximum function nesting level', cls: 'stack overflow' },
  { includes: 'Maximum call stack size', cls: 'stack overflow' },
];

interface Block {
  type: string;
  message: string | null;
  file: string | null;
  line: number | null;
  calls: Array<{ fn: string; file: string | null; line: number | null }>;
}

/** `Type: message in /path/file.php:18` → parts (the last ` in ` separates the location). */
function splitThrown(s: string): { type: string; message: string | null; file: string | null; line: number | null } {
  let body = s;
  let file: string | null = null;
  let line: number | null = null;
  const at = body.lastIndexOf(' in ');
  if (at > 0) {
    const loc = body.slice(at + 4).trim();
    const c = loc.lastIndexOf(':');
    const onLine = loc.lastIndexOf(' on line ');
    if (onLine > 0 && /^\d{1,9}$/.test(loc.slice(onLine + 9))) {
      file = loc.slice(0, onLine);
      line = Number(loc.slice(onLine + 9));
      body = body.slice(0, at);
    } else if (c > 0 && /^\d{1,9}$/.test(loc.slice(c + 1))) {
      file = loc.slice(0, c);
      line = Number(loc.slice(c + 1));
      body = body.slice(0, at);
    }
  }
  const colon = body.indexOf(': ');
  const type = colon > 0 ? body.slice(0, colon) : body;
  const message = colon > 0 ? body.slice(colon + 2) : null;
  return { type, message, file, line };
}

function framesOf(b: Block): Frame[] {
  const frames: Frame[] = [];
  let file = b.file;
  let line = b.line;
  for (const c of b.calls) {
    let fn = c.fn;
    if (fn.endsWith(')')) {
      const open = fn.indexOf('(');
      if (open > 0) fn = fn.slice(0, open);
    }
    const f = newFrame(frames.length, fn);
    f.rawFunction = c.fn;
    f.file = file;
    f.line = line;
    const vendor = file ? file.lastIndexOf('/vendor/') : -1;
    if (file && vendor >= 0) {
      const parts = file.slice(vendor + 8).split('/');
      if (parts.length > 2) f.module = `${parts[0]}/${parts[1]}`;
    }
    frames.push(f);
    file = c.file;
    line = c.line;
  }
  return frames;
}

function kindOf(root: Block, outer: Block, fatalText: string): { kind: CrashKind; confidence: Confidence; reason: string } {
  for (const b of [root, outer]) {
    const text = `${b.type}: ${b.message ?? ''}`;
    for (const row of PHP_CLASSES) {
      if (text.includes(row.includes)) {
        const k = kindForClass(row.cls);
        if (k) return { ...k, reason: `PHP ${text}` };
      }
    }
    const k = kindForClass(b.type);
    if (k && k.kind !== 'abort') return { ...k, reason: `PHP ${b.type}` };
  }
  return { kind: 'uncaught-exception', confidence: 'high', reason: `PHP ${fatalText}` };
}

export function parsePhp(doc: Doc): ParsedReport[] {
  const lines = doc.lines;
  const out: ParsedReport[] = [];
  let i = 0;
  while (i < lines.length) {
    const l = lines[i];
    const fe = l.indexOf('Fatal error: ');
    if (fe < 0 || fe > 40 || !(l.startsWith('PHP Fatal error: ') || l.startsWith('Fatal error: ') || l.includes('] PHP Fatal error: '))) {
      i++;
      continue;
    }
    const text = l.slice(fe + 13).trim();
    const rep = emptyReport('php', i);
    const blocks: Block[] = [];
    let j = i + 1;
    let end = i;
    if (text.startsWith('Uncaught ')) {
      const t = splitThrown(text.slice(9));
      let cur: Block = { ...t, calls: [] };
      blocks.push(cur);
      for (; j < lines.length; j++) {
        const s = lines[j].trim();
        if (s === 'Stack trace:') {
          end = j;
          continue;
        }
        const m = /^#(\d{1,6}) (.*)$/.exec(s.length > 20000 ? s.slice(0, 20000) : s);
        if (m) {
          const rest = m[2];
          if (rest === '{main}') cur.calls.push({ fn: '{main}', file: null, line: null });
          else {
            const colon = rest.indexOf('): ');
            const internal = rest.startsWith('[internal function]: ');
            if (internal) cur.calls.push({ fn: rest.slice(21), file: null, line: null });
            else if (colon > 0) {
              const loc = rest.slice(0, colon);
              const open = loc.lastIndexOf('(');
              cur.calls.push({ fn: rest.slice(colon + 3), file: open > 0 ? loc.slice(0, open) : loc, line: open > 0 ? Number(loc.slice(open + 1)) : null });
            }
          }
          end = j;
          continue;
        }
        if (s.startsWith('Next ')) {
          cur = { ...splitThrown(s.slice(5)), calls: [] };
          blocks.push(cur);
          end = j;
          continue;
        }
        if (s.startsWith('thrown in ')) {
          end = j;
          j++;
          break;
        }
        if (s === '' && j + 1 < lines.length && lines[j + 1].trim().startsWith('Next ')) continue;
        break;
      }
      if (!lines[end].trim().startsWith('thrown in ')) {
        rep.complete = false;
        rep.facts.push({ code: 'truncated', text: 'The fatal error is cut off before its `thrown in` line.' });
      }
      const root = blocks[0];
      const outer = blocks[blocks.length - 1];
      rep.exception = { type: outer.type, message: outer.message, causes: blocks.slice(0, -1).reverse().map((b) => ({ type: b.type, message: b.message })) };
      rep.message = `${outer.type}: ${outer.message ?? ''}`.trim();
      rep.kind = kindOf(root, outer, text);
      rep.threads.push({ id: 'main', name: null, crashed: true, state: null, frames: framesOf(root) });
      if (root !== outer) rep.facts.push({ code: 'other', text: `Root cause ${root.type} (the previous exception): the crash frame comes from its trace.` });
    } else {
      // A fatal error without an exception: `Allowed memory size … in /x.php on line 12`.
      // Without that `in FILE on line N` it is not PHP's (Swift prints `Fatal error: …` too).
      const t = splitThrown(text);
      if (t.file === null || !text.includes(' on line ')) {
        i++;
        continue;
      }
      const b: Block = { type: 'Fatal error', message: text, file: t.file, line: t.line, calls: [] };
      rep.message = `Fatal error: ${text}`;
      rep.kind = kindOf(b, b, text);
      const f = newFrame(0, null);
      f.file = t.file;
      f.line = t.line;
      f.roleHint = 'app';
      rep.threads.push({ id: 'main', name: null, crashed: true, state: null, frames: t.file ? [f] : [] });
    }
    rep.crashingThreadId = 'main';
    rep.endLine = end;
    out.push(rep);
    i = Math.max(j, i + 1);
  }
  return out;
}

export const php: FormatModule = {
  id: 'php',
  // Cheap pre-check on the raw text: no trigger, no report of this format.
  triggers: ['Fatal error: '],
  priority: 5,
  find: parsePhp,
};
