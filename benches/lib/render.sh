# Sourced by the render comparison scripts (povray-benchmark, render-compare,
# prender-scaling): checks for POV-Ray, builds prender, makes the scratch folder,
# and times commands in it.
#
# The script sets REPO (the checkout), then:
#   need_povray                       exits with the install hint if POV-Ray is missing
#   build_release <cargo -p/--bin...> builds those in release; sets BIN (target/release)
#   make_work                         sets WORK (removed on exit)
#   timed LOG <command...>            runs it in $WORK, output to $WORK/LOG, prints
#                                     "wall cpu" in seconds (user + system), exits on failure
#   timed_rss LOG <command...>        the same, printing "wall cpu peak_rss_kB"
#   min <numbers...>, ratio A B       the smallest, and A / B to two places

POV_LIB=/usr/share/povray-3.7/include
POV_SCENES=/usr/share/povray-3.7/scenes

need_povray() {
    command -v povray >/dev/null && [ -d "$POV_LIB" ] || {
        echo "POV-Ray is needed: apt-get install povray povray-includes povray-examples" >&2
        echo "(or run scripts/install-test-deps.sh)" >&2
        exit 1
    }
    [ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is needed: apt-get install time" >&2; exit 1; }
}

build_release() { # cargo package/bin arguments
    echo "building $* (release)..." >&2
    cargo build --release -q --manifest-path "$REPO/Cargo.toml" "$@"
    BIN="${CARGO_TARGET_DIR:-$REPO/target}/release"
}

make_work() {
    WORK="$(mktemp -d)"
    trap 'rm -rf "$WORK"' EXIT
}

timed() { # log command...: prints "wall cpu"
    timed_rss "$@" | cut -d' ' -f1,2
}

min() { printf '%s\n' "$@" | sort -g | head -1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

timed_rss() { # log command...: prints "wall cpu peak_rss_kB"
    local log="$1" start end
    shift
    start=$(date +%s.%N)
    (cd "$WORK" && /usr/bin/time -f '%U %S %M' -o "$WORK/time.txt" "$@") >"$WORK/$log" 2>&1 || {
        echo "failed: $*" >&2; tail -5 "$WORK/$log" >&2; exit 1; }
    end=$(date +%s.%N)
    # Wall time from the clock (GNU time's %e has only 10 ms steps); CPU and RSS from time.
    awk -v a="$start" -v b="$end" '{ printf "%.3f %.3f %d\n", b - a, $1 + $2, $3 }' "$WORK/time.txt"
}
