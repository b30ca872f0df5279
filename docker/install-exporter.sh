#!/bin/bash
# Installs what the exporter image needs (it also runs setup-db) into a Debian bookworm root filesystem: the app
# user, a Java 17 runtime and the directories compose mounts on.
# Run as root by Dockerfile.exporter (RUN) and by the image rehearsal test (chroot) - the same script in both.
# Environment: APP_UID / APP_GID (default 10001; Dockerfile build args, compose passes the host user's ids).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=docker/lib-install.sh
. "$here/lib-install.sh"

create_app_user
apt_install openjdk-17-jre-headless ca-certificates

# /control is a named volume (initialised from this directory); /exports is the ./exports bind mount.
install -d -o "$APP_UID" -g "$APP_GID" -m 0750 /control
install -d -o "$APP_UID" -g "$APP_GID" -m 0755 /exports
install -d -m 0755 /opt/mexc-pipe /opt/mexc-pipe/bin

java -version 2>&1 | head -1
finish_install
