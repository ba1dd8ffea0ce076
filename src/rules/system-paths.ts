/**
 * System and toolchain locations (DESIGN, role precedence step 3).
 * Takes: a frame's file or module path. Gives: `library` or `runtime` when the path lies
 * in a system or toolchain location, else null. A table of substrings, first match wins.
 */
import type { Role } from '../model.js';

export const SYSTEM_LOCATIONS: Array<{ includes: string; role: Role; startsWith?: boolean }> = [
  { includes: '/rustc/', role: 'runtime' },
  { includes: '/library/std/src/', role: 'runtime' },
  { includes: '/library/core/src/', role: 'runtime' },
  { includes: '/library/alloc/src/', role: 'runtime' },
  { includes: 'node:internal', role: 'runtime' },
  { includes: 'node:', role: 'runtime', startsWith: true },
  { includes: '/usr/lib/go', role: 'runtime' },
  { includes: '/usr/local/go/src/', role: 'runtime' },
  { includes: '/go/src/runtime/', role: 'runtime' },
  { includes: '.cargo/registry', role: 'library' },
  { includes: '.cargo/git/', role: 'library' },
  { includes: 'site-packages', role: 'library' },
  { includes: 'dist-packages', role: 'library' },
  { includes: 'node_modules', role: 'library' },
  { includes: '/pkg/mod/', role: 'library' },
  { includes: '../sysdeps/', role: 'library' },
  { includes: './nptl/', role: 'library' },
  { includes: './stdlib/', role: 'library' },
  { includes: './assert/', role: 'library' },
  { includes: './libio/', role: 'library' },
  { includes: './malloc/', role: 'library' },
  { includes: './string/', role: 'library' },
  { includes: './posix/', role: 'library' },
  { includes: './signal/', role: 'library' },
  { includes: './csu/', role: 'library' },
  { includes: './debug/', role: 'library' },
  { includes: '/build/glibc-', role: 'library' },
  { includes: '/lib/', role: 'library', startsWith: true },
  { includes: '/lib64/', role: 'library', startsWith: true },
  { includes: '/usr/lib/', role: 'library', startsWith: true },
  { includes: '/usr/lib64/', role: 'library', startsWith: true },
  { includes: '/usr/include/', role: 'library', startsWith: true },
  { includes: '/usr/local/lib/', role: 'library', startsWith: true },
  { includes: '/usr/share/', role: 'library', startsWith: true },
  { includes: '/usr/src/debug/glibc', role: 'library', startsWith: true },
  { includes: '/system/lib', role: 'library', startsWith: true },
  { includes: '/apex/', role: 'library', startsWith: true },
  { includes: '/System/Library/', role: 'library', startsWith: true },
  { includes: '/usr/lib/system/', role: 'library', startsWith: true },
  { includes: 'C:\\Windows\\', role: 'library', startsWith: true },
  { includes: 'c:\\windows\\', role: 'library', startsWith: true },
  { includes: '/lib/python3', role: 'library' },
  { includes: '/lib/python2', role: 'library' },
];

export function systemRole(path: string | null | undefined): Role | null {
  if (!path) return null;
  for (const row of SYSTEM_LOCATIONS) {
    if (row.startsWith ? path.startsWith(row.includes) : path.includes(row.includes)) return row.role;
  }
  return null;
}
