#!/usr/bin/env bats
# import.bats: `netlab import kathara` on a small Kathara lab written for the tests
# (tests/data/kathara/ospf: an FRR router and a Quagga router speaking OSPF, two hosts; addresses
# by ip address add, ip addr add, ip a add and ifconfig; gateways by route add and ip route add):
# the topology validates, comes up, has the addresses on the right interfaces, converges, and
# every pair is reachable; what stays a command runs; usage errors exit 2.
load helpers
bats_require_minimum_version 1.5.0

setup() {
	lab_setup
	cp -r "$ROOT/tests/data/kathara/ospf" "$BATS_TEST_TMPDIR/lab"
}
teardown() { lab_teardown; }

@test "import kathara: the topology validates and names what it did not convert, on stderr and at its top" {
	run --separate-stderr netlab import kathara "$BATS_TEST_TMPDIR/lab" --name "$LAB"
	echo "$output$stderr"
	[ "$status" -eq 0 ]
	[[ "$output" == *"netlab.ini: 4 nodes, 3 links and LANs"*"2 things not converted"* ]]
	[[ "$stderr" == *"r2/etc/quagga: 2 'log file' lines not converted"* ]]
	[[ "$stderr" == *"pc2.startup:4: not made keys"* ]]
	ini=$BATS_TEST_TMPDIR/lab/netlab.ini
	grep -qx ';   pc2.startup:4: not made keys: these lines stay in the node'"'"'s startup script' "$ini"
	netlab validate "$ini"
	# addresses and gateways are keys: netlab knows them
	grep -qx 'eth0 = 10.0.2.2/30' "$ini"
	grep -qx 'gateway = 10.0.1.1' "$ini"
	grep -qx 'gateway = 10.0.3.1' "$ini"
	grep -qx 'frr = r1/etc/frr/frr.conf' "$ini"
	grep -qx 'frr = netlab.d/r2.frr.conf' "$ini"
	# Quagga's configurations joined for FRR; nothing left of r1's, r2's, pc1's startup files
	grep -q '^ no bgp\|^router ospf' "$BATS_TEST_TMPDIR/lab/netlab.d/r2.frr.conf"
	[ ! -e "$BATS_TEST_TMPDIR/lab/netlab.d/r1.startup" ]
	[ -e "$BATS_TEST_TMPDIR/lab/netlab.d/pc2.startup" ]
	# -o elsewhere: the lab's directories are named by their absolute path
	run netlab import kathara "$BATS_TEST_TMPDIR/lab" -o "$BATS_TEST_TMPDIR/other.ini" --name "$LAB"
	[ "$status" -eq 0 ]
	grep -qx "files = $BATS_TEST_TMPDIR/lab/r1" "$BATS_TEST_TMPDIR/other.ini"
	[ -e "$BATS_TEST_TMPDIR/other.d/r2.frr.conf" ]
	netlab validate "$BATS_TEST_TMPDIR/other.ini"
}

@test "import kathara: the lab comes up, addresses on the right interfaces, OSPF converges, every pair reachable" {
	netlab import kathara "$BATS_TEST_TMPDIR/lab" --name "$LAB"
	netlab up "$BATS_TEST_TMPDIR/lab/netlab.ini"
	ip -n "$LAB-r2" -o addr show dev eth0 | grep -q ' 10.0.2.2/30 '
	ip -n "$LAB-r2" -o addr show dev eth1 | grep -q ' 10.0.3.1/24 '
	ip -n "$LAB-pc1" -o addr show dev eth0 | grep -q ' 10.0.1.10/24 '
	# the command that stayed in pc2's script ran
	ip -n "$LAB-pc2" route show 10.99.0.0/16 | grep -q 'via 10.0.3.1'
	# both FRRs run, each in its own node
	netlab exec "$LAB" r2 -- vtysh -c 'show running-config' | grep -q 'router ospf'
	for _ in $(seq 60); do
		run netlab ping "$LAB" --timeout 1
		[ "$status" -eq 0 ] && break
		sleep 1
	done
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$(tail -1 <<<"$output")" =~ ^([0-9]+)\ of\ ([0-9]+)\ pairs\ reachable$ ]]
	[ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ]
	[ "${BASH_REMATCH[1]}" -gt 0 ]
	netlab exec "$LAB" pc1 -- ip route get 10.0.3.10 | grep -q 'via 10.0.1.1'
	netlab down "$LAB"
}

@test "import: usage errors exit 2; a directory without lab.conf is refused" {
	run netlab import
	[ "$status" -eq 2 ]
	run netlab import netkit "$BATS_TEST_TMPDIR/lab"
	[ "$status" -eq 2 ]
	[[ "$output" == *"'netkit' is not a format netlab imports"* ]]
	run netlab import kathara "$BATS_TEST_TMPDIR/nowhere"
	[ "$status" -eq 2 ]
	mkdir "$BATS_TEST_TMPDIR/empty"
	run netlab import kathara "$BATS_TEST_TMPDIR/empty"
	[ "$status" -eq 2 ]
	[[ "$output" == *"has no lab.conf"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/empty/netlab.ini" ]
	run netlab import kathara "$BATS_TEST_TMPDIR/lab" --name 'a b'
	[ "$status" -eq 2 ]
	[ ! -e "$BATS_TEST_TMPDIR/lab/netlab.ini" ]
}

@test "import: a hostile lab directory (symlinks, device names with a path) reaches nothing outside it" {
	lab=$BATS_TEST_TMPDIR/lab out=$BATS_TEST_TMPDIR/outside
	mkdir -p "$out/leak/etc/quagga" "$out/elsewhere"
	echo victim >"$out/victim"
	echo victim2 >"$out/victim2"
	echo 'ip route add 10.66.0.0/16 via 10.0.1.1' >"$out/leak.startup"
	printf 'hostname leak\npassword SECRETPW\n' >"$out/leak/etc/quagga/zebra.conf"
	printf 'ip address add 10.0.9.1/24 dev eth0\n# SECRET-STARTUP\n' >"$out/secret"
	chmod 600 "$out/leak/etc/quagga/zebra.conf" "$out/secret"
	# the old temporary name and the topology itself are symlinks to files outside: neither is written
	ln -s "$out/victim" "$lab/netlab.ini.tmp"
	ln -s "$out/victim2" "$lab/netlab.ini"
	# a device named with a path, and a startup file that is a symlink to a secret
	printf '../outside/leak[0]="A"\n' >>"$lab/lab.conf"
	rm "$lab/pc1.startup"
	ln -s "$out/secret" "$lab/pc1.startup"
	# a Quagga configuration with a password, readable by its owner alone
	chmod 600 "$lab/r2/etc/quagga/zebra.conf"
	run --separate-stderr netlab import kathara "$lab" --name "$LAB"
	echo "$output$stderr"
	[ "$status" -eq 0 ]
	[ "$(cat "$out/victim")" = victim ]
	[ "$(cat "$out/victim2")" = victim2 ]
	[ ! -L "$lab/netlab.ini" ]
	[[ "$stderr" == *"device '../outside/leak': not a file name"* ]]
	[[ "$stderr" == *"pc1.startup not read: a symlink"* ]]
	run grep -rl 'SECRET\|10.66.0.0' "$lab/netlab.ini" "$lab/netlab.d"
	[ "$status" -eq 1 ]
	run grep -q 'files = ../outside' "$lab/netlab.ini"
	[ "$status" -eq 1 ]
	[ "$(stat -c %a "$lab/netlab.d/r2.frr.conf")" = 600 ]
	netlab validate "$lab/netlab.ini"
	# netlab.d a symlink to a directory elsewhere: refused, nothing written there
	rm -rf "$lab/netlab.d" "$lab/netlab.ini"
	ln -s "$out/elsewhere" "$lab/netlab.d"
	run netlab import kathara "$lab" --name "$LAB"
	[ "$status" -eq 1 ]
	[[ "$output" == *"netlab.d' is there and is not a directory (a symlink is never written through)"* ]]
	[ -z "$(ls -A "$out/elsewhere")" ]
}

@test "import: -o into a directory that is not there, and a lab directory named with a quote, fail cleanly" {
	run netlab import kathara "$BATS_TEST_TMPDIR/lab" -o "$BATS_TEST_TMPDIR/nowhere/x.ini" --name "$LAB"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot resolve"* ]]
	cp -r "$BATS_TEST_TMPDIR/lab" "$BATS_TEST_TMPDIR/';x"
	run netlab import kathara "$BATS_TEST_TMPDIR/';x" -o "$BATS_TEST_TMPDIR/y.ini" --name "$LAB"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"cannot be named in a topology file"* ]]
}
