#!/usr/bin/env bash
# povray-benchmark: prender against POV-Ray 3.7 on POV-Ray's own benchmark scene
# (scenes/advanced/benchmark/benchmark.pov from Debian's povray-examples, with
# its benchmark.ini: anti-aliasing, jitter, area light, photons, media,
# isosurfaces, text, mesh2, height field, julia fractal).
#
# Both renderers read the same INI at the same size (default 384x384), one
# thread and then all cores, alternating so that both see the same machine
# load. Prints wall and CPU seconds of each, the ratio prender / POV-Ray (the
# target is <= 0.5), and the PSNR and SSIM of prender's image against
# POV-Ray's (the bar is SSIM >= 0.95; both renderers jitter, so the images
# agree statistically, not bit for bit).
#
# Usage: benches/povray-benchmark/run.sh [rounds] [modes]
#   rounds  renders per renderer and mode, default 1 (each takes minutes)
#   modes   "one", "all" or "one all" (default)
# Environment: PRENDER=path to use an already built binary; SIZE=WxH.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=../lib/render.sh
. "$REPO/benches/lib/render.sh"
rounds="${1:-1}"
modes="${2:-one all}"
size="${SIZE:-384x384}"
width="${size%x*}"
height="${size#*x}"
bench="$POV_SCENES/advanced/benchmark"

need_povray
[ -f "$bench/benchmark.pov" ] || {
    echo "POV-Ray's sample scenes are needed: apt-get install povray-examples" >&2
    exit 1
}
build_release -p raytracer --bin prender -p render-oracle --bin image-compare
prender="${PRENDER:-$BIN/prender}"

make_work
cp "$bench/benchmark.pov" "$bench/benchmark.ini" "$WORK/"

common=(benchmark.ini "+W$width" "+H$height" +FN -D "+L$POV_LIB")
echo
echo "POV-Ray's benchmark.pov with its benchmark.ini, ${width}x${height}, best of $rounds"
echo
echo "| mode | POV-Ray 3.7 wall / CPU | prender wall / CPU | prender / POV-Ray (wall, CPU) |"
echo "|---|---:|---:|---:|"
for mode in $modes; do
    case "$mode" in
        one) threads=(+WT1); label="one thread (+WT1)" ;;
        all) threads=(); label="all $(nproc) cores" ;;
        *) echo "unknown mode '$mode' (one or all)" >&2; exit 1 ;;
    esac
    pw=(); pc=(); ow=(); oc=()
    for ((i = 1; i <= rounds; i++)); do
        echo "$label, round $i/$rounds: POV-Ray..." >&2
        read -r w c < <(timed pov.log povray "${common[@]}" "${threads[@]}" +Opov.png)
        pw+=("$w"); pc+=("$c")
        echo "$label, round $i/$rounds: prender..." >&2
        read -r w c < <(timed ours.log "$prender" "${common[@]}" "${threads[@]}" +Oours.png)
        ow+=("$w"); oc+=("$c")
    done
    tpw=$(min "${pw[@]}"); tpc=$(min "${pc[@]}"); tow=$(min "${ow[@]}"); toc=$(min "${oc[@]}")
    echo "| $label | $tpw s / $tpc s | $tow s / $toc s | $(ratio "$tow" "$tpw"), $(ratio "$toc" "$tpc") |"
    echo "  image, $label: $("$BIN/image-compare" "$WORK/pov.png" "$WORK/ours.png")" >&2
done
echo
echo "last images: $("$BIN/image-compare" "$WORK/pov.png" "$WORK/ours.png") (bar: SSIM >= 0.95)"
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "target: prender / POV-Ray <= 0.50"
