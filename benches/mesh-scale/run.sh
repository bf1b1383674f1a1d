#!/usr/bin/env bash
# mesh-scale: how fast prender parses and bounds a big mesh2, against POV-Ray 3.7.
#
# Generates (in a scratch folder, at run time) a mesh2 of about N triangles: a
# finely tessellated wavy surface with vertex_vectors, normal_vectors and
# face_indices, under a camera and a light. Both renderers render it at 32x24
# on one thread, alternating, so that parsing and building the mesh dominate.
# Prints wall and CPU seconds and peak RSS of each, the ratios prender /
# POV-Ray, and the Parse Time and Bounding Time each renderer reports itself
# (POV-Ray builds a mesh's bounding tree while it parses, so its parse time
# includes it).
#
# Usage: benches/mesh-scale/run.sh [triangles] [rounds]
#   triangles  default 1000000
#   rounds     renders per renderer, default 2 (the best is shown)
# Environment: PRENDER=path to use an already built binary.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=../lib/render.sh
. "$REPO/benches/lib/render.sh"
triangles="${1:-1000000}"
rounds="${2:-2}"

need_povray
if [ -z "${PRENDER:-}" ]; then
    build_release -p raytracer --bin prender
    PRENDER="$BIN/prender"
fi
[ -x "$PRENDER" ] || { echo "prender binary not found: $PRENDER" >&2; exit 1; }
PRENDER="$(realpath "$PRENDER")" # the renders run in the scratch folder

make_work

# A grid of cols x rows quads, two triangles each, over [-1,1] x [-1,1] in x/z,
# with height y = 0.05 sin(12x) cos(9z) and its exact normals.
echo "generating a mesh2 of about $triangles triangles..." >&2
awk -v t="$triangles" 'BEGIN {
    cols = int(sqrt(t / 2)); if (cols < 1) cols = 1
    rows = int((t / 2 + cols - 1) / cols); if (rows < 1) rows = 1
    nv = (cols + 1) * (rows + 1)
    print "camera { location <0, 2.2, -2.2> look_at <0, 0, 0> angle 50 }"
    print "light_source { <-3, 5, -4> color rgb 1 }"
    print "mesh2 {"
    printf "  vertex_vectors { %d,\n", nv
    for (j = 0; j <= rows; j++) {
        z = -1 + 2 * j / rows
        for (i = 0; i <= cols; i++) {
            x = -1 + 2 * i / cols
            printf "    <%.6f,%.6f,%.6f>\n", x, 0.05 * sin(12 * x) * cos(9 * z), z
        }
    }
    print "  }"
    printf "  normal_vectors { %d,\n", nv
    for (j = 0; j <= rows; j++) {
        z = -1 + 2 * j / rows
        for (i = 0; i <= cols; i++) {
            x = -1 + 2 * i / cols
            dx = 0.6 * cos(12 * x) * cos(9 * z); dz = -0.45 * sin(12 * x) * sin(9 * z)
            printf "    <%.5f,1,%.5f>\n", -dx, -dz
        }
    }
    print "  }"
    printf "  face_indices { %d,\n", 2 * rows * cols
    for (j = 0; j < rows; j++) {
        for (i = 0; i < cols; i++) {
            a = j * (cols + 1) + i; b = a + 1; c = a + cols + 1; d = c + 1
            printf "    <%d,%d,%d>, <%d,%d,%d>\n", a, b, d, a, d, c
        }
    }
    print "  }"
    print "  pigment { color rgb <0.8, 0.6, 0.3> }"
    print "}"
    printf "%d\n", 2 * rows * cols > "/dev/stderr"
}' >"$WORK/mesh.pov" 2>"$WORK/count.txt"
actual=$(cat "$WORK/count.txt")
size_mb=$(du -m "$WORK/mesh.pov" | cut -f1)

common=(+Imesh.pov +W32 +H24 -A +FN -D +WT1)
pov=(povray "${common[@]}" +Opov.png "+L$POV_LIB")
ours=("$PRENDER" "${common[@]}" +Oours.png)

# "(1.234 seconds)" after a "Parse Time:" or "Bounding Time:" label in a log.
phase() { grep -E "^ *$2 Time:" "$WORK/$1" | grep -oE '\([0-9.]+ seconds' | tr -d '(' | cut -d' ' -f1 | head -1; }

declare -a pw pc pm pp pb ow oc om op ob
for ((i = 1; i <= rounds; i++)); do
    echo "round $i/$rounds: POV-Ray..." >&2
    read -r w c m < <(timed_rss pov.log "${pov[@]}")
    pw+=("$w"); pc+=("$c"); pm+=("$m"); pp+=("$(phase pov.log Parse)"); pb+=("$(phase pov.log Bounding)")
    echo "round $i/$rounds: prender..." >&2
    read -r w c m < <(timed_rss ours.log "${ours[@]}")
    ow+=("$w"); oc+=("$c"); om+=("$m"); op+=("$(phase ours.log Parse)"); ob+=("$(phase ours.log Bounding)")
done

mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
tpw=$(min "${pw[@]}"); tpc=$(min "${pc[@]}"); tpm=$(min "${pm[@]}")
tow=$(min "${ow[@]}"); toc=$(min "${oc[@]}"); tom=$(min "${om[@]}")
tpp=$(min "${pp[@]}"); tpb=$(min "${pb[@]}"); top=$(min "${op[@]}"); tob=$(min "${ob[@]}")

echo
echo "mesh2 of $actual triangles ($size_mb MB of SDL), 32x24, one thread, best of $rounds"
echo
echo "| measure | POV-Ray 3.7 | prender | prender / POV-Ray |"
echo "|---|---:|---:|---:|"
echo "| wall | $tpw s | $tow s | $(ratio "$tow" "$tpw") |"
echo "| CPU (user + system) | $tpc s | $toc s | $(ratio "$toc" "$tpc") |"
echo "| peak RSS | $(mb "$tpm") MB | $(mb "$tom") MB | $(ratio "$tom" "$tpm") |"
echo "| Parse Time (own report) | $tpp s | $top s | $(ratio "$top" "$tpp") |"
echo "| Bounding Time (own report) | $tpb s | $tob s | |"
echo
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
