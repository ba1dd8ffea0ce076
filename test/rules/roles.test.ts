import { describe, expect, it } from 'vitest';
import { newFrame, type Frame } from '../../src/model.js';
import { assignRoles } from '../../src/rules/roles.js';
import { rulesForReport } from '../../src/rules/load.js';

// Roles are remembered per function; frames of one function that differ in file, module or
// the format's hint must still get their own role.
describe('frame roles, remembered per function', () => {
  const frame = (fn: string | null, file: string | null, module: string | null = null): Frame => {
    const f = newFrame(0, fn);
    f.file = file;
    f.module = module;
    return f;
  };

  it('the same function in the program and in a system library, in both orders', () => {
    const rules = rulesForReport('gdb', ['main']);
    const frames = [frame('tide_read', 'src/tide.c'), frame('tide_read', '/usr/lib/x86_64-linux-gnu/libtide.so.1'), frame('tide_read', 'src/tide.c'), frame('tide_read', null, 'libtide.so.1')];
    assignRoles(frames, rules);
    expect(frames.map((f) => f.role)).toEqual(['app', 'library', 'app', 'library']);
  });

  it("a format's hint is part of what is remembered", () => {
    const rules = rulesForReport('gdb', ['main']);
    const hinted = frame('berth_scan', 'src/berth.c');
    hinted.roleHint = 'crash-handling';
    const frames = [frame('berth_scan', 'src/berth.c'), hinted, frame('berth_scan', 'src/berth.c')];
    assignRoles(frames, rules);
    expect(frames.map((f) => f.role)).toEqual(['app', 'crash-handling', 'app']);
  });

  it('a function seen with many modules keeps getting the right role past the remembered few', () => {
    const rules = rulesForReport('gdb', ['main']);
    const frames = Array.from({ length: 200 }, (_, k) => frame('pier_poll', k % 2 ? `/usr/lib/x86_64-linux-gnu/libpier${k}.so` : `src/pier${k}.c`));
    assignRoles(frames.map((f) => frame('pier_poll', f.file ?? null)), rules); // fills what is remembered first
    assignRoles(frames, rules);
    expect(frames.map((f) => f.role)).toEqual(frames.map((_, k) => (k % 2 ? 'library' : 'app')));
  });
});
