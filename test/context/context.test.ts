import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildContext } from '../../src/context/index.js';
import { buildMiniRepo, makeAnalysis, tempDir, AUTHORS, CRASH_TEXT, type MiniRepo, removeTempDirs } from './mini-qemu.js';

afterAll(removeTempDirs);

let repo: MiniRepo;
beforeAll(() => {
  repo = buildMiniRepo();
});

describe('buildContext on a miniature QEMU checkout', () => {
  it('shows the crash line with ±5 lines, marked, for blameFrame ?? crashFrame', () => {
    const a = makeAnalysis(repo);
    const ctx = buildContext(a, { source: repo.root })!;
    expect(ctx.root).toBe(fs.realpathSync(repo.root));
    expect(ctx.snippet!.file).toBe('hw/scsi/virtio-scsi.c');
    expect(ctx.snippet!.startLine).toBe(repo.lines.crash - 5);
    expect(ctx.snippet!.lines).toHaveLength(11);
    const marked = ctx.snippet!.lines.filter((l) => l.crash);
    expect(marked).toEqual([{ number: repo.lines.crash, text: CRASH_TEXT, crash: true }]);
    expect(ctx.snippet!.lines[0].number).toBe(repo.lines.crash - 5);
  });

  it('honours contextLines', () => {
    const ctx = buildContext(makeAnalysis(repo), { source: repo.root, contextLines: 2 })!;
    expect(ctx.snippet!.lines.map((l) => l.number)).toEqual([-2, -1, 0, 1, 2].map((d) => repo.lines.crash + d));
  });

  it('names the enclosing function and its doc comment, and makes the doc the frame explanation', () => {
    const a = makeAnalysis(repo);
    a.threads[0].frames[5].explanation = 'from a rule pack';
    const ctx = buildContext(a, { source: repo.root })!;
    expect(ctx.function!.name).toBe('virtio_scsi_complete_req');
    expect(ctx.function!.doc).toBe("return a finished request to the guest.\n\nPushes the response onto the virtqueue and notifies the guest.");
    expect(a.crashFrame!.explanation).toBe('return a finished request to the guest.');
    // A rule pack's explanation is kept.
    expect(a.threads[0].frames[5].explanation).toBe('from a rule pack');
  });

  it('sets location on resolved app frames and the context frame only', () => {
    const a = makeAnalysis(repo);
    buildContext(a, { source: repo.root });
    const f = a.threads[0].frames;
    expect(f[4].location).toEqual({ file: 'hw/scsi/virtio-scsi.c', line: repo.lines.crash });
    expect(f[5].location).toEqual({ file: 'hw/scsi/virtio-scsi.c', line: repo.lines.completeCmdReq });
    expect(f[6].location).toEqual({ file: 'hw/scsi/scsi-bus.c', line: 6 });
    expect(f[0].location).toBeUndefined(); // ./nptl: system path
    expect(f[7].location).toBeUndefined(); // plumbing
  });

  it('blames the crash line on the commit that last changed it', () => {
    const ctx = buildContext(makeAnalysis(repo), { source: repo.root })!;
    expect(ctx.blame).toEqual({
      commit: repo.commits.crashLine,
      author: AUTHORS.jon.name,
      email: AUTHORS.jon.email,
      date: '2023-07-20T10:00:00Z',
      summary: 'virtio-scsi: check that the request owns its SCSI request',
    });
  });

  it('ranks suspects: changed the crash line, the function, a caller; then the commit that added the line; then the file', () => {
    const ctx = buildContext(makeAnalysis(repo), { source: repo.root })!;
    const at = `hw/scsi/virtio-scsi.c:${repo.lines.crash}`;
    expect(ctx.suspects.map((s) => [s.commit, s.reason])).toEqual([
      [repo.commits.crashLine, `changed the crash line (${at})`],
      [repo.commits.body, 'changed function virtio_scsi_complete_req'],
      [repo.commits.busStatus, 'changed the caller scsi_req_complete (hw/scsi/scsi-bus.c:6)'],
      [repo.commits.initial, `added the crash line (${at})`],
      [repo.commits.handleCmd, 'recent change to hw/scsi/virtio-scsi.c'],
    ]);
    expect(ctx.suspects[1]).toMatchObject({ author: AUTHORS.mira.name, date: '2023-05-15T14:00:00Z' });
    // The commit that only touched util/aio-posix.c is not a suspect.
    expect(ctx.suspects.some((s) => s.commit === repo.commits.aio)).toBe(false);
  });

  it('gives the owners of hw/scsi/virtio-scsi.c: SCSI and virtio sections, the list last, then CODEOWNERS', () => {
    const ctx = buildContext(makeAnalysis(repo), { source: repo.root })!;
    expect(ctx.owners).toEqual([
      { name: 'Paula Ferrant', email: 'paula@ferrant.example', role: 'maintainer', source: 'MAINTAINERS', section: 'SCSI' },
      { name: 'Idris Lomond', email: 'idris@lomond.example', role: 'reviewer', source: 'MAINTAINERS', section: 'SCSI' },
      { name: 'Kasimir Oyelaran', email: 'kasimir@oyelaran.example', role: 'maintainer', source: 'MAINTAINERS', section: 'virtio' },
      { name: 'devel-list@lists.example.org', email: 'devel-list@lists.example.org', role: 'list', source: 'MAINTAINERS', section: 'All patches CC here' },
      { name: '@mini/scsi', email: null, role: 'owner', source: 'CODEOWNERS', section: null },
      { name: '@nadia-quell', email: null, role: 'owner', source: 'CODEOWNERS', section: null },
    ]);
  });

  it('uses blameFrame over crashFrame', () => {
    const a = makeAnalysis(repo);
    a.blameFrame = { frame: a.threads[0].frames[6], reason: 'test' };
    const ctx = buildContext(a, { source: repo.root })!;
    expect(ctx.snippet!.file).toBe('hw/scsi/scsi-bus.c');
    expect(ctx.function!.name).toBe('scsi_req_complete');
    expect(ctx.owners.filter((o) => o.source === 'MAINTAINERS').map((o) => o.section)).toEqual(['SCSI', 'SCSI', 'All patches CC here']);
  });

  it('says the source is not the crashed build when the printed line differs', () => {
    // A SIGSEGV that stopped in virtio_scsi_complete_req: gdb printed that frame's line.
    const stopped = () => {
      const a = makeAnalysis(repo);
      a.threads[0].frames.splice(0, 4);
      a.topFrame = a.crashFrame;
      return a;
    };
    const same = buildContext(stopped(), { source: repo.root, sourceLine: { line: repo.lines.crash, text: CRASH_TEXT.trim() } })!;
    expect(same.notes!.join('\n')).not.toMatch(/not the crashed build/);
    const other = buildContext(stopped(), { source: repo.root, sourceLine: { line: repo.lines.crash, text: 'assert(req->sreq);' } })!;
    expect(other.notes!.join('\n')).toMatch(/the source is not the crashed build: the debugger printed "assert\(req->sreq\);" for hw\/scsi\/virtio-scsi\.c:\d+/);
    // The line printed for frame 0 in libc is not compared with an app frame that has the same number.
    const libc = makeAnalysis(repo);
    libc.threads[0].frames[0].line = repo.lines.crash;
    const n = buildContext(libc, { source: repo.root, sourceLine: { line: repo.lines.crash, text: 'in ./nptl/pthread_kill.c' } })!;
    expect(n.notes!.join('\n')).not.toMatch(/not the crashed build/);
  });

  it('notes a crash frame in a system path and an unknown file, without a snippet', () => {
    const a = makeAnalysis(repo);
    a.crashFrame = a.threads[0].frames[0];
    const sys = buildContext(a, { source: repo.root })!;
    expect(sys.snippet).toBeNull();
    expect(sys.notes!.join('\n')).toMatch(/\.\/nptl\/pthread_kill\.c is a system or toolchain path/);
    const b = makeAnalysis(repo);
    b.crashFrame!.file = '/build/qemu/hw/net/e1000.c';
    const nf = buildContext(b, { source: repo.root })!;
    expect(nf.snippet).toBeNull();
    expect(nf.notes!.join('\n')).toMatch(/e1000\.c was not found in the source tree/);
  });

  it('path-map rewrites a prefix before suffix matching', () => {
    const a = makeAnalysis(repo);
    a.crashFrame!.file = '/srv/ci/workspace/virtio-scsi.c';
    const ctx = buildContext(a, { source: repo.root, pathMap: [{ from: '/srv/ci/workspace/', to: 'hw/scsi/' }] })!;
    expect(ctx.snippet!.file).toBe('hw/scsi/virtio-scsi.c');
  });
});

describe('hostile or huge analyses', () => {
  it('a 50,000-frame recursion and a 1 MB file name still give the snippet and locations', () => {
    const a = makeAnalysis(repo);
    const frames = a.threads[0].frames;
    const rec = frames[5];
    for (let i = 0; i < 50_000; i++) frames.push({ ...rec, index: 9 + i });
    frames.push({ ...rec, index: 50_010, file: '/x/'.repeat(350_000) + 'virtio-scsi.c' });
    frames.push({ ...rec, index: 50_011, file: 'a\0b.c', line: -4 });
    const ctx = buildContext(a, { source: repo.root })!;
    expect(ctx.snippet!.file).toBe('hw/scsi/virtio-scsi.c');
    expect(frames[50_008].location).toEqual({ file: 'hw/scsi/virtio-scsi.c', line: repo.lines.completeCmdReq });
  });
});

describe('buildContext without --source', () => {
  it('uses the checkout that contains the input file when the frames resolve there', () => {
    const input = path.join(repo.root, 'crash.txt');
    fs.writeFileSync(input, 'a crash\n');
    try {
      const ctx = buildContext(makeAnalysis(repo), { inputPath: input })!;
      expect(ctx).not.toBeNull();
      expect(ctx.blame!.commit).toBe(repo.commits.crashLine);
    } finally {
      fs.rmSync(input);
    }
  });

  it('ignores a checkout whose files the frames do not name, and never uses the current directory', () => {
    const other = tempDir('crashlens-ctx-other-');
    execFileSync('git', ['init', '-q'], { cwd: other });
    fs.writeFileSync(path.join(other, 'main.c'), 'int main(void) { return 0; }\n');
    const input = path.join(other, 'crash.txt');
    fs.writeFileSync(input, 'x');
    expect(buildContext(makeAnalysis(repo), { inputPath: input })).toBeNull();
    // No input path (stdin): no context, even when run from inside the repository.
    const cwd = process.cwd();
    process.chdir(repo.root);
    try {
      expect(buildContext(makeAnalysis(repo), {})).toBeNull();
      expect(buildContext(makeAnalysis(repo), { inputPath: '-' })).toBeNull();
    } finally {
      process.chdir(cwd);
    }
  });

  it('gives no context for an input outside any git checkout', () => {
    const dir = tempDir('crashlens-nogit-');
    const input = path.join(dir, 'crash.txt');
    fs.writeFileSync(input, 'x');
    expect(buildContext(makeAnalysis(repo), { inputPath: input })).toBeNull();
  });
});

describe('git degrades with a note', () => {
  it('a shallow clone says so and still blames what it has', () => {
    const dir = tempDir('crashlens-shallow-');
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${repo.root}`, path.join(dir, 'q')], {
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
      stdio: 'ignore',
    });
    const ctx = buildContext(makeAnalysis(repo), { source: path.join(dir, 'q') })!;
    expect(ctx.notes!.join('\n')).toMatch(/shallow clone/);
    expect(ctx.blame!.commit).toBe(repo.commits.handleCmd); // the only commit fetched
    expect(ctx.suspects.map((s) => s.reason)).toEqual([`changed the crash line (hw/scsi/virtio-scsi.c:${repo.lines.crash})`]);
    expect(ctx.snippet).not.toBeNull();
  });

  it('a tree without git keeps snippet and owners and notes the missing history', () => {
    const dir = tempDir('crashlens-plain-');
    fs.cpSync(repo.root, dir, { recursive: true, filter: (src) => !src.split(path.sep).includes('.git') });
    const ctx = buildContext(makeAnalysis(repo), { source: dir })!;
    expect(ctx.blame).toBeNull();
    expect(ctx.suspects).toEqual([]);
    expect(ctx.snippet!.lines.find((l) => l.crash)!.text).toBe(CRASH_TEXT);
    expect(ctx.owners[0].name).toBe('Paula Ferrant');
    expect(ctx.notes!.join('\n')).toMatch(/not in a git repository/);
  });

  it('without git installed: snippet and owners, and a note', () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent-crashlens-test';
    try {
      const ctx = buildContext(makeAnalysis(repo), { source: repo.root })!;
      expect(ctx.snippet!.lines.find((l) => l.crash)!.text).toBe(CRASH_TEXT);
      expect(ctx.owners.length).toBeGreaterThan(0);
      expect(ctx.blame).toBeNull();
      expect(ctx.notes).toContain('git is not installed: no blame or suspect commits');
    } finally {
      process.env.PATH = saved;
    }
  });

  it('a repository with no commits says so', () => {
    const dir = tempDir('crashlens-empty-');
    fs.cpSync(repo.root, dir, { recursive: true, filter: (src) => !src.split(path.sep).includes('.git') });
    execFileSync('git', ['init', '-q'], { cwd: dir });
    const ctx = buildContext(makeAnalysis(repo), { source: dir })!;
    expect(ctx.blame).toBeNull();
    expect(ctx.notes!.join('\n')).toMatch(/no commits/);
  });

  it('an uncommitted change to the crash line is reported, not blamed on someone', () => {
    const dir = tempDir('crashlens-dirty-');
    execFileSync('git', ['clone', '-q', repo.root, dir], { stdio: 'ignore' });
    const file = path.join(dir, 'hw/scsi/virtio-scsi.c');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(CRASH_TEXT, '    assert(req->sreq != NULL);'));
    const ctx = buildContext(makeAnalysis(repo), { source: dir })!;
    expect(ctx.blame).toBeNull();
    expect(ctx.notes!.join('\n')).toMatch(/uncommitted changes/);
  });
});
