// After tsc: copy the rule packs (data files read at run time) into dist and make the
// CLI executable (tsc keeps neither).
import { chmodSync, cpSync, existsSync, mkdirSync } from 'node:fs';
mkdirSync('dist/rules/packs', { recursive: true });
cpSync('src/rules/packs', 'dist/rules/packs', { recursive: true });
if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
