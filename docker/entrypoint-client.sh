#!/bin/bash
# Container entrypoint of the client image: checks the writable places compose gives the container (volumes,
# tmpfs), then replaces itself with the JVM (PID 1 gets SIGTERM from `docker stop` and flushes or spools).
# Arguments are passed to client.jar (none = run the collector; `decode`, `--help`, `--version`).
set -euo pipefail

# control flags must stay readable by the exporter (same uid); nothing is world-readable
umask 0027

fail() {
    echo "entrypoint: $*" >&2
    exit 2 # ExitCodes.USAGE: bad configuration
}

# $1 variable name, $2 directory: must exist and be writable by the user the container runs as
writable_dir() {
    local name=$1 dir=$2
    [ -d "$dir" ] || fail "$name=$dir does not exist (compose mounts a volume there)"
    if [ ! -w "$dir" ] || [ ! -x "$dir" ]; then
        fail "$name=$dir is not writable by uid $(id -u) gid $(id -g) (it belongs to $(stat -c %u:%g "$dir"), mode $(stat -c %a "$dir")): the volume was created for another HOST_UID; see docs/DEPLOYMENT.md, Troubleshooting"
    fi
}

if [ "$#" -eq 0 ]; then
    writable_dir CONTROL_DIR "${CONTROL_DIR:-/control}"
    writable_dir SPOOL_DIR "${SPOOL_DIR:-/spool}"
    if [ "${TOR_ENABLED:-true}" != "false" ]; then
        tor_dir=${TOR_DATA_DIR:-/var/lib/mexc-tor}
        writable_dir TOR_DATA_DIR "$tor_dir"
        [ "$(stat -c %u "$tor_dir")" = "$(id -u)" ] \
            || fail "TOR_DATA_DIR=$tor_dir belongs to uid $(stat -c %u "$tor_dir"), not to $(id -u): tor refuses a data directory it does not own (compose: tmpfs uid=/gid=/mode=0700)"
    fi
fi

# JVM options come from JDK_JAVA_OPTIONS (image default: heap share of the memory limit, exit on OOM)
exec java -jar /opt/mexc-pipe/client.jar "$@"
