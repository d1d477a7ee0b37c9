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
