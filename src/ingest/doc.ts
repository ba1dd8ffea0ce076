/**
 * The cleaned document every format module reads.
 * `lines` are the input's lines after ingest/clean.ts removed what people's pasting adds
 * (ANSI colours, CR, `> ` quoting, code fences, log prefixes).
 */
export interface Doc {
  lines: string[];
  /** The decoded input before cleaning, for fast whole-text substring tests (format triggers). */
  raw?: string;
  /**
   * The first char code of each line (0 for an empty line, 255 for any code from 255 up),
   * from clean(). A scanner that only cares about lines starting with certain characters
   * reads this array instead of touching every line's string (on a large log, reaching
   * each line's characters is most of a pass). Absent on a Doc built by hand.
   */
  first?: Uint8Array;
  /**
   * When every cleaned line is one line of `raw` (no fence, quoting or control character
   * removed a line or changed one inside): where line `n` starts in `raw`, before the log
   * prefix ingest stripped (one more entry: `raw.length + 1`). A format that must see what a
   * line's prefix was (the kernel's dmesg timestamps) reads it there. Absent otherwise; never
   * given for a text holding a CR or any other control character (so a raw line ends right
   * before the next one's start, with no CR to drop).
   */
  rawStarts?: Uint32Array;
  /**
   * Given with `rawStarts`: what clean read of the prefix it stripped from line `n`, so that
   * a format need not read the raw line again (the kernel asks whether a line had a dmesg
   * time and which caller tag, for most lines of a dense log). Codes (ingest/clean.ts):
   * 0: not known (a prefix clean did not read this way: read the raw line); STAMP_NONE:
   * nothing was stripped, the raw line is `lines[n]`; STAMP_TIME: a printk time
   * `[%5lu.%06lu]` (blanks all spaces) led the raw line, with no `[` right after it;
   * STAMP_TIME | STAMP_TAG: such a time directly followed by a caller tag `[` + up to six
   * spaces + `T`/`C` + 1-7 digits + `]`, whose letter is `C` when bit 3 is set (else `T`),
   * its digits' count in bits 4-6 and its value from bit 7 (`stampTagText` spells it).
   */
  stamps?: Uint32Array;
  /**
   * Given with `rawStarts` when the input came as bytes, one per char of `raw` (ASCII, or
   * a malformed byte from 0x80 up decoded as one U+FFFD): the input itself. Line `n`'s
   * chars are then `bytes[e - lines[n].length, e)`, `e = rawStarts[n + 1] - 1`, each ASCII
   * char as it is. A format's hot loop may read them there (a typed array read costs a few
   * instructions; a `charCodeAt` on a line sliced from the text ~30). Never written to.
   */
  bytes?: Uint8Array;
}
