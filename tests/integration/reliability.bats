#!/usr/bin/env bats
# reliability.bats: trying to break netlab as an attacker and a careless user would (issue 12):
# labs sharing a prefix, a full journal file system, hostile and damaged state, pins deleted or
# replaced by hand, signals at random moments (during up, down, import, apply, test FILE), an
# unprivileged user. Each check counts what is left (leftovers in helpers.bash) and wants zero.
# NETLAB_RELIABILITY_ROUNDS sets the number of random-signal rounds (default 8; scripts/reliability 200).
load helpers
bats_require_minimum_version 1.5.0

setup() {
	lab_setup
	P="${LAB}p"
	Q="${LAB}q"
	LABS=("$P" "$Q" "$LAB")
}

teardown() {
	lab_teardown
}

ROUNDS=${NETLAB_RELIABILITY_ROUNDS:-8}

# host_lab FILE NAME PREFIX NODE... [-- KEY=VALUE lines for the last node]: nodes without links.
host_lab() {
	local f=$1 name=$2 prefix=$3 node
	shift 3
	printf '[lab]\nname = %s\nnetns-prefix = %s\n' "$name" "$prefix" >"$f"
	for node in "$@"; do
		case $node in
		*=*) printf '%s\n' "$node" >>"$f" ;;
		*) printf '\n[node %s]\n' "$node" >>"$f" ;;
		esac
	done
}

@test "two labs share a prefix: up of one killed between journaling a namespace and naming its pin; down of it spares the other's" {
	host_lab "$BATS_TEST_TMPDIR/p.ini" "$P" "$LAB-" h1 h2
	host_lab "$BATS_TEST_TMPDIR/q.ini" "$Q" "$LAB-" h2 "daemon = sleep 600"
	kill_up_at "journaled:$LAB-h2" KILL "$BATS_TEST_TMPDIR/p.ini"
	[ "$UP_STATUS" -eq 137 ]
	[ -e "/run/netns/.netlab.$P.tmp" ] # the file pins are linked from, made; h2 not yet linked
	[ ! -e "/run/netns/$LAB-h2" ]
	netlab up "$BATS_TEST_TMPDIR/q.ini"
	ino=$(stat -L -c %i "/run/netns/$LAB-h2")
	pids=$(ip netns pids "$LAB-h2")
	[ -n "$pids" ]
	run netlab down "$P"
	[ "$status" -eq 0 ]
	# q's namespace and daemon are untouched; nothing of p is left, its temporary pin included
	[ "$(stat -L -c %i "/run/netns/$LAB-h2")" = "$ino" ]
	[ "$(ip netns pids "$LAB-h2")" = "$pids" ]
	[ ! -e "/run/netns/$LAB-h1" ]
	[ ! -e "/run/netns/.netlab.$P.tmp" ]
	[ ! -e "/run/netlab/$P" ]
	run netlab status "$Q"
	[ "$status" -eq 0 ]
	netlab down "$Q"
	[ "$(leftovers "$Q" "$LAB-")" = "$NOTHING_LEFT" ]
}

# Runs SCRIPT (bash) in a mount namespace of its own where /run/netlab is a tmpfs of SIZE, so that
# the journal's file system fills up; /run/netns stays shared with the machine.
with_small_state_fs() {
	local size=$1 script=$2
	unshare -m --propagation unchanged bash -c "
		set -e
		mkdir -p /run/netlab
		mount --make-rprivate /run/netlab 2>/dev/null || true
		mount -t tmpfs -o size=$size netlab-small /run/netlab
		$script"
}

@test "a full journal file system: up fails at once, at whatever point, and removes only what it made" {
	host_lab "$BATS_TEST_TMPDIR/q.ini" "$Q" "$LAB-" h "daemon = sleep 600"
	netlab up "$BATS_TEST_TMPDIR/q.ini"
	ino=$(stat -L -c %i "/run/netns/$LAB-h")
	pids=$(ip netns pids "$LAB-h")
	# p: 200 nodes h1..h200 with q's prefix (each journal line about 65 bytes: 13 KiB of journal)
	host_lab "$BATS_TEST_TMPDIR/p.ini" "$P" "$LAB-" $(seq -f 'h%g' 200)
	failed=0
	# pages: topology.ini 1, basedir 1, then the journal (4 pages), the hosts file...
	for kib in 8 12 16 20 24 28 32; do
		run with_small_state_fs "${kib}k" "
			'$NETLAB' up '$BATS_TEST_TMPDIR/p.ini' || echo UP-FAILED
			'$NETLAB' down '$P' >/dev/null 2>&1 || true
			[ ! -e /run/netlab/$P ]"
		echo "# state fs of ${kib} KiB: ${output//$'\n'/ | }" >&3
		[ "$status" -eq 0 ]
		if [[ "$output" == *UP-FAILED* ]]; then failed=$((failed + 1)); fi
		[ "$(leftovers "$P" "$LAB-h[0-9]")" = "$NOTHING_LEFT" ]
		[ "$(stat -L -c %i "/run/netns/$LAB-h")" = "$ino" ]
		[ "$(ip netns pids "$LAB-h")" = "$pids" ]
	done
	[ "$failed" -ge 4 ] # the journal did fill up, at the start, in the middle of a line, after it
	netlab down "$Q"
}

@test "a pin deleted by hand: down still stops the node's processes; a pin replaced by hand is left alone" {
	host_lab "$BATS_TEST_TMPDIR/l.ini" "$LAB" "$LAB-" a "daemon = sleep 600" b "daemon = sleep 600"
	netlab up "$BATS_TEST_TMPDIR/l.ini"
	ns_inodes "$LAB-" >"$BATS_TEST_TMPDIR/inodes"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/inodes")" -eq 2 ]
	ip netns del "$LAB-a"
	# replaced: deleted and made again, very likely at the same inode number
	ip netns del "$LAB-b"
	ip netns add "$LAB-b"
	run netlab down "$LAB"
	[ "$status" -eq 0 ]
	[[ "$output" == *"already removed (by hand?): '$LAB-a'"* ]]
	[[ "$output" == *"replaced by namespaces netlab did not create, left alone: '$LAB-b'"* ]]
	[ -e "/run/netns/$LAB-b" ]
	ip netns del "$LAB-b"
	[ "$(leftovers "$LAB" "$LAB-" "$BATS_TEST_TMPDIR/inodes")" = "$NOTHING_LEFT" ]
}

@test "a journal emptied by hand: down touches nothing it cannot prove, keeps the state and says why; once the namespaces are gone it removes the rest" {
	host_lab "$BATS_TEST_TMPDIR/l.ini" "$LAB" "$LAB-" a "daemon = sleep 600" b
	netlab up "$BATS_TEST_TMPDIR/l.ini"
	ns_inodes "$LAB-" >"$BATS_TEST_TMPDIR/inodes"
	: >"/run/netlab/$LAB/journal"
	run netlab down "$LAB"
	[ "$status" -eq 1 ]
	[[ "$output" == *"does not account for what up made"* ]]
	[[ "$output" == *"left alone: '$LAB-a', '$LAB-b'"* ]]
	[ -e "/run/netlab/$LAB/topology.ini" ]
	[ -n "$(ip netns pids "$LAB-a")" ]
	ip netns del "$LAB-a"
	ip netns del "$LAB-b"
	run netlab down "$LAB"
	[ "$status" -eq 0 ]
	# the daemon, in the node's mount namespace, is found without its network namespace's pin
	[ "$(leftovers "$LAB" "$LAB-" "$BATS_TEST_TMPDIR/inodes")" = "$NOTHING_LEFT" ]
}

@test "a journal holding only its first line, two tmpfs stacked on the state: up refuses, down removes both" {
	host_lab "$BATS_TEST_TMPDIR/l.ini" "$LAB" "$LAB-" a
	mkdir -m 0700 -p "/run/netlab/$LAB/ns"
	echo ns-fs >"/run/netlab/$LAB/journal"
	mount -t tmpfs netlab-test "/run/netlab/$LAB/ns"
	mount -t tmpfs netlab-test "/run/netlab/$LAB/ns"
	run netlab up "$BATS_TEST_TMPDIR/l.ini"
	[ "$status" -eq 1 ]
	[[ "$output" == *"was left half made by an interrupted up"* ]]
	[ "$(grep -c " /run/netlab/$LAB/ns " /proc/self/mountinfo)" -eq 2 ]
	run netlab down "$LAB"
	[ "$status" -eq 0 ]
	[ "$(leftovers "$LAB" "$LAB-")" = "$NOTHING_LEFT" ]
}

@test "hostile state: a journal naming another lab's pin with its inode number but not its time does not remove it" {
	host_lab "$BATS_TEST_TMPDIR/q.ini" "$Q" "$LAB-" h
	netlab up "$BATS_TEST_TMPDIR/q.ini"
	# a lab whose journal copies q's namespace identity (as a forged or stale line would)
	line=$(grep "^netns $LAB-h " "/run/netlab/$Q/journal")
	mkdir -m 0700 "/run/netlab/$P"
	# the inode alone (which the kernel gives again to later namespaces) is not enough
	printf 'ns-fs\n%s\ncomplete\n' "$(echo "$line" | awk '{$4 = $4 + 1; print}')" >"/run/netlab/$P/journal"
	run netlab down "$P"
	[ "$status" -eq 0 ]
	[ -e "/run/netns/$LAB-h" ]
	run netlab status "$Q"
	[ "$status" -eq 0 ]
	netlab down "$Q"
}

@test "inputs are read once: a pipe, standard input and a FIFO validate and come up; a silent FIFO or a device is refused" {
	f=$(lab_file "$TOPOS/two-hosts.ini")
	run netlab validate <(cat "$f")
	[ "$status" -eq 0 ]
	run bash -c "cat '$f' | '$NETLAB' validate /dev/stdin"
	[ "$status" -eq 0 ]
	run netlab up <(cat "$f")
	[ "$status" -eq 0 ]
	# what was checked is what the state keeps
	cmp "$f" "/run/netlab/$LAB/topology.ini"
	netlab down "$LAB"
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	(sleep 1; cat "$f" >"$BATS_TEST_TMPDIR/fifo") &
	run netlab validate "$BATS_TEST_TMPDIR/fifo"
	[ "$status" -eq 0 ]
	run netlab validate /dev/zero
	[ "$status" -eq 2 ]
	[[ "$output" == *"/dev/zero: cannot read it: not a regular file or a pipe"* ]]
	run timeout 30 "$NETLAB" validate "$BATS_TEST_TMPDIR/fifo"
	[ "$status" -eq 2 ]
	[[ "$output" == *"fifo: cannot read it: nothing came through the pipe in 10 s"* ]]
}

@test "an unprivileged user neither sees nor touches root's labs: its down of one names a lab of its own, which is not up" {
	f=$(lab_file "$TOPOS/two-hosts.ini")
	netlab up "$f"
	run as_nobody "$NETLAB" down "$LAB"
	[ "$status" -eq 0 ]
	[[ "$output" == *"lab $LAB is not up"* ]]
	run as_nobody "$NETLAB" status "$LAB"
	[ "$status" -ne 0 ]
	run netlab status "$LAB"
	[ "$status" -eq 0 ]
	netlab down "$LAB"
	[ "$(leftovers "$LAB" "$LAB-")" = "$NOTHING_LEFT" ]
}

# One round: up of c.ini with a random signal after a random delay (0-DELAY_MS ms), then, when the
# lab is up, down with a random signal too; then a plain down. Echoes what happened.
signal_round() {
	local sigs=(KILL INT TERM HUP) sig delay pid rc
	sig=${sigs[RANDOM % 4]}
	delay=$(printf '0.%03d' $((RANDOM % DELAY_MS)))
	"$NETLAB" up "$BATS_TEST_TMPDIR/c.ini" >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill "-$sig" "$pid" 2>/dev/null || true
	rc=0
	wait "$pid" || rc=$?
	echo "up SIG$sig after ${delay}s: exit $rc"
	if [ -e "/run/netlab/$LAB" ]; then
		run netlab status "$LAB"
		[[ "$output" != *"damaged"* ]] || { echo "status calls it damaged: $output"; return 1; }
		sig=${sigs[RANDOM % 4]}
		"$NETLAB" down "$LAB" >/dev/null 2>&1 &
		pid=$!
		sleep "$(printf '0.%03d' $((RANDOM % 30)))"
		kill "-$sig" "$pid" 2>/dev/null || true
		wait "$pid" || true
	fi
	netlab down "$LAB" >/dev/null 2>&1 || true
	[ ! -e "/run/netlab/$LAB/topology.ini.tmp" ]
}

@test "random signals during up and down: after a final down nothing is left, ever" {
	netlab generate chain 40 --name "$LAB" >"$BATS_TEST_TMPDIR/c.ini"
	DELAY_MS=120
	for i in $(seq "$ROUNDS"); do
		signal_round
		got=$(leftovers "$LAB" "$LAB-")
		[ "$got" = "$NOTHING_LEFT" ] || { echo "round $i: $got"; return 1; }
	done
	echo "$ROUNDS rounds: $got" >&3
}

# Waits (up to 10 s) until node a of $LAB has a process in it; fails when it never has.
wait_for_process_in_a() {
	for _ in $(seq 500); do
		[ -e "/run/netns/$LAB-a" ] && [ -n "$(ip netns pids "$LAB-a" 2>/dev/null)" ] && break
		sleep 0.02
	done
	[ -n "$(ip netns pids "$LAB-a")" ]
}

# sigterm_long_exec PREFIX: up with an exec command that sleeps (after PREFIX) and would leave a
# mark after its sleep gets SIGTERM while the command runs: up ends before the mark is made.
sigterm_long_exec() {
	host_lab "$BATS_TEST_TMPDIR/l.ini" "$LAB" "$LAB-" a "exec = '$1 sleep 60; touch $BATS_TEST_TMPDIR/finished'"
	"$NETLAB" up "$BATS_TEST_TMPDIR/l.ini" >"$BATS_TEST_TMPDIR/out" 2>&1 &
	pid=$!
	wait_for_process_in_a
	ns_inodes "$LAB-" >"$BATS_TEST_TMPDIR/inodes"
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	[ "$rc" -eq 1 ]
	[ ! -e "$BATS_TEST_TMPDIR/finished" ]
	grep -q "interrupted: removing what was created" "$BATS_TEST_TMPDIR/out"
	[ "$(leftovers "$LAB" "$LAB-" "$BATS_TEST_TMPDIR/inodes")" = "$NOTHING_LEFT" ]
}

@test "SIGTERM during a long exec command stops it and rolls back at once" {
	sigterm_long_exec ""
}

@test "SIGTERM during a long exec command that closed its output stops it and rolls back at once" {
	sigterm_long_exec "exec >/dev/null 2>&1;"
}

@test "set that the kernel refuses is taken back in the journal: status and later sets do not count it" {
	has_netem && skip "this kernel has sch_netem: the refusal is tested where it has not"
	f=$(lab_file "$TOPOS/two-hosts.ini")
	netlab up "$f"
	run netlab set "$LAB" ns1-ns2 delay=10ms
	[ "$status" -eq 1 ]
	[[ "$output" == *"sch_netem"* ]]
	[ "$(tail -2 "/run/netlab/$LAB/journal")" = "$(printf 'set ns1-ns2 delay=10ms\nunset')" ]
	run netlab status "$LAB"
	[ "$status" -eq 0 ]
	[[ "$output" != *"delay"* ]]
}

@test "up waits for the lock on /etc/netns (root's), not for a user's flock on /run/netns and /run/netlab once they are mount points" {
	f=$(lab_file "$TOPOS/two-hosts.ini")
	mkdir -p /run/netns /run/netlab
	lock=/run/netlab/.etc-netns.lock
	# the test holds the lock itself (no race with a holder process), for 2 s: the up started
	# meanwhile has not finished when it is let go, and then finishes
	exec {held}<>"$lock"
	flock -x "$held"
	"$NETLAB" up "$f" >"$BATS_TEST_TMPDIR/up.out" 2>&1 {held}<&- & # not the test's lock
	up=$!
	sleep 2
	run grep -q "is up" "$BATS_TEST_TMPDIR/up.out"
	[ "$status" -ne 0 ]
	exec {held}<&-
	wait "$up"
	grep -q "lab $LAB is up" "$BATS_TEST_TMPDIR/up.out"
	netlab down "$LAB"
	[ ! -e /run/netlab/.etc-netns.lock ]
	# /run/netns and /run/netlab are mount points now (the up above made them so): a user who
	# holds their flocks (anybody who can read them can) delays no up. It used to wait 5 s for
	# each: `timeout 8` tells the two apart with room to spare on a busy machine.
	grep -q " /run/netns " /proc/self/mountinfo
	grep -q " /run/netlab " /proc/self/mountinfo
	# one process holding both (bash execs sleep with the locked fds): killing it lets go of both
	setpriv --reuid nobody --regid nogroup --clear-groups bash -c \
		'exec 3</run/netns 4</run/netlab; flock -s 3; flock -s 4; exec sleep 60' {held}<&- &
	holder=$!
	for _ in $(seq 100); do
		run flock -n -x /run/netlab true
		[ "$status" -ne 0 ] && break
		sleep 0.05
	done
	run timeout 8 "$NETLAB" up "$f"
	kill "$holder" 2>/dev/null || true
	wait "$holder" 2>/dev/null || true
	echo "$output"
	[ "$status" -eq 0 ]
	netlab down "$LAB"
	[ "$(leftovers "$LAB" "$LAB-")" = "$NOTHING_LEFT" ]
}

@test "test FILE never takes down a lab that a concurrent up of FILE brought up first" {
	f=$(lab_file "$TOPOS/two-hosts.ini")
	# test finds the lab not up, then (hook) waits 1.5 s before its own up; meanwhile up comes first
	NETLAB_TEST_PAUSE_MS=1500 "$NETLAB" test "$f" >"$BATS_TEST_TMPDIR/out" 2>&1 &
	tester=$!
	sleep 0.3
	netlab up "$f"
	rc=0
	wait "$tester" || rc=$?
	cat "$BATS_TEST_TMPDIR/out"
	[ "$rc" -eq 0 ]
	grep -q "lab $LAB is already up: nothing changed" "$BATS_TEST_TMPDIR/out"
	# the lab is the other up's: still up after the tests
	run netlab status "$LAB"
	[ "$status" -eq 0 ]
	netlab down "$LAB"
	[ "$(leftovers "$LAB" "$LAB-")" = "$NOTHING_LEFT" ]
}

@test "SIGINT or SIGTERM while test FILE checks: the command checked is stopped, the lab it brought up is taken down" {
	for sig in INT TERM; do
		host_lab "$BATS_TEST_TMPDIR/t.ini" "$LAB" "$LAB-" a
		printf '\n[test slow]\nwithin = 60s\nexpect = a runs "sleep 50 && touch %s/finished" succeeds\n' \
			"$BATS_TEST_TMPDIR" >>"$BATS_TEST_TMPDIR/t.ini"
		"$NETLAB" test "$BATS_TEST_TMPDIR/t.ini" >"$BATS_TEST_TMPDIR/out" 2>&1 &
		pid=$!
		# the check's command is running in the node once the node has a sleep in it
		wait_for_process_in_a
		ns_inodes "$LAB-" >"$BATS_TEST_TMPDIR/inodes"
		kill -"$sig" "$pid"
		rc=0
		wait "$pid" || rc=$?
		cat "$BATS_TEST_TMPDIR/out"
		[ "$rc" -eq 1 ]
		grep -q "test: interrupted by signal" "$BATS_TEST_TMPDIR/out"
		[ ! -e "$BATS_TEST_TMPDIR/finished" ]
		[ "$(leftovers "$LAB" "$LAB-" "$BATS_TEST_TMPDIR/inodes")" = "$NOTHING_LEFT" ]
	done
}

@test "up in a mount namespace of netlab's own (/run/netlab its own tmpfs), made on either CPU: the nodes' mount namespaces are pinned (ids come in per-CPU batches)" {
	[ "$(nproc)" -ge 2 ] || skip "needs two CPUs"
	host_lab "$BATS_TEST_TMPDIR/p.ini" "$LAB" "$LAB-" h1 h2
	# the namespace made on one CPU, netlab on the other, both ways: one of the two has the
	# namespace's id above those the other CPU gives next (what the kernel refused to pin)
	for outer in 0 1; do
		inner=$((1 - outer))
		# slave: the tmpfs stays in that namespace (shared, it would propagate to the machine's)
		run taskset -c "$outer" unshare -m --propagation slave bash -c "
			set -e
			mkdir -p /run/netlab
			mount -t tmpfs netlab-nest /run/netlab
			taskset -p -c $inner \$\$ >/dev/null
			'$NETLAB' up '$BATS_TEST_TMPDIR/p.ini'
			'$NETLAB' status '$LAB' >/dev/null
			'$NETLAB' down '$LAB'"
		echo "outer CPU $outer: $output"
		[ "$status" -eq 0 ]
	done
	[ "$(leftovers "$LAB" "$LAB-")" = "$NOTHING_LEFT" ]
}

# signal_after MAX_MS ARGS...: runs netlab ARGS in the background, sends it a random one of INT,
# TERM, HUP (KILL too unless NO_KILL) after 0 to MAX_MS ms; SIG_RC gets its exit status.
signal_after() {
	local max=$1 sigs=(INT TERM HUP KILL) sig pid
	shift
	sig=${sigs[RANDOM % (${NO_KILL:-0} ? 3 : 4)]}
	"$NETLAB" "$@" >"$BATS_TEST_TMPDIR/sig.out" 2>&1 &
	pid=$!
	sleep "$(printf '0.%03d' $((RANDOM % max)))"
	kill "-$sig" "$pid" 2>/dev/null || true
	SIG_RC=0
	wait "$pid" || SIG_RC=$?
}

@test "random signals during import: an interrupted import leaves nothing, a finished one validates" {
	cp -r "$ROOT/tests/data/kathara/ospf" "$BATS_TEST_TMPDIR/lab"
	lab=$BATS_TEST_TMPDIR/lab
	before=$(ls -A "$lab" | sort | tr '\n' ' ')
	done_=0 stopped=0
	for i in $(seq "$ROUNDS"); do
		NO_KILL=1 signal_after 5 import kathara "$lab" --name "$LAB"
		if [ "$SIG_RC" -eq 0 ]; then
			done_=$((done_ + 1))
			netlab validate -q "$lab/netlab.ini"
			rm -r "$lab/netlab.ini" "$lab/netlab.d"
		else
			stopped=$((stopped + 1))
		fi
		got=$(ls -A "$lab" | sort | tr '\n' ' ')
		[ "$got" = "$before" ] || { echo "round $i (exit $SIG_RC): left $got"; return 1; }
	done
	echo "$ROUNDS import rounds: $done_ finished, $stopped interrupted, nothing left" >&3
}

@test "random signals during apply: the lab is as before, changed or partly changed, and down leaves nothing" {
	netlab generate chain 10 --name "$LAB" >"$BATS_TEST_TMPDIR/c10.ini"
	netlab generate chain 14 --name "$LAB" >"$BATS_TEST_TMPDIR/c14.ini"
	applied=0 stopped=0
	for i in $(seq "$ROUNDS"); do
		netlab up "$BATS_TEST_TMPDIR/c10.ini" >/dev/null
		signal_after 12 apply "$BATS_TEST_TMPDIR/c14.ini"
		if [ "$SIG_RC" -eq 0 ]; then applied=$((applied + 1)); else stopped=$((stopped + 1)); fi
		run netlab status "$LAB"
		[[ "$output" != *"damaged"* ]] || { echo "round $i: status calls it damaged: $output"; return 1; }
		netlab down "$LAB" >/dev/null
		got=$(leftovers "$LAB" "$LAB-")
		[ "$got" = "$NOTHING_LEFT" ] || { echo "round $i: $got"; return 1; }
	done
	echo "$ROUNDS apply rounds: $applied applied, $stopped interrupted, nothing left" >&3
}

@test "random signals during test FILE: the lab it brought up is taken down (after a final down when killed)" {
	host_lab "$BATS_TEST_TMPDIR/t.ini" "$LAB" "$LAB-" a b
	printf '\n[test t]\nexpect = a runs "sleep 0.1" succeeds\n' >>"$BATS_TEST_TMPDIR/t.ini"
	passed=0 stopped=0 killed=0
	for i in $(seq "$ROUNDS"); do
		signal_after 200 test "$BATS_TEST_TMPDIR/t.ini"
		case $SIG_RC in
		0) passed=$((passed + 1)) ;;
		137) killed=$((killed + 1)); netlab down "$LAB" >/dev/null 2>&1 || true ;;
		*) stopped=$((stopped + 1)) ;;
		esac
		got=$(leftovers "$LAB" "$LAB-")
		[ "$got" = "$NOTHING_LEFT" ] || { echo "round $i (exit $SIG_RC): $got"; cat "$BATS_TEST_TMPDIR/sig.out"; return 1; }
	done
	echo "$ROUNDS test rounds: $passed passed, $stopped interrupted, $killed killed (then down), nothing left" >&3
}
