#!/usr/bin/env bats
# grading.bats: what `netlab test` needs to grade labs with live routing: every assertion kind,
# passing and failing, with what was expected and seen; sections retried until they hold or
# their `within` passes; needs; tests edited on a running lab and a file of tests (root).
load helpers
bats_require_minimum_version 1.5.0

setup() {
	lab_setup
}

teardown() {
	lab_teardown
}

# A lab where r1 reaches h2's network over two next hops (r2 and r3), and h2 -> h1 goes back
# through r2 and r1 only. Its [test] sections come from $1 (appended as they are).
ecmp_lab() {
	f="$BATS_TEST_TMPDIR/lab.ini"
	cat >"$f" <<-INI
	[lab]
	name = $LAB
	[node h1]
	eth0 = 10.5.1.10/24
	gateway = 10.5.1.1
	[node r1]
	kind = router
	eth0 = 10.5.1.1/24
	eth1 = 10.5.12.1/30
	eth2 = 10.5.13.1/30
	exec = ip route add 10.5.2.0/24 nexthop via 10.5.12.2 nexthop via 10.5.13.2
	[node r2]
	kind = router
	eth0 = 10.5.12.2/30
	eth1 = 10.5.2.1/24
	eth2 = 10.5.23.1/30
	routes = 10.5.1.0/24 via 10.5.12.1
	[node r3]
	kind = router
	eth0 = 10.5.13.2/30
	eth1 = 10.5.23.2/30
	routes = 10.5.2.0/24 via 10.5.23.1, 10.5.1.0/24 via 10.5.13.1
	[node h2]
	eth0 = 10.5.2.10/24
	gateway = 10.5.2.1
	[link h1-r1]
	endpoints = h1:eth0 r1:eth0
	[link r1-r2]
	endpoints = r1:eth1 r2:eth0
	[link r1-r3]
	endpoints = r1:eth2 r3:eth0
	[link r2-r3]
	endpoints = r2:eth2 r3:eth1
	[link r2-h2]
	endpoints = r2:eth1 h2:eth0
	INI
	printf '%s\n' "$1" >>"$f"
}

@test "assertions: ECMP routes, absent routes, output contains/matches, daemons, interfaces, paths that avoid a node" {
	ecmp_lab '[test pass]
expect = r1 route 10.5.2.0/24 via 10.5.12.2, r1 route 10.5.2.0/24 via 10.5.13.2, r1 route 10.5.2.0/24 via 10.5.13.2 10.5.12.2, r1 route 10.9.0.0/16 absent, r2 route 10.5.1.0/24 via 10.5.13.1 absent, r1 runs "ip route show 10.5.2.0/24" contains "nexthop via" 2 times, r1 runs "ip route show 10.5.2.0/24" matches "dev eth[12] weight 1", r1 runs "ip route show 10.5.2.0/24" contains "Full" 0 times, h2 daemon sleep running, h1 daemon sshd stopped, r1 interface eth2 up, h2 -> h1 avoids r3, h2 -> h1 via r2 r1
[test fail]
expect = r1 route 10.5.2.0/24 via 10.5.12.9, r1 route 10.5.2.0/24 absent, r1 runs "ip route show 10.5.2.0/24" contains "Full", r1 runs "ip route show 10.5.2.0/24" matches "^default" 1 times, h1 daemon sleep running, r1 interface eth2 down, h2 -> h1 avoids r2'
	sed -i 's/^gateway = 10.5.2.1$/&\ndaemon = sleep 600/' "$f"
	printf '[defaults test]\nwithin = 0\n' >>"$f"
	netlab up "$f"
	run netlab test "$LAB"
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$(grep -c '^ok .* - \[pass\]' <<<"$output")" -eq 13 ]
	[ "$(grep -c '^not ok .* - \[fail\]' <<<"$output")" -eq 7 ]
	[[ "$output" == *"# lab $LAB: 13 passed, 7 failed in "* ]]
	# what was expected and what was seen
	[[ "$output" == *"[fail] r1 route 10.5.2.0/24 via 10.5.12.9"$'\n'"# expected: a route to 10.5.2.0/24 via 10.5.12.9 in r1's main table"$'\n'"# seen: r1's main table holds:"* ]]
	[[ "$output" == *"#   10.5.2.0/24 nexthop via 10.5.12.2 dev eth1 nexthop via 10.5.13.2 dev eth2"* ]]
	[[ "$output" == *"# expected: a line of output that contains \"Full\""$'\n'"# seen: exit status 0; the end of its output:"* ]]
	[[ "$output" == *"# expected: a process named sleep in h1"$'\n'"# seen: processes in h1: none"* ]]
	[[ "$output" == *"# expected: eth2 of r1 down (or absent)"$'\n'"# seen: eth2 is UP"* ]]
	[[ "$output" == *"# expected: the path from h2 reaches h1 without going through r2"$'\n'"# seen: the path went through r2 r1"* ]]
	# the same details in JSON and JUnit
	run netlab test "$LAB" --format json
	[ "$(jq -r '.results[] | select(.assertion=="r1 interface eth2 down") | .expected' <<<"$output")" = "eth2 of r1 down (or absent)" ]
	[ "$(jq -r '.results[] | select(.assertion=="r1 interface eth2 down") | .detail' <<<"$output")" = "eth2 is UP" ]
	[ "$(jq -r '.sections[0].rounds' <<<"$output")" = 1 ]
	run netlab test "$LAB" --format junit
	[[ "$output" == *'<failure message="expected: eth2 of r1 down (or absent)&#10;seen: eth2 is UP"/>'* ]]
	# status lists both next hops of the multipath route
	[ "$(netlab status --json "$LAB" | jq -r '.nodes[] | select(.name=="r1") | .routes[] | select(.dst=="10.5.2.0/24") | [.nexthops[].via] | join(" ")')" = "10.5.12.2 10.5.13.2" ]
	# what was true becomes false and the other way round
	ip -n "$LAB-r1" link set eth2 down
	run netlab test "$LAB"
	[[ "$output" == *"not ok "*" - [pass] r1 interface eth2 up"* ]]
	[[ "$output" == *"ok "*" - [fail] r1 interface eth2 down"* ]]
}

@test "waiting: a section that becomes true after 3 s passes; one that never does fails at its deadline; no daemons, no wait" {
	ecmp_lab '[test slow]
within = 15s
expect = h1 runs "test -e /run/ready" succeeds, h1 -> h2 reachable
[test never]
within = 2s
expect = h1 runs "test -e /run/never" succeeds'
	sed -i "s/^gateway = 10.5.1.1\$/&\\ndaemon = 'sleep 3 \\&\\& touch \\/run\\/ready \\&\\& exec sleep 600'/" "$f"
	netlab up "$f"
	run netlab test "$LAB" --format json
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$(jq -r '.sections[0].ok' <<<"$output")" = true ]
	[ "$(jq -r '.sections[0].rounds' <<<"$output")" -ge 2 ]
	[ "$(jq -r '.sections[0].ms' <<<"$output")" -ge 1000 ]
	[ "$(jq -r '.sections[1].ok' <<<"$output")" = false ]
	[ "$(jq -r '.sections[1].ms' <<<"$output")" -ge 2000 ]
	run netlab test "$LAB"
	[[ "$output" == *"# [never] still failed after "*" s ("*" rounds; within 2.0 s)"* ]]
	netlab down "$LAB"
	# without daemons a failing section is checked once: no waiting by default
	ecmp_lab '[test once]
expect = r1 route 10.9.0.0/16'
	netlab up "$f"
	run netlab test "$LAB" --format json
	[ "$status" -eq 1 ]
	[ "$(jq -r '.sections[0].rounds' <<<"$output")" = 1 ]
	[ "$(jq -r '.sections[0].within_ms' <<<"$output")" = 0 ]
}

@test "needs: a section whose prerequisite failed is not checked, and says why" {
	ecmp_lab '[test first]
expect = r1 route 10.9.0.0/16
[test second]
needs = first
expect = h1 -> h2 reachable
[test third]
expect = h1 -> h2 reachable'
	netlab up "$f"
	run netlab test "$LAB" --format json
	[ "$status" -eq 1 ]
	[ "$(jq -r '.results[1].checked' <<<"$output")" = false ]
	[ "$(jq -r '.results[1].ok' <<<"$output")" = false ]
	[ "$(jq -r '.results[1].detail' <<<"$output")" = "not checked: it needs [test first], which failed" ]
	[ "$(jq -r '.results[2].ok' <<<"$output")" = true ]
}

@test "tests edited on a running lab: netlab test FILE runs the edited ones; netlab test LAB TESTFILE; a bad test file is exit 2" {
	ecmp_lab '[test a]
expect = h1 -> h2 reachable'
	netlab up "$f"
	sed -i 's/^expect = h1 -> h2 reachable$/expect = h1 -> h2 reachable, r1 route 10.9.0.0\/16 absent, h2 -> h1 via r2 r1/' "$f"
	printf '[test added]\nexpect = h2 -> h1 reachable\n' >>"$f"
	run --separate-stderr netlab test "$f"
	[ "$status" -eq 0 ]
	[[ "$output" == "1..4"* ]]
	[[ "$output" == *"ok 4 - [added] h2 -> h1 reachable"* ]]
	# the lab itself still has its own single test
	run netlab test "$LAB"
	[[ "$output" == "1..1"* ]]
	# a separate file of tests
	t="$BATS_TEST_TMPDIR/more.ini"
	printf '[defaults test]\nwithin = 0\n[test more]\nexpect = h1 -> 10.5.2.10 reachable, r3 route 10.5.1.0/24 via 10.5.13.1, h1 route 10.5.2.0/24\n' >"$t"
	run netlab test "$LAB" "$t"
	[ "$status" -eq 1 ]
	[[ "$output" == *"ok 1 - [more] h1 -> 10.5.2.10 reachable"* ]]
	[[ "$output" == *"ok 2 - [more] r3 route 10.5.1.0/24 via 10.5.13.1"* ]]
	[[ "$output" == *"not ok 3 - [more] h1 route 10.5.2.0/24"* ]]
	printf '[node h9]\n[test bad]\nexpect = h1 -> h9 reachable\n' >"$t"
	run netlab test "$LAB" "$t"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$t:1: [node h9] does not belong in a file of tests"* ]]
	# what the lab lacks is no problem of the file: those assertions fail, the others are checked
	printf '[test other]\nexpect = h1 -> h9 reachable, h1 -> 10.5.2.99 reachable, h9 -> h1 reachable, h1 interface eth7 up, h1 -> h2 reachable\n' >"$t"
	run netlab test "$LAB" "$t"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"not ok 1 - [other] h1 -> h9 reachable"*"# seen: 'h9' is neither a node nor an address of this lab"* ]]
	[[ "$output" == *"not ok 2 - [other] h1 -> 10.5.2.99 reachable"*"# seen: 10.5.2.99: no such address in this lab"* ]]
	[[ "$output" == *"not ok 3 - [other] h9 -> h1 reachable"*"# seen: no node 'h9' in this lab"* ]]
	[[ "$output" == *"not ok 4 - [other] h1 interface eth7 up"*"# seen: node h1 has no interface 'eth7'"* ]]
	[[ "$output" == *$'\nok 5 - [other] h1 -> h2 reachable'* ]]
	# a change beyond the tests is refused
	sed -i 's/^gateway = 10.5.2.1$/gateway = 10.5.2.1\nhostname = other/' "$f"
	run netlab test "$f"
	[ "$status" -eq 1 ]
	[[ "$output" == *"differ beyond their [test] sections"* ]]
}

@test "a runs command that does not end is stopped after its section's within (at least 10 s), and says so" {
	f=$(lab_file "$TOPOS/two-hosts.ini")
	printf '\n[test forever]\nwithin = 1s\nexpect = ns1 runs "echo started && exec sleep 600" succeeds\n' >>"$f"
	netlab up "$f"
	run netlab test "$LAB"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"it did not end within 10.0 s: stopped; the end of its output:"*"started"* ]]
	[ -z "$(ip netns pids "$LAB-ns1")" ]
}

@test "sections side by side: one that passes only once a later one has run passes; each its own deadline; needs still wait" {
	# in file order, one after the other, [first] could never see what [later] does
	ecmp_lab '[test first]
within = 20s
expect = h1 runs "test -e /run/later-ran" succeeds
[test later]
within = 3s
expect = h1 runs "touch /run/later-ran && false" succeeds
[test after]
needs = first
expect = h1 runs "test -e /run/later-ran" succeeds'
	netlab up "$f"
	run netlab test "$LAB" --format json
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$(jq -r '.sections[0].ok' <<<"$output")" = true ]
	[ "$(jq -r '.sections[1].ok' <<<"$output")" = false ]
	[ "$(jq -r '.sections[1].ms' <<<"$output")" -ge 3000 ]
	[ "$(jq -r '.sections[2].ok' <<<"$output")" = true ]
	[ "$(jq -r '.results[1].expected' <<<"$output")" = "exit status 0" ]
}

@test "the default wait: a lab whose processes an exec started (no daemon key) gets 60 s, as one with daemons" {
	ecmp_lab '[test ready]
expect = h1 runs "test -e /run/ready" succeeds'
	sed -i "s/^gateway = 10.5.1.1\$/&\\nexec = sh -c 'sleep 3 \\&\\& touch \\/run\\/ready \\&\\& exec sleep 600' >\\/dev\\/null 2>\\&1 \\&/" "$f"
	grep -q "^exec = sh -c" "$f"
	netlab up "$f"
	run netlab test "$LAB" --format json
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(jq -r '.sections[0].within_ms' <<<"$output")" = 60000 ]
	[ "$(jq -r '.sections[0].rounds' <<<"$output")" -ge 2 ]
}

@test "protocol assertions: an address on an interface, OSPF neighbours and roles (FRR, BIRD), BGP sessions and advertised prefixes; each with expected and seen" {
	LABS+=("${LAB}b" "${LAB}c")
	netlab up "$TOPOS/ospf-frr.ini" --name "$LAB"
	netlab up "$TOPOS/bgp-frr.ini" --name "${LAB}b"
	netlab up "$TOPOS/ospf-bird.ini" --name "${LAB}c"
	t=$BATS_TEST_TMPDIR/t.tests
	printf '%s\n' '[test converged]' 'within = 60s' \
		'expect = r1 ospf neighbor 10.3.3.1 full dr, r1 ospf neighbor 10.0.0.2 full drother, r1:eth1 has 10.0.0.1/24, r1:eth1 has 10.0.0.9/24 absent' \
		'[test wrong]' 'needs = converged' \
		'expect = r1 ospf neighbor 10.3.3.1 full bdr, r1 ospf neighbor 9.9.9.9 full, r1:eth1 has 10.0.0.9/24, r1:eth9 has 10.9.9.9/8' >"$t"
	run netlab test "$LAB" "$t"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *$'\nok 4 - [converged] r1:eth1 has 10.0.0.9/24 absent'* ]]
	[[ "$output" == *"not ok 5 - [wrong] r1 ospf neighbor 10.3.3.1 full bdr"*"# seen: "*"10.3.3.1 Full/DR (10.0.0.3)"* ]]
	[[ "$output" == *"# expected: OSPF neighbor 9.9.9.9 of r1 in state Full"* ]]
	[[ "$output" == *"# seen: eth1 has 10.0.0.1/24 fe80::"* ]]
	[[ "$output" == *"# seen: there is no interface eth9"* ]]
	[[ "$output" == *"# lab $LAB: 4 passed, 4 failed"* ]]
	printf '%s\n' '[test bgp]' 'within = 60s' \
		'expect = r1 bgp neighbor 172.16.12.2 established, r1 bgp advertises 10.1.0.0/24 to 172.16.12.2, r1 bgp neighbor 172.16.12.9 down' \
		'[test wrong]' 'needs = bgp' \
		'expect = r1 bgp advertises 10.9.0.0/24 to 172.16.12.2, r1 bgp neighbor 172.16.12.9 established, r1 ospf neighbor 1.1.1.1 full' >"$t"
	run netlab test "${LAB}b" "$t"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"# seen: advertised to 172.16.12.2: 10.1.0.0/24 10.1.99.0/24"* ]]
	[[ "$output" == *"# seen: no BGP neighbor 172.16.12.9"* ]]
	[[ "$output" == *"# seen: vtysh -c 'show ip ospf neighbor json' failed (exit status 1): ospfd is not running"* ]]
	[[ "$output" == *"# lab ${LAB}b: 3 passed, 3 failed"* ]]
	printf '%s\n' '[test bird]' 'within = 60s' \
		'expect = r1 ospf neighbor 10.1.12.2 full ptp, r1 ospf neighbor 10.1.13.2 full' \
		'[test wrong]' 'needs = bird' \
		'expect = r1 ospf neighbor 10.1.13.2 full dr, r1 bgp neighbor 10.1.12.2 established' >"$t"
	run netlab test "${LAB}c" "$t"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"# seen: 10.1.12.2 Full/PtP (10.1.12.2), 10.1.3.1 Full/PtP (10.1.13.2)"* ]]
	[[ "$output" == *"# seen: no BGP protocol with neighbor 10.1.12.2"* ]]
	[[ "$output" == *"# lab ${LAB}c: 2 passed, 2 failed"* ]]
}
