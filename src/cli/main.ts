/**
 * The `crashlens` command.
 * Takes: files (or `-` / piped standard input) and flags. Gives: one result per input in
 * the chosen format, and the exit code of DESIGN's "Results": 0 analysed, 1 no crash
 * found, 2 usage error or unreadable file, 3 internal error; several inputs: the highest.
 * Never prints a stack trace (CRASHLENS_DEBUG=1 shows internal errors in full).
 */
import { readFileSync, statSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { analyze, errorResult, isError, type AnalyzeOptions } from '../analyze.js';
import type { Analysis, AnalysisError } from '../model.js';
import { renderJson } from '../render/json.js';
import { renderText } from '../render/text.js';
import { renderMarkdown } from '../render/markdown.js';
import { escTerminal } from '../render/escape.js';
import { checkoutOfInput, loadProjectRules, parsePathMap, ProjectRulesError, type PathMapping } from '../context/index.js';

export const VERSION = '0.1.0';

type Format = 'text' | 'json' | 'markdown';

interface CliOptions {
  format: Format;
  color: boolean;
  allFrames: boolean;
  pick?: number;
  list: boolean;
  source?: string;
  pathMap: string[];
  rules?: string;
  contextLines?: number;
  pretty: boolean;
  context: boolean;
}

const EXIT = { ok: 0, noCrash: 1, usage: 2, internal: 3 } as const;

function readInput(path: string): Uint8Array | { error: string } {
  try {
    if (path === '-') return readFileSync(0);
    const st = statSync(path);
    if (st.isDirectory()) return { error: `${path} is a directory` };
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { error: `cannot read ${path}${code ? ` (${code})` : ''}` };
  }
}

function exitFor(r: Analysis | AnalysisError): number {
  if (!isError(r)) return EXIT.ok;
  if (r.error.code === 'no-crash') return EXIT.noCrash;
  if (r.error.code === 'unreadable') return EXIT.usage;
  return EXIT.internal;
}

function listText(a: Analysis): string {
  const lines = (a.reports ?? []).map(
    (r) => `${r.picked ? '*' : ' '} ${String(r.number).padStart(2)}  ${r.format.padEnd(16)} lines ${r.startLine}-${r.endLine}${r.complete ? '' : ' (cut off)'}  ${escTerminal(r.headline)}`,
  );
  return lines.join('\n') + '\n';
}

export async function main(argv: string[], io = { stdout: process.stdout, stderr: process.stderr, stdinIsTTY: Boolean(process.stdin.isTTY) }): Promise<number> {
  const program = new Command();
  let code: number = EXIT.ok;
  program
    .name('crashlens')
    .description('Analyse a crash: a backtrace, sanitizer report, kernel oops or panic, from files or standard input.')
    .version(VERSION, '-V, --version')
    .argument('[files...]', 'crash files to analyse; `-` or none reads standard input')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .option('--no-color', 'never use colours (NO_COLOR does the same)')
    .option('-a, --all-frames', 'show every frame and thread, plumbing and crash handling included', false)
    .option('--pick <n>', 'analyse report N of the input (see --list)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new CommanderError(EXIT.usage, 'crashlens.pick', `--pick wants a positive whole number, not "${v}"`);
      return n;
    })
    .option('-l, --list', 'list every report found in the input', false)
    .option('-s, --source <dir>', 'source tree: show the code at the crash, blame, suspects and owners')
    .option('--path-map <from=to>', 'rewrite build paths before looking them up in the source tree (repeatable)', (v, acc: string[]) => [...acc, v], [])
    .option('--rules <file>', 'project rules file (default: .crashlens.yml at the source root)')
    .option('--context-lines <n>', 'source lines shown around the crash line', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 200) throw new CommanderError(EXIT.usage, 'crashlens.context', `--context-lines wants 0 to 200, not "${v}"`);
      return n;
    })
    .option('--no-context', 'do not look for a source tree')
    .option('--pretty', 'indent JSON output (one input only)', false)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });

  try {
    // `crashlens analyze FILE…` is the same as `crashlens FILE…`.
    const args = argv[0] === 'analyze' ? argv.slice(1) : argv;
    program.parse(args, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      if (err.code.startsWith('crashlens.')) io.stderr.write(`crashlens: ${err.message}\n`);
      return EXIT.usage;
    }
    throw err;
  }
  const opts = program.opts() as CliOptions;
  let files = program.args as string[];
  if (files.length === 0) {
    if (io.stdinIsTTY) {
      io.stderr.write('crashlens: no input: give a file, or pipe a crash into crashlens (crashlens --help)\n');
      return EXIT.usage;
    }
    files = ['-'];
  }
  const color = opts.color && !process.env.NO_COLOR && Boolean((io.stdout as NodeJS.WriteStream).isTTY);

  let pathMap: PathMapping[] = [];
  for (const spec of opts.pathMap) {
    const m = parsePathMap(spec);
    if (!m) {
      io.stderr.write(`crashlens: --path-map wants FROM=TO, not "${escTerminal(spec)}"\n`);
      return EXIT.usage;
    }
    pathMap.push(m);
  }
  if (opts.source) {
    try {
      if (!statSync(opts.source).isDirectory()) throw new Error('not a directory');
    } catch {
      io.stderr.write(`crashlens: --source ${escTerminal(opts.source)} is not a readable directory\n`);
      return EXIT.usage;
    }
  }
  const base: AnalyzeOptions = { pick: opts.pick };
  /** Project rules: --rules, else .crashlens.yml at --source, else at the input's own checkout. */
  const rulesFor = (file: string): AnalyzeOptions | { error: string } => {
    try {
      const root = opts.source ?? (opts.context === false || file === '-' ? undefined : checkoutOfInput(file) ?? undefined);
      const pr = loadProjectRules({ file: opts.rules, root });
      if (!pr) return {};
      return { projectRules: pr.rules, signatureIgnore: pr.ignore, ...(pr.signatureFrames ? { signatureFrames: pr.signatureFrames } : {}) };
    } catch (err) {
      if (err instanceof ProjectRulesError) return { error: err.message };
      return { error: `cannot read the rules file: ${(err as Error).message}` };
    }
  };
  if (opts.rules) {
    const r = rulesFor('-');
    if ('error' in r) {
      io.stderr.write(`crashlens: ${escTerminal(String(r.error))}\n`);
      return EXIT.usage;
    }
  }

  const multi = files.length > 1;
  for (const file of files) {
    const data = readInput(file);
    let result: Analysis | AnalysisError;
    const project = rulesFor(file);
    if ('error' in project) {
      io.stderr.write(`crashlens: ${escTerminal(String(project.error))}\n`);
      code = Math.max(code, EXIT.usage);
      continue;
    }
    if ('error' in data) result = errorResult(file, 'unreadable', data.error);
    else {
      result = analyze(data, {
        ...base,
        ...project,
        input: file,
        context: opts.context === false ? false : { source: opts.source, inputPath: file === '-' ? undefined : file, pathMap, contextLines: opts.contextLines },
      });
    }
    code = Math.max(code, exitFor(result));
    if (opts.format === 'json') {
      io.stdout.write(renderJson(result, opts.pretty && !multi));
      continue;
    }
    if (isError(result)) {
      io.stderr.write(`crashlens: ${escTerminal(file === '-' ? 'stdin' : file)}: ${escTerminal(result.error.message)}\n`);
      continue;
    }
    if (multi) io.stdout.write(opts.format === 'markdown' ? `## ${file}\n\n` : `${color ? '\x1b[1m' : ''}==> ${escTerminal(file)} <==${color ? '\x1b[0m' : ''}\n`);
    if (opts.list) io.stdout.write(listText(result));
    else if (opts.format === 'markdown') io.stdout.write(renderMarkdown(result, { allFrames: opts.allFrames }));
    else io.stdout.write(renderText(result, { color, allFrames: opts.allFrames }));
    if (multi) io.stdout.write('\n');
  }
  return code;
}

