#!/usr/bin/env bash
# Builds the small C/C++ programs in fixtures/sanitizers/src (each with one planted bug,
# marked `/* BUG */`, and a `/* TRUTH … */` header naming the expected kind, crash function
# and access), runs them under the sanitizers (clang and gcc) and valgrind, and writes
#   test/fixtures/sanitizers/<case>.txt   the tool's output as a user would paste it
#   test/fixtures/sanitizers/truth.json   what the planted bug says the parser must find
# Rerun it any time: addresses and pids change, the truth does not.
# Needs (Debian): clang, libclang-rt-14-dev (sanitizer runtimes for clang), llvm
# (llvm-symbolizer), gcc/g++ (libasan8, libtsan2, libubsan1, liblsan0 come with them), valgrind.
# The out-of-memory case needs the default overcommit heuristic (vm.overcommit_memory=0). A case whose toolchain is missing is skipped.
# HWASan needs aarch64 (or an x86_64 kernel with the tagged-address ABI): its fixtures are
# hand-written in test/fixtures/sanitizers/handwritten/.
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
SRC=fixtures/sanitizers/src
OUT=test/fixtures/sanitizers
BUILD=${BUILD_DIR:-/tmp/crashlens-sanitizer-build}
mkdir -p "$OUT" "$BUILD"

# clang's runtimes symbolize with llvm-symbolizer from PATH (Debian package `llvm`); fall
# back to the versioned one that clang's own llvm-N package installs.
if ! command -v llvm-symbolizer >/dev/null 2>&1; then
  for s in /usr/lib/llvm-*/bin/llvm-symbolizer; do
    [ -x "$s" ] && export ASAN_SYMBOLIZER_PATH="$s" MSAN_SYMBOLIZER_PATH="$s" TSAN_SYMBOLIZER_PATH="$s" UBSAN_SYMBOLIZER_PATH="$s" LSAN_SYMBOLIZER_PATH="$s"
  done
fi

# name | source | compiler | flags | environment | runner (run, or a valgrind command) | truth overrides
CASES=$(cat <<'EOF'
asan-heap-buffer-overflow-clang|heap_overflow.c|clang|-fsanitize=address||run|
asan-heap-buffer-overflow-gcc|heap_overflow.c|gcc|-fsanitize=address||run|
asan-stack-buffer-overflow-clang|stack_overflow_buf.c|clang|-fsanitize=address||run|
asan-stack-buffer-overflow-gcc|stack_overflow_buf.c|gcc|-fsanitize=address||run|
asan-global-buffer-overflow-clang|global_overflow.c|clang|-fsanitize=address||run|
asan-global-buffer-overflow-gcc|global_overflow.c|gcc|-fsanitize=address||run|
asan-heap-use-after-free-clang|use_after_free.c|clang|-fsanitize=address||run|
asan-heap-use-after-free-gcc|use_after_free.c|gcc|-fsanitize=address||run|
asan-stack-use-after-return-clang|use_after_return.c|clang|-fsanitize=address|ASAN_OPTIONS=detect_stack_use_after_return=1|run|
asan-stack-use-after-return-gcc|use_after_return.c|gcc|-fsanitize=address|ASAN_OPTIONS=detect_stack_use_after_return=1|run|
asan-stack-use-after-scope-clang|use_after_scope.c|clang|-fsanitize=address||run|
asan-stack-use-after-scope-gcc|use_after_scope.c|gcc|-fsanitize=address||run|
asan-double-free-clang|double_free.c|clang|-fsanitize=address||run|
asan-double-free-gcc|double_free.c|gcc|-fsanitize=address||run|
asan-bad-free-clang|bad_free.c|clang|-fsanitize=address||run|
asan-alloc-dealloc-mismatch-clang|alloc_mismatch.cpp|clang++|-fsanitize=address||run|
asan-alloc-dealloc-mismatch-gcc|alloc_mismatch.cpp|g++|-fsanitize=address||run|
asan-segv-null-clang|null_deref.c|clang|-fsanitize=address||run|
asan-segv-null-gcc|null_deref.c|gcc|-fsanitize=address||run|
asan-stack-overflow-clang|recursion.c|clang|-fsanitize=address||run|
asan-container-overflow-gcc|container_overflow.cpp|g++|-fsanitize=address -D_GLIBCXX_SANITIZE_VECTOR||run|
asan-memcpy-param-overlap-clang|memcpy_overlap.c|clang|-fsanitize=address -fno-builtin||run|
asan-negative-size-param-clang|negative_size.c|clang|-fsanitize=address -fno-builtin||run|
asan-use-after-poison-clang|use_after_poison.c|clang|-fsanitize=address||run|
asan-allocation-size-too-big-clang|alloc_too_big.c|clang|-fsanitize=address||run|
asan-out-of-memory-clang|out_of_memory.c|clang|-fsanitize=address||run|
msan-use-of-uninitialized-value-clang|msan_uninit.c|clang|-fsanitize=memory -fsanitize-memory-track-origins=2||run|
msan-no-origins-clang|msan_uninit.c|clang|-fsanitize=memory||run|stacks=
tsan-data-race-clang|tsan_race.c|clang|-fsanitize=thread||run|
tsan-data-race-gcc|tsan_race.c|gcc|-fsanitize=thread||run|
tsan-lock-order-inversion-clang|tsan_lock_order.c|clang|-fsanitize=thread||run|
tsan-signal-unsafe-clang|tsan_signal_unsafe.c|clang|-fsanitize=thread||run|
tsan-heap-use-after-free-clang|tsan_uaf.c|clang|-fsanitize=thread||run|
ubsan-signed-overflow-clang|ubsan_overflow.c|clang|-fsanitize=undefined||run|
ubsan-signed-overflow-stack-clang|ubsan_overflow.c|clang|-fsanitize=undefined|UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1|run|
ubsan-signed-overflow-gcc|ubsan_overflow.c|gcc|-fsanitize=undefined||run|
ubsan-shift-clang|ubsan_shift.c|clang|-fsanitize=undefined||run|
ubsan-divide-by-zero-gcc|ubsan_divzero.c|gcc|-fsanitize=undefined|UBSAN_OPTIONS=print_stacktrace=1|run|
ubsan-bounds-clang|ubsan_bounds.c|clang|-fsanitize=undefined|UBSAN_OPTIONS=print_stacktrace=1|run|
ubsan-null-gcc|ubsan_null.c|gcc|-fsanitize=undefined||run|
lsan-leak-clang|leak.c|clang|-fsanitize=leak||run|
lsan-leak-gcc|leak.c|gcc|-fsanitize=leak||run|
asan-leak-clang|leak.c|clang|-fsanitize=address||run|
valgrind-invalid-read-free|use_after_free.c|gcc|||valgrind --tool=memcheck|
valgrind-invalid-read-after-block|heap_overflow.c|gcc|||valgrind --tool=memcheck|
valgrind-uninitialised-origins|msan_uninit.c|gcc|||valgrind --tool=memcheck --track-origins=yes|stacks=origin
valgrind-syscall-param|syscall_param.c|gcc|||valgrind --tool=memcheck --track-origins=yes|stacks=origin
valgrind-invalid-free|bad_free.c|gcc|||valgrind --tool=memcheck|
valgrind-double-free|double_free.c|gcc|||valgrind --tool=memcheck|stacks=freed,allocated
valgrind-mismatched-free|alloc_mismatch.cpp|g++|||valgrind --tool=memcheck|
valgrind-leak|leak.c|gcc|||valgrind --tool=memcheck --leak-check=full --show-leak-kinds=all|
valgrind-segv-null|null_deref.c|gcc|||valgrind --tool=memcheck|
valgrind-uninitialised-index|uninit_index.c|gcc|||valgrind --tool=memcheck --track-origins=yes|
msan-uninitialised-index-clang|uninit_index.c|clang|-fsanitize=memory -fsanitize-memory-track-origins=2||run|
valgrind-helgrind-race|tsan_race.c|gcc|-pthread||valgrind --tool=helgrind|stacks=other-access
valgrind-drd-race|tsan_race.c|gcc|-pthread||valgrind --tool=drd|stacks=
EOF
)

have() { command -v "$1" >/dev/null 2>&1; }

TRUTH_TMP=$(mktemp)
echo "{" >"$TRUTH_TMP"
first=1
made=0
skipped=0
while IFS='|' read -r name source compiler flags envs runner overrides; do
  [ -z "$name" ] && continue
  src="$SRC/$source"
  if ! have "$compiler" || { [ "$runner" != run ] && ! have valgrind; }; then
    echo "skip $name: $compiler or valgrind missing" >&2
    skipped=$((skipped + 1))
    continue
  fi
  bin="$BUILD/$name"
  # Compile from the source folder with a relative path: reports name `heap_overflow.c`.
  if ! (cd "$SRC" && "$compiler" -g -O0 -fno-omit-frame-pointer -fdebug-prefix-map="$ROOT/$SRC"=/home/dev/gadgets $flags "$source" -o "$bin" -lpthread) 2>"$BUILD/$name.cc.log"; then
    echo "skip $name: does not build with $compiler $flags ($(head -1 "$BUILD/$name.cc.log"))" >&2
    skipped=$((skipped + 1))
    continue
  fi
  if [ "$runner" = run ]; then
    (cd "$BUILD" && env $envs timeout 60 "$bin") >"$OUT/$name.txt" 2>&1
  else
    (cd "$BUILD" && env $envs timeout 120 $runner "$bin") >"$OUT/$name.txt" 2>&1
  fi
  # Which tool made it decides the expected format id.
  case "$name" in valgrind-*) format=valgrind ;; *) format=${name%%-*} ;; esac
  truth=$(sed -n '1s/^\/\* TRUTH \(.*\) \*\/$/\1/p' "$src")
  line=$(grep -n '/\* BUG \*/' "$src" | head -1 | cut -d: -f1)
  kind=$(printf '%s\n' "$truth" | tr ' ' '\n' | sed -n 's/^kind=//p')
  func=$(printf '%s\n' "$truth" | tr ' ' '\n' | sed -n 's/^function=//p')
  access=$(printf '%s\n' "$truth" | tr ' ' '\n' | sed -n 's/^access=//p')
  size=$(printf '%s\n' "$truth" | tr ' ' '\n' | sed -n 's/^size=//p')
  stacks=$(printf '%s\n' "$truth" | tr ' ' '\n' | sed -n 's/^stacks=//p')
  # Per-case overrides (`stacks=…`, `kind=…`) for what a tool can or cannot show.
  for o in $overrides; do
    case "$o" in
      stacks=*) stacks=${o#stacks=} ;;
      kind=*) kind=${o#kind=} ;;
    esac
  done
  # A leak's truth line is the allocation; valgrind's syscall check and LSan have no access.
  js_stacks=$(printf '%s' "$stacks" | awk -F, '{for(i=1;i<=NF;i++){printf "%s\"%s\"", (i>1?",":""), $i}}')
  [ $first -eq 1 ] || echo "," >>"$TRUTH_TMP"
  first=0
  printf '  "%s": {"format": "%s", "source": "%s", "compiler": "%s", "flags": "%s", "env": "%s", "runner": "%s", "kind": "%s", "function": "%s", "file": "%s", "line": %s, "access": %s, "stacks": [%s]}' \
    "$name" "$format" "$source" "$compiler" "$flags" "$envs" "$runner" "$kind" "$func" "$source" "$line" \
    "$( [ -n "$access" ] && printf '{"type": "%s"%s}' "$access" "$( [ -n "$size" ] && printf ', "size": %s' "$size")" || printf null)" \
    "$js_stacks" >>"$TRUTH_TMP"
  made=$((made + 1))
done <<<"$CASES"
printf '\n}\n' >>"$TRUTH_TMP"
mv "$TRUTH_TMP" "$OUT/truth.json"
echo "made $made fixtures, skipped $skipped; truth in $OUT/truth.json"
