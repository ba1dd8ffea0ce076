#!/usr/bin/env bash
# make-demangle-corpus.sh — the demangling corpus for test/frames/demangle.test.ts.
#
# Compiles the C++ sources in test/fixtures/demangle/src with g++ and clang++ (-O0 and -O2,
# so clone suffixes like .isra.0/.constprop.0/.cold appear), the Rust source with rustc in
# v0 mangling (stable) and legacy mangling (RUSTC_BOOTSTRAP=1 -Z unstable-options, skipped
# when refused), takes the mangled symbols with `nm`, adds a deterministic sample of
# libstdc++'s exported symbols (`nm -D`), and runs binutils `c++filt` on every symbol.
# Writes test/fixtures/demangle/corpus.tsv: `<symbol>\t<c++filt output>` per line
# (c++filt prints a name it cannot demangle unchanged), sorted and de-duplicated, and
# corpus.meta.json (tool versions, counts). Rerunnable; the truth is c++filt's output.
#
# Needs: g++, clang (clang++), binutils (nm, c++filt), rustc, valgrind. Missing tools are skipped.
set -euo pipefail
export LC_ALL=C

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SRC="$REPO/test/fixtures/demangle/src"
OUT=${OUT:-"$REPO/test/fixtures/demangle"}
WORK=${WORK:-/tmp/crashlens-demangle}
LIBSTDCXX=${LIBSTDCXX:-/usr/lib/x86_64-linux-gnu/libstdc++.so.6}
LIBSTDCXX_SAMPLE=${LIBSTDCXX_SAMPLE:-1600}
RUST_SAMPLE=${RUST_SAMPLE:-500}

rm -rf "$WORK"
mkdir -p "$WORK/syms"
cd "$WORK"

# nm prints `addr type name` or `type name` (undefined); keep the mangled names only.
mangled() { awk '{print $NF}' | sed 's/@.*$//' | grep -E '^_(Z|R)[A-Za-z0-9_]' || true; }

# every k-th line so that about N remain (deterministic sample of a sorted list)
sample() { local n=$1; awk -v n="$n" '{a[NR]=$0} END {k=(NR>n)?NR/n:1; for (i=1;i<=NR;i+=k) print a[int(i)]}'; }

tools=()
for cxx in g++ clang++; do
  command -v "$cxx" >/dev/null || { echo "skip $cxx (not installed)" >&2; continue; }
  tools+=("$($cxx --version | head -n 1)")
  for opt in O0 O2; do
    for src in "$SRC"/*.cpp; do
      base=$(basename "$src" .cpp)
      obj="$WORK/$cxx.$opt.$base.o"
      "$cxx" -std=c++20 "-$opt" -g0 -c "$src" -o "$obj"
      nm "$obj" | mangled >> "$WORK/syms/cxx.txt"
    done
  done
done

if [ -r "$LIBSTDCXX" ]; then
  nm -D --defined-only "$LIBSTDCXX" | mangled | sort -u | sample "$LIBSTDCXX_SAMPLE" > "$WORK/syms/libstdcxx.txt"
fi

if command -v rustc >/dev/null; then
  tools+=("$(rustc --version)")
  rustc -O -C symbol-mangling-version=v0 "$SRC/ledger.rs" -o "$WORK/ledger-v0"
  nm "$WORK/ledger-v0" | mangled | grep '^_R' | sort -u | sample "$RUST_SAMPLE" > "$WORK/syms/rust-v0.txt"
  if RUSTC_BOOTSTRAP=1 rustc -O -Z unstable-options -C symbol-mangling-version=legacy "$SRC/ledger.rs" -o "$WORK/ledger-legacy" 2>/dev/null; then
    nm "$WORK/ledger-legacy" | mangled | grep -E '^_ZN.*17h[0-9a-f]{16}E$' | sort -u | sample "$RUST_SAMPLE" > "$WORK/syms/rust-legacy.txt"
  else
    echo "skip rust legacy mangling (refused by rustc)" >&2
  fi
fi

cat "$WORK"/syms/*.txt | sort -u > "$WORK/all.txt"
c++filt < "$WORK/all.txt" > "$WORK/demangled.txt"
[ "$(wc -l < "$WORK/all.txt")" = "$(wc -l < "$WORK/demangled.txt")" ] || { echo "c++filt line count differs" >&2; exit 1; }
paste "$WORK/all.txt" "$WORK/demangled.txt" > "$OUT/corpus.tsv"

count() { [ -f "$WORK/syms/$1.txt" ] && sort -u "$WORK/syms/$1.txt" | wc -l || echo 0; }
{
  echo '{'
  echo "  \"cxxfilt\": \"$(c++filt --version | head -n 1)\","
  printf '  "tools": ['; first=1; for t in "${tools[@]}"; do [ $first = 1 ] || printf ', '; printf '"%s"' "$t"; first=0; done; echo '],'
  echo "  \"counts\": { \"cxx\": $(count cxx), \"libstdcxx\": $(count libstdcxx), \"rustV0\": $(count rust-v0), \"rustLegacy\": $(count rust-legacy), \"total\": $(wc -l < "$OUT/corpus.tsv") }"
  echo '}'
} > "$OUT/corpus.meta.json"
echo "wrote $OUT/corpus.tsv ($(wc -l < "$OUT/corpus.tsv") symbols)" >&2

# ── An end-to-end fixture: a C++ program's own backtrace_symbols handler (mangled names) ──
# Writes test/fixtures/demangle/bt_journal/<build>.run-backtrace.txt and truth.json (the
# crash frame is the function holding the `/* BUG */` marker, its line found by grep; the
# handler prints no fault address, so the kind is a plain segv).
if command -v g++ >/dev/null; then
  BT="$OUT/bt_journal"
  mkdir -p "$BT"
  NORAND=()
  # A fresh PID namespace (root) makes valgrind's ==PID== prefix repeat between runs.
  if command -v unshare >/dev/null && unshare -p -f --mount-proc true >/dev/null 2>&1; then NORAND=(unshare -p -f --mount-proc --); fi
  if command -v setarch >/dev/null && setarch "$(uname -m)" -R true >/dev/null 2>&1; then NORAND+=(setarch "$(uname -m)" -R); fi
  for build in O0 O2; do
    g++ "-$build" -g0 -rdynamic -fno-omit-frame-pointer "$SRC/bt_journal.cpp" -o "$WORK/bt_journal.$build"
    # The program dies of SIGSEGV by design; keep only its stderr.
    { (cd "$WORK" && exec env -i PATH=/usr/bin:/bin LANG=C.UTF-8 "${NORAND[@]}" "./bt_journal.$build" 2> "$BT/$build.run-backtrace.txt" >/dev/null) || true; } 2>/dev/null
    grep -q '_ZN5store7Journal6replayEi' "$BT/$build.run-backtrace.txt" || { echo "bt_journal.$build: no mangled crash frame" >&2; exit 1; }
  done
  # The same program under valgrind --demangle=no (no handler): mangled names with files.
  if command -v valgrind >/dev/null; then
    cp "$SRC/bt_journal.cpp" "$WORK/bt_journal.cpp"
    (cd "$WORK" && g++ -O0 -g -fno-omit-frame-pointer bt_journal.cpp -o bt_journal.vg)
    { (cd "$WORK" && exec env -i PATH=/usr/bin:/bin LANG=C.UTF-8 BT_NO_HANDLER=1 "${NORAND[@]}" valgrind --demangle=no ./bt_journal.vg 2> "$BT/O0.valgrind-demangle-no.txt" >/dev/null) || true; } 2>/dev/null
    grep -q '_ZN5store7Journal6replayEi (bt_journal.cpp' "$BT/O0.valgrind-demangle-no.txt" || { echo "valgrind: no mangled crash frame" >&2; exit 1; }
  else
    echo "skip valgrind fixture (valgrind not installed)" >&2
  fi
  line=$(grep -n '/\* BUG \*/' "$SRC/bt_journal.cpp" | head -n 1 | cut -d: -f1)
  cat > "$BT/truth.json" <<JSON
{
  "program": "bt_journal",
  "source": "bt_journal.cpp",
  "kind": "segv",
  "crashFrame": { "function": "store::Journal::replay(int)", "rawFunction": "_ZN5store7Journal6replayEi", "file": "bt_journal.cpp", "line": $line },
  "mode": "run",
  "builds": { "O0": "-O0 -g0 -rdynamic", "O2": "-O2 -g0 -rdynamic", "O0.valgrind": "-O0 -g, valgrind --demangle=no" },
  "kinds": { "run-backtrace": "segv", "valgrind-demangle-no": "null-deref" },
  "compiler": "$(g++ --version | head -n 1)"
}
JSON
fi
