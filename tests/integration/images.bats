#!/usr/bin/env bats
# images.bats: node images built from Debian's packages with mmdebstrap (netlab image), and nodes
# that run them. One small image is built once for the file (setup_file: about 15 s and 250 MiB
# here) and removed after it (teardown_file); every test uses it.
load helpers
bats_require_minimum_version 1.5.0

IMAGE_PACKAGES=iproute2,iputils-ping,bind9,bind9-dnsutils,frr,bird2

setup_file() {
	[ "$(id -u)" = 0 ] || return 0
	export IMG="${RUN_PREFIX}img$$"
	"$NETLAB" image build "$IMG" --packages "$IMAGE_PACKAGES" >"$BATS_FILE_TMPDIR/build.out" 2>&1 ||
		{ cat "$BATS_FILE_TMPDIR/build.out" >&3; return 1; }
}

teardown_file() {
	if [ -n "${IMG:-}" ]; then "$NETLAB" image rm "$IMG" >/dev/null 2>&1 || true; fi
}

setup() {
	lab_setup
}

teardown() {
	lab_teardown
}

# No half-built image of name $1 is left in the store.
no_half_image() {
	[ -z "$(ls -A /var/lib/netlab/images | grep "^\.$1\." || true)" ]
}

@test "image build, list and the refusals: built already, no recipe, a bad package (nothing kept)" {
	run netlab image list
	[ "$status" -eq 0 ]
	[[ "$output" == *"$IMG"*" MiB built "*": $IMAGE_PACKAGES"* ]]
	run netlab image list --json
	[[ "$output" == *"\"name\":\"$IMG\""* ]]
	run netlab image build "$IMG" --packages iproute2
	[ "$status" -eq 1 ]
	[[ "$output" == *"image $IMG is built already"* ]]
	run netlab image build "${IMG}x"
	[ "$status" -eq 2 ]
	[[ "$output" == *"no recipe is called '${IMG}x' (base, frr)"* ]]
	run netlab image build "${IMG}bad" --packages iproute2,no-such-package-here
	[ "$status" -eq 1 ]
	[[ "$output" == *"mmdebstrap failed with exit status"* ]]
	[[ "$output" == *"image ${IMG}bad: nothing was kept"* ]]
	[ ! -e "/var/lib/netlab/images/${IMG}bad" ]
	no_half_image "${IMG}bad"
	run netlab image rm "${IMG}bad"
	[ "$status" -eq 2 ]
	run netlab image build "a b"
	[ "$status" -eq 2 ]
}

@test "an interrupted image build (SIGTERM) leaves nothing: no image, no directory, no mount" {
	"$NETLAB" image build "${IMG}int" --packages iproute2 >"$BATS_TEST_TMPDIR/out" 2>&1 &
	pid=$!
	for _ in $(seq 200); do
		grep -q "I: " "$BATS_TEST_TMPDIR/out" && break
		sleep 0.05
	done
	kill -TERM "$pid" # (a background job ignores SIGINT)
	rc=0
	wait "$pid" || rc=$?
	cat "$BATS_TEST_TMPDIR/out"
	[ "$rc" -ne 0 ]
	[[ "$(cat "$BATS_TEST_TMPDIR/out")" == *"interrupted by signal 15"* ]]
	[ ! -e "/var/lib/netlab/images/${IMG}int" ]
	no_half_image "${IMG}int"
	[ -z "$(grep " /var/lib/netlab/images/" /proc/self/mountinfo || true)" ]
}

@test "a build killed (SIGKILL): mmdebstrap stops with it, and the next image command removes what it left" {
	"$NETLAB" image build "${IMG}kill" --packages iproute2 >"$BATS_TEST_TMPDIR/out" 2>&1 &
	pid=$!
	for _ in $(seq 200); do
		grep -q "I: " "$BATS_TEST_TMPDIR/out" && break
		sleep 0.05
	done
	kill -KILL "$pid"
	wait "$pid" || true
	left=$(ls -A /var/lib/netlab/images | grep "^\.${IMG}kill\." || true)
	[ -n "$left" ]
	# mmdebstrap had netlab's death for a SIGTERM (it ends once its current step has) and holds the
	# store's lock until then: the next image command waits for it, then removes what it left
	run netlab image rm "${IMG}kill"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"removed '/var/lib/netlab/images/$left', left by a build or removal cut short"* ]]
	run ! pgrep -r RSDT -f "images/$left"
	no_half_image "${IMG}kill"
	[ -z "$(grep " /var/lib/netlab/images/" /proc/self/mountinfo || true)" ]
}

@test "a node with an image runs the image's programs (bind answers a client), a node without one the machine's" {
	mkdir -p "$BATS_TEST_TMPDIR/dns/etc/bind"
	printf 'zone "lab.test" { type master; file "/etc/bind/db.lab.test"; };\n' >"$BATS_TEST_TMPDIR/dns/etc/bind/named.conf.local"
	printf '$TTL 60\n@ IN SOA ns.lab.test. admin.lab.test. ( 1 60 60 60 60 )\n@ IN NS ns.lab.test.\nns IN A 10.9.0.1\nweb IN A 10.9.0.42\n' >"$BATS_TEST_TMPDIR/dns/etc/bind/db.lab.test"
	printf 'options { directory "/var/cache/bind"; listen-on { any; }; allow-query { any; }; recursion no; };\n' >"$BATS_TEST_TMPDIR/dns/etc/bind/named.conf.options"
	cat >"$BATS_TEST_TMPDIR/lab.ini" <<-INI
	[lab]
	name = $LAB
	[defaults]
	image = $IMG
	[node dns]
	eth0 = 10.9.0.1/24
	files = dns
	daemon = "named -f -u bind"
	[node client]
	eth0 = 10.9.0.2/24
	[node plain]
	eth0 = 10.9.0.3/24
	image = none
	[lan l]
	endpoints = dns:eth0 client:eth0 plain:eth0
	INI
	netlab up "$BATS_TEST_TMPDIR/lab.ini"
	[ "$(netlab exec "$LAB" client -- dig +short +tries=3 @10.9.0.1 web.lab.test)" = 10.9.0.42 ]
	netlab exec "$LAB" client -- test -x /usr/sbin/named
	# the node's root is the image's: the machine's files are out of its reach; its writes are its own
	netlab exec "$LAB" client -- sh -c 'echo mine >/etc/mine'
	[ -e "/run/netlab/$LAB/nodes/client/root/etc/mine" ]
	run netlab exec "$LAB" dns -- test -e /etc/mine
	[ "$status" -ne 0 ]
	[ ! -e "/var/lib/netlab/images/$IMG/rootfs/etc/mine" ]
	netlab exec "$LAB" client -- grep -q "10.9.0.1.*dns" /etc/hosts

	[ "$(netlab exec "$LAB" client -- hostname)" = client ]
	netlab exec "$LAB" client -- ping -c 1 -W 2 plain
	run netlab exec "$LAB" plain -- test -x /usr/sbin/named
	[ "$status" -ne 0 ] # the machine has no bind

	# resolves and http: queries netlab makes itself from the node (no dig, no curl)
	netlab exec "$LAB" client -- sh -c 'echo nameserver 10.9.0.1 >/etc/resolv.conf'
	netlab exec "$LAB" plain -- sh -c 'mkdir -p /tmp/www && echo hello >/tmp/www/index.html && busybox httpd -p 80 -h /tmp/www'
	cat >"$BATS_TEST_TMPDIR/more.tests" <<-'INI'
	[test dns]
	within = 10s
	expect = client resolves web.lab.test to 10.9.0.42, plain resolves web.lab.test to 10.9.0.42 via 10.9.0.1
	[test web]
	within = 10s
	expect = client http http://plain/ status 200 contains "hello", client http http://10.9.0.3:80/none status 404
	[test wrong]
	within = 0
	expect = client resolves web.lab.test to 10.9.0.43, plain resolves nope.lab.test to 10.9.0.42 via 10.9.0.1, client http http://plain/ status 200 contains "other", client http http://dns/ status 200
	INI
	run netlab test "$LAB" "$BATS_TEST_TMPDIR/more.tests"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"ok 1 - [dns] client resolves web.lab.test to 10.9.0.42"* ]]
	[[ "$output" == *"ok 2 - [dns] plain resolves web.lab.test to 10.9.0.42 via 10.9.0.1"* ]]
	[[ "$output" == *"ok 3 - [web] client http http://plain/ status 200 contains \"hello\""* ]]
	[[ "$output" == *"ok 4 - [web] client http http://10.9.0.3:80/none status 404"* ]]
	[[ "$output" == *"# seen: web.lab.test resolves to 10.9.0.42"* ]]
	[[ "$output" == *"# seen: the server answered NXDOMAIN (no such name)"* ]]
	[[ "$output" == *"# seen: status 200, but the page does not contain \"other\"; it begins: hello"* ]]
	[[ "$output" == *"# seen: no page: Connection refused"* ]]
	[[ "$output" == *"# lab $LAB: 4 passed, 4 failed"* ]]

	run netlab show "$BATS_TEST_TMPDIR/lab.ini"
	[[ "$output" == *"image $IMG"* ]]
	# image rm is refused while a lab uses it
	run netlab image rm "$IMG"
	[ "$status" -eq 1 ]
	[[ "$output" == *"lab $LAB uses image $IMG: take it down first"* ]]
	netlab down "$LAB"
	assert_nothing_left
	[ -d "/var/lib/netlab/images/$IMG/rootfs/usr" ]
}

@test "frr = FILE and bird = FILE in nodes with an image: the image's FRR and BIRD run, OSPF converges, netlab logs shows FRR's log; [lab] shared" {
	for r in 1 2; do
		printf 'hostname r%s\ninterface eth0\n ip ospf hello-interval 1\n ip ospf dead-interval 4\n ip ospf network point-to-point\nrouter ospf\n network 10.8.0.0/16 area 0\n' "$r" >"$BATS_TEST_TMPDIR/r$r.conf"
	done
	mkdir "$BATS_TEST_TMPDIR/sh"
	cat >"$BATS_TEST_TMPDIR/lab.ini" <<-INI
	[lab]
	name = $LAB
	shared = sh
	[defaults router]
	image = $IMG
	[node r1]
	kind = router
	eth0 = 10.8.12.1/24
	eth1 = 10.8.1.1/24
	frr = r1.conf
	[node r2]
	kind = router
	eth0 = 10.8.12.2/24
	eth1 = 10.8.2.1/24
	frr = r2.conf
	[link r1-r2]
	endpoints = r1:eth0 r2:eth0
	[lan s1]
	endpoints = r1:eth1
	[node b]
	kind = router
	image = $IMG
	eth0 = 10.8.2.2/24
	bird = b.conf
	[lan s2]
	endpoints = r2:eth1 b:eth0
	INI
	printf 'router id 10.8.2.2;\nprotocol device {}\nprotocol ospf v2 { area 0 { interface "eth0" { hello 1; dead 4; }; }; }\n' >"$BATS_TEST_TMPDIR/b.conf"
	netlab up "$BATS_TEST_TMPDIR/lab.ini"
	for _ in $(seq 60); do
		netlab exec "$LAB" r1 -- vtysh -c 'show ip route 10.8.2.0/24' 2>/dev/null | grep -q 'Known via "ospf"' && break
		sleep 0.5
	done
	netlab exec "$LAB" r1 -- vtysh -c 'show ip route 10.8.2.0/24' | grep -q 'Known via "ospf"'
	# bird = FILE in a node with an image: the image's BIRD, which the machine need not have
	run netlab exec "$LAB" b -- birdc show status
	[[ "$output" == *"Daemon is up and running"* ]]
	run netlab status "$LAB"
	[ "$status" -eq 0 ]
	run netlab logs "$LAB" r1
	[[ "$output" == *"WATCHFRR"* ]]
	# [lab] shared: every node's /shared, writable, the lab's directory itself (as Kathara's)
	netlab exec "$LAB" r1 -- sh -c 'echo from-r1 >/shared/note'
	[ "$(netlab exec "$LAB" r2 -- cat /shared/note)" = from-r1 ]
	[ "$(cat "$BATS_TEST_TMPDIR/sh/note")" = from-r1 ]
	netlab down "$LAB"
	assert_nothing_left
	# a node without an image on a machine without /shared: refused with the reason
	if [ ! -d /shared ]; then
		sed -i 's/^image = .*/image = none/' "$BATS_TEST_TMPDIR/lab.ini"
		run netlab up "$BATS_TEST_TMPDIR/lab.ini"
		[ "$status" -eq 1 ]
		[[ "$output" == *"this machine has no /shared directory"*"give the node an image"* ]]
		assert_nothing_left
	fi
}
