/**
 * Rule-pack data: every file in src/rules/packs/*.json must follow the RulePack shape of
 * src/rules/pack.ts, and the knowledge in it must be usable by the engine (no rule that
 * can never match, no blame class that no frame carries, no landmark without a bound).
 * The QEMU pack is also checked against the facts the diagnosis relies on.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FrameRule, RulePack } from '../../src/rules/pack.js';
import { globMatch, hasWildcard } from '../../src/rules/glob.js';

const PACK_DIR = fileURLToPath(new URL('../../src/rules/packs/', import.meta.url));
const ROLES = new Set(['app', 'library', 'runtime', 'crash-handling', 'plumbing', 'unknown']);
const PACK_KEYS = new Set(['name', 'description', 'product', 'identify', 'formats', 'frames', 'landmarks', 'blame', 'nextSteps', 'mismatchSteps']);
const FRAME_KEYS = new Set(['function', 'module', 'path', 'role', 'explanation', 'class']);
const LANDMARK_KEYS = new Set(['function', 'since', 'until', 'note']);
const BLAME_KEYS = new Set([
  'id', 'assertionIncludes', 'threadRunsFunction', 'threadName', 'blameClasses', 'reason', 'cause',
]);
const STEP_KEYS = new Set(['text', 'command']);
const VERSION = /^\d+(?:\.\d+){0,2}$/;
const FIELDS = ['role', 'explanation', 'class'] as const;

const files = readdirSync(PACK_DIR).filter((f) => f.endsWith('.json')).sort();

function load(file: string): RulePack {
  return JSON.parse(readFileSync(join(PACK_DIR, file), 'utf8')) as RulePack;
}

function unknownKeys(obj: object, known: Set<string>): string[] {
  return Object.keys(obj).filter((k) => !known.has(k));
}

function isNonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.trim().length > 0;
}

function versionParts(v: string): number[] {
  return v.split('.').map(Number);
}

function compareVersions(a: string, b: string): number {
  const x = versionParts(a);
  const y = versionParts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** One readable line per problem, so a failure names the rule to fix. */
function problems(file: string, pack: RulePack): string[] {
  const out: string[] = [];
  const say = (where: string, what: string) => out.push(`${file} ${where}: ${what}`);
  for (const k of unknownKeys(pack, PACK_KEYS)) say('pack', `unknown key "${k}"`);
  if (!isNonEmptyString(pack.name)) say('pack', 'name must be a non-empty string');
  if (!isNonEmptyString(pack.description)) say('pack', 'description must be a non-empty string');
  if (pack.product !== undefined && !isNonEmptyString(pack.product)) say('pack', 'product must be a non-empty string');
  if (pack.identify !== undefined) {
    if (!pack.product) say('pack', 'identify needs a product');
    if (!Array.isArray(pack.identify) || pack.identify.length === 0) say('pack', 'identify must be a non-empty list');
    else for (const g of pack.identify) if (!isNonEmptyString(g)) say('identify', `bad pattern ${JSON.stringify(g)}`);
  }
  if (!Array.isArray(pack.frames)) {
    say('pack', 'frames must be a list');
    return out;
  }

  const seen = new Set<string>();
  const classes = new Set<string>();
  const globsSoFar: FrameRule[] = [];
  pack.frames.forEach((rule, i) => {
    const where = `frames[${i}] ${rule.function ?? rule.module ?? rule.path ?? '?'}`;
    for (const k of unknownKeys(rule, FRAME_KEYS)) say(where, `unknown key "${k}"`);
    const patterns = (['function', 'module', 'path'] as const).filter((k) => rule[k] !== undefined);
    if (patterns.length === 0) say(where, 'needs a function, module or path pattern');
    // The engine files a rule under its first pattern kind only; a second one would be ignored.
    if (patterns.length > 1) say(where, `only one of function/module/path is honoured, found ${patterns.join('+')}`);
    for (const k of patterns) if (!isNonEmptyString(rule[k])) say(where, `${k} must be a non-empty string`);
    if (rule.role === undefined && rule.explanation === undefined && rule.class === undefined) {
      say(where, 'gives nothing: no role, explanation or class');
    }
    if (rule.role !== undefined && !ROLES.has(rule.role)) say(where, `invalid role "${rule.role}"`);
    if (rule.class !== undefined && !/^[a-z][a-z-]*$/.test(rule.class)) say(where, `class "${rule.class}" is not a lower-case word`);
    if (rule.class) classes.add(rule.class);
    if (rule.explanation !== undefined) {
      const e = rule.explanation;
      if (!isNonEmptyString(e)) say(where, 'empty explanation');
      else {
        if (e.length > 120) say(where, `explanation is ${e.length} characters (max 120)`);
        if (/[\r\n\t]/.test(e) || e !== e.trim()) say(where, 'explanation must be one trimmed line');
      }
    }
    const key = patterns.map((k) => `${k}=${rule[k]}`).join(' ');
    if (seen.has(key)) say(where, `duplicate pattern ${key}`);
    seen.add(key);
    if (rule.function !== undefined) {
      // The engine takes each of role, explanation and class from the first rule that
      // matches and has it: a later glob whose every field an earlier glob of the same pack
      // already supplies for everything it matches can never show.
      if (hasWildcard(rule.function)) {
        const shadow = globsSoFar.find(
          (g) => globMatch(g.function!, rule.function!) && FIELDS.every((f) => rule[f] === undefined || g[f] !== undefined),
        );
        if (shadow) say(where, `unreachable: earlier glob "${shadow.function}" already matches it and supplies its fields`);
        globsSoFar.push(rule);
      }
    }
  });

  const landmarkSeen = new Set<string>();
  (pack.landmarks ?? []).forEach((l, i) => {
    const where = `landmarks[${i}] ${l.function}`;
    for (const k of unknownKeys(l, LANDMARK_KEYS)) say(where, `unknown key "${k}"`);
    if (!isNonEmptyString(l.function)) say(where, 'function must be a non-empty string');
    if (l.since === undefined && l.until === undefined) say(where, 'needs since or until');
    for (const k of ['since', 'until'] as const) {
      if (l[k] !== undefined && !VERSION.test(l[k]!)) say(where, `${k} "${l[k]}" is not a release number`);
    }
    if (l.since && l.until && VERSION.test(l.since) && VERSION.test(l.until) && compareVersions(l.since, l.until) > 0) {
      say(where, `since ${l.since} is after until ${l.until}`);
    }
    if (l.note !== undefined && !isNonEmptyString(l.note)) say(where, 'empty note');
    if (landmarkSeen.has(l.function)) say(where, 'duplicate landmark');
    landmarkSeen.add(l.function);
  });

  const ids = new Set<string>();
  (pack.blame ?? []).forEach((b, i) => {
    const where = `blame[${i}] ${b.id}`;
    for (const k of unknownKeys(b, BLAME_KEYS)) say(where, `unknown key "${k}"`);
    if (!isNonEmptyString(b.id)) say(where, 'id must be a non-empty string');
    if (ids.has(b.id)) say(where, 'duplicate id');
    ids.add(b.id);
    if (!b.assertionIncludes?.length && !b.threadRunsFunction?.length && !b.threadName?.length) {
      say(where, 'has no condition: it would fire on every crash');
    }
    for (const k of ['assertionIncludes', 'threadRunsFunction', 'threadName'] as const) {
      const v = b[k];
      if (v !== undefined && (!Array.isArray(v) || v.some((s) => !isNonEmptyString(s)))) say(where, `${k} must be a list of strings`);
    }
    if (!Array.isArray(b.blameClasses) || b.blameClasses.length === 0) say(where, 'blameClasses must be a non-empty list');
    else for (const c of b.blameClasses) if (!classes.has(c)) say(where, `no frame rule has class "${c}", the rule can never blame`);
    if (!isNonEmptyString(b.reason) || !b.reason.includes('{function}')) say(where, 'reason must name {function}');
    if (!isNonEmptyString(b.cause)) say(where, 'cause must be a non-empty string');
  });

  [...(pack.nextSteps ?? []).map((s, i) => [s, `nextSteps[${i}]`] as const), ...(pack.mismatchSteps ?? []).map((s, i) => [s, `mismatchSteps[${i}]`] as const)].forEach(([s, where]) => {
    for (const k of unknownKeys(s, STEP_KEYS)) say(where, `unknown key "${k}"`);
    if (!isNonEmptyString(s.text)) say(where, 'text must be a non-empty string');
    if (s.command !== undefined && !isNonEmptyString(s.command)) say(where, 'empty command');
  });
  if ((pack.nextSteps?.length || pack.landmarks?.length || pack.blame?.length) && !pack.product) {
    say('pack', 'landmarks, blame and nextSteps are product-specific: set product and identify');
  }
  return out;
}

/**
 * What the engine (src/rules/roles.ts) gives a function name from the packs alone: exact
 * names first (the first pack, in file order, that names it), then globs in pack and file
 * order; each of role, explanation and class comes from the first of those that has it.
 */
function resolve(packs: RulePack[], fn: string): Partial<Record<(typeof FIELDS)[number], string>> {
  const rules: FrameRule[] = [];
  const exact = packs.flatMap((p) => p.frames).find((r) => r.function === fn && !hasWildcard(fn));
  if (exact) rules.push(exact);
  for (const p of packs) for (const r of p.frames) if (r.function && hasWildcard(r.function) && globMatch(r.function, fn)) rules.push(r);
  const out: Partial<Record<(typeof FIELDS)[number], string>> = {};
  for (const f of FIELDS) out[f] = rules.find((r) => r[f] !== undefined)?.[f];
  return out;
}

describe('rule pack files', () => {
  it('has the packs the analyser relies on', () => {
    for (const name of ['qemu.json', 'libc.json', 'glib.json', 'libstdcxx.json', 'startup.json']) {
      expect(files).toContain(name);
    }
  });

  for (const file of files) {
    it(`${file} follows the RulePack shape`, () => {
      const raw = readFileSync(join(PACK_DIR, file), 'utf8');
      let pack: RulePack;
      expect(() => (pack = JSON.parse(raw) as RulePack)).not.toThrow();
      expect(problems(file, pack!)).toEqual([]);
    });
  }

  it('gives an exact function name the same role in every pack that names it', () => {
    const byName = new Map<string, Array<{ file: string; role?: string }>>();
    for (const file of files) {
      for (const r of load(file).frames ?? []) {
        if (r.function === undefined || hasWildcard(r.function)) continue;
        const list = byName.get(r.function) ?? [];
        list.push({ file, role: r.role });
        byName.set(r.function, list);
      }
    }
    const conflicts: string[] = [];
    for (const [name, list] of byName) {
      const roles = new Set(list.map((x) => x.role).filter(Boolean));
      if (roles.size > 1) conflicts.push(`${name}: ${list.map((x) => `${x.file}=${x.role}`).join(', ')}`);
    }
    expect(conflicts).toEqual([]);
  });

  it('catches the mistakes it is meant to catch', () => {
    const bad = {
      name: 'bad',
      description: 'x',
      colour: 'red',
      frames: [
        { function: 'f', role: 'application', explanation: '' },
        { function: 'f', role: 'app' },
        { function: 'g_*', role: 'library' },
        { function: 'g_main_*', role: 'plumbing' },
        { function: 'g_main_loop_*', explanation: 'still shows: the earlier globs give no explanation' },
        { module: 'libx.so', path: 'x/*', role: 'library' },
        { function: 'h', role: 'app', explanation: 'x'.repeat(121) },
      ],
      landmarks: [{ function: 'f' }, { function: 'g', since: '8.0', until: '7.1' }],
      blame: [{ id: 'b', blameClasses: ['device'], reason: 'no placeholder', cause: 'c' }],
    };
    const found = problems('bad.json', bad as unknown as RulePack).join('\n');
    expect(found).not.toContain('g_main_loop_*');
    for (const expected of [
      'unknown key "colour"', 'invalid role "application"', 'empty explanation', 'duplicate pattern function=f',
      'unreachable: earlier glob "g_*"', 'only one of function/module/path', '121 characters', 'needs since or until',
      'since 8.0 is after until 7.1', 'has no condition', 'no frame rule has class "device"', 'reason must name {function}',
      'set product and identify',
    ]) {
      expect(found).toContain(expected);
    }
  });
});

describe('QEMU pack facts', () => {
  const qemu = load('qemu.json');
  const rule = (fn: string) => qemu.frames.find((r) => r.function === fn);
  const landmark = (fn: string) => qemu.landmarks?.find((l) => l.function === fn);

  it('never names a QEMU function that does not exist', () => {
    for (const file of files) {
      expect(readFileSync(join(PACK_DIR, file), 'utf8')).not.toContain('virtio_scsi_request_done');
    }
  });

  it('sorts event-loop plumbing from device and request logic', () => {
    for (const fn of ['aio_poll', 'aio_dispatch_ready_handlers', 'aio_dispatch_handler', 'iothread_run', 'qemu_thread_start', 'main_loop_wait', 'coroutine_trampoline', 'aio_bh_call']) {
      expect(rule(fn), fn).toMatchObject({ role: 'plumbing', class: 'event-loop' });
    }
    for (const fn of ['virtio_queue_host_notifier_read', 'virtio_queue_host_notifier_aio_poll_ready', 'virtio_queue_notify_vq']) {
      expect(rule(fn), fn).toMatchObject({ role: 'plumbing', class: 'dispatch-glue' });
    }
    for (const fn of ['virtio_scsi_handle_event', 'virtio_scsi_handle_cmd', 'virtio_scsi_defer_to_dataplane']) {
      expect(rule(fn), fn).toMatchObject({ role: 'app', class: 'device' });
    }
    for (const fn of ['virtio_scsi_complete_req', 'virtio_scsi_command_complete', 'scsi_req_complete', 'scsi_req_unref']) {
      expect(rule(fn), fn).toMatchObject({ role: 'app', class: 'request' });
    }
    expect(rule('virtio_error')).toMatchObject({ role: 'app', class: 'error' });
  });

  it('bounds versions so that qemu_log_flush and virtio_scsi_defer_to_dataplane cannot share a release', () => {
    expect(landmark('qemu_log_flush')?.until).toBe('7.0');
    expect(landmark('virtio_scsi_defer_to_dataplane')?.since).toBe('7.1');
    expect(landmark('aio_dispatch_ready_handlers')?.since).toBe('5.0');
    expect(landmark('virtio_scsi_acquire')?.until).toBe('8.2');
    expect(landmark('virtio_scsi_ctx_check')?.until).toBe('9.2');
    const until = landmark('qemu_log_flush')!.until!;
    const since = landmark('virtio_scsi_defer_to_dataplane')!.since!;
    expect(compareVersions(until, since)).toBeLessThan(0);
  });

  it('blames the first device frame, not the BQL plumbing, for a BQL assertion on an IOThread', () => {
    const b = qemu.blame?.find((r) => r.assertionIncludes?.includes('qemu_mutex_iothread_locked'));
    expect(b).toBeDefined();
    expect(b!.assertionIncludes).toEqual(expect.arrayContaining(['bql_locked', 'qemu_in_main_thread']));
    expect(b!.threadRunsFunction).toContain('iothread_run');
    expect(b!.threadName?.some((g) => globMatch(g, 'iothread0'))).toBe(true);
    expect(b!.threadName?.some((g) => globMatch(g, 'IO iothread0'))).toBe(true);
    // The crashing stack of the #1680-style crash, innermost first, from the assertion outward.
    const stack = [
      'memory_region_transaction_commit', 'memory_region_del_eventfd', 'virtio_pci_ioeventfd_assign',
      'virtio_bus_set_host_notifier', 'virtio_scsi_dataplane_start', 'virtio_bus_start_ioeventfd',
      'virtio_device_start_ioeventfd', 'virtio_scsi_defer_to_dataplane', 'virtio_scsi_handle_event',
      'virtio_queue_notify_vq', 'virtio_queue_host_notifier_aio_poll_ready', 'aio_dispatch_handler',
      'aio_dispatch_ready_handlers', 'aio_poll', 'iothread_run', 'qemu_thread_start',
    ];
    const all = files.map(load);
    const blamed = stack.find((fn) => {
      const cls = resolve(all, fn).class;
      return cls !== undefined && b!.blameClasses.includes(cls);
    });
    expect(blamed).toBe('virtio_scsi_defer_to_dataplane');
  });

  it('identifies QEMU from its event loop without claiming a Linux kernel virtio stack', () => {
    const identifies = (fn: string) => qemu.identify!.some((g) => globMatch(g, fn));
    expect(identifies('iothread_run')).toBe(true);
    expect(identifies('qemu_thread_start')).toBe(true);
    expect(identifies('aio_poll')).toBe(true);
    // Linux guest-side virtio driver functions.
    for (const fn of ['virtio_queue_rq', 'virtqueue_add_sgs', 'virtscsi_complete_cmd', 'virtio_dev_probe']) {
      expect(identifies(fn), fn).toBe(false);
    }
  });

  it('gives QEMU-specific next steps', () => {
    const commands = (qemu.nextSteps ?? []).map((s) => `${s.text} ${s.command ?? ''}`).join('\n');
    for (const s of ['--enable-asan', '--enable-sanitizers', '--trace "virtio_scsi_*"', 'qemu-system-x86_64 --version', 'qemu-gdb.py', 'qemu bt', 'iothread']) {
      expect(commands).toContain(s);
    }
  });
});

describe('generic packs', () => {
  const all = files.map(load);
  const find = (fn: string) => resolve(all, fn);

  it('marks the machinery of a crash as crash-handling', () => {
    for (const fn of ['abort', '__GI_raise', '__pthread_kill_implementation', '__assert_fail', 'malloc_printerr', '__stack_chk_fail',
      'g_assertion_message_expr', 'std::terminate()', '__cxa_throw', '__gnu_cxx::__verbose_terminate_handler()', '__cxa_pure_virtual',
      'std::__throw_out_of_range_fmt(char const*, ...)']) {
      expect(find(fn)?.role, fn).toBe('crash-handling');
    }
  });

  it('marks start-up and dispatch frames as plumbing', () => {
    for (const fn of ['_start', '__libc_start_main', '__libc_start_call_main', 'start_thread', 'clone3', 'g_main_context_dispatch',
      'g_thread_proxy', 'execute_native_thread_routine', 'BaseThreadInitThunk']) {
      expect(find(fn)?.role, fn).toBe('plumbing');
    }
  });

  it('explains library frames that show a blocked thread or a corrupted heap', () => {
    for (const fn of ['__lll_lock_wait', 'pthread_mutex_lock', 'futex_wait', '_int_free', '__memmove_avx_unaligned_erms', '__strlen_avx2']) {
      const r = find(fn);
      expect(r?.role, fn).toBe('library');
      expect(r?.explanation, fn).toBeTruthy();
    }
  });

  it('knows the system libraries by module name', () => {
    const byModule = (m: string) => all.flatMap((p) => p.frames).find((r) => r.module && globMatch(r.module, m));
    for (const m of ['libc.so.6', 'libpthread.so.0', 'ld-linux-x86-64.so.2', 'libm.so.6', 'libglib-2.0.so.0', 'libstdc++.so.6', 'libc++.so.1', 'libgcc_s.so.1']) {
      expect(byModule(m)?.role, m).toBe('library');
    }
  });
});
