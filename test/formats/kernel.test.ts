import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { kernel, kernelPackRole, parseFrameLine, stripPrefix, normaliseKernelName } from '../../src/formats/kernel.js';
import { KERNEL_CLASSES } from '../../src/formats/kernel-classes.js';
import { FORMATS } from '../../src/formats/index.js';
import { analyze } from '../../src/analyze.js';
import { candidateLines, clean } from '../../src/ingest/clean.js';
import type { Analysis, Frame, ParsedReport, Role } from '../../src/model.js';

const dir = fileURLToPath(new URL('../fixtures/kernel/', import.meta.url));

interface Truth {
  kind: string;
  title: string;
  crashFunction: string;
  module: string | null;
  thread: { id: string; name: string | null };
  access?: { type: string; size?: number; address?: string };
  stacks?: Record<string, string>;
  lockChains?: number;
  reports?: number;
  panicked?: boolean;
}

const fixtures = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();

function load(name: string): { text: string; truth: Truth } {
  const text = readFileSync(join(dir, name), 'utf8');
  const truth = JSON.parse(readFileSync(join(dir, name.replace(/\.txt$/, '.json')), 'utf8')) as Truth;
  return { text, truth };
}

function parse(text: string): ParsedReport[] {
  return kernel.find({ lines: text.split('\n') });
}

/** DESIGN's crash-frame rule over the parser's own role knowledge (pack first, then roleHint). */
function roleOf(f: Frame): Role {
  if (!f.function) return 'unknown';
  return kernelPackRole(normaliseKernelName(f.function)) ?? f.roleHint ?? 'app';
}
function crashFrame(frames: Frame[]): Frame | undefined {
  const rest = frames.filter((f) => roleOf(f) !== 'crash-handling');
  return rest.find((f) => roleOf(f) === 'app') ?? rest.find((f) => roleOf(f) === 'library') ??
    rest.find((f) => roleOf(f) === 'plumbing');
}

describe('kernel format: fixtures', () => {
  it('has several fixtures, with a truth file each', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(15);
    expect(fixtures.filter((f) => f.includes('virtio-scsi') || readFileSync(join(dir, f), 'utf8').includes('[virtio_scsi]')).length)
      .toBeGreaterThanOrEqual(5);
  });

  for (const name of fixtures) {
    it(`reads ${name}`, () => {
      const { text, truth } = load(name);
      const reports = parse(text);
      expect(reports.length).toBe(truth.reports ?? 1);
      const r = reports[0];
      expect(r.format).toBe('kernel');
      expect(r.complete).toBe(true);
      expect(r.kind?.kind).toBe(truth.kind);
      expect(r.title).toBe(truth.title);
      expect(r.crashingThreadId).toBe(truth.thread.id);
      const t = r.threads[0];
      expect(t.crashed).toBe(true);
      expect(t.id).toBe(truth.thread.id);
      expect(t.name).toBe(truth.thread.name);
      const cf = r.crashFrameHint != null ? t.frames[r.crashFrameHint] : crashFrame(t.frames);
      expect(cf?.function).toBe(truth.crashFunction);
      expect(cf?.module ?? null).toBe(truth.module);
      // frames are numbered innermost first, `?` frames are not in the stack
      t.frames.forEach((f, i) => expect(f.index).toBe(i));
      expect(t.frames.some((f) => f.trust === 'unreliable')).toBe(false);
      if (truth.access) expect(r.access).toMatchObject(truth.access);
      for (const [role, fn] of Object.entries(truth.stacks ?? {})) {
        const s = r.stacks.find((x) => x.role === role);
        expect(s, role).toBeDefined();
        expect(s!.frames.map((f) => f.function)).toContain(fn);
      }
      if (truth.lockChains) expect(r.stacks.filter((s) => s.role === 'lock-chain').length).toBe(truth.lockChains);
      if (truth.panicked) expect(r.facts.some((f) => f.value === 'panicked')).toBe(true);
      expect(r.message).toBeTruthy();
    });
  }
});

describe('kernel format: frames and lines', () => {
  it('reads a module frame and drops the offset', () => {
    const f = parseFrameLine(' virtscsi_vq_done+0x4e/0x80 [virtio_scsi]');
    expect(f).toMatchObject({ fn: 'virtscsi_vq_done', module: 'virtio_scsi', unreliable: false });
  });
  it('marks `?` frames unreliable and reads old `[<addr>]` frames', () => {
    expect(parseFrameLine(' ? page_fault_oops+0x171/0x4e0')?.unreliable).toBe(true);
    expect(parseFrameLine(' [<ffffffff81eb4be9>] dump_stack+0xc1/0x128')).toMatchObject({ fn: 'dump_stack', address: '0xffffffff81eb4be9' });
  });
  it('reads symbolized frames with file, line and [inline]', () => {
    expect(parseFrameLine(' __dump_stack lib/dump_stack.c:88 [inline]')).toMatchObject({ fn: '__dump_stack', file: 'lib/dump_stack.c', line: 88, inlined: true });
    expect(parseFrameLine(' dump_stack_lvl+0x1e7/0x2d0 lib/dump_stack.c:106')).toMatchObject({ fn: 'dump_stack_lvl', line: 106, inlined: false });
  });
  it('reads powerpc and 32-bit ARM frame lines', () => {
    expect(parseFrameLine('[c000000049a87a10] [c0000000005f7dc8] exit_aio+0x188/0x2a0')).toMatchObject({ fn: 'exit_aio', address: '0xc0000000005f7dc8' });
    expect(parseFrameLine('[c000000049a87530] [c000000049a875a0] 0xc000000049a875a0 (unreliable)')).toMatchObject({ fn: null, unreliable: true });
    expect(parseFrameLine('[<836775f0>] (show_stack) from [<8368d44c>] (dump_stack+0x124/0x170)')).toMatchObject({ fn: 'show_stack', address: '0x836775f0' });
  });
  it('rejects prose that is not a frame', () => {
    expect(parseFrameLine('Modules linked in: virtio_scsi')).toBeNull();
    expect(parseFrameLine('which lock already depends on the new lock.')).toBeNull();
    expect(parseFrameLine('RSP: 0018:ffffb1c2c00f8e60 EFLAGS: 00010286')).toBeNull();
  });
  it('strips dmesg, caller-tag, console-level, syslog and dmesg -x prefixes', () => {
    expect(stripPrefix('[  649.634110][ T6659] BUG: KASAN: x')).toEqual({ text: 'BUG: KASAN: x', tag: 'T6659', ts: true });
    expect(stripPrefix('<4>[  333.810145] kernel BUG at a.c:1!').text).toBe('kernel BUG at a.c:1!');
    expect(stripPrefix('Mar  3 10:14:22 host kernel: [ 4410.001201] Oops: 0002').text).toBe('Oops: 0002');
    expect(stripPrefix('kern  :warn  : [  12.5] WARNING: CPU: 0 PID: 1 at a.c:1 f+0x1/0x2').text).toMatch(/^WARNING: CPU/);
    expect(stripPrefix('syzkaller login: [   16.305150] INFO: trying to register non-static key.').text)
      .toBe('INFO: trying to register non-static key.');
    expect(stripPrefix('no prefix here').text).toBe('no prefix here');
  });
  it('keeps clone suffixes in frames but not in titles', () => {
    const { text } = load('ubsan-shift.txt');
    const r = parse(text)[0];
    expect(r.threads[0].frames.map((f) => f.function)).toContain('demo_hba_map_queues.cold');
    expect(r.title).toBe('UBSAN: shift-out-of-bounds in demo_hba_map_queues');
  });
});

describe('kernel format: report structure', () => {
  it('puts the RIP function first and ignores Code: and register lines', () => {
    const r = parse(load('null-deref-virtio-scsi.txt').text)[0];
    const fns = r.threads[0].frames.map((f) => f.function);
    expect(fns[0]).toBe('virtscsi_complete_cmd');
    expect(fns[1]).toBe('virtscsi_vq_done');
    // the interrupted task's RIP inside the trace becomes a frame at its place
    expect(fns.indexOf('default_idle')).toBe(fns.indexOf('asm_common_interrupt') + 1);
    expect(fns).not.toContain('__die');
    expect(fns.every((f) => f === null || /^[A-Za-z_][A-Za-z0-9_.]*$/.test(f))).toBe(true);
    expect(r.facts.some((f) => f.value === 'panicked')).toBe(true);
    expect(r.endLine).toBeGreaterThan(r.startLine + 40);
  });

  it('gives KASAN its allocated and freed stacks with their tasks', () => {
    const r = parse(load('kasan-uaf-virtio-scsi.txt').text)[0];
    const alloc = r.stacks.find((s) => s.role === 'allocated')!;
    const freed = r.stacks.find((s) => s.role === 'freed')!;
    expect(alloc.thread).toBe('4311');
    expect(freed.thread).toBe('0');
    expect(alloc.frames[0].function).toBe('kasan_save_stack');
    expect(freed.frames.map((f) => f.function)).toContain('virtscsi_free_cmd_state');
    // the memory-state dump is not a stack
    expect(r.stacks.length).toBe(2);
  });

  it('gives lockdep its dependency chain as lock-chain stacks', () => {
    const r = parse(load('lockdep-circular.txt').text)[0];
    const chains = r.stacks.filter((s) => s.role === 'lock-chain');
    expect(chains.map((s) => s.title)).toEqual(['#1 (&vscsi->event_lock){+.+.}-{3:3}', '#0 (&shost->scan_mutex){+.+.}-{3:3}']);
    expect(chains[1].frames.map((f) => f.function)).toContain('virtscsi_handle_transport_reset');
    expect(r.threads[0].frames[0].function).toBe('dump_stack_lvl');
  });

  it('gives KCSAN both accesses', () => {
    const r = parse(load('kcsan-data-race.txt').text)[0];
    expect(r.threads[0].frames[0].function).toBe('virtscsi_kick_event');
    const other = r.stacks.find((s) => s.role === 'other-access')!;
    expect(other.frames[0].function).toBe('virtscsi_handle_event');
    expect(other.title).toMatch(/^read to 0xffff8881076c2a30 of 8 bytes by interrupt/);
  });

  it('gives KMSAN the origin stack', () => {
    const r = parse(load('kmsan-uninit.txt').text)[0];
    expect(r.threads[0].frames[0].function).toBe('demo_parse_sense');
    expect(r.stacks.find((s) => s.role === 'origin')?.title).toBe('Uninit was created at');
  });

  it('finds every hung task and names the blocked task, not khungtaskd', () => {
    const rs = parse(load('hung-task.txt').text);
    expect(rs.map((r) => r.crashingThreadId)).toEqual(['5873', '189']);
    expect(rs[1].title).toBe('INFO: task hung in scsi_scan_host_selected');
    expect(rs[0].threads[0].state).toBe('blocked');
  });

  it('folds the panic that follows an oops into the oops', () => {
    const rs = parse(load('soft-lockup.txt').text);
    expect(rs.length).toBe(1);
    expect(rs[0].facts.find((f) => f.value === 'panicked')?.text).toBe('The kernel panicked: softlockup: hung tasks');
    // the watchdog's interrupt frames are all `?`; the interrupted RIP leads the task's stack
    expect(rs[0].threads[0].frames[0].function).toBe('virtscsi_abort_wait');
  });

  it('keeps a bare panic as its own report', () => {
    const r = parse(load('panic-root-fs.txt').text)[0];
    expect(r.kind).toMatchObject({ kind: 'kernel-bug' });
    expect(r.threads[0].frames[1].function).toBe('panic');
  });

  it('ignores interleaved lines of other CPUs and non-kernel lines in a timestamped log', () => {
    const lines = load('kasan-uaf-virtio-scsi.txt').text.split('\n');
    const noisy = [...lines.slice(0, 12), '[ 1204.121800][ T9999]  other_cpu_function+0x10/0x20', 'executing program 3:', 'r0 = openat(0x0, 0x0)', ...lines.slice(12)];
    const r = parse(noisy.join('\n'))[0];
    const fns = r.threads[0].frames.map((f) => f.function);
    expect(fns).not.toContain('other_cpu_function');
    expect(r.title).toBe('KASAN: slab-use-after-free Read in virtscsi_complete_cmd');
    expect(fns).toContain('entry_SYSCALL_64_after_hwframe');
  });

  it('keeps reading a trace through another driver\'s message printed into it', () => {
    const lines = load('warning-scsi-queue-rq.txt').text.split('\n');
    const at = lines.findIndex((l) => l.includes('blk_mq_dispatch_rq_list'));
    lines.splice(at, 0, '[   97.227590] demo_nic 0000:00:04.0: link is up, 1000 Mbps full duplex');
    const r = parse(lines.join('\n'))[0];
    expect(r.threads[0].frames.map((f) => f.function)).toContain('ret_from_fork');
  });

  it('gives frame 0 the file and line the WARNING header names', () => {
    const r = parse(load('warning-scsi-queue-rq.txt').text)[0];
    expect(r.threads[0].frames[0]).toMatchObject({ function: 'scsi_queue_rq', file: 'drivers/scsi/scsi_lib.c', line: 1782 });
    const k = parse(load('kernel-bug-at.txt').text)[0];
    expect(k.threads[0].frames[0]).toMatchObject({ function: 'virtscsi_tmf', file: 'drivers/scsi/virtio_scsi.c', line: 612 });
  });

  it('uses the header location as the only frame when the trace is lost', () => {
    const r = parse('[  1.0] WARNING: CPU: 0 PID: 5944 at net/demo/sock.c:1508 demo_data_ready+0x2b7/0x390\n[  1.1] Kernel panic - not syncing: panic_on_warn set ...\n')[0];
    expect(r.threads[0].frames.map((f) => f.function)).toEqual(['demo_data_ready']);
    expect(r.complete).toBe(false);
    expect(r.title).toBe('WARNING in demo_data_ready');
  });

  it('reads the 6.18 WARNING header', () => {
    const r = parse('[  113.53][ T6007] WARNING: fs/demo/inode.c:829 at demo_evict+0x334/0x430, CPU#0: demo-sync/6007\n' +
      '[  113.54][ T6007] Call Trace:\n[  113.55][ T6007]  <TASK>\n[  113.56][ T6007]  demo_evict+0x334/0x430\n[  113.57][ T6007]  evict+0x2a4/0x620\n[  113.58][ T6007]  </TASK>\n')[0];
    expect(r.title).toBe('WARNING in demo_evict');
    expect(r.crashingThreadId).toBe('6007');
    expect(r.threads[0].name).toBe('demo-sync');
  });

  it('reads the same report without any prefix', () => {
    const bare = load('warning-scsi-queue-rq.txt').text.split('\n').map((l) => stripPrefix(l).text).join('\n');
    const r = parse(bare)[0];
    expect(r.title).toBe('WARNING in scsi_queue_rq');
    expect(r.threads[0].frames.length).toBeGreaterThan(5);
  });

  it('marks a report cut off inside its Call Trace as incomplete', () => {
    const lines = load('null-deref-virtio-scsi.txt').text.split('\n');
    const cut = lines.slice(0, lines.findIndex((l) => l.includes('vring_interrupt')) + 1).join('\n');
    const r = parse(cut)[0];
    expect(r.complete).toBe(false);
    expect(r.facts.some((f) => f.code === 'truncated')).toBe(true);
    expect(r.title).toBe('BUG: kernel NULL pointer dereference in virtscsi_complete_cmd');
  });

  it('marks a header with no stack at all as incomplete', () => {
    const r = parse('[  1.0] BUG: KASAN: slab-use-after-free in foo+0x1/0x2\n[  1.1] Read of size 4 at addr ffff888000000000 by task a/1\n')[0];
    expect(r.complete).toBe(false);
    expect(r.kind?.kind).toBe('use-after-free');
  });

  it('classes page faults in the NULL page as null-deref', () => {
    const text = load('page-fault-syslog.txt').text.replace('address: ffffc90000a3f008', 'address: 0000000000000018');
    expect(parse(text)[0].kind?.kind).toBe('null-deref');
  });
});

describe('kernel format: hostile input', () => {
  it('finds nothing in a plain log and never throws on junk', () => {
    expect(parse('hello\nworld\n[    1.0] usb 1-1: new device\n')).toEqual([]);
    const junk = ['\u0000\uFFFD\uD800', 'x'.repeat(1_000_000), 'Call Trace:', ' ? +0x/0x', '[<', 'RIP: 0010:', 'BUG: KASAN: '].join('\n');
    expect(() => parse(junk)).not.toThrow();
  });

  it('reads every frame of a 50,000-frame trace (quadratic work would run past the test timeout)', () => {
    const head = load('warning-scsi-queue-rq.txt').text.split('\n').slice(0, 12);
    const frames = Array.from({ length: 50_000 }, (_, i) => `[   97.2${i}]  recurse_${i % 7}+0x1f/0x40`);
    const r = parse([...head, ...frames].join('\n'))[0];
    expect(r.threads[0].frames.length).toBe(50_001);
  });

  it('does not take an ordinary "WARNING:" userland line for a kernel warning', () => {
    expect(parse('WARNING: unused variable x\nWARNING: config file not found\n')).toEqual([]);
  });
});

describe('kernel format: tables', () => {
  it('every class has a title and a kind source, and headers are unique ids', () => {
    const ids = new Set<string>();
    for (const c of KERNEL_CLASSES) {
      expect(ids.has(c.id), c.id).toBe(false);
      ids.add(c.id);
      expect(c.title.length).toBeGreaterThan(3);
      if (c.guilty === 'none') expect(c.title).not.toContain('{func}');
    }
  });
  it('the pack names kernel reporting machinery crash-handling and entry code plumbing', () => {
    expect(kernelPackRole('kasan_report')).toBe('crash-handling');
    expect(kernelPackRole('__warn')).toBe('crash-handling');
    expect(kernelPackRole('kfree')).toBe('library');
    expect(kernelPackRole('mutex_lock')).toBe('library');
    expect(kernelPackRole('entry_SYSCALL_64_after_hwframe')).toBe('plumbing');
    expect(kernelPackRole('process_one_work')).toBe('plumbing');
    expect(kernelPackRole('virtscsi_complete_cmd')).toBeNull();
  });
  it('is registered in the format table', () => {
    expect(FORMATS.map((f) => f.id)).toContain('kernel');
  });
  it('every class header holds one of the triggers, and everyday log words are no trigger', () => {
    const triggers = kernel.triggers!;
    for (const c of KERNEL_CLASSES) {
      // the needle itself, the literal head of its pattern, or the lockdep banner it is printed in
      const src = c.re ? c.re.source.replace(/\\/g, '') : '';
      const banner = !c.re || src.includes('WARNING|') || src.includes('WARNING: |');
      const forms = [c.needle, src, ...(banner ? [`WARNING: ${c.needle}`, `[ INFO: ${c.needle} ]`] : [])];
      const ok = forms.some((f) => triggers.some((t) => f.includes(t)));
      expect(ok, c.id).toBe(true);
    }
    for (const name of fixtures) expect(triggers.some((t) => load(name).text.includes(t)), name).toBe(true);
    const plain = 'error: connection reset\npage fault handler installed\nINFO worker[3]: handled request\nWARN disk 91% full';
    expect(triggers.some((t) => plain.includes(t))).toBe(false);
  });
});

/** A minimal report around a Call Trace (frames innermost first), as a console prints it. */
function report(header: string, frames: string[], extra: string[] = []): string {
  return [header, ...extra, 'CPU: 1 PID: 4242 Comm: demo-tool Not tainted 6.8.0-demo #1', 'Call Trace:', ' <TASK>', ...frames.map((f) => ` ${f}`), ' </TASK>'].join('\n');
}
function titleOf(text: string): string | null {
  return parse(text)[0]?.title ?? null;
}

describe('kernel format: the guilty frame, as syzkaller picks it', () => {
  it('passes over string, allocator and locking helpers to their caller', () => {
    expect(titleOf(report('BUG: KASAN: stack-out-of-bounds in memcmp+0xe3/0x160', [
      'dump_stack+0x194/0x257', 'print_address_description+0x73/0x250', 'kasan_report+0x25b/0x340', 'memcmp+0xe3/0x160',
      'demo_match_selector+0x2f/0x90', 'demo_lookup+0x1b1/0x300', 'do_syscall_64+0x26c/0x920',
    ], ['Read of size 1 at addr ffff8801c19175d0 by task demo-tool/4242']))).toBe('KASAN: stack-out-of-bounds Read in demo_match_selector');
    expect(titleOf(report('WARNING: CPU: 0 PID: 4242 at mm/page_alloc.c:4500 ___kmalloc_large_node+0x7a/0x140', [
      '___kmalloc_large_node+0x7a/0x140', '__kmalloc_large_node_noprof+0x1e/0x70', 'demo_get_acl+0x8c/0x2a0', 'demo_xattr_get+0x44/0x90',
    ]))).toBe('WARNING in demo_get_acl');
  });
  it('takes a timer or softirq function the CPU stopped in, and never an inlined frame', () => {
    expect(titleOf(report('BUG: unable to handle page fault for address: ffffffffffffffff', [
      '__run_timers+0x1c1/0x6f0', 'run_timer_softirq+0x4c/0x70', '__do_softirq+0x2e0/0xaf5', 'irq_exit+0x1f/0x40',
    ]))).toBe('BUG: unable to handle kernel paging request in __run_timers');
    expect(titleOf(report('general protection fault, probably for non-canonical address 0xdffffc0000000003: 0000 [#1] PREEMPT SMP KASAN', [
      'demo_find_local net/demo/core.c:286 [inline]', 'demo_unregister_device+0x34/0x10c net/demo/core.c:1611', 'demo_close+0x1c/0x40 drivers/demo/dev.c:163',
    ]))).toBe('general protection fault in demo_unregister_device');
  });
  it('names a stall or a stack overflow by the frame inside the dispatch that ran', () => {
    expect(titleOf(report('BUG: TASK stack guard page was hit at ffffc9000e4aff58 (stack is ffffc9000e4b0000..ffffc9000e4b8000)', [
      'demo_notify+0x2c/0x80', ...Array.from({ length: 20 }, (_, i) => (i % 2 ? 'demo_bond_event+0x1a/0x40' : 'demo_update_features+0x33/0x90')),
      'demo_newlink+0x5a/0x120', 'rtnetlink_rcv_msg+0x3c0/0xa40', 'netlink_rcv_skb+0x16c/0x430', 'netlink_sendmsg+0x915/0xea0',
      '__sys_sendmsg+0x110/0x1f0', 'do_syscall_64+0xfa/0x780',
    ]))).toBe('BUG: stack guard page was hit in demo_newlink');
    expect(titleOf([
      'INFO: rcu_sched self-detected stall on CPU',
      'CPU: 0 PID: 4242 Comm: demo-tool Not tainted 6.8.0-demo #1', 'Call Trace:', ' <IRQ>', ' dump_stack+0x1b9/0x294', ' rcu_dump_cpu_stacks+0x175/0x1c2',
      ' rcu_check_callbacks+0x21b/0xad0', ' update_process_times+0x2d/0x70', ' tick_sched_timer+0x45/0x130', ' __hrtimer_run_queues+0x3e3/0x10a0',
      ' hrtimer_interrupt+0x2f3/0x750', ' smp_apic_timer_interrupt+0x15d/0x710', ' apic_timer_interrupt+0xf/0x20', ' </IRQ>',
      ' demo_ring_poll+0x29/0x60', ' demo_ring_ioctl+0x6e/0x190', ' demo_compat_ioctl+0x15/0x30', ' __x64_sys_ioctl+0xa0/0xf0', ' do_syscall_64+0x58/0xc0',
    ].join('\n'))).toBe('INFO: rcu detected stall in demo_ring_ioctl');
  });
  it('groups hung tasks waiting for an RCU grace period, and else skips the waiting', () => {
    expect(titleOf(report('INFO: task kworker/u8:2:189 blocked for more than 143 seconds.', [
      '__schedule+0x801/0x1e30', 'schedule+0xef/0x430', 'schedule_timeout+0x138/0x240', 'wait_for_completion+0x8b/0x100',
      '__wait_rcu_gp+0x2f5/0x420', 'synchronize_rcu+0x1a1/0x1c0', 'demo_mark_destroy_workfn+0x127/0x2e0', 'process_one_work+0x9b5/0x17b0',
    ]))).toBe('INFO: task hung in synchronize_rcu');
    expect(titleOf(report('INFO: task demo-tool:4242 blocked for more than 143 seconds.', [
      '__schedule+0x801/0x1e30', 'schedule+0xef/0x430', 'demo_fdatawait_one+0x33/0x80', 'demo_iterate_devices+0x1ae/0x2f0', 'ksys_sync+0xa6/0x150',
    ]))).toBe('INFO: task hung in demo_iterate_devices');
  });
  it('lets the checking helper that raised a WARNING skip its own users', () => {
    expect(titleOf(report('WARNING: CPU: 1 PID: 0 at lib/debugobjects.c:505 debug_print_object+0x16e/0x250', [
      'debug_print_object+0x16e/0x250', 'debug_check_no_obj_freed+0x2a5/0x4b0', 'kfree+0xd1/0x2b0', 'demo_timer_expiry+0x4a/0x90',
      'call_timer_fn+0x1a5/0x6b0', 'run_timer_softirq+0x4c/0x70', 'handle_softirqs+0x216/0x670',
    ]))).toBe('WARNING: ODEBUG bug in handle_softirqs');
  });
  it('names a bad page by the code that allocated it, and a busy dentry by the unmount', () => {
    const bad = ['BUG: Bad page state in process demo-tool  pfn:7deea', 'page: refcount:0 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x7deea',
      'page_owner tracks the page as allocated',
      'page last allocated via order 0, migratetype Unmovable, gfp_mask 0x40c40(GFP_NOFS|__GFP_COMP), pid 4242, tgid 4242 (demo-tool), ts 64771645974',
      ' post_alloc_hook+0x1f3/0x230', ' get_page_from_freelist+0x2e4c/0x2f10', ' __alloc_pages_noprof+0x256/0x6c0', ' pagecache_get_page+0x2c/0x200',
      ' demo_get_metapage+0x2b4/0x1050', ' demo_mkdir+0x1c5/0xba0', 'page last free pid 4241 tgid 4241 stack trace:', ' free_unref_page+0xd19/0xea0',
      ' pipe_read+0x6f2/0x13e0', 'CPU: 1 PID: 4242 Comm: demo-tool Not tainted 6.8.0-demo #1', 'Call Trace:', ' <TASK>', ' dump_stack_lvl+0x241/0x360',
      ' bad_page+0x1cf/0x2c0', ' free_unref_folios+0x8a1/0x1120', ' folios_put_refs+0x76c/0x860', ' demo_release_pages+0x3d/0x90', ' </TASK>'].join('\n');
    expect(titleOf(bad)).toBe('BUG: Bad page state in demo_get_metapage');
    expect(titleOf(report('BUG: Dentry ffff888119d8a000{i=0,n=.index}  still in use (1) [unmount of ramfs ramfs]', [
      'umount_check+0x18d/0x1d0', 'd_walk+0x2a3/0x6f0', 'shrink_dcache_for_umount+0xab/0x190', 'generic_shutdown_super+0x66/0x2c0',
    ]))).toBe('BUG: Dentry still in use in unmount');
  });
  it('names the unwinder\'s bad-register warnings as syzkaller does', () => {
    expect(titleOf("WARNING: kernel stack regs at ffff8801d100fea8 in demo-tool:16059 has bad 'bp' value ffff8801d100ff28")).toBe("WARNING: kernel stack regs has bad 'bp' value");
    expect(titleOf('WARNING: kernel stack frame pointer at         (ptrval) in demo-tool:4492 has bad value         (ptrval)')).toBe('WARNING: kernel stack regs has bad value');
  });
  it('names an irq lock-order inversion by where the lock became irq-safe', () => {
    const text = ['WARNING: HARDIRQ-safe -> HARDIRQ-unsafe lock order detected', 'demo-tool/4242 [HC0[0]:SC0[0]:HE0:SE1] is trying to acquire:',
      'ffff8880120b9168 (&new->fa_lock){.?.+}-{2:2}, at: kill_fasync+0x14b/0x460', '', 'and this task is already holding:',
      'ffff88806a4a6028 (&client->buffer_lock){....}-{2:2}, at: demo_pass_values.part.0+0xf6/0x970', '',
      '... which became HARDIRQ-irq-safe at:', '  lock_acquire+0x29d/0x740', '  _raw_spin_lock_irqsave+0x39/0x50', '  demo_input_event+0x7b/0xb0',
      '  demo_mouse_interrupt+0x304/0xf00', '', 'CPU: 1 PID: 4242 Comm: demo-tool Not tainted 6.8.0-demo #1', 'Call Trace:', ' dump_stack+0x107/0x163',
      ' check_irq_usage.cold+0x4f5/0x6c8', ' lock_acquire+0x29d/0x740', ' _raw_spin_lock+0x2a/0x40', ' kill_fasync+0x14b/0x460', ' demo_pass_values.part.0+0x253/0x970'].join('\n');
    expect(titleOf(text)).toBe('possible deadlock in demo_input_event');
  });
  it('reads the outermost caller of a 32-bit ARM trace, and is not interrupted by a netdev refcount wait', () => {
    const arm = ['INFO: rcu_sched detected stalls on CPUs/tasks:', 'Call trace:', '[<805eb204>] (gic_handle_irq) from [<80101a0c>] (__irq_svc+0x6c/0x90)',
      'Exception stack(0x96737cd8 to 0x96737d20)', '[<80101a0c>] (__irq_svc) from [<80b2f268>] (_raw_spin_unlock_irqrestore+0x1c/0x20)',
      '[<80b2f268>] (_raw_spin_unlock_irqrestore) from [<8029a000>] (demo_wait_client+0x30/0x90)', '[<8029a000>] (demo_wait_client) from [<802918b8>] (do_mount+0x40/0x200)',
      '[<802918b8>] (do_mount) from [<80292a90>] (ksys_mount+0x9c/0x100)', '[<80292a90>] (ksys_mount) from [<80101000>] (ret_fast_syscall+0x0/0x54)'].join('\n');
    const r = parse(arm)[0];
    expect(r.threads[0].frames.map((f) => f.function).at(-1)).toBe('ret_fast_syscall');
    expect(r.title).toBe('INFO: rcu detected stall in mount');
    const hung = report('INFO: task demo-tool:4242 blocked for more than 120 seconds.', [
      'schedule+0x9c/0x1b0', 'schedule_preempt_disabled+0x15/0x20', 'mutex_lock_nested+0x3b0/0x1130', 'demo_copy_ns+0xcc/0x220', 'demo_clone+0x1e4/0x3e0',
    ]).replace(' schedule_preempt_disabled', 'unregister_netdevice: waiting for lo to become free. Usage count = 6\n schedule_preempt_disabled');
    expect(parse(hung).map((x) => x.title)).toEqual(['INFO: task hung in demo_copy_ns']);
  });
  it('reads a header behind a fuzzer\'s own date stamp', () => {
    const text = ['2018/01/09 14:28:48 BUG: memory leak', 'unreferenced object 0xffff88003ff2c680 (size 64):', '  comm "demo-tool", pid 4242, jiffies 4294690000 (age 8.260s)',
      '  backtrace:', '    [<ffffffff81234567>] kmemleak_alloc+0x4a/0x80', '    [<ffffffff81234568>] kmem_cache_alloc+0x12e/0x760',
      '    [<ffffffff81234569>] demo_inode_create+0x3a/0x90', '    [<ffffffff8123456a>] do_syscall_64+0x58/0xc0'].join('\n');
    expect(titleOf(text)).toBe('memory leak in demo_inode_create');
  });
});

describe('kernel reports through analyze()', () => {
  const cases: Array<[string, string, string, string]> = [
    // fixture, kind, crash function, title
    ['null-deref-virtio-scsi.txt', 'null-deref', 'virtscsi_complete_cmd', 'BUG: kernel NULL pointer dereference in virtscsi_complete_cmd'],
    ['kasan-uaf-virtio-scsi.txt', 'use-after-free', 'virtscsi_complete_cmd', 'KASAN: slab-use-after-free Read in virtscsi_complete_cmd'],
    ['warning-scsi-queue-rq.txt', 'kernel-warning', 'scsi_queue_rq', 'WARNING in scsi_queue_rq'],
    ['lockdep-circular.txt', 'deadlock', 'scsi_remove_device', 'possible deadlock in scsi_remove_device'],
    ['kernel-bug-at.txt', 'kernel-bug', 'virtscsi_tmf', 'kernel BUG in virtscsi_tmf'],
    ['kcsan-data-race.txt', 'data-race', 'virtscsi_kick_event', 'KCSAN: data-race in virtscsi_handle_event / virtscsi_kick_event'],
    ['rcu-stall.txt', 'hang', 'demo_ring_ioctl', 'INFO: rcu detected stall in demo_ring_ioctl'],
  ];
  for (const [name, kind, fn, title] of cases) {
    it(`analyses ${name}`, () => {
      const a = analyze(load(name).text, { input: name }) as Analysis;
      expect('error' in a).toBe(false);
      expect(a.format).toBe('kernel');
      expect(a.kind).toBe(kind);
      expect(a.title).toBe(title);
      expect(a.crashFrame?.function).toBe(fn);
      expect(a.message).toBeTruthy();
    });
  }
  it('ignores a fuzzer\'s lines printed into the trace even though ingest strips the timestamps', () => {
    const lines = load('kasan-uaf-virtio-scsi.txt').text.split('\n');
    const at = lines.findIndex((l) => l.includes('Call Trace:')) + 2;
    const noisy = [...lines.slice(0, at), '2026/11/26 01:02:03 executing program 3:',
      ...Array.from({ length: 12 }, (_, i) => `r${i} = openat(0x${i}, 0x0)`), ...lines.slice(at)];
    const a = analyze(noisy.join('\n')) as Analysis;
    expect(a.title).toBe('KASAN: slab-use-after-free Read in virtscsi_complete_cmd');
    expect(a.crashFrame?.function).toBe('virtscsi_complete_cmd');
    expect(a.threads[0].frames.map((f) => f.function)).toContain('entry_SYSCALL_64_after_hwframe');
  });
  it('keeps the KASAN stacks, the access and the crashing task', () => {
    const a = analyze(load('kasan-uaf-virtio-scsi.txt').text) as Analysis;
    expect(a.access).toMatchObject({ type: 'read', size: 4 });
    expect(a.crashingThread).toEqual({ id: '4311', name: 'blkbench' });
    expect(a.stacks.map((s) => s.role).sort()).toEqual(['allocated', 'freed']);
    expect(a.crashFrame?.module).toBe('virtio_scsi');
    const roles = new Map(a.threads[0].frames.map((f) => [f.function, f.role]));
    expect(roles.get('kasan_report')).toBe('crash-handling');
    expect(roles.get('entry_SYSCALL_64_after_hwframe')).toBe('plumbing');
  });
});

describe('kernel format: titles take names and messages as plain text', () => {
  it('keeps a `$&` in a function name and a `{func}` in a panic message as written', () => {
    const warning = [
      '------------[ cut here ]------------',
      'WARNING: CPU: 1 PID: 42 at drivers/scsi/tally.c:88 tally_queue$&+0x1a/0x30 [tally]',
      'Modules linked in: tally',
      'CPU: 1 PID: 42 Comm: kworker/1:1 Not tainted 6.8.0 #1',
      'RIP: 0010:tally_queue$&+0x1a/0x30 [tally]',
      'Call Trace:',
      ' <TASK>',
      ' tally_queue$&+0x1a/0x30 [tally]',
      ' tally_submit+0x44/0x90 [tally]',
      ' </TASK>',
      '---[ end trace 0000000000000000 ]---',
    ].join('\n');
    expect((analyze(warning) as Analysis).title).toBe('WARNING in tally_queue$&');
    const panic = ['Kernel panic - not syncing: tally {func} $` gave up', 'CPU: 0 PID: 1 Comm: init Not tainted 6.8.0 #1', 'Call Trace:', ' <TASK>', ' panic+0x10/0x20', ' tally_init+0x1a/0x30', ' </TASK>'].join('\n');
    const t = (analyze(panic) as Analysis).title ?? '';
    expect(t).toContain('tally {func} $` gave up');
  });
});

describe('kernel: outside a report, only lines holding a trigger are read', () => {
  it('finds the same reports with the candidate-line index as without it, in a log of other tools’ warnings', () => {
    const noise = Array.from({ length: 3000 }, (_, k) => (k % 50 === 0 ? 'WARNING: ThreadSanitizer: data race (pid=4242)' : `    #${k % 9} 0x55d1c2a1b2c4 in berth_scan /src/berth.c:${k}`));
    const oops = readFileSync(join(dir, 'arm64-null-deref.txt'), 'utf8');
    const doc = clean([...noise, oops, ...noise, oops, ...noise].join('\n'));
    expect(candidateLines(doc, ['WARNING: '])).not.toBeNull();
    const withIndex = kernel.find(doc);
    const without = kernel.find({ lines: doc.lines });
    expect(withIndex.length).toBe(2);
    expect(JSON.stringify(withIndex)).toBe(JSON.stringify(without));
  });
});

describe('kernel: the prefixes clean recorded (doc.stamps) stand for the raw lines', () => {
  // Every fixture, then variants that make the raw prefixes matter: caller tags (some lines
  // another task's), lines without a time inside timestamped reports, a tag after a blank,
  // and a raw line over 4000 chars whose cleaned line is not.
  const texts = fixtures.map((f) => readFileSync(join(dir, f), 'utf8'));
  const TIME = /^\[ {0,4}\d{1,5}\.\d{6}\](\[ *[TC]\d+\])?/;
  const variant = (text: string, k: number) => text.split('\n').map((l, i) => {
    const m = TIME.exec(l);
    if (m === null) return l;
    const rest = l.slice(m[0].length);
    switch ((i * 7 + k) % 11) {
      case 0: return `[T${i % 3}]` + rest.trimStart(); // a tag without a time
      case 1: return rest.trimStart(); // no prefix: a foreign program's line
      case 2: return m[0].slice(0, 14) + `[ T${k}]` + rest;
      case 3: return m[0].slice(0, 14) + ` [C${k}]` + rest; // a blank before the tag
      case 4: return m[0].slice(0, 14) + `[       T${k}]` + rest; // seven spaces: clean keeps the tag
      case 5: return m[0].slice(0, 14) + `[T00${k}]` + rest;
      default: return l;
    }
  }).join('\n');
  const long = (text: string) => {
    const lines = text.split('\n');
    const at = Math.min(lines.length - 1, 12);
    lines.splice(at, 0, '[  100.000001] ' + 'x'.repeat(3995));
    return lines.join('\n');
  };
  const cases = [...texts, texts.join('\n'), ...texts.map((t, k) => variant(t, k)), variant(texts.join('\n'), 3), long(texts.join('\n')), ...texts.map(long)];

  it('finds the same reports with the stamps as from the raw text', () => {
    let known = 0;
    for (const text of cases) {
      const bytes = new TextEncoder().encode(text);
      const doc = clean(bytes);
      const bare = clean(bytes);
      expect(doc.stamps).toBeDefined();
      for (const code of doc.stamps!) if (code >= 2) known++;
      delete bare.stamps;
      expect(JSON.stringify(kernel.find(doc))).toBe(JSON.stringify(kernel.find(bare)));
    }
    expect(known).toBeGreaterThan(2000);
  });
});

describe('kernel: frame lines read in the input bytes (doc.bytes) as in the line strings', () => {
  // Frame lines of every shape near the one read in bytes: names a header starts with, `? `,
  // modules, `[inline]`, files, long offsets, non-ASCII, tabs, a header among the frames.
  const shapes = [
    ' f+0x1/0x2', ' ? f+0x1/0x2', '  ?  f+0x1/0x2', '\tf+0x1/0x2 [m]', ' f+0x1/0x2  [mod_a]', ' f+0x1/0x2 [m] [n]', ' f+0x1/0x2 []',
    ' f+0x1/0x2 [inline]', ' f+0x1/0x2 [é]', ' f+0x1/0x2 x.c:12', ' f+0x1/0x2 (P)', ' f+0x12345678901234567/0x2', ' f+0x1/0x12345678901234567',
    ' f+0x1/0x2x', ' f+0x/0x2', ' f+0x1/x2', ' f+0x1/0x', ' f+0xG/0x2', ' 9f+0x1/0x2', ' _f.isra.0+0x1/0x2', ' $f+0x1/0x2', ' f$1+0x1/0x2',
    ' BUG_on+0x1/0x2', ' BUG+0x1/0x2', ' BU+0x1/0x2', ' int3+0x1/0x2', ' int3_handler+0x1/0x2', ' intel_x+0x1/0x2', ' divide_error+0x1/0x2',
    ' kernel_BUG+0x1/0x2', ' kernelBUG+0x1/0x2', ' rcu+0x1/0x2', ' rcu_core+0x1/0x2', ' watchdog+0x1/0x2', ' Oops_x+0x1/0x2', ' INFO+0x1/0x2',
    ' WARNING_x+0x1/0x2', ' stack_segment+0x1/0x2', ' invalid_op+0x1/0x2', ' Kernel+0x1/0x2', ' BUG: KASAN: x in f+0x1/0x2',
    ' <f>::g+0x1/0x2', ' f+0x1/0x2 ', ' f+0x1/0x2\u00a0', ` ${'n'.repeat(252)}+0x1/0x2`, ` ${'n'.repeat(251)}+0x1/0x2`, ` f+0x1/0x2 [${'m'.repeat(600)}]`,
    ' f+0x1/0x2 [m', ' f+0x1/0x2 m]', ' f+0x1/0x2 [m]x', ' 0xffff+0x1/0x2', ' <IRQ>', ' f', '  ',
  ];
  const texts = readdirSync(dir).filter((f) => f.endsWith('.txt')).map((f) => readFileSync(join(dir, f), 'utf8'));
  const inTrace = (text: string, k: number) => text.split('\n').flatMap((l, i) =>
    /^(\[[ .\d]+\](\[ *[TC]\d+\])? )?\s+\S+\+0x/.test(l) && i % 3 === k % 3 ? [l, l.replace(/\S.*$/, shapes[(i + k) % shapes.length])] : [l]).join('\n');

  it('finds the same reports with the bytes as without them', () => {
    let changed = 0;
    for (let k = 0; k < shapes.length; k++) {
      for (const text of [texts.join('\n'), inTrace(texts.join('\n'), k)]) {
        const bytes = Buffer.from(text, 'latin1');
        const doc = clean(bytes);
        const bare = clean(bytes);
        expect(doc.bytes).toBeDefined();
        delete bare.bytes;
        const a = JSON.stringify(kernel.find(doc));
        expect(a).toBe(JSON.stringify(kernel.find(bare)));
        if (text !== texts.join('\n') && a !== JSON.stringify(kernel.find(clean(texts.join('\n'))))) changed++;
      }
    }
    // the shapes reach the reports
    expect(changed).toBeGreaterThan(shapes.length / 2);
  });
});
