/**
 * The format table: every format module crashlens knows, in one list.
 * Takes: nothing. Gives: FORMATS, read by the detection stage (src/detect.ts), which runs
 * each module's `find` over the cleaned document and keeps the reports.
 * Adding a format is adding a row here.
 */
import type { FormatModule } from './format.js';
import { asan } from './asan.js';
import { msan } from './msan.js';
import { tsan } from './tsan.js';
import { ubsan } from './ubsan.js';
import { lsan } from './lsan.js';
import { valgrind } from './valgrind.js';
import { rust } from './rust.js';
import { go } from './go.js';
import { python } from './python.js';
import { java } from './java.js';
import { node } from './node.js';
import { ruby } from './ruby.js';
import { php } from './php.js';
import { dotnet } from './dotnet.js';
import { swift } from './swift.js';
import { gdb } from './gdb.js';
import { messages } from './messages.js';
import { windows } from './windows.js';
import { android } from './android.js';
import { apple } from './apple.js';
import { breakpad } from './breakpad.js';
import { kernel } from './kernel.js';
import { lldb } from './lldb.js';
import { glibcBacktrace } from './glibc-backtrace.js';
import { crashHandler } from './crash-handler.js';
import { coredump } from './coredump.js';

export const FORMATS: FormatModule[] = [
  asan,
  msan,
  tsan,
  ubsan,
  lsan,
  valgrind,
  rust,
  go,
  python,
  java,
  node,
  ruby,
  php,
  dotnet,
  swift,
  gdb,
  messages,
  windows,
  android,
  apple,
  breakpad,
  kernel,
  lldb,
  glibcBacktrace,
  crashHandler,
  coredump,
];
