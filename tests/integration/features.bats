#!/usr/bin/env bats
# features.bats: LANs, switches, impairment, startup commands, daemons and per-node files (root).
# Kernel features this machine may lack (netem, VLAN filtering) are tested in tests/vm/.
load helpers
bats_require_minimum_version 1.5.0

setup() {
	lab_setup
}

teardown() {
	lab_teardown
}

switch_lab() { # switch_lab FILE [SWITCH-KEYS]: h1 and h2 on ports p1 and p2 of switch s1
	printf '[lab]\nname = %s\n[node s1]\nkind = switch\n%s\n[node h1]\neth0 = 10.9.0.1/24\n[node h2]\neth0 = 10.9.0.2/24\n' "$LAB" "${2:-}" >"$1"
	printf '[link a]\nendpoints = h1:eth0 s1:p1\n[link b]\nendpoints = h2:eth0 s1:p2\n' >>"$1"
}

@test "LAN: three hosts and a router share a broadcast domain; every host reaches every other and the router" {
	f=$(lab_file "$TOPOS/lan-router.ini")
	# h2 and h3 answer broadcast pings already (the lab's own [test broadcast] needs it)
	sed -i 's/^\[node h1\]$/[node h1]\nsysctl.net.ipv4.icmp_echo_ignore_broadcasts = 0/; s/^\[node r1\]$/[node r1]\nsysctl.net.ipv4.icmp_echo_ignore_broadcasts = 0/' "$f"
	netlab up "$f"
	for a in 1 2 3; do
		in_ns "$LAB-h$a" ping -c 1 -W 1 10.0.0.1
		in_ns "$LAB-h$a" ping -6 -c 1 -W 1 2001:db8::1
		for b in 1 2 3; do
			[ "$a" = "$b" ] || in_ns "$LAB-h$a" ping -c 1 -W 1 "10.0.0.1$b"
		done
		in_ns "$LAB-h$a" ping -c 1 -W 1 10.0.1.14
	done
	# one broadcast ping: every member answers
	run in_ns "$LAB-h1" ping -b -c 2 -W 1 10.0.0.255
	for who in 10.0.0.11 10.0.0.12 10.0.0.13 10.0.0.1; do
		[[ "$output" == *"from $who"* ]]
	done
}

@test "LAN: its bridge lives in a namespace of its own, pinned and shown by status" {
	f=$(lab_file "$TOPOS/lan-router.ini")
	netlab up "$f"
	ip netns list | grep -qx "$LAB-lan1"
	[ "$(ip -n "$LAB-lan1" -o link show master br0 | wc -l)" -eq 4 ]
	run netlab status --json "$LAB"
	[ "$(jq -r '.nodes[] | select(.name=="lan1") | .kind' <<<"$output")" = lan ]
	[ "$(jq -r '[.nodes[] | select(.name=="lan1") | .interfaces[] | select(.master=="br0")] | length' <<<"$output")" = 4 ]
	# nothing of it in the host's namespace
	run ! ip link show br0
}

@test "switch node: its interfaces are ports of one bridge and hosts reach each other through it" {
	switch_lab "$BATS_TEST_TMPDIR/sw.ini"
	netlab up "$BATS_TEST_TMPDIR/sw.ini"
	in_ns "$LAB-h1" ping -c 1 -W 1 10.9.0.2
	[ "$(ip -n "$LAB-s1" -o link show master br0 | wc -l)" -eq 2 ]
	[ "$(in_ns "$LAB-s1" cat /proc/sys/net/ipv4/ip_forward)" = 0 ]
}

@test "VLAN switch: refused cleanly, with nothing left, where the kernel lacks VLAN filtering" {
	f=$(lab_file "$TOPOS/switch-vlans.ini")
	run netlab up "$f"
	if [ "$status" -eq 0 ]; then
		skip "this kernel has bridge VLAN filtering (tested in tests/vm)"
	fi
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot create VLAN-aware bridge 's1:br0': this kernel has no bridge VLAN filtering"* ]]
	assert_nothing_left
}

@test "netem: a kernel without sch_netem gets a clear message at up, not a half lab" {
	has_netem && skip "this kernel has sch_netem (tested in tests/vm)"
	f=$(lab_file "$TOPOS/wan-link.ini")
	run netlab up "$f"
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot apply 'delay 20ms jitter 2ms loss 1% rate 10mbit' to 'r1:wan0': this kernel lacks the netem qdisc (sch_netem module)"* ]]
	assert_nothing_left
}

@test "rate: a tbf limiter on each end, shown by status, changed and removed by netlab set" {
	f=$(lab_file "$TOPOS/two-hosts.ini")
	sed -i '/^endpoints = ns1:veth1 ns2:veth2$/a rate = 10mbit\nrate.ns2 = 2mbit' "$f"
	netlab up "$f"
	tc -n "$LAB-ns1" qdisc show dev veth1 | grep -q "tbf .* rate 10Mbit"
	tc -n "$LAB-ns2" qdisc show dev veth2 | grep -q "tbf .* rate 2Mbit"
	run netlab status "$LAB"
	[[ "$output" == *"veth1"*"[rate 10mbit]"* ]]
	netlab set "$LAB" ns1-ns2 rate=50mbit
	tc -n "$LAB-ns1" qdisc show dev veth1 | grep -q "rate 50Mbit"
	tc -n "$LAB-ns2" qdisc show dev veth2 | grep -q "rate 2Mbit"
	netlab set "$LAB" ns1-ns2 rate=off rate.ns2=off
	run tc -n "$LAB-ns1" qdisc show dev veth1
	[ "$status" -eq 0 ]
	[[ "$output" != *tbf* ]]
	run tc -n "$LAB-ns2" qdisc show dev veth2
	[ "$status" -eq 0 ]
	[[ "$output" != *tbf* ]]
	in_ns "$LAB-ns1" ping -c 1 -W 1 192.168.1.2
}

@test "set: bad keys, values, links and ends are usage errors that change nothing" {
	f=$(lab_file "$TOPOS/two-hosts.ini")
	sed -i '/^endpoints = ns1:veth1 ns2:veth2$/a rate = 10mbit' "$f"
	netlab up "$f"
	run netlab set "$LAB" nolink rate=1mbit
	[ "$status" -eq 2 ]
	[[ "$output" == *"no link or LAN called 'nolink'"* ]]
	run netlab set "$LAB" ns1-ns2 speed=1mbit
	[ "$status" -eq 2 ]
	run netlab set "$LAB" ns1-ns2 rate=fast
	[ "$status" -eq 2 ]
	run netlab set "$LAB" ns1-ns2 rate.zz=1mbit
	[ "$status" -eq 2 ]
	tc -n "$LAB-ns1" qdisc show dev veth1 | grep -q "rate 10Mbit"
}

@test "startup commands run in order after the network is wired; files appear inside the node" {
	mkdir -p "$BATS_TEST_TMPDIR/conf/etc/netlabtest"
	echo "router config" >"$BATS_TEST_TMPDIR/conf/etc/netlabtest/r.conf"
	out="$BATS_TEST_TMPDIR/order"
	printf 'echo "script on $(hostname)" >>%s\n' "$out" >"$BATS_TEST_TMPDIR/start.sh"
	cat >"$BATS_TEST_TMPDIR/lab.ini" <<-INI
	[lab]
	name = $LAB
	[node a]
	eth0 = 10.9.0.1/24
	exec.2 = echo second >>$out
	exec = ping -c 1 -W 1 b
	exec.1 = echo first >>$out
	startup = start.sh
	files = conf
	[node b]
	eth0 = 10.9.0.2/24
	exec = sh -c 'cat /etc/netlabtest/r.conf 2>/dev/null && echo b-sees-files >>$out || true'
	[link ab]
	endpoints = a:eth0 b:eth0
	INI
	netlab up "$BATS_TEST_TMPDIR/lab.ini"
	run cat "$out"
	[ "${lines[0]}" = first ]
	[ "${lines[1]}" = second ]
	[ "${lines[2]}" = "script on a" ]
	[ "${#lines[@]}" -eq 3 ]
	[ "$(netlab exec "$LAB" a -- cat /etc/netlabtest/r.conf)" = "router config" ]
	[ ! -e /etc/netlabtest ]
	run netlab exec "$LAB" b -- cat /etc/netlabtest/r.conf
	[ "$status" -ne 0 ]
}

@test "a failing startup line leaves the lab up, as Kathara does: the script runs to its end; each failed line a warning (up, status, --json), its output in netlab logs" {
	printf 'echo first\nip route add 10.50.0.0/16 via 10.9.9.9\nfalse || true\nif false; then :; fi\necho second\nexit 4\n' >"$BATS_TEST_TMPDIR/a.startup"
	printf 'touch /tmp/b-ran\n' >"$BATS_TEST_TMPDIR/b.startup"
	cat >"$BATS_TEST_TMPDIR/lab.ini" <<-INI
	[lab]
	name = $LAB
	[node a]
	eth0 = 10.9.0.1/24
	startup = a.startup
	[node b]
	eth0 = 10.9.0.2/24
	startup = b.startup
	[link ab]
	endpoints = a:eth0 b:eth0
	INI
	run --separate-stderr netlab up "$BATS_TEST_TMPDIR/lab.ini"
	echo "$output$stderr"
	[ "$status" -eq 0 ]
	[[ "$output" == *"lab $LAB is up: 2 nodes, 1 link, with 1 warning (above; netlab status $LAB shows them)"* ]]
	[[ "$stderr" == *"warning: node a: startup a.startup line 2: exit status 2: ip route add 10.50.0.0/16 via 10.9.9.9 (the output before it: Error: Nexthop has invalid gateway.)"* ]]
	# the lines after the failed one ran, and the other node's script; `false || true` and an
	# if's condition are no failures; an explicit `exit 4` after a failed line adds nothing
	[ "$(printf '%s\n' "$stderr" | grep -c 'warning:')" -eq 1 ]
	netlab exec "$LAB" b -- test -e /tmp/b-ran
	run netlab logs "$LAB" a
	[[ "$output" == *"first"*"Nexthop has invalid gateway"*"second"* ]]
	run netlab status "$LAB"
	[ "$status" -eq 0 ]
	[[ "$output" == *"1 warning (up went on past them"* ]]
	[[ "$output" == *"node a (host)"*"ok"*"  warning: startup a.startup line 2: exit status 2"* ]]
	run netlab status "$LAB" --json
	[[ "$output" == *'"warnings":["startup a.startup line 2: exit status 2: ip route add 10.50.0.0/16 via 10.9.9.9'* ]]
	# a script whose last word is a failure, with no failed line: its exit status is the warning
	netlab down "$LAB"
	printf 'echo only\nexit 4\n' >"$BATS_TEST_TMPDIR/a.startup"
	run --separate-stderr netlab up "$BATS_TEST_TMPDIR/lab.ini"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"warning: node a: startup a.startup ended with exit status 4"* ]]
	[ "$(printf '%s\n' "$stderr" | grep -c 'warning:')" -eq 1 ]
	# a script whose last command fails: that line alone (not the script's sourcing as well)
	netlab down "$LAB"
	printf 'echo only\nfalse\n' >"$BATS_TEST_TMPDIR/a.startup"
	run --separate-stderr netlab up "$BATS_TEST_TMPDIR/lab.ini"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"warning: node a: startup a.startup line 2: exit status 1: false"* ]]
	[ "$(printf '%s\n' "$stderr" | grep -c 'warning:')" -eq 1 ]
}

@test "a failing exec fails up, shows its output, and rolls the whole lab back" {
	f=$(lab_file "$TOPOS/router-chain.ini")
	sed -i "s/^\[node r2\]$/[node r2]\nexec = echo about to fail; exit 3/" "$f"
	sed -i "s/^exec = echo about to fail; exit 3$/exec = 'echo about to fail; exit 3'/" "$f"
	run netlab up "$f"
	[ "$status" -eq 1 ]
	[[ "$output" == *"exec 'echo about to fail; exit 3' in node r2 failed with exit status 3; its output:"* ]]
	[[ "$output" == *"about to fail"* ]]
	assert_nothing_left
}

@test "a daemon is started by up, listed by status, logged, and stopped by down" {
	f=$(lab_file "$TOPOS/two-hosts.ini")
	sed -i "s/^\[node ns2\]$/[node ns2]\ndaemon = 'echo daemon up; exec sleep 600'/" "$f"
	netlab up "$f"
	run netlab status --json "$LAB"
	pid=$(jq -r '.nodes[] | select(.name=="ns2") | .daemons[0].pid' <<<"$output")
	[ "$(jq -r '.nodes[] | select(.name=="ns2") | .daemons[0].running' <<<"$output")" = true ]
	kill -0 "$pid"
	[ "$(readlink /proc/$pid/ns/net)" = "net:[$(stat -L -c %i "/run/netns/$LAB-ns2")]" ]
	for _ in $(seq 50); do netlab logs "$LAB" ns2 | grep -q "daemon up" && break; sleep 0.1; done
	netlab logs "$LAB" ns2 | grep -q "daemon up"
	run netlab logs "$LAB" ns1
	[ "$status" -eq 1 ]
	netlab down "$LAB"
	# gone, or a zombie waiting for its parent to reap it: no longer running in the lab
	[ ! -e "/proc/$pid/ns/net" ] || grep -q '^State:.*Z' "/proc/$pid/status"
}

@test "LAN: DHCP works across it (busybox udhcpd as a daemon on one member, udhcpc on another)" {
	command -v busybox >/dev/null || skip "busybox is not installed (scripts/deps.sh installs it)"
	d=$BATS_TEST_TMPDIR
	printf 'start 10.50.0.100\nend 10.50.0.150\ninterface eth0\nlease_file %s/leases\noption subnet 255.255.255.0\n' "$d" >"$d/udhcpd.conf"
	touch "$d/leases"
	cat >"$d/lab.ini" <<-INI
	[lab]
	name = $LAB
	[node srv]
	eth0 = 10.50.0.1/24
	daemon = busybox udhcpd -f $d/udhcpd.conf
	[node c1]
	[node c2]
	[lan seg]
	endpoints = srv:eth0 c1:eth0 c2:eth0
	INI
	netlab up "$d/lab.ini"
	run netlab exec "$LAB" c2 -- busybox udhcpc -i eth0 -n -q -f -t 10 -T 1 -s /bin/true
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"lease of 10.50.0."*" obtained from 10.50.0.1"* ]]
	netlab logs "$LAB" srv | grep -q "sending ACK"
}

@test "switch with stp = on: the bridge runs STP and forwards once its ports have learned" {
	switch_lab "$BATS_TEST_TMPDIR/stp.ini" "stp = on"
	netlab up "$BATS_TEST_TMPDIR/stp.ini"
	ip -n "$LAB-s1" -d link show br0 | grep -q "stp_state 1"
	ip -n "$LAB-s1" -d link show br0 | grep -q "forward_delay 200"
	# listening and learning take 2 x 2 s
	for _ in $(seq 20); do in_ns "$LAB-h1" ping -c 1 -W 1 10.9.0.2 >/dev/null && break; done
	in_ns "$LAB-h1" ping -c 1 -W 1 10.9.0.2
}

@test "an exec that leaves a process in the background does not make up wait for it" {
	f=$(lab_file "$TOPOS/two-hosts.ini")
	printf '[defaults]\nexec = "sleep 30 & echo started"\n' >>"$f"
	netlab up "$f"
	# up returned while the sleep still runs: had it waited for it, the sleep would be gone
	netlab status "$LAB" | grep -q "process .* sleep"
	netlab down "$LAB"
	assert_nothing_left
}

@test "memory and cpus: a node's own cgroup with those limits where cgroup v2 has the controllers, else up and status say they are not applied" {
	printf '[lab]\nname = %s\n[node a]\nmemory = 64M\ncpus = 0.5\neth0 = 10.9.0.1/24\n[node b]\neth0 = 10.9.0.2/24\n[link ab]\nendpoints = a:eth0 b:eth0\n' "$LAB" >"$BATS_TEST_TMPDIR/lab.ini"
	run netlab up "$BATS_TEST_TMPDIR/lab.ini"
	echo "$output"
	[ "$status" -eq 0 ]
	# cgroup v2's mount point: the fifth field of its line, whose type follows the " - "
	cg=$(awk '{ for (i = 7; i < NF; i++) if ($i == "-" && $(i + 1) == "cgroup2") { print $5; exit } }' /proc/self/mountinfo)
	[ -n "$cg" ]
	if [[ "$output" == *"memory and cpus not applied"* ]]; then
		# only where cgroup v2 lacks the controllers (this machine: cgroup v1 holds them)
		run ! grep -qw memory "$cg/cgroup.subtree_control"
		run netlab status "$LAB"
		[[ "$output" == *"  warning: memory and cpus not applied: "* ]]
		[ ! -e "$cg/netlab/$LAB" ]
	else # tests/vm/kernel.bats checks what the limits do
		[ "$(cat "$cg/netlab/$LAB/node-a/memory.max")" = $((64 * 1024 * 1024)) ]
	fi
	netlab down "$LAB"
	[ ! -e "$cg/netlab/$LAB" ]
}
