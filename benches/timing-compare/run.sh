#!/bin/sh
# Debian's `timing` example, the same binary, on PVM 3.4.6 and on ours, side by side.
#
#   benches/timing-compare/run.sh [rounds]
#
# `timing` (from Debian's pvm-examples) measures the round trip of an empty message
# and the time to pack and send/receive messages of 100 B to 1 MB between itself and
# `timing_slave`, over a direct route. Each round runs it once against PVM 3.4.6's
# pvmd and libpvm3, and once against our pvmd with our libpvm3.so.3 first on the
# library path. Prints, per message size, the median round trip (us) and bandwidth
# (bytes/us) of each and the ratios. Needs Debian's pvm and pvm-examples, and root
# (it runs both as user $PVM_USER, default pvmref, created if missing) or an
# unprivileged user.
set -eu

ROUNDS=${1:-3}
PVM_USER=${PVM_USER:-pvmref}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
. "$REPO/benches/lib/pvm-user.sh"
[ -x /usr/bin/timing ] || { echo "Debian's pvm-examples is needed" >&2; exit 1; }

echo "building ours (release)..." >&2
(cd "$REPO" && cargo build --release -q -p pvmd --bin pvmd && cargo build --release -q -p libpvm3)
TARGET=${CARGO_TARGET_DIR:-$REPO/target}

WORK=$(mktemp -d)
chmod 755 "$WORK"
mkdir -p "$WORK/root/bin/LINUX64" "$WORK/tmp" "$WORK/lib" "$WORK/home/pvm3/bin/LINUX64"
cp "$TARGET/release/pvmd" "$WORK/pvmd"
cp "$TARGET/release/libpvm3.so" "$WORK/lib/libpvm3.so.3"
ln -s /usr/bin/timing_slave "$WORK/root/bin/LINUX64/timing_slave"
ln -s /usr/bin/timing_slave "$WORK/home/pvm3/bin/LINUX64/timing_slave"

bench_user "$WORK"
# PVM 3.4.6 finds timing_slave in $HOME/pvm3/bin/LINUX64; ours in $PVM_ROOT/bin/LINUX64.
THEIRS_ENV="HOME=$WORK/home"
OURS_ENV="PVM_ROOT=$WORK/root PVM_TMP=$WORK/tmp LD_LIBRARY_PATH=$WORK/lib"

trap bench_cleanup EXIT INT TERM

echo "starting PVM 3.4.6's pvmd and ours as $(as_user 'id -un')..." >&2
as_user "env $THEIRS_ENV sh -c 'echo quit | timeout 10 pvm'" >/dev/null 2>&1 || true
start_ours "$OURS_ENV"

# timing's output: "RTT Avg uSec N", then per size "Message size B", ..., "Avg uSec"
# followed by "pack send", "Avg Byte/uSec" followed by "pack send".
parse() { # impl
    awk -v impl="$1" '
        /^RTT Avg uSec/ { print impl, 0, "rtt", $4 }
        /^Message size/ { size = $3 }
        /^Avg uSec/ { want = "us"; next }
        /^Avg Byte\/uSec/ { want = "bw"; next }
        want != "" && NF == 2 { print impl, size, want, $2; want = "" }'
}

: > "$WORK/results"
for round in $(seq "$ROUNDS"); do
    echo "round $round..." >&2
    as_user "cd $WORK && env $THEIRS_ENV timeout 300 /usr/bin/timing" | parse pvm >> "$WORK/results"
    as_user "cd $WORK && env $OURS_ENV timeout 300 /usr/bin/timing" | parse ours >> "$WORK/results"
done

median() { # impl size metric
    awk -v i="$1" -v s="$2" -v k="$3" '$1==i && $2==s && $3==k {print $4}' "$WORK/results" |
        sort -g | awk '{v[NR]=$1} END {if (NR) print v[int((NR+1)/2)]; else print "nan"}'
}

printf '\n| measurement | PVM 3.4.6 | ours | ours/PVM |\n|---|---:|---:|---:|\n'
p=$(median pvm 0 rtt); o=$(median ours 0 rtt)
awk -v p="$p" -v o="$o" 'BEGIN { printf "| round trip, empty message (us) | %s | %s | %.2fx |\n", p, o, o / p }'
for size in 100 1000 10000 100000 1000000; do
    p=$(median pvm "$size" us); o=$(median ours "$size" us)
    awk -v s="$size" -v p="$p" -v o="$o" \
        'BEGIN { printf "| %d B send+recv (us) | %s | %s | %.2fx |\n", s, p, o, o / p }'
    p=$(median pvm "$size" bw); o=$(median ours "$size" bw)
    awk -v s="$size" -v p="$p" -v o="$o" \
        'BEGIN { printf "| %d B bandwidth (B/us) | %s | %s | %.2fx |\n", s, p, o, o / p }'
done
echo "(medians of $ROUNDS alternating rounds of Debian's /usr/bin/timing)"
