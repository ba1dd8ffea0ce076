#!/usr/bin/env bash
# make-runtime-fixtures.sh — regenerate test/fixtures/runtimes/<runtime>/ from the programs
# with planted bugs in fixtures/runtimes/<runtime>/, using the real toolchains on this machine.
#
# For every case `CASE <name> kind=K fn=F [type=T] [root=R] [thread=N] [frames=none]` listed in a
# program's CASES comment block, and every variant (debug/release, RUST_BACKTRACE, ...), it runs
# the program twice: v1 as written, and v2 with unrelated lines inserted at the `V2-INSERT`
# marker (above every bug), so tests can check that signatures survive a line shift.
# Outputs: <case>.<variant>.<v1|v2>.txt (stderr+stdout of the crash) and a .truth.json beside
# each, holding what the planted bug says: kind, crash function, file basename, line (the line
# carrying `BUG[<case>]` in that version of the source), exception type and root cause.
#
# Needs: rustc, gdb, go (golang-go) with gcc for -race, python3 (and pytest), javac/java/jstack (JDK 17), node, ruby, php-cli.
# Usage: scripts/make-runtime-fixtures.sh [runtime...]   (default: all available)
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SRC=$ROOT/fixtures/runtimes
OUT=$ROOT/test/fixtures/runtimes
BUILD=/tmp/crashlens-rt            # fixed path, so v1 and v2 print the same file paths
RUNTIMES=${*:-rust go python java node ruby php}

have() { command -v "$1" >/dev/null 2>&1; }

# make_v2 <src> <dst> <line...>: copy src to dst, inserting the lines after the V2-INSERT marker.
make_v2() {
  local src=$1 dst=$2; shift 2
  node -e '
    const fs = require("fs");
    const [src, dst, ...ins] = process.argv.slice(1);
    const out = [];
    for (const l of fs.readFileSync(src, "utf8").split("\n")) {
      out.push(l);
      if (/^\s*(\/\/|#) V2-INSERT\s*$/.test(l)) out.push(...ins);
    }
    fs.writeFileSync(dst, out.join("\n"));
  ' "$src" "$dst" "$@"
}

# truth <source-as-run> <case> <json-out> <version> <variant> [frames-override]
truth() {
  node -e '
    const fs = require("fs"), path = require("path");
    const [src, name, out, version, variant, framesOverride] = process.argv.slice(1);
    const lines = fs.readFileSync(src, "utf8").split("\n");
    const decl = lines.find((l) => new RegExp("\\bCASE " + name.replace(/[-]/g, "\\-") + " ").test(l));
    if (!decl) { console.error("no CASE " + name + " in " + src); process.exit(1); }
    const attrs = {};
    for (const m of decl.matchAll(/(\w+)=(\S+)/g)) attrs[m[1]] = m[2];
    const at = lines.findIndex((l) => l.includes("BUG[" + name + "]"));
    const frames = attrs.frames === "none" ? "none" : framesOverride || attrs.frames || "yes";
    const t = {
      case: name, version, variant,
      kind: attrs.kind,
      exceptionType: attrs.type ?? null,
      rootCause: attrs.root ?? null,
      thread: attrs.thread ?? null,
      // frames=none: the runtime prints no stack for this crash (Rust stack overflow);
      // frames=maybe: optimised builds may inline the function away.
      frames,
      crashFunction: frames === "none" ? null : attrs.fn ?? null,
      file: path.basename(src),
      line: at >= 0 ? at + 1 : null,
    };
    fs.writeFileSync(out, JSON.stringify(t, null, 2) + "\n");
  ' "$@"
}

# run_case <runtime> <case> <variant> <version> <src-as-run> <frames-override> -- command...
# Runs the command in $BUILD/<runtime>, captures stderr+stdout, writes output and truth.
run_case() {
  local rt=$1 name=$2 variant=$3 version=$4 src=$5 frames=$6; shift 7
  local base="$OUT/$rt/$name.$variant.$version"
  mkdir -p "$OUT/$rt"
  (cd "$BUILD/$rt" && timeout 60 "$@") >"$base.txt" 2>&1
  truth "$src" "$name" "$base.truth.json" "$version" "$variant" "$frames"
}

cases_of() { grep -o 'CASE [a-z0-9-]*' "$1" | cut -d' ' -f2; }

# ---------------------------------------------------------------- Rust
do_rust() {
  have rustc || { echo "rust: rustc missing, skipped"; return; }
  local f=ledgerd.rs
  for version in v1 v2; do
    rm -rf "$BUILD/rust"; mkdir -p "$BUILD/rust"
    if [ $version = v1 ]; then cp "$SRC/rust/$f" "$BUILD/rust/$f"
    else make_v2 "$SRC/rust/$f" "$BUILD/rust/$f" "const AUDIT_WINDOW_DAYS: u32 = 30;" "" "fn audit_window() -> u32 {" "    AUDIT_WINDOW_DAYS * 2" "}"; fi
    (cd "$BUILD/rust" && rustc -g -C opt-level=0 --crate-name ledgerd -A warnings $f -o ledgerd-debug \
      && rustc -C opt-level=3 --crate-name ledgerd -A warnings $f -o ledgerd-release \
      && rustc --test -g -C opt-level=0 --crate-name ledgerd -A warnings $f -o ledgerd-test) || return
    for name in $(cases_of "$BUILD/rust/$f"); do
      for build in debug release; do
        # Release builds inline small functions away and carry no line tables.
        local frames=""; [ $build = release ] && frames=maybe
        [ "$name" = overflow ] && [ $build = release ] && continue   # no overflow check in release
        for bt in 0 1 full; do
          # bt0: RUST_BACKTRACE unset (the default a user sees).
          local envset="RUST_BACKTRACE=$bt"; [ "$bt" = 0 ] && envset="-u RUST_BACKTRACE"
          run_case rust "$name" "$build-bt$bt" $version "$BUILD/rust/$f" "$frames" -- \
            env $envset "./ledgerd-$build" "$name"
        done
      done
      # The same panic in a test run by libtest (what `cargo test` prints).
      if [ "$name" = index-oob ]; then
        run_case rust "$name" test-bt1 $version "$BUILD/rust/$f" "" -- env RUST_BACKTRACE=1 ./ledgerd-test tests::journal_lookup
        # (libtest names the panicking thread after the test)
        sed -i 's#"thread": null#"thread": "tests::journal_lookup"#' "$OUT/rust/$name.test-bt1.$version.truth.json"
      fi
      # Rust frames seen through gdb: stop at the panic (break rust_panic) and print the stack.
      if have gdb && { [ "$name" = unwrap-none ] || [ "$name" = thread-expect ] || [ "$name" = index-oob ]; }; then
        run_case rust "$name" gdb $version "$BUILD/rust/$f" "" -- env -u RUST_BACKTRACE \
          gdb -q -nx -batch -ex 'set debuginfod enabled off' -ex 'set pagination off' -ex 'break rust_panic' -ex run -ex bt \
            --args ./ledgerd-debug "$name"
      fi
    done
  done
  echo "rust: done"
}

# ---------------------------------------------------------------- Go
do_go() {
  have go || { echo "go: go missing (apt: golang-go), skipped"; return; }
  for version in v1 v2; do
    rm -rf "$BUILD/go"; mkdir -p "$BUILD/go"
    cp "$SRC/go/go.mod" "$SRC/go/main_test.go" "$BUILD/go/"
    if [ $version = v1 ]; then cp "$SRC/go/main.go" "$BUILD/go/main.go"
    else make_v2 "$SRC/go/main.go" "$BUILD/go/main.go" "const auditWindowDays = 30" "" "func auditWindow() int {" "	return auditWindowDays * 2" "}"; fi
    (cd "$BUILD/go" && GOFLAGS=-mod=mod go build -o shipyard . && GOFLAGS=-mod=mod go build -race -o shipyard-race .) || return
    for name in $(cases_of "$BUILD/go/main.go"); do
      # The race detector's report needs a -race build (cgo and gcc).
      local bin=./shipyard; [ "$name" = race ] && bin=./shipyard-race
      run_case go "$name" default $version "$BUILD/go/main.go" "" -- $bin "$name"
      case $name in
        many-goroutines) run_case go "$name" all $version "$BUILD/go/main.go" "" -- env GOTRACEBACK=all ./shipyard "$name" ;;
        nil-pointer|nil-map) run_case go "$name" system $version "$BUILD/go/main.go" "" -- env GOTRACEBACK=system ./shipyard "$name" ;;
        # the same panic inside `go test` (main_test.go), as a CI log shows it
        # (a test binary names package main by its import path)
        index) run_case go "$name" gotest $version "$BUILD/go/main.go" "" -- env GOFLAGS=-mod=mod go test -run '^TestPickBerth$' -count=1 .
               sed -i 's#"main\.pickBerth"#"example.invalid/shipyard.pickBerth"#' "$OUT/go/$name.gotest.$version.truth.json"
               # and a test that fails without a panic (t.Errorf)
               run_case go gotest-fail gotest $version "$BUILD/go/main_test.go" "" -- env GOFLAGS=-mod=mod go test -run '^TestManifestCount$' -count=1 . ;;
      esac
    done
  done
  echo "go: done"
}

# ---------------------------------------------------------------- Python
do_python() {
  have python3 || { echo "python: python3 missing, skipped"; return; }
  for version in v1 v2; do
    rm -rf "$BUILD/python"; mkdir -p "$BUILD/python"
    if [ $version = v1 ]; then cp "$SRC/python/tidepool.py" "$BUILD/python/"
    else make_v2 "$SRC/python/tidepool.py" "$BUILD/python/tidepool.py" "AUDIT_WINDOW_DAYS = 30" "" "" "def audit_window():" "    return AUDIT_WINDOW_DAYS * 2"; fi
    for name in $(cases_of "$BUILD/python/tidepool.py"); do
      run_case python "$name" default $version "$BUILD/python/tidepool.py" "" -- python3 tidepool.py "$name"
    done
    # The same bug, and a failed assert, as pytest reports them (its own traceback styles).
    if python3 -c 'import pytest' 2>/dev/null; then
      cp "$SRC/python/test_tidepool.py" "$BUILD/python/"
      local pytest="python3 -m pytest -q -p no:cacheprovider test_tidepool.py"
      run_case python attr-none pytest $version "$BUILD/python/tidepool.py" "" -- $pytest -k test_salinity
      run_case python attr-none pytest-short $version "$BUILD/python/tidepool.py" "" -- $pytest -k test_salinity --tb=short
      run_case python pytest-assert pytest $version "$BUILD/python/test_tidepool.py" "" -- $pytest -k test_station_count
      run_case python attr-none unittest $version "$BUILD/python/tidepool.py" "" -- python3 -m unittest test_tidepool.StationTest.test_probe_reading
    else
      echo "python: pytest missing (apt: python3-pytest), its fixtures skipped"
    fi
  done
  echo "python: done"
}

# ---------------------------------------------------------------- Java
do_java() {
  have javac || { echo "java: javac missing, skipped"; return; }
  local rel=org/harbor/tally/Tally.java
  for version in v1 v2; do
    rm -rf "$BUILD/java"; mkdir -p "$BUILD/java/src/org/harbor/tally"
    if [ $version = v1 ]; then cp "$SRC/java/src/$rel" "$BUILD/java/src/$rel"
    else make_v2 "$SRC/java/src/$rel" "$BUILD/java/src/$rel" "final class AuditWindow {" "    static final int DAYS = 30;" "" "    static int doubled() {" "        return DAYS * 2;" "    }" "}"; fi
    (cd "$BUILD/java" && javac -g -d classes "src/$rel") || return
    for name in $(cases_of "$BUILD/java/src/$rel"); do
      if [ "$name" = deadlock ]; then
        # A thread dump of the deadlocked program, taken with jstack (as a user would).
        mkdir -p "$OUT/java"
        local base="$OUT/java/$name.jstack.$version"
        (cd "$BUILD/java" && exec java -cp classes org.harbor.tally.Tally deadlock) >"$BUILD/java/dl.out" 2>&1 &
        local pid=$!
        for _ in $(seq 50); do grep -q '^PID' "$BUILD/java/dl.out" 2>/dev/null && break; sleep 0.2; done
        jstack "$pid" >"$base.txt" 2>&1
        kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
        truth "$BUILD/java/src/$rel" "$name" "$base.truth.json" $version jstack ""
      else
        # oom: a small heap so the JVM throws OutOfMemoryError quickly.
        local flags=""; [ "$name" = oom ] && flags="-Xmx24m"
        run_case java "$name" default $version "$BUILD/java/src/$rel" "" -- java $flags -cp classes org.harbor.tally.Tally "$name"
      fi
    done
  done
  echo "java: done"
}

# ---------------------------------------------------------------- Node
do_node() {
  have node || { echo "node: node missing, skipped"; return; }
  for version in v1 v2; do
    rm -rf "$BUILD/node"; mkdir -p "$BUILD/node"
    if [ $version = v1 ]; then cp "$SRC/node/relay.cjs" "$BUILD/node/"
    else make_v2 "$SRC/node/relay.cjs" "$BUILD/node/relay.cjs" "const AUDIT_WINDOW_DAYS = 30;" "" "function auditWindow() {" "  return AUDIT_WINDOW_DAYS * 2;" "}"; fi
    for name in $(cases_of "$BUILD/node/relay.cjs"); do
      # heap-oom: a small heap so V8 gives up quickly (FATAL ERROR: … heap out of memory).
      local flags=""; [ "$name" = heap-oom ] && flags="--max-old-space-size=16"
      run_case node "$name" default $version "$BUILD/node/relay.cjs" "" -- node $flags relay.cjs "$name"
    done
    # Node's own test runner, its TAP output (what a CI log holds): one failing test per run.
    if [ $version = v1 ]; then cp "$SRC/node/relay.test.mjs" "$BUILD/node/"
    else make_v2 "$SRC/node/relay.test.mjs" "$BUILD/node/relay.test.mjs" "const AUDIT_WINDOW_DAYS = 30;" "" "function auditWindow() {" "  return AUDIT_WINDOW_DAYS * 2;" "}"; fi
    run_case node node-test-typeerror tap $version "$BUILD/node/relay.test.mjs" "" -- node --test --test-name-pattern='routes a frame' relay.test.mjs
    run_case node node-test-assert tap $version "$BUILD/node/relay.test.mjs" "" -- node --test --test-name-pattern='counts relays' relay.test.mjs
    # the same run with the spec reporter (what a terminal shows)
    run_case node node-test-typeerror spec $version "$BUILD/node/relay.test.mjs" "" -- node --test --test-reporter=spec --test-name-pattern='routes a frame' relay.test.mjs
    # both tests failing: the spec reporter prints each failure where it happened and again in
    # its closing list; the analysed one is the last (the failed assertion)
    run_case node node-test-assert spec-all $version "$BUILD/node/relay.test.mjs" "" -- node --test --test-reporter=spec relay.test.mjs
  done
  echo "node: done"
}

# ---------------------------------------------------------------- Ruby
do_ruby() {
  have ruby || { echo "ruby: ruby missing (apt: ruby), skipped"; return; }
  for version in v1 v2; do
    rm -rf "$BUILD/ruby"; mkdir -p "$BUILD/ruby"
    if [ $version = v1 ]; then cp "$SRC/ruby/quarry.rb" "$BUILD/ruby/"
    else make_v2 "$SRC/ruby/quarry.rb" "$BUILD/ruby/quarry.rb" "AUDIT_WINDOW_DAYS = 30" "" "def audit_window" "  AUDIT_WINDOW_DAYS * 2" "end"; fi
    for name in $(cases_of "$BUILD/ruby/quarry.rb"); do
      run_case ruby "$name" default $version "$BUILD/ruby/quarry.rb" "" -- ruby "$BUILD/ruby/quarry.rb" "$name"
    done
    # The same bug, and a failed assertion, as Minitest reports them.
    cp "$SRC/ruby/quarry_test.rb" "$BUILD/ruby/"
    run_case ruby nil-method minitest $version "$BUILD/ruby/quarry.rb" "" -- ruby quarry_test.rb --seed 1 -n test_slab_width
    run_case ruby minitest-failure minitest $version "$BUILD/ruby/quarry_test.rb" "" -- ruby quarry_test.rb --seed 1 -n test_slab_count
  done
  echo "ruby: done"
}

# ---------------------------------------------------------------- PHP
do_php() {
  have php || { echo "php: php missing (apt: php-cli), skipped"; return; }
  for version in v1 v2; do
    rm -rf "$BUILD/php"; mkdir -p "$BUILD/php"
    if [ $version = v1 ]; then cp "$SRC/php/kiln.php" "$BUILD/php/"
    else make_v2 "$SRC/php/kiln.php" "$BUILD/php/kiln.php" "const AUDIT_WINDOW_DAYS = 30;" "" "function auditWindow(): int" "{" "    return AUDIT_WINDOW_DAYS * 2;" "}"; fi
    for name in $(cases_of "$BUILD/php/kiln.php"); do
      run_case php "$name" default $version "$BUILD/php/kiln.php" "" -- php -d display_errors=stderr -d log_errors=0 "$BUILD/php/kiln.php" "$name"
    done
  done
  echo "php: done"
}

for rt in $RUNTIMES; do "do_$rt"; done
