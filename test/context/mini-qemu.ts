/**
 * Test helper: a miniature QEMU-like source tree (our own small files) committed to a real
 * git repository by several invented authors at fixed dates, with a MAINTAINERS and a
 * CODEOWNERS file; and a hand-built `Analysis` of an assertion failure in it.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Analysis, Frame, Role } from '../../src/model.js';

export const AUTHORS = {
  orla: { name: 'Orla Brennick', email: 'orla@brennick.example' },
  tomas: { name: 'Tomas Vell', email: 'tvell@vell.example' },
  mira: { name: 'Mira Kestrel', email: 'mira.kestrel@kestrel.example' },
  jon: { name: 'Jon Halder', email: 'jon@halder.example' },
};

export const CRASH_TEXT = '    assert(req->sreq->hba_private == req);';

export function virtioScsiC(stage: number): string {
  // stage 1: initial; 3: complete_req body changed; 4: crash line changed; 5: handle_cmd changed
  const crash = stage >= 4 ? CRASH_TEXT : '    assert(req->sreq);';
  const sizeLine = stage >= 3 ? '    size_t resp_size = req->resp_size;' : '    size_t resp_size = 0;';
  const handle = stage >= 5 ? '    virtio_scsi_handle_cmd_vq(s, vq, true);' : '    virtio_scsi_handle_cmd_vq(s, vq, false);';
  return `/*
 * Virtio SCSI HBA (miniature for tests)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "hw/scsi/scsi.h"
#include "hw/virtio/virtio.h"

static void virtio_scsi_free_req(VirtIOSCSIReq *req)
{
    g_free(req);
}

/**
 * virtio_scsi_complete_req - return a finished request to the guest.
 * @req: the request, with its response filled in.
 *
 * Pushes the response onto the virtqueue and notifies the guest.
 */
static void virtio_scsi_complete_req(VirtIOSCSIReq *req)
{
    VirtIOSCSI *s = req->dev;
    VirtQueue *vq = req->vq;
${sizeLine}

${crash}
    virtqueue_push(vq, &req->elem, resp_size);
    if (s->dataplane_started) {
        virtio_notify_irqfd(&s->parent_obj, vq);
    } else {
        virtio_notify(&s->parent_obj, vq);
    }
    req->sreq->hba_private = NULL;
    virtio_scsi_free_req(req);
}

static void virtio_scsi_complete_cmd_req(VirtIOSCSIReq *req)
{
    req->resp_size = sizeof(req->resp.cmd);
    virtio_scsi_complete_req(req);
}

/* Kick handler of the request queues. */
static void virtio_scsi_handle_cmd(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOSCSI *s = (VirtIOSCSI *)vdev;
${handle}
}
`;
}

const SCSI_BUS_C = (v: number) => `#include "hw/scsi/scsi.h"

void scsi_req_complete(SCSIRequest *req, int status)
{
    req->status = ${v >= 2 ? 'status & 0xff' : 'status'};
    req->bus->info->complete(req, req->status);
}
`;

const AIO_POSIX_C = (v: number) => `#include "block/aio.h"

bool aio_dispatch(AioContext *ctx)
{
    int dispatched = ${v};
    return dispatched > 0;
}
`;

const SCSI_H = `#ifndef HW_SCSI_H
#define HW_SCSI_H
typedef struct SCSIRequest SCSIRequest;
void scsi_req_complete(SCSIRequest *req, int status);
#endif
`;

export const MAINTAINERS = `QEMU Maintainers (miniature, invented names)
================

The intention of this file is to tell whom to ask.

Descriptions of section entries:

	M: Mail patches to: FullName <address@domain>
	R: Designated reviewer: FullName <address@domain>
	L: Mailing list that is relevant to this area
	F: Files and directories with wildcard patterns.
	X: Files and directories that are NOT maintained.

General Project Administration
------------------------------
All patches CC here
L: devel-list@lists.example.org
F: *
F: */

Devices
-------
SCSI
M: Paula Ferrant <paula@ferrant.example>
R: Idris Lomond <idris@lomond.example>
S: Supported
F: include/hw/scsi/*
F: hw/scsi/*
T: git https://git.example.org/scsi.git scsi-next

Subsystems
----------
virtio
M: Kasimir Oyelaran <kasimir@oyelaran.example>
S: Supported
F: hw/*/virtio*
F: hw/virtio/
F: include/hw/virtio/
Z: an unknown tag that parsers ignore

Block I/O path
M: Wren Tallis <wren@tallis.example>
S: Maintained
F: util/aio-*.c
F: util/async.c
X: util/aio-win32.c
`;

export const CODEOWNERS = `# Miniature CODEOWNERS: the last matching pattern wins
*                 @mini/core
hw/               @mini/hardware
/hw/scsi/         @mini/scsi @nadia-quell
hw/scsi/*.h       @mini/headers
docs/*            docs-team@mini.example
`;

function git(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync('git', args, {
    cwd,
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function write(root: string, rel: string, text: string): void {
  const p = path.join(root, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
}

function commit(root: string, who: { name: string; email: string }, date: string, message: string): string {
  git(root, ['add', '-A']);
  git(root, ['commit', '-q', '-m', message], {
    GIT_AUTHOR_NAME: who.name,
    GIT_AUTHOR_EMAIL: who.email,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: who.name,
    GIT_COMMITTER_EMAIL: who.email,
    GIT_COMMITTER_DATE: date,
  });
  return git(root, ['rev-parse', 'HEAD']).trim();
}

export interface MiniRepo {
  root: string;
  commits: { initial: string; aio: string; body: string; crashLine: string; busStatus: string; handleCmd: string };
  /** 1-based line numbers in the final virtio-scsi.c. */
  lines: { crash: number; completeReqStart: number; completeCmdReq: number; handleCmd: number };
}

const made: string[] = [];

/** A new temporary folder, removed by `removeTempDirs()`. */
export function tempDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}

/** Remove the temporary folders this test file made (call from afterAll). */
export function removeTempDirs(): void {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

export function buildMiniRepo(): MiniRepo {
  const root = tempDir('crashlens-ctx-');
  git(root, ['init', '-q', '-b', 'main']);
  write(root, 'hw/scsi/virtio-scsi.c', virtioScsiC(1));
  write(root, 'hw/scsi/scsi-bus.c', SCSI_BUS_C(1));
  write(root, 'include/hw/scsi/scsi.h', SCSI_H);
  write(root, 'hw/virtio/virtio.c', '/* virtio core */\nvoid virtio_notify(void *vdev, void *vq)\n{\n}\n');
  write(root, 'util/aio-posix.c', AIO_POSIX_C(0));
  write(root, 'MAINTAINERS', MAINTAINERS);
  write(root, '.github/CODEOWNERS', CODEOWNERS);
  const initial = commit(root, AUTHORS.orla, '2023-01-10T09:00:00Z', 'Import the miniature tree');
  write(root, 'util/aio-posix.c', AIO_POSIX_C(1));
  const aio = commit(root, AUTHORS.tomas, '2023-03-02T11:30:00Z', 'aio-posix: count dispatched handlers');
  write(root, 'hw/scsi/virtio-scsi.c', virtioScsiC(3));
  const body = commit(root, AUTHORS.mira, '2023-05-15T14:00:00Z', 'virtio-scsi: use the response size of the request');
  write(root, 'hw/scsi/virtio-scsi.c', virtioScsiC(4));
  const crashLine = commit(root, AUTHORS.jon, '2023-07-20T10:00:00Z', 'virtio-scsi: check that the request owns its SCSI request');
  write(root, 'hw/scsi/scsi-bus.c', SCSI_BUS_C(2));
  const busStatus = commit(root, AUTHORS.tomas, '2023-08-10T16:45:00Z', 'scsi-bus: keep only the status byte');
  write(root, 'hw/scsi/virtio-scsi.c', virtioScsiC(5));
  const handleCmd = commit(root, AUTHORS.mira, '2023-09-01T08:15:00Z', 'virtio-scsi: handle requests in batches');
  const text = virtioScsiC(5).split('\n');
  const find = (s: string) => text.findIndex((l) => l.includes(s)) + 1;
  return {
    root,
    commits: { initial, aio, body, crashLine, busStatus, handleCmd },
    lines: {
      crash: find(CRASH_TEXT.trim()),
      completeReqStart: find('static void virtio_scsi_complete_req('),
      completeCmdReq: find('    virtio_scsi_complete_req(req);'),
      handleCmd: find('virtio_scsi_handle_cmd_vq(s, vq'),
    },
  };
}

export function frame(index: number, fn: string | null, file: string | null, line: number | null, role: Role): Frame {
  return { index, function: fn, rawFunction: fn, file, line, inlined: false, role };
}

/** An assertion failure in virtio_scsi_complete_req, as a gdb report of it would give. */
export function makeAnalysis(repo: MiniRepo, overrides: Partial<Analysis> = {}): Analysis {
  const frames: Frame[] = [
    frame(0, '__pthread_kill_implementation', './nptl/pthread_kill.c', 44, 'crash-handling'),
    frame(1, 'raise', '../sysdeps/posix/raise.c', 26, 'crash-handling'),
    frame(2, 'abort', './stdlib/abort.c', 79, 'crash-handling'),
    frame(3, '__assert_fail', './assert/assert.c', 101, 'crash-handling'),
    frame(4, 'virtio_scsi_complete_req', '/build/qemu-8.2.0/hw/scsi/virtio-scsi.c', repo.lines.crash, 'app'),
    frame(5, 'virtio_scsi_complete_cmd_req', '../hw/scsi/virtio-scsi.c', repo.lines.completeCmdReq, 'app'),
    frame(6, 'scsi_req_complete', '../hw/scsi/scsi-bus.c', 6, 'app'),
    frame(7, 'aio_dispatch', '../util/aio-posix.c', 5, 'plumbing'),
    frame(8, 'start_thread', './nptl/pthread_create.c', 442, 'plumbing'),
  ];
  return {
    schema: 'crashlens/analysis@1',
    input: 'crash.txt',
    format: 'gdb',
    formats: ['gdb'],
    kind: 'assertion',
    confidence: 'high',
    title: 'assertion failed in virtio_scsi_complete_req',
    signal: { name: 'SIGABRT', number: 6 },
    access: null,
    message: 'virtio_scsi_complete_req: Assertion `req->sreq->hba_private == req\' failed.',
    assertion: { expression: 'req->sreq->hba_private == req', file: 'hw/scsi/virtio-scsi.c', line: repo.lines.crash, function: 'virtio_scsi_complete_req' },
    exception: null,
    crashingThread: { id: '1', name: null },
    threads: [{ id: '1', name: null, crashed: true, state: null, frames }],
    stacks: [],
    groups: [],
    topFrame: frames[0],
    crashFrame: frames[4],
    blameFrame: null,
    signature: { version: 1, text: 'assertion | virtio_scsi_complete_req', id: '0000000000000000' },
    evidence: [],
    causes: [],
    nextSteps: [],
    quality: [],
    ...overrides,
  };
}
