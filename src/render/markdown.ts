/**
 * Markdown output, for pasting into an issue tracker.
 * Takes: an Analysis. Gives: a Markdown section: verdict, where to look (with the code,
 * the last change and whom to notify when context is present), the crashing stack as a
 * table, evidence, causes, next steps as code blocks, quality and the signature. Input
 * text is escaped so a crafted frame name cannot inject HTML or break the layout.
 */
import type { Analysis, Frame } from '../model.js';
import { escMarkdown as esc, mdBlock, mdCode, mdInline } from './escape.js';
import { location } from './text.js';

function frameRow(a: Analysis, f: Frame): string {
  const mark = f === a.crashFrame ? ' **← crash**' : f === a.blameFrame?.frame ? ' **← blamed**' : '';
  const name = mdCode(f.function ?? '??') + (f.inlined ? ' (inlined)' : '');
  const loc = location(f) ? mdCode(location(f)) : '';
  return `| ${f.index} | ${name}${mark} | ${loc} | ${f.role} | ${f.explanation ? esc(f.explanation) : ''} |`;
}

export function renderMarkdown(a: Analysis, opts: { allFrames: boolean }): string {
  const out: string[] = [];
  const where = a.crashFrame ? ` in ${mdCode(a.crashFrame.function ?? '??')}${location(a.crashFrame) ? ` at ${mdCode(location(a.crashFrame))}` : ''}` : '';
  out.push(`### ${esc(a.title)}`);
  out.push('');
  out.push(`**${a.kind}**${where} — ${a.confidence} confidence (${a.format})`);
  if (a.message) {
    out.push('');
    out.push(`> ${esc(a.message.slice(0, 500))}`);
  }
  const target = a.blameFrame?.frame ?? a.crashFrame;
  out.push('');
  out.push('#### Where to look');
  out.push('');
  if (!target) out.push('unknown: no frame could be chosen.');
  else {
    out.push(`${mdCode(target.function ?? '??')}${location(target) ? ` at ${mdCode(location(target))}` : ''} (frame #${target.index})${target.explanation ? ` — ${esc(target.explanation)}` : ''}`);
    if (a.blameFrame) {
      out.push('');
      out.push(`Blamed instead of the crash frame: ${mdInline(a.blameFrame.reason)}`);
    }
    const ctx = a.context;
    if (ctx?.snippet) {
      out.push('');
      out.push(`${mdCode(ctx.snippet.file)}${ctx.function ? ` in ${mdCode(ctx.function.name)}` : ''}:`);
      out.push('');
      const body = ctx.snippet.lines.map((l) => `${l.crash ? '>' : ' '} ${String(l.number).padStart(5)}  ${l.text}`).join('\n');
      out.push(mdBlock(body, 'c'));
    }
    if (ctx?.blame) out.push(`\nLast change to the line: ${mdCode(ctx.blame.commit.slice(0, 12))} ${esc(ctx.blame.summary)} — ${esc(ctx.blame.author)}, ${esc(ctx.blame.date.slice(0, 10))}`);
    if (ctx && ctx.suspects.length > 0) {
      out.push('');
      out.push('Suspect commits:');
      for (const s of ctx.suspects.slice(0, 5)) out.push(`- ${mdCode(s.commit.slice(0, 12))} ${esc(s.summary)} — ${esc(s.author)}, ${esc(s.date.slice(0, 10))} (${esc(s.reason)})`);
    }
    if (ctx && ctx.owners.length > 0) {
      out.push('');
      out.push(`Notify: ${ctx.owners.map((o) => `${esc(o.name)}${o.email && o.email !== o.name ? ` ${esc(`<${o.email}>`)}` : ''} (${esc(o.role)}${o.section ? `, ${esc(o.section)}` : ''})`).join('; ')}`);
    }
  }
  const crashed = a.threads.find((t) => a.crashingThread && t.id === a.crashingThread.id) ?? a.threads[0];
  if (crashed && crashed.frames.length > 0) {
    out.push('');
    out.push(`#### Call stack — thread ${esc(crashed.id)}${crashed.name ? ` "${esc(crashed.name)}"` : ''}`);
    out.push('');
    out.push('| # | function | location | role | note |');
    out.push('|---|---|---|---|---|');
    const frames = crashed.frames;
    let hidden = 0;
    frames.forEach((f, i) => {
      const keep = opts.allFrames || f.role === 'app' || f === a.crashFrame || f === a.blameFrame?.frame || f.role === 'library' || f.role === 'runtime';
      if (!keep || (i >= 60 && i < frames.length - 10)) {
        hidden++;
        return;
      }
      out.push(frameRow(a, f));
    });
    if (hidden > 0) out.push(`\n${hidden} plumbing, crash-handling or repeated frames not shown.`);
  }
  for (const s of a.stacks) {
    out.push('');
    out.push(`#### Stack: ${s.role}${s.title ? ` — ${esc(s.title.slice(0, 120))}` : ''}`);
    out.push('');
    out.push(mdBlock(s.frames.slice(0, 30).map((f) => `#${f.index} ${f.function ?? '??'}${location(f) ? ` ${location(f)}` : ''}`).join('\n')));
  }
  if (a.evidence.length > 0) {
    out.push('');
    out.push('#### Evidence');
    out.push('');
    for (const e of a.evidence) out.push(`- ${mdInline(e.text)} \`${e.id}\``);
  }
  out.push('');
  out.push('#### Likely causes');
  out.push('');
  if (a.causes.length === 0) out.push(a.kind === 'snapshot' ? 'None: this is not a crash.' : 'unknown.');
  a.causes.forEach((c, i) => out.push(`${i + 1}. **${c.confidence}** — ${mdInline(c.title)}${c.evidence.length ? ` (evidence: ${c.evidence.map((x) => `\`${x}\``).join(', ')})` : ''}`));
  if (a.nextSteps.length > 0) {
    out.push('');
    out.push('#### Next steps');
    out.push('');
    a.nextSteps.forEach((s, i) => {
      out.push(`${i + 1}. ${mdInline(s.text)}`);
      if (s.command) {
        out.push('');
        out.push(mdBlock(s.command).split('\n').map((l) => '   ' + l).join('\n'));
      }
    });
  }
  if (a.quality.length > 0) {
    out.push('');
    out.push('#### Quality');
    out.push('');
    for (const q of a.quality) out.push(`- ${mdInline(q.text)}`);
  }
  out.push('');
  out.push(`Signature \`${a.signature.id}\`: ${mdCode(a.signature.text)}`);
  return out.join('\n') + '\n';
}
