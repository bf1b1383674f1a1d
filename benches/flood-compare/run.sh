#!/bin/sh
# A flood to a task that does not receive, on PVM 3.4.6 and on ours, side by side.
#
#   benches/flood-compare/run.sh [messages] [bytes] [round trips] [rounds]
#                                                     (default 1000000 1024 2000 3)
#
# flood.c (compiled once against Debian's pvm3.h) spawns a sink that reads nothing
# until signalled, a sender that sends it `messages` messages of `bytes` bytes through
# pvmd, and a ping/echo pair whose round trip it measures before the flood and during
# it; then it lets the sink read and check everything (order and content). It runs
# against PVM 3.4.6's pvmd and libpvm3, then against our pvmd with our libpvm3.so.3
# first on the library path, `rounds` times alternately, each run with a freshly
# started pvmd, so the pvmd's peak memory (VmHWM) is that run's. Prints the medians of
# pvmd's peak RSS, the round trips and the times, and whether the sender was held. Needs Debian's pvm and pvm-dev, gcc, and root (it
# then runs both as user $PVM_USER, default pvmref, created if missing) or an
# unprivileged user.
set -eu

COUNT=${1:-1000000}
SIZE=${2:-1024}
TRIPS=${3:-2000}
ROUNDS=${4:-3}
PVM_USER=${PVM_USER:-pvmref}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
. "$REPO/benches/lib/pvm-user.sh"
command -v gcc >/dev/null || { echo "gcc is needed" >&2; exit 1; }
[ -f /usr/include/pvm3.h ] || { echo "Debian's pvm-dev is needed" >&2; exit 1; }

echo "building ours (release)..." >&2
(cd "$REPO" && cargo build --release -q -p pvmd --bin pvmd && cargo build --release -q -p libpvm3)
TARGET=${CARGO_TARGET_DIR:-$REPO/target}

WORK=$(mktemp -d)
chmod 755 "$WORK"
mkdir -p "$WORK/root/bin/LINUX64" "$WORK/tmp" "$WORK/lib" "$WORK/home/pvm3/bin/LINUX64"
cp "$TARGET/release/pvmd" "$WORK/pvmd"
cp "$TARGET/release/libpvm3.so" "$WORK/lib/libpvm3.so.3"
gcc -O2 -o "$WORK/root/bin/LINUX64/flood" "$REPO/benches/flood-compare/flood.c" -lpvm3
ln -s "$WORK/root/bin/LINUX64/flood" "$WORK/home/pvm3/bin/LINUX64/flood"

bench_user "$WORK"
# PVM 3.4.6 finds flood in $HOME/pvm3/bin/LINUX64; ours in $PVM_ROOT/bin/LINUX64.
THEIRS_ENV="HOME=$WORK/home"
OURS_ENV="PVM_ROOT=$WORK/root PVM_TMP=$WORK/tmp LD_LIBRARY_PATH=$WORK/lib"
trap bench_cleanup EXIT INT TERM
uid=$(as_user 'id -u')

peak_mb() { # pid
    awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"
}

# Appends one run's figures to $WORK/results as "impl key value" lines.
record() { # impl output peak_mb
    awk -v i="$1" '$1 ~ /_us$|_s$/ { print i, $1, $2 }
        $1 == "held" { print i, "held", ($2 == "yes") ? $4 : "no" }
        $1 == "sink" { print i, "sink", $2 }' "$2" >> "$WORK/results"
    echo "$1 peak_mb $3" >> "$WORK/results"
}

# A fresh pvmd each run: one left running would show an older peak.
if pgrep -u "$uid" -x pvmd >/dev/null; then
    echo "a pvmd of $PVM_USER is running; halt it first" >&2
    exit 1
fi
: > "$WORK/results"
for round in $(seq "$ROUNDS"); do
    echo "round $round, PVM 3.4.6: $COUNT x $SIZE B..." >&2
    as_user "env $THEIRS_ENV sh -c 'echo quit | timeout 10 pvm'" >/dev/null 2>&1 || true
    # Ours is not running: the user's one pvmd is PVM 3.4.6's.
    theirs_pid=$(pgrep -u "$uid" -x pvmd | head -1)
    [ -n "$theirs_pid" ] || { echo "PVM 3.4.6's pvmd did not start" >&2; exit 1; }
    as_user "cd $WORK && env $THEIRS_ENV timeout 1800 $WORK/root/bin/LINUX64/flood $COUNT $SIZE $TRIPS" \
        > "$WORK/out" || echo "PVM 3.4.6's run failed" >&2
    record pvm "$WORK/out" "$(peak_mb "$theirs_pid")"
    as_user "env $THEIRS_ENV sh -c 'echo halt | timeout 10 pvm'" >/dev/null 2>&1 || true
    while kill -0 "$theirs_pid" 2>/dev/null; do sleep 0.1; done

    echo "round $round, ours: $COUNT x $SIZE B..." >&2
    start_ours "$OURS_ENV"
    as_user "cd $WORK && env $OURS_ENV timeout 1800 $WORK/root/bin/LINUX64/flood $COUNT $SIZE $TRIPS" \
        > "$WORK/out" || echo "our run failed" >&2
    record ours "$WORK/out" "$(peak_mb "$OURS_PID")"
    kill "$OURS_PID"
    while kill -0 "$OURS_PID" 2>/dev/null; do sleep 0.1; done
    OURS_PID=
done

median() { # impl key
    awk -v i="$1" -v k="$2" '$1 == i && $2 == k { print $3 }' "$WORK/results" |
        sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "-" }'
}
all() { # impl key: every run's value
    awk -v i="$1" -v k="$2" '$1 == i && $2 == k { printf "%s%s", sep, $3; sep = " " }' "$WORK/results"
}
row() { # label key
    awk -v l="$1" -v p="$(median pvm "$2")" -v o="$(median ours "$2")" 'BEGIN {
        r = (p + 0 > 0) ? sprintf("%.3gx", o / p) : "-"
        printf "| %s | %s | %s | %s |\n", l, p, o, r }'
}

printf '\n| %s x %s B to a task that reads nothing | PVM 3.4.6 | ours | ours/PVM |\n|---|---:|---:|---:|\n' "$COUNT" "$SIZE"
row "pvmd peak RSS (MB)" peak_mb
row "round trip before the flood (us)" rtt_before_us
row "round trip while the sender streams (us)" rtt_during_us
row "round trip once the sender stopped (us)" rtt_stopped_us
row "sender's time (s)" flood_s
row "from the sink's start to the end (s)" drain_s
printf '| sender held after (messages) | %s | %s | |\n' "$(all pvm held)" "$(all ours held)"
printf '| sink | %s | %s | |\n' "$(all pvm sink)" "$(all ours sink)"
echo "(medians of $ROUNDS alternating rounds, each with a fresh pvmd; round trips of 8 B between"
echo " two other tasks through the same pvmd, $TRIPS each; \"held\": the sender's progress notes"
echo " stopped before its last message, \"no\": they did not)"
