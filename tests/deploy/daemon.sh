# daemon.sh: sourced by the deployment test scripts and bench/deploy_wrk.sh.
# listening_port OUT: waits up to 5 s for confsearchd's "listening on" line
# in the file OUT and prints the port; prints nothing if it never came.
listening_port() {
    for _ in $(seq 50); do
        # The file appears when the daemon's process has started.
        p=$(sed -n 's|^confsearchd listening on http://[0-9.]*:\([0-9]*\)/$|\1|p' "$1" \
            2>/dev/null || true)
        if [ -n "$p" ]; then echo "$p"; return; fi
        sleep 0.1
    done
}

# stop_all: ends the processes whose ids the script put in $pids (a
# space-separated list) and waits for them; for an EXIT trap.
stop_all() {
    for p in ${pids:-}; do kill "$p" 2>/dev/null || true; done
    for p in ${pids:-}; do wait "$p" 2>/dev/null || true; done
}

# with_scratch: sets $tmp, a fresh directory removed at exit, and $pids,
# the processes stop_all ends at exit.
with_scratch() {
    tmp=$(mktemp -d)
    pids=
    trap 'stop_all; rm -rf "$tmp"' EXIT
}
