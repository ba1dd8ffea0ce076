/**
 * The bundled example: scripts/make-example-repo.sh gives examples/qemu-src a git history;
 * the context stage must find the virtio-scsi owners, the code, blame and suspects there.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildContext } from '../../src/context/index.js';
import { analyze } from '../../src/analyze.js';
import type { Analysis } from '../../src/model.js';
import { frame, makeAnalysis, tempDir, type MiniRepo, removeTempDirs } from './mini-qemu.js';

afterAll(removeTempDirs);

const here = path.resolve(__dirname, '../..');
const script = path.join(here, 'scripts/make-example-repo.sh');
let dir: string;

beforeAll(() => {
  dir = path.join(tempDir('crashlens-example-'), 'qemu-src');
  execFileSync('bash', [script, dir], { stdio: 'ignore', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });
});

describe('the bundled example tree (scripts/make-example-repo.sh)', () => {
  it('buildContext finds the virtio-scsi owners, most specific first, and the function at line 608', () => {
    const a = makeAnalysis({ lines: { crash: 1, completeReqStart: 1, completeCmdReq: 1, handleCmd: 1 } } as MiniRepo);
    const blamed = frame(9, 'virtio_scsi_defer_to_dataplane', '../hw/scsi/virtio-scsi.c', 608, 'app');
    a.threads[0].frames.push(blamed);
    a.blameFrame = { frame: blamed, reason: 'main-loop-only code on an IOThread' };
    const ctx = buildContext(a, { source: dir })!;
    expect(ctx.owners.map((o) => `${o.source}/${o.section ?? '-'}/${o.role}:${o.name}`)).toEqual([
      'MAINTAINERS/SCSI/maintainer:Ilse Marchetti',
      'MAINTAINERS/SCSI/reviewer:Jonas Feldhaus',
      'MAINTAINERS/virtio/maintainer:Tomasz Wierzbicki',
      'MAINTAINERS/All patches CC here/list:qemu-devel@lists.example.org',
      'CODEOWNERS/-/owner:@imarchetti',
      'CODEOWNERS/-/owner:@jfeldhaus',
    ]);
    expect(ctx.snippet!.lines.find((l) => l.crash)!.text).toBe('static bool virtio_scsi_defer_to_dataplane(VirtIOSCSI *s)');
    expect(ctx.function!.name).toBe('virtio_scsi_defer_to_dataplane');
    expect(ctx.blame).toMatchObject({ author: 'Ilse Marchetti', summary: expect.stringContaining('virtio_scsi_defer_to_dataplane') });
  });

  it('the NULL-request example: the commit that dropped the caller\'s NULL check is the first suspect', () => {
    const text = fs.readFileSync(path.join(here, 'examples/qemu-null-req.txt'), 'utf8');
    const a = analyze(text, { input: 'examples/qemu-null-req.txt', context: { source: dir } }) as Analysis;
    expect(a.crashFrame).toMatchObject({ function: 'virtio_scsi_complete_req', line: 110, location: { file: 'hw/scsi/virtio-scsi.c', line: 110 } });
    const first = a.context!.suspects[0];
    expect(first).toMatchObject({ author: 'Maren Solberg', reason: 'changed the caller virtio_scsi_command_complete (hw/scsi/virtio-scsi.c:708)' });
    expect(a.context!.function!.doc).toMatch(/^hand a finished request back to the guest\./);
  });
});
