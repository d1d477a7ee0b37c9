#!/usr/bin/env bats
# grade.bats: one lab file run many times at once (up and test FILE --name, --netns-prefix), as a
# teacher grading a class does.
load helpers
bats_require_minimum_version 1.5.0

setup() {
	lab_setup
}

teardown() {
	netlab down "$LAB" >/dev/null 2>&1 || true
	lab_teardown
}

@test "up FILE --name, --netns-prefix: one file up twice at once, each lab its own namespaces; ping, test, apply and down each" {
	LAB2="${LAB}b"
	LABS+=("$LAB2")
	netlab up "$TOPOS/router-chain.ini" --name "$LAB"
	netlab up "$TOPOS/router-chain.ini" --name "$LAB2" --netns-prefix "${LAB2}_"
	[ "$(ls /run/netns | grep -c "^$LAB-")" -eq 4 ]
	[ "$(ls /run/netns | grep -c "^${LAB2}_")" -eq 4 ]
	[ -e "/run/netns/${LAB2}_r1" ]
	netlab ping "$LAB"
	netlab ping "$LAB2"
	run netlab status "$LAB2"
	[ "$status" -eq 0 ]
	[[ "$output" == *"namespace ${LAB2}_h1"* ]]
	# the same name with another prefix is another lab: refused, the running one untouched
	run netlab up "$TOPOS/router-chain.ini" --name "$LAB2"
	[ "$status" -eq 1 ]
	[[ "$output" == *"lab $LAB2 is already up with a different topology"* ]]
	run netlab up "$TOPOS/router-chain.ini" --name "$LAB2" --netns-prefix "${LAB2}_"
	[ "$status" -eq 0 ]
	[[ "$output" == *"lab $LAB2 is already up: nothing changed"* ]]
	run netlab apply "$TOPOS/router-chain.ini" --name "$LAB2" --netns-prefix "${LAB2}_"
	[ "$status" -eq 0 ]
	[[ "$output" == *"lab $LAB2: nothing to change"* ]]
	# test FILE --name: the running lab of that name, left up
	run netlab test "$TOPOS/router-chain.ini" --name "$LAB"
	[ "$status" -eq 0 ]
	[[ "$output" == *"# lab $LAB: "*" passed, 0 failed"* ]]
	netlab status "$LAB" >/dev/null
	netlab down "$LAB"
	netlab down "$LAB2"
	assert_nothing_left
	[ -z "$(ls /run/netns | grep "^${LAB2}_" || true)" ]
	[ ! -e "/run/netlab/$LAB2" ]
}

@test "test FILE --name on a lab that is not up: brought up under that name, checked, taken down" {
	run netlab test "$TOPOS/router-chain.ini" --name "$LAB" --netns-prefix "${LAB}_"
	[ "$status" -eq 0 ]
	[[ "$output" == *"# lab $LAB: "*" passed, 0 failed"* ]]
	[ ! -e "/run/netlab/$LAB" ]
	[ -z "$(ls /run/netns | grep "^${LAB}_" || true)" ]
}

@test "--name and --netns-prefix are checked as names in the file are; they go with a FILE only" {
	run netlab up "$TOPOS/router-chain.ini" --name "-x"
	[ "$status" -eq 2 ]
	[[ "$output" == *"'-x' is not a lab name"* ]]
	run netlab up "$TOPOS/router-chain.ini" --name "$LAB" --netns-prefix "a/b"
	[ "$status" -eq 2 ]
	[[ "$output" == *"'a/b' is not a namespace prefix"* ]]
	run netlab test "$LAB" --name x
	[ "$status" -eq 2 ]
	[[ "$output" == *"--name and --netns-prefix go with a lab FILE"* ]]
	run netlab up "$TOPOS/router-chain.ini" --name "$(printf 'n%.0s' $(seq 65))"
	[ "$status" -eq 2 ]
	[ ! -e "/run/netlab/$LAB" ]
}
