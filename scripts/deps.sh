#!/bin/sh
# Installs the Debian packages fastbgp needs to build and test, when missing.
# Runs apt-get only as root; otherwise says what to install.
set -eu
BUILD="gcc make pkg-config libuv1-dev libmnl-dev libcmocka-dev libedit-dev libsystemd-dev libmicrohttpd-dev libnats-dev python3"
TEST="python3-pytest python3-jsonschema exabgp bird2 gobgpd frr openbgpd iproute2 procps curl groff-base man-db clang libclang-rt-14-dev prometheus nats-server"
# --build-only: what building needs; --check: that and what `make check`
# runs (pytest, the man page renderers, no BGP daemon); nothing: everything `make test` runs.
want="$BUILD"
case "${1:-}" in
--build-only) ;;
--check) want="$want python3-pytest python3-jsonschema curl groff-base man-db iproute2 procps" ;;
*) want="$want $TEST" ;;
esac
missing=""
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "fastbgp: missing Debian packages:$missing" >&2
	echo "fastbgp: run as root, or: sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "fastbgp: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
