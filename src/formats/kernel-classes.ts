/**
 * Linux kernel crash classes as data (syzkaller style: one row per class).
 * Takes: nothing. Gives: KERNEL_CLASSES, read by src/formats/kernel.ts. Each row says how a
 * report header is recognised, which text names its kind (fed to `kindForClass()` of
 * src/diagnose/kind-table.ts), the title template, where the guilty function comes from and
 * which frames are skipped besides the kernel rule pack's crash-handling, library and
 * plumbing frames.
 *
 * Adding a crash class is adding a row. Rows are tried in order for every header-looking
 * line; the first whose `needle` occurs (cheap `includes`/`startsWith`) and whose optional
 * `re` matches wins. Regexes are anchored and have no nested quantifiers.
 *
 * Title templates: `{func}` the guilty function; `{func2}` the second function (KCSAN's
 * other access); `{class}` the class captured by `re` (named group `cls`); `{Access}`
 * `Read`/`Write` from the access line (KASAN); `{msg}` the captured message (group `msg`).
 */
import type { CrashKind } from '../model.js';

/** Where the function named in the title comes from. */
export type GuiltySource =
  /** the first frame of the crashing stack (RIP/pc first) that is not skipped */
  | 'stack'
  /** the function printed in the header (`… at file:line func+0x…`; group `hfunc`) */
  | 'header'
  /** the two functions named in the header (`data-race in a / b`; groups `hfunc`, `hfunc2`) */
  | 'header-pair'
  /** lockdep: the `at:` function of the lock being acquired, else the stack */
  | 'lock'
  /** no function: the title is the template alone */
  | 'none';

export interface KernelClass {
  id: string;
  /** Substring that must occur in the (prefix-stripped) line; tested before `re`. */
  needle: string;
  /** The line must start with `needle` (after prefix stripping and leading blanks). */
  start?: boolean;
  /** Optional anchored extraction; named groups `cls`, `hfunc`, `hfunc2`, `file`, `line`, `addr`, `msg`, `op` (an operation naming the report instead of a frame). */
  re?: RegExp;
  /** Text passed to kindForClass(); `{class}` is replaced by the captured class. */
  kindClass: string;
  /** Kind when kindForClass() knows no row for the text. */
  kind: CrashKind;
  title: string;
  guilty: GuiltySource;
  /** Extra function globs skipped when picking the guilty frame for this class. */
  skip?: string[];
  /** Search for the guilty frame only after the interrupt stack ends (`</IRQ>`), as for RCU stalls. */
  afterIrq?: boolean;
  /**
   * Dispatch frames (globs): when one is found (searching outward from the IRQ end), the
   * guilty frame is the one just inside it — the syscall, timer or softirq handler that ran
   * too long (RCU stalls, lockups).
   */
  anchors?: string[];
  /**
   * Frames that name the report by themselves when the interrupted code is in them
   * (a CPU spinning in `smp_call_function_single` waits for another CPU's IPI): glob → title name.
   */
  pins?: Array<{ glob: string; name?: string }>;
  /** How many frames (not counting crash-handling ones) `pins` looks at; default 2. */
  pinDepth?: number;
  /** For `afterIrq`: frames after which the interrupted code starts (the timer interrupt entry). */
  irqEntry?: string[];
  /** Name the report from the extra stack whose title starts with this (e.g. `page last allocated`), when it has a frame. */
  guiltyStack?: string;
  /** Lockdep reports named by the first lock still held (`#0: (…), at: func+0x…`) when no other line names one. */
  heldLock?: boolean;
  /** Printed by another task in the middle of a report (a netdev refcount wait): ignored while a report is open. */
  notInReport?: boolean;
  /** A header that continues an open report rather than starting a new one (`invalid opcode` after `kernel BUG at`). */
  continues?: string[];
}

/** KASAN/KFENCE bug types → the class text kindForClass() understands. */
export const KASAN_KIND_CLASS: Record<string, string> = {
  'slab-use-after-free': 'use-after-free',
  'use-after-free': 'use-after-free',
  'vmalloc-use-after-free': 'use-after-free',
  'slab-out-of-bounds': 'heap-buffer-overflow',
  'vmalloc-out-of-bounds': 'heap-buffer-overflow',
  'out-of-bounds': 'heap-buffer-overflow',
  'stack-out-of-bounds': 'stack-buffer-overflow',
  'global-out-of-bounds': 'global-buffer-overflow',
  'double-free': 'double-free',
  'double-free or invalid-free': 'invalid free',
  'invalid-free': 'invalid free',
  'invalid free': 'invalid free',
  'null-ptr-deref': 'kernel null pointer dereference',
  'wild-memory-access': 'segv',
  'user-memory-access': 'segv',
  'invalid-access': 'segv',
  'invalid read': 'segv',
  'invalid write': 'segv',
  'memory corruption': 'heap-corruption',
  'corrupted': 'corrupted',
};

/**
 * WARNING/kernel BUG raised from a checking helper: the file that fired names the bug
 * (`lib/refcount.c` → refcount bug). Tested by suffix of the reported path.
 */
export const HELPER_FILES: Array<{ file: string; func?: string; warning: string; bug?: string; skip?: string[] }> = [
  { file: 'lib/refcount.c', warning: 'WARNING: refcount bug', skip: ['*refcount*', '*kobject_*'] },
  // the users of debug objects (timers, works, RCU heads, per-cpu counters) are helpers too
  { file: 'lib/debugobjects.c', warning: 'WARNING: ODEBUG bug', skip: ['debug_*', '*rcu*', '*hrtimer_*', '*timer_*', '*work_*', '*percpu_*', '*vunmap*', '*vfree*', '*__free_*', '*kobject_*'] },
  { file: 'kernel/locking/lockdep.c', warning: 'WARNING: locking bug', skip: ['lock_sock*', 'release_sock'] },
  { file: 'kernel/locking/mutex.c', warning: 'WARNING: locking bug', skip: ['lock_sock*', 'release_sock'] },
  { file: 'mm/usercopy.c', warning: 'WARNING: bad usercopy', bug: 'BUG: bad usercopy', skip: ['*usercopy*', '*__check*'] },
  { file: 'lib/list_debug.c', warning: 'WARNING: corrupted list', bug: 'BUG: corrupted list' },
  { file: 'mm/slab_common.c', func: 'kmalloc_slab', warning: 'WARNING: kmalloc bug', skip: ['*kmalloc*', '*krealloc*', '*slab*', '*kmem*'] },
  { file: 'fs/proc/generic.c', warning: 'WARNING: proc registration bug', skip: ['*proc_*'] },
  { file: 'lib/kobject.c', warning: 'WARNING: kobject bug', skip: ['*kobject_*'] },
  { file: 'mm/vmalloc.c', warning: 'WARNING: zero-size vmalloc' },
];

const TIMER_IRQ_ENTRY = [
  'apic_timer_interrupt', 'smp_apic_timer_interrupt_entry*', 'smp_apic_timer_interrupt', 'sysvec_apic_timer_interrupt', 'asm_sysvec_apic_timer_interrupt',
  '__sysvec_apic_timer_interrupt', 'el1_interrupt', 'el1h_64_irq', 'el1_irq', 'gic_handle_irq', '__irq_svc',
];
const STALL_PINS = [{ glob: 'smp_call_function*', name: 'smp_call_function' }];
/**
 * Dispatch frames for stalls, lockups and stack overflows: the looping (or deeply recursing)
 * code is named by the frame just inside the first of these, counting from the interrupted
 * frame outwards — the syscall, work item, timer, softirq or file/socket operation that ran.
 * For syscalls that many drivers share (ioctl, read, write, sendmsg, connect) the anchor is the
 * generic layer, so the frame inside it names the driver or protocol. Matched against the name
 * with its clone suffix dropped and against its syscall name (`__x64_sys_ioctl` → `sys_ioctl`).
 */
const STALL_ANCHORS = [
  // entry points: syscalls, work items, timers, softirqs, kthreads, idle
  'process_one_work', '*do_syscall_*', '*do_fast_syscall_*', '*sysenter_dispatch*', '*tracesys_phase2*', '*el0_svc_handler*',
  '*invoke_syscall*', '*ret_fast_syscall*', '*netif_receive_skb*', '*do_softirq*', '*call_timer_fn*', '*_run_timers*',
  '*run_timer_softirq*', '*hrtimer_run*', '*run_ksoftirqd*', '*smpboot_thread_fn*', 'kthread', '*start_secondary*',
  '*cpu_startup_entry*', '*ret_from_fork*', '*tasklet_action*', '*tasklet_hi_action*',
  // file operations shared by every driver
  '*vfs_write*', '*vfs_read*', '*vfs_iter_read*', '*vfs_iter_write*', '*do_iter_read*', '*do_iter_write*', '*call_read_iter*',
  '*call_write_iter*', '*new_sync_read*', '*new_sync_write*', '*vfs_ioctl*', '*ksys_ioctl*', '*compat_ioctl*', '*compat_sys_ioctl*',
  '*blkdev_driver_ioctl*', '*blkdev_ioctl*', '*do_iter_readv_writev*', 'call_mmap*', '*mmap_region*', '*do_mmap*', '*do_dentry_open*', '*vfs_open*',
  // socket operations shared by every protocol
  'sock_sendmsg*', 'sock_recvmsg*', 'sock_release*', '__sock_release*', 'setsockopt', '*kernel_setsockopt*', '*sock_common_setsockopt*',
  'listen', '*kernel_listen*', '*sk_common_release*', 'sock_mmap*', 'accept', '*kernel_accept*', 'sock_do_ioctl*', 'sock_ioctl*',
  'compat_sock_ioctl*', 'nfnetlink_rcv_msg*', 'rtnetlink_rcv_msg*', 'netlink_dump*', 'sys_socketpair*', 'sys_connect*', 'sys_ioctl*',
  'socketpair*', 'connect*', 'ioctl*',
  // page faults and the work run on the way back to user space
  '*__do_fault*', '*do_page_fault*', 'page_fault', '*__fput*', '*task_work_run*', '*exit_to_usermode*',
  // a CPU waiting for another CPU's IPI: named by the wait itself (see STALL_PINS)
  '*smp_call_function*',
];
const LOCKDEP_SKIP = [
  'lock_sock_nested', 'lock_sock', '*spin_lock*', '*spin_unlock*', '*read_lock*', '*write_lock*', 'down_*', 'up_*', 'reacquire_held_locks',
  'mutex_*', '__mutex_*', 'kill_fasync', '__kill_fasync',
];
/** A hung task sleeps inside scheduling, waiting, locking and completion code: the frame outside all of it names the hang. */
const HANG_SKIP = [
  '*sched*', '*_lock*', '*_slowlock*', '*down*', '*rwsem*', '*completion*', '*kthread*', '*wait*', '*synchronize*',
  '*context_switch*', '*__switch_to*', '*cancel_delayed_work*', '*rcu_barrier*', 'flush_work', '__flush_work', 'flush_workqueue', '__flush_workqueue',
  'ldsem_*', '__cancel_work*', 'cancel_work_sync', 'do_read_cache_folio', 'do_read_cache_page', 'console_lock',
];
/**
 * Hangs that are one bug wherever they show up: every task stuck behind the RTNL lock, and
 * every task waiting for an RCU grace period (whose cause is whatever stalls RCU).
 */
const HANG_PINS = [
  { glob: '*rtnl_lock*' },
  { glob: '*synchronize_rcu*', name: 'synchronize_rcu' }, { glob: '*synchronize_srcu*', name: 'synchronize_rcu' },
  { glob: '*synchronize_net*', name: 'synchronize_rcu' }, { glob: '*synchronize_sched*', name: 'synchronize_rcu' },
];
const LEAK_SKIP = ['*alloc*', 'create_object*', '*kmemleak*', '*mmap*', '*kmem*', '*slab*', 'idr_get*', 'list_lru_init*', '*pcpu_create*', 'kstrdup*', 'kmemdup*', 'kvasprintf*', 'kasprintf', 'memdup_user*'];
/** A spinlock report fires inside the lock operation: every `spin_`, `_lock` and `_unlock` frame is the lock's own. */
const SPINLOCK_SKIP = ['*spin_*', '*_lock*', '*_unlock*'];
/** KMSAN: allocation and netlink plumbing, and generic crypto where the uninit value is only consumed. */
const KMSAN_SKIP = ['*alloc_skb*', 'netlink_ack', 'netlink_rcv_skb', '*_encrypt', 'crypto_*', 'cipher_*', 'drbg_*', 'rng_*'];

export const KERNEL_CLASSES: KernelClass[] = [
  {
    id: 'ppc-data-access',
    needle: 'BUG: Unable to handle kernel data access',
    start: true,
    re: /^BUG: Unable to handle kernel data access (?:on (?:read|write) )?at (?<addr>0x[0-9a-f]{1,16})/,
    kindClass: 'unable to handle kernel paging request', kind: 'segv',
    title: 'BUG: unable to handle kernel paging request in {func}', guilty: 'stack',
  },
  {
    id: 'dentry-in-use',
    needle: 'still in use',
    // `… still in use (1) [unmount of ext4 loop4]`: named by the operation (group `op`), not by a frame
    re: /^BUG: Dentry [0-9a-f]{1,16}\{.{0,200}\} {1,4}still in use(?: \([0-9]{1,6}\) \[(?<op>unmount) of )?/,
    kindClass: 'kernel bug at', kind: 'kernel-bug',
    title: 'BUG: Dentry still in use in {func}', guilty: 'stack', skip: ['umount_check', 'd_walk', 'shrink_dcache_for_umount', 'do_one_tree'],
    continues: ['------------[ cut here ]', 'WARNING: CPU: '],
  },
  {
    id: 'netdev-refcount',
    needle: 'unregister_netdevice: waiting for ',
    start: true,
    kindClass: 'blocked for more than', kind: 'hang',
    title: 'unregister_netdevice: waiting for DEV to become free', guilty: 'none', notInReport: true,
  },
  {
    id: 'rss-counter',
    needle: 'BUG: Bad rss-counter state',
    start: true,
    kindClass: 'bad page state', kind: 'heap-corruption',
    title: 'BUG: Bad rss-counter state', guilty: 'none',
  },
  {
    id: 'vfs-busy-inodes',
    needle: 'VFS: Busy inodes after unmount',
    start: true,
    kindClass: 'use-after-free', kind: 'use-after-free',
    title: 'VFS: Busy inodes after unmount (use-after-free)', guilty: 'none',
  },
  {
    id: 'vfs-file-count',
    needle: 'VFS: Close: file count is 0',
    start: true,
    kindClass: 'use-after-free', kind: 'use-after-free',
    title: 'VFS: Close: file count is zero (use-after-free)', guilty: 'none',
  },
  {
    // the unwinder found a bad register value; with the address hashed (`(ptrval)`) syzkaller folds both kinds into one title
    id: 'stack-regs',
    needle: 'WARNING: kernel stack regs at ',
    re: /^WARNING: kernel stack regs at [0-9a-f]{1,16} in [^ ]{1,80} has bad (?<msg>'[^']{1,10}') value/,
    kindClass: 'warning:', kind: 'kernel-warning',
    title: 'WARNING: kernel stack regs has bad {msg} value', guilty: 'none',
  },
  {
    id: 'stack-frame-pointer',
    needle: 'WARNING: kernel stack frame pointer at ',
    re: /^WARNING: kernel stack frame pointer at [0-9a-f]{1,16} in [^ ]{1,80} has bad value/,
    kindClass: 'warning:', kind: 'kernel-warning',
    title: 'WARNING: kernel stack frame pointer has bad value', guilty: 'none',
  },
  {
    id: 'stack-regs-hashed',
    needle: 'WARNING: kernel stack ',
    re: /^WARNING: kernel stack (?:regs|frame pointer) at .{1,80} has bad/,
    kindClass: 'warning:', kind: 'kernel-warning',
    title: 'WARNING: kernel stack regs has bad value', guilty: 'none',
  },
  {
    id: 'kasan',
    needle: 'BUG: KASAN: ',
    re: /^BUG: KASAN: (?<cls>[a-z][a-z -]*?) in (?<hfunc>[^ ]+)/,
    kindClass: '{class}', kind: 'segv',
    title: 'KASAN: {class} {Access} in {func}', guilty: 'stack',
    // hardware tag-based KASAN reports from the arm64 fault path; a bad free is the caller's
    skip: ['*kernel_fault*', '*tag_check*', '*mem_abort*', 'el1_*', 'el1h_*', '*vunmap*', '*vfree*'],
  },
  {
    id: 'kfence',
    needle: 'BUG: KFENCE: ',
    re: /^BUG: KFENCE: (?<cls>[a-z][a-z -]*?) in (?<hfunc>[^ ]+)/,
    kindClass: '{class}', kind: 'segv',
    title: 'KFENCE: {class} in {func}', guilty: 'stack',
  },
  {
    id: 'kmsan',
    needle: 'BUG: KMSAN: ',
    re: /^BUG: KMSAN: (?<cls>[a-z][a-z-]*) in (?<hfunc>[^ ]+)/,
    kindClass: 'kmsan', kind: 'uninitialized-value',
    title: 'KMSAN: {class} in {func}', guilty: 'stack', skip: KMSAN_SKIP,
  },
  {
    id: 'kcsan',
    needle: 'BUG: KCSAN: ',
    re: /^BUG: KCSAN: (?<cls>[a-z][a-z: -]*?) in (?<hfunc>[^ ]+)(?: \/ (?<hfunc2>[^ ]+))?/,
    kindClass: 'kcsan', kind: 'data-race',
    title: 'KCSAN: {class} in {func}', guilty: 'header-pair',
  },
  {
    id: 'null-deref',
    needle: 'BUG: kernel NULL pointer dereference',
    start: true,
    re: /^BUG: kernel NULL pointer dereference, address: (?<addr>[0-9a-fx]+)/,
    kindClass: 'kernel null pointer dereference', kind: 'null-deref',
    title: 'BUG: kernel NULL pointer dereference in {func}', guilty: 'stack',
  },
  {
    id: 'null-deref-old',
    needle: 'BUG: unable to handle kernel NULL pointer dereference',
    start: true,
    re: /^BUG: unable to handle kernel NULL pointer dereference(?: at (?<addr>[0-9a-fx]+))?/,
    kindClass: 'kernel null pointer dereference', kind: 'null-deref',
    title: 'BUG: unable to handle kernel NULL pointer dereference in {func}', guilty: 'stack',
  },
  {
    id: 'arm-null-deref',
    needle: 'Unable to handle kernel NULL pointer dereference',
    start: true,
    re: /^Unable to handle kernel NULL pointer dereference at virtual address (?<addr>[0-9a-fx]+)/,
    kindClass: 'kernel null pointer dereference', kind: 'null-deref',
    title: 'BUG: unable to handle kernel NULL pointer dereference in {func}', guilty: 'stack',
    continues: ['Internal error: ', 'Mem abort info'],
  },
  {
    id: 'page-fault',
    needle: 'BUG: unable to handle page fault for address',
    start: true,
    re: /^BUG: unable to handle page fault for address: ?(?<addr>[0-9a-fx]+)/,
    kindClass: 'unable to handle page fault', kind: 'segv',
    title: 'BUG: unable to handle kernel paging request in {func}', guilty: 'stack',
  },
  {
    id: 'paging-request',
    needle: 'BUG: unable to handle kernel paging request',
    start: true,
    re: /^BUG: unable to handle kernel paging request at (?<addr>[0-9a-fx]+)/,
    kindClass: 'unable to handle kernel paging request', kind: 'segv',
    title: 'BUG: unable to handle kernel paging request in {func}', guilty: 'stack',
  },
  {
    id: 'arm-paging-request',
    needle: 'Unable to handle kernel paging request',
    start: true,
    re: /^Unable to handle kernel paging request at virtual address (?<addr>[0-9a-fx]+)/,
    kindClass: 'unable to handle kernel paging request', kind: 'segv',
    title: 'BUG: unable to handle kernel paging request in {func}', guilty: 'stack',
    continues: ['Internal error: ', 'Mem abort info'],
  },
  {
    id: 'arm-user-access',
    needle: 'Unable to handle kernel access to user memory',
    start: true,
    kindClass: 'unable to handle kernel paging request', kind: 'segv',
    title: 'BUG: unable to handle kernel access to user memory in {func}', guilty: 'stack',
    continues: ['Internal error: ', 'Mem abort info'],
  },
  {
    id: 'gpf',
    needle: 'general protection fault',
    re: /^(?:Oops: )?(?:segment-related )?general protection fault/,
    kindClass: 'general protection fault', kind: 'segv',
    title: 'general protection fault in {func}', guilty: 'stack',
  },
  {
    id: 'kernel-bug',
    needle: 'kernel BUG at ',
    re: /^(?:------------\[ cut here \]------------ ?)?kernel BUG at (?<file>[^ :]+):(?<line>[0-9]+)!/,
    kindClass: 'kernel bug at', kind: 'kernel-bug',
    title: 'kernel BUG in {func}', guilty: 'stack', skip: ['skb_*'],
    continues: ['invalid opcode:', 'Oops: invalid opcode:', 'Internal error: Oops - BUG:', 'Oops - BUG:'],
  },
  {
    id: 'warning',
    needle: 'WARNING: CPU: ',
    start: true,
    re: /^WARNING: CPU: [0-9]+ (?:UID: [0-9]+ )?PID: (?<pid>[0-9]+) at (?<file>[^ :]+):(?<line>[0-9]+) (?<hfunc>[^ ]+)/,
    kindClass: 'warning:', kind: 'kernel-warning',
    title: 'WARNING in {func}', guilty: 'header',
  },
  {
    // 6.18+: `WARNING: [cond] fs/dcache.c:829 at fast_dput+0x334/0x430, CPU#0: comm/6007`
    id: 'warning-new',
    needle: 'WARNING: ',
    start: true,
    re: /^WARNING: (?:\[[^\]]{0,200}\] )?(?<file>[^ :\[]+):(?<line>[0-9]+) at (?:(?<hfunc>[A-Za-z_.][^ ,]*)|0x[0-9a-f]{1,16}), CPU#[0-9]+: (?<task>[^ ]+)/,
    kindClass: 'warning:', kind: 'kernel-warning',
    title: 'WARNING in {func}', guilty: 'header',
  },
  {
    id: 'warning-bare',
    needle: 'WARNING: at ',
    start: true,
    re: /^WARNING: at (?<file>[^ :]+):(?<line>[0-9]+) (?<hfunc>[^ ]+)/,
    kindClass: 'warning:', kind: 'kernel-warning',
    title: 'WARNING in {func}', guilty: 'header',
  },
  {
    id: 'lockdep-circular',
    needle: 'possible circular locking dependency detected',
    kindClass: 'possible circular locking dependency', kind: 'deadlock',
    title: 'possible deadlock in {func}', guilty: 'lock', skip: [...LOCKDEP_SKIP, 'process_one_work', 'flush_workqueue', 'drain_workqueue', 'destroy_workqueue'],
  },
  {
    id: 'lockdep-recursive',
    needle: 'possible recursive locking detected',
    kindClass: 'possible recursive locking', kind: 'deadlock',
    title: 'possible deadlock in {func}', guilty: 'lock', skip: LOCKDEP_SKIP,
  },
  {
    id: 'lockdep-irq',
    needle: 'possible irq lock inversion dependency detected',
    kindClass: 'possible circular locking dependency', kind: 'deadlock',
    title: 'possible deadlock in {func}', guilty: 'lock', skip: LOCKDEP_SKIP,
  },
  {
    id: 'lockdep-irq-order',
    needle: '-unsafe lock order detected',
    re: /^WARNING: [A-Z]{1,12}-safe -> [A-Z]{1,12}-unsafe lock order detected/,
    kindClass: 'possible circular locking dependency', kind: 'deadlock',
    title: 'possible deadlock in {func}', guilty: 'lock', skip: LOCKDEP_SKIP,
  },
  {
    id: 'lockdep-wait-context',
    needle: 'BUG: Invalid wait context',
    kindClass: 'lockdep', kind: 'kernel-bug',
    title: 'WARNING: locking bug in {func}', guilty: 'stack', skip: LOCKDEP_SKIP,
  },
  {
    id: 'lockdep-max-entries',
    needle: 'BUG: MAX_STACK_TRACE_ENTRIES too low!',
    kindClass: 'lockdep', kind: 'kernel-bug',
    title: 'BUG: MAX_STACK_TRACE_ENTRIES too low!', guilty: 'none',
  },
  {
    id: 'lockdep-inconsistent',
    needle: 'inconsistent lock state',
    re: /^(?:WARNING: |\[ INFO: )inconsistent lock state/,
    kindClass: 'possible circular locking dependency', kind: 'deadlock',
    title: 'inconsistent lock state in {func}', guilty: 'stack', skip: LOCKDEP_SKIP,
  },
  {
    id: 'lockdep-bad-unlock',
    needle: 'bad unlock balance detected',
    re: /^(?:\[ )?(?<cls>WARNING|BUG): bad unlock balance detected/,
    kindClass: 'lockdep', kind: 'kernel-bug',
    title: '{class}: bad unlock balance in {func}', guilty: 'lock', skip: LOCKDEP_SKIP,
  },
  {
    id: 'lockdep-held-freed',
    needle: 'held lock freed',
    re: /^(?:\[ )?(?<cls>WARNING|BUG): held lock freed/,
    kindClass: 'lockdep', kind: 'kernel-bug',
    title: '{class}: held lock freed in {func}', guilty: 'lock', heldLock: true, skip: LOCKDEP_SKIP,
  },
  {
    id: 'lockdep-return-user',
    needle: 'lock held when returning to user space',
    re: /^(?:\[ )?(?<cls>WARNING|BUG): lock held when returning to user space/,
    kindClass: 'lockdep', kind: 'kernel-bug',
    title: '{class}: lock held when returning to user space in {func}', guilty: 'lock', heldLock: true, skip: LOCKDEP_SKIP,
  },
  {
    id: 'lockdep-still-held',
    needle: 'still has locks held',
    re: /^(?:\[ )?(?<cls>WARNING|BUG): [^ ]+ still has locks held/,
    kindClass: 'lockdep', kind: 'kernel-bug',
    title: '{class}: still has locks held in {func}', guilty: 'lock', heldLock: true, skip: LOCKDEP_SKIP,
  },
  {
    id: 'lockdep-nonstatic-key',
    needle: 'INFO: trying to register non-static key',
    start: true,
    kindClass: 'lockdep', kind: 'kernel-bug',
    title: 'INFO: trying to register non-static key in {func}', guilty: 'stack', skip: [...LOCKDEP_SKIP, '*stack*', '*lock*', '*IRQ*'],
  },
  {
    id: 'suspicious-rcu',
    needle: 'suspicious RCU usage',
    re: /^(?:\[ )?(?<cls>WARNING|INFO): suspicious RCU usage/,
    kindClass: 'warning:', kind: 'kernel-warning',
    title: '{class}: suspicious RCU usage in {func}', guilty: 'stack', skip: ['*rcu*', '*kmem*', '*slab*'],
  },
  {
    id: 'hung-task',
    needle: 'INFO: task ',
    start: true,
    re: /^INFO: task (?<comm>.{1,64}):(?<pid>[0-9]+) blocked (?:in I\/O wait )?for more than (?<secs>[0-9]+) seconds/,
    kindClass: 'blocked for more than', kind: 'hang',
    title: 'INFO: task hung in {func}', guilty: 'stack', skip: HANG_SKIP, pins: HANG_PINS, pinDepth: 1000,
  },
  {
    id: 'task-cant-die',
    needle: 'INFO: task ',
    start: true,
    re: /^INFO: task (?<comm>.{1,64}):(?<pid>[0-9]+) can't die for more than/,
    kindClass: 'blocked for more than', kind: 'hang',
    title: "INFO: task can't die in {func}", guilty: 'stack', skip: ['*schedule*'],
  },

  {
    id: 'rcu-stall',
    needle: 'detected stall',
    re: /^(?:rcu: )?INFO: rcu_(?:sched|preempt|bh) (?:self-)?detected stalls?/,
    kindClass: 'rcu detected stall', kind: 'hang',
    title: 'INFO: rcu detected stall in {func}', guilty: 'stack', skip: ['*apic_timer_interrupt*', '*rcu*'], afterIrq: true, anchors: STALL_ANCHORS, irqEntry: TIMER_IRQ_ENTRY, pins: STALL_PINS,
  },
  {
    id: 'soft-lockup',
    needle: 'BUG: soft lockup',
    re: /^(?:watchdog: |NMI watchdog: )?BUG: soft lockup - CPU#(?<cpu>[0-9]+) stuck for/,
    kindClass: 'soft lockup', kind: 'hang',
    // the watchdog prints the locked-up CPU's registers and stack: read from its RIP outwards
    title: 'BUG: soft lockup in {func}', guilty: 'stack', anchors: STALL_ANCHORS, pins: STALL_PINS,
  },
  {
    id: 'hard-lockup',
    needle: 'hard LOCKUP',
    re: /^(?:NMI watchdog: |watchdog: )?Watchdog detected hard LOCKUP on cpu (?<cpu>[0-9]+)/,
    kindClass: 'hard lockup', kind: 'hang',
    title: 'BUG: hard lockup in {func}', guilty: 'stack',
  },
  {
    id: 'workqueue-lockup',
    needle: 'BUG: workqueue lockup',
    start: true,
    kindClass: 'soft lockup', kind: 'hang',
    title: 'BUG: workqueue lockup', guilty: 'none',
  },
  {
    id: 'ubsan',
    needle: 'UBSAN: ',
    start: true,
    re: /^UBSAN: (?<cls>[A-Za-z][A-Za-z -]*?) in (?<file>[^ :]+):(?<line>[0-9]+)/,
    kindClass: 'ubsan: {class}', kind: 'undefined-behavior',
    title: 'UBSAN: {class} in {func}', guilty: 'stack', skip: ['*ubsan*', '*overflow*'],
  },
  {
    id: 'sleep-invalid',
    needle: 'BUG: sleeping function called from invalid context',
    start: true,
    kindClass: 'atomic sleep', kind: 'kernel-bug',
    title: 'BUG: sleeping function called from invalid context in {func}', guilty: 'stack',
    skip: ['*might_sleep*', '*might_resched*', '*might_fault*'],
  },
  {
    id: 'atomic-schedule',
    needle: 'BUG: scheduling while atomic',
    start: true,
    kindClass: 'atomic sleep', kind: 'kernel-bug',
    title: 'BUG: scheduling while atomic in {func}', guilty: 'stack', skip: ['*schedule*', 'irqentry_exit*'],
  },
  {
    id: 'preemptible',
    needle: ' in preemptible ',
    re: /^BUG: using (?<cls>[a-z_]+\(\)) in preemptible/,
    kindClass: 'preemptible', kind: 'kernel-bug',
    title: 'BUG: using {class} in preemptible code in {func}', guilty: 'stack',
    skip: ['*preempt*', 'debug_*', '*processor_id*', '*this_cpu*'],
  },
  {
    id: 'stack-guard',
    needle: 'stack guard page was hit',
    re: /^BUG: (?:TASK |IRQ )?stack guard page was hit/,
    kindClass: 'stack overflow', kind: 'stack-overflow',
    title: 'BUG: stack guard page was hit in {func}', guilty: 'stack', anchors: STALL_ANCHORS,
  },
  {
    id: 'spinlock',
    needle: 'BUG: spinlock ',
    re: /^BUG: (?<cls>spinlock [a-z ]+?) on CPU#/,
    kindClass: 'lockdep', kind: 'kernel-bug',
    title: 'BUG: {class} in {func}', guilty: 'stack', skip: SPINLOCK_SKIP,
  },
  {
    id: 'rwlock',
    needle: 'BUG: rwlock ',
    re: /^BUG: (?<cls>rwlock [a-z ]+?) on CPU#/,
    kindClass: 'lockdep', kind: 'kernel-bug',
    title: 'BUG: {class} in {func}', guilty: 'stack', skip: SPINLOCK_SKIP,
  },
  {
    id: 'workqueue-leak',
    needle: 'BUG: workqueue leaked lock or atomic',
    start: true,
    kindClass: 'lockdep', kind: 'kernel-bug',
    title: 'BUG: workqueue leaked lock or atomic in {func}', guilty: 'lock',
  },
  {
    id: 'memory-leak',
    needle: 'BUG: memory leak',
    kindClass: 'memory leak', kind: 'leak',
    title: 'memory leak in {func}', guilty: 'stack', skip: LEAK_SKIP,
  },
  {
    id: 'bad-page',
    needle: 'BUG: Bad page state',
    start: true,
    kindClass: 'bad page state', kind: 'heap-corruption',
    title: 'BUG: Bad page state in {func}', guilty: 'stack', guiltyStack: 'page last allocated',
    // the page's allocator and its freeing helpers are passed over
    skip: ['*free_page*', '*put_page*', '*get_page*', '*update_page*', '*release_page*', 'free_unref*', 'folio*', '_folio*', '__folio*', 'truncate_inode_pages*', 'page_frag_free', '*alloc*', '*vmap*', '*page_owner*'],
  },
  {
    id: 'divide-error',
    needle: 'divide error: ',
    re: /^(?:Oops: )?divide(?: |_)error: /,
    kindClass: 'arithmetic exception', kind: 'fpe',
    title: 'divide error in {func}', guilty: 'stack',
  },
  {
    id: 'divide-error2',
    needle: 'divide_error: ',
    re: /^(?:Oops: )?divide_error: /,
    kindClass: 'arithmetic exception', kind: 'fpe',
    title: 'divide error in {func}', guilty: 'stack',
  },
  {
    id: 'invalid-opcode',
    needle: 'invalid opcode: ',
    re: /^(?:Oops: )?invalid opcode: /,
    kindClass: 'illegal instruction', kind: 'illegal-instruction',
    title: 'invalid opcode in {func}', guilty: 'stack',
  },
  {
    id: 'stack-segment',
    needle: 'stack segment: ',
    re: /^(?:Oops: )?stack segment: /,
    kindClass: 'general protection fault', kind: 'segv',
    title: 'stack segment fault in {func}', guilty: 'stack',
  },
  {
    id: 'int3',
    needle: 'int3: ',
    re: /^(?:Oops: )?int3: /,
    kindClass: 'int3', kind: 'kernel-bug',
    title: 'int3 in {func}', guilty: 'stack',
  },
  {
    id: 'double-fault',
    needle: 'PANIC: double fault',
    start: true,
    kindClass: 'kernel panic', kind: 'kernel-bug',
    title: 'PANIC: double fault in {func}', guilty: 'stack',
  },
  {
    id: 'arm-internal-error',
    needle: 'Internal error: ',
    re: /^Internal error: (?<msg>[^:]{1,80}):.{0,40}\[#[0-9]{1,4}\]/,
    kindClass: 'segv', kind: 'segv',
    title: 'Internal error in {func}', guilty: 'stack',
  },
  {
    id: 'arm-unhandled-fault',
    needle: 'Unhandled fault: ',
    start: true,
    re: /^Unhandled fault: .{1,80} at 0x[0-9a-f]{1,16}/,
    kindClass: 'segv', kind: 'segv',
    title: 'Unhandled fault in {func}', guilty: 'stack',
  },
  {
    id: 'stack-protector',
    needle: 'Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in',
    start: true,
    re: /^Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: (?<hfunc>[^ ]+)/,
    kindClass: 'stack smashing detected', kind: 'stack-smashing',
    title: 'kernel panic: stack is corrupted in {func}', guilty: 'header',
  },
  {
    id: 'stack-end-corrupted',
    needle: 'Kernel panic - not syncing: corrupted stack end detected inside scheduler',
    start: true,
    kindClass: 'stack smashing detected', kind: 'stack-smashing',
    title: 'kernel panic: corrupted stack end in {func}', guilty: 'stack', skip: ['*schedule*', 'retint_kernel'], anchors: STALL_ANCHORS,
  },
  {
    id: 'kernel-stack-overflow',
    needle: 'Kernel panic - not syncing: kernel stack overflow',
    start: true,
    kindClass: 'stack overflow', kind: 'stack-overflow',
    title: 'kernel stack overflow in {func}', guilty: 'stack', skip: ['*bad_stack*'], anchors: STALL_ANCHORS,
  },
  {
    id: 'panic',
    needle: 'Kernel panic - not syncing: ',
    start: true,
    re: /^Kernel panic - not syncing: (?<msg>.{1,200})/,
    kindClass: 'kernel panic', kind: 'kernel-bug',
    title: 'kernel panic: {msg}', guilty: 'none',
  },
];

/**
 * Kernel helpers whose names are too generic for a rule pack (packs apply to every format:
 * `list_add`, `sort`, `complete`, `worker_thread` or `die` can be a user program's own
 * function). The kernel parser gives these roles to kernel frames only, as `roleHint`.
 */
export const KERNEL_LOCAL_ROLES: Record<'library' | 'crash-handling' | 'plumbing', string[]> = {
  library: [
    '__cancel_work_timer', 'cancel_work*', 'cancel_delayed_work*', '__cancel_work*', 'rollback_registered*', 'unregister_netdevice*', 'unregister_netdev', 'i2c_del_adapter', '__unregister_client', 'device_for_each_child',
    '__kobject_*', 'free_unref_*', '__free_one_page', 'free_pcppages_bulk', '_compound_head', 'compound_head', '__read_once_word_nocheck', 'read_once_word_nocheck', '_atomic_dec_and_lock*', 'atomic_dec_and_lock*', 'simple_copy_to_iter', '*copy_to_iter*', '*copy_from_iter*', '__lock_page', 'lock_page', '__folio_lock*',
    'lock_sock_nested', 'lock_sock', 'release_sock', '__sk_destruct', 'sk_destruct', '__sk_free', 'sk_free', 'sock_put', 'call_rcu*', 'proc_register', 'proc_create*', 'proc_mkdir*', '__proc_create',
    'skb_put', 'skb_push', 'skb_pull', '__skb_put', '__skb_push', '__skb_pull', 'folio_unlock', 'folio_lock', 'device_add', 'device_release',
    'dpm_sysfs_remove', 'device_remove_file', 'device_destroy', 'device_link_*', 'drop_nlink', 'inc_nlink', 'clear_nlink', 'klist_*', 'try_to_grab_pending', '__queue_work', 'queue_work_on', 'queue_delayed_work_on',
    'destroy_workqueue', 'rhashtable_*', 'rht_*', 'crc16', 'crc_itu_t', 'crc_t10dif*', 'va_format', 'hex_dump_to_buffer', 'free_large_kmalloc', 'cleanup_srcu_struct', 'iput', 'dput', 'fast_dput',
    'memcpy', 'memmove', 'memset', 'memcmp', 'bcmp', 'down_read*', 'down_write*', 'up_read', 'up_write',
    'down', 'up', 'refcount_*', '__refcount_*', 'kref_*', 'list_*', '__list_*', 'hlist_*', '__hlist_*', 'rb_*',
    '__rb_*', 'rb_erase*', 'rb_insert*', 'radix_tree_*', '__radix_tree_*', 'xa_*', 'xas_*', '__xa_*', 'idr_*',
    'ida_*', 'atomic_*', 'arch_atomic*', '__atomic_*', 'atomic64_*', '__wake_up*', 'wake_up_*', 'complete',
    'complete_all', 'wait_for_completion*', 'schedule', 'printk', 'vsnprintf', 'snprintf', 'sprintf',
    'scnprintf', 'vscnprintf', 'print_hex_dump*', 'bitmap_*', '__bitmap_*', 'find_next_bit', 'find_first_bit',
    'sort', 'bsearch', 'crc32*', 'mod_timer', 'add_timer', 'del_timer*', 'strcpy', 'strncpy', 'strlcpy',
    'strscpy', 'strscpy_pad', 'strcat', 'strncat', 'strlcat', 'strcmp', 'strncmp', 'strcasecmp', 'strncasecmp',
    'strnlen', 'strlen', 'strchr', 'strrchr', 'strnchr', 'strstr', 'strnstr', 'strsep', 'strpbrk', 'strspn',
    'strcspn', 'strim', 'skip_spaces', 'memchr', 'memchr_inv', 'memscan', 'device_del', 'put_device',
    'device_unregister', 'finish_wait', 'prepare_to_wait*', 'hex_string', 'string', 'pointer', 'format_decode',
    'ktime_get*', 'sched_clock*', 'set_bit', 'clear_bit', 'test_bit', 'change_bit', 'test_and_set_bit',
    'test_and_clear_bit', '__set_bit', '__clear_bit', 'get_random_*', 'put_user', 'get_user', 'copy_from_iter',
    'copy_to_iter', 'iov_iter_*', 'unwind_*', '__unwind_start',
  ],
  'crash-handling': [
    'check_panic_on_warn', 'panic_bad_stack', 'spin_dump', 'spin_bug', 'stack_trace_consume_entry', 'rwlock_bug', 'debug_spin_lock_before', 'debug_spin_unlock',
    'reacquire_held_locks', 'mark_held_locks', '__printk_safe_flush', 'printk_safe_flush*', 'do_trap_break', 'handle_overflow', 'panic_saved_regs',
    '*_panic', 'assertfail', '__check_heap_object', 'walk_stackframe', 'unwind_frame', 'ref_tracker_*',
    'dump_stack', 'show_stack', 'show_regs', '__show_regs', 'dump_backtrace', 'panic', '__panic', 'vpanic',
    'invalid_op', 'do_trap', 'general_protection', 'page_fault', 'async_page_fault', 'do_page_fault',
    '__do_page_fault', 'die', '__die', 'oops_end', 'oops_begin', 'no_context', 'bad_area*',
    'handle_page_fault', 'fixup_exception', 'check_noncircular', 'check_deadlock', 'mark_lock*', 'valid_state',
    'check_usage', 'check_usage_*', 'check_path', '__bfs', '__bfs_*', 'print_irq_inversion_bug',
    'bad_page', 'should_fail*', 'fail_dump',
  ],
  plumbing: [
    'kthread', 'worker_thread', 'common_interrupt', 'handle_irq', 'do_IRQ', 'irq_thread', 'irq_thread_fn',
    'invoke_syscall', 'cpu_startup_entry', 'do_idle', 'default_idle*', 'start_secondary', 'rest_init',
    'start_kernel', 'arch_cpu_idle', 'kernel_init',
  ],
};

/**
 * Frames the guilty-frame pick passes over in every class, besides the kernel pack's
 * crash-handling and library frames: code that reports, checks, allocates, locks, copies or
 * dispatches on behalf of its caller, so that a bug found inside it is the caller's. Like
 * syzkaller's skip list, most rows match a part of the name (`*kmalloc*` also covers
 * `___kmalloc_large_node` and `kmalloc_array`). Globs: `*` any run of characters.
 */
export const GUILTY_SKIP: Array<{ why: string; globs: string[] }> = [
  { why: 'sanitizer runtimes and their reports', globs: ['*__sanitizer*', '*__asan*', '*kasan*', '*hwasan*', '*__msan*', '*kmsan*', 'kcsan_setup_watchpoint', '*check_memory_region*', '*print_address_description*', 'print_report', '*print_usage_bug*', '*read_word_at_a_time*', 'read_once_*nocheck', 'write_once_*nocheck', '__read_once_*nocheck'] },
  { why: 'oops, panic, WARN and BUG machinery', globs: ['*panic*', '*invalid_op*', '*report_bug*', '*fixup_bug*', '*do_error*', '*_trap', '*do_trap*', '*show_stack*', '*dump_stack*', '*walk_stack*', '*dump_backtrace*', '*warn_slowpath*', '*warn_alloc*', '*warn_bogus*', '*__warn*', 'print_tainted', 'get_taint', '*assertfail*', '*__fortify_report*', '*__fortify_panic*', 'arch_stack_walk', 'stack_trace_save*', 'stack_trace_consume_entry'] },
  { why: 'allocators', globs: ['*alloc_page*', '*malloc*', '*zalloc*', '*calloc*', '*krealloc*', '*kmem_cache*', 'allocate_slab', '*slab_*', '__alloc_frozen_pages*', 'folio_alloc*', 'filemap_alloc_folio*', '__filemap_get_folio', 'find_or_create_page', 'do_read_cache_folio', 'read_cache_page*', 'pagecache_get_page', 'grab_cache_page_write_begin', 'kfree', 'kvfree', 'kfree_skb*', '*memdup*', '*strdup*', '*strndup*'] },
  { why: 'debug objects, lockdep and lock primitives', globs: ['*debug_object*', 'timer_is_static_object', 'work_is_static_object', '*lockdep*', '*lock_acquire*', '*lock_release*', '*lock_class*', '*mark_lock*', '*held_locks*', '*raw_spin_rq*', '*spin_lock*', '*spin_trylock*', '*spin_unlock*', '*read_lock*', '*read_trylock*', '*write_lock*', '*write_trylock*', '*read_unlock*', '*write_unlock*', 'down', '*down_read*', '*down_write*', '*down_trylock*', '*up_read*', '*up_write*', 'mutex_*', '__mutex_*', 'rt_mutex_*', 'owner_on_cpu', 'osq_lock', 'osq_unlock', '*bh_enable*', '*bh_disable*', 'lock_page', 'unlock_page', '*seqprop_assert*', 'trace_hardirqs_*', 'trace_softirqs_*', 'lockdep_hardirqs_*', 'lockdep_softirqs_*'] },
  { why: 'atomics, bits, refcounts and wake-ups', globs: ['atomic_*', 'atomic64_*', 'set_bit', 'clear_bit', 'change_bit', 'test_bit', '__wake_up*', 'refcount_*', 'kref_*', '*ref_tracker*'] },
  { why: 'string, memory and user-copy helpers', globs: ['*memcpy*', '*memcmp*', '*memset*', '*memchr*', '*memmove*', '*strcmp*', '*strncmp*', '*strcpy*', '*strlcpy*', '*strncpy*', '*strscpy*', '*strlen*', '*strstr*', '*strnstr*', '*strnlen*', '*strchr*', '*copy_to_user*', '*copy_from_user*', '*copy_to_iter*', '*copy_from_iter*', '*copy_page_to_iter*', '*copy_page_from_iter*', '*copy_folio_to_iter*', '*put_user*', '*get_user*', '*might_fault*', '*might_sleep*', '*__might_resched*', '*_indirect_thunk_*'] },
  { why: 'lists and trees', globs: ['*list_add*', '*list_del*', '*list_replace*', '*list_move*', '*list_splice*', 'rb_*', '__rb_*', 'xas_start', 'xas_load', 'xas_find', 'klist_*'] },
  { why: 'printing', globs: ['*string*', '*pointer*', '*snprintf*', '*scnprintf*', '*kasprintf*', '*kvasprintf*', '*printk*', '*va_format*', '*dev_info*', '*dev_notice*', '*dev_warn*', '*dev_err*', '*dev_alert*', '*dev_crit*', '*dev_emerg*', 'hex_dump_to_buffer', 'print_hex_dump*'] },
  { why: 'timers and workqueues', globs: ['*del_timer*', '*timer_delete_sync*', 'sk_stop_timer_sync', '__mod_timer', 'lock_timer_base', '*flush_work*', '__cancel_work_timer', 'cancel_work_sync', 'try_to_grab_pending', '*flush_workqueue*', '*drain_workqueue*', '*destroy_workqueue*', '*queue_work*', 'insert_work', '__queue_delayed_work', 'queue_delayed_work_on', '*finish_wait*', 'kthread_stop*', '*wait_for_completion*', 'complete'] },
  { why: 'device-model, kobject and sysfs teardown', globs: ['kobject_*', '*add_uevent_var*', '*get_device_parent*', 'device_add', 'device_del', 'device_unregister', 'device_destroy', 'device_release', 'put_device', 'devres_release_all', 'hwrng_unregister', 'i2c_del_adapter', '__unregister_client', 'device_for_each_child', '*rollback_registered*', '*unregister_netdev*', '*sysfs_remove*', '*device_remove_file*', 'tty_unregister_device', 'ida_free', 'cleanup_srcu_struct'] },
  { why: 'USB submission helpers', globs: ['dummy_urb_enqueue', 'usb_kill_urb', 'usb_kill_anchored_urbs', 'usb_control_msg', 'usb_hcd_submit_urb', 'usb_submit_urb'] },
  { why: 'MMIO and port accessors', globs: ['*readb', '*readw', '*readl', '*readq', '*writeb', '*writew', '*writel', '*writeq', 'logic_in*', 'logic_out*'] },
  { why: 'checksums and inode/dentry reference helpers', globs: ['crc4', 'crc7', 'crc8', 'crc16', 'crc32*', 'crc64*', 'crc_itu_t', 'iput', 'iput_final', 'ihold', 'dput', 'fast_dput', 'drop_nlink', 'mark_buffer_dirty'] },
  { why: 'arm64 fault entry and exception vectors', globs: ['do_kernel_fault', '__do_kernel_fault', 'do_translation_fault', 'do_mem_abort', 'el1_abort', 'el1h_64_sync', 'el1h_64_sync_handler', '__phys_addr'] },
  { why: 'page-cache truncation and hashtables', globs: ['find_lock_entries', 'truncate_inode_pages*', 'rhashtable_lookup*', 'extract_user_to_sg', 'extract_iter_to_sg'] },
];

/**
 * Helpers the kernel pack calls library that the guilty pick still names (syzkaller does
 * too): their own code is usually where such a bug is — kernfs and sysfs file operations,
 * radix trees, iov_iter walking, the stack unwinder, waking a new task.
 */
export const GUILTY_KEEP = ['kernfs_*', 'radix_tree_*', '__radix_tree_*', 'iov_iter_*', 'unwind_*', '__unwind_start', 'wake_up_new_task'];

/**
 * WARNINGs raised inside a helper that many drivers call: the title names the caller and
 * the helper (`WARNING in aiptek_open/usb_submit_urb`), as syzbot does.
 */
export const COMPOSITE_WARNINGS = ['usb_submit_urb'];

/** Lines that end a report. */
export const END_MARKERS = ['---[ end trace', '---[ end Kernel panic', 'Rebooting in '];
