#!/usr/bin/env bats
# labtests.bats: netlab ping and netlab test, on the shipped labs and on labs built to fail,
# checked against an independent `ip netns exec NS ping` for a sample of pairs (root).
load helpers
bats_require_minimum_version 1.5.0

setup() {
	lab_setup
}

teardown() {
	lab_teardown
}

# reachable_by_ping NS ADDR: what an independent ping says
reachable_by_ping() { ip netns exec "$1" ping -c 1 -W 1 "$2" >/dev/null 2>&1; }

@test "ping: every pair of the router chain, IPv4 and IPv6, exit 0, agreeing with ip netns exec ping" {
	f=$(lab_file "$TOPOS/router-chain.ini")
	netlab up "$f"
	run netlab ping "$LAB"
	[ "$status" -eq 0 ]
	[[ "$output" == *"from\\to"* ]]
	[[ "$output" == *"36 of 36 pairs reachable"* ]] # 12 addresses; each node probes the others'
	run netlab ping "$LAB" --json --count 2
	[ "$status" -eq 0 ]
	[ "$(jq '.pairs' <<<"$output")" = 36 ]
	[ "$(jq '[.results[] | select(.received == 2)] | length' <<<"$output")" = 36 ]
	jq -c '.results[] | select(.src=="h1" or .src=="r2") | [.src, .address, .reachable]' <<<"$output" | head -n 6 >"$BATS_TEST_TMPDIR/sample"
	while IFS= read -r row; do
		src=$(jq -r '.[0]' <<<"$row")
		addr=$(jq -r '.[1]' <<<"$row")
		[ "$(jq -r '.[2]' <<<"$row")" = true ]
		reachable_by_ping "$LAB-$src" "$addr"
	done <"$BATS_TEST_TMPDIR/sample"
}

@test "ping: unreachable pairs give exit 1, are named, and agree with ip netns exec ping" {
	netlab generate star 12 --name "$LAB" | without_gateway 3 >"$BATS_TEST_TMPDIR/star.ini"
	netlab up "$BATS_TEST_TMPDIR/star.ini"
	run netlab ping "$LAB" --json --timeout 1
	[ "$status" -eq 1 ]
	# 3 hosts without a gateway: only r reaches them, and they reach only r
	[ "$(jq '.pairs - .reachable' <<<"$output")" -gt 0 ]
	[ "$(jq -r '.results[] | select(.src=="h1" and .dst=="h5") | .reachable' <<<"$output")" = false ]
	[ "$(jq -r '.results[] | select(.src=="h4" and .dst=="h5") | .reachable' <<<"$output")" = true ]
	[ "$(jq -r '.results[] | select(.src=="r" and .dst=="h1") | .reachable' <<<"$output")" = true ]
	json=$output
	run ! reachable_by_ping "$LAB-h1" "$(jq -r '.results[] | select(.src=="h1" and .dst=="h5") | .address' <<<"$json")"
	reachable_by_ping "$LAB-h4" "$(jq -r '.results[] | select(.src=="h4" and .dst=="h5") | .address' <<<"$json")"
	# the loss and RTT fields
	[ "$(jq -r '.results[] | select(.src=="h1" and .dst=="h5") | .loss_percent' <<<"$json")" = 100.0 ]
	[ "$(jq -r '.results[] | select(.src=="h4" and .dst=="h5") | .rtt_avg_ms' <<<"$json")" != null ]
	run netlab ping "$LAB" --timeout 1
	[[ "$output" == *"unreachable: h1 -> h5"* ]]
	[[ "$output" == *"--"* ]]
}

@test "ping -6 probes IPv6 addresses only; ping -4 IPv4 only" {
	f=$(lab_file "$TOPOS/triangle.ini")
	netlab up "$f"
	run netlab ping "$LAB" -6 --json
	[ "$status" -eq 0 ]
	[ "$(jq '[.results[] | select(.family != "inet6")] | length' <<<"$output")" = 0 ]
	[ "$(jq '.pairs' <<<"$output")" -gt 0 ]
	run netlab ping "$LAB" -4 --json
	[ "$(jq '[.results[] | select(.family != "inet")] | length' <<<"$output")" = 0 ]
}

@test "ping: usage errors" {
	run netlab ping --count 0
	[ "$status" -eq 2 ]
	for bad in abc nan inf 1e-9 0 0.0001 -1 +2 3601; do
		run netlab ping --timeout "$bad" "${LAB}nolab"
		[ "$status" -eq 2 ] || { echo "--timeout $bad: status $status"; return 1; }
		[[ "$output" == *"is not a number of seconds"* ]] || { echo "--timeout $bad: $output"; return 1; }
	done
	run netlab ping "${LAB}nolab"
	[ "$status" -eq 2 ]
}

@test "test: every shipped course lab passes its own tests (and is taken down after)" {
	for lab in two-hosts router-chain lan-router triangle subnetting rip-frr ospf-frr ospf-multiarea bgp-frr ospf-bird; do
		f=$(lab_file "$TOPOS/$lab.ini")
		[ ! -d "$TOPOS/$lab" ] || cp -r "$TOPOS/$lab" "$BATS_TEST_TMPDIR/"
		run --separate-stderr netlab test "$f"
		echo "$output"
		[ "$status" -eq 0 ]
		[[ "$output" == "1.."* ]]
		[[ "$stderr" == *"lab $LAB is up"* ]]
		[ "$(grep -c "^not ok" <<<"$output")" -eq 0 ]
		assert_nothing_left
	done
}

@test "test: the OSPF exercise fails (at its deadline) until r2's configuration is fixed" {
	command -v vtysh >/dev/null || skip "frr not installed (make deps)"
	f=$(lab_file "$TOPOS/ospf-broken.ini")
	cp -r "$TOPOS/ospf-broken" "$BATS_TEST_TMPDIR/"
	run --separate-stderr netlab test "$f" --format json
	[ "$status" -eq 1 ]
	[ "$(jq -r '.sections[0].ok' <<<"$output")" = false ]
	[ "$(jq -r '.sections[0].ms' <<<"$output")" -ge 20000 ]
	[ "$(jq -r '[.results[] | select(.checked == false)] | length' <<<"$output")" = 4 ]
	assert_nothing_left
	# the student's fix: the network statement of the link to r1
	sed -i 's|network 10.0.21.0/30 area 0|network 10.0.12.0/30 area 0|' "$BATS_TEST_TMPDIR/ospf-broken/r2.conf"
	run netlab test "$f"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(grep -c "^ok" <<<"$output")" -eq 6 ]
	assert_nothing_left
}

@test "test: the broken lab fails until its missing route is added" {
	f=$(lab_file "$TOPOS/broken-route.ini")
	run netlab test "$f"
	[ "$status" -eq 1 ]
	[[ "$output" == *"not ok 1 - [reach] h1 -> h2 reachable"* ]]
	[[ "$output" == *"not ok 5 - [routes] r2 route 10.1.1.0/24 via 10.1.12.1"* ]]
	[[ "$output" == *"ok 6 - [routes] r1 route 10.1.2.0/24 via 10.1.12.2"* ]]
	[[ "$output" == *"not ok 7 - [path] h1 -> h2 via r1 r2"* ]]
	# the same, checked independently
	netlab up "$f"
	run ! reachable_by_ping "$LAB-h1" 10.1.2.10
	netlab down "$LAB"
	# the student's fix
	sed -i 's/^; the exercise: r2 knows no way back to 10.1.1.0\/24$/routes = 10.1.1.0\/24 via 10.1.12.1/' "$f"
	run netlab test "$f"
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "test: on a running lab; JUnit and JSON outputs; ports and path details" {
	f=$(lab_file "$TOPOS/router-chain.ini")
	sed -i "s/^\[node h2\]$/[node h2]\ndaemon = iperf3 -s -p 5201/" "$f"
	# a lab with a daemon waits up to 60 s for a failing section by default: not this one
	cat >>"$f" <<-'INI'
	[defaults test]
	within = 0
	[test extra]
	expect = h2 tcp 5201 open, h2 udp 5201 closed, h1 -> h2 via r2 r1, h1 -> h2 unreachable
	INI
	netlab up "$f"
	for _ in $(seq 50); do netlab exec "$LAB" h2 -- sh -c 'grep -q ":1451 .* 0A " /proc/net/tcp /proc/net/tcp6' && break; sleep 0.1; done
	run netlab test "$LAB" --format json
	[ "$status" -eq 1 ]
	[ "$(jq '.failed' <<<"$output")" = 2 ]
	[ "$(jq -r '.results[] | select(.assertion=="h2 tcp 5201 open") | .ok' <<<"$output")" = true ]
	[ "$(jq -r '.results[] | select(.assertion=="h2 udp 5201 closed") | .ok' <<<"$output")" = true ]
	[ "$(jq -r '.results[] | select(.assertion=="h1 -> h2 via r2 r1") | .detail' <<<"$output")" = "the path went through r1 r2" ]
	[ "$(jq -r '.results[] | select(.assertion=="h1 -> h2 unreachable") | .ok' <<<"$output")" = false ]
	run netlab test "$LAB" --format junit
	[ "$status" -eq 1 ]
	[[ "$output" == *'<testsuites name="'"$LAB"'" tests="17" failures="2" time="'* ]]
	[[ "$output" == *'<testsuite name="extra" tests="4" failures="2" time="'* ]]
	[[ "$output" == *'<failure message="expected: the path from h1 reaches h2 through r2 r1&#10;seen: the path went through r1 r2"/>'* ]]
	# the lab was up before: test leaves it up
	ip netns list | grep -qx "$LAB-h1"
	# the same file tests the running lab; another version of it is refused
	run --separate-stderr netlab test "$f"
	[ "$status" -eq 1 ]
	[[ "$output" == "1..17"* ]]
	sed -i 's/^description = .*/description = edited/' "$f"
	run netlab test "$f"
	[ "$status" -eq 1 ]
	[[ "$output" == *"lab $LAB is up from another version of"*"(they differ beyond their [test] sections)"* ]]
}

@test "test: a path traced again and again within seconds (a section in rounds, a class graded) still sees every router" {
	# a router's kernel sends a peer at most one time-exceeded error a second once a burst of six
	# is spent (icmp_ratelimit): a hop's request is sent again until it is answered
	f=$(lab_file "$TOPOS/router-chain.ini")
	netlab up "$f"
	cat >"$BATS_TEST_TMPDIR/path.ini" <<-'INI'
	[test path]
	expect = h1 -> h2 via r1 r2, h2 -> h1 via r2 r1
	INI
	for i in $(seq 12); do
		run netlab test "$LAB" "$BATS_TEST_TMPDIR/path.ini"
		echo "round $i: $output"
		[ "$status" -eq 0 ]
	done
}

@test "test: usage errors, and a file without [test] sections" {
	run netlab test
	[ "$status" -eq 2 ]
	run netlab test "$TOPOS/wan-link.ini" --format yaml
	[ "$status" -eq 2 ]
	run netlab test "$TOPOS/wan-link.ini"
	[ "$status" -eq 2 ]
	[[ "$output" == *"has no [test] section"* ]]
}
