import { describe, it, expect, afterAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseProjectRules, loadProjectRules, ProjectRulesError } from '../../src/context/project-rules.js';
import { tempDir, removeTempDirs } from './mini-qemu.js';

afterAll(removeTempDirs);

function issuesOf(text: string) {
  try {
    parseProjectRules(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ProjectRulesError);
    return (e as ProjectRulesError).issues;
  }
  throw new Error('expected a ProjectRulesError');
}

describe('.crashlens.yml', () => {
  it('turns keys into frame rules (rule-pack shape), ignore globs and signature frames', () => {
    const r = parseProjectRules(`# shop rules
app:
  - "src/**"
  - "libshop*.so*"
  - "*.c"
  - function: "shop::*"
crash-handling: [shop_fatal, "shop_die_*"]
plumbing:
  - shop_loop_run
ignore: ["shop_log_*"]
explanations:
  shop_cart_total: adds up the prices of a cart
signature:
  frames: 4
`);
    expect(r.rules).toEqual([
      { path: 'src/**', role: 'app' },
      { module: 'libshop*.so*', role: 'app' },
      { path: '*.c', role: 'app' },
      { function: 'shop::*', role: 'app' },
      { function: 'shop_fatal', role: 'crash-handling' },
      { function: 'shop_die_*', role: 'crash-handling' },
      { function: 'shop_loop_run', role: 'plumbing' },
      { function: 'shop_cart_total', explanation: 'adds up the prices of a cart' },
    ]);
    expect(r.ignore).toEqual(['shop_log_*']);
    expect(r.signatureFrames).toBe(4);
  });

  it('an empty file is no rules', () => {
    expect(parseProjectRules('')).toMatchObject({ rules: [], ignore: [] });
    expect(parseProjectRules('# nothing yet\n').signatureFrames).toBeUndefined();
  });

  it('errors name the bad key and its line', () => {
    expect(issuesOf('app:\n  - src/**\nplumbin:\n  - x\n')).toEqual([
      { key: 'plumbin', line: 3, message: expect.stringMatching(/^unknown key \(expected one of: app, crash-handling/) },
    ]);
    expect(issuesOf('signature:\n  frames: many\n')).toEqual([{ key: 'signature.frames', line: 2, message: 'must be a whole number from 1 to 20 (got "many")' }]);
    expect(issuesOf('signature:\n  frames: 0\n  depth: 2\n')).toEqual([
      { key: 'signature.frames', line: 2, message: 'must be a whole number from 1 to 20 (got 0)' },
      { key: 'signature.depth', line: 3, message: 'unknown key (expected: frames)' },
    ]);
    expect(issuesOf('plumbing:\n  - ok\n  - 12\n')).toEqual([{ key: 'plumbing[1]', line: 3, message: 'must be a non-empty glob string' }]);
    expect(issuesOf('\n\nexplanations:\n  f: [a, b]\n')).toEqual([{ key: 'explanations.f', line: 4, message: 'must be one line of text' }]);
    expect(issuesOf('app: src\n')).toEqual([{ key: 'app', line: 1, message: 'must be a list of path or module globs' }]);
    expect(issuesOf('- a\n- b\n')[0].key).toBe('(top level)');
  });

  it('YAML syntax errors give their line; the message names the file', () => {
    const issues = issuesOf('app:\n  - src/**\nplumbing: [a, b\n');
    expect(issues[0].key).toBe('(yaml)');
    expect(issues[0].line).toBeGreaterThanOrEqual(3);
    expect(() => parseProjectRules('signature:\n  frames: -1\n', 'proj/.crashlens.yml')).toThrow(
      'proj/.crashlens.yml:2: signature.frames: must be a whole number from 1 to 20 (got -1)',
    );
  });

  it('loads .crashlens.yml from the tree root, or a given file; none is null', () => {
    const dir = tempDir('crashlens-rules-');
    expect(loadProjectRules({ root: dir })).toBeNull();
    fs.writeFileSync(path.join(dir, '.crashlens.yml'), 'ignore: [noisy_*]\n');
    expect(loadProjectRules({ root: dir })).toMatchObject({ ignore: ['noisy_*'] });
    const other = path.join(dir, 'other.yml');
    fs.writeFileSync(other, 'signature: {frames: 2}\n');
    expect(loadProjectRules({ file: other })).toMatchObject({ signatureFrames: 2, file: other });
    expect(() => loadProjectRules({ file: path.join(dir, 'missing.yml') })).toThrow(/missing\.yml:1: \(file\): cannot be read/);
  });

  it('a .crashlens.yml that links out of the tree is not read', () => {
    const out = tempDir('crashlens-rules-out-');
    fs.writeFileSync(path.join(out, 'r.yml'), 'ignore: [x]\n');
    const dir = tempDir('crashlens-rules-link-');
    fs.symlinkSync(path.join(out, 'r.yml'), path.join(dir, '.crashlens.yml'));
    expect(loadProjectRules({ root: dir })).toBeNull();
  });
});
