/**
 * Escaping untrusted crash text for each output.
 * Takes: strings that came from the input. Gives: strings safe to print — no terminal
 * control sequences, no bidirectional overrides, and for Markdown no HTML or markup
 * that changes the page.
 */

const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

function hex(c: string): string {
  return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/** For a terminal: control characters and bidi overrides become visible escapes. */
export function escTerminal(s: string): string {
  return s.replace(CONTROL, (c) => (c === '\t' ? '    ' : hex(c))).replace(BIDI, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/** For Markdown text (not code): HTML and markup characters escaped. */
export function escMarkdown(s: string): string {
  return escTerminal(s)
    .replace(/\n/g, ' ')
    .replace(/[\\`*_{}\[\]()#+!|~]/g, (c) => '\\' + c)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** A Markdown inline code span that holds `s` whatever backticks it contains. */
export function mdCode(s: string): string {
  const clean = escTerminal(s).replace(/\n/g, ' ');
  let longest = 0;
  let run = 0;
  for (const c of clean) {
    run = c === '`' ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/** A fenced Markdown code block that `s` cannot close early. */
export function mdBlock(s: string, lang = ''): string {
  const clean = escTerminal(s.replace(/\r/g, ''));
  let longest = 2;
  let run = 0;
  for (const c of clean) {
    run = c === '`' ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${clean}\n${fence}`;
}

/**
 * Text that renderers write between backticks in sentences (`req`): for the terminal the
 * backticks stay as they are; Markdown renders them as code spans after escaping.
 */
export function mdInline(s: string): string {
  // Split on backtick-quoted parts the analyser wrote; escape the rest as text.
  const parts = s.split('`');
  return parts.map((p, i) => (i % 2 === 1 ? mdCode(p) : escMarkdown(p))).join('');
}
