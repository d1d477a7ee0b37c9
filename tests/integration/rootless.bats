#!/usr/bin/env bats
# rootless.bats: labs of users who are not root (docs/rootless.md), each in a user namespace of
# their own. The suite makes two users with subordinate ids (useradd gives them) in setup_file and
# removes them, their labs and their holders in teardown_file.
load helpers
bats_require_minimum_version 1.5.0

setup_file() {
	[ "$(id -u)" = 0 ] || return 0
	command -v useradd >/dev/null || return 0
	export RL_DIR RL_USER="${RUN_PREFIX}rl$$-" # users ${RL_USER}1 and ${RL_USER}2
	RL_DIR=$(mktemp -d "/tmp/$RUN_PREFIX-rootless.XXXXXX")
	chmod 755 "$RL_DIR"
	cp -r "$TOPOS" "$RL_DIR/topologies"
	cp "$NETLAB" "$RL_DIR/netlab"
	chmod -R a+rX "$RL_DIR"
	for u in 1 2; do
		useradd -m "$RL_USER$u" >/dev/null
		mkdir "$RL_DIR/xdg$u"
		chown "$RL_USER$u" "$RL_DIR/xdg$u"
		chmod 700 "$RL_DIR/xdg$u"
	done
}

teardown_file() {
	[ -n "${RL_DIR:-}" ] || return 0
	for u in 1 2; do
		for l in $(ls "$RL_DIR/xdg$u/netlab/labs" 2>/dev/null); do
			as_user "$u" netlab down "$l" >/dev/null 2>&1 || true
		done
		end_holder "$RL_DIR/xdg$u"
		userdel -r "$RL_USER$u" >/dev/null 2>&1 || true
	done
	rm -rf "$RL_DIR"
}

# as_user N netlab ARGS...: netlab as test user N, in $RL_DIR, its runtime directory $RL_DIR/xdgN.
as_user() {
	local u=$1
	shift
	if [ "$1" = netlab ]; then
		shift
		set -- "$RL_DIR/netlab" "$@"
	fi
	(cd "$RL_DIR" && runuser -u "$RL_USER$u" -- env XDG_RUNTIME_DIR="$RL_DIR/xdg$u" "$@")
}

setup() {
	[ -n "${RL_DIR:-}" ] || skip "needs root and useradd"
	lab_setup
}

teardown() {
	lab_teardown
}

@test "a user with subordinate ids: an FRR lab comes up, OSPF converges, netlab test passes, vtysh sees the user's own router, netlab logs shows FRR's log; root sees none of it" {
	run as_user 1 netlab test topologies/ospf-frr.ini --name "$LAB"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"# lab $LAB: 13 passed, 0 failed"* ]]
	as_user 1 netlab up topologies/ospf-frr.ini --name "$LAB"
	run as_user 1 netlab exec "$LAB" r1 -- vtysh -c "show running-config"
	[[ "$output" == *"hostname r1"* ]]
	run ! grep -q "Permission denied" <<<"$output"
	run as_user 1 netlab logs "$LAB" r1 # FRR's own log, in a /var/log/frr of the node's
	[[ "$output" == *"ZEBRA"* ]]
	[ -z "$(ip netns list | grep "^$LAB-" || true)" ]
	[ ! -e "/run/netlab/$LAB" ]
	as_user 1 netlab down "$LAB"
	[ -z "$(ls "$RL_DIR/xdg1/netlab/labs")" ]
}

@test "two users bring up the same file at once; each sees only their own lab" {
	as_user 1 netlab up topologies/router-chain.ini --name "$LAB"
	as_user 2 netlab up topologies/router-chain.ini --name "$LAB"
	run as_user 1 netlab ping "$LAB"
	[ "$status" -eq 0 ]
	run as_user 2 netlab ping "$LAB"
	[ "$status" -eq 0 ]
	[ "$(as_user 1 netlab list | grep -c "^$LAB ")" -eq 1 ]
	as_user 1 netlab down "$LAB"
	# the other user's lab is still up
	run as_user 2 netlab status "$LAB"
	[ "$status" -eq 0 ]
	as_user 2 netlab down "$LAB"
	[ -z "$(ls "$RL_DIR/xdg1/netlab/labs")" ]
	[ -z "$(ls "$RL_DIR/xdg2/netlab/labs")" ]
}

@test "SIGKILL during a user's up, then down: nothing of the user's is left (state, processes but the holder's, which ends)" {
	: >"$BATS_TEST_TMPDIR/out"
	chmod 666 "$BATS_TEST_TMPDIR/out"
	setsid bash -c 'exec "$@" >"'"$BATS_TEST_TMPDIR/out"'" 2>&1' _ \
		runuser -u "${RL_USER}1" -- env XDG_RUNTIME_DIR="$RL_DIR/xdg1" \
		NETLAB_TEST_STOP_AFTER=machines "$RL_DIR/netlab" up "$RL_DIR/topologies/router-chain.ini" --name "$LAB" &
	pid=$!
	for _ in $(seq 300); do
		grep -q "test hook: stopped after machines" "$BATS_TEST_TMPDIR/out" && break
		sleep 0.05
	done
	grep -q "test hook: stopped after machines" "$BATS_TEST_TMPDIR/out"
	kill -KILL -- "-$pid" # the whole process group: outside and inside the user's namespaces
	wait "$pid" || true
	run as_user 1 netlab down "$LAB"
	echo "$output"
	[ "$status" -eq 0 ]
	[ -z "$(ls "$RL_DIR/xdg1/netlab/labs")" ]
	[ ! -e "$RL_DIR/xdg1/netlab/holder" ]
	for _ in $(seq 50); do
		[ -z "$(pgrep -r RSDT -u "${RL_USER}1" || true)" ] && break
		sleep 0.1
	done
	[ -z "$(pgrep -r RSDT -u "${RL_USER}1" || true)" ]
}
