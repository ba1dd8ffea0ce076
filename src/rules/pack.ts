/**
 * Rule packs: knowledge about functions as data (DESIGN, "Rule packs").
 * Takes: nothing (types only). Gives: the shape of a pack file in src/rules/packs/*.json
 * and of the `rules` part of a project's `.crashlens.yml`.
 *
 * Patterns are globs: `*` matches any run of characters, `?` one character; everything
 * else is literal. A function pattern matches the whole demangled name (`virtio_scsi_*`,
 * `std::__throw_*`); a module pattern matches the module's base name (`libglib-2.0.so*`);
 * a path pattern matches the frame's file path or any suffix of it that starts after a `/`
 * (`util/aio-posix.c` matches `/build/qemu/util/aio-posix.c`; `*\/nptl/*` matches anywhere).
 */
import type { Role } from '../model.js';

export interface FrameRule {
  function?: string;
  module?: string;
  path?: string;
  role?: Role;
  /** One line a developer reads beside the frame: what this function does. */
  explanation?: string;
  /** Pack-specific class, e.g. QEMU's `device`, `request`, `event-loop` (used by blame rules). */
  class?: string;
}

/** A version landmark: the function exists only in releases within [since, until]. */
export interface Landmark {
  function: string;
  /** First release that has it (inclusive), e.g. "7.1". */
  since?: string;
  /** Last release that has it (inclusive), e.g. "7.0". */
  until?: string;
  /** Where the fact comes from (commit, release note), shown to the user. */
  note?: string;
}

/**
 * A blame rule: when the crash matches, `blameFrame` is the first frame of the crashing
 * stack, searching outward from the crash frame, whose class is in `blameClasses`.
 */
export interface BlameRule {
  id: string;
  /** Any of these substrings in the assertion expression or message. */
  assertionIncludes?: string[];
  /** The crashing thread runs one of these functions (glob), e.g. `iothread_run`. */
  threadRunsFunction?: string[];
  /** Or the crashing thread's name matches one of these globs, e.g. `iothread*`. */
  threadName?: string[];
  blameClasses: string[];
  /** Why, shown as blameFrame.reason; `{function}` is replaced by the blamed function. */
  reason: string;
  /** Cause shown first when the rule fires. */
  cause: string;
}

export interface PackStep {
  text: string;
  command?: string;
}

export interface RulePack {
  name: string;
  description: string;
  /** The product the pack describes (`QEMU`); product-specific parts apply only when identified. */
  product?: string;
  /**
   * The product is identified when any frame's function matches one of these globs. A
   * pack with a `product` applies only to reports where it is identified (or whose format
   * is in `formats`), so QEMU's or Rust's names never explain another program's frames.
   */
  identify?: string[];
  /** Formats the pack always applies to (`kernel`, `rust`); with no `product`, the only ones. */
  formats?: string[];
  frames: FrameRule[];
  landmarks?: Landmark[];
  blame?: BlameRule[];
  /** Extra next steps when the product is identified. */
  nextSteps?: PackStep[];
  /** Steps put first when the landmarks show symbols that cannot come from one build. */
  mismatchSteps?: PackStep[];
}
