#!/usr/bin/env bash
# demo.sh: the README's first command. On a fresh Debian 12 machine it installs what is missing
# (scripts/deps.sh: the compiler, make, libnl, iniparser, ...), builds netlab, brings up
# topologies/two-hosts.ini, shows it working, and takes it down again.
# Set NETLAB_DEMO_KEEP=1 to leave the lab up afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "demo: needs root (it installs packages and creates network namespaces): run it with sudo" >&2; exit 1; }
scripts/deps.sh
make -s all
NETLAB=build/netlab
lab=topologies/two-hosts.ini
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

step "$NETLAB" validate "$lab"
step "$NETLAB" up "$lab"
trap '[ -n "${NETLAB_DEMO_KEEP:-}" ] || "$NETLAB" down two-hosts >/dev/null' EXIT
step ip netns list
step "$NETLAB" status two-hosts
step "$NETLAB" exec two-hosts ns1 -- ping -c 2 192.168.1.2
step ip netns exec ns2 ping -c 2 ns1
step "$NETLAB" exec two-hosts ns2 -- hostname
if [ -n "${NETLAB_DEMO_KEEP:-}" ]; then
	echo; echo "The lab stays up: try 'sudo build/netlab shell two-hosts ns1', then 'sudo build/netlab down two-hosts'."
else
	step "$NETLAB" down two-hosts
	trap - EXIT
fi
