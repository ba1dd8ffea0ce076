/**
 * Text output for a terminal.
 * Takes: an Analysis and options (colour, all frames). Gives: a one-line verdict, then
 * Where to look, Call stack (app frames prominent; plumbing and crash-handling frames
 * dimmed and folded unless --all-frames), Evidence, Likely causes, Next steps, Quality
 * and the signature. Every string from the input is escaped; colour only when asked.
 */
import type { Analysis, Frame, Owner, Thread } from '../model.js';
import { escTerminal as esc } from './escape.js';

export interface TextOptions {
  color: boolean;
  allFrames: boolean;
  /** Frames shown at the top and bottom of a very long stack. */
  headFrames?: number;
  tailFrames?: number;
}

const CODES = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33', blue: '34', magenta: '35', cyan: '36', gray: '90' } as const;
type Style = keyof typeof CODES;

function painter(color: boolean) {
  return (s: string, ...styles: Style[]) => (color && styles.length > 0 ? `\x1b[${styles.map((x) => CODES[x]).join(';')}m${s}\x1b[0m` : s);
}

export function location(f: Frame): string {
  if (f.file) return `${f.file}${f.line ? `:${f.line}` : ''}${f.line && f.column ? `:${f.column}` : ''}`;
  if (f.module) return f.module.includes('/') || f.module.includes('\\') || f.module.includes('.') ? f.module : `[${f.module}]`;
  return '';
}

function frameLabel(f: Frame): string {
  if (f.function) return f.function;
  if (f.file && f.role === 'app') return '(function not shown)';
  return `??${f.address ? ` ${f.address}` : ''}`;
}

const FOLDED_ROLES = new Set(['plumbing', 'crash-handling', 'unknown']);

function stackLines(a: Analysis, frames: Frame[], opts: TextOptions, paint: ReturnType<typeof painter>, indent = '  '): string[] {
  const out: string[] = [];
  const crash = a.crashFrame;
  const blame = a.blameFrame?.frame;
  const head = opts.headFrames ?? 40;
  const tail = opts.tailFrames ?? 10;
  let folded: Frame[] = [];
  const flush = () => {
    if (folded.length === 0) return;
    const names = [...new Set(folded.map((f) => f.function ?? '??'))];
    const roles = [...new Set(folded.map((f) => f.role))].join('/');
    out.push(indent + paint(`… ${folded.length} ${roles} frame${folded.length === 1 ? '' : 's'}: ${esc(names.slice(0, 4).join(', '))}${names.length > 4 ? ', …' : ''}`, 'dim'));
    folded = [];
  };
  const show = (f: Frame) => {
    const isCrash = crash !== null && f === crash;
    const isBlame = blame !== undefined && f === blame;
    const dim = FOLDED_ROLES.has(f.role) || f.role === 'library' || f.role === 'runtime';
    const num = `#${f.index}`.padEnd(4);
    const name = esc(frameLabel(f)) + (f.inlined ? paint(' [inlined]', 'gray') : '');
    const args = f.args !== undefined && f.args !== null ? paint(`(${esc(truncate(f.args, 100))})`, 'gray') : '';
    const loc = location(f);
    const marker = isCrash ? paint('  ← crash frame', 'red', 'bold') : isBlame ? paint('  ← blamed', 'magenta', 'bold') : '';
    const roleTag = f.role === 'app' ? '' : paint(` [${f.role}]`, 'gray');
    const line = `${num}${dim ? paint(name, 'dim') : paint(name, 'bold')} ${args}${loc ? '  ' + paint(esc(loc), dim ? 'gray' : 'cyan') : ''}${roleTag}${marker}`;
    out.push(indent + line);
    if (f.explanation && (f.role === 'app' || isCrash || isBlame || opts.allFrames || f.role === 'plumbing')) {
      out.push(indent + '    ' + paint(esc(f.explanation), 'gray'));
    }
  };
  const n = frames.length;
  for (let i = 0; i < n; i++) {
    if (n > head + tail + 1 && i === head) {
      flush();
      out.push(indent + paint(`… ${n - head - tail} frames not shown …`, 'dim'));
      i = n - tail - 1;
      continue;
    }
    const f = frames[i];
    const keep = opts.allFrames || !FOLDED_ROLES.has(f.role) || f === a.crashFrame || f === a.blameFrame?.frame || (f.role === 'unknown' && a.crashFrame === null);
    if (keep) {
      flush();
      show(f);
    } else folded.push(f);
  }
  flush();
  return out;
}

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

function ownersLine(owners: Owner[]): string {
  return owners.map((o) => `${o.name}${o.email && o.email !== o.name ? ` <${o.email}>` : ''} (${o.role}${o.section ? `, ${o.section}` : ''})`).join('; ');
}

function threadTitle(t: Thread): string {
  return `thread ${t.id}${t.name && t.name !== t.id ? ` "${t.name}"` : ''}${t.lwp ? ` (LWP ${t.lwp})` : ''}`;
}

export function renderText(a: Analysis, opts: TextOptions): string {
  const paint = painter(opts.color);
  const out: string[] = [];
  const section = (title: string) => {
    out.push('');
    out.push(paint(title, 'bold', 'blue'));
  };
  // Verdict.
  const where = a.crashFrame ? `${a.crashFrame.function ? ` in ${esc(a.crashFrame.function)}` : ''}${location(a.crashFrame) ? ` at ${esc(location(a.crashFrame))}` : ''}` : '';
  const kindColor: Style = a.kind === 'snapshot' ? 'yellow' : 'red';
  out.push(`${paint(a.kind.toUpperCase(), kindColor, 'bold')}${where}  ${paint(`(${a.confidence} confidence, ${a.format})`, 'gray')}`);
  out.push(paint(esc(a.title), 'bold'));
  if (a.message) out.push(esc(truncate(a.message, 400)));
  if (a.crashingThread) {
    const t = a.threads.find((x) => x.id === a.crashingThread!.id);
    out.push(paint(`Crashed ${t ? threadTitle(t) : `thread ${esc(a.crashingThread.id)}`}${a.signal ? `, ${a.signal.name}${a.signal.faultAddress ? ` at ${a.signal.faultAddress}` : ''}` : ''}`, 'gray'));
  }

  // Where to look.
  const target = a.blameFrame?.frame ?? a.crashFrame;
  section('Where to look');
  if (!target) out.push('  unknown: no frame could be chosen (see Quality).');
  else {
    if (a.blameFrame) {
      out.push(`  ${paint(esc(a.blameFrame.frame.function ?? '??'), 'bold', 'magenta')}${location(a.blameFrame.frame) ? ' at ' + esc(location(a.blameFrame.frame)) : ''}  (frame #${a.blameFrame.frame.index})`);
      out.push(`    ${esc(a.blameFrame.reason)}`);
      if (target.explanation) out.push(`    ${paint(esc(target.explanation), 'gray')}`);
      if (a.crashFrame && a.crashFrame !== a.blameFrame.frame) {
        out.push(`  failing check: ${esc(a.crashFrame.function ?? '??')}${location(a.crashFrame) ? ' at ' + esc(location(a.crashFrame)) : ''} (frame #${a.crashFrame.index})`);
      }
    } else {
      out.push(`  ${paint(esc(frameLabel(target)), 'bold')}${location(target) ? ' at ' + paint(esc(location(target)), 'cyan') : ''}  (frame #${target.index})`);
      if (target.explanation) out.push(`    ${paint(esc(target.explanation), 'gray')}`);
    }
    const ctx = a.context;
    if (ctx?.snippet) {
      out.push('');
      out.push(`  ${paint(esc(ctx.snippet.file), 'cyan')}${ctx.function ? paint(` — in ${esc(ctx.function.name)}`, 'gray') : ''}`);
      const width = String(ctx.snippet.lines[ctx.snippet.lines.length - 1]?.number ?? 0).length;
      for (const l of ctx.snippet.lines) {
        const num = String(l.number).padStart(width);
        const text = `${l.crash ? '>' : ' '} ${num} │ ${esc(l.text)}`;
        out.push('  ' + (l.crash ? paint(text, 'red', 'bold') : paint(text, 'gray')));
      }
    }
    if (ctx?.blame) {
      const b = ctx.blame;
      out.push('');
      out.push(`  Last change to this line: ${paint(esc(b.commit.slice(0, 12)), 'yellow')} ${esc(b.summary)} — ${esc(b.author)}, ${esc(b.date.slice(0, 10))}`);
    }
    if (ctx && ctx.suspects.length > 0) {
      out.push('  Suspect commits:');
      for (const s of ctx.suspects.slice(0, 5)) {
        out.push(`    ${paint(esc(s.commit.slice(0, 12)), 'yellow')} ${esc(s.summary)} — ${esc(s.author)}, ${esc(s.date.slice(0, 10))} ${paint(`(${esc(s.reason)})`, 'gray')}`);
      }
    }
    if (ctx && ctx.owners.length > 0) {
      out.push(`  Notify: ${esc(ownersLine(ctx.owners))}`);
    }
    for (const n of ctx?.notes ?? []) out.push(`  ${paint(esc(n), 'gray')}`);
  }

  // Call stack.
  const crashed = a.threads.find((t) => a.crashingThread && t.id === a.crashingThread.id) ?? a.threads[0];
  if (crashed && crashed.frames.length > 0) {
    section(`Call stack — ${esc(threadTitle(crashed))}${a.threads.length > 1 ? ` (1 of ${a.threads.length} threads)` : ''}`);
    out.push(...stackLines(a, crashed.frames, opts, paint));
  }
  for (const s of a.stacks) {
    section(`Stack: ${s.role}${s.thread ? ` (thread ${esc(s.thread)})` : ''}${s.title ? ` — ${esc(truncate(s.title, 100))}` : ''}`);
    out.push(...stackLines(a, s.frames, { ...opts, headFrames: 12, tailFrames: 4 }, paint));
  }
  if (opts.allFrames) {
    for (const t of a.threads) {
      if (t === crashed || t.frames.length === 0) continue;
      section(`Other thread — ${esc(threadTitle(t))}${t.state ? ` [${esc(t.state)}]` : ''}`);
      out.push(...stackLines(a, t.frames, opts, paint));
    }
  } else if (a.threads.length > 1) {
    out.push(paint(`  (${a.threads.length - 1} other thread${a.threads.length === 2 ? '' : 's'} not shown: --all-frames shows them)`, 'dim'));
  }
  if (a.groups.length > 0) {
    section('Thread groups');
    for (const g of a.groups.slice(0, 20)) {
      out.push(`  ${g.count} × ${esc(g.state ?? 'running')}: ${esc(g.frames.slice(0, 3).map((f) => f.function ?? '??').join(' ← '))}`);
    }
  }

  if (a.evidence.length > 0) {
    section('Evidence');
    for (const e of a.evidence) out.push(`  • ${esc(e.text)} ${paint(`[${e.id}]`, 'gray')}`);
  }
  section('Likely causes');
  if (a.causes.length === 0) out.push(a.kind === 'snapshot' ? '  None: this is not a crash.' : '  unknown: the text does not show enough to name a cause.');
  a.causes.forEach((c, i) => {
    const conf = paint(`[${c.confidence}]`, c.confidence === 'high' ? 'red' : c.confidence === 'medium' ? 'yellow' : 'gray');
    out.push(`  ${i + 1}. ${conf} ${esc(c.title)}${c.evidence.length > 0 ? paint(` (evidence: ${c.evidence.join(', ')})`, 'gray') : ''}`);
  });
  if (a.nextSteps.length > 0) {
    section('Next steps');
    a.nextSteps.forEach((s, i) => {
      out.push(`  ${i + 1}. ${esc(s.text)}`);
      if (s.command) for (const l of s.command.split('\n')) out.push(`       ${paint(esc(l), 'green')}`);
    });
  }
  if (a.quality.length > 0) {
    section('Quality');
    for (const q of a.quality) out.push(`  ! ${esc(q.text)}`);
  }
  out.push('');
  out.push(paint(`Signature ${a.signature.id}: ${esc(a.signature.text)}`, 'gray'));
  const others = (a.reports ?? []).length;
  if (others > 1) out.push(paint(`${others} reports in the input; analysed #${a.reports!.find((r) => r.picked)?.number} (--list shows them, --pick N picks one).`, 'gray'));
  return out.join('\n') + '\n';
}
