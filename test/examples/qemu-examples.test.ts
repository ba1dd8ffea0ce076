/**
 * The bundled QEMU examples: the crash texts in examples/qemu-*.txt, the miniature source
 * tree in examples/qemu-src that they point into, and scripts/make-example-repo.sh that
 * gives the tree its history. Checks that the three agree (every cited line lies in the
 * function the frame names), that the history is deterministic, and what a user reading
 * `crashlens --source` on them relies on, end to end through analyze().
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, isError } from '../../src/analyze.js';
import type { Analysis } from '../../src/model.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLES = join(ROOT, 'examples');
const TREE = join(EXAMPLES, 'qemu-src');
const SCRIPT = join(ROOT, 'scripts', 'make-example-repo.sh');
const FILES = ['qemu-iothread-assert.txt', 'qemu-null-req.txt', 'qemu-symbol-mismatch.txt'];

const text = (name: string) => readFileSync(join(EXAMPLES, name), 'utf8');
const treeLines = (rel: string) => readFileSync(join(TREE, rel), 'utf8').split('\n');

/** gdb frame lines `#N  [0x… in ]name (args) at ../path:line` of a paste. */
function citedFrames(paste: string): Array<{ fn: string; file: string; line: number }> {
  const out: Array<{ fn: string; file: string; line: number }> = [];
  for (const l of paste.split('\n')) {
    const m = /^#\d+ +(?:0x[0-9a-f]+ in )?([A-Za-z_]\w*) \(.*\) at \.\.\/([\w./-]+):(\d+)$/.exec(l);
    if (m) out.push({ fn: m[1], file: m[2], line: Number(m[3]) });
  }
  return out;
}

/** Definition line (1-based) and closing-brace line of a C function in a tree file. */
function span(rel: string, fn: string): { start: number; end: number; docAbove: boolean } | null {
  const lines = treeLines(rel);
  const start = lines.findIndex((l) => /^[A-Za-z]/.test(l) && l.includes(`${fn}(`) && !l.trimEnd().endsWith(';'));
  if (start < 0) return null;
  const end = lines.findIndex((l, i) => i > start && l === '}');
  return { start: start + 1, end: end + 1, docAbove: lines[start - 1] === ' */' };
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

function analysed(name: string, context?: { source: string }): Analysis {
  const r = analyze(text(name), { input: `examples/${name}`, context: context ?? false });
  if (isError(r)) throw new Error(`${name}: ${r.error.message}`);
  return r;
}

describe('example crash texts and the miniature tree agree', () => {
  it('every frame that points into the tree lands inside the function it names, which has a doc comment', () => {
    let checked = 0;
    for (const name of FILES) {
      for (const f of citedFrames(text(name))) {
        let exists = true;
        try {
          statSync(join(TREE, f.file));
        } catch {
          exists = false;
        }
        if (!exists) continue;
        if (name === 'qemu-symbol-mismatch.txt') continue; // deliberately from another build
        const s = span(f.file, f.fn);
        expect(s, `${name}: ${f.fn} is not defined in ${f.file}`).not.toBeNull();
        expect(f.line, `${name}: ${f.fn} at ${f.file}:${f.line}`).toBeGreaterThanOrEqual(s!.start);
        expect(f.line, `${name}: ${f.fn} at ${f.file}:${f.line}`).toBeLessThanOrEqual(s!.end);
        expect(s!.docAbove, `${f.fn} has a doc comment`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(20);
  });

  it('puts virtio_scsi_defer_to_dataplane at line 608 and the BQL assertion at memory.c:1109, as the crash says', () => {
    expect(treeLines('hw/scsi/virtio-scsi.c')[607]).toBe('static bool virtio_scsi_defer_to_dataplane(VirtIOSCSI *s)');
    expect(treeLines('system/memory.c')[1108].trim()).toBe('assert(qemu_mutex_iothread_locked());');
    expect(text('qemu-iothread-assert.txt')).toContain(
      "qemu-system-x86_64: ../system/memory.c:1109: memory_region_transaction_commit: Assertion `qemu_mutex_iothread_locked()' failed.",
    );
    // The NULL dereference: line 110 is the first use of req.
    expect(treeLines('hw/scsi/virtio-scsi.c')[109].trim()).toBe('s = req->dev;');
  });

  it('never names the QEMU function that does not exist', () => {
    for (const p of walk(EXAMPLES)) expect(readFileSync(p, 'utf8'), relative(ROOT, p)).not.toContain('virtio_scsi_request_done');
  });

  it('uses only invented addresses for people and lists', () => {
    const sources = [...walk(EXAMPLES), SCRIPT];
    const emails = sources.flatMap((p) => readFileSync(p, 'utf8').match(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g) ?? []);
    expect(emails.length).toBeGreaterThan(5);
    for (const e of emails) {
      // gdb's `signo=signo@entry=6` style is not an address.
      if (/@entry/.test(e)) continue;
      expect(e, e).toMatch(/@(?:[\w-]+\.)*example\.(?:org|com|net)$/);
    }
  });
});

describe('scripts/make-example-repo.sh', () => {
  let dirA = '';
  let dirB = '';
  const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();

  beforeAll(() => {
    dirA = mkdtempSync(join(tmpdir(), 'crashlens-repo-a-'));
    dirB = mkdtempSync(join(tmpdir(), 'crashlens-repo-b-'));
    execFileSync('bash', [SCRIPT, dirA], { encoding: 'utf8' });
    execFileSync('bash', [SCRIPT, dirB], { encoding: 'utf8' });
  }, 60_000);
  afterAll(() => {
    for (const d of [dirA, dirB]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it('gives the same history wherever and however often it runs', () => {
    const head = git(dirA, 'rev-parse', 'HEAD');
    expect(git(dirB, 'rev-parse', 'HEAD')).toBe(head);
    execFileSync('bash', [SCRIPT, dirA], { encoding: 'utf8' });
    expect(git(dirA, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(dirA, 'rev-list', '--count', 'HEAD')).toBe('6');
    expect(new Set(git(dirA, 'log', '--format=%an').split('\n')).size).toBeGreaterThanOrEqual(4);
  }, 60_000);

  it('ends with exactly the example tree', () => {
    const committed = git(dirA, 'ls-files').split('\n').sort();
    const tree = walk(TREE).map((p) => relative(TREE, p)).sort();
    expect(committed).toEqual(tree);
    for (const rel of tree) expect(readFileSync(join(dirA, rel), 'utf8'), rel).toBe(readFileSync(join(TREE, rel), 'utf8'));
  });

  it('blames the crash lines on the commits that wrote them', () => {
    const blame = (file: string, line: number) =>
      git(dirA, 'blame', '--porcelain', '-L', `${line},${line}`, file)
        .split('\n')
        .filter((l) => l.startsWith('author ') || l.startsWith('summary '))
        .join('\n');
    expect(blame('hw/scsi/virtio-scsi.c', 608)).toContain('author Ilse Marchetti');
    expect(blame('hw/scsi/virtio-scsi.c', 608)).toContain('virtio_scsi_defer_to_dataplane()');
    expect(blame('hw/scsi/virtio-scsi.c', 693)).toContain('author Maren Solberg');
    expect(blame('system/memory.c', 1109)).toContain('summary Import a miniature QEMU-like tree');
  });

  it('refuses to replace a directory it did not make', () => {
    const other = mkdtempSync(join(tmpdir(), 'crashlens-other-'));
    try {
      execFileSync('bash', ['-c', `echo keep > "${other}/file"`]);
      expect(() => execFileSync('bash', [SCRIPT, other], { stdio: 'pipe' })).toThrow();
      expect(readFileSync(join(other, 'file'), 'utf8')).toBe('keep\n');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

describe('analysing the examples', () => {
  it('BQL assertion on an IOThread: the assertion, the IOThread, and the device function to blame', () => {
    const a = analysed('qemu-iothread-assert.txt');
    expect(a.kind).toBe('assertion');
    expect(a.assertion).toMatchObject({ expression: 'qemu_mutex_iothread_locked()', file: '../system/memory.c', line: 1109, function: 'memory_region_transaction_commit' });
    expect(a.crashingThread).toMatchObject({ id: '5', name: 'IO iothread0' });
    expect(a.crashFrame).toMatchObject({ function: 'memory_region_transaction_commit', file: '../system/memory.c', line: 1109 });
    expect(a.blameFrame?.frame).toMatchObject({ function: 'virtio_scsi_defer_to_dataplane', line: 608 });
    expect(a.threads).toHaveLength(7);
    const ioThread = a.threads.find((t) => t.id === '5')!;
    const role = (fn: string) => ioThread.frames.find((f) => f.function === fn)?.role;
    expect(role('aio_poll')).toBe('plumbing');
    expect(role('virtio_queue_notify_vq')).toBe('plumbing');
    expect(role('virtio_scsi_handle_event')).toBe('app');
    expect(role('__assert_fail_base')).toBe('crash-handling');
    expect(a.nextSteps.map((s) => s.command ?? '').join('\n')).toContain('qemu-system-x86_64 --version');
  });

  it('NULL request on the completion path: a null-deref in virtio_scsi_complete_req at line 110', () => {
    const a = analysed('qemu-null-req.txt');
    expect(a.kind).toBe('null-deref');
    expect(a.signal).toMatchObject({ name: 'SIGSEGV', faultAddress: '0xa8' });
    expect(a.crashFrame).toMatchObject({ function: 'virtio_scsi_complete_req', file: '../hw/scsi/virtio-scsi.c', line: 110 });
    expect(a.blameFrame).toBeNull();
    expect(a.signature.text).toBe('null-deref | virtio_scsi_complete_req | virtio_scsi_complete_cmd_req | virtio_scsi_command_complete');
    expect(a.evidence.some((e) => /`?req`? is 0x0/.test(e.text))).toBe(true);
  });

  it('a stack mixing two builds: says the symbols are wrong instead of explaining logging', () => {
    const a = analysed('qemu-symbol-mismatch.txt');
    const quality = a.quality.map((q) => q.text).join('\n');
    expect(quality).toContain('qemu_log_flush');
    expect(quality).toContain('virtio_scsi_defer_to_dataplane');
    expect(a.causes[0].title.toLowerCase()).toContain('symbol');
  });

  describe('with --source on the example repository', () => {
    let repo = '';
    beforeAll(() => {
      repo = mkdtempSync(join(tmpdir(), 'crashlens-src-'));
      execFileSync('bash', [SCRIPT, repo], { encoding: 'utf8' });
    }, 60_000);
    afterAll(() => {
      if (repo) rmSync(repo, { recursive: true, force: true });
    });

    it('shows the blamed line, its commit and the owners of virtio-scsi.c', () => {
      const a = analysed('qemu-iothread-assert.txt', { source: repo });
      expect(a.context?.snippet?.file).toBe('hw/scsi/virtio-scsi.c');
      expect(a.context?.snippet?.lines.find((l) => l.crash)?.number).toBe(608);
      expect(a.context?.blame).toMatchObject({ author: 'Ilse Marchetti', email: 'ilse.marchetti@example.org' });
      expect(a.context?.blame?.summary).toContain('virtio_scsi_defer_to_dataplane');
      const owners = a.context?.owners ?? [];
      const from = (section: string) => owners.filter((o) => o.source === 'MAINTAINERS' && o.section === section).map((o) => `${o.role}:${o.name}`);
      expect(from('SCSI')).toEqual(['maintainer:Ilse Marchetti', 'reviewer:Jonas Feldhaus']);
      expect(from('virtio')).toEqual(['maintainer:Tomasz Wierzbicki']);
      expect(from('All patches CC here')).toEqual(['list:qemu-devel@lists.example.org']);
      expect(owners.some((o) => o.source === 'CODEOWNERS' && o.name === '@imarchetti')).toBe(true);
    });

    it('finds the function and its doc comment around the NULL dereference, and the commit that removed the check', () => {
      const a = analysed('qemu-null-req.txt', { source: repo });
      expect(a.context?.function?.name).toBe('virtio_scsi_complete_req');
      expect(a.context?.function?.doc).toContain('hand a finished request back to the guest');
      expect(a.context?.blame?.summary).toContain('Import a miniature QEMU-like tree');
      expect(a.context?.suspects.map((s) => s.author)).toContain('Maren Solberg');
    });
  });
});
