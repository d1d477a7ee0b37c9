#!/usr/bin/env bats
# machines.bats: each node a small machine (its own /etc, /var, /tmp, /run), FRR and BIRD in
# nodes, daemons' health at up, [defaults], stub LANs (root; FRR and BIRD from make deps).
load helpers
bats_require_minimum_version 1.5.0

setup() {
	lab_setup
	# what the machine's own directories hold before, to prove nothing was added to them (not
	# /tmp, where any program on the machine may create files meanwhile: the first test looks for
	# what its nodes write there by name)
	snap() { ls -a /run /run/frr /run/bird /var/log /var/log/frr /etc /etc/frr /var/tmp 2>/dev/null | grep -v "^netlab-tests\|^netns$" ; }
	snap >"$BATS_TEST_TMPDIR/before"
}

teardown() {
	lab_teardown
	[ -z "${TMP_LAB_DIR:-}" ] || rm -rf "$TMP_LAB_DIR"
}

assert_machine_untouched() {
	snap >"$BATS_TEST_TMPDIR/after"
	diff "$BATS_TEST_TMPDIR/before" "$BATS_TEST_TMPDIR/after"
}

eventually() { # eventually CMD...: CMD succeeds within 30 s (tried every 0.5 s)
	for _ in $(seq 60); do
		"$@" && return 0
		sleep 0.5
	done
	"$@"
}

r1_route_via_r2() { in_ns "$LAB-r1" ip route show 10.7.2.0/24 | grep -q "via 10.7.12.2"; }

two_routers() { # two_routers FILE [NODE-KEYS...]: r1 - r2, each also on a stub LAN of its own
	printf '[lab]\nname = %s\n[defaults router]\n%s\n' "$LAB" "${2:-}" >"$1"
	printf '[node r1]\nkind = router\neth0 = 10.7.12.1/24\neth1 = 10.7.1.1/24\n%s\n' "${3:-}" >>"$1"
	printf '[node r2]\nkind = router\neth0 = 10.7.12.2/24\neth1 = 10.7.2.1/24\n%s\n' "${4:-}" >>"$1"
	printf '[link a]\nendpoints = r1:eth0 r2:eth0\n[lan s1]\nendpoints = r1:eth1\n[lan s2]\nendpoints = r2:eth1\n' >>"$1"
}

@test "a node's /etc, /var, /tmp and /run are its own, writable, and gone after down" {
	f="$BATS_TEST_TMPDIR/lab.ini"
	printf '[lab]\nname = %s\n[node a]\neth0 = 10.7.0.1/24\n[node b]\neth0 = 10.7.0.2/24\n[link ab]\nendpoints = a:eth0 b:eth0\n' "$LAB" >"$f"
	netlab up "$f"
	netlab exec "$LAB" a -- sh -c 'echo a >/etc/netlab-mine && echo a >/var/log/netlab-mine && echo a >/var/lib/netlab-mine && echo a >/tmp/mine && echo a >/var/tmp/mine && mkdir /run/mine'
	[ "$(netlab exec "$LAB" a -- cat /etc/netlab-mine /var/log/netlab-mine /var/lib/netlab-mine /tmp/mine /var/tmp/mine | tr -d '\n')" = aaaaa ]
	run netlab exec "$LAB" b -- ls /etc/netlab-mine /var/log/netlab-mine /var/lib/netlab-mine /tmp/mine /var/tmp/mine /run/mine
	[ "$status" -ne 0 ]
	[ ! -e /etc/netlab-mine ]
	[ ! -e /var/log/netlab-mine ]
	[ ! -e /var/lib/netlab-mine ]
	# the machine's files are below, the lab's hosts file in /etc/hosts, /sys shows the node's network
	netlab exec "$LAB" a -- test -e /etc/passwd
	netlab exec "$LAB" a -- grep -q "^10.7.0.2	b$" /etc/hosts
	[ "$(netlab exec "$LAB" a -- ls /sys/class/net | tr '\n' ' ')" = "eth0 lo " ]
	# what a node wrote can be read from outside while the lab runs
	[ "$(cat "/run/netlab/$LAB/nodes/a/root/etc/netlab-mine")" = a ]
	# nsenter with the pins gives the same view
	[ "$(nsenter --net=/run/netns/$LAB-a --mount="/run/netlab/$LAB/ns/a.mnt" cat /tmp/mine)" = a ]
	[ ! -e /tmp/mine ]
	netlab down "$LAB"
	assert_nothing_left
	assert_machine_untouched
}

@test "processes entering a node at once, the first ones in it: each sees the node's /sys (none fails mounting it)" {
	f="$BATS_TEST_TMPDIR/lab.ini"
	printf '[lab]\nname = %s\n' "$LAB" >"$f"
	for n in $(seq 8); do printf '[node n%s]\n' "$n" >>"$f"; done
	netlab up "$f"
	# a node's /sys is mounted by the first process netlab starts in it: 12 start at once in
	# each node (as a section's `runs` commands do), and the kernel refuses a second mount of
	# the same sysfs on /sys (EBUSY) to those that come second
	for n in $(seq 8); do
		for k in $(seq 12); do
			netlab exec "$LAB" "n$n" -- ls /sys/class/net >"$BATS_TEST_TMPDIR/out.$n.$k" 2>&1 &
		done
	done
	fails=0
	for job in $(jobs -p); do wait "$job" || fails=$((fails + 1)); done
	cat "$BATS_TEST_TMPDIR"/out.* | sort | uniq -c
	[ "$fails" -eq 0 ]
	[ "$(cat "$BATS_TEST_TMPDIR"/out.* | sort -u | tr '\n' ' ')" = "lo " ]
	netlab down "$LAB"
	assert_nothing_left
}

@test "files = DIR seeds the node's writable layers; the lab's directory is never written" {
	mkdir -p "$BATS_TEST_TMPDIR/r1/etc/netlabtest" "$BATS_TEST_TMPDIR/r1/srv" "$BATS_TEST_TMPDIR/r1/tmp"
	echo seed >"$BATS_TEST_TMPDIR/r1/etc/netlabtest/conf"
	echo home >"$BATS_TEST_TMPDIR/r1/srv/netlab-note"
	echo scratch >"$BATS_TEST_TMPDIR/r1/tmp/t"
	f="$BATS_TEST_TMPDIR/lab.ini"
	printf '[lab]\nname = %s\n[node r1]\nfiles = r1\n' "$LAB" >"$f"
	netlab up "$f"
	[ "$(netlab exec "$LAB" r1 -- cat /etc/netlabtest/conf /srv/netlab-note /tmp/t | tr '\n' ' ')" = "seed home scratch " ]
	netlab exec "$LAB" r1 -- sh -c 'echo changed >/etc/netlabtest/conf; echo more >>/srv/netlab-note'
	[ "$(netlab exec "$LAB" r1 -- cat /etc/netlabtest/conf)" = changed ]
	[ "$(cat "$BATS_TEST_TMPDIR/r1/etc/netlabtest/conf")" = seed ]
	[ "$(cat "$BATS_TEST_TMPDIR/r1/srv/netlab-note")" = home ]
	[ ! -e /srv/netlab-note ]
	netlab down "$LAB"
	assert_nothing_left
}

@test "a lab under /tmp (which each node has its own of): its startup script still runs, as the file it is" {
	TMP_LAB_DIR=$(mktemp -d /tmp/netlab-test-lab-XXXXXX)
	f="$TMP_LAB_DIR/lab.ini"
	two_routers "$f" "" "startup = r1.startup"
	printf 'echo "ran as $0" >/run/startup.out\n' >"$TMP_LAB_DIR/r1.startup"
	netlab up "$f"
	run netlab exec "$LAB" r1 -- cat /run/startup.out
	[[ "$output" == "ran as /proc/self/fd/"* ]]
	run ! netlab exec "$LAB" r1 -- test -e "$TMP_LAB_DIR/r1.startup"
	netlab down "$LAB"
	assert_nothing_left
}

@test "files = DIR: a file at its top and a run/ directory are refused with the reason; up rolls back" {
	mkdir -p "$BATS_TEST_TMPDIR/r1/run/x"
	f="$BATS_TEST_TMPDIR/lab.ini"
	printf '[lab]\nname = %s\n[node r1]\nfiles = r1\n' "$LAB" >"$f"
	run netlab up "$f"
	[ "$status" -eq 1 ]
	[[ "$output" == *"/run is the node's runtime directory"* ]]
	assert_nothing_left
	rm -r "$BATS_TEST_TMPDIR/r1/run"
	echo x >"$BATS_TEST_TMPDIR/r1/loose"
	run netlab up "$f"
	[ "$status" -eq 1 ]
	[[ "$output" == *"r1/loose' is not a directory"* ]]
	assert_nothing_left
	# the lab inside /TOP, and files holding TOP/: the machine's /TOP and the seed would overlap
	# (not so for /tmp, which a node has its own of: run-tests.sh keeps the tests' files elsewhere)
	rm "$BATS_TEST_TMPDIR/r1/loose"
	top=${BATS_TEST_TMPDIR#/}
	top=${top%%/*}
	[ "$top" != tmp ] || skip "the test's files are under /tmp (run it with tests/run-tests.sh)"
	mkdir "$BATS_TEST_TMPDIR/r1/$top"
	run netlab up "$f"
	[ "$status" -eq 1 ]
	[[ "$output" == *"lies inside /$top: an overlay cannot lie over its own source"* ]]
	assert_nothing_left
}

@test "FRR in two routers: each vtysh sees its own interfaces and routes; OSPF converges; write memory works" {
	command -v vtysh >/dev/null || skip "frr not installed (make deps)"
	for r in 1 2; do
		printf 'hostname r%s\ninterface eth0\n ip ospf hello-interval 1\n ip ospf dead-interval 4\n ip ospf network point-to-point\nrouter ospf\n network 10.7.0.0/16 area 0\n' "$r" >"$BATS_TEST_TMPDIR/r$r.conf"
	done
	f="$BATS_TEST_TMPDIR/lab.ini"
	two_routers "$f" "" "frr = r1.conf" "frr = r2.conf"
	netlab up "$f"
	run netlab exec "$LAB" r1 -- vtysh -c 'show interface brief'
	[[ "$output" == *"10.7.1.1/24"* ]]
	[[ "$output" != *"10.7.2.1/24"* ]]
	run netlab exec "$LAB" r2 -- vtysh -c 'show interface brief'
	[[ "$output" == *"10.7.2.1/24"* ]]
	[[ "$output" != *"10.7.1.1/24"* ]]
	eventually r1_route_via_r2
	netlab exec "$LAB" r1 -- vtysh -c 'show ip route 10.7.2.0/24' | grep -q "Known via \"ospf\""
	run netlab status "$LAB"
	[ "$status" -eq 0 ]
	[[ "$output" != *"problem"* ]]
	netlab exec "$LAB" r1 -- vtysh -c 'conf t' -c 'router ospf' -c 'ospf router-id 1.1.1.1' -c 'end' -c 'write memory'
	grep -q "ospf router-id 1.1.1.1" "/run/netlab/$LAB/nodes/r1/root/etc/frr/frr.conf"
	netlab exec "$LAB" r1 -- grep -q "ospf router-id 1.1.1.1" /etc/frr/frr.conf
	run ! grep -q "router-id" "$BATS_TEST_TMPDIR/r1.conf"
	run ! netlab exec "$LAB" r2 -- grep -q "router-id" /etc/frr/frr.conf
	netlab down "$LAB"
	assert_nothing_left
	assert_machine_untouched
}

@test "a line FRR rejects (a typo) is a warning of up and status, with its file and line; netlab logs shows FRR's log" {
	command -v vtysh >/dev/null || skip "frr not installed (make deps)"
	printf 'hostname r1\nrouter ospf\n netwrok 10.7.0.0/16 area 0\n' >"$BATS_TEST_TMPDIR/r1.conf"
	printf 'hostname r2\nrouter ospf\n network 10.7.0.0/16 area 0\n' >"$BATS_TEST_TMPDIR/r2.conf"
	f="$BATS_TEST_TMPDIR/lab.ini"
	two_routers "$f" "" "frr = r1.conf" "frr = r2.conf"
	run --separate-stderr netlab up "$f"
	echo "$output$stderr"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"warning: node r1: frr r1.conf:3: FRR rejects it: Unknown command: netwrok 10.7.0.0/16 area 0"* ]]
	[[ "$output" == *"with 1 warning"* ]]
	run netlab status "$LAB"
	[ "$status" -eq 0 ]
	[[ "$output" == *"node r1 (router)"*"  warning: frr r1.conf:3: FRR rejects it"* ]]
	# FRR logs into the node's /var/log/frr/frr.log (netlab gives its daemons --log), which logs shows
	eventually test -s "/run/netlab/$LAB/nodes/r2/root/var/log/frr/frr.log"
	run netlab logs "$LAB" r2
	[ "$status" -eq 0 ]
	[[ "$output" == *"WATCHFRR"* ]]
	netlab down "$LAB"
	assert_nothing_left
}

@test "BIRD in two routers: each birdc talks to its own BIRD, OSPF converges" {
	command -v bird >/dev/null || skip "bird2 not installed (make deps)"
	for r in 1 2; do
		printf 'router id 10.7.12.%s;\nprotocol device {}\nprotocol direct { ipv4; interface "eth1"; }\nprotocol kernel { ipv4 { export all; }; }\nprotocol ospf v2 { ipv4 { import all; export all; }; area 0 { interface "eth0" { type ptp; hello 1; dead 4; }; interface "eth1" { stub; }; }; }\n' "$r" >"$BATS_TEST_TMPDIR/b$r.conf"
	done
	f="$BATS_TEST_TMPDIR/lab.ini"
	two_routers "$f" "" "bird = b1.conf" "bird = b2.conf"
	netlab up "$f"
	[[ "$(netlab exec "$LAB" r1 -- birdc show status)" == *"Router ID is 10.7.12.1"* ]]
	[[ "$(netlab exec "$LAB" r2 -- birdc show status)" == *"Router ID is 10.7.12.2"* ]]
	eventually r1_route_via_r2
	# r2 learns r1's network on its own schedule: wait for it too
	r2_bird_route_via_r1() { netlab exec "$LAB" r2 -- birdc show route 10.7.1.0/24 | grep -q "10.7.12.1"; }
	eventually r2_bird_route_via_r1
	netlab down "$LAB"
	assert_nothing_left
	assert_machine_untouched
}

@test "a daemon that dies within its first second fails up with its log, and the lab is rolled back" {
	f="$BATS_TEST_TMPDIR/lab.ini"
	# 0.6 s: up waits a whole second from the latest start of a daemon (0.4 s to spare on a busy
	# machine)
	two_routers "$f" "daemon = 'echo starting; sleep 0.6; echo giving up; exit 3'"
	run netlab up "$f"
	[ "$status" -eq 1 ]
	[[ "$output" == *"exited within its first second, with status 3"* ]]
	[[ "$output" == *"giving up"* ]]
	assert_nothing_left
}

@test "frr and bird files are checked by validate; a one-member LAN is a stub network" {
	f="$BATS_TEST_TMPDIR/lab.ini"
	two_routers "$f" "" "frr = nowhere.conf" "bird = nowhere-either.conf"
	run netlab validate "$f"
	[ "$status" -eq 2 ]
	[[ "$output" == *"lab.ini:9: [node r1] frr: cannot read the configuration file"* ]]
	[[ "$output" == *"lab.ini:14: [node r2] bird: cannot read the configuration file"* ]]
	two_routers "$f"
	netlab up "$f"
	in_ns "$LAB-r1" ip -br addr show eth1 | grep -q "10.7.1.1/24"
	in_ns "$LAB-r1" ip -br link show eth1 | grep -q "UP"
	netlab down "$LAB"
	assert_nothing_left
}

@test "status: a node whose daemon exited, interface went down, address or route vanished is not ok; --json says which" {
	f="$BATS_TEST_TMPDIR/lab.ini"
	two_routers "$f" "daemon = sleep 600" "routes = 10.9.0.0/16 via 10.7.12.2" "eth2 = 10.7.3.1/24"
	printf '[lan s3]\nendpoints = r2:eth2\n' >>"$f"
	netlab up "$f"
	run netlab status "$LAB"
	[ "$status" -eq 0 ]
	[[ "$output" != *"problem"* ]]
	ip -n "$LAB-r1" route del 10.9.0.0/16
	ip -n "$LAB-r2" addr del 10.7.3.1/24 dev eth2
	ip -n "$LAB-r2" link set eth1 down
	pid=$(netlab status --json "$LAB" | jq -r '.nodes[] | select(.name=="r2") | .daemons[0].pid')
	kill "$pid"
	for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	run netlab status "$LAB"
	[ "$status" -eq 1 ]
	[[ "$output" == *"lab $LAB: DEGRADED"* ]]
	[[ "$output" == *"node r1 (router)"*"NOT OK"*"problem: route 10.9.0.0/16 via 10.7.12.2 missing"* ]]
	[[ "$output" == *"problem: interface eth1 is DOWN"* ]]
	[[ "$output" == *"problem: address 10.7.3.1/24 missing on eth2"* ]]
	[[ "$output" == *"problem: daemon $pid has exited"* ]]
	run netlab status --json "$LAB"
	[ "$status" -eq 1 ]
	[ "$(jq -r .state <<<"$output")" = degraded ]
	[ "$(jq -r '.nodes[] | select(.name=="r1") | .ok' <<<"$output")" = false ]
	[ "$(jq -r '.nodes[] | select(.name=="r1") | .problems | map(.kind) | join(",")' <<<"$output")" = route ]
	[ "$(jq -r '.nodes[] | select(.name=="r2") | .problems | map(.kind) | sort | join(",")' <<<"$output")" = address,daemon,interface ]
	[ "$(jq -r '.nodes[] | select(.name=="s1") | .ok' <<<"$output")" = true ]
	netlab down "$LAB"
	assert_nothing_left
}

@test "FRR as a Kathara lab runs it: etc/frr from files = DIR, started by a startup script" {
	command -v vtysh >/dev/null || skip "frr not installed (make deps)"
	for r in 1 2; do
		mkdir -p "$BATS_TEST_TMPDIR/r$r/etc/frr"
		sed 's/^ospfd=no/ospfd=yes/' /etc/frr/daemons >"$BATS_TEST_TMPDIR/r$r/etc/frr/daemons"
		printf 'hostname r%s\ninterface eth0\n ip ospf hello-interval 1\n ip ospf dead-interval 4\nrouter ospf\n network 10.7.0.0/16 area 0\n' "$r" >"$BATS_TEST_TMPDIR/r$r/etc/frr/frr.conf"
		printf '/etc/init.d/frr start\n' >"$BATS_TEST_TMPDIR/r$r.startup"
	done
	grep -q "^ospfd=yes" "$BATS_TEST_TMPDIR/r1/etc/frr/daemons"
	f="$BATS_TEST_TMPDIR/lab.ini"
	two_routers "$f" "" "files = r1
startup = r1.startup" "files = r2
startup = r2.startup"
	netlab up "$f"
	run netlab exec "$LAB" r1 -- vtysh -c 'show interface brief'
	[[ "$output" == *"10.7.1.1/24"* ]]
	[[ "$output" != *"10.7.2.1/24"* ]]
	eventually r1_route_via_r2
	[[ "$(netlab exec "$LAB" r2 -- vtysh -c 'show ip ospf neighbor')" == *"Full"* ]]
	run ! grep -q "^ospfd=yes" /etc/frr/daemons
	netlab down "$LAB"
	assert_nothing_left
	assert_machine_untouched
}
