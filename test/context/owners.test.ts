import { describe, it, expect, afterAll } from 'vitest';
import { parseMaintainers, matchSections, maintainersFor, filePatternMatches } from '../../src/context/maintainers.js';
import { codeownersFor, codeownersPatternMatches } from '../../src/context/codeowners.js';
import { MAINTAINERS, removeTempDirs } from './mini-qemu.js';

afterAll(removeTempDirs);

describe('MAINTAINERS (Linux/QEMU format, get_maintainer.pl matching)', () => {
  it('parses sections, not the legend, prose or group headings; unknown tags ignored', () => {
    const s = parseMaintainers(MAINTAINERS);
    expect(s.map((x) => x.title)).toEqual(['All patches CC here', 'SCSI', 'virtio', 'Block I/O path']);
    expect(s[1]).toMatchObject({ maintainers: ['Paula Ferrant <paula@ferrant.example>'], reviewers: ['Idris Lomond <idris@lomond.example>'], status: 'Supported', files: ['include/hw/scsi/*', 'hw/scsi/*'] });
    expect(s[2].files).toEqual(['hw/*/virtio*', 'hw/virtio/', 'include/hw/virtio/']);
  });

  it('tags right under an underlined heading form a section named by the heading', () => {
    const text = 'General Project Administration\n------------------------------\nM: Ines Haldor <ines@haldor.example>\n\nAll patches CC here\nL: all@lists.example.org\nF: *\nF: */\n';
    expect(parseMaintainers(text).map((x) => [x.title, x.maintainers.length])).toEqual([
      ['General Project Administration', 1],
      ['All patches CC here', 0],
    ]);
  });

  it('accepts a tab after the colon (Linux) as well as a space (QEMU)', () => {
    const linux = 'NETWORK WIDGETS\nM:\tHana Ostrova <hana@ostrova.example>\nL:\twidgets@lists.example.org\nS:\tMaintained\nF:\tdrivers/net/widget/\nN:\twidget\n';
    const s = parseMaintainers(linux);
    expect(s).toHaveLength(1);
    expect(s[0]).toMatchObject({ title: 'NETWORK WIDGETS', files: ['drivers/net/widget/'], regexes: ['widget'], lists: ['widgets@lists.example.org'] });
    expect(maintainersFor(linux, 'drivers/net/widget/core/rx.c').map((o) => [o.name, o.role])).toEqual([
      ['Hana Ostrova', 'maintainer'],
      ['widgets@lists.example.org', 'list'],
    ]);
    // N: is a regex on the path
    expect(maintainersFor(linux, 'sound/widgetish.c').map((o) => o.name)).toEqual(['Hana Ostrova', 'widgets@lists.example.org']);
  });

  it('a pattern without a trailing / needs the same number of slashes; with one it covers the subtree', () => {
    expect(filePatternMatches('hw/scsi/virtio-scsi.c', 'hw/*/virtio*')).toBe(true);
    expect(filePatternMatches('hw/scsi/sub/virtio.c', 'hw/*/virtio*')).toBe(false);
    expect(filePatternMatches('README', '*')).toBe(true);
    expect(filePatternMatches('hw/README', '*')).toBe(false);
    expect(filePatternMatches('hw/a/b/c.c', '*/')).toBe(true);
    expect(filePatternMatches('hw/virtio/x/y.c', 'hw/virtio/')).toBe(true);
    // A pattern naming a directory of the tree counts as if it ended in `/`.
    expect(filePatternMatches('hw/virtio/x/y.c', 'hw/virtio', (p) => p === 'hw/virtio')).toBe(true);
    expect(filePatternMatches('hw/virtio/x/y.c', 'hw/virtio')).toBe(false);
  });

  it('ranks the most specific section first and the catch-all last', () => {
    expect(matchSections(parseMaintainers(MAINTAINERS), 'hw/scsi/virtio-scsi.c').map((m) => [m.section.title, m.depth])).toEqual([
      ['SCSI', 3],
      ['virtio', 3],
      ['All patches CC here', -1],
    ]);
    expect(matchSections(parseMaintainers(MAINTAINERS), 'hw/virtio/virtio.c').map((m) => m.section.title)).toEqual(['virtio', 'All patches CC here']);
    const deeper = 'Broad\nM: A Person <a@p.example>\nF: hw/\n\nNarrow\nM: B Person <b@p.example>\nF: hw/scsi/esp*.c\n';
    expect(maintainersFor(deeper, 'hw/scsi/esp-pci.c').map((o) => o.section)).toEqual(['Narrow', 'Broad']);
  });

  it('X: drops the whole section for that file', () => {
    expect(matchSections(parseMaintainers(MAINTAINERS), 'util/aio-posix.c').map((m) => m.section.title)).toEqual(['Block I/O path', 'All patches CC here']);
    expect(matchSections(parseMaintainers(MAINTAINERS), 'util/aio-win32.c').map((m) => m.section.title)).toEqual(['All patches CC here']);
  });

  it('names a person once, in the most specific section', () => {
    const text = 'Inner\nM: Sam Reyes <sam@reyes.example>\nF: lib/x/\n\nOuter\nM: Sam Reyes <sam@reyes.example>\nR: Lee Tan <lee@tan.example>\nF: lib/\n';
    expect(maintainersFor(text, 'lib/x/a.c').map((o) => [o.name, o.section])).toEqual([['Sam Reyes', 'Inner'], ['Lee Tan', 'Outer']]);
  });

  it('a hostile pattern does not hang', () => {
    const text = `S\nM: A <a@b.example>\nF: ${'*a'.repeat(200)}b\n`;
    expect(maintainersFor(text, 'a'.repeat(3000))).toEqual([]);
  });
});

describe('CODEOWNERS (GitHub and GitLab)', () => {
  const gh = `# comment
*                 @mini/core
hw/               @mini/hardware
/hw/scsi/         @mini/scsi @nadia-quell
hw/scsi/*.h       @mini/headers
docs/*            docs-team@mini.example
**/logs           @log-keepers
/apps/            @apps
/apps/github
`;
  it('the last matching pattern wins', () => {
    expect(codeownersFor(gh, 'hw/scsi/virtio-scsi.c').map((o) => o.name)).toEqual(['@mini/scsi', '@nadia-quell']);
    expect(codeownersFor(gh, 'hw/scsi/scsi.h').map((o) => o.name)).toEqual(['@mini/headers']);
    expect(codeownersFor(gh, 'hw/net/e1000.c').map((o) => o.name)).toEqual(['@mini/hardware']);
    expect(codeownersFor(gh, 'Makefile').map((o) => o.name)).toEqual(['@mini/core']);
  });

  it('gitignore-style patterns: unanchored dirs, docs/* not nested, **/logs, ownerless entries', () => {
    expect(codeownersFor(gh, 'sub/hw/x.c').map((o) => o.name)).toEqual(['@mini/hardware']); // `hw/` matches at any depth
    expect(codeownersFor(gh, 'docs/intro.md')).toEqual([{ name: 'docs-team@mini.example', email: 'docs-team@mini.example', role: 'owner', source: 'CODEOWNERS', section: null }]);
    expect(codeownersFor(gh, 'docs/guide/intro.md').map((o) => o.name)).toEqual(['@mini/core']);
    expect(codeownersFor(gh, 'deep/nested/logs/today.txt').map((o) => o.name)).toEqual(['@log-keepers']);
    expect(codeownersFor(gh, 'apps/web/index.ts').map((o) => o.name)).toEqual(['@apps']);
    expect(codeownersFor(gh, 'apps/github/ci.yml')).toEqual([]); // left unowned on purpose
  });

  it('pattern details', () => {
    expect(codeownersPatternMatches('*.js', 'a/b/c.js')).toBe(true);
    expect(codeownersPatternMatches('/build/logs/', 'build/logs/x/y.log')).toBe(true);
    expect(codeownersPatternMatches('/build/logs/', 'src/build/logs/y.log')).toBe(false);
    expect(codeownersPatternMatches('src/**/test.c', 'src/a/b/test.c')).toBe(true);
    expect(codeownersPatternMatches('src/**/test.c', 'src/test.c')).toBe(true);
    expect(codeownersPatternMatches('src/*.c', 'src/a/x.c')).toBe(false);
  });

  it('GitLab sections: each section gives its last match; default owners; optional sections', () => {
    const gl = `* @all-devs

[Backend] @backend-leads
app/
app/models/ @modeling

^[Docs][2]
*.md @writers
app/README.md
`;
    expect(codeownersFor(gl, 'app/models/user.rb').map((o) => [o.name, o.section])).toEqual([
      ['@all-devs', null],
      ['@modeling', 'Backend'],
    ]);
    expect(codeownersFor(gl, 'app/controllers/x.rb').map((o) => [o.name, o.section])).toEqual([
      ['@all-devs', null],
      ['@backend-leads', 'Backend'],
    ]);
    // In Docs, app/README.md's ownerless line comes last: no Docs owners for it (no section default).
    expect(codeownersFor(gl, 'app/README.md').map((o) => [o.name, o.section])).toEqual([
      ['@all-devs', null],
      ['@backend-leads', 'Backend'],
    ]);
    expect(codeownersFor(gl, 'guide.md').map((o) => [o.name, o.section])).toEqual([
      ['@all-devs', null],
      ['@writers', 'Docs'],
    ]);
  });
});
