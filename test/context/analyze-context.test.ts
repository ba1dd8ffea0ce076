/**
 * End to end: a gdb backtrace of a crash in the miniature QEMU tree, through `analyze()`
 * with a source tree — what a user relies on: the crash frame located in the tree, the code
 * at the crash line, who changed it last, the suspects, and whom to notify.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../src/analyze.js';
import type { Analysis, AnalysisError } from '../../src/model.js';
import { buildMiniRepo, AUTHORS, CRASH_TEXT, type MiniRepo, removeTempDirs } from './mini-qemu.js';

afterAll(removeTempDirs);

let repo: MiniRepo;
beforeAll(() => {
  repo = buildMiniRepo();
});

function assertionCrash(L: MiniRepo['lines']): string {
  return `qemu-system-x86_64: ../hw/scsi/virtio-scsi.c:${L.crash}: virtio_scsi_complete_req: Assertion \`req->sreq->hba_private == req' failed.

Thread 5 "iothread0" received signal SIGABRT, Aborted.
[Switching to Thread 0x7f3b2a7fc6c0 (LWP 4242)]
__pthread_kill_implementation (threadid=<optimized out>, signo=signo@entry=6, no_tid=no_tid@entry=0) at ./nptl/pthread_kill.c:44
44	./nptl/pthread_kill.c: No such file or directory.
(gdb) bt
#0  __pthread_kill_implementation (threadid=<optimized out>, signo=signo@entry=6, no_tid=no_tid@entry=0) at ./nptl/pthread_kill.c:44
#1  0x00007f3b3a45af1f in __pthread_kill_internal (signo=6, threadid=<optimized out>) at ./nptl/pthread_kill.c:78
#2  0x00007f3b3a40bfb2 in __GI_raise (sig=sig@entry=6) at ../sysdeps/posix/raise.c:26
#3  0x00007f3b3a3f6472 in __GI_abort () at ./stdlib/abort.c:79
#4  0x00007f3b3a3f6395 in __assert_fail_base (fmt=0x7f3b3a56ad28 "%s%s%s:%u: %s%sAssertion \`%s' failed.\\n%n", assertion=0x55d1c0e1a2b0 "req->sreq->hba_private == req", file=0x55d1c0e1a1c8 "../hw/scsi/virtio-scsi.c", line=${L.crash}, function=<optimized out>) at ./assert/assert.c:94
#5  0x00007f3b3a404eb2 in __GI___assert_fail (assertion=0x55d1c0e1a2b0 "req->sreq->hba_private == req", file=0x55d1c0e1a1c8 "../hw/scsi/virtio-scsi.c", line=${L.crash}, function=0x55d1c0e1a3f0 <__PRETTY_FUNCTION__.3> "virtio_scsi_complete_req") at ./assert/assert.c:103
#6  0x000055d1c0a1b2c3 in virtio_scsi_complete_req (req=0x55d1c3e4f000) at ../hw/scsi/virtio-scsi.c:${L.crash}
#7  0x000055d1c0a1b4d5 in virtio_scsi_complete_cmd_req (req=0x55d1c3e4f000) at ../hw/scsi/virtio-scsi.c:${L.completeCmdReq}
#8  0x000055d1c0a0c6e7 in scsi_req_complete (req=0x55d1c3e50000, status=0) at ../hw/scsi/scsi-bus.c:6
#9  0x000055d1c0c1d8f9 in aio_dispatch (ctx=0x55d1c2a00000) at ../util/aio-posix.c:5
#10 0x00007f3b3a458fd4 in start_thread (arg=<optimized out>) at ./nptl/pthread_create.c:442
#11 0x00007f3b3a4d95bc in clone3 () at ../sysdeps/unix/sysv/linux/x86_64/clone3.S:81
`;
}

function segvCrash(L: MiniRepo['lines'], printed: string): string {
  return `Thread 5 "iothread0" received signal SIGSEGV, Segmentation fault.
[Switching to Thread 0x7f3b2a7fc6c0 (LWP 4242)]
0x000055d1c0a1b2c3 in virtio_scsi_complete_req (req=0x55d1c3e4f000) at ../hw/scsi/virtio-scsi.c:${L.crash}
${L.crash}\t${printed}
(gdb) bt
#0  0x000055d1c0a1b2c3 in virtio_scsi_complete_req (req=0x55d1c3e4f000) at ../hw/scsi/virtio-scsi.c:${L.crash}
#1  0x000055d1c0a1b4d5 in virtio_scsi_complete_cmd_req (req=0x55d1c3e4f000) at ../hw/scsi/virtio-scsi.c:${L.completeCmdReq}
#2  0x000055d1c0a0c6e7 in scsi_req_complete (req=0x55d1c3e50000, status=0) at ../hw/scsi/scsi-bus.c:6
#3  0x000055d1c0c1d8f9 in aio_dispatch (ctx=0x55d1c2a00000) at ../util/aio-posix.c:5
#4  0x00007f3b3a458fd4 in start_thread (arg=<optimized out>) at ./nptl/pthread_create.c:442
`;
}

function ok(r: Analysis | AnalysisError): Analysis {
  expect((r as AnalysisError).error).toBeUndefined();
  return r as Analysis;
}

describe('analyze() with a source tree', () => {
  it('locates the crash frame and fills context: code, blame, suspects, owners', () => {
    const a = ok(analyze(assertionCrash(repo.lines), { input: 'crash.txt', context: { source: repo.root } }));
    expect(a.kind).toBe('assertion');
    expect(a.crashFrame).toMatchObject({ function: 'virtio_scsi_complete_req', file: '../hw/scsi/virtio-scsi.c', line: repo.lines.crash });
    expect(a.crashFrame!.location).toEqual({ file: 'hw/scsi/virtio-scsi.c', line: repo.lines.crash });
    const c = a.context!;
    expect(c.snippet!.lines.find((l) => l.crash)).toEqual({ number: repo.lines.crash, text: CRASH_TEXT, crash: true });
    expect(c.function!.name).toBe('virtio_scsi_complete_req');
    expect(c.blame).toMatchObject({ commit: repo.commits.crashLine, author: AUTHORS.jon.name });
    expect(c.suspects[0]).toMatchObject({ commit: repo.commits.crashLine, reason: expect.stringMatching(/^changed the crash line/) });
    expect(c.owners.slice(0, 3).map((o) => `${o.role}:${o.name}:${o.section}`)).toEqual([
      'maintainer:Paula Ferrant:SCSI',
      'reviewer:Idris Lomond:SCSI',
      'maintainer:Kasimir Oyelaran:virtio',
    ]);
    // The JSON contract carries it (DESIGN: context).
    const json = JSON.parse(JSON.stringify(a));
    expect(Object.keys(json.context).sort()).toEqual(['blame', 'function', 'notes', 'owners', 'root', 'snippet', 'suspects']);
  });

  it('says the source is not the crashed build when gdb printed another line', () => {
    const stale = ok(analyze(segvCrash(repo.lines, 'assert(req->sreq);'), { input: 'crash.txt', context: { source: repo.root } }));
    expect(stale.crashFrame!.function).toBe('virtio_scsi_complete_req');
    expect(stale.context!.notes!.join('\n')).toMatch(/the source is not the crashed build/);
    const same = ok(analyze(segvCrash(repo.lines, CRASH_TEXT.trim()), { input: 'crash.txt', context: { source: repo.root } }));
    expect(same.context!.notes!.join('\n')).not.toMatch(/not the crashed build/);
  });

  it('without --source, finds the checkout that holds the crash file, and no other', () => {
    const input = path.join(repo.root, 'crash.txt');
    const text = assertionCrash(repo.lines);
    fs.writeFileSync(input, text);
    try {
      const a = ok(analyze(text, { input, context: { inputPath: input } }));
      expect(a.context!.blame!.commit).toBe(repo.commits.crashLine);
    } finally {
      fs.rmSync(input);
    }
    const stdin = ok(analyze(text, { input: '-', context: { inputPath: '-' } }));
    expect(stdin.context).toBeUndefined();
  });
});
