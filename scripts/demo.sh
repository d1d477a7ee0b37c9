#!/usr/bin/env bash
# demo.sh: the README's first command (`make demo` runs it after installing what is missing and
# building): brings up topologies/two-hosts.ini, shows it working, and takes it down again.
# Set NETLAB_DEMO_KEEP=1 to leave the lab up afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "demo: needs root (it creates network namespaces): run it with sudo" >&2; exit 1; }
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
