#!/usr/bin/env bash
# make-native-fixtures.sh — real native crash fixtures for crashlens.
#
# Compiles the small C and C++ programs in fixtures/native/src (each with one planted bug)
# in three builds — O0 (-O0 -g), O2 (-O2 -g), stripped (-O2, then strip) — runs each under
# the installed gdb and lldb (and, for some, a plain shell and the program's own
# backtrace_symbols handler) and writes every output unedited to
#   test/fixtures/native/<program>/<build>.<tool>-<shape>.txt
# plus test/fixtures/native/<program>/truth.json: what the script knows from the planted bug
# (kind, crash-frame function, file, line — the line is found by grepping the `/* BUG */`
# marker in the source, never typed by hand).
#
# Rerunnable. Deterministic where the tools allow: binaries are built and run from the fixed
# path $WORK (/tmp/crashlens-fixtures), with an empty environment, ASLR off, and — when
# `unshare` works (root) — in a fresh PID namespace so process and LWP numbers repeat.
#
# Environment knobs (the live test uses them):
#   ONLY="evloop divzero"   only these programs (default: all)
#   BUILDS="O0 O2 stripped" only these builds
#   TOOLS="gdb lldb run shell" only these captures
#   OUT=dir                 where to write (default: test/fixtures/native in the repo)
#   WORK=dir                build/run directory (default: /tmp/crashlens-fixtures)
#
# Needs: gcc, g++, gdb; optional: lldb (lldb-14), util-linux (unshare, setarch).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SRC="$REPO/fixtures/native/src"
OUT=${OUT:-"$REPO/test/fixtures/native"}
WORK=${WORK:-/tmp/crashlens-fixtures}
BUILDS=${BUILDS:-"O0 O2 stripped"}
TOOLS=${TOOLS:-"gdb lldb run shell"}
MAX_BYTES=$((1024 * 1024))
TIMEOUT=${TIMEOUT:-120}

ALL_PROGRAMS="evloop assert_fail abort_call double_free heap_corrupt stack_smash recurse divzero deadlock cxx_throw pure_virtual cxx_segv bt_symbols"
ONLY=${ONLY:-$ALL_PROGRAMS}

# ---------------------------------------------------------------------------------------
# The table of programs: one row per program (what the planted bug is).
#   SRCFILE   source file in fixtures/native/src
#   FLAGS     extra compiler flags for every build
#   KIND      expected crash kind (DESIGN taxonomy)
#   FUNC      crash-frame function (as a demangler prints it, without parameter list);
#             empty = no single crash frame (deadlock: see the BUG markers, one per thread)
#   TOP       1 = the top frame (frame 0) is FUNC itself (the fault is in app code)
#   NULLARG   argument of the crash frame that is NULL (null-deref visible in `bt`)
#   EXPORTED  1 = FUNC is in .dynsym (-rdynamic, not static): named even when stripped
#   EXACT     0 = the crash line is not fixed by the bug (stack overflow faults anywhere
#             in the function); 1 = frame line is the BUG marker line
#   MODE      run | attach (attach: start, wait, attach the debugger, kill)
#   SHAPES    gdb commands to capture, one output file each (`all`: bt, bt full, thread
#             apply all bt and thread apply all bt full in one session, one file)
#   SHELLRUN  1 = also capture a plain `bash -c` run (the shell's signal message)
#   THREAD    name of the crashing thread, when the program names it
#   MESSAGE   a piece of the runtime's own stderr message (assertion, glibc, libstdc++), when
#             there is one a tool can recognise (a program's free-form fprintf is not)
# ---------------------------------------------------------------------------------------
declare -A SRCFILE FLAGS KIND FUNC TOP NULLARG EXPORTED EXACT MODE SHAPES SHELLRUN THREAD MESSAGE
STD_SHAPES="bt|bt full|thread apply all bt|thread apply all bt full"

row() { # name srcfile flags kind func top nullarg exported exact mode shapes shell thread message
    SRCFILE[$1]=$2; FLAGS[$1]=$3; KIND[$1]=$4; FUNC[$1]=$5; TOP[$1]=$6; NULLARG[$1]=$7
    EXPORTED[$1]=$8; EXACT[$1]=$9; MODE[$1]=${10}; SHAPES[$1]=${11}; SHELLRUN[$1]=${12}
    THREAD[$1]=${13}; MESSAGE[$1]=${14}
}
#   name         src               flags                     kind                 func                                      top nullarg exp exact mode   shapes           shell thread      message
row evloop       evloop.c          "-pthread"                null-deref           scsi_complete_req                         1   req     0   1     run    "$STD_SHAPES|all" 1     iothread0   ""
row assert_fail  assert_fail.c     ""                        assertion            blk_drain_end                             0   ""      0   1     run    "$STD_SHAPES|all" 1     ""          "Assertion \`s->in_flight == 0' failed."
row abort_call   abort_call.c      ""                        abort                cfg_load                                  0   ""      0   1     run    "$STD_SHAPES"    0     ""          ""
row double_free  double_free.c     ""                        double-free          conn_destroy                              0   ""      0   1     run    "$STD_SHAPES"    1     ""          "double free"
row heap_corrupt heap_corrupt.c    ""                        heap-corruption      rec_flush                                 0   ""      0   1     run    "$STD_SHAPES"    1     ""          "malloc(): corrupted top size"
row stack_smash  stack_smash.c     "-fstack-protector-strong" stack-smashing      parse_hdr                                 0   ""      0   1     run    "$STD_SHAPES"    1     ""          "*** stack smashing detected ***"
row recurse      recurse.c         ""                        stack-overflow       walk_tree                                 1   ""      0   0     run    "bt|bt 30|bt -30" 1    ""          ""
row divzero      divzero.c         ""                        fpe                  stats_average                             1   ""      0   1     run    "$STD_SHAPES"    1     ""          ""
row deadlock     deadlock.c        "-pthread"                deadlock             ""                                        0   ""      0   1     attach "thread apply all bt|thread apply all bt full" 0 "" ""
row cxx_throw    cxx_throw.cpp     ""                        uncaught-exception   store::Journal::replay                    0   ""      0   1     run    "$STD_SHAPES"    1     ""          "terminate called after throwing an instance of 'std::runtime_error'"
row pure_virtual pure_virtual.cpp  ""                        abort                Codec::init                               0   ""      0   1     run    "$STD_SHAPES"    0     ""          "pure virtual method called"
row cxx_segv     cxx_segv.cpp      ""                        null-deref           "(anonymous namespace)::SlotTable<long>::acquire" 1 "" 0 1     run    "$STD_SHAPES"    0     ""          ""
row bt_symbols   bt_symbols.c      "-rdynamic"               null-deref           lru_unlink                                1   e       1   1     run    "$STD_SHAPES"    1     ""          ""

# ---------------------------------------------------------------------------------------
log() { printf '%s\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }

for tool in gcc g++ gdb; do
    have "$tool" || { log "make-native-fixtures: $tool is required"; exit 1; }
done
HAVE_LLDB=0
if have lldb; then HAVE_LLDB=1; fi

# lldb 14 on Debian looks for its Python package in a path that does not exist and prints
# a Python traceback on every start; point it at the real one when we can find it.
if [[ $HAVE_LLDB == 1 ]]; then
    lldb_py=$(lldb -P 2>/dev/null | head -n 1 || true)
    if [[ -z $lldb_py || ! -d $lldb_py/lldb ]]; then
        for d in /usr/lib/llvm-*/lib/python3*/dist-packages; do
            if [[ -d $d/lldb ]]; then export PYTHONPATH="$d"; break; fi
        done
    fi
fi

# Fresh PID namespace when allowed: the inferior and its threads get the same numbers on
# every run (Process 2, LWP 3, ...).
NS=()
if have unshare && unshare -p -f --mount-proc true >/dev/null 2>&1; then
    NS=(unshare -p -f --mount-proc --)
fi
# No address-space randomisation for plain runs (debuggers turn it off themselves).
NORAND=()
if have setarch && setarch "$(uname -m)" -R true >/dev/null 2>&1; then
    NORAND=(setarch "$(uname -m)" -R)
fi
# An empty, fixed environment: stack addresses depend on the environment's size.
CLEAN_ENV=(env -i PATH=/usr/bin:/bin HOME=/tmp LANG=C.UTF-8 TERM=dumb)
[[ -n ${PYTHONPATH:-} ]] && CLEAN_ENV+=("PYTHONPATH=$PYTHONPATH")

GDB_SETUP=(-nx -q -batch -ex "set pagination off" -ex "set startup-with-shell off" -ex "set width 0")
if gdb -nx -batch -ex "set debuginfod enabled off" >/dev/null 2>&1 &&
    [[ -z $(gdb -nx -batch -ex "set debuginfod enabled off" 2>&1) ]]; then
    GDB_SETUP+=(-ex "set debuginfod enabled off")
fi

# Shape → file-name part: "thread apply all bt full" → "thread-apply-all-bt-full",
# "bt 30" → "bt-30", "bt -30" → "bt-minus-30".
shape_name() {
    local s=$1
    s=${s// -/ minus-}
    s=${s// /-}
    printf '%s' "$s"
}

marker_lines() { # file → the line numbers of /* BUG */ markers, space separated
    grep -n '/\* BUG \*/' "$1" | cut -d: -f1 | tr '\n' ' ' | sed 's/ $//'
}

json_str() { # a JSON string (the values here hold no control characters)
    local s=$1
    s=${s//\\/\\\\}
    s=${s//\"/\\\"}
    printf '"%s"' "$s"
}

trim() { local s=$1; s=${s%" "}; printf '%s' "$s"; }

json_or_null() { if [[ -n $1 ]]; then json_str "$1"; else printf 'null'; fi; }

compile() { # program build → builds $WORK/<build>/<program>
    local p=$1 b=$2 src=${SRCFILE[$1]} cc=gcc
    [[ $src == *.cpp ]] && cc=g++
    local dir="$WORK/$b"
    mkdir -p "$dir"
    local -a opt
    case $b in
        O0) opt=(-O0 -g) ;;
        O2) opt=(-O2 -g) ;;
        stripped) opt=(-O2) ;;
    esac
    # shellcheck disable=SC2086 # FLAGS is a word list
    (cd "$dir" && $cc "${opt[@]}" ${FLAGS[$p]} -o "$p" "../src/$src" 2>"$dir/$p.compile.log")
    if [[ $b == stripped ]]; then strip "$dir/$p"; fi
}

keep() { # tmpfile destfile → move into place unless over the size limit
    local tmp=$1 dest=$2 size
    size=$(wc -c <"$tmp")
    if ((size > MAX_BYTES)); then
        log "  skip $(basename "$dest"): $size bytes > $MAX_BYTES"
        rm -f "$tmp" "$dest"
        return
    fi
    mv "$tmp" "$dest"
    log "  wrote $(basename "$dest") ($size bytes)"
}

run_in() { # dir command... → runs in dir with a clean env, in a PID namespace when possible.
    # The command's stdout and stderr go to our stdout. It runs under an inner bash whose own
    # stderr is /dev/null, so that bash's "Segmentation fault" job report (with a varying
    # PID) does not land in the capture; `exit $?` keeps that bash from exec'ing.
    local dir=$1
    shift
    (cd "$dir" && timeout "$TIMEOUT" "${NS[@]}" "${CLEAN_ENV[@]}" \
        bash -c '"$@" >&3 2>&3; exit $?' run_in "$@" 3>&1 2>/dev/null) || true
}

capture_gdb() { # program build
    local p=$1 b=$2 dir="$WORK/$2" shape name dest
    local IFS='|'
    local -a shapes
    read -r -a shapes <<<"${SHAPES[$p]}"
    unset IFS
    for shape in "${shapes[@]}"; do
        name=$(shape_name "$shape")
        dest="$OUT/$p/$b.gdb-$name.txt"
        local -a cmds=(-ex "$shape")
        if [[ $shape == all ]]; then
            # One session, every command after another: what a paste of a whole gdb
            # session looks like (the same crash shown four times).
            cmds=(-ex bt -ex "bt full" -ex "thread apply all bt" -ex "thread apply all bt full")
        fi
        if [[ ${MODE[$p]} == attach ]]; then
            run_in "$dir" bash "$WORK/attach.sh" "./$p" gdb "${GDB_SETUP[@]}" "${cmds[@]}" >"$dest.tmp" 2>&1
        else
            run_in "$dir" gdb "${GDB_SETUP[@]}" -ex run "${cmds[@]}" --args "./$p" >"$dest.tmp" 2>&1
        fi
        keep "$dest.tmp" "$dest"
    done
}

lldb_run() { # dir command prog → lldb output of `run` then `command` when the program stops.
    # `-k` (run on crash) is the documented way, but lldb 14 skips it when the stop is in a
    # thread other than the first; then `-o` after `run` (run is synchronous in batch mode).
    local dir=$1 cmd=$2 prog=$3 out
    out=$(run_in "$dir" lldb -x -b -o run -k "$cmd" -k quit -- "$prog" 2>&1)
    if [[ $out != *"(lldb) $cmd"* ]]; then
        out=$(run_in "$dir" lldb -x -b -o run -o "$cmd" -- "$prog" 2>&1)
    fi
    printf '%s\n' "$out"
}

capture_lldb() { # program build
    local p=$1 b=$2 dir="$WORK/$2" dest
    [[ $HAVE_LLDB == 1 ]] || { log "  lldb not installed: no lldb captures"; return; }
    dest="$OUT/$p/$b.lldb-bt-all.txt"
    if [[ ${MODE[$p]} == attach ]]; then
        run_in "$dir" bash "$WORK/attach.sh" "./$p" lldb -x -b -o "thread backtrace all" >"$dest.tmp" 2>&1
    else
        lldb_run "$dir" "thread backtrace all" "./$p" >"$dest.tmp"
    fi
    keep "$dest.tmp" "$dest"
    if [[ ${MODE[$p]} != attach && $p != recurse ]]; then
        dest="$OUT/$p/$b.lldb-bt.txt"
        lldb_run "$dir" "bt" "./$p" >"$dest.tmp"
        keep "$dest.tmp" "$dest"
    fi
}

capture_shell() { # program build: what a plain run in a shell prints
    local p=$1 b=$2 dir="$WORK/$2" dest="$OUT/$1/$2.shell.txt"
    [[ ${SHELLRUN[$p]} == 1 ]] || return 0
    # `; true` keeps bash from exec'ing the program, so bash reports the signal itself.
    run_in "$dir" "${NORAND[@]}" bash -c "ulimit -c unlimited 2>/dev/null; ./$p; true" >"$dest.tmp" 2>&1
    rm -f "$dir"/core "$dir"/core.*
    keep "$dest.tmp" "$dest"
}

capture_run() { # bt_symbols only: the program's own backtrace_symbols output, three banners
    local p=$1 b=$2 dir="$WORK/$2" style dest
    [[ $p == bt_symbols ]] || return 0
    for style in obtained backtrace banner; do
        dest="$OUT/$p/$b.run-$style.txt"
        run_in "$dir" "${NORAND[@]}" env "CRASH_BANNER=$style" "./$p" >"$dest.tmp" 2>&1
        keep "$dest.tmp" "$dest"
    done
}

write_truth() { # program → truth.json
    local p=$1 src="$SRC/${SRCFILE[$1]}" lines first
    lines=$(marker_lines "$src")
    [[ -n $lines ]] || { log "no /* BUG */ marker in $src"; exit 1; }
    first=${lines%% *}
    local f="$OUT/$p/truth.json"
    {
        printf '{\n'
        printf '  "program": %s,\n' "$(json_str "$p")"
        printf '  "source": %s,\n' "$(json_str "${SRCFILE[$p]}")"
        printf '  "kind": %s,\n' "$(json_str "${KIND[$p]}")"
        if [[ -n ${FUNC[$p]} ]]; then
            printf '  "crashFrame": { "function": %s, "file": %s, "line": %s },\n' \
                "$(json_str "${FUNC[$p]}")" "$(json_str "${SRCFILE[$p]}")" "$first"
        else
            printf '  "crashFrame": null,\n'
        fi
        printf '  "markerLines": [%s],\n' "${lines// /, }"
        if [[ ${TOP[$p]} == 1 ]]; then
            printf '  "topFrame": %s,\n' "$(json_str "${FUNC[$p]}")"
        else
            printf '  "topFrame": null,\n'
        fi
        printf '  "exactLine": %s,\n' "$([[ ${EXACT[$p]} == 1 ]] && echo true || echo false)"
        printf '  "nullArgument": %s,\n' "$(json_or_null "${NULLARG[$p]}")"
        printf '  "exportedSymbol": %s,\n' "$([[ ${EXPORTED[$p]} == 1 ]] && echo true || echo false)"
        printf '  "threadName": %s,\n' "$(json_or_null "${THREAD[$p]}")"
        printf '  "message": %s,\n' "$(json_or_null "${MESSAGE[$p]}")"
        printf '  "mode": %s,\n' "$(json_str "${MODE[$p]}")"
        printf '  "builds": {\n'
        printf '    "O0": %s,\n' "$(json_str "$(trim "-O0 -g ${FLAGS[$p]}")")"
        printf '    "O2": %s,\n' "$(json_str "$(trim "-O2 -g ${FLAGS[$p]}")")"
        printf '    "stripped": %s\n' "$(json_str "$(trim "-O2 ${FLAGS[$p]}"), then strip")"
        printf '  },\n'
        printf '  "tools": {\n'
        printf '    "compiler": %s,\n' "$(json_str "$( ([[ ${SRCFILE[$p]} == *.cpp ]] && g++ --version || gcc --version) | head -n 1)")"
        printf '    "gdb": %s,\n' "$(json_str "$(gdb --version | head -n 1)")"
        printf '    "lldb": %s\n' "$(json_or_null "$([[ $HAVE_LLDB == 1 ]] && lldb --version 2>/dev/null | head -n 1)")"
        printf '  }\n'
        printf '}\n'
    } >"$f"
    log "  wrote truth.json (crash line(s) $lines)"
}

# ---------------------------------------------------------------------------------------
mkdir -p "$WORK/src" "$OUT"
cp "$SRC"/*.c "$SRC"/*.cpp "$WORK/src/"

# attach.sh PROG TOOL ARGS...: start PROG, let it reach its hang, attach TOOL, kill PROG.
cat >"$WORK/attach.sh" <<'EOF'
prog=$1 tool=$2
shift 2
if setarch "$(uname -m)" -R true >/dev/null 2>&1; then
    setarch "$(uname -m)" -R "$prog" >/dev/null 2>&1 &
else
    "$prog" >/dev/null 2>&1 &
fi
pid=$!
disown "$pid"
sleep 1
"$tool" "$@" -p "$pid"
kill -9 "$pid" 2>/dev/null
true
EOF

for p in $ONLY; do
    [[ -n ${SRCFILE[$p]:-} ]] || { log "unknown program: $p"; exit 1; }
    log "== $p"
    mkdir -p "$OUT/$p"
    for b in $BUILDS; do
        compile "$p" "$b"
        for t in $TOOLS; do
            case $t in
                gdb) capture_gdb "$p" "$b" ;;
                lldb) capture_lldb "$p" "$b" ;;
                shell) capture_shell "$p" "$b" ;;
                run) capture_run "$p" "$b" ;;
            esac
        done
    done
    write_truth "$p"
done
log "done: $OUT"
