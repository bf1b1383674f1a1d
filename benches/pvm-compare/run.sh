#!/bin/sh
# Side-by-side messaging benchmark: PVM 3.4.6 (Debian's pvm and libpvm3) against ours.
#
#   benches/pvm-compare/run.sh [rounds] [round trips] [1 MB messages]
#
# Builds our pvmd and the `pingpong` example (release), compiles pingpong.c (the same
# measurement written in C) against Debian's libpvm3, starts both daemons as an
# unprivileged user, then runs the two implementations alternately, via pvmd and with
# PvmRouteDirect, `rounds` times each. Prints the median round trip (µs) and 1 MB
# throughput (MB/s) of each and the ratios ours/PVM. Needs: Debian's pvm and pvm-dev
# packages, gcc, and either root (it then runs everything as user $PVM_USER, default
# pvmref, created if missing) or an unprivileged user (everything runs as that user).
# With SHOW_RUNS=1 it also prints every run's numbers, to judge the spread on a busy
# machine. OURS_EXTRA adds environment settings to our side (e.g. OURS_EXTRA=PVM_SPIN_US=0).
set -eu

ROUNDS=${1:-3}
REPS=${2:-2000}
BULK=${3:-200}
PVM_USER=${PVM_USER:-pvmref}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
. "$REPO/benches/lib/pvm-user.sh"

command -v gcc >/dev/null || { echo "gcc is needed" >&2; exit 1; }
[ -f /usr/include/pvm3.h ] || { echo "Debian's pvm-dev is needed (apt-get install pvm pvm-dev)" >&2; exit 1; }

echo "building ours (release)..." >&2
(cd "$REPO" && cargo build --release -q -p pvmd --bin pvmd && cargo build --release -q -p pvm --example pingpong)
TARGET=${CARGO_TARGET_DIR:-$REPO/target}

WORK=$(mktemp -d)
chmod 755 "$WORK"
BIN="$WORK/root/bin/LINUX64"
mkdir -p "$BIN" "$WORK/tmp"
cp "$TARGET/release/pvmd" "$WORK/pvmd"
cp "$TARGET/release/examples/pingpong" "$BIN/pingpong"
gcc -O2 -o "$WORK/pingpong_c" "$REPO/benches/pvm-compare/pingpong.c" -lpvm3

bench_user "$WORK"
OURS_ENV="PVM_ROOT=$WORK/root PVM_TMP=$WORK/tmp PVM_ARCH=LINUX64 ${OURS_EXTRA:-}"

trap bench_cleanup EXIT INT TERM

echo "starting PVM 3.4.6's pvmd and ours as $(as_user 'id -un')..." >&2
as_user "echo quit | timeout 10 pvm >/dev/null 2>&1" || true
start_ours "$OURS_ENV"

run_pvm()  { as_user "cd $WORK && timeout 300 $WORK/pingpong_c $1 $REPS $BULK"; }
run_ours() { as_user "cd $WORK && env $OURS_ENV timeout 300 $BIN/pingpong $1 $REPS $BULK"; }

: > "$WORK/results"
for round in $(seq "$ROUNDS"); do
    for mode in pvmd direct; do
        echo "round $round, $mode..." >&2
        run_pvm "$mode" | sed "s/^/pvm $mode /" >> "$WORK/results"
        run_ours "$mode" | sed "s/^/ours $mode /" >> "$WORK/results"
    done
done

median() { # impl mode metric
    awk -v i="$1" -v m="$2" -v k="$3" '$1==i && $2==m && $3==k {print $4}' "$WORK/results" |
        sort -g | awk '{v[NR]=$1} END {if (NR) print v[int((NR+1)/2)]; else print "nan"}'
}

printf '\n%-8s %-22s %12s %12s %8s\n' route metric "PVM 3.4.6" ours ratio
for mode in pvmd direct; do
    for metric in rtt_us mbps; do
        p=$(median pvm "$mode" "$metric")
        o=$(median ours "$mode" "$metric")
        label=$([ "$metric" = rtt_us ] && echo "round trip 8 B (us)" || echo "1 MB throughput (MB/s)")
        ratio=$(awk -v o="$o" -v p="$p" 'BEGIN { if (p > 0) printf "%.2fx", o / p; else print "-" }')
        printf '%-8s %-22s %12s %12s %8s\n' "$mode" "$label" "$p" "$o" "$ratio"
    done
done
if [ -n "${SHOW_RUNS:-}" ]; then
    echo "every run (implementation, route, metric, value, in run order):"
    cat "$WORK/results"
fi
echo "(medians of $ROUNDS alternating rounds; $REPS round trips, $BULK x 1 MB per run;"
echo " targets: round trip ratio <= 0.5x, throughput ratio >= 3x)"
