import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { candidateLines, clean, prefetchRaw, rawIncludes } from '../../src/ingest/clean.js';
import { detect } from '../../src/detect.js';
import { FORMATS } from '../../src/formats/index.js';
import type { ParsedReport } from '../../src/model.js';

const ROOT = join(__dirname, '..', '..');

function files(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) files(p, out);
    else if (!e.name.endsWith('.json') && !e.name.endsWith('.sh') && statSync(p).size < 4_000_000) out.push(p);
  }
  return out;
}

function shape(reports: ParsedReport[], picked: number): string {
  return JSON.stringify([
    picked,
    reports.map((r) => [r.format, r.startLine, r.endLine, r.message, r.kind?.kind ?? null, r.threads.map((t) => t.frames.map((f) => f.function))]),
  ]);
}

describe('format triggers', () => {
  // A trigger only skips work: a text without any of a format's triggers holds no report of it.
  it('skip no report: every fixture gives the same reports with and without trigger gating', () => {
    const ungated = FORMATS.map((f) => ({ ...f, triggers: undefined }));
    const all = [...files(join(ROOT, 'test', 'fixtures')), ...files(join(ROOT, 'examples'))];
    expect(all.length).toBeGreaterThan(100);
    const differ: string[] = [];
    for (const f of all) {
      const buf = readFileSync(f);
      const gated = detect(clean(buf));
      const every = detect(clean(buf), ungated);
      if (shape(gated.reports, gated.picked) !== shape(every.reports, every.picked)) differ.push(f.slice(ROOT.length + 1));
    }
    expect(differ).toEqual([]);
  });

  // The line index (candidateLines) only skips lines: a Doc without it (built by hand, no
  // raw text) reads every line of every format and must find the same reports.
  it('skip no report: every fixture gives the same reports with and without the line index', () => {
    const all = [...files(join(ROOT, 'test', 'fixtures')), ...files(join(ROOT, 'examples'))];
    const differ: string[] = [];
    let indexed = 0;
    for (const f of all) {
      const doc = clean(readFileSync(f));
      if (candidateLines(doc, ['#0 ']) !== null) indexed++;
      const fast = detect(doc);
      const every = detect({ lines: doc.lines.slice() });
      if (shape(fast.reports, fast.picked) !== shape(every.reports, every.picked)) differ.push(f.slice(ROOT.length + 1));
    }
    expect(indexed).toBeGreaterThan(all.length / 2);
    expect(differ).toEqual([]);
  });

  it('windows, apple, android and breakpad stay off a plain log', () => {
    const log = Array.from({ length: 50 }, (_, i) => `2026-11-25T10:00:00.${String(i).padStart(3, '0')}Z INFO worker[${i}]: handled request id=${i} status=200`).join('\n');
    const doc = clean(log);
    for (const id of ['windows', 'apple', 'android', 'breakpad']) {
      const f = FORMATS.find((x) => x.id === id)!;
      expect(f.triggers, id).toBeDefined();
      expect(f.triggers!.some((t) => rawIncludes(doc, t)), id).toBe(false);
    }
  });

  it('a trigger split by a colour code still counts (the cleaned line holds it)', () => {
    const banner = Array.from({ length: 16 }, () => '***').join('\x1b[1m \x1b[0m');
    const text = `${banner}\npid: 1, tid: 1, name: a  >>> a <<<\nsignal 11 (SIGSEGV), code 1 (SEGV_MAPERR), fault addr 0x0\nbacktrace:\n    #00 pc 0000000000001234  /system/lib64/libc.so (strlen+16)\n`;
    expect(text.includes('*** ***')).toBe(false);
    const doc = clean(text);
    expect(doc.lines[0].startsWith('*** ***')).toBe(true);
    expect(rawIncludes(doc, '*** ***')).toBe(true);
    expect(detect(doc).reports.map((r) => r.format)).toContain('android');
  });
});

describe('trigger pass', () => {
  const strings = ['#0 ', 'Crash reason:', 'AddressSanitizer', '*** ***', 'x', '\u0000'];
  const noise = 'abcdefghij klmnop 0123456789 #1 Crash reaso AddressSanitize ** *** qrstuvw\n';

  function expected(text: string): Record<string, boolean> {
    return Object.fromEntries(strings.map((s) => [s, text.includes(s)]));
  }

  function found(input: string | Uint8Array): Record<string, boolean> {
    const doc = clean(input);
    prefetchRaw(doc, strings);
    return Object.fromEntries(strings.map((s) => [s, rawIncludes(doc, s)]));
  }

  // Large inputs are walked as several interleaved streams: a string straddling the border
  // of two streams' parts, or lying at the very start or end, is found like any other.
  it('finds strings at every position of a large text, from a string or from bytes', () => {
    const base = noise.repeat(Math.ceil(300_000 / noise.length));
    for (const at of [0, 1, 74_999, 75_000, 75_001, 149_990, 150_000, 224_995, base.length - 14, base.length - 13]) {
      for (const s of ['Crash reason:', '#0 ', '*** ***']) {
        const text = base.slice(0, at) + s + base.slice(at);
        const want = expected(text);
        expect(found(text), `${s} at ${at}`).toEqual(want);
        expect(found(new TextEncoder().encode(text)), `${s} at ${at} (bytes)`).toEqual(want);
      }
    }
    expect(found(base)).toEqual(expected(base));
  });

  it('finds strings across the chunks a long string is walked in', () => {
    const base = noise.repeat(Math.ceil(2_500_000 / noise.length));
    const chunk = 1 << 20;
    for (const at of [chunk - 6, chunk, chunk + 1, 2 * chunk - 3, base.length - 13]) {
      const text = base.slice(0, at) + 'Crash reason:' + base.slice(at);
      expect(found(text), `at ${at}`).toEqual(expected(text));
    }
  });

  it('reads bytes like the decoded text: malformed UTF-8, a BOM and NUL', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, 0x23, 0x30, 0x20, 0xff, 0xc3, 0x41, 0x00, 0x0a, 0x2a, 0x2a, 0x2a, 0x20, 0x2a, 0x2a, 0x2a]);
    const text = new TextDecoder().decode(bytes);
    expect(found(bytes)).toEqual(expected(text));
    const big = new Uint8Array(200_000).fill(0x61);
    big.set(bytes, 100_000 - 5);
    expect(found(big)).toEqual(expected(new TextDecoder().decode(big)));
  });
});
