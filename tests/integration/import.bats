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
	[[ "$output" == *"netlab.d' is not a directory of its own (a symlink is never written through)"* ]]
	[ -z "$(ls -A "$out/elsewhere")" ]
	# and nothing else written: no topology, no temporary file or directory
	[ ! -e "$lab/netlab.ini" ]
	[ -z "$(ls -A "$lab" | grep -E -e '^\.netlab-import' -e '^netlab\.ini\.[A-Za-z0-9]{6}$' || true)" ]
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

# kathara_lab DIR LAB.CONF-TEXT [DEVICE STARTUP-TEXT]...: a small Kathara lab.
kathara_lab() {
	local d=$1
	mkdir -p "$d"
	printf '%b' "$2" >"$d/lab.conf"
	shift 2
	while [ $# -ge 2 ]; do
		printf '%b' "$2" >"$d/$1.startup"
		shift 2
	done
}

@test "import: what the topology would refuse stays in the scripts or is left out, noted: the topology always validates" {
	k=$BATS_TEST_TMPDIR/k
	long=$(head -c 10000 /dev/zero | tr '\0' d)
	kathara_lab "$k/many" 'a[0]="A"\nb[0]="A"\n' a "$(for i in $(seq 300); do echo "echo unconverted line $i"; done)\n"
	kathara_lab "$k/longdom" "a[0]=\"$long\"\nb[0]=\"$long\"\n"
	kathara_lab "$k/dupaddr" 'a[0]="A"\nb[0]="A"\nc[0]="A"\n' a 'ip addr add 10.0.0.1/24 dev eth0\n' \
		b 'ip addr add 10.0.0.1/24 dev eth0\n' c 'ip addr add 10.0.0.3/24 dev eth0\n'
	kathara_lab "$k/duproute" 'a[0]="A"\nb[0]="A"\n' \
		a 'ip addr add 10.0.0.1/24 dev eth0\nip route add 10.9.0.0/16 via 10.0.0.2\nip route add 10.9.0.0/16 via 10.0.0.2\n' \
		b 'ip addr add 10.0.0.2/24 dev eth0\n'
	kathara_lab "$k/samemac" 'a[0]="A/02:00:00:00:00:01"\nb[0]="A/02:00:00:00:00:01"\n'
	kathara_lab "$k/bcastmac" 'a[0]="A/ff:ff:ff:ff:ff:ff"\nb[0]="A"\n'
	kathara_lab "$k/netaddr" 'a[0]="A"\nb[0]="A"\n' a 'ifconfig eth0 10.0.0.0 netmask 255.255.255.0 up\n' \
		b 'ifconfig eth0 10.0.0.2 netmask 255.255.255.0 up\n'
	kathara_lab "$k/desc" 'LAB_DESCRIPTION="abc\\\\"\na[0]="A"\nb[0]="A"\n'
	kathara_lab "$k/mcast" 'a[0]="A"\nb[0]="A"\n' a 'ip addr add 230.0.0.1/24 dev eth0\n' b 'ip addr add 230.0.0.2/24 dev eth0\n'
	for lab in many longdom dupaddr duproute samemac bcastmac netaddr desc mcast; do
		run --separate-stderr netlab import kathara "$k/$lab" --name "$LAB"
		echo "$lab: $status $output $stderr"
		[ "$status" -eq 0 ]
		netlab validate "$k/$lab/netlab.ini"
	done
	# what was left out says why
	run --separate-stderr netlab import kathara "$k/dupaddr" --name "$LAB"
	[[ "$stderr" == *"b: its addresses, routes and sysctls not converted (they stay in its startup script): the topology refused one: address 10.0.0.1 of b:eth0 is already used by a:eth0"* ]]
	grep -qx 'ip addr add 10.0.0.1/24 dev eth0' "$k/dupaddr/netlab.d/b.startup"
	grep -qx 'eth0 = 10.0.0.3/24' "$k/dupaddr/netlab.ini"
	run --separate-stderr netlab import kathara "$k/samemac" --name "$LAB"
	[[ "$stderr" == *"the MAC address of a[0] not converted: the topology refused it: [link a-2] both ends have the same MAC address"* ]]
	# no line over 1000 bytes; the description without its backslash
	[ "$(awk 'length > 1000' "$k"/*/netlab.ini | wc -l)" -eq 0 ]
	grep -qx 'description = abc' "$k/desc/netlab.ini"
	# a lab.conf without devices: refused, nothing written
	kathara_lab "$k/nodev" 'LAB_NAME="x"\n'
	run netlab import kathara "$k/nodev" --name "$LAB"
	[ "$status" -eq 2 ]
	[[ "$output" == *"lab.conf names no device: nothing to import"* ]]
	[ "$(ls -A "$k/nodev")" = lab.conf ]
}

@test "import: SIGINT or SIGTERM once the files are written (held until then): nothing of the import is left, an earlier import untouched" {
	lab=$BATS_TEST_TMPDIR/lab
	for sig in INT TERM HUP; do
		kill_at import-written "$sig" import kathara "$lab" --name "$LAB"
		cat "$BATS_TEST_TMPDIR/out"
		[ "$UP_STATUS" -eq 1 ]
		grep -q "import: interrupted: nothing was written" "$BATS_TEST_TMPDIR/out"
		[ "$(ls -A "$lab" | sort | tr '\n' ' ')" = "lab.conf pc1.startup pc2.startup r1 r1.startup r2 r2.startup " ]
	done
	netlab import kathara "$lab" --name "$LAB"
	cp "$lab/netlab.ini" "$BATS_TEST_TMPDIR/before.ini"
	kill_at import-written TERM import kathara "$lab" --name "${LAB}x"
	[ "$UP_STATUS" -eq 1 ]
	cmp "$lab/netlab.ini" "$BATS_TEST_TMPDIR/before.ini"
	[ -z "$(ls -A "$lab" | grep -E -e '^\.netlab-import' -e '^netlab\.ini\.' || true)" ]
}

@test "import: Quagga-only lines FRR rejects are left out, noted; shared.startup and etc/network/interfaces are read; /sbin paths and bind's old name; the lab comes up" {
	command -v vtysh >/dev/null || skip "frr not installed (make deps)"
	k=$BATS_TEST_TMPDIR/k
	kathara_lab "$k" 'r1[0]="A"\nr1[1]="B"\npc1[0]="A"\npc2[0]="B"\n' \
		r1 '/sbin/ifconfig eth0 10.1.0.1 netmask 255.255.255.0 up\n/usr/sbin/ifconfig eth1 10.2.0.1/24 up\n/etc/init.d/quagga start\n' \
		pc1 '/etc/init.d/networking restart\n' \
		pc2 'ip addr add 10.2.0.53/24 dev eth0\nroute add default gw 10.2.0.1\n/etc/init.d/bind start\n' \
		shared 'systemctl start nothing-here\n'
	mkdir -p "$k/r1/etc/quagga" "$k/pc1/etc/network"
	printf 'zebra=yes\nospfd=yes\n' >"$k/r1/etc/quagga/daemons"
	printf 'hostname r1\n' >"$k/r1/etc/quagga/zebra.conf"
	printf 'debug ospf event\nsmux peer .1.3.6.1.4.1.3317.1.2.5 quagga_ospfd\nrouter ospf\n network 10.0.0.0/8 area 0\n' >"$k/r1/etc/quagga/ospfd.conf"
	printf 'auto eth0\niface eth0 inet static\n    address 10.1.0.10\n    netmask 255.255.255.0\n    gateway 10.1.0.1\n' >"$k/pc1/etc/network/interfaces"
	run --separate-stderr netlab import kathara "$k" --name "$LAB"
	echo "$output$stderr"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"r1/etc/quagga/ospfd.conf: 'smux peer .1.3.6.1.4.1.3317.1.2.5 quagga_ospfd' not converted: FRR rejects it (Unknown command)"* ]]
	run grep -c smux "$k/netlab.d/r1.frr.conf"
	[ "$output" = 0 ]
	grep -qx 'eth0 = 10.1.0.10/24' "$k/netlab.ini"
	grep -qx 'gateway = 10.1.0.1' "$k/netlab.ini"
	grep -qx 'eth1 = 10.2.0.1/24' "$k/netlab.ini"
	grep -qx 'service named start' "$k/netlab.d/pc2.startup"
	grep -qx 'service nothing-here start' "$k/netlab.d/pc1.startup"
	# it comes up: the failing service lines are warnings; pc1 reaches pc2 through r1
	run --separate-stderr netlab up "$k/netlab.ini"
	echo "$output$stderr"
	[ "$status" -eq 0 ]
	[[ "$output" == *"warning"* ]]
	netlab exec "$LAB" pc1 -- ping -c 1 -W 2 10.2.0.53
	netlab down "$LAB"
}
