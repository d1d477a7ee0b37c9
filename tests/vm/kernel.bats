#!/usr/bin/env bats
# kernel.bats: tests of features this machine's kernel may lack (sch_netem, bridge VLAN filtering).
# scripts/run-tests.sh runs them inside a QEMU guest booting Debian's stock kernel
# (../shared/vm/run-in-vm.sh); they also run directly on a kernel that has the features.
load ../integration/helpers
bats_require_minimum_version 1.5.0

setup() {
	lab_setup
}

teardown() {
	lab_teardown
	if [ -n "${DELEG:-}" ]; then # the delegated cgroup of the rootless limits test
		for _ in $(seq 50); do
			rmdir "$DELEG/netlab/$LAB" "$DELEG/netlab" "$DELEG/cmd" "$DELEG" 2>/dev/null || true
			[ -e "$DELEG" ] || break
			sleep 0.1
		done
	fi
}

# min_rtt NS ADDR COUNT: the minimum RTT of COUNT pings, in ms (integer part)
min_rtt() {
	in_ns "$1" ping -q -c "$3" -i 0.2 -W 3 "$2" | awk -F'/' '/^rtt/ {split($4, a, "="); print int(a[2] + 0)}'
}

two_nodes() { # two_nodes EXTRA-LINK-KEYS...
	{
		printf '[lab]\nname = %s\n[node a]\neth0 = 10.9.0.1/24\n[node b]\neth0 = 10.9.0.2/24\n[link ab]\nendpoints = a:eth0 b:eth0\n' "$LAB"
		printf '%s\n' "$@"
	} >"$BATS_TEST_TMPDIR/lab.ini"
	netlab up "$BATS_TEST_TMPDIR/lab.ini"
}

@test "netem: a 10 ms delay on a link gives a 20 ms round trip" {
	modprobe sch_netem 2>/dev/null || true
	two_nodes "delay = 10ms"
	rtt=$(min_rtt "$LAB-a" 10.9.0.2 5)
	echo "min rtt $rtt ms"
	[ "$rtt" -ge 20 ]
	[ "$rtt" -le 30 ]
}

@test "netem: per-end values override the link's" {
	two_nodes "delay = 10ms" "delay.a = 30ms"
	rtt=$(min_rtt "$LAB-a" 10.9.0.2 5)
	echo "min rtt $rtt ms"
	[ "$rtt" -ge 40 ]
	[ "$rtt" -le 50 ]
	run netlab status --json "$LAB"
	[ "$(jq -r '.nodes[] | select(.name=="a") | .interfaces[] | select(.name=="eth0") | .impairment' <<<"$output")" = "delay 30ms" ]
	[ "$(jq -r '.nodes[] | select(.name=="b") | .interfaces[] | select(.name=="eth0") | .impairment' <<<"$output")" = "delay 10ms" ]
}

@test "netem: netlab set changes the delay of a running lab, and status shows it" {
	two_nodes "delay = 5ms"
	netlab set "$LAB" ab delay=25ms loss=1%
	rtt=$(min_rtt "$LAB-a" 10.9.0.2 5)
	echo "min rtt $rtt ms"
	[ "$rtt" -ge 50 ]
	[ "$rtt" -le 60 ]
	netlab status "$LAB" | grep -q "delay 25ms loss 1%"
	netlab set "$LAB" ab delay=off loss=off
	rtt=$(min_rtt "$LAB-a" 10.9.0.2 3)
	[ "$rtt" -le 5 ]
}

@test "netem: loss drops packets" {
	two_nodes "loss = 50%"
	run in_ns "$LAB-a" ping -q -c 40 -i 0.05 -W 1 10.9.0.2
	echo "$output"
	loss=$(grep -o '[0-9.]*% packet loss' <<<"$output" | cut -d% -f1)
	[ "${loss%.*}" -ge 20 ]
}

@test "netem on a LAN member: the member's delay applies between it and the LAN, both ways" {
	cat >"$BATS_TEST_TMPDIR/lan.ini" <<-INI
	[lab]
	name = $LAB
	[node a]
	eth0 = 10.9.0.1/24
	[node b]
	eth0 = 10.9.0.2/24
	[node c]
	eth0 = 10.9.0.3/24
	[lan seg]
	endpoints = a:eth0 b:eth0 c:eth0
	delay.a = 10ms
	INI
	netlab up "$BATS_TEST_TMPDIR/lan.ini"
	rtt=$(min_rtt "$LAB-a" 10.9.0.2 5)
	[ "$rtt" -ge 20 ]
	[ "$rtt" -le 30 ]
	rtt=$(min_rtt "$LAB-b" 10.9.0.3 3)
	[ "$rtt" -le 5 ]
}

@test "VLANs: hosts on one VLAN reach each other, across the trunk too; other VLANs do not" {
	f=$(lab_file "$TOPOS/switch-vlans.ini")
	netlab up "$f"
	in_ns "$LAB-h1" ping -c 1 -W 2 10.0.0.2
	in_ns "$LAB-h3" ping -c 1 -W 2 10.0.0.4
	# across the trunk to s2, whose STP ports forward after 2 x 2 s
	for _ in $(seq 20); do in_ns "$LAB-h1" ping -c 1 -W 1 10.0.0.5 >/dev/null && break; done
	in_ns "$LAB-h1" ping -c 1 -W 2 10.0.0.5
	run ! in_ns "$LAB-h1" ping -c 2 -W 1 10.0.0.3
	run ! in_ns "$LAB-h4" ping -c 2 -W 1 10.0.0.2
	run ! in_ns "$LAB-h3" ping -c 2 -W 1 10.0.0.5
}

# cgroup v2 with the memory and cpu controllers enabled at its root, as systemd leaves it: in the
# guest (no systemd) the test enables them; elsewhere it needs them.
cgroup_v2_ready() {
	CG=/sys/fs/cgroup
	[ "$(stat -f -c %T "$CG")" = cgroup2fs ] || skip "no cgroup v2 at $CG"
	if ! grep -qw memory "$CG/cgroup.subtree_control" || ! grep -qw cpu "$CG/cgroup.subtree_control"; then
		[ -n "${NETLAB_VM_GUEST:-}" ] || skip "the memory and cpu controllers are not enabled at $CG"
		echo "+memory +cpu" >"$CG/cgroup.subtree_control"
	fi
}

limits_lab() { # limits_lab NODE-A-KEYS...: $LABFILE: a, with those keys, linked to b, which has none
	LABFILE="$NOBODY_XDG/lab.ini" # a file the rootless tests' user nobody can read
	{
		printf '[lab]\nname = %s\n[node a]\n' "$LAB"
		printf '%s\n' "$@"
		printf 'eth0 = 10.9.0.1/24\n[node b]\neth0 = 10.9.0.2/24\n[link ab]\nendpoints = a:eth0 b:eth0\n'
	} >"$LABFILE"
	chmod a+r "$LABFILE"
}

# as_deleg CMD...: CMD as user nobody (as as_nobody does) in $DELEG/cmd, a cgroup below one
# delegated to nobody, as a systemd user session's commands run in user@UID.service.
as_deleg() {
	bash -c 'echo $$ >"$1/cmd/cgroup.procs" &&
		exec setpriv --reuid=65534 --regid=65534 --clear-groups env XDG_RUNTIME_DIR="$2" "${@:3}"' \
		_ "$DELEG" "$NOBODY_XDG" "$@"
}

# rootless SCRIPT: runs the bash SCRIPT (with as_nobody, as_deleg, $NETLAB, $LAB, $DELEG) in a
# mount namespace of its own where, in the guest, /etc and /var are on a tmpfs: the guest's are
# the machine's over 9p, which overlayfs does not take as a lower layer in a user namespace.
rootless() {
	export -f as_nobody as_deleg
	export NETLAB LAB DELEG NOBODY_XDG BATS_TEST_TMPDIR LABFILE
	if [ -z "${NETLAB_VM_GUEST:-}" ]; then
		bash -c "$1"
		return
	fi
	unshare -m bash -c 'cp -a /etc "$BATS_TEST_TMPDIR/etc" && mkdir "$BATS_TEST_TMPDIR/var" &&
		mount --bind "$BATS_TEST_TMPDIR/etc" /etc && mount --bind "$BATS_TEST_TMPDIR/var" /var &&
		exec bash -c "$1"' _ "$1"
}

@test "memory and cpus: a node's processes run in a cgroup of its own with those limits; one that takes more memory is killed, the node goes on; down removes the cgroups" {
	cgroup_v2_ready
	limits_lab "memory = 32M" "cpus = 0.5"
	netlab up "$LABFILE"
	run netlab exec "$LAB" a -- cat /proc/self/cgroup
	echo "$output"
	[ "$output" = "0::/netlab/$LAB/node-a" ]
	[ "$(cat "$CG/netlab/$LAB/node-a/memory.max")" = $((32 * 1024 * 1024)) ]
	[ "$(cat "$CG/netlab/$LAB/node-a/cpu.max")" = "50000 100000" ]
	run netlab exec "$LAB" b -- cat /proc/self/cgroup # b asked for nothing: not limited
	[ "$output" = "0::/" ]
	# 64 MiB in a shell variable: more than the node may take
	run netlab exec "$LAB" a -- bash -c 'x=$(head -c 67108864 /dev/zero | tr "\0" x); echo ${#x}'
	echo "$output"
	[ "$status" -ne 0 ]
	grep '^oom_kill [1-9]' "$CG/netlab/$LAB/node-a/memory.events"
	netlab exec "$LAB" a -- ping -c 1 -W 2 10.9.0.2
	sed -i 's/^memory = 32M$/memory = 40M/' "$LABFILE" # apply replaces the node, with its limits
	netlab apply "$LABFILE"
	[ "$(cat "$CG/netlab/$LAB/node-a/memory.max")" = $((40 * 1024 * 1024)) ]
	netlab down "$LAB"
	[ ! -e "$CG/netlab/$LAB" ]
}

@test "memory and cpus without root: applied in the cgroup delegated to the user (as systemd delegates user@UID.service), removed by down" {
	cgroup_v2_ready
	[ -n "${NETLAB_VM_GUEST:-}" ] || skip "makes a delegated cgroup of its own: in the guest only"
	DELEG="$CG/nlt-deleg-$LAB"
	mkdir "$DELEG" "$DELEG/cmd"
	chown 65534:65534 "$DELEG" "$DELEG/cgroup.procs" "$DELEG/cgroup.subtree_control" \
		"$DELEG/cgroup.threads" "$DELEG/cmd" "$DELEG/cmd/cgroup.procs"
	echo "+memory +cpu" >"$DELEG/cgroup.subtree_control"
	limits_lab "memory = 48M" "cpus = 0.25"
	run rootless 'as_deleg "$NETLAB" up "$LABFILE" &&
		as_deleg "$NETLAB" exec "$LAB" a -- cat /proc/self/cgroup &&
		cat "$DELEG/netlab/$LAB/node-a/memory.max" "$DELEG/netlab/$LAB/node-a/cpu.max" &&
		as_deleg "$NETLAB" down "$LAB"'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"0::/nlt-deleg-$LAB/netlab/$LAB/node-a"$'\n'"$((48 * 1024 * 1024))"$'\n'"25000 100000"* ]]
	[ ! -e "$DELEG/netlab/$LAB" ]
}

@test "memory and cpus without a cgroup of the user's (a login session's): not applied, said by up and status" {
	cgroup_v2_ready
	limits_lab "memory = 48M"
	run rootless 'as_nobody "$NETLAB" up "$LABFILE" && as_nobody "$NETLAB" status "$LAB";
		as_nobody "$NETLAB" down "$LAB"'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"warning: node a: memory and cpus not applied: netlab runs in cgroup"* ]]
	[[ "$output" == *"  warning: memory and cpus not applied"* ]]
}

@test "netem without root: a user's link gets its delay (the user's namespace owns the nodes' network namespaces)" {
	LABFILE="$NOBODY_XDG/lab.ini"
	printf '[lab]\nname = %s\n[node a]\neth0 = 10.9.0.1/24\n[node b]\neth0 = 10.9.0.2/24\n[link ab]\nendpoints = a:eth0 b:eth0\ndelay = 10ms\n' "$LAB" >"$LABFILE"
	chmod a+r "$LABFILE"
	run rootless 'as_nobody "$NETLAB" up "$LABFILE" &&
		as_nobody "$NETLAB" exec "$LAB" a -- ping -q -c 5 -i 0.2 -W 3 10.9.0.2; as_nobody "$NETLAB" down "$LAB"'
	echo "$output"
	[ "$status" -eq 0 ]
	rtt=$(awk -F'/' '/^rtt/ {split($4, a, "="); print int(a[2] + 0)}' <<<"$output")
	[ "$rtt" -ge 20 ]
	[ "$rtt" -le 30 ]
}
