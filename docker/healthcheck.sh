#!/bin/bash
# Docker HEALTHCHECK of the client and exporter images: GET /health on the service's own status port and
# succeed only on HTTP 200. debian-slim has neither curl nor wget; bash's /dev/tcp needs no extra package.
# Environment: HTTP_PORT (default 8080). Optional argument: the path (default /health).
set -euo pipefail

port=${HTTP_PORT:-8080}
path=${1:-/health}

# fd 3 = a TCP connection to the service; the whole exchange is bounded by `timeout` in the caller below
check() {
    exec 3<>"/dev/tcp/127.0.0.1/$port"
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$path" >&3
    local response status body
    response=$(tr -d '\r' <&3) || true
    exec 3<&-
    read -r _ status _ <<<"${response%%$'\n'*}" || true
    body=${response#*$'\n\n'}
    if [ "${status:-}" != "200" ]; then
        echo "GET $path on port $port: HTTP ${status:-(no answer)} ${body:0:400}"
        return 1
    fi
    echo "ok"
}

if [ "${1:-}" = "--inner" ]; then
    shift
    path=${1:-/health}
    check
    exit $?
fi
# a hung service must not hang the check (Docker's own timeout would count it as a failure, without a message)
exec timeout 8 "$0" --inner "$path"
