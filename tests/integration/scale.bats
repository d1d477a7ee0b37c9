#!/usr/bin/env bats
# scale.bats: what must hold whatever the lab's size, checked on small labs (the big runs live in
# scripts/bench-scale): netlab works within a low open-file limit, and says which limit it hit.
load helpers
bats_require_minimum_version 1.5.0

setup() {
	lab_setup
}

teardown() {
	lab_teardown
}

# limited N ARGS...: runs netlab ARGS under an open-file limit of N (soft and hard: netlab cannot
# raise it), as `run` does.
limited() {
	local n=$1
	shift
	run bash -c 'ulimit -n "$1" && shift && exec "$@"' limited "$n" "$NETLAB" "$@"
}

@test "a lab of 300 nodes comes up, pings all pairs, changes and goes down within an open-file limit of 256" {
	netlab generate star 300 --name "$LAB" >"$BATS_TEST_TMPDIR/star.ini"
	sed -i "s/^name = .*/&\nnetns-prefix = $LAB-/" "$BATS_TEST_TMPDIR/star.ini"
	limited 256 up "$BATS_TEST_TMPDIR/star.ini"
	[ "$status" -eq 0 ]
	[[ "$output" == *"lab $LAB is up: 300 nodes, 299 links"* ]]
	[ "$(ls /run/netns | grep -c "^$LAB-")" = 300 ]
	# every pair: 299 hosts and the router, each probing the 299 others' addresses (the router has 299)
	limited 256 ping "$LAB" --json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.pairs == 2 * 299 * 299 and .reachable == .pairs' >/dev/null
	# only some pairs: every node to the router's 299 addresses and h1's, and from h1 alone
	limited 256 ping "$LAB" --to r,h1 --json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.pairs == 299 * 299 + 299 and .reachable == .pairs' >/dev/null
	limited 256 ping "$LAB" --from h1 --json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.pairs == 299 + 298 and .reachable == .pairs' >/dev/null
	run netlab ping "$LAB" --to r,nosuch
	[ "$status" -eq 2 ]
	[[ "$output" == *"--to: lab $LAB has no node 'nosuch'"* ]]
	limited 256 status "$LAB"
	[ "$status" -eq 0 ]
	# a link taken down and brought up again: its routes put back
	limited 256 link "$LAB" l1 down
	[ "$status" -eq 0 ]
	limited 256 link "$LAB" l1 up
	[ "$status" -eq 0 ]
	in_ns "$LAB-h1" ping -c 1 -W 2 10.64.0.9
	limited 256 down "$LAB"
	[ "$status" -eq 0 ]
	assert_nothing_left
}

@test "an open-file limit too low to work is named by up (which leaves nothing) and by ping" {
	netlab generate chain 3 --name "$LAB" >"$BATS_TEST_TMPDIR/c.ini"
	limited 40 up "$BATS_TEST_TMPDIR/c.ini"
	[ "$status" -eq 1 ]
	[[ "$output" == *"the open-file limit (40, 'ulimit -n') leaves too few files: netlab needs at least"* ]]
	assert_nothing_left
	netlab up "$BATS_TEST_TMPDIR/c.ini"
	limited 36 ping "$LAB"
	[ "$status" -eq 1 ]
	[[ "$output" == *"ping: cannot send probes: the open-file limit ('ulimit -n') leaves too few files for their sockets"* ]]
}
