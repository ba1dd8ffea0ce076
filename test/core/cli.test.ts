import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import Ajv2020 from 'ajv/dist/2020.js';

// The built CLI, as a user runs it (npm test builds first).
const CLI = new URL('../../dist/cli.js', import.meta.url).pathname;
const schema = JSON.parse(readFileSync(new URL('../../schema/analysis.schema.json', import.meta.url), 'utf8'));
const validate = new (Ajv2020 as unknown as typeof Ajv2020.default)({ allErrors: true, strict: false }).compile(schema);

const run = (args: string[], input?: string | Buffer, env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '', ...env }, maxBuffer: 64 * 1024 * 1024 });

const dir = mkdtempSync(join(tmpdir(), 'crashlens-cli-'));
const crash = join(dir, 'crash.txt');
writeFileSync(crash, readFileSync(new URL('../fixtures/native/evloop/O0.gdb-thread-apply-all-bt-full.txt', import.meta.url)));
const truth = JSON.parse(readFileSync(new URL('../fixtures/native/evloop/truth.json', import.meta.url), 'utf8'));
const plain = join(dir, 'plain.log');
writeFileSync(plain, 'service started\nlistening on port 8080\nshutting down\n');

describe('crashlens CLI', () => {
  it('analyses a file: verdict first, then the sections, exit 0', () => {
    const r = run([crash, '--no-color']);
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^NULL-DEREF in scsi_complete_req at \\S*evloop\\.c:${truth.crashFrame.line}\\b`));
    for (const s of ['Where to look', 'Call stack', 'Evidence', 'Likely causes', 'Next steps']) expect(r.stdout).toContain(s);
    expect(r.stdout).not.toContain('\x1b[');
  });

  it('reads standard input and `analyze` is the same command', () => {
    const a = run(['--format', 'json'], readFileSync(crash));
    const b = run(['analyze', '-', '--format', 'json'], readFileSync(crash));
    expect(a.status).toBe(0);
    expect(JSON.parse(a.stdout).input).toBe('-');
    expect(b.stdout).toBe(a.stdout);
  });

  it('writes NDJSON for several inputs, in order, each naming its file; the highest exit code wins', () => {
    const r = run([crash, plain, '--format', 'json']);
    expect(r.status).toBe(1);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((x) => x.input)).toEqual([crash, plain]);
    expect(rows[0].kind).toBe('null-deref');
    expect(rows[1].error.code).toBe('no-crash');
    for (const row of rows) expect(validate(row), JSON.stringify(validate.errors)).toBe(true);
  });

  it('gives one line and exit 1 for input with no crash; exit 2 for an unreadable file or bad usage', () => {
    const none = run([plain]);
    expect(none.status).toBe(1);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
    expect(run([join(dir, 'missing.txt')]).status).toBe(2);
    expect(run([crash, '--format', 'yaml']).status).toBe(2);
    expect(run([crash, '--pick', 'zero']).status).toBe(2);
    const empty = run([], '');
    expect(empty.status).toBe(1);
  });

  it('emits JSON that validates against the published schema, the same bytes every run', () => {
    const a = run([crash, '--format', 'json']);
    expect(validate(JSON.parse(a.stdout)), JSON.stringify(validate.errors)).toBe(true);
    expect(run([crash, '--format', 'json']).stdout).toBe(a.stdout);
  });

  it('writes Markdown for an issue tracker', () => {
    const r = run([crash, '--format', 'markdown']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^### null-deref in scsi\\_complete\\_req/);
    expect(r.stdout).toContain('`scsi_complete_req`');
    expect(r.stdout).toContain('| # | function | location | role | note |');
  });

  it('shows every frame and thread with --all-frames, and folds plumbing without it', () => {
    const folded = run([crash, '--no-color']).stdout;
    const all = run([crash, '--no-color', '--all-frames']).stdout;
    expect(folded).toMatch(/… \d+ [a-z/-]*plumbing[a-z/-]* frames?/);
    expect(all).toContain('Other thread');
    expect(all.split('\n').length).toBeGreaterThan(folded.split('\n').length);
  });

  it('lists the reports of a paste and picks one', () => {
    const two = join(dir, 'two.txt');
    writeFileSync(two, readFileSync(new URL('../fixtures/native/divzero/O0.gdb-bt.txt', import.meta.url), 'utf8') + '\n\n' + readFileSync(crash, 'utf8'));
    const list = run([two, '--list', '--no-color']);
    expect(list.status).toBe(0);
    expect(list.stdout.trim().split('\n')).toHaveLength(2);
    expect(list.stdout.split('\n')[1].startsWith('*')).toBe(true);
    expect(JSON.parse(run([two, '--format', 'json']).stdout).kind).toBe('null-deref');
    expect(JSON.parse(run([two, '--format', 'json', '--pick', '1']).stdout).kind).toBe('fpe');
    expect(run([two, '--pick', '9']).status).toBe(1);
  });

  it('colours only when asked and never with NO_COLOR', () => {
    // Not a TTY here, so no colour whatever the flags.
    expect(run([crash]).stdout).not.toContain('\x1b[');
    expect(run([crash], undefined, { NO_COLOR: '1' }).stdout).not.toContain('\x1b[');
  });
});

describe('crashlens CLI in a pipeline', () => {
  it('stops quietly when the reader closes the pipe early (`| head -1`), with no stack trace', () => {
    // a long report list, so the output outlasts the pipe's buffer
    const many = join(dir, 'many.txt');
    const one = readFileSync(new URL('../fixtures/native/bt_symbols/O0.run-backtrace.txt', import.meta.url), 'utf8');
    writeFileSync(many, Array.from({ length: 4000 }, () => one).join('\n'));
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${CLI}" --list "${many}" | head -1`], { encoding: 'utf8' });
    expect(r.stdout.split('\n')[0]).toMatch(/glibc-backtrace/);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
