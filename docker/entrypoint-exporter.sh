#!/bin/bash
# Container entrypoint of the exporter image (the exporter service and the setup-db one-shot): checks the
# writable places compose gives the container, then replaces itself with the command (compose `command:`,
# default `java -jar exporter.jar`). `docker exec exporter java -jar exporter.jar --once` does not pass here.
set -euo pipefail

# Parquet files and the export log are for the host user (same uid) and readable by others on the host
umask 0022

fail() {
    echo "entrypoint: $*" >&2
    exit 2 # ExitCodes.USAGE: bad configuration
}

writable_dir() {
    local name=$1 dir=$2
    [ -d "$dir" ] || fail "$name=$dir does not exist (compose mounts it)"
    if [ ! -w "$dir" ] || [ ! -x "$dir" ]; then
        fail "$name=$dir is not writable by uid $(id -u) gid $(id -g) (it belongs to $(stat -c %u:%g "$dir"), mode $(stat -c %a "$dir")); for ./exports run ./setup again or chown it to HOST_UID:HOST_GID from .env; see docs/DEPLOYMENT.md, Troubleshooting"
    fi
}

# only the services that set them (setup-db needs neither)
if [ -n "${EXPORT_DIR:-}" ]; then
    writable_dir EXPORT_DIR "$EXPORT_DIR"
fi
if [ -n "${CONTROL_DIR:-}" ]; then
    writable_dir CONTROL_DIR "$CONTROL_DIR"
fi

[ "$#" -gt 0 ] || set -- java -jar exporter.jar
exec "$@"
