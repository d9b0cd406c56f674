# daemon.sh: sourced by the deployment test scripts.
# listening_port OUT: waits up to 5 s for confsearchd's "listening on" line
# in the file OUT and prints the port; prints nothing if it never came.
listening_port() {
    for _ in $(seq 50); do
        p=$(sed -n 's|^confsearchd listening on http://[0-9.]*:\([0-9]*\)/$|\1|p' "$1")
        if [ -n "$p" ]; then echo "$p"; return; fi
        sleep 0.1
    done
}
