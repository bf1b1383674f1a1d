#!/bin/sh
# vcluster at scale: how long clusters of 8, 32 and 64 virtual hosts take to come up,
# run PVM and go, and what an idle host costs.
#
#   benches/vcluster-scale/run.sh [scene] [sizes...]
#
# For each size N (default: 8 32 64), on a cluster of its own:
#   up        `vcluster up N` until every host's sshd listens
#   memory    per idle host: its cgroup's charge (what `vcluster list` shows) and the
#             proportional set size (PSS) of its processes (init and sshd), averaged
#   PVM       `pvm hostfile` (the console, the master pvmd here and N pvmds started over
#             ssh) until `conf` lists all N+1 hosts; `conf` is asked again while it is
#             incomplete
#   render    prender of the scene at 640x480 with N slaves, one per virtual host
#             (+NW32 +NH32), compared byte for byte with a local render
#   restore   `vcluster save`, `down`, then `vcluster restore` until every sshd listens
#   down      `vcluster down` until everything the cluster made is gone
#
# scene: default POV-Ray's skyvase (shared/scenes beside the repository, or Debian's
# povray-examples), else the repository's scenes/vase.pov. Needs root, Debian's openssh-server and
# iproute2; builds vcluster, pvmd, pvm and prender in release mode (or uses TARGET, a
# folder holding those binaries). Prints a table.
set -eu

REPO=$(cd "$(dirname "$0")/../.." && pwd)
SCENE=${1:-$REPO/../shared/scenes/skyvase.pov}
[ -f "$SCENE" ] || SCENE=/usr/share/povray-3.7/scenes/advanced/skyvase.pov
[ -f "$SCENE" ] || SCENE=$REPO/scenes/vase.pov
[ $# -gt 0 ] && shift
SIZES=${*:-8 32 64}
[ "$(id -u)" = 0 ] || { echo "vcluster needs root: run with sudo" >&2; exit 1; }

if [ -z "${TARGET:-}" ]; then
    echo "building (release)..." >&2
    (cd "$REPO" && cargo build --release -q -p vcluster -p pvmd --bins && cargo build --release -q -p raytracer --bin prender)
    TARGET=${CARGO_TARGET_DIR:-$REPO/target}/release
fi
WORK=$(mktemp -d)
chmod 755 "$WORK"
mkdir -p "$WORK/root/bin/LINUX64" "$WORK/tmp" "$WORK/vc" "$WORK/images" "$WORK/render"
# Copies, so a rebuild during the run cannot pull a binary from under a running cluster
# (vcluster re-executes itself as each host's init).
cp "$TARGET/vcluster" "$TARGET/pvmd" "$TARGET/pvm" "$TARGET/prender" "$WORK/"
VCLUSTER=$WORK/vcluster
cp "$SCENE" "$WORK/render/scene.pov"
export VCLUSTER_DIR="$WORK/vc" VCLUSTER_IMAGES="$WORK/images" PVM_ROOT="$WORK/root" \
    PVM_TMP="$WORK/tmp" PVM_ARCH=LINUX64
unset PVM_DPATH
NAME=$(printf 'sc%s' "$$" | cut -c1-8)
# How long a virtual machine may take to list every host (PVM_LIMIT=seconds).
PVM_LIMIT=${PVM_LIMIT:-120}

halt_vm() { echo halt | timeout 30 "$WORK/pvm" >/dev/null 2>&1 || true; }
cleanup() {
    halt_vm
    "$VCLUSTER" down "$NAME" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

now() { date +%s.%N; }
since() { awk -v a="$(now)" -v b="$1" 'BEGIN {printf "%.2f", a - b}'; }

conf_hosts() { awk '$3 == "LINUX64" && NF == 5 {n++} END {print n+0}'; }

pvm_startup() { # hosts wanted -> "12.3s" until a complete conf, or "incomplete:GOT/WANT"
    want=$1
    t0=$(now)
    got=$(printf 'conf\nquit\n' | PVM_RSH="ssh -F $VCLUSTER_DIR/$NAME/ssh_config" \
        timeout "$PVM_LIMIT" "$WORK/pvm" "$WORK/hostfile" 2>&1 | conf_hosts)
    while [ "$got" -lt "$want" ]; do
        got=$(printf 'conf\nquit\n' | timeout 30 "$WORK/pvm" 2>&1 | conf_hosts)
        if awk -v a="$(now)" -v b="$t0" -v l="$PVM_LIMIT" 'BEGIN {exit !(a - b > l)}'; then
            echo "conf incomplete after $PVM_LIMIT s ($got of $want)" >&2
            echo "incomplete:$got/$want"
            return 0
        fi
    done
    echo "$(since "$t0")s"
}

# Average memory per host, in MiB: the cgroup charge `vcluster list` prints, and the
# PSS of the processes in each host's network namespace.
memory_cgroup() {
    "$VCLUSTER" list | awk '$1 ~ /^h[0-9]+$/ {for (i = 1; i < NF; i++) if ($i == "mem") {
        v = $(i + 1); if ($(i + 2) == "GiB") v *= 1024; s += v; n++ } }
        END {if (n) printf "%.1f", s / n; else print "-"}'
}
memory_pss() {
    n=0 total=0
    for ns in $(ip netns list | awk -v p="vc-$NAME-" 'index($1, p) == 1 {print $1}'); do
        for pid in $(ip netns pids "$ns"); do
            kb=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)
            total=$((total + ${kb:-0}))
        done
        n=$((n + 1))
    done
    awk -v t="$total" -v n="$n" 'BEGIN {if (n) printf "%.1f", t / n / 1024; else print "-"}'
}

echo "local render of $(basename "$SCENE")..." >&2
(cd "$WORK/render" && PVM_TMP="$WORK/tmp" "$WORK/prender" +Iscene.pov +Olocal.tga +FT \
    +W640 +H480 -GS >/dev/null 2>&1)

: > "$WORK/results"
for n in $SIZES; do
    echo "$n hosts: up..." >&2
    t0=$(now)
    "$VCLUSTER" up "$n" --name "$NAME" --user root >/dev/null
    up=$(since "$t0")
    sleep 2 # let the hosts settle before their memory is read (a figure, not a wait)
    mem=$(memory_cgroup)
    pss=$(memory_pss)

    echo "$n hosts: PVM..." >&2
    {
        echo "* dx=$WORK/pvmd ep=$WORK/root/bin/LINUX64"
        grep ' ip=' "$VCLUSTER_DIR/$NAME/hostfile"
    } > "$WORK/hostfile"
    pvm=$(pvm_startup $((n + 1)))

    echo "$n hosts: render..." >&2
    hosts=$(grep ' ip=' "$VCLUSTER_DIR/$NAME/hostfile" | awk '{print $1}' | paste -sd, -)
    t0=$(now)
    if (cd "$WORK/render" && "$WORK/prender" +Iscene.pov +Odist.tga +FT +W640 +H480 -GS \
        "+NT$n" +NW32 +NH32 "pvm_hosts=$hosts" >/dev/null 2>"$WORK/render/log"); then
        render=$(since "$t0")
        cmp -s "$WORK/render/local.tga" "$WORK/render/dist.tga" && same=yes || same=NO
    else
        render=fail same=- ; tail -3 "$WORK/render/log" >&2
    fi
    halt_vm

    echo "$n hosts: save and restore..." >&2
    "$VCLUSTER" save "img$n" --name "$NAME" >/dev/null
    "$VCLUSTER" down "$NAME" >/dev/null
    t0=$(now)
    "$VCLUSTER" restore "img$n" >/dev/null
    restore=$(since "$t0")
    "$VCLUSTER" images --remove "img$n" >/dev/null

    echo "$n hosts: down..." >&2
    t0=$(now)
    "$VCLUSTER" down "$NAME" >/dev/null
    down=$(since "$t0")
    echo "$n $up $mem $pss $pvm $render $same $restore $down" >> "$WORK/results"
done

printf '\n%s, load %s on %s cores; render: %s 640x480\n\n' "$(uname -r)" \
    "$(cut -d' ' -f1 /proc/loadavg)" "$(nproc)" "$(basename "$SCENE")"
printf '| virtual hosts | up | memory per idle host (cgroup / PSS) | PVM of N+1 hosts to a complete conf | prender, N slaves | = local | restore | down |\n'
printf '|---:|---:|---:|---:|---:|:---:|---:|---:|\n'
while read -r n up mem pss pvm render same restore down; do
    printf '| %s | %s s | %s / %s MiB | %s | %s s | %s | %s s | %s s |\n' \
        "$n" "$up" "$mem" "$pss" "$pvm" "$render" "$same" "$restore" "$down"
done < "$WORK/results"
