#!/usr/bin/env bash
# vm-tests.sh: runs tests/vm/*.bats inside the QEMU guest of ../shared/vm/run-in-vm.sh, which
# boots Debian's stock kernel (sch_netem, bridge VLAN filtering). Run it as
#   ../shared/vm/run-in-vm.sh scripts/vm-tests.sh
# The guest's /dev lacks the fd links bash's process substitution needs: add them first.
set -u
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
[ -e /dev/stdin ] || ln -s /proc/self/fd/0 /dev/stdin
[ -e /dev/stdout ] || ln -s /proc/self/fd/1 /dev/stdout
[ -e /dev/stderr ] || ln -s /proc/self/fd/2 /dev/stderr
cd "$(dirname "$0")/.."
export NETLAB_VM_GUEST=1 # kernel.bats may set up what systemd would (cgroup v2 controllers)
# through vm-root: the guest's init chroots, and a chrooted process may not make a user namespace
# (the rootless tests) nor enter a node's mount namespace properly
exec scripts/vm-root bats --tap tests/vm
