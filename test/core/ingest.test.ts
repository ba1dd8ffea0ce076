import { describe, expect, it } from 'vitest';
import { clean } from '../../src/ingest/clean.js';

describe('ingest: what pasting adds is removed', () => {
  it('strips ANSI colours and CRLF', () => {
    const doc = clean('\x1b[31m#0  0x0000555555555155 in f (p=0x0) at a.c:4\x1b[0m\r\nnext\r\n');
    expect(doc.lines[0]).toBe('#0  0x0000555555555155 in f (p=0x0) at a.c:4');
    expect(doc.lines[1]).toBe('next');
  });

  it('strips mail and issue quoting when most lines are quoted', () => {
    const doc = clean('> Program received signal SIGSEGV, Segmentation fault.\n> #0  f () at a.c:1\n>> #1  main () at a.c:9\n');
    expect(doc.lines.slice(0, 3)).toEqual(['Program received signal SIGSEGV, Segmentation fault.', '#0  f () at a.c:1', '#1  main () at a.c:9']);
  });

  it('keeps a lone `>` marker line when the paste is not quoted', () => {
    const doc = clean('a\nb\nc\n>\tapp.exe!f() Line 3\n');
    expect(doc.lines[3].startsWith('>')).toBe(true);
  });

  it('drops markdown code fences', () => {
    const doc = clean('```gdb\n#0  f () at a.c:1\n```\n');
    expect(doc.lines).toEqual(['#0  f () at a.c:1', '']);
  });

  it('strips dmesg, ISO timestamp, journald and logcat prefixes', () => {
    const doc = clean(
      [
        '[  123.456789] BUG: kernel NULL pointer dereference, address: 0000000000000008',
        '[   12.000001] [    T42] RIP: 0010:f+0x1/0x2',
        '2026-11-25T10:00:00.123Z ERROR #0  f () at a.c:1',
        'Nov 25 10:00:00 host7 qemu-kvm[4242]: Program received signal SIGSEGV, Segmentation fault.',
        '03-14 10:22:33.123  1250  1250 F DEBUG   : signal 11 (SIGSEGV), code 1 (SEGV_MAPERR), fault addr 0x0',
      ].join('\n'),
    );
    expect(doc.lines).toEqual([
      'BUG: kernel NULL pointer dereference, address: 0000000000000008',
      'RIP: 0010:f+0x1/0x2',
      '#0  f () at a.c:1',
      'Program received signal SIGSEGV, Segmentation fault.',
      'signal 11 (SIGSEGV), code 1 (SEGV_MAPERR), fault addr 0x0',
    ]);
  });

  it('replaces malformed UTF-8 instead of failing', () => {
    const bytes = new Uint8Array([0x23, 0x30, 0x20, 0xff, 0xfe, 0x0a, 0x41]);
    const doc = clean(bytes);
    expect(doc.lines[0]).toBe('#0 \ufffd\ufffd');
    expect(doc.lines[1]).toBe('A');
  });

  it('removes other control characters that would reach a terminal', () => {
    const doc = clean('#0  f\x07\x08 () at a.c:1');
    expect(doc.lines[0]).toBe('#0  f () at a.c:1');
  });

  it('gives the first char code of every cleaned line (0 when empty, 255 from 255 up)', () => {
    const doc = clean('2026-11-25T10:00:00Z INFO #0  f () at a.c:1\n\n```\n\u00e9t\u00e9\n\u4e2d\n> x\n');
    expect(doc.lines).toEqual(['#0  f () at a.c:1', '', '\u00e9t\u00e9', '\u4e2d', '> x', '']);
    expect(Array.from(doc.first!)).toEqual([35, 0, 0xe9, 255, 62, 0]);
  });

  it('never lets a log prefix reach into the next line', () => {
    const text = '[  123.456789]\n#0  f () at a.c:1\n03-14 10:22:33.123  1250  1250 F DEBUG\n: x\nF/DEBUG\n( 1250): y\n2026-11-25T10:00:00Z INFO\nz';
    const lines = ['', '#0  f () at a.c:1', '03-14 10:22:33.123  1250  1250 F DEBUG', ': x', 'F/DEBUG', '( 1250): y', 'INFO', 'z'];
    expect(clean(text).lines).toEqual(lines);
    expect(clean(new TextEncoder().encode(text)).lines).toEqual(lines);
  });
});

describe('rawStarts: where each cleaned line starts in the raw text', () => {
  it('points at the line before its stripped prefix, one entry more than the lines', () => {
    const text = '[   12.345678] BUG: kernel NULL pointer dereference, address: 0000000000000008\nplain line\n2026-11-25T10:00:00.123Z INFO pier ready\n';
    const doc = clean(text);
    expect(doc.rawStarts).toBeDefined();
    expect(doc.rawStarts!.length).toBe(doc.lines.length + 1);
    for (let n = 0; n < doc.lines.length; n++) {
      const rawLine = text.slice(doc.rawStarts![n], doc.rawStarts![n + 1] - 1);
      expect(rawLine.endsWith(doc.lines[n])).toBe(true);
    }
    expect(text.slice(doc.rawStarts![0], doc.rawStarts![0] + 14)).toBe('[   12.345678]');
    expect(doc.rawStarts![doc.lines.length]).toBe(text.length + 1);
  });

  it('is absent when ingest dropped or changed lines (a code fence, quoting, colour codes)', () => {
    expect(clean('```\n#0  0x1 in f () at a.c:1\n```').rawStarts).toBeUndefined();
    expect(clean('> #0  0x1 in f () at a.c:1\n> #1  0x2 in main () at a.c:9').rawStarts).toBeUndefined();
    expect(clean('\x1b[31m#0  0x1 in f () at a.c:1\x1b[0m').rawStarts).toBeUndefined();
  });
});
