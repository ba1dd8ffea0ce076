import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { indexTree, resolvePath, readSourceFile, isSystemPath, parsePathMap, type TreeIndex } from '../../src/context/resolve.js';
import { buildContext } from '../../src/context/index.js';
import { tempDir, buildMiniRepo, makeAnalysis, type MiniRepo, removeTempDirs } from './mini-qemu.js';

afterAll(removeTempDirs);

function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
}

let root: string;
let index: TreeIndex;
beforeAll(() => {
  root = tempDir('crashlens-resolve-');
  writeTree(root, {
    'hw/scsi/virtio-scsi.c': 'int a;\n',
    'hw/net/virtio-net.c': 'int b;\n',
    'util/log.c': '1\n',
    'tools/log.c': '2\n',
    'src/libstd/panicking.rs': '// not the toolchain one\n',
    'nptl/pthread_kill.c': '/* a folder that looks like glibc */\n',
    'internal/cart/cart.go': 'package cart\n',
    'app/src/main/java/com/acme/shop/Cart.java': 'package com.acme.shop;\n',
    'app/src/test/java/com/acme/other/Cart.java': 'package com.acme.other;\n',
    'node_modules/left/index.js': 'x\n',
    'win/Engine.cpp': 'x\n',
  });
  index = indexTree(root);
});

describe('resolvePath: one file by the longest path suffix, or none', () => {
  it('indexes the tree once, skipping node_modules and .git', () => {
    expect(index.files).toContain('hw/scsi/virtio-scsi.c');
    expect(index.files.some((f) => f.startsWith('node_modules/'))).toBe(false);
  });

  it.each([
    ['/build/qemu-8.2.0/hw/scsi/virtio-scsi.c', 'hw/scsi/virtio-scsi.c'],
    ['../hw/scsi/virtio-scsi.c', 'hw/scsi/virtio-scsi.c'],
    ['/home/ci/qemu/build/../hw/net/virtio-net.c', 'hw/net/virtio-net.c'],
    ['virtio-scsi.c', 'hw/scsi/virtio-scsi.c'],
    ['C:\\builds\\agent\\win\\Engine.cpp', 'win/Engine.cpp'],
    ['github.com/acme/shop/internal/cart/cart.go', 'internal/cart/cart.go'],
    ['/home/dev/go/src/github.com/acme/shop/internal/cart/cart.go', 'internal/cart/cart.go'],
    ['/build/qemu/util/log.c', 'util/log.c'],
  ])('%s → %s', (printed, expected) => {
    expect(resolvePath(index, printed)).toMatchObject({ status: 'resolved', file: expected });
  });

  it('a bare Java file name resolves through the package of its function', () => {
    expect(resolvePath(index, 'Cart.java', { function: 'com.acme.shop.Cart.total' })).toMatchObject({ status: 'resolved', file: 'app/src/main/java/com/acme/shop/Cart.java' });
    expect(resolvePath(index, 'Cart.java', { function: 'com.acme.other.Cart$Line.sum' })).toMatchObject({ status: 'resolved', file: 'app/src/test/java/com/acme/other/Cart.java' });
    expect(resolvePath(index, 'Cart.java', { function: null })).toMatchObject({ status: 'ambiguous' });
  });

  it('a tie at the longest suffix is ambiguous, not a guess', () => {
    const r = resolvePath(index, 'log.c');
    expect(r).toEqual({ status: 'ambiguous', candidates: ['tools/log.c', 'util/log.c'] });
    expect(resolvePath(index, '/x/y/log.c').status).toBe('ambiguous');
  });

  it('system and toolchain paths are never looked up', () => {
    for (const p of ['./nptl/pthread_kill.c', '../sysdeps/unix/sysv/linux/raise.c', '/rustc/90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf/library/std/src/panicking.rs',
      '/usr/include/c++/12/bits/shared_ptr_base.h', '/home/u/.cargo/registry/src/index.crates.io-6f17d22bba15001f/tokio-1.0.0/src/lib.rs',
      'node:internal/process/task_queues', 'github.com/acme/lib@v1.4.2/internal/cart/cart.go', '/usr/lib/python3.11/site-packages/requests/api.py', 'C:\\Program Files\\Microsoft Visual Studio\\VC\\crt.cpp',
      'D:\\a\\_work\\1\\s\\src\\vctools\\crt\\vcstartup\\src\\startup\\exe_common.inl', '/usr/src/debug/glibc-2.38-1.fc39.x86_64/nptl/pthread_kill.c']) {
      expect(isSystemPath(p)).toBe(true);
      expect(resolvePath(index, p).status).toBe('system');
    }
  });

  it('--path-map rewrites a prefix first (relative to the root, or absolute inside it)', () => {
    expect(parsePathMap('/srv/build=hw')).toEqual({ from: '/srv/build', to: 'hw' });
    expect(parsePathMap('nothing')).toBeNull();
    expect(resolvePath(index, '/srv/build/scsi/virtio-scsi.c', { pathMap: [{ from: '/srv/build/', to: 'hw/' }] })).toMatchObject({ status: 'resolved', file: 'hw/scsi/virtio-scsi.c', via: 'path-map' });
    expect(resolvePath(index, '/x/log.c', { pathMap: [{ from: '/x/', to: `${root}/tools/` }] })).toMatchObject({ status: 'resolved', file: 'tools/log.c' });
    // A mapped toolchain path is looked up: the user asked for it.
    expect(resolvePath(index, '/rustc/abc/library/std/src/panicking.rs', { pathMap: [{ from: '/rustc/abc/library/std/', to: 'src/libstd/' }] })).toMatchObject({ status: 'resolved', file: 'src/libstd/panicking.rs' });
  });
});

describe('nothing outside the source root is read or printed', () => {
  let outside: string;
  let secret: string;
  let sroot: string;
  let sindex: TreeIndex;
  const SECRET = 'TOP-SECRET-LINE do not print me';
  beforeAll(() => {
    outside = tempDir('crashlens-outside-');
    secret = path.join(outside, 'secret.c');
    fs.writeFileSync(secret, `${SECRET}\n`.repeat(20));
    fs.mkdirSync(path.join(outside, 'dir'));
    fs.writeFileSync(path.join(outside, 'dir', 'linked.c'), `${SECRET}\n`);
    sroot = tempDir('crashlens-sroot-');
    writeTree(sroot, { 'src/main.c': 'int main(void)\n{\n    return 0;\n}\n', 'src/big.c': 'x'.repeat(5 * 1024 * 1024), 'src/blob.c': 'ab\0cd\n' });
    fs.symlinkSync(secret, path.join(sroot, 'src', 'evil.c'));
    fs.symlinkSync(path.join(outside, 'dir'), path.join(sroot, 'linkdir'));
    fs.symlinkSync(path.join(sroot, 'src', 'main.c'), path.join(sroot, 'src', 'alias.c'));
    sindex = indexTree(sroot);
  });

  it('symlinks that leave the root are not indexed; linked directories are not followed', () => {
    expect(sindex.files).not.toContain('src/evil.c');
    expect(sindex.files.some((f) => f.startsWith('linkdir/'))).toBe(false);
    expect(sindex.files).toContain('src/alias.c'); // a link that stays inside is fine
    expect(sindex.notes.join('\n')).toMatch(/symbolic link\(s\) pointing outside the source root were ignored/);
    expect(readSourceFile(sindex, 'src/evil.c').ok).toBe(false);
  });

  it('in a git work tree: committed links that leave the root are not indexed, ignored build output is left out', () => {
    const dir = tempDir('crashlens-gitlinks-');
    writeTree(dir, { 'src/main.c': 'int main;\n', '.gitignore': 'build/\n', 'build/src/main.c': 'generated copy\n', 'new.c': 'untracked\n' });
    fs.symlinkSync(secret, path.join(dir, 'src', 'evil.c'));
    execFileSync('git', ['init', '-q'], { cwd: dir });
    execFileSync('git', ['add', 'src', '.gitignore'], { cwd: dir });
    const idx = indexTree(dir);
    expect(idx.files).toEqual(['.gitignore', 'new.c', 'src/main.c']);
    expect(idx.notes.join('\n')).toMatch(/1 symbolic link\(s\) pointing outside/);
    expect(resolvePath(idx, '/b/src/main.c')).toMatchObject({ status: 'resolved', file: 'src/main.c' });
    // The walk (no git) sees the build copy too, which makes the bare name ambiguous.
    expect(indexTree(dir, { useGit: false }).files).toContain('build/src/main.c');
  });

  it('a link replaced after indexing is re-checked at read time', () => {
    const dir = tempDir('crashlens-race-');
    writeTree(dir, { 'a.c': 'int x;\n' });
    const idx = indexTree(dir);
    fs.rmSync(path.join(dir, 'a.c'));
    fs.symlinkSync(secret, path.join(dir, 'a.c'));
    const r = readSourceFile(idx, 'a.c');
    expect(r).toEqual({ ok: false, reason: 'a.c leaves the source root' });
  });

  it('files above the size bound and binary files are not read', () => {
    expect(readSourceFile(sindex, 'src/big.c')).toMatchObject({ ok: false, reason: expect.stringMatching(/larger than/) });
    expect(readSourceFile(sindex, 'src/blob.c')).toMatchObject({ ok: false, reason: expect.stringMatching(/binary/) });
    expect(readSourceFile(sindex, 'src/main.c')).toMatchObject({ ok: true });
  });

  it.each([
    ['../../etc/passwd', 1],
    ['/etc/passwd', 1],
    ['src/../../../etc/passwd', 1],
    ['evil.c', 3],
    ['/x/src/evil.c', 3],
    ['linkdir/linked.c', 1],
  ])('crafted frame path %s', (file, line) => {
    const r = resolvePath(sindex, file);
    expect(r.status).not.toBe('resolved');
    const a = makeAnalysis({ lines: { crash: line, completeReqStart: 1, completeCmdReq: 1, handleCmd: 1 } } as MiniRepo);
    a.crashFrame = { ...a.crashFrame!, file, line, role: 'app' };
    a.threads[0].frames[4] = a.crashFrame;
    const ctx = buildContext(a, { source: sroot, git: false })!;
    expect(ctx.snippet).toBeNull();
    const out = JSON.stringify(ctx) + JSON.stringify(a);
    expect(out).not.toContain('TOP-SECRET');
    expect(out).not.toContain('root:x:0:0');
  });

  it('path-map cannot point outside the root', () => {
    expect(resolvePath(sindex, '/b/secret.c', { pathMap: [{ from: '/b/', to: `${outside}/` }] }).status).toBe('refused');
    expect(resolvePath(sindex, '/b/passwd', { pathMap: [{ from: '/b/', to: '../../../../etc/' }] }).status).toBe('refused');
    const a = makeAnalysis({ lines: { crash: 1, completeReqStart: 1, completeCmdReq: 1, handleCmd: 1 } } as MiniRepo);
    a.crashFrame!.file = '/b/secret.c';
    const ctx = buildContext(a, { source: sroot, pathMap: [{ from: '/b/', to: `${outside}/` }], git: false })!;
    expect(JSON.stringify(ctx)).not.toContain('TOP-SECRET');
    expect(ctx.notes!.join('\n')).toMatch(/outside the source root/);
  });

  it('a file named like a system file inside the root is the tree\'s own file', () => {
    const dir = tempDir('crashlens-etc-');
    writeTree(dir, { 'etc/passwd': 'not the real one\n' });
    const idx = indexTree(dir);
    const r = resolvePath(idx, '../../etc/passwd');
    expect(r).toMatchObject({ status: 'resolved', file: 'etc/passwd' });
    expect(readSourceFile(idx, 'etc/passwd')).toEqual({ ok: true, text: 'not the real one\n' });
  });

  it('the file-count bound stops indexing with a note', () => {
    const dir = tempDir('crashlens-many-');
    for (let i = 0; i < 30; i++) writeTree(dir, [[`d${i}/f${i}.c`, 'x\n']].reduce((o, [k, v]) => ({ ...o, [k]: v }), {}));
    const idx = indexTree(dir, { maxFiles: 10 });
    expect(idx.files).toHaveLength(10);
    expect(idx.truncated).toBe(true);
    expect(idx.notes[0]).toMatch(/more than 10 files/);
  });
});

describe('a source root that is not a directory', () => {
  let repo: MiniRepo;
  beforeAll(() => {
    repo = buildMiniRepo();
  });
  it('gives a context with a note, not an exception', () => {
    const ctx = buildContext(makeAnalysis(repo), { source: path.join(repo.root, 'MAINTAINERS') })!;
    expect(ctx.snippet).toBeNull();
    expect(ctx.notes![0]).toMatch(/is not a readable directory/);
    const missing = buildContext(makeAnalysis(repo), { source: path.join(repo.root, 'nope') })!;
    expect(missing.notes![0]).toMatch(/is not a readable directory/);
  });
});
