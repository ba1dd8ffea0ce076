import { describe, expect, it } from 'vitest';
import { analyze, isError } from '../../src/analyze.js';
import { renderText } from '../../src/render/text.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import type { Analysis } from '../../src/model.js';

const recursion = (n: number) => {
  const lines = ['Program received signal SIGSEGV, Segmentation fault.'];
  for (let i = 0; i < n; i++) lines.push(`#${i}  0x000055555555518d in walk_tree (n=0x555555558040 <b>, depth=${n - i}) at recurse.c:19`);
  lines.push(`#${n}  0x00005555555551c0 in main () at recurse.c:30`);
  return lines.join('\n');
};

describe('hostile input never throws or hangs', () => {
  it('analyses a 50,000-frame recursion as a stack overflow with the cycle as evidence', () => {
    const a = analyze(recursion(50_000)) as Analysis;
    expect(isError(a)).toBe(false);
    expect(a.kind).toBe('stack-overflow');
    expect(a.confidence).toBe('high');
    expect(a.crashFrame?.function).toBe('walk_tree');
    expect(a.evidence.find((e) => e.id === 'cycle')?.text).toContain('walk_tree');
    const text = renderText(a, { color: false, allFrames: false });
    expect(text.split('\n').length).toBeLessThan(200);
  });

  it('finds a crash inside a large log with a 1 MB line', () => {
    const noise = 'x'.repeat(1024 * 1024);
    const text = ['boot', noise, recursion(3), noise, 'done'].join('\n');
    const a = analyze(text) as Analysis;
    expect(a.crashFrame?.function).toBe('walk_tree');
  });

  it('reads a log of 100,000 JSON lines, escaped newlines in every one, once (no line searched to the end of the text)', () => {
    // one escaped newline a line (none is parsed) and two (every one is)
    const line = (i: number) => JSON.stringify({ level: 'info', msg: `tick ${i}`, detail: i % 2 === 0 ? 'a\nb' : 'a\nb\nc' });
    const lines = Array.from({ length: 100_000 }, (_, i) => line(i));
    lines[50_000] = JSON.stringify({ level: 'error', msg: 'crashed', stack: recursion(3) });
    const a = analyze(lines.join('\n') + '\n{"msg": "x') as Analysis;
    expect(a.crashFrame?.function).toBe('walk_tree');
  });

  it('says "no crash" for empty input, binary junk and a plain log', () => {
    const junk = new Uint8Array(64 * 1024);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 2654435761) & 0xff;
    for (const input of ['', junk, 'GET / 200\nGET /favicon.ico 404\n']) {
      const r = analyze(input);
      expect(isError(r) && r.error.code).toBe('no-crash');
    }
  });

  it('analyses a truncated trace with a quality note', () => {
    const text = ['Program received signal SIGSEGV, Segmentation fault.', '#4  0x000055555555518d in cart_total (c=0x0) at cart.c:19', '#5  0x00005555555551c0 in main () at cart.c:30'].join('\n');
    const a = analyze(text) as Analysis;
    expect(a.crashFrame?.function).toBe('cart_total');
    expect(a.quality.map((q) => q.text).join(' ')).toMatch(/frames above it were not pasted|cut off/);
  });

  it('reads the crash through lines built to make regexes backtrack', () => {
    // No time is asserted (speed lives in npm run bench): a backtracking pattern on these
    // 100,000-character lines would run for hours, far past the test timeout.
    const evil = [
      'Program received signal SIGSEGV, Segmentation fault.',
      'f (' + '('.repeat(200_000),
      '#0  ' + 'a ('.repeat(100_000),
      '#1  0x1 in g (' + '"\\'.repeat(100_000),
      'Thread 1 (' + ' ('.repeat(100_000),
      'ERROR:' + ':1:'.repeat(100_000),
      "x: y.c:1: f: Assertion `" + "'".repeat(100_000),
      '[' + ' '.repeat(100_000),
    ].join('\n');
    const r = analyze(evil) as Analysis;
    expect(r.format).toBe('gdb');
    expect(r.kind).toBe('segv');
    expect(r.threads[0].frames.map((f) => f.function)).toEqual(['a', 'g']);
  });

  it('escapes control sequences and markup from crash text in every output', () => {
    const text = ['Program received signal SIGSEGV, Segmentation fault.', '#0  0x1 in evil\u001b]8;;http://x\u0007name\u202e (p=0x0) at <img src=x onerror=alert(1)>.c:3', '#1  0x2 in main () at m.c:9'].join('\n');
    const a = analyze(text) as Analysis;
    const out = renderText(a, { color: false, allFrames: true });
    expect(out).not.toMatch(/[\u001b\u0007\u202e]/);
    const md = renderMarkdown(a, { allFrames: true });
    // Raw HTML may appear only inside code spans and blocks, where Markdown shows it as text.
    const outsideCode = md.replace(/```[\s\S]*?```/g, '').replace(/(`+)[^`]*?\1/g, '');
    expect(outsideCode).not.toContain('<img');
    expect(md).not.toMatch(/[\u001b\u0007\u202e]/);
  });
});
