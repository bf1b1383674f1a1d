#!/bin/sh
# NetPIPE over four stacks on this host, side by side: its PVM module (Debian's
# netpipe-pvm, NPpvm) on PVM 3.4.6 and, the same binary, on ours (our libpvm3.so.3
# first on the library path, our pvmd); its Open MPI module (NPopenmpi under
# mpirun -np 2) and its TCP module (NPtcp over loopback).
#
#   benches/netpipe/run.sh [rounds] [largest message in bytes]
#
# Each round runs the four one after the other (so a busy machine hurts all alike);
# for every message size the script takes the median over the rounds of each stack's
# throughput and one-way time (NetPIPE's half round trip), prints them side by side
# with the ratios ours/PVM and ours/MPI, and draws docs/netpipe.png (throughput
# against message size, the four stacks) with gnuplot, installing gnuplot-nox when
# it is missing and we are root. NPpvm asks for PvmRouteDirect, so "pvm" and "ours"
# are the direct route.
#
# Needs Debian's pvm, netpipe-pvm, netpipe-openmpi, netpipe-tcp and openmpi-bin.
# Real PVM refuses root: as root everything runs as user $PVM_USER (default pvmref,
# created if missing), otherwise as the calling user. SHOW_RUNS=1 also prints every
# run's file. NP_EXTRA adds NetPIPE options to every run (e.g. NP_EXTRA="-p 0" to
# drop the perturbed sizes); OURS_EXTRA adds environment settings to our side.
# NO_BUILD=1 with OURS_PVMD and OURS_LIB measures binaries built elsewhere (an older
# commit, to measure before and after a change). STACKS="pvm ours" runs only those
# (default: all four). A NetPIPE run that fails or passes its time limit keeps the
# sizes it measured (a busy-polling Open MPI on an overloaded machine can take long).
set -eu

ROUNDS=${1:-3}
UPPER=${2:-8388608}
PVM_USER=${PVM_USER:-pvmref}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
. "$REPO/benches/lib/pvm-user.sh"
PLOT=${PLOT:-$REPO/docs/netpipe.png}

for b in NPpvm NPtcp NPopenmpi mpirun pvm; do
    command -v "$b" >/dev/null || {
        echo "$b is needed (apt-get install pvm netpipe-pvm netpipe-tcp netpipe-openmpi openmpi-bin)" >&2
        exit 1
    }
done
if ! command -v gnuplot >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "installing gnuplot-nox for the plot..." >&2
    apt-get install -y -qq gnuplot-nox >/dev/null 2>&1 || echo "no gnuplot: no plot" >&2
fi

TARGET=${CARGO_TARGET_DIR:-$REPO/target}
OURS_PVMD=${OURS_PVMD:-$TARGET/release/pvmd}
OURS_LIB=${OURS_LIB:-$TARGET/release/libpvm3.so}
if [ -z "${NO_BUILD:-}" ]; then
    echo "building ours (release)..." >&2
    (cd "$REPO" && cargo build --release -q -p pvmd --bin pvmd && cargo build --release -q -p libpvm3)
fi

WORK=$(mktemp -d)
chmod 755 "$WORK"
mkdir -p "$WORK/root/bin/LINUX64" "$WORK/tmp" "$WORK/lib" "$WORK/out" "$WORK/run"
cp "$OURS_PVMD" "$WORK/pvmd"
cp "$OURS_LIB" "$WORK/lib/libpvm3.so.3"
# NPpvm links libgpvm3 too; ours serves both from one file.
ln -s libpvm3.so.3 "$WORK/lib/libgpvm3.so.3"

bench_user "$WORK"
OURS_ENV="PVM_ROOT=$WORK/root PVM_TMP=$WORK/tmp LD_LIBRARY_PATH=$WORK/lib ${OURS_EXTRA:-}"
NP="-u $UPPER ${NP_EXTRA:-}"
STACKS=${STACKS:-pvm ours mpi tcp}

trap bench_cleanup EXIT INT TERM

echo "starting PVM 3.4.6's pvmd and ours as $(as_user 'id -un')..." >&2
as_user "echo quit | timeout 10 pvm >/dev/null 2>&1" || true
start_ours "$OURS_ENV"

# A NetPIPE pair: the receiver in the background, then the transmitter, which writes
# the output file (bytes, Mbps, seconds one way per line).
pair() { # name env program [transmitter's extra arguments]
    name=$1 env=$2 prog=$3 peer=$4
    as_user "cd $WORK/run && env $env timeout 600 $prog $NP -o /dev/null >/dev/null 2>&1 &
             sleep 1; cd $WORK/run && env $env timeout 600 $prog $peer $NP -o $WORK/out/$name >/dev/null 2>&1" ||
        echo "$name failed in round $round" >&2
}
mpi() { # name
    as_user "cd $WORK/run && timeout ${MPI_LIMIT:-900} mpirun -np 2 NPopenmpi $NP -o $WORK/out/$1 >/dev/null 2>&1" ||
        echo "mpi failed in round $round" >&2
}

for round in $(seq "$ROUNDS"); do
    for stack in $STACKS; do
        echo "round $round of $ROUNDS: $stack..." >&2
        case $stack in
            pvm) pair "pvm.$round" "PVM_TMP=/tmp" NPpvm "-h localhost" ;;
            ours) pair "ours.$round" "$OURS_ENV" NPpvm "-h localhost" ;;
            mpi) mpi "mpi.$round" ;;
            tcp) pair "tcp.$round" "" NPtcp "-h 127.0.0.1" ;;
            *) echo "unknown stack $stack" >&2; exit 1 ;;
        esac
    done
done

# One line per stack and size: the median over the rounds of column `col` of
# NetPIPE's output (2: throughput in Mbps; 3: one-way seconds, printed in us).
medians() { # col scale
    for stack in pvm ours mpi tcp; do
        cat "$WORK"/out/"$stack".* 2>/dev/null |
            awk -v s="$stack" -v c="$1" -v k="$2" 'NF == 3 { print s, $1, $c * k }'
    done | sort -k1,1 -k2,2n -k3,3g | awk '
        function flush() { if (n) print key, v[int((n + 1) / 2)] }
        { k = $1 " " $2
          if (k != key) { flush(); key = k; n = 0 }
          n++; v[n] = $3 }
        END { flush() }'
}
medians 2 1 > "$WORK/mbps"
medians 3 1e6 > "$WORK/usec"

get() { # file stack size
    awk -v s="$2" -v b="$3" '$1 == s && $2 == b { print $3; found = 1 } END { if (!found) print "nan" }' "$1"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2fx", a / b; else print "-" }'; }

echo
echo "NetPIPE on $(hostname), $(nproc) CPUs; medians of $ROUNDS alternating rounds."
echo
echo "| size (B) | one-way (us) PVM 3.4.6 | ours | Open MPI | TCP | ours/PVM | ours/MPI |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for b in 1 8 64 512 4096; do
    p=$(get "$WORK/usec" pvm $b) o=$(get "$WORK/usec" ours $b)
    m=$(get "$WORK/usec" mpi $b) t=$(get "$WORK/usec" tcp $b)
    printf '| %s | %.2f | %.2f | %.2f | %.2f | %s | %s |\n' "$b" "$p" "$o" "$m" "$t" \
        "$(ratio "$o" "$p")" "$(ratio "$o" "$m")"
done
echo
echo "| size (B) | throughput (Mbps) PVM 3.4.6 | ours | Open MPI | TCP | ours/PVM | ours/MPI |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for b in 4096 32768 65536 131072 262144 524288 1048576 2097152 4194304 8388608; do
    [ "$b" -le "$UPPER" ] || continue
    p=$(get "$WORK/mbps" pvm $b) o=$(get "$WORK/mbps" ours $b)
    m=$(get "$WORK/mbps" mpi $b) t=$(get "$WORK/mbps" tcp $b)
    printf '| %s | %.0f | %.0f | %.0f | %.0f | %s | %s |\n' "$b" "$p" "$o" "$m" "$t" \
        "$(ratio "$o" "$p")" "$(ratio "$o" "$m")"
done
# The target: ours at least Open MPI's at every size from 64 kB up (perturbed sizes too).
awk '$2 >= 65536 { v[$1 " " $2] = $3; if ($1 == "ours") sizes[$2] = 1 }
     END { worst = ""; for (b in sizes) if (("mpi " b) in v) {
               r = v["ours " b] / v["mpi " b]; n++
               if (worst == "" || r < worst) { worst = r; at = b }
               if (r >= 1) ok++ }
           if (n) printf "\nsizes >= 64 kB where ours >= Open MPI: %d of %d (lowest ratio %.2fx at %d B)\n", ok, n, worst, at }' \
    "$WORK/mbps"

if command -v gnuplot >/dev/null; then
    for stack in pvm ours mpi tcp; do
        awk -v s="$stack" '$1 == s { print $2, $3 }' "$WORK/mbps" > "$WORK/$stack.dat"
    done
    mkdir -p "$(dirname "$PLOT")"
    gnuplot <<EOF
set terminal pngcairo size 900,560 noenhanced
set output "$PLOT"
set title "NetPIPE on one host: throughput against message size (medians of $ROUNDS rounds)"
set logscale x 2
set format x "%.0s%cB"
set xlabel "message size"
set ylabel "throughput (Mbps)"
set key top left
set grid
plot "$WORK/pvm.dat" with linespoints title "NPpvm on PVM 3.4.6 (direct route)", \
     "$WORK/ours.dat" with linespoints title "NPpvm on ours (direct route)", \
     "$WORK/mpi.dat" with linespoints title "NPopenmpi (Open MPI 4.1)", \
     "$WORK/tcp.dat" with linespoints title "NPtcp (loopback)"
EOF
    echo "plot: $PLOT" >&2
fi
if [ -n "${SHOW_RUNS:-}" ]; then
    for f in "$WORK"/out/*; do echo "== $(basename "$f")"; cat "$f"; done
fi
