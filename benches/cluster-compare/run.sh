#!/bin/sh
# Multi-host benchmark on a virtual cluster (vcluster: network namespaces, sshd each).
#
#   benches/cluster-compare/run.sh [rounds] [round trips] [1 MB messages]
#
# 1. Start-up: for 1, 4 and 8 virtual hosts, the time from `pvm hostfile` (the console
#    starting the master pvmd, which starts every other pvmd over ssh) until `conf`
#    lists every host. The console is fed `conf` then `quit`; while the conf it
#    printed is incomplete, `conf` is asked again. Median of `rounds`.
# 2. Messaging: the `pingpong` example (8-byte round trip, 1 MB throughput), via the
#    pvmds and with PvmRouteDirect, with both tasks on this host (a one-host virtual
#    machine) and with the echo task on a virtual host (this host's speed set to 1 and
#    the virtual host's to 1000000, so PvmTaskDefault places the echo there), the two
#    alternating. Median of `rounds`.
#
# BASE=DIR also measures another build's cross-host messaging (DIR: a release target
# directory built at another commit, holding pvmd, pvm and examples/pingpong), on a
# second virtual host, its runs alternating with this build's, and prints the two side
# by side: e.g. a build from before the links were sealed, to see what sealing costs.
# NO_BUILD=1 takes this build's binaries from the target directory as they are;
# STARTUP=0 skips the start-up table.
#
# Needs root (vcluster) and Debian's openssh-server and iproute2. Builds everything in
# release mode. Prints two tables (three with BASE).
set -eu

ROUNDS=${1:-5}
REPS=${2:-2000}
BULK=${3:-200}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
[ "$(id -u)" = 0 ] || { echo "vcluster needs root: run with sudo" >&2; exit 1; }

if [ -z "${NO_BUILD:-}" ]; then
    echo "building (release)..." >&2
    (cd "$REPO" && cargo build --release -q -p pvmd -p pvm-console -p vcluster && cargo build --release -q -p pvm --example pingpong)
fi
TARGET=${CARGO_TARGET_DIR:-$REPO/target}/release
BASE=${BASE:-}
STARTUP=${STARTUP:-1}

WORK=$(mktemp -d)
chmod 755 "$WORK"
mkdir -p "$WORK/root/bin/LINUX64" "$WORK/tmp" "$WORK/vc"
cp "$TARGET/pvmd" "$TARGET/pvm" "$WORK/"
cp "$TARGET/examples/pingpong" "$WORK/root/bin/LINUX64/"
if [ -n "$BASE" ]; then
    mkdir -p "$WORK/base/root/bin/LINUX64"
    cp "$BASE/pvmd" "$BASE/pvm" "$WORK/base/"
    cp "$BASE/examples/pingpong" "$WORK/base/root/bin/LINUX64/"
fi
export VCLUSTER_DIR="$WORK/vc" PVM_ROOT="$WORK/root" PVM_TMP="$WORK/tmp" PVM_ARCH=LINUX64
unset PVM_DPATH
VCLUSTER="$TARGET/vcluster"
NAME=cb$$
NAME=$(printf '%s' "$NAME" | cut -c1-8)

halt_vm() { echo halt | timeout 20 "$WORK/pvm" >/dev/null 2>&1 || true; sleep 0.3; }
cleanup() {
    for tmp in "$WORK/tmp" "$WORK/tmp-same" "$WORK/tmp-cross"; do
        [ -d "$tmp" ] && PVM_TMP=$tmp halt_vm
    done
    if [ -d "$WORK/tmp-base" ]; then
        echo halt | PVM_TMP=$WORK/tmp-base timeout 20 "$WORK/base/pvm" >/dev/null 2>&1 || true
    fi
    "$VCLUSTER" down "$NAME" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

now() { date +%s.%N; }

# hostfile N [options for this host] [options for the virtual hosts] [build dir] [skip]:
# the first N virtual hosts after `skip`, running the pvmd of `build dir` ($WORK).
hostfile() {
    dir=${4:-$WORK}
    {
        echo "* dx=$dir/pvmd ep=$dir/root/bin/LINUX64"
        [ -n "${2:-}" ] && echo "localhost $2"
        grep ' ip=' "$VCLUSTER_DIR/$NAME/hostfile" | tail -n "+$((${5:-0} + 1))" | head -n "$1" | sed "s/\$/ ${3:-}/"
    } > "$WORK/hostfile"
}

# The number of hosts a console's conf output lists.
conf_hosts() { awk '$3 == "LINUX64" && NF == 5 {n++} END {print n+0}'; }

startup() { # virtual hosts -> seconds until a complete conf
    want=$(($1 + 1))
    t0=$(now)
    got=$(printf 'conf\nquit\n' | PVM_RSH="ssh -F $VCLUSTER_DIR/$NAME/ssh_config" \
        timeout 120 "$WORK/pvm" "$WORK/hostfile" 2>&1 | conf_hosts)
    while [ "$got" -lt "$want" ]; do
        got=$(printf 'conf\nquit\n' | timeout 20 "$WORK/pvm" 2>&1 | conf_hosts)
        if awk -v a="$(now)" -v b="$t0" 'BEGIN {exit !(a - b > 120)}'; then
            echo "conf incomplete after 120 s" >&2
            exit 1
        fi
    done
    awk -v a="$(now)" -v b="$t0" 'BEGIN {printf "%.3f\n", a - b}'
}

median() { sort -g | awk '{v[NR]=$1} END {if (NR) print v[int((NR+1)/2)]; else print "nan"}'; }

: > "$WORK/results"
HOSTS=8
if [ "$STARTUP" = 0 ]; then HOSTS=2; fi
echo "making a $HOSTS-host cluster..." >&2
"$VCLUSTER" up "$HOSTS" --name "$NAME" --user root >/dev/null
for n in 1 4 8; do
    if [ "$STARTUP" = 0 ]; then break; fi
    hostfile "$n"
    for round in $(seq "$ROUNDS"); do
        echo "start-up, $n virtual hosts, round $round..." >&2
        echo "startup $n s $(startup "$n")" >> "$WORK/results"
        halt_vm
    done
done

# Two virtual machines side by side, each with its own PVM_TMP: a one-host machine
# (same host) and one with virtual host h1, this host slow and h1 fast so that
# PvmTaskDefault puts the echo task on h1 (cross host). Runs alternate between them so
# that load from elsewhere hits both alike.
SAME_TMP="$WORK/tmp-same"
CROSS_TMP="$WORK/tmp-cross"
mkdir -p "$SAME_TMP" "$CROSS_TMP"
printf 'quit\n' | PVM_TMP=$SAME_TMP timeout 20 "$WORK/pvm" >/dev/null 2>&1
hostfile 1 "sp=1" "sp=1000000"
printf 'quit\n' | PVM_TMP=$CROSS_TMP PVM_RSH="ssh -F $VCLUSTER_DIR/$NAME/ssh_config" \
    timeout 60 "$WORK/pvm" "$WORK/hostfile" >/dev/null 2>&1
# The other build, if any: its own machine, on the second virtual host.
BASE_TMP="$WORK/tmp-base"
if [ -n "$BASE" ]; then
    mkdir -p "$BASE_TMP"
    hostfile 1 "sp=1" "sp=1000000" "$WORK/base" 1
    printf 'quit\n' | PVM_TMP=$BASE_TMP PVM_ROOT=$WORK/base/root PVM_RSH="ssh -F $VCLUSTER_DIR/$NAME/ssh_config" \
        timeout 60 "$WORK/base/pvm" "$WORK/hostfile" >/dev/null 2>&1
fi
pingpong() { # where tmp route [build dir]
    dir=${4:-$WORK}
    timeout 300 env PVM_TMP="$2" PVM_ROOT="$dir/root" "$dir/root/bin/LINUX64/pingpong" "$3" "$REPS" "$BULK" |
        sed "s/^/$1 $3 /" >> "$WORK/results"
}
for round in $(seq "$ROUNDS"); do
    for route in pvmd direct; do
        echo "pingpong $route, round $round (same host, then cross host${BASE:+, then the other build cross host})..." >&2
        pingpong same "$SAME_TMP" "$route"
        pingpong cross "$CROSS_TMP" "$route"
        if [ -n "$BASE" ]; then pingpong base "$BASE_TMP" "$route" "$WORK/base"; fi
    done
done
for tmp in "$SAME_TMP" "$CROSS_TMP"; do PVM_TMP=$tmp halt_vm; done
if [ -n "$BASE" ]; then
    echo halt | PVM_TMP=$BASE_TMP timeout 20 "$WORK/base/pvm" >/dev/null 2>&1 || true
fi

value() { awk -v a="$1" -v b="$2" -v k="$3" '$1==a && $2==b && $3==k {print $4}' "$WORK/results" | median; }

if [ "$STARTUP" != 0 ]; then
    printf '\n%-14s %s\n' "virtual hosts" "start-up to a complete conf (s, median of $ROUNDS)"
    for n in 1 4 8; do
        printf '%-14s %s\n' "$n" "$(value startup "$n" s)"
    done
fi
printf '\n%-8s %-24s %12s %12s %8s\n' route metric "same host" "cross host" ratio
for route in pvmd direct; do
    for metric in rtt_us mbps; do
        s=$(value same "$route" "$metric")
        c=$(value cross "$route" "$metric")
        label=$([ "$metric" = rtt_us ] && echo "round trip 8 B (us)" || echo "1 MB throughput (MB/s)")
        ratio=$(awk -v c="$c" -v s="$s" 'BEGIN {if (s + 0 > 0) printf "%.2f", c / s; else print "nan"}')
        printf '%-8s %-24s %12s %12s %8s\n' "$route" "$label" "$s" "$c" "$ratio"
    done
done
if [ -n "$BASE" ]; then
    printf '\n%-8s %-24s %12s %12s %12s\n' route "cross host" "other build" "this build" "cost"
    for route in pvmd direct; do
        for metric in rtt_us mbps; do
            b=$(value base "$route" "$metric")
            c=$(value cross "$route" "$metric")
            if [ "$metric" = rtt_us ]; then
                label="round trip 8 B (us)"
                cost=$(awk -v c="$c" -v b="$b" 'BEGIN {printf "%+.1f us", c - b}')
            else
                label="1 MB throughput (MB/s)"
                cost=$(awk -v c="$c" -v b="$b" 'BEGIN {if (b + 0 > 0) printf "%+.1f%%", 100 * (b - c) / b; else print "nan"}')
            fi
            printf '%-8s %-24s %12s %12s %12s\n' "$route" "$label" "$b" "$c" "$cost"
        done
    done
    echo "(cost: this build's extra round-trip time, and the share of throughput it loses)"
fi
echo "(round trips: $REPS, 1 MB messages: $BULK, rounds: $ROUNDS; cross host = this machine <-> a network namespace over a veth bridge)"
