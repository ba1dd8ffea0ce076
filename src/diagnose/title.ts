/**
 * The one-line title, in the style of syzbot's (`null-deref in virtio_scsi_complete_req`).
 * Takes: the report, kind and crash frame. Gives: the format's own title when it built
 * one (kernel, sanitizers), else `<kind> in <function>`, else `<kind>: <message>`.
 */
import type { CrashKind, Frame, ParsedReport } from '../model.js';

export function makeTitle(report: ParsedReport, kind: CrashKind, crash: Frame | null, blame: Frame | null): string {
  if (report.title) return report.title;
  const where = crash?.function ?? blame?.function ?? null;
  if (report.exception && kind !== 'null-deref' && kind !== 'stack-overflow' && kind !== 'oom') {
    return `${report.exception.type}${where ? ` in ${where}` : ''}`;
  }
  if (where) return `${kind} in ${where}`;
  if (report.message) return `${kind}: ${report.message.slice(0, 120)}`;
  return kind;
}
