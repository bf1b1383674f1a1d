#!/usr/bin/env bash
# prender-scaling: the classic PVMPOV benchmark on this machine.
#
# Renders skyvase 1024x768 (no anti-aliasing) in one run, alternating rounds so every
# configuration sees the same machine load:
#   - POV-Ray 3.7 with 2 threads (+WT2), the reference;
#   - prender locally (+WT2);
#   - prender over a one-host virtual machine with +NT1, +NT2, +NT3 slaves (64x64 blocks).
# Prints the best time of each, the parallel efficiency of NT=2 against NT=1, and the
# ratio to POV-Ray. Then measures the master's per-block overhead: an empty scene
# rendered in 8x8 blocks, whose time is almost all scheduling and messaging.
#
# Usage: benches/prender-scaling/run.sh [scene.pov] [rounds]
# Environment: WIDTH/HEIGHT (default 1024x768).
set -euo pipefail

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=../lib/render.sh
. "$REPO/benches/lib/render.sh"
scene="${1:-$REPO/../shared/scenes/skyvase.pov}"
rounds="${2:-2}"
width="${WIDTH:-1024}"
height="${HEIGHT:-768}"
[ -f "$scene" ] || { echo "scene not found: $scene" >&2; exit 1; }
need_povray
build_release -p raytracer -p pvmd
prender="$BIN/prender"

make_work
export PVM_TMP="$WORK/pvm"
mkdir -p "$PVM_TMP"
cp "$scene" "$WORK/scene.pov"

# Wall-clock seconds of a command run in $WORK.
seconds() { timed last.log "$@" | cut -d' ' -f1; }

common=(+Iscene.pov +FT -D "+W$width" "+H$height")
declare -A runs=(
    [povray]="povray ${common[*]} +Opov.tga +WT2 +L$POV_LIB"
    [local]="$prender ${common[*]} +Olocal.tga +WT2"
    [nt1]="$prender ${common[*]} +Ont1.tga +NT1 +NW64 +NH64"
    [nt2]="$prender ${common[*]} +Ont2.tga +NT2 +NW64 +NH64"
    [nt3]="$prender ${common[*]} +Ont3.tga +NT3 +NW64 +NH64"
)
order=(povray local nt1 nt2 nt3)
declare -A times
for ((r = 1; r <= rounds; r++)); do
    for k in "${order[@]}"; do
        # shellcheck disable=SC2086
        t=$(seconds ${runs[$k]})
        times[$k]="${times[$k]:-} $t"
        echo "round $r $k ${t}s" >&2
    done
done
for k in nt1 nt2 nt3; do
    cmp -s "$WORK/local.tga" "$WORK/$k.tga" || echo "WARNING: $k image differs from the local render" >&2
done

declare -A best
for k in "${order[@]}"; do
    # shellcheck disable=SC2086
    best[$k]=$(min ${times[$k]})
done
pov=${best[povray]}
printf '\nskyvase %sx%s, best of %s, %s cores\n\n' "$width" "$height" "$rounds" "$(nproc)"
printf '| configuration | seconds | vs POV-Ray 3.7 +WT2 |\n|---|---:|---:|\n'
label() { case $1 in povray) echo "POV-Ray 3.7 +WT2";; local) echo "prender local +WT2";;
    nt*) echo "prender +NT${1#nt} +NW64 +NH64";; esac; }
for k in "${order[@]}"; do
    awk -v l="$(label "$k")" -v t="${best[$k]}" -v p="$pov" \
        'BEGIN { printf "| %s | %.2f | %.2fx |\n", l, t, t / p }'
done
awk -v a="${best[nt1]}" -v b="${best[nt2]}" \
    'BEGIN { printf "\nparallel efficiency NT=2 vs NT=1: %.0f%% (target >= 90%%)\n", 100 * a / (2 * b) }'

# Per-block overhead: nothing to trace, so time is scheduling, messages and assembly.
cat >"$WORK/empty.pov" <<'POV'
camera { location <0, 0, -5> look_at <0, 0, 0> }
background { rgb <0.2, 0.3, 0.4> }
POV
blocks=$(( ((width + 7) / 8) * ((height + 7) / 8) ))
t=$(seconds "$prender" +Iempty.pov +Oempty.tga +FT -D "+W$width" "+H$height" +NT2 +NW8 +NH8)
awk -v t="$t" -v n="$blocks" \
    'BEGIN { printf "per-block overhead: %d blocks of 8x8 in %.2f s = %.1f us per block (incl. VM start)\n", n, t, 1e6 * t / n }'
