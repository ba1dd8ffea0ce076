#!/usr/bin/env node
/**
 * The executable: runs the `crashlens` command (src/cli/main.ts) with the process's
 * arguments and sets the exit code. An unexpected failure prints one line, never a stack
 * trace (CRASHLENS_DEBUG=1 prints it).
 */
import { main } from './cli/main.js';
import { escTerminal } from './render/escape.js';

// A reader that goes away (`crashlens big.log | head`) closes the pipe: stop quietly, as
// other command-line tools do, instead of dying on an unhandled EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    // any other write error: nothing can be written reliably any more
    process.exit(err.code === 'EPIPE' ? 0 : 3);
  });
}

main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err: unknown) => {
    if (process.env.CRASHLENS_DEBUG) console.error(err);
    process.stderr.write(`crashlens: internal error: ${escTerminal(String((err as Error)?.message ?? err)).slice(0, 300)}\n`);
    process.exitCode = 3;
  });
