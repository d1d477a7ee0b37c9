#!/usr/bin/env bash
# deps.sh [--fuzz]: installs, with apt-get, the Debian 12 packages netlab needs to build and test
# that are missing. Prints nothing when everything is there. --fuzz adds clang's libFuzzer.
set -euo pipefail
pkgs=(gcc make libc6-dev pkg-config libnl-3-dev libnl-route-3-dev libiniparser-dev
      bats iproute2 iputils-ping jq bc procps kmod iperf3 busybox-static frr bird2 mmdebstrap
      libpcap-dev graphviz chromium tcpdump bash-completion debhelper dpkg-dev fakeroot lintian
      build-essential iputils-tracepath clang-format libxml2-utils uidmap passwd)
[ "${1:-}" = --fuzz ] && pkgs+=(clang libclang-rt-14-dev)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: missing packages: ${missing[*]}; run as root to install them with apt-get" >&2
	exit 1
fi
echo "deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null || apt-get update
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
