#!/usr/bin/env bash
# render-compare: prender against POV-Ray 3.7 on the skyvase benchmark.
#
# Renders the scene at 1024x768 without anti-aliasing, alternating the two
# renderers so that both see the same machine load, first on one thread
# (POV-Ray +WT1, prender +WT1), then on all cores (POV-Ray's default thread
# count, prender's default). Prints the best time of each, the ratio
# prender/POV-Ray (the target is <= 0.5) and prender's rays per second as
# its +V statistics report them. On a loaded machine wall-clock times say
# little, so the CPU seconds (user + system) of each render are shown too:
# for the one-thread runs they are the fairer comparison.
#
# Usage: benches/render-compare/run.sh [scene.pov] [rounds]
#   scene   default: skyvase.pov in shared/scenes beside the repository
#   rounds  renders per renderer and mode, default 3
# Environment: PRENDER=path to use an already built binary; WIDTH/HEIGHT.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=../lib/render.sh
. "$REPO/benches/lib/render.sh"
scene="${1:-$REPO/../shared/scenes/skyvase.pov}"
rounds="${2:-3}"
width="${WIDTH:-1024}"
height="${HEIGHT:-768}"

[ -f "$scene" ] || { echo "scene not found: $scene" >&2; exit 1; }
need_povray
if [ -z "${PRENDER:-}" ]; then
    build_release -p raytracer --bin prender
    PRENDER="$BIN/prender"
fi
[ -x "$PRENDER" ] || { echo "prender binary not found: $PRENDER" >&2; exit 1; }

make_work
cp "$scene" "$WORK/scene.pov"

wall() { for p in "$@"; do echo "${p% *}"; done; }
cpu() { for p in "$@"; do echo "${p#* }"; done; }

common=(+Iscene.pov +FT -D "+W$width" "+H$height")
pov_one=(povray "${common[@]}" +Opov.tga +WT1 "+L$POV_LIB")
pov_all=(povray "${common[@]}" +Opov.tga "+L$POV_LIB")
ours_one=("$PRENDER" "${common[@]}" +Oours.tga +WT1 +V)
ours_all=("$PRENDER" "${common[@]}" +Oours.tga +V)

declare -a p1 o1 pa oa
rays_line=""
for ((i = 1; i <= rounds; i++)); do
    echo "round $i/$rounds" >&2
    p1+=("$(timed last.log "${pov_one[@]}")")
    o1+=("$(timed last.log "${ours_one[@]}")")
    # prender's +V statistics: the rays traced, and its own rays/second
    # over the render proper (parsing excluded). Keep the last report.
    rays_line="$(grep -iE '^rays' "$WORK/last.log" | head -1 || true)"
    own_rps="$(grep -oE '[0-9.]+ rays/second' "$WORK/last.log" | grep -oE '^[0-9.]+' | tail -1 || true)"
    pa+=("$(timed last.log "${pov_all[@]}")")
    oa+=("$(timed last.log "${ours_all[@]}")")
done

cores=$(nproc)
t_p1=$(min $(wall "${p1[@]}")); t_o1=$(min $(wall "${o1[@]}"))
t_pa=$(min $(wall "${pa[@]}")); t_oa=$(min $(wall "${oa[@]}"))
c_p1=$(min $(cpu "${p1[@]}")); c_o1=$(min $(cpu "${o1[@]}"))
c_pa=$(min $(cpu "${pa[@]}")); c_oa=$(min $(cpu "${oa[@]}"))

rays=$(printf '%s\n' "$rays_line" | grep -oE '[0-9][0-9,]*' | head -1 | tr -d , || true)
if [ -n "$rays" ]; then
    rps=$(awk -v r="$rays" -v t="$t_o1" 'BEGIN { printf "%.0f", r / t }')
    rpc=$(awk -v r="$rays" -v t="$c_o1" 'BEGIN { printf "%.0f", r / t }')
else
    rps="n/a (prender +V printed no ray count)"
    rpc="n/a"
fi

echo
echo "Scene: $(basename "$scene"), ${width}x${height}, no anti-aliasing, best of $rounds"
echo
echo "| mode                    | time  | POV-Ray 3.7 | prender | prender / POV-Ray |"
echo "|-------------------------|-------|-------------|---------|-------------------|"
printf "| one thread (+WT1)       | wall  | %10ss | %6ss | %17s |\n" "$t_p1" "$t_o1" "$(ratio "$t_o1" "$t_p1")"
printf "| one thread (+WT1)       | cpu   | %10ss | %6ss | %17s |\n" "$c_p1" "$c_o1" "$(ratio "$c_o1" "$c_p1")"
printf "| all %2d cores (default)  | wall  | %10ss | %6ss | %17s |\n" "$cores" "$t_pa" "$t_oa" "$(ratio "$t_oa" "$t_pa")"
printf "| all %2d cores (default)  | cpu   | %10ss | %6ss | %17s |\n" "$cores" "$c_pa" "$c_oa" "$(ratio "$c_oa" "$c_pa")"
echo
echo "prender, one thread: $rps rays/s wall clock (${rays:-?} rays in ${t_o1}s);" \
    "its own +V figure for the render proper: ${own_rps:-n/a} rays/s"
echo "prender, one thread: $rpc rays per CPU second"
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) on $cores cores"
echo "target: prender / POV-Ray <= 0.50"
