#!/usr/bin/env bats
# live.bats: changing a running lab: links down and up (netlab link), apply, capture, graph.
load helpers

setup() { lab_setup; }
teardown() { lab_teardown; }

@test "link down: the static path fails, status says down on purpose; up restores addresses and routes" {
	f=$(lab_file "$TOPOS/router-chain.ini")
	netlab up "$f"
	in_ns "$LAB-h1" ping -c 1 -W 1 10.0.2.10
	netlab link "$LAB" r1-r2 down
	[[ "$(ip -n "$LAB-r1" -o link show eth1)" != *"UP"* ]]
	[[ "$(ip -n "$LAB-r2" -o link show eth0)" != *"UP"* ]]
	run in_ns "$LAB-h1" ping -c 1 -W 1 10.0.2.10
	[ "$status" -ne 0 ]
	run netlab status "$LAB"
	[ "$status" -eq 0 ]
	[[ "$output" == *"links down on purpose (netlab link): r1-r2"* ]]
	[[ "$output" == *"eth1             DOWN"*"(link down on purpose: netlab link)"* ]]
	run netlab status "$LAB" --json
	[[ "$output" == *'"links_down":["r1-r2"]'* ]]
	# the kernel removed the routes through it, and the IPv6 addresses
	[ -z "$(ip -n "$LAB-r1" route show 10.0.2.0/24)" ]
	[ -z "$(ip -n "$LAB-r1" -6 addr show dev eth1 scope global)" ]
	netlab link "$LAB" r1-r2 up
	[[ "$(ip -n "$LAB-r1" route show 10.0.2.0/24)" == *"via 10.0.12.2 dev eth1"* ]]
	[[ "$(ip -n "$LAB-r1" -6 route show 2001:db8:2::/64)" == *"via 2001:db8:12::2 dev eth1"* ]]
	[[ "$(ip -n "$LAB-r1" -6 addr show dev eth1 scope global)" == *"2001:db8:12::1/64"* ]]
	in_ns "$LAB-h1" ping -c 1 -W 1 10.0.2.10
	in_ns "$LAB-h1" ping -c 1 -W 1 2001:db8:2::10
	run netlab status "$LAB"
	[ "$status" -eq 0 ]
	[[ "$output" != *"on purpose"* ]]
	run netlab test "$LAB"
	[ "$status" -eq 0 ]
}

@test "link down by hand (ip) is a problem for status; netlab link up repairs it" {
	f=$(lab_file "$TOPOS/router-chain.ini")
	netlab up "$f"
	ip -n "$LAB-r1" link set eth1 down
	ip -n "$LAB-r1" link set eth1 up
	run netlab status "$LAB"
	[ "$status" -eq 1 ]
	[[ "$output" == *"problem: route 10.0.2.0/24 via 10.0.12.2 missing"* ]]
	netlab link "$LAB" r1-r2 up
	run netlab status "$LAB"
	[ "$status" -eq 0 ]
}

@test "link down NODE: one end only; its peer has no carrier; the other links stay up" {
	f=$(lab_file "$TOPOS/router-chain.ini")
	netlab up "$f"
	netlab link "$LAB" r1-r2 down r2
	[[ "$(ip -n "$LAB-r2" -o link show eth0)" == *"state DOWN"* ]]
	[[ "$(ip -n "$LAB-r1" -o link show eth1)" == *"NO-CARRIER"*",UP"* ]]
	run netlab status "$LAB"
	[ "$status" -eq 0 ]
	[[ "$output" == *"eth1"*"(link peer down on purpose: netlab link)"* ]]
	in_ns "$LAB-h1" ping -c 1 -W 1 10.0.1.1
	run in_ns "$LAB-h1" ping -c 1 -W 1 10.0.2.10
	[ "$status" -ne 0 ]
	netlab link "$LAB" r1-r2 up r2
	in_ns "$LAB-h1" ping -c 1 -W 1 10.0.2.10
}

@test "link on a LAN: one member cut off, then the whole LAN; up puts every member back" {
	f=$(lab_file "$TOPOS/lan-router.ini")
	netlab up "$f"
	netlab link "$LAB" lan1 down h2
	run in_ns "$LAB-h1" ping -c 1 -W 1 10.0.0.12
	[ "$status" -ne 0 ]
	in_ns "$LAB-h1" ping -c 1 -W 1 10.0.0.13
	run netlab status "$LAB"
	[ "$status" -eq 0 ]
	[[ "$output" == *"links down on purpose (netlab link): lan1:h2"* ]]
	netlab link "$LAB" lan1 up h2
	in_ns "$LAB-h1" ping -c 1 -W 1 10.0.0.12
	netlab link "$LAB" lan1 down
	run in_ns "$LAB-h1" ping -c 1 -W 1 10.0.0.13
	[ "$status" -ne 0 ]
	netlab link "$LAB" lan1 up
	# the members' gateways came back with the LAN
	[[ "$(ip -n "$LAB-h3" route show default)" == *"via 10.0.0.1"* ]]
	in_ns "$LAB-h1" ping -c 1 -W 1 10.0.1.14
	in_ns "$LAB-h1" ping -c 1 -W 1 2001:db8::13
	run netlab status "$LAB"
	[ "$status" -eq 0 ]
}

@test "link flap: --count times down then up, with times; ends up; a signal ends it with the link up" {
	f=$(lab_file "$TOPOS/router-chain.ini")
	netlab up "$f"
	run netlab link "$LAB" r1-r2 flap --count 3 --interval 0.1
	[ "$status" -eq 0 ]
	[ "$(grep -c ' r1-r2 down$' <<<"$output")" -eq 3 ]
	[ "$(grep -c ' r1-r2 up$' <<<"$output")" -eq 3 ]
	in_ns "$LAB-h1" ping -c 1 -W 1 10.0.2.10
	"$NETLAB" link "$LAB" r1-r2 flap --count 2 --interval 30 >"$BATS_TEST_TMPDIR/flap" 2>&1 &
	pid=$!
	for _ in $(seq 100); do grep -q down "$BATS_TEST_TMPDIR/flap" && break; sleep 0.05; done
	kill -INT "$pid"
	st=0
	wait "$pid" || st=$?
	[ "$st" -eq 1 ]
	grep -q "interrupted: r1-r2 is up" "$BATS_TEST_TMPDIR/flap"
	in_ns "$LAB-h1" ping -c 1 -W 1 10.0.2.10
	run netlab status "$LAB"
	[ "$status" -eq 0 ]
}

@test "link: bad words, links and ends are usage errors that change nothing; down after link down leaves nothing" {
	f=$(lab_file "$TOPOS/router-chain.ini")
	netlab up "$f"
	run netlab link "$LAB" r1-r2 sideways
	[ "$status" -eq 2 ]
	run netlab link "$LAB" nolink down
	[ "$status" -eq 2 ]
	[[ "$output" == *"no link or LAN called 'nolink'"* ]]
	run netlab link "$LAB" r1-r2 down h2
	[ "$status" -eq 2 ]
	[[ "$output" == *"'h2' is not an end of r1-r2"* ]]
	run netlab link "$LAB" r1-r2 down --count 2
	[ "$status" -eq 2 ]
	run netlab set "$LAB" r1-r2 state=down
	[ "$status" -eq 2 ]
	in_ns "$LAB-h1" ping -c 1 -W 1 10.0.2.10
	netlab link "$LAB" r1-r2 down
	netlab down "$LAB"
	assert_nothing_left
}
