/**
 * The demangling step of the pipeline (DESIGN.md: "frames ─ demangle").
 * Takes: frames as formats parsed them. Gives: nothing; for each frame whose `function`
 * is a mangled symbol (Itanium C++ `_Z…`, Mach-O `__Z…`, Rust legacy or v0 `_R…`),
 * `function` becomes the demangled name and `rawFunction` keeps the text as printed.
 * A `+0x1d` / `+28` offset glued to the symbol (backtrace_symbols, tombstones) stays out
 * of the name; a `@plt` / `@@GLIBCXX_3.4` suffix is kept after the demangled name.
 * Names that do not demangle are left as they are.
 */
import type { Frame, ParsedReport } from '../model.js';
import { demangle } from './demangle.js';
import { forEachFrameArray } from './frame-arrays.js';

/** `_ZN5store7Journal6replayEi+0x1d` → symbol and offset (no regex on long text). */
function splitOffset(text: string): { symbol: string; offset: string | null } {
  const plus = text.lastIndexOf('+');
  if (plus <= 0) return { symbol: text, offset: null };
  const off = text.slice(plus + 1);
  if (off.length > 0 && off.length <= 18 && /^(?:0x[0-9a-fA-F]+|[0-9]+)$/.test(off)) {
    return { symbol: text.slice(0, plus), offset: off };
  }
  return { symbol: text, offset: null };
}

function mangledStart(s: string): boolean {
  const c0 = s.charCodeAt(0);
  if (c0 !== 95 /* _ */) return false;
  const t = s[1] === '_' ? s.slice(1) : s;
  return t.startsWith('_Z') || t.startsWith('_R');
}

/** Demangles `function` in place for every frame that carries a mangled symbol. */
export function demangleFrames(frames: Frame[]): void {
  for (const f of frames) {
    const name = f.function;
    if (!name || !mangledStart(name)) continue;
    const { symbol } = splitOffset(name.trim());
    // `sym@plt`, `sym@@GLIBCXX_3.4`: demangle the symbol, keep the suffix.
    const at = symbol.indexOf('@');
    const base = at > 0 ? symbol.slice(0, at) : symbol;
    const d = demangle(base);
    if (d === null) continue;
    if (f.rawFunction == null) f.rawFunction = name;
    f.function = at > 0 ? d + symbol.slice(at) : d;
  }
}

const MANGLED_WORD = /_{1,2}[ZR][A-Za-z0-9_$.]{2,4096}/g;

/** Mangled words inside a line of text (a format's title) replaced by their demangling. */
export function demangleText(text: string): string {
  if (!text.includes('_Z') && !text.includes('_R')) return text;
  return text.replace(MANGLED_WORD, (w) => {
    // A clone suffix may be glued to the word; a trailing sentence dot is not part of it.
    const word = w.endsWith('.') ? w.slice(0, -1) : w;
    const d = demangle(word);
    return d === null ? w : d + w.slice(word.length);
  });
}

/**
 * The whole demangling step for one parsed report: every frame of its threads, extra
 * stacks and groups, a title the format built from a raw name (valgrind: `… in _ZN…`) and
 * the assertion's function. The message is left as printed (it is a quote).
 */
export function demangleReport(report: ParsedReport): void {
  // A frames array shared by several threads or a group is demangled once.
  forEachFrameArray(report, demangleFrames);
  if (report.title) report.title = demangleText(report.title);
  if (report.assertion?.function && mangledStart(report.assertion.function)) {
    const d = demangle(report.assertion.function);
    if (d !== null) report.assertion.function = d;
  }
}
