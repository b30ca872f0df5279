#!/bin/bash
# Shared steps of docker/install-*.sh (sourced, not run). Debian bookworm, as root.
# shellcheck disable=SC2034  # APP_* are read by the sourcing scripts

APP_UID=${APP_UID:-10001}
APP_GID=${APP_GID:-10001}
APP_USER=mexc

die() {
    echo "install: $*" >&2
    exit 1
}

# The user every mexc-pipe process of the image runs as. Compose builds the image with the host user's uid/gid
# (so files in the ./exports bind mount and the volumes belong to that user); an id the base image already uses
# is reused rather than failing the build.
create_app_user() {
    [[ $APP_UID =~ ^[0-9]+$ && $APP_GID =~ ^[0-9]+$ ]] || die "APP_UID=$APP_UID / APP_GID=$APP_GID must be numbers"
    ((APP_UID != 0 && APP_GID != 0)) || die "APP_UID/APP_GID 0 would run the services as root; use a non-root id"
    if getent group "$APP_GID" >/dev/null; then
        echo "install: gid $APP_GID exists already ($(getent group "$APP_GID" | cut -d: -f1)), reused"
    else
        groupadd --gid "$APP_GID" "$APP_USER"
    fi
    if getent passwd "$APP_UID" >/dev/null; then
        echo "install: uid $APP_UID exists already ($(getent passwd "$APP_UID" | cut -d: -f1)), reused"
    else
        # -l: no lastlog/faillog entries (sparse files that grow with large uids)
        useradd -l --uid "$APP_UID" --gid "$APP_GID" --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin "$APP_USER"
    fi
}

# apt-get install without recommends; no service may start while an image is built (tor's postinst would try).
apt_install() {
    export DEBIAN_FRONTEND=noninteractive
    local policy=/usr/sbin/policy-rc.d created=""
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\n# mexc-pipe image build: no service starts during package installation\nexit 101\n' >"$policy"
        chmod 0755 "$policy"
        created=1
    fi
    # slim images exclude /usr/share/man; openjdk's update-alternatives wants this directory to exist
    mkdir -p /usr/share/man/man1
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "$@"
    if [ -n "$created" ]; then
        rm -f "$policy"
    fi
}

# Leaves no package lists or caches in the image layer.
finish_install() {
    apt-get clean
    rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/debconf/*-old /var/log/apt /var/log/dpkg.log
}
