#!/usr/bin/env bats
# apply.bats: netlab apply: a running lab changed into an edited file, only where they differ.
load helpers

setup() { lab_setup; }
teardown() { lab_teardown; }

# sleep_in NODE VAR: a process in NODE's network namespace (ended by down at the latest); its PID in VAR.
sleep_in() {
	in_ns "$LAB-$1" sleep 600 >/dev/null 2>&1 &
	printf -v "$2" %s "$!"
}

# edited_add FILE: router-chain with node h3 behind r2 (r2:eth2) and r1's route to it.
edited_add() {
	sed -e 's|^routes = 10.0.2.0/24 via 10.0.12.2, 2001:db8:2::/64 via 2001:db8:12::2$|&, 10.0.3.0/24 via 10.0.12.2|' \
		-e 's|^eth1 = 10.0.2.1/24, 2001:db8:2::1/64$|&\neth2 = 10.0.3.1/24|' "$1"
	printf '[node h3]\neth0 = 10.0.3.10/24\ngateway = 10.0.3.1\n\n[link r2-h3]\nendpoints = r2:eth2 h3:eth0\n'
}

# The lab is partly changed (status says so, exit 1); down then removes every trace of it.
partly_changed_then_down() {
	run netlab status "$LAB"
	[ "$status" -eq 1 ]
	[[ "$output" == *"PARTLY CHANGED"* ]]
	run netlab down "$LAB"
	[ "$status" -eq 0 ]
	assert_nothing_left
}

@test "apply adds a node and a link; a TCP connection between other nodes survives; --dry-run changes nothing" {
	f=$(lab_file "$TOPOS/router-chain.ini")
	g=$BATS_TEST_TMPDIR/edited.ini
	edited_add "$f" >"$g"
	netlab up "$f"
	# a TCP connection h1 -> h2:9000, open across the apply
	in_ns "$LAB-h2" timeout 60 busybox nc -l -p 9000 >"$BATS_TEST_TMPDIR/got" 2>&1 &
	srv=$!
	for _ in $(seq 100); do in_ns "$LAB-h2" ss -ltn | grep -q ':9000 ' && break; sleep 0.05; done
	in_ns "$LAB-h1" timeout 60 bash -c 'exec 3<>/dev/tcp/10.0.2.10/9000; echo before >&3; while [ ! -e "$1" ]; do sleep 0.1; done; echo after >&3' \
		_ "$BATS_TEST_TMPDIR/go" >/dev/null 2>&1 &
	cli=$!
	for _ in $(seq 100); do grep -q before "$BATS_TEST_TMPDIR/got" && break; sleep 0.05; done
	grep -q before "$BATS_TEST_TMPDIR/got"

	run netlab apply "$g" --dry-run
	[ "$status" -eq 0 ]
	[[ "$output" == *"+ node h3 (host)"* ]]
	[[ "$output" == *"+ link r2-h3: r2:eth2 - h3:eth0"* ]]
	[[ "$output" == *"~ r1 routes: + 10.0.3.0/24 via 10.0.12.2"* ]]
	[[ "$output" == *"(dry run: nothing changed)"* ]]
	[ ! -e "/run/netns/$LAB-h3" ]
	[ -z "$(ip -n "$LAB-r1" route show 10.0.3.0/24)" ]

	run netlab apply "$g"
	[ "$status" -eq 0 ]
	[[ "$output" == *"lab $LAB changed: 3 changes"* ]]
	in_ns "$LAB-h1" ping -c 1 -W 3 10.0.3.10
	touch "$BATS_TEST_TMPDIR/go"
	wait "$cli"
	wait "$srv"
	[ "$(cat "$BATS_TEST_TMPDIR/got")" = "$(printf 'before\nafter')" ]
	run netlab status "$LAB"
	[ "$status" -eq 0 ]
	[[ "$output" == *"up, 5 nodes, 4 links"* ]]
	run netlab up "$g"
	[ "$status" -eq 0 ]
	[[ "$output" == *"already up: nothing changed"* ]]
	run netlab apply "$g"
	[ "$status" -eq 0 ]
	[[ "$output" == *"lab $LAB: nothing to change"* ]]
	# a comment more: nothing to change, and the edited text is the lab's from now on
	{ echo "; edited"; cat "$g"; } >"$BATS_TEST_TMPDIR/commented.ini"
	run netlab apply "$BATS_TEST_TMPDIR/commented.ini"
	[ "$status" -eq 0 ]
	[[ "$output" == *"nothing to change but the file's text"* ]]
	run netlab up "$BATS_TEST_TMPDIR/commented.ini"
	[[ "$output" == *"already up: nothing changed"* ]]
	run netlab test "$LAB"
	[ "$status" -eq 0 ]
	# the new link is the lab's like the others: set and link find its interfaces (their ifindexes)
	netlab set "$LAB" r2-h3 rate=1mbit
	[[ "$(tc -n "$LAB-r2" qdisc show dev eth2)" == *"rate 1Mbit"* ]]
	[[ "$(tc -n "$LAB-h3" qdisc show dev eth0)" == *"rate 1Mbit"* ]]
	netlab link "$LAB" r2-h3 down
	[[ "$(ip -n "$LAB-r2" -o link show eth2)" == *"state DOWN"* ]]
	netlab link "$LAB" r2-h3 up
	in_ns "$LAB-h1" ping -c 1 -W 3 10.0.3.10
	run netlab apply "$g"
	[ "$status" -eq 0 ]
	[[ "$output" == *"~ r2:eth2 impairment: none (was rate 1mbit)"* ]]
	[[ "$(tc -n "$LAB-r2" qdisc show dev eth2)" != *"tbf"* ]]
}

@test "apply removes a node: nothing of it is left (processes, pins, files, veth); down then leaves nothing" {
	f=$(lab_file "$TOPOS/router-chain.ini")
	g=$BATS_TEST_TMPDIR/edited.ini
	awk '/^\[/ { skip = ($0 == "[node h2]" || $0 == "[link r2-h2]" || $0 ~ /^\[test /) } !skip' "$f" |
		sed '/^eth1 = 10.0.2.1\/24/d' >"$g"
	netlab up "$f"
	grep -q "[[:space:]]h2$" "/run/netlab/$LAB/etc/hosts"
	sleep_in h2 gone
	sleep_in r2 kept
	run netlab apply "$g"
	[ "$status" -eq 0 ]
	[[ "$output" == *"- node h2 (host)"* ]]
	[[ "$output" == *"- link r2-h2: r2:eth1 - h2:eth0"* ]]
	[ ! -e "/run/netns/$LAB-h2" ]
	[ ! -e "/etc/netns/$LAB-h2" ]
	[ ! -e "/run/netlab/$LAB/ns/h2.mnt" ]
	[ ! -e "/run/netlab/$LAB/ns/h2.uts" ]
	[ ! -e "/run/netlab/$LAB/ns/h2.net" ]
	[ ! -e "/run/netlab/$LAB/nodes/h2" ]
	run kill -0 "$gone"
	[ "$status" -ne 0 ]
	kill -0 "$kept"
	run ip -n "$LAB-r2" link show eth1
	[ "$status" -ne 0 ]
	run grep -q "[[:space:]]h2$" "/run/netlab/$LAB/etc/hosts"
	[ "$status" -eq 1 ]
	run netlab status "$LAB"
	[ "$status" -eq 0 ]
	[[ "$output" == *"up, 3 nodes, 2 links"* ]]
	in_ns "$LAB-h1" ping -c 1 -W 3 10.0.12.2
	run netlab down "$LAB"
	[ "$status" -eq 0 ]
	[[ "$output" != *"already removed"* ]]
	assert_nothing_left
	run kill -0 "$kept"
	[ "$status" -ne 0 ]
}

@test "apply changes addresses, sysctls and impairment in place; a node whose hostname changed is replaced" {
	f=$(lab_file "$TOPOS/router-chain.ini")
	g=$BATS_TEST_TMPDIR/edited.ini
	# h2 runs a daemon: once h2 is replaced, status counts only the new one
	sed -i 's|^\[node h2\]$|&\ndaemon = sleep 600|' "$f"
	sed -e 's|^eth0 = 10.0.1.10/24, 2001:db8:1::10/64$|eth0 = 10.0.1.11/24, 2001:db8:1::10/64\nsysctl.net.ipv4.ip_default_ttl = 99|' \
		-e 's|^\[node h2\]$|&\nhostname = web|' \
		-e 's|^endpoints = r1:eth1 r2:eth0$|&\nrate = 10mbit|' "$f" >"$g"
	netlab up "$f"
	sleep_in h1 kept
	sleep_in h2 gone
	run netlab apply "$g"
	[ "$status" -eq 0 ]
	[[ "$output" == *"~ node h2 (host) replaced: its hostname changed"* ]]
	[[ "$output" == *"~ link r2-h2: r2:eth1 - h2:eth0 replaced: a node at its end is replaced"* ]]
	[[ "$output" == *"~ h1:eth0 addresses: + 10.0.1.11/24 - 10.0.1.10/24"* ]]
	[[ "$output" == *"~ h1 sysctl net.ipv4.ip_default_ttl = 99"* ]]
	[[ "$output" == *"~ r1:eth1 impairment: rate 10mbit (was none)"* ]]
	kill -0 "$kept"
	run kill -0 "$gone"
	[ "$status" -ne 0 ]
	[[ "$(ip -n "$LAB-h1" -4 -o addr show dev eth0)" == *"10.0.1.11/24"* ]]
	[[ "$(ip -n "$LAB-h1" -4 -o addr show dev eth0)" != *"10.0.1.10/24"* ]]
	[ "$(in_ns "$LAB-h1" sysctl -n net.ipv4.ip_default_ttl)" = 99 ]
	[[ "$(tc -n "$LAB-r1" qdisc show dev eth1)" == *"tbf"*"rate 10Mbit"* ]]
	[ "$(netlab exec "$LAB" h2 -- hostname)" = web ]
	[[ "$(ip -n "$LAB-h1" route show default)" == *"via 10.0.1.1"* ]]
	in_ns "$LAB-h1" ping -c 1 -W 3 10.0.2.10
	in_ns "$LAB-h1" ping -c 1 -W 3 2001:db8:2::10
	run netlab status "$LAB"
	[ "$status" -eq 0 ]
	# back: the impairment is removed, the sysctl no longer set replaces h1
	run netlab apply "$f"
	[ "$status" -eq 0 ]
	[[ "$output" == *"~ r1:eth1 impairment: none (was rate 10mbit)"* ]]
	[[ "$output" == *"~ node h1 (host) replaced: a sysctl is no longer set"* ]]
	[[ "$(tc -n "$LAB-r1" qdisc show dev eth1)" != *"tbf"* ]]
	run kill -0 "$kept"
	[ "$status" -ne 0 ]
	run netlab test "$LAB"
	[ "$status" -eq 0 ]
}

@test "apply adds a LAN member; a link down on purpose is made again" {
	f=$(lab_file "$TOPOS/lan-router.ini")
	g=$BATS_TEST_TMPDIR/edited.ini
	sed -e 's|^endpoints = h1:eth0 h2:eth0 h3:eth0 r1:eth0$|& h5:eth0|' "$f" >"$g"
	printf '[node h5]\neth0 = 10.0.0.15/24\n' >>"$g"
	netlab up "$f"
	netlab link "$LAB" r1-h4 down
	run netlab apply "$g"
	[ "$status" -eq 0 ]
	[[ "$output" == *"+ link lan1.port5: h5:eth0 - lan1:port5"* ]]
	[[ "$output" == *"~ link r1-h4: r1:eth1 - h4:eth0 replaced: it was down on purpose (netlab link)"* ]]
	in_ns "$LAB-h1" ping -c 1 -W 3 10.0.0.15
	in_ns "$LAB-h1" ping -c 1 -W 3 10.0.1.14
	run netlab status "$LAB"
	[ "$status" -eq 0 ]
	[[ "$output" != *"on purpose"* ]]
}

@test "an interrupted apply: status says so and shows what it made; apply refuses; down removes everything" {
	f=$(lab_file "$TOPOS/router-chain.ini")
	g=$BATS_TEST_TMPDIR/edited.ini
	edited_add "$f" >"$g"
	netlab up "$f"
	kill_at links-up TERM apply "$g"
	[ "$UP_STATUS" -eq 1 ]
	grep -q "lab $LAB is partly changed" "$BATS_TEST_TMPDIR/out"
	[ -e "/run/netns/$LAB-h3" ]
	run netlab status "$LAB"
	[ "$status" -eq 1 ]
	[[ "$output" == *"PARTLY CHANGED (an apply did not finish"* ]]
	[[ "$output" == *"namespace $LAB-h3: made by the unfinished apply"* ]]
	run netlab apply "$g"
	[ "$status" -eq 1 ]
	[[ "$output" == *"an earlier apply to lab $LAB did not finish"* ]]
	run netlab down "$LAB"
	[ "$status" -eq 0 ]
	assert_nothing_left
}

@test "apply: a lab that is not up, an invalid file, no file, a namespace that is not the lab's, one deleted by hand" {
	f=$(lab_file "$TOPOS/router-chain.ini")
	run netlab apply "$f"
	[ "$status" -eq 2 ]
	[[ "$output" == *"lab $LAB is not up"* ]]
	[[ "$output" == *"'netlab up $f' brings it up"* ]]
	printf '[lab]\nname = %s\n[node a]\neth0 = 10.0.0.300/24\n' "$LAB" >"$BATS_TEST_TMPDIR/bad.ini"
	run netlab apply "$BATS_TEST_TMPDIR/bad.ini"
	[ "$status" -eq 2 ]
	[[ "$output" == *"bad.ini:4:"* ]]
	run netlab apply
	[ "$status" -eq 2 ]
	# a namespace apply would make (a new prefix) that exists already, not the lab's: nothing changes
	netlab up "$f"
	sed "s/^netns-prefix = .*/netns-prefix = $LAB-x-/" "$f" >"$BATS_TEST_TMPDIR/prefix.ini"
	ip netns add "$LAB-x-h2"
	run netlab apply "$BATS_TEST_TMPDIR/prefix.ini"
	[ "$status" -eq 1 ]
	[[ "$output" == *"namespace '$LAB-x-h2' (node h2) already exists and is not part of lab $LAB: refusing to touch it"* ]]
	[[ "$output" == *"apply: nothing was changed"* ]]
	ip netns del "$LAB-x-h2"
	run netlab status "$LAB"
	[ "$status" -eq 0 ]
	# a node's namespace deleted by hand: apply changes nothing
	ip netns del "$LAB-h2"
	run netlab apply "$f"
	[ "$status" -eq 1 ]
	[[ "$output" == *"the namespace of node h2 is missing"* ]]
	run grep -c apply-begin "/run/netlab/$LAB/journal"
	[ "$output" = 0 ]
}

@test "SIGKILL after each phase of apply (a node added, one replaced), then down leaves nothing" {
	f=$(lab_file "$TOPOS/router-chain.ini")
	g=$BATS_TEST_TMPDIR/edited.ini
	edited_add "$f" | sed -e 's|^\[node h1\]$|&\nhostname = one|' >"$g"
	for phase in $UP_PHASES; do
		[ "$phase" = complete ] && continue
		netlab up "$f"
		kill_at "$phase" KILL apply "$g"
		[ "$UP_STATUS" -eq 137 ]
		partly_changed_then_down
	done
}

@test "a failed apply (a new node's exec fails) says so, shows the output, and leaves a lab down removes" {
	f=$(lab_file "$TOPOS/router-chain.ini")
	g=$BATS_TEST_TMPDIR/edited.ini
	edited_add "$f" | sed -e 's|^gateway = 10.0.3.1$|&\nexec = sh -c "echo no way \&\& exit 3"|' >"$g"
	netlab up "$f"
	run netlab apply "$g"
	[ "$status" -eq 1 ]
	[[ "$output" == *"exit status 3"* ]]
	[[ "$output" == *"no way"* ]]
	[[ "$output" == *"lab $LAB is partly changed"* ]]
	partly_changed_then_down
}
