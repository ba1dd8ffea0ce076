import { describe, expect, it } from 'vitest';
import { clean, dmesgEnd, STAMP_NONE, STAMP_TAG, STAMP_TIME, stampTagText } from '../../src/ingest/clean.js';
import { stripPrefix } from '../../src/formats/kernel.js';

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

  it("keeps a line's own indentation after a timestamp, and strips CI, container and Compose prefixes", () => {
    const doc = clean(
      [
        '2026-11-25T10:00:00.1234567Z   File "/app/main.py", line 9, in run',
        '2026-11-25T10:00:00.123456789Z stderr F \t/src/server.go:42 +0x2c',
        '2026-11-25T10:00:00.123456789Z stdout P goroutine 1 [running]:',
        '[2026-11-25T10:00:00.123Z] #0  f () at a.c:1',
        '2026-11-25T10:00:00+0000 host7 qemu-kvm[4242]: Program received signal SIGSEGV, Segmentation fault.',
        'web-1     |   File "/app/main.py", line 9, in run',
        'web_1  | KeyError: \'port\'',
        'api-worker-12  | 2026-11-25T10:00:00.123Z panic: boom',
        '2026-11-25 10:00:00,123 ERROR   Traceback (most recent call last):',
      ].join('\n'),
    );
    expect(doc.lines).toEqual([
      '  File "/app/main.py", line 9, in run',
      '\t/src/server.go:42 +0x2c',
      'goroutine 1 [running]:',
      '#0  f () at a.c:1',
      'Program received signal SIGSEGV, Segmentation fault.',
      '  File "/app/main.py", line 9, in run',
      "KeyError: 'port'",
      'panic: boom',
      'Traceback (most recent call last):',
    ]);
  });

  it('leaves lines that only look like a Compose prefix', () => {
    const lines = ['x | y', 'web | y', 'web-a  | y', 'cat file-1 | grep x', 'a-1 |', '-1 | y', 'web-1 y | z'];
    expect(clean(lines.join('\n')).lines).toEqual(lines);
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
    // a raw line never ends in a CR where rawStarts is given (the kernel relies on it)
    expect(clean('[  912.004410] x\r\ny').rawStarts).toBeUndefined();
  });

  it('gives the input bytes with them when there is one byte per char', () => {
    const text = '[  912.004410] a\n b+0x1/0x2 [m]\n';
    const bytes = new TextEncoder().encode(text);
    const doc = clean(bytes);
    expect(doc.bytes).toBe(bytes);
    for (let n = 0; n < doc.lines.length; n++) {
      const e = doc.rawStarts![n + 1] - 1;
      expect(new TextDecoder().decode(doc.bytes!.subarray(e - doc.lines[n].length, e))).toBe(doc.lines[n]);
    }
    expect(clean(text).bytes).toBeUndefined();
    expect(clean(new TextEncoder().encode('[  912.004410] \u00e9\n')).bytes).toBeUndefined();
    expect(clean(new TextEncoder().encode('> a\n> b')).bytes).toBeUndefined();
  });
});

describe('stamps: what clean read of the prefix it stripped, as the kernel reads the raw line', () => {
  // The kernel's own reading of a raw line (a line that starts with `[` is read from there
  // by both; stripPrefix reads any other the way RawTimestamps falls back to).
  const check = (text: string) => {
    const doc = clean(new TextEncoder().encode(text));
    expect(doc.stamps, text).toBeDefined();
    expect(doc.stamps!.length).toBe(doc.lines.length);
    const counts = [0, 0, 0, 0];
    for (let n = 0; n < doc.lines.length; n++) {
      const rawLine = text.slice(doc.rawStarts![n], doc.rawStarts![n + 1] - 1);
      const code = doc.stamps![n];
      const label = JSON.stringify(rawLine);
      if (code === STAMP_NONE) {
        expect(doc.lines[n], label).toBe(rawLine);
        counts[1]++;
      } else if (code >= STAMP_TIME) {
        const p = stripPrefix(rawLine);
        expect(p.ts, label).toBe(true);
        expect(p.tag, label).toBe((code & STAMP_TAG) !== 0 ? stampTagText(code) : null);
        counts[(code & STAMP_TAG) !== 0 ? 3 : 2]++;
      } else {
        expect(code, label).toBe(0);
        counts[0]++;
      }
    }
    return counts;
  };

  it('records printk times and caller tags, and leaves other shapes unknown', () => {
    const lines = [
      '[  912.004410] Unable to handle kernel NULL pointer dereference',
      '[  912.004410][ T6659] BUG: KASAN: use-after-free',
      '[  912.004410][    C1] rcu: INFO',
      '[  912.004410][T0042] leading zeros',
      '[  912.004410][ T1234567] seven digits',
      '[  912.004410][ T12345678] eight digits (the kernel reads a tag clean does not)',
      '[  912.004410][       T1] seven spaces (the kernel reads a tag clean does not)',
      '[  912.004410][\tT1] a tab',
      '[  912.004410] [T1] a blank before the tag (the kernel sees no tag)',
      '[  912.004410]  [T1] two blanks',
      '[  912.004410][X1] not a tag',
      '[  912.004410][ T1]',
      '[  912.004410]',
      '[  912.004410]x',
      '[  912.004410]\t  indented',
      '[ 2210.443001][    C1]  dump_stack_lvl+0x4b/0x60',
      '[12345.123456] five digits',
      '[123456.123456] six digits: not printk\'s shape',
      '[\t  12.123456] a tab',
      '[  12.5] short',
      ' indented frame+0x1/0x2',
      'plain',
      '',
      '<4>[  333.810145] console level',
      'Mar  3 10:14:22 host kernel: [ 4410.001201] Oops: 0002',
      '2026-11-25T10:00:00.123Z INFO x',
    ];
    const counts = check(lines.join('\n'));
    expect(counts[2]).toBeGreaterThanOrEqual(6);
    expect(counts[3]).toBeGreaterThanOrEqual(5);
    expect(counts[0]).toBeGreaterThanOrEqual(6);
    const doc = clean(new TextEncoder().encode(lines.join('\n')));
    expect(stampTagText(doc.stamps![3])).toBe('T0042');
    expect(stampTagText(doc.stamps![2])).toBe('C1');
    expect(stampTagText(doc.stamps![4])).toBe('T1234567');
    expect(doc.stamps![5]).toBe(0);
    expect(doc.stamps![6]).toBe(0);
    expect(doc.stamps![8]).toBe(STAMP_TIME);
  });

  it('agrees with the kernel\'s reading on random lines', () => {
    let seed = 5;
    const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) >>> 12) % n;
    const pick = (s: string) => s[rnd(s.length)];
    const run = (s: string, max: number) => Array.from({ length: rnd(max + 1) }, () => pick(s)).join('');
    const out: string[] = [];
    for (let k = 0; k < 20000; k++) {
      // printk's shape half the time (the only one clean records), else around it
      let l = rnd(2) ? `[${String(rnd(100000)).padStart(5)}.${String(rnd(1000000)).padStart(6, '0')}]`
        : '[' + run('    \t', 5) + run('0123456789', 7) + (rnd(10) ? '.' : ',') + run('0123456789', 7) + (rnd(10) ? ']' : ')');
      if (rnd(2)) l += (rnd(2) ? '' : run(' \t', 2)) + (rnd(8) ? '[' : '') + run('      \t', 8) + pick('TTCCX') + run('0123456789', 8) + (rnd(8) ? ']' : '');
      l += run(' \t', 3) + run('abc+x[]', 6);
      out.push(rnd(20) ? l : run(' abc[]', 8));
    }
    const counts = check(out.join('\n'));
    // each kind of answer is exercised
    for (const c of counts) expect(c).toBeGreaterThan(500);
  });

  it('is absent without rawStarts, and unknown where clean read a text without its bytes', () => {
    expect(clean('> [  912.004410] x\n> y').stamps).toBeUndefined();
    expect(clean('```\n[  912.004410] x\n```').stamps).toBeUndefined();
    const doc = clean('[  912.004410][ T1] x\nplain');
    expect(Array.from(doc.stamps!)).toEqual([0, STAMP_NONE]);
  });
});

describe('dmesg prefixes, read by hand in the bytes', () => {
  // The pattern dmesgEnd replaces, kept here as its specification.
  const DMESG = /\[[^\S\n]{0,12}\d{1,10}\.\d{1,9}\](?:[^\S\n]?\[[^\S\n]{0,6}[TC]\d{1,7}\])?[^\S\n]?/y;
  const spec = (s: string, at: number, end: number) => {
    DMESG.lastIndex = at;
    return DMESG.test(s) && DMESG.lastIndex > at && DMESG.lastIndex <= end ? DMESG.lastIndex : at;
  };
  const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.length);
  // A line as clean sees it: its bytes (ASCII, or lone bytes from 0x80 up, each one malformed
  // char) and their decoded text, alone and inside a text (after a line, before a newline).
  const same = (bytes: number[]) => {
    const label = JSON.stringify(bytes);
    const b = Uint8Array.from(bytes);
    const s = new TextDecoder().decode(b);
    expect(s.length, label).toBe(b.length);
    expect(dmesgEnd(view(b), 0, b.length), label).toBe(spec(s, 0, s.length));
    const around = Uint8Array.from([120, 10, ...bytes, 10, 91, 32, 49, 46, 50, 93, 32, 121]);
    const t = new TextDecoder().decode(around);
    expect(dmesgEnd(view(around), 2, 2 + b.length), label).toBe(spec(t, 2, 2 + b.length));
  };
  const ascii = (line: string) => same([...line].map((c) => c.charCodeAt(0)));

  it('agrees with the pattern on the shapes the kernel prints and their edges', () => {
    for (const line of [
      '[  123.456789] Unable to handle kernel NULL pointer dereference',
      '[  123.456789][    T12] BUG: KASAN: use-after-free',
      '[  123.456789] [    T12] BUG',
      '[  123.456789]  [ C1] x',
      '[  123.456789]\t[C1]\ty',
      '[123.4]',
      '[123.4]x',
      '[ 1.2] ',
      '[            1.2] twelve blanks',
      '[             1.2] thirteen blanks',
      '[1234567890.123456789] ten and nine digits',
      '[12345678901.1] eleven digits',
      '[1.1234567890] ten fraction digits',
      '[1.] no fraction',
      '[.5] no seconds',
      '[1.5',
      '[1.5]',
      '[1.5][',
      '[1.5][ T',
      '[1.5][T1',
      '[1.5][T1234567]',
      '[1.5][T12345678]',
      '[1.5][      T1] six blanks',
      '[1.5][       T1] seven blanks',
      '[1.5][X1]',
      '[1.5][T]',
      '[1.5]  [T1]',
      '[1.5]\r[T1]\r',
      '[\v1.5]\f[\vC7]\v',
      '[ 1.5]\n',
      '[\n1.5]',
      '[1.5]\n[T1]',
      '[',
      '',
      'x[1.5]',
      // printk's own shape, read in words, and what is near it.
      '[12345.123456] five digits',
      '[    1.123456] four spaces',
      '[     .123456] no seconds',
      '[ 1 12.123456] a space after a digit',
      '[\t  12.123456] a tab',
      '[  912.0044100] seven fraction digits',
      '[  912.00441] five fraction digits',
      '[  912,004410]',
      '[  912.004410)',
      '[  9a2.004410]',
      '[  912.00x410]',
      '[  912.004410]',
      '[  912.004410][ T1]',
      '[  912.004410]\v',
      '[123456.123456] six digits',
      '[:::::.::::::]',
      '[/////./////]',
    ]) ascii(line);
    // Bytes that are blanks in Latin-1 (NBSP, NEL) are malformed chars here, never blanks.
    same([91, 0xa0, 49, 46, 53, 93, 0xa0]);
    same([91, 49, 46, 53, 93, 0x85, 91, 84, 49, 93]);
    same([91, 49, 46, 53, 93, 32, 0xbf]);
  });

  it('agrees with the pattern on random lines', () => {
    // Each slot of the pattern filled with runs around its bounds, now and then with a
    // char of another slot (or a newline, a malformed byte) instead.
    let seed = 11;
    const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) >>> 12) % n;
    const odd = [10, 0x80, 0x85, 0xa0, 46, 93, 91, 84, 67, 49, 32, 120];
    const run = (chars: number[], max: number) => {
      const out: number[] = [];
      for (let k = rnd(max + 1); k > 0; k--) out.push(rnd(20) === 0 ? odd[rnd(odd.length)] : chars[rnd(chars.length)]);
      return out;
    };
    const one = (c: number) => (rnd(12) === 0 ? [odd[rnd(odd.length)]] : rnd(12) === 0 ? [] : [c]);
    const blanks = [32, 32, 32, 9, 11, 12, 13];
    const digits = [48, 49, 50, 55, 57];
    let matched = 0;
    let tagged = 0;
    for (let k = 0; k < 20000; k++) {
      const bytes = [91, ...run(blanks, 14), ...run(digits, 12), ...one(46), ...run(digits, 11), ...one(93)];
      if (rnd(2) === 0) bytes.push(...run(blanks, 2), ...one(91), ...run(blanks, 8), ...one(rnd(2) ? 84 : 67), ...run(digits, 9), ...one(93));
      bytes.push(...run(blanks, 2), ...run([120, 121], 3));
      same(bytes);
      const e = dmesgEnd(view(Uint8Array.from(bytes)), 0, bytes.length);
      if (e > 0) matched++;
      if (e > 0 && bytes.slice(0, e).filter((c) => c === 93).length === 2) tagged++;
    }
    // The random lines reach the pattern's every part, its optional tag too.
    expect(matched).toBeGreaterThan(1000);
    expect(tagged).toBeGreaterThan(200);
  });

  it('agrees with the pattern on random lines near printk\'s shape', () => {
    let seed = 5;
    const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) >>> 12) % n;
    const near = [32, 48, 57, 46, 93, 91, 9, 47, 58, 0x80, 0xbf, 10, 120];
    for (let k = 0; k < 20000; k++) {
      const spaces = rnd(6);
      const bytes = [91];
      for (let p = 0; p < 5; p++) bytes.push(p < spaces ? 32 : 48 + rnd(10));
      bytes.push(46);
      for (let p = 0; p < 6; p++) bytes.push(48 + rnd(10));
      bytes.push(93, 32, 120);
      // One to three bytes changed, anywhere.
      for (let m = rnd(4); m > 0; m--) bytes[rnd(bytes.length)] = near[rnd(near.length)];
      same(bytes);
    }
  });

  it('reads nothing but a `[` and a dmesg time as a prefix', () => {
    const b = (s: string) => view(Uint8Array.from([...s].map((c) => c.charCodeAt(0))));
    expect(dmesgEnd(b('abc'), 0, 3)).toBe(0);
    expect(dmesgEnd(b('[1.5] x'), 7, 7)).toBe(7);
    expect(dmesgEnd(b('[1.5] x'), 0, 3)).toBe(0);
    expect(clean(Buffer.from('[  1.000001] a\n[  1.000002][  T1] b\n[1.5]\n')).lines).toEqual(['a', 'b', '[1.5]', '']);
  });
});
