/**
 * systemd-coredump's report of a crashed process, as `coredumpctl info` prints it and as the
 * journal keeps it (`systemd-coredump[812]: Process 4242 (tallyd) of user 1000 dumped core.`),
 * the native crash most Linux desktops and servers record on their own.
 * Takes: the cleaned document. Gives: one report per core dump: the signal, the program,
 * and one thread per `Stack trace of thread N:` block, the first being the one that received
 * the signal (systemd-coredump prints it first).
 *
 *          PID: 4242 (tallyd)
 *       Signal: 11 (SEGV)
 *   Executable: /usr/local/bin/tallyd
 *      Message: Process 4242 (tallyd) of user 1000 dumped core.
 *
 *               Stack trace of thread 4242:
 *               #0  0x000055d1c2a1b2c4 cart_total (tallyd + 0x12c4)
 *               #1  0x00007f3a5c029d90 n/a (libc.so.6 + 0x29d90)
 *               ELF object binary architecture: AMD x86-64
 *
 * Frames carry a symbol (or `n/a` when elfutils found none: no symbol table, no debug info)
 * and the module with the offset in it. Names are as the symbol table spells them (C++'s
 * mangled; demangling is analyze's). The frame lines are read by hand (no pattern over a
 * line whose name part may hold anything).
 */
import { emptyReport, newFrame, type Frame, type ParsedReport, type Thread } from '../model.js';
import type { Doc } from '../ingest/doc.js';
import type { FormatModule } from './format.js';
import { candidateLines, nextCandidate } from '../ingest/clean.js';
import { signalByName, signalByNumber } from './android.js';

const STACK_HEAD = 'Stack trace of thread ';
/** How far above the first stack the report's fields (`Signal:`, `Message:`) are looked for. */
const HEADER_REACH = 40;

/** One frame line → its parts, or null. `#3  0x00007f3a5c029d90 __libc_start_main (libc.so.6 + 0x29d90)` */
export function parseCoredumpFrame(line: string): { index: number; address: string; symbol: string | null; module: string | null; offset: string | null } | null {
  const t = line.trim();
  if (t.length > 3000 || t.charCodeAt(0) !== 35 /* # */ || !t.endsWith(')')) return null;
  let i = 1;
  while (i < t.length && i < 7 && t.charCodeAt(i) >= 48 && t.charCodeAt(i) <= 57) i++;
  if (i === 1 || t.charCodeAt(i) !== 32) return null;
  const index = Number(t.slice(1, i));
  while (i < t.length && t.charCodeAt(i) === 32) i++;
  if (!t.startsWith('0x', i)) return null;
  const a = i;
  i += 2;
  while (i < t.length && i - a < 18 && isHex(t.charCodeAt(i))) i++;
  if (i === a + 2 || t.charCodeAt(i) !== 32) return null;
  const address = t.slice(a, i);
  // `name (module + 0xoffset)`: the module part is the parenthesised group the line ends
  // with, read back to its opening parenthesis (a module may hold its own: `(deleted)`)
  let open = -1;
  for (let k = t.length - 1, depth = 0; k > i; k--) {
    const c = t.charCodeAt(k);
    if (c === 41 /* ) */) depth++;
    else if (c === 40 /* ( */ && --depth === 0) {
      open = k - 1;
      break;
    }
  }
  if (open <= i || t.charCodeAt(open) !== 32) return null;
  const inner = t.slice(open + 2, -1);
  const plus = inner.lastIndexOf(' + 0x');
  if (plus <= 0) return null;
  const offset = inner.slice(plus + 3);
  for (let k = 2; k < offset.length; k++) if (!isHex(offset.charCodeAt(k))) return null;
  const name = t.slice(i + 1, open).trim();
  const module = inner.slice(0, plus).trim();
  if (name === '' || module === '') return null;
  return { index, address, symbol: name === 'n/a' ? null : name, module: module === 'n/a' ? null : module, offset };
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** The report's fields above its first stack: signal, process, program. */
interface Header {
  start: number;
  signal: { name: string; number?: number } | null;
  pid: string | null;
  comm: string | null;
  executable: string | null;
  commandLine: string | null;
}

const FIELD_RE = /^\s{0,40}(PID|Signal|Executable|Command Line|Message): (.{1,2000})$/;
const PROCESS_RE = /Process (\d{1,10}) \((.{1,64})\) of user \d{1,10} (?:dumped core|terminated abnormally with signal (\d{1,3})\/([A-Z]{2,8}))/;

function readHeader(lines: string[], first: number, floor: number): Header {
  const h: Header = { start: first, signal: null, pid: null, comm: null, executable: null, commandLine: null };
  for (let k = first - 1; k >= Math.max(floor, first - HEADER_REACH); k--) {
    const l = lines[k];
    if (l.includes(STACK_HEAD)) break;
    const p = PROCESS_RE.exec(l.length > 3000 ? '' : l);
    if (p) {
      h.start = k;
      h.pid ??= p[1];
      h.comm ??= p[2];
      if (p[3] !== undefined && h.signal === null) h.signal = signalOf(Number(p[3]), p[4]);
    }
    const m = FIELD_RE.exec(l.length > 3000 ? '' : l);
    if (!m) continue;
    h.start = k;
    const v = m[2].trim();
    if (m[1] === 'PID') {
      const pm = /^(\d{1,10})(?: \((.{1,64})\))?$/.exec(v);
      if (pm) { h.pid = pm[1]; h.comm ??= pm[2] ?? null; }
    } else if (m[1] === 'Signal') {
      const sm = /^(\d{1,3}) \(([A-Z]{2,8})\)$/.exec(v);
      if (sm) h.signal = signalOf(Number(sm[1]), sm[2]);
    } else if (m[1] === 'Executable') h.executable = v;
    else if (m[1] === 'Command Line') h.commandLine = v;
  }
  return h;
}

/** `11`, `SEGV` → SIGSEGV 11 (the name wins when the two disagree: it is what was printed). */
function signalOf(n: number, short: string): { name: string; number?: number } {
  const row = signalByName(`SIG${short}`) ?? signalByNumber(n);
  return row ? { name: row.name, number: n } : { name: `SIG${short}`, number: n };
}

function find(doc: Doc): ParsedReport[] {
  const lines = doc.lines;
  const out: ParsedReport[] = [];
  const candidates = candidateLines(doc, [STACK_HEAD]);
  let floor = 0;
  for (let n = nextCandidate(candidates, 0, lines.length); n < lines.length; n = nextCandidate(candidates, n + 1, lines.length)) {
    const at = lines[n].indexOf(STACK_HEAD);
    if (at < 0 || !/^\d{1,10}:$/.test(lines[n].slice(at + STACK_HEAD.length).trim())) continue;
    const header = readHeader(lines, n, floor);
    const threads: Thread[] = [];
    let end = n;
    let k = n;
    // the stack blocks of one core dump follow each other, a blank line apart
    while (k < lines.length) {
      const s = lines[k].indexOf(STACK_HEAD);
      const tid = s >= 0 ? lines[k].slice(s + STACK_HEAD.length).trim().slice(0, -1) : '';
      if (s < 0 || !/^\d{1,10}$/.test(tid)) break;
      const frames: Frame[] = [];
      let j = k + 1;
      for (; j < lines.length; j++) {
        const p = parseCoredumpFrame(lines[j]);
        if (!p) break;
        const f = newFrame(frames.length, p.symbol === null ? null : p.symbol.replace(/@@?[A-Z][\w.]{0,40}$/, ''));
        f.rawFunction = p.symbol;
        f.address = p.address;
        f.module = p.module;
        if (p.module !== null && p.offset !== null) f.moduleOffset = p.offset;
        frames.push(f);
      }
      threads.push({ id: tid, name: null, crashed: threads.length === 0, state: null, frames });
      end = frames.length > 0 ? j - 1 : k;
      // a blank line (the journal's indented one too), then the next block or the end
      k = j;
      while (k < lines.length && k - j < 2 && lines[k].trim() === '') k++;
      if (k < lines.length && lines[k].trim().startsWith('ELF object binary architecture:')) {
        end = k;
        k++;
        break;
      }
    }
    const rep = emptyReport('coredump', header.start);
    rep.endLine = end;
    rep.threads = threads;
    rep.crashingThreadId = threads[0].id;
    if (header.signal) rep.signal = header.signal;
    const who = header.comm ?? header.executable;
    // (the PID stays in the facts: a message is read into signatures, and every run has its own)
    rep.message = `${who ?? 'The process'} dumped core${header.signal ? ` on ${header.signal.name}` : ''}`;
    const program = header.commandLine ?? header.executable;
    if (program !== null) rep.facts.push({ code: 'program', text: `program ${program}`, value: program });
    if (header.pid !== null) rep.facts.push({ code: 'core-file', text: `systemd-coredump kept the core of PID ${header.pid}: coredumpctl debug ${header.pid}`, value: header.pid });
    const all = threads[0].frames;
    const unnamed = all.filter((f) => f.function === null).length;
    if (unnamed > 0) rep.facts.push({ code: 'no-symbols', text: `${unnamed} of ${all.length} frames of the crashing thread have no symbol (n/a): no debug info for those modules` });
    out.push(rep);
    floor = Math.max(end + 1, k);
    n = Math.max(n, floor - 1);
  }
  return out;
}

export const coredump: FormatModule = {
  id: 'coredump',
  triggers: [STACK_HEAD],
  priority: 4,
  find,
};
