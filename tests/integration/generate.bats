#!/usr/bin/env bats
# generate.bats: every kind of `netlab generate` comes up and every node reaches every address of
# every other (netlab ping exits 0 only then); usage errors exit 2.
load helpers

setup() { lab_setup; }
teardown() { lab_teardown; }

# up_and_ping KIND ARGS...: generates the lab under this test's name, brings it up, pings all
# pairs, takes it down
up_and_ping() {
	netlab generate "$@" --name "$LAB" >"$BATS_TEST_TMPDIR/g.ini"
	netlab up "$BATS_TEST_TMPDIR/g.ini"
	run netlab ping "$LAB"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$(tail -1 <<<"$output")" =~ ^([0-9]+)\ of\ ([0-9]+)\ pairs\ reachable$ ]]
	[ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ]
	[ "${BASH_REMATCH[1]}" -gt 0 ]
	netlab down "$LAB"
}

@test "generate single 3: one switch, three hosts, all pairs" { up_and_ping single 3; }
@test "generate linear 3: switches in a line, all pairs" { up_and_ping linear 3; }
@test "generate tree 2 2: Mininet's tree, all pairs" { up_and_ping tree 2 2; }
@test "generate ring 5: routers in a ring, statically routed, all pairs" { up_and_ping ring 5; }
@test "generate star 5: a router and four hosts, all pairs" { up_and_ping star 5; }
@test "generate chain 6: routers in a line, all pairs (not only to r1)" { up_and_ping chain 6; }
@test "generate leaf-spine 2 3 2: every leaf to every spine, all pairs" { up_and_ping leaf-spine 2 3 2; }
@test "generate lan 4: one LAN, all pairs" { up_and_ping lan 4; }

@test "generate: the default name, --netns-prefix, and usage errors exit 2" {
	run netlab generate tree 2 3
	[ "$status" -eq 0 ]
	[[ "$output" == *"name = tree2-3"* ]]
	run netlab generate ring 4 --name x --netns-prefix ''
	[[ "$output" == *"netns-prefix = "* ]]
	for bad in "" "nope 3" "ring 2" "tree 2" "tree 16 64" "star 0" "chain 5 6" "single x"; do
		# shellcheck disable=SC2086
		run netlab generate $bad
		[ "$status" -eq 2 ]
		[[ "$output" == *"netlab: generate: "* ]]
	done
	run netlab generate chain 4 --name 'a b'
	[ "$status" -eq 2 ]
}
