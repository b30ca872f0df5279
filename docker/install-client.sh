#!/bin/bash
# Installs what the client image needs into a Debian bookworm root filesystem: the app user, a Java 17 runtime,
# tor (+ GeoIP data for TOR_EXIT_COUNTRIES) and the directories compose mounts volumes on.
# Run as root by Dockerfile.client (RUN) and by the image rehearsal test (chroot) - the same script in both.
# Environment: APP_UID / APP_GID (default 10001; Dockerfile build args, compose passes the host user's ids).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=docker/lib-install.sh
. "$here/lib-install.sh"

create_app_user
apt_install openjdk-17-jre-headless tor tor-geoipdb ca-certificates

# Mount points. Docker initialises a new named volume from the image directory (owner and mode), so these
# decide who can write the control and spool volumes; TOR_DATA_DIR is a tmpfs in compose (uid/gid/mode there).
install -d -o "$APP_UID" -g "$APP_GID" -m 0750 /control /spool
install -d -o "$APP_UID" -g "$APP_GID" -m 0700 /var/lib/mexc-tor
install -d -m 0755 /opt/mexc-pipe /opt/mexc-pipe/bin

java -version 2>&1 | head -1
tor --version | head -1
finish_install
