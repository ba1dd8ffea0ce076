/**
 * Messages programs and the C/C++ runtime print as they die: assertion lines, glibc heap
 * and fortify messages, `terminate called after throwing`, `pure virtual method called`,
 * and the shell's `Segmentation fault (core dumped)`.
 * Takes: the cleaned document. Gives: one `message` report per cluster of such lines.
 * The detection stage merges a cluster into the backtrace it precedes (or lies in); a
 * cluster with no backtrace is analysed on its own.
 *
 * The messages are a table: each row has a cheap marker, a parser, and what it sets.
 */
import { emptyReport, type Assertion, type CrashKind, type FactCode, type ParsedReport } from '../model.js';
import type { Doc } from '../ingest/doc.js';
import type { FormatModule } from './format.js';
import { kindForClass } from '../diagnose/kind-table.js';
import { candidateIndex, candidateLines, linesAreSubstrings, rawIncludes } from '../ingest/clean.js';

export interface MessageHit {
  line: number;
  message?: string;
  assertion?: Assertion;
  kind?: CrashKind;
  fact?: FactCode;
  exception?: { type: string; message: string | null };
  signal?: string;
  /** Strength: a message that names the crash (assertion, heap) beats the shell's summary. */
  weight: number;
}

interface MessageRow {
  id: string;
  marker: string;
  parse(line: string, lines: string[], i: number): Omit<MessageHit, 'line'> | null;
}

function parseGlibcAssert(line: string): Assertion | null {
  // prog: file.c:12: func: Assertion `expr' failed.
  const at = line.indexOf('Assertion `');
  if (at < 0) return null;
  const endQuote = line.lastIndexOf("' failed");
  if (endQuote < at) return null;
  const expression = line.slice(at + 11, endQuote);
  const parts = line.slice(0, at).split(': ').filter((p) => p.length > 0);
  let file: string | null = null;
  let lineNo: number | null = null;
  let fn: string | null = null;
  for (let k = 0; k < parts.length; k++) {
    const m = /^(.{1,500}):(\d{1,7})$/.exec(parts[k]);
    if (m) {
      file = m[1];
      lineNo = Number(m[2]);
      fn = parts.slice(k + 1).join(': ').replace(/:\s*$/, '') || null;
      break;
    }
  }
  return { expression, file, line: lineNo, function: fn };
}

function parseBsdAssert(line: string): Assertion | null {
  // Assertion failed: (expr), function f, file x.c, line 12.
  const m = /^Assertion failed: \((.{0,2000})\), function ([^,]{1,300}), file ([^,]{1,500}), line (\d{1,7})\.?/.exec(line);
  if (!m) return null;
  return { expression: m[1], function: m[2], file: m[3], line: Number(m[4]) };
}

function parseGlibAssert(line: string): Assertion | null {
  // ERROR:../hw/scsi/x.c:123:func: assertion failed: (expr)
  const at = line.indexOf('ERROR:');
  if (at < 0) return null;
  // the pattern needs one of these literals: a sanitizer's `==1==ERROR: …` line holds neither
  if (line.indexOf('assertion failed', at) < 0 && line.indexOf('code should not be reached', at) < 0) return null;
  const rest = line.slice(at + 6);
  const m = /^(.{1,500}?):(\d{1,7}):([^:]{1,300}): (?:assertion failed(?: \(([^)]{0,500})\))?: ?\(?(.{0,2000}?)\)?\s*$|code should not be reached)/.exec(rest);
  if (!m) return null;
  return { expression: m[5] ?? m[4] ?? 'code should not be reached', file: m[1], line: Number(m[2]), function: m[3] };
}

const SHELL_SIGNALS: Record<string, string> = {
  'Segmentation fault': 'SIGSEGV',
  Aborted: 'SIGABRT',
  'Floating point exception': 'SIGFPE',
  'Bus error': 'SIGBUS',
  'Illegal instruction': 'SIGILL',
  'Trace/breakpoint trap': 'SIGTRAP',
};

const HEAP_PREFIXES = [
  'free(): ', 'malloc(): ', 'realloc(): ', 'double free or corruption', 'corrupted size vs',
  'corrupted double-linked list', 'munmap_chunk(): ', 'malloc_consolidate(): ', 'free(): ',
  'tcache_thread_shutdown(): ', '_int_free(): ', '_int_malloc(): ',
];

export const MESSAGE_ROWS: MessageRow[] = [
  {
    id: 'glibc-assert',
    marker: "' failed",
    parse(line) {
      const a = parseGlibcAssert(line);
      if (!a) return null;
      return { assertion: a, message: line.slice(line.indexOf('Assertion `')).trim(), kind: 'assertion', weight: 10 };
    },
  },
  {
    id: 'bsd-assert',
    marker: 'Assertion failed: (',
    parse(line) {
      const a = parseBsdAssert(line);
      return a ? { assertion: a, message: line.trim(), kind: 'assertion', weight: 10 } : null;
    },
  },
  {
    id: 'glib-assert',
    marker: 'ERROR:',
    parse(line) {
      const a = parseGlibAssert(line);
      return a ? { assertion: a, message: line.slice(line.indexOf('ERROR:')).trim(), kind: 'assertion', weight: 10 } : null;
    },
  },
  {
    id: 'glibc-heap',
    marker: 'orrupt|(): |double free|*** Error in',
    parse(line) {
      let text = line.trim();
      // Older glibc: *** Error in `./prog': double free or corruption (fasttop): 0x… ***
      const old = /^\*\*\* Error in `[^']{1,500}': (.{1,300}?): 0x[0-9a-f]{1,16} \*\*\*/.exec(text);
      if (old) text = old[1];
      if (!HEAP_PREFIXES.some((p) => text.startsWith(p))) return null;
      const cls = kindForClass(text);
      const kind: CrashKind = cls?.kind === 'double-free' || cls?.kind === 'invalid-free' ? cls.kind : 'heap-corruption';
      return { message: text, kind, fact: 'heap-message', weight: 9 };
    },
  },
  {
    id: 'stack-smashing',
    marker: '*** stack smashing detected ***',
    parse(line) {
      return { message: line.trim(), kind: 'stack-smashing', fact: 'stack-smashing', weight: 9 };
    },
  },
  {
    id: 'fortify',
    marker: '*** buffer overflow detected ***',
    parse(line) {
      return { message: line.trim(), kind: 'stack-buffer-overflow', fact: 'fortify', weight: 9 };
    },
  },
  {
    id: 'terminate',
    marker: 'terminate called',
    parse(line, lines, i) {
      const m = /terminate called after throwing an instance of '(.{1,500})'/.exec(line);
      if (m) {
        let what: string | null = null;
        for (let k = i + 1; k < Math.min(lines.length, i + 4); k++) {
          const w = /^\s*what\(\):\s*(.*)$/.exec(lines[k]);
          if (w) {
            what = w[1];
            break;
          }
        }
        return {
          message: `terminate called after throwing an instance of '${m[1]}'${what !== null ? `: ${what}` : ''}`,
          exception: { type: m[1], message: what },
          kind: 'uncaught-exception',
          fact: 'terminate',
          weight: 9,
        };
      }
      if (line.includes('terminate called without an active exception')) {
        return { message: 'terminate called without an active exception', kind: 'abort', fact: 'terminate', weight: 7 };
      }
      return null;
    },
  },
  {
    id: 'alloc-failure',
    marker: 'memory allocation of ',
    parse(line) {
      // Rust's allocation failure handler: `memory allocation of 1024 bytes failed`, then abort.
      const m = /memory allocation of (\d{1,20}) bytes failed/.exec(line);
      return m ? { message: m[0], kind: 'oom', weight: 8 } : null;
    },
  },
  {
    id: 'pure-virtual',
    marker: 'pure virtual method called',
    parse(line) {
      return { message: 'pure virtual method called', kind: 'abort', fact: 'pure-virtual', weight: 10 };
    },
  },
  {
    id: 'v8-fatal',
    marker: 'Fatal error in ',
    parse(line, lines, i) {
      // V8's fatal error block: `# Fatal error in ../../src/x.cc, line 12` then `# <what>`.
      const m = /^#\s{0,8}Fatal error in (.{0,500}?), line (\d{1,7})\s*$/.exec(line.trim());
      if (!m || i + 1 >= lines.length) return null;
      const w = /^#\s{0,8}(\S.{0,2000})$/.exec(lines[i + 1].trim());
      if (!w) return null;
      const what = w[1].trim();
      // `# Fatal process out of memory: …` is the v8-oom row's, on its own line.
      if (/^Fatal (?:process|JavaScript) out of memory/.test(what)) return null;
      const file = m[1] || null;
      const lineNo = Number(m[2]) || null;
      const check = /^(?:Debug check|Check) failed: (.{1,2000}?)\.?$/.exec(what);
      if (check) {
        return { assertion: { expression: check[1], file, line: lineNo, function: null }, message: what, kind: 'assertion', weight: 10 };
      }
      // UNREACHABLE() / UNIMPLEMENTED(): an assertion that this code never runs.
      if (/^un(?:reachable|implemented) code$/.test(what)) {
        return { assertion: { expression: what, file, line: lineNo, function: null }, message: what, kind: 'assertion', weight: 10 };
      }
      return { message: what, kind: 'abort', weight: 7 };
    },
  },
  {
    id: 'v8-oom',
    marker: 'Fatal process out of memory|Fatal JavaScript out of memory',
    parse(line) {
      // V8 gave up on an allocation (`# Fatal process out of memory: Zone`), then aborts.
      const m = /Fatal (?:process|JavaScript) out of memory(?:: ?(.{0,500}))?/.exec(line);
      return m ? { message: m[0].trim(), kind: 'oom', weight: 8 } : null;
    },
  },
  {
    id: 'check-failed',
    marker: 'Check failed: |CHECK failed: ',
    parse(line) {
      // Chromium `[…:FATAL:file.cc(12)] Check failed: x.` (also DCHECK / Security CHECK) and
      // glog / Abseil `F0813 00:29:27.775753  384244 file.cc:130] Check failed: x`.
      const chromium = /\[[^\]]{0,200}FATAL:([^\]]{1,500}?)(?:\((\d{1,7})\)|:(\d{1,7}))\] (?:Security )?D?(?:Check|CHECK) failed: ?(.{0,2000})$/.exec(line);
      const glog = chromium ? null : /^\s*F\d{4} \d\d:\d\d:\d\d\.\d{1,9}\s{1,20}\d{1,10} ([^:\]\s]{1,500}):(\d{1,7})\] Check failed: ?(.{0,2000})$/.exec(line);
      if (!chromium && !glog) return null;
      const file = chromium ? chromium[1] : glog![1];
      const lineNo = Number(chromium ? chromium[2] ?? chromium[3] : glog![2]);
      const expression = (chromium ? chromium[4] : glog![3]).trim().replace(/\.$/, '');
      const message = line.slice(line.indexOf(chromium ? '] ' : 'Check failed') + (chromium ? 2 : 0)).trim();
      return { assertion: { expression, file, line: lineNo, function: null }, message, kind: 'assertion', weight: 10 };
    },
  },
  {
    id: 'fuzzer-limit',
    marker: 'timeout exceeded: |limit exceeded: |ERROR: libFuzzer: ',
    parse(line) {
      // Centipede's runner: `========= Per-input timeout exceeded: 26 > 25 (sec); exiting`,
      // `… RSS limit exceeded: …`, `… Stack limit exceeded: … (byte); aborting`; libFuzzer:
      // `ERROR: libFuzzer: timeout after 25 seconds`, `ERROR: libFuzzer: out-of-memory (…)`.
      const t = line.trim();
      const centipede = /={5,} (Per-input timeout|Per-batch timeout|RSS limit|Stack limit) exceeded: .{0,200}$/.exec(t);
      if (centipede) {
        if (t.includes('without reporting as an error')) return null;
        const kind: CrashKind = centipede[1] === 'RSS limit' ? 'oom' : centipede[1] === 'Stack limit' ? 'stack-overflow' : 'hang';
        return { message: t.slice(t.indexOf(centipede[1])), kind, weight: 8 };
      }
      const lf = /ERROR: libFuzzer: (timeout after \d{1,10} seconds|out-of-memory \(.{0,200})$/.exec(t);
      if (lf) return { message: `libFuzzer: ${lf[1]}`, kind: lf[1].startsWith('timeout') ? 'hang' : 'oom', weight: 8 };
      return null;
    },
  },
  {
    id: 'shell-signal',
    marker: '',
    parse(line) {
      // "Segmentation fault (core dumped)", "bash: line 1: 12345 Aborted   (core dumped) ./prog"
      const t = line.trim();
      for (const [text, sig] of Object.entries(SHELL_SIGNALS)) {
        const k = t.indexOf(text);
        if (k < 0) continue;
        const before = t.slice(0, k);
        const after = t.slice(k + text.length).trim();
        const beforeOk = before === '' || /^(?:\S{1,200}: line \d{1,7}: )?\d{1,10}\s{1,20}$/.test(before) || /^(?:bash|sh|zsh): /.test(before);
        const afterOk = after === '' || /^\(core dumped\)(?:\s{1,40}\S.{0,300})?$/.test(after) || /^\s{0,40}\S{1,300}$/.test(after) && before !== '';
        if (beforeOk && afterOk) {
          return { message: t, signal: sig, fact: 'shell-signal', weight: 1 };
        }
      }
      return null;
    },
  },
];

/** A row with the strings one of which a line must hold before its parser runs. */
interface ActiveRow {
  row: MessageRow;
  parts: string[];
  shell: boolean;
}

const SHELL_TEXTS = Object.keys(SHELL_SIGNALS);

function markerParts(row: MessageRow): string[] {
  return row.marker === '' ? SHELL_TEXTS : row.marker.split('|');
}

/** Every string a message row looks for (detect looks them all up in one pass over the text). */
export const MESSAGE_MARKERS: string[] = [...new Set(MESSAGE_ROWS.flatMap((r) => markerParts(r)))];

const ALL_ROWS: ActiveRow[] = MESSAGE_ROWS.map((row) => ({ row, parts: markerParts(row), shell: row.id === 'shell-signal' }));
const docRows = new WeakMap<Doc, ActiveRow[]>();

/**
 * The rows that can match somewhere in the document: a marker absent from the whole text
 * is absent from every line, so its row is not tried line by line (a 200 MB log pays one
 * substring search per marker, not one per line).
 */
export function activeRows(doc: Doc): ActiveRow[] {
  if (!linesAreSubstrings(doc)) return ALL_ROWS;
  let rows = docRows.get(doc);
  if (!rows) {
    rows = [];
    for (const r of ALL_ROWS) {
      const parts = r.parts.filter((p) => rawIncludes(doc, p));
      if (parts.length > 0) rows.push({ row: r.row, parts, shell: r.shell });
    }
    docRows.set(doc, rows);
  }
  return rows;
}

const docCandidates = new WeakMap<Doc, Int32Array | null>();

/**
 * The lines that may hold a message (one of the active rows' markers), ascending; null:
 * every line may (see `candidateLines`).
 */
export function messageLines(doc: Doc): Int32Array | null {
  let c = docCandidates.get(doc);
  if (c === undefined) {
    c = candidateLines(doc, [...new Set(activeRows(doc).flatMap((r) => r.parts))]);
    docCandidates.set(doc, c);
  }
  return c;
}

/**
 * Every message line in [from, to] (`rows`: the rows worth trying, from `activeRows`;
 * `candidates`: the only lines worth reading, from `messageLines`, null for all).
 */
export function scanMessages(lines: string[], from = 0, to = lines.length - 1, rows: ActiveRow[] = ALL_ROWS, candidates: Int32Array | null = null): MessageHit[] {
  const hits: MessageHit[] = [];
  if (rows.length === 0) return hits;
  let c = candidates === null ? 0 : candidateIndex(candidates, Math.max(0, from));
  for (let i = Math.max(0, from); i <= to && i < lines.length; i++) {
    if (candidates !== null) {
      if (c >= candidates.length) break;
      i = Math.max(i, candidates[c++]);
      if (i > to) break;
    }
    const line = lines[i];
    if (line.length === 0 || line.length > 20000) continue;
    for (let r = 0; r < rows.length; r++) {
      const a = rows[r];
      if (a.shell && line.length >= 600) continue;
      const parts = a.parts;
      let found = false;
      for (let k = 0; k < parts.length; k++) {
        if (line.includes(parts[k])) {
          found = true;
          break;
        }
      }
      if (!found) continue;
      const hit = a.row.parse(line, lines, i);
      if (hit) {
        hits.push({ line: i, ...hit });
        break;
      }
    }
  }
  return hits;
}

/** Apply message hits to a report: the strongest message wins the headline. */
export function applyMessages(report: ParsedReport, hits: MessageHit[]): void {
  const sorted = [...hits].sort((a, b) => b.weight - a.weight || a.line - b.line);
  for (const h of sorted) {
    if (h.assertion && !report.assertion) report.assertion = h.assertion;
    if (h.exception && !report.exception) report.exception = { type: h.exception.type, message: h.exception.message, causes: [] };
    if (h.message && !report.message) report.message = h.message;
    if (h.fact && !report.facts.some((f) => f.code === h.fact)) report.facts.push({ code: h.fact, text: h.message ?? h.fact, value: h.message });
    // A message that names the cause beats a bare abort (an ABRT report after an OOM message).
    if (h.kind && (!report.kind || (report.kind.kind === 'abort' && h.kind !== 'abort' && h.weight >= 8))) {
      report.kind = { kind: h.kind, confidence: 'high', reason: h.message ?? h.kind };
      if (h.message && report.kind.kind !== 'abort' && (!report.message || /DEADLYSIGNAL|ABRT|TRAP|Aborted/.test(report.message))) report.message = h.message;
    }
    if (h.signal && !report.signal) report.signal = { name: h.signal };
  }
  // A glibc assertion or heap message beats the shell's generic "Aborted".
  if (report.message && sorted[0] && sorted[0].weight > 1 && sorted[0].message && report.message.startsWith('Program terminated')) {
    report.message = sorted[0].message;
  }
}

export function findMessages(doc: Doc): ParsedReport[] {
  const hits = scanMessages(doc.lines, 0, doc.lines.length - 1, activeRows(doc), messageLines(doc));
  const out: ParsedReport[] = [];
  let cluster: MessageHit[] = [];
  const flush = () => {
    if (cluster.length === 0) return;
    // The shell's summary alone is a crash too, but weak.
    const r = emptyReport('message', cluster[0].line);
    r.endLine = cluster[cluster.length - 1].line;
    applyMessages(r, cluster);
    out.push(r);
    cluster = [];
  };
  for (const h of hits) {
    if (cluster.length > 0 && h.line - cluster[cluster.length - 1].line > 8) flush();
    cluster.push(h);
  }
  flush();
  return out;
}

export const messages: FormatModule = {
  id: 'message',
  triggers: [
    "' failed", 'Assertion failed', 'ERROR:', '(): ', 'orrupt', 'double free', '*** ', 'terminate called', 'pure virtual',
    'Fatal error in ', 'Fatal process out of memory', 'Fatal JavaScript out of memory', 'Check failed: ', 'CHECK failed: ',
    'timeout exceeded: ', 'limit exceeded: ', ...Object.keys(SHELL_SIGNALS),
  ],
  priority: -10,
  find: findMessages,
};
