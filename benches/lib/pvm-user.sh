# Sourced by the comparison scripts that run PVM 3.4.6 and ours side by side
# (netpipe, pvm-compare, timing-compare): the unprivileged user both run as (real
# PVM refuses root), our pvmd started and waited for, and the cleanup on exit.
#
# The script sets WORK (a temporary folder holding ./pvmd and PVM_TMP=$WORK/tmp),
# PVM_USER, and THEIRS_ENV (environment for Debian's console, may be empty), then:
#   bench_user "$WORK"          defines as_user "<shell command>"
#   start_ours "$OURS_ENV"      starts $WORK/pvmd and waits until its socket answers
#   trap bench_cleanup EXIT INT TERM

# as_user "<command>": runs a shell command as $PVM_USER when we are root, else as us.
bench_user() { # work
    if [ "$(id -u)" = 0 ]; then
        id "$PVM_USER" >/dev/null 2>&1 || useradd -m "$PVM_USER"
        chown -R "$PVM_USER" "$1"
        as_user() { su "$PVM_USER" -s /bin/sh -c "$1"; }
    else
        as_user() { sh -c "$1"; }
    fi
}

# Starts our pvmd in $WORK with the given environment and waits (up to a minute: the
# machine may be busy) for its socket under $WORK/tmp; sets OURS_PID.
start_ours() { # env
    as_user "cd $WORK && env $1 ./pvmd >/dev/null 2>&1 & echo \$! > $WORK/ours.pid"
    OURS_PID=$(cat "$WORK/ours.pid")
    local sock="$WORK/tmp/pvm.$(as_user 'id -u')/pvmd.sock" waited=0
    until [ -S "$sock" ]; do
        kill -0 "$OURS_PID" 2>/dev/null || { echo "our pvmd exited before it was ready" >&2; return 1; }
        [ "$waited" -lt 600 ] || { echo "our pvmd made no socket in 60 s ($sock)" >&2; return 1; }
        sleep 0.1
        waited=$((waited + 1))
    done
}

# Halts PVM 3.4.6's virtual machine, stops ours, removes $WORK.
bench_cleanup() {
    as_user "env ${THEIRS_ENV:-} sh -c 'echo halt | timeout 10 pvm'" >/dev/null 2>&1 || true
    [ -n "${OURS_PID:-}" ] && kill "$OURS_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
