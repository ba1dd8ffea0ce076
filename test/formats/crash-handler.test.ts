import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { crashHandler, parseHandlerFrame } from '../../src/formats/crash-handler.js';
import { FORMATS } from '../../src/formats/index.js';
import { analyze } from '../../src/analyze.js';
import type { Analysis, ParsedReport } from '../../src/model.js';

const dir = fileURLToPath(new URL('../fixtures/handlers/', import.meta.url));
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();

interface Truth {
  format: string;
  kind: string;
  signal?: string;
  faultAddress?: string;
  assertion?: { expression: string; file: string; line: number };
  crashFunction: string;
  thread?: { id: string; name: string | null };
  threads: number;
  complete: boolean;
}

function load(name: string): { text: string; truth: Truth } {
  return {
    text: readFileSync(join(dir, name), 'utf8'),
    truth: JSON.parse(readFileSync(join(dir, name.replace(/\.txt$/, '.json')), 'utf8')) as Truth,
  };
}
const parse = (text: string): ParsedReport[] => crashHandler.find({ lines: text.split('\n') });

describe('crash-handler format: fixtures', () => {
  for (const name of fixtures) {
    it(`reads ${name}`, () => {
      const { text, truth } = load(name);
      const rs = parse(text);
      expect(rs.length).toBe(1);
      const r = rs[0];
      expect(r.format).toBe(truth.format);
      expect(r.kind?.kind).toBe(truth.kind);
      expect(r.complete).toBe(truth.complete);
      expect(r.facts.some((f) => f.code === 'truncated')).toBe(!truth.complete);
      if (truth.signal) expect(r.signal?.name).toBe(truth.signal);
      if (truth.faultAddress) expect(r.signal?.faultAddress).toBe(truth.faultAddress);
      if (truth.assertion) expect(r.assertion).toMatchObject(truth.assertion);
      expect(r.threads.length).toBe(truth.threads);
      const crashed = r.threads.filter((t) => t.crashed);
      expect(crashed.length).toBe(1);
      if (truth.thread) {
        expect(r.crashingThreadId).toBe(truth.thread.id);
        expect(crashed[0].name).toBe(truth.thread.name);
      }
      // the handler's frames and the trampoline are crash-handling; the crash function follows them
      const frames = crashed[0].frames;
      const firstOwn = frames.findIndex((f) => f.roleHint !== 'crash-handling');
      expect(frames.slice(firstOwn).map((f) => f.function)).toContain(truth.crashFunction);
      expect(r.message).toBeTruthy();
    });
  }
});

describe('crash-handler format: details', () => {
  it('reads the frame shapes of both products', () => {
    expect(parseHandlerFrame('./redis-server *:6379(processMultibulkBuffer+0x1fc)[0x59e41ef01bac]'))
      .toMatchObject({ fn: 'processMultibulkBuffer', module: './redis-server', address: '0x59e41ef01bac' });
    expect(parseHandlerFrame('/lib/x86_64-linux-gnu/libc.so.6(+0x45320)[0x798fd5e45320]')).toMatchObject({ fn: null, module: '/lib/x86_64-linux-gnu/libc.so.6' });
    expect(parseHandlerFrame('/usr/sbin/mysqld(print_fatal_signal(int)+0x2a2) [0x55f3a19a3c62]'))
      .toMatchObject({ fn: 'print_fatal_signal', raw: 'print_fatal_signal(int)' });
    expect(parseHandlerFrame('./sql/sql_parse.cc:4567(mysql_execute_command(THD*, bool))[0x5599f4436a9e]'))
      .toMatchObject({ fn: 'mysql_execute_command', file: './sql/sql_parse.cc', line: 4567, module: null });
    expect(parseHandlerFrame('3   redis-server   0x0000000102009733 logStackTrace + 115')).toMatchObject({ fn: 'logStackTrace', module: 'redis-server' });
    expect(parseHandlerFrame('redis_version:7.2.9')).toBeNull();
    expect(parseHandlerFrame('Status: NOT_KILLED')).toBeNull();
  });

  it('marks the Redis thread that holds the EIP as crashed, not the first one', () => {
    const r = parse(load('redis-segv-threads.txt').text)[0];
    expect(r.threads.map((t) => [t.id, t.crashed])).toEqual([['20414', false], ['20411', true]]);
    const main = r.threads[1];
    expect(main.frames[0].roleHint).toBe('crash-handling'); // the signal trampoline (libc +0x42520)
    expect(main.frames[1].function).toBe('demoStreamTrim');
    expect(main.frames[1].roleHint).toBeUndefined();
    expect(r.threads[0].frames.every((f) => f.roleHint !== 'crash-handling')).toBe(true);
  });

  it('marks the MySQL handler frames down to the signal trampoline', () => {
    const r = parse(load('mysql-segv.txt').text)[0];
    const fr = r.threads[0].frames;
    expect(fr.slice(0, 4).every((f) => f.roleHint === 'crash-handling')).toBe(true);
    expect(fr[4].function).toBe('Demo_window_cursor::advance');
    expect(fr[4].rawFunction).toBe('Demo_window_cursor::advance(THD*, unsigned long)');
    expect(r.facts.find((f) => f.value === 'query')?.text).toMatch(/^Query: SELECT id, cnt FROM demo_metrics/);
    expect(r.facts.find((f) => f.code === 'signal-handler')?.frame).toBe(3);
  });

  it('reads the syslog-prefixed banner and strips the same prefix from the report', () => {
    const prefix = 'Jul 20 11:05:44.120011 kvhost INFO supervisord: redis-server ';
    const text = load('redis-assert.txt').text.split('\n').map((l) => prefix + l).join('\n');
    const r = parse(text)[0];
    expect(r.assertion?.expression).toBe('node->count > 0');
    expect(r.threads[0].frames[1].function).toBe('demoNodeRelease');
  });

  it('finds nothing in ordinary logs and never throws on junk', () => {
    expect(parse('mysqld: ready for connections\n12:M 01 Jan 2026 00:00:00.000 * Ready to accept connections\n')).toEqual([]);
    expect(() => parse(['=== REDIS BUG REPORT START', 'EIP:', '(((', 'x'.repeat(1_000_000), '[0x]', ' got signal 99 ;'].join('\n'))).not.toThrow();
  });

  it('is registered in the format table', () => {
    expect(FORMATS.map((f) => f.id)).toContain('crash-handler');
  });
});

describe('crash-handler reports through analyze()', () => {
  const cases: Array<[string, string, string, string]> = [
    ['redis-segv-threads.txt', 'redis', 'null-deref', 'demoStreamTrim'],
    ['redis-assert.txt', 'redis', 'assertion', 'demoNodeRelease'],
    ['mysql-segv.txt', 'mysql', 'segv', 'Demo_window_cursor::advance'],
    ['mariadb-innodb-assert.txt', 'mysql', 'assertion', 'dm_page_split'],
  ];
  for (const [name, format, kind, fn] of cases) {
    it(`analyses ${name}`, () => {
      const a = analyze(load(name).text, { input: name }) as Analysis;
      expect('error' in a).toBe(false);
      expect(a.format).toBe(format);
      expect(a.kind).toBe(kind);
      expect(a.crashFrame?.function).toBe(fn);
      // the handler's frames and the signal trampoline come before the crash frame
      expect(a.crashFrame!.index).toBeGreaterThan(0);
      expect(a.topFrame?.function).not.toBe(fn);
    });
  }
  it('keeps the assertion of an InnoDB failure', () => {
    const a = analyze(load('mariadb-innodb-assert.txt').text) as Analysis;
    expect(a.assertion).toMatchObject({ expression: 'page_get_n_recs(block) > 0', line: 447 });
    expect(a.crashingThread?.id).toBe('88');
  });
});
