#!/usr/bin/env bash
# povray-samples: the renderer's acceptance table. Renders every sample scene
# POV-Ray 3.7 ships (Debian's povray-examples) with POV-Ray and with prender at
# the same options (160x120, no anti-aliasing, one thread, POV-Ray's include
# directory and the scene's own as library paths), one row per scene:
# renders?, PSNR, SSIM, time ratio, prender's first warning or error; then the
# summary (scenes POV-Ray renders, prender renders, PSNR >= 30 dB,
# SSIM >= 0.95, panics, time-outs).
#
# POV-Ray's images are cached under target/povray-samples, so a second run
# only renders with prender. Rows also go to target/povray-samples/rows.tsv,
# and the scenes that do not match, with their reasons, to
# docs/sample-scene-misses.md.
#
# Usage: benches/povray-samples/run.sh [povray-samples options...]
#   e.g. --size 320x240, --timeout 120, --jobs 1, --filter objects/, --misses-only
#   (--help lists them all)
# Environment: PRENDER=path to use an already built prender.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"
command -v povray >/dev/null && [ -d /usr/share/povray-3.7/scenes ] || {
    echo "POV-Ray 3.7 and its sample scenes are needed: apt-get install povray povray-includes povray-examples" >&2
    exit 1
}
echo "building prender and povray-samples (release)..." >&2
cargo build --release -q -p raytracer --bin prender -p render-oracle --bin povray-samples
target="${CARGO_TARGET_DIR:-$repo/target}"
prender="${PRENDER:-$target/release/prender}"
mkdir -p "$target/povray-samples"
exec "$target/release/povray-samples" --prender "$prender" --cache "$target/povray-samples" \
    --tsv "$target/povray-samples/rows.tsv" --misses docs/sample-scene-misses.md "$@"
