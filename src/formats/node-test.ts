/**
 * Node's test runner (`node --test`) failures in its TAP output (the default when the output
 * is not a terminal, as in CI): `not ok N - name`, then a YAML block with the error's
 * `name`, `error` (message), `code`, `location`, `expected`/`actual`/`operator` for an
 * assertion, and `stack` — V8 frames without their `at `.
 * Takes: the cleaned lines. Gives: one entry per failing test with a stack or a location,
 * for the node format to build reports from (src/formats/node.ts).
 */

export interface TapFailure {
  /** The `not ok` line and the block's closing `...` line. */
  start: number;
  end: number;
  test: string;
  /** The block's keys, values unquoted (`stack` and other block scalars joined by newlines). */
  fields: Map<string, string>;
  /** The `stack` lines (V8 frames without `at `). */
  stack: string[];
}

const NOT_OK_RE = /^(\s{0,40})not ok \d{1,9} - (.{1,500})$/;
const KEY_RE = /^([a-zA-Z_]{1,40}):(?: (.*))?$/;
/** The most lines one block may hold. */
const MAX_BLOCK = 2000;

/** Every failing test's block in `lines`. */
export function readTapFailures(lines: string[]): TapFailure[] {
  const out: TapFailure[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.length > 600 || l.indexOf('not ok ') < 0) continue;
    const m = NOT_OK_RE.exec(l);
    if (!m || (lines[i + 1] ?? '').trim() !== '---') continue;
    const f = readBlock(lines, i, m[1].length + 2, m[2].replace(/ # .*$/, ''));
    if (f) {
      out.push(f);
      i = f.end;
    }
  }
  return out;
}

function readBlock(lines: string[], start: number, indent: number, test: string): TapFailure | null {
  const fields = new Map<string, string>();
  let j = start + 2;
  for (; j < lines.length && j - start < MAX_BLOCK; j++) {
    const l = lines[j];
    const t = l.trim();
    if (t === '...') break;
    if (l.length - l.trimStart().length !== indent) continue;
    const k = KEY_RE.exec(t);
    if (!k) continue;
    const v = k[2] ?? '';
    if (v === '|-' || v === '|' || v === '>-' || v === '') {
      // a block scalar: the more indented lines below it
      const body: string[] = [];
      while (j + 1 < lines.length && j - start < MAX_BLOCK && (lines[j + 1].trim() === '' || lines[j + 1].length - lines[j + 1].trimStart().length > indent)) body.push(lines[++j].trim());
      while (body.length > 0 && body[body.length - 1] === '') body.pop();
      fields.set(k[1], body.join('\n'));
    } else fields.set(k[1], unquote(v));
  }
  if (j >= lines.length || lines[j].trim() !== '...') return null;
  const stack = (fields.get('stack') ?? '').split('\n').filter((x) => x !== '');
  if (stack.length === 0 && !fields.has('location')) return null;
  return { start, end: j, test, fields, stack };
}

/** A YAML scalar as Node writes it: `'text'` (a quote doubled inside), `"text"` (JSON escapes), or plain. */
function unquote(v: string): string {
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1).replace(/''/g, "'");
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) {
    try {
      return JSON.parse(v) as string;
    } catch {
      return v.slice(1, -1);
    }
  }
  return v;
}
