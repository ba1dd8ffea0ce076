#!/usr/bin/env node
/**
 * The executable: runs the `crashlens` command (src/cli/main.ts) with the process's
 * arguments and sets the exit code. An unexpected failure prints one line, never a stack
 * trace (CRASHLENS_DEBUG=1 prints it).
 */
import { main } from './cli/main.js';
import { escTerminal } from './render/escape.js';

main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err: unknown) => {
    if (process.env.CRASHLENS_DEBUG) console.error(err);
    process.stderr.write(`crashlens: internal error: ${escTerminal(String((err as Error)?.message ?? err)).slice(0, 300)}\n`);
    process.exitCode = 3;
  });
