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

@test "SIGKILL during a user's up at each phase, then down: nothing of the user's is left (state, processes but the holder's, which ends)" {
	for phase in namespaces veths addr-routes hosts machines commands complete; do
		: >"$BATS_TEST_TMPDIR/out"
		chmod 666 "$BATS_TEST_TMPDIR/out"
		setsid bash -c 'exec "$@" >"'"$BATS_TEST_TMPDIR/out"'" 2>&1' _ \
			runuser -u "${RL_USER}1" -- env XDG_RUNTIME_DIR="$RL_DIR/xdg1" \
			NETLAB_TEST_STOP_AFTER="$phase" "$RL_DIR/netlab" up "$RL_DIR/topologies/router-chain.ini" --name "$LAB" &
		pid=$!
		for _ in $(seq 300); do
			grep -q "test hook: stopped after $phase" "$BATS_TEST_TMPDIR/out" && break
			sleep 0.05
		done
		grep -q "test hook: stopped after $phase" "$BATS_TEST_TMPDIR/out"
		kill -KILL -- "-$pid" # the whole process group: outside and inside the user's namespaces
		wait "$pid" || true
		run as_user 1 netlab down "$LAB"
		echo "$phase: $output"
		[ "$status" -eq 0 ]
		[ -z "$(ls "$RL_DIR/xdg1/netlab/labs")" ]
		[ ! -e "$RL_DIR/xdg1/netlab/holder" ]
		for _ in $(seq 50); do
			[ -z "$(pgrep -r RSDT -u "${RL_USER}1" || true)" ] && break
			sleep 0.1
		done
		[ -z "$(pgrep -r RSDT -u "${RL_USER}1" || true)" ]
	done
}

@test "a user changes a running lab: set (a tbf limiter), link down and up, apply, capture, graph LAB, save; status prints the state where the user finds it and an nsenter command that enters a node" {
	w="$RL_DIR/$LAB.w" # the user's own directory: what the user writes goes there
	mkdir "$w"
	chown "${RL_USER}1" "$w"
	f="$w/lab.ini"
	sed "/^endpoints = ns1:veth1 ns2:veth2$/a rate = 10mbit" "$TOPOS/two-hosts.ini" >"$f"
	chmod a+r "$f"
	as_user 1 netlab up "$f" --name "$LAB"
	as_user 1 netlab set "$LAB" ns1-ns2 rate=50mbit
	run as_user 1 netlab exec "$LAB" ns1 -- tc qdisc show dev veth1
	[[ "$output" == *"tbf"*"rate 50Mbit"* ]]
	as_user 1 netlab link "$LAB" ns1-ns2 down
	run as_user 1 netlab status "$LAB"
	[[ "$output" == *"links down on purpose (netlab link): ns1-ns2"* ]]
	run as_user 1 netlab graph "$LAB"
	[[ "$output" == *"style=dashed"* ]]
	as_user 1 netlab link "$LAB" ns1-ns2 up
	# the state where the user sees it, and a way into a node from the user's own shell
	run as_user 1 netlab status "$LAB"
	echo "$output"
	[[ "$output" == *"(state in $RL_DIR/xdg1/netlab/labs/$LAB)"* ]]
	enter=$(sed -n '/^node ns1 /{n;s/^  enter: //p}' <<<"$output")
	[[ "$enter" == "nsenter --user=/proc/"*"/ns/user --net=/proc/"*"/root/run/netns/$LAB-ns1 --mount="*" --uts="* ]]
	run as_user 1 $enter -- sh -c 'hostname; ip -br addr show dev veth1'
	echo "$output"
	[[ "$output" == "ns1"$'\n'"veth1"*"192.168.1.1/24"* ]]
	# capture in a node, into a file of the user's
	as_user 1 netlab exec "$LAB" ns1 -- ping -c 3 -i 0.3 192.168.1.2 >/dev/null &
	as_user 1 netlab capture "$LAB" ns2:veth2 -c 2 -w "$w/$LAB.pcap" icmp
	wait
	[ "$(stat -c %U "$w/$LAB.pcap")" = "${RL_USER}1" ]
	[ "$(tcpdump -r "$w/$LAB.pcap" 2>/dev/null | grep -c 'ICMP echo')" -eq 2 ]
	# apply: ns2's address changes (and the file's test with it)
	sed -i 's/192\.168\.1\.2/192.168.1.3/g' "$f"
	as_user 1 netlab apply "$f" --name "$LAB"
	run as_user 1 netlab exec "$LAB" ns2 -- ip -br addr show dev veth2
	[[ "$output" == *"192.168.1.3/24"* ]]
	run as_user 1 netlab test "$LAB"
	echo "$output"
	[ "$status" -eq 0 ]
	as_user 1 netlab save "$LAB" -o "$w/saved"
	[ -s "$w/saved/$LAB.ini" ]
	as_user 1 netlab down "$LAB"
	rm -rf "$w"
}

@test "a user's memory and cpus: applied in a cgroup delegated to the user, else said not applied (here: as the machine allows)" {
	f="$RL_DIR/$LAB.ini"
	printf '[lab]\nname = %s\n[node a]\nmemory = 64M\ncpus = 0.5\n' "$LAB" >"$f"
	chmod a+r "$f"
	run as_user 1 netlab up "$f"
	echo "$output"
	[ "$status" -eq 0 ]
	if [[ "$output" == *"memory and cpus not applied"* ]]; then
		run as_user 1 netlab status "$LAB"
		[[ "$output" == *"  warning: memory and cpus not applied: "* ]]
	else # a delegated cgroup (a systemd user session): the node's is the limit
		run as_user 1 netlab exec "$LAB" a -- sh -c 'cat /sys/fs/cgroup$(cut -d: -f3 /proc/self/cgroup)/memory.max'
		[ "$output" = $((64 * 1024 * 1024)) ]
	fi
	as_user 1 netlab down "$LAB"
	rm -f "$f"
}

@test "a user builds an image in a store of their own, a node runs on it, it cannot be removed while used; root's store untouched" {
	command -v mmdebstrap >/dev/null || skip "no mmdebstrap (make deps)"
	img="${RUN_PREFIX}uimg$$"
	ls /var/lib/netlab/images >"$BATS_TEST_TMPDIR/root-images" 2>/dev/null || true
	# a TMPDIR the user may see but not write (as the suite's own in a clone of root's): not used
	mkdir -p -m 755 "$RL_DIR/root-tmp"
	run env TMPDIR="$RL_DIR/root-tmp" bash -c "$(declare -f as_user); as_user 1 netlab image build $img --packages iproute2,iputils-ping"
	echo "$output" | tail -5
	[ "$status" -eq 0 ]
	home=$(getent passwd "${RL_USER}1" | cut -d: -f6)
	[ -d "$home/.local/share/netlab/images/$img/rootfs" ]
	[ ! -e "$home/.local/share/netlab/images/$img/work" ]
	# root inside is the user outside; the image's other ids are the user's subordinate ids
	[ "$(stat -c %U "$home/.local/share/netlab/images/$img/rootfs/etc")" = "${RL_USER}1" ]
	run as_user 1 netlab image list
	[[ "$output" == *"$img "*"iproute2,iputils-ping"* ]]
	f="$RL_DIR/$LAB.ini"
	printf '[lab]\nname = %s\n[node a]\nimage = %s\neth0 = 10.9.0.1/24\n[node b]\neth0 = 10.9.0.2/24\n[link ab]\nendpoints = a:eth0 b:eth0\n' "$LAB" "$img" >"$f"
	chmod a+r "$f"
	as_user 1 netlab up "$f"
	run as_user 1 netlab exec "$LAB" a -- sh -c 'test -e /usr/bin/ping && ! test -e /usr/bin/bats && ping -c 1 -W 2 10.9.0.2'
	echo "$output"
	[ "$status" -eq 0 ]
	run as_user 1 netlab image rm "$img"
	[ "$status" -eq 1 ]
	[[ "$output" == *"lab $LAB uses image $img"* ]]
	as_user 1 netlab down "$LAB"
	as_user 1 netlab image rm "$img"
	[ ! -e "$home/.local/share/netlab/images/$img" ]
	diff "$BATS_TEST_TMPDIR/root-images" <(ls /var/lib/netlab/images 2>/dev/null || true)
	rm -f "$f"
}

@test "a user grades submissions (each up under a name of the user's own, checked, down) and opens a shell in a node" {
	w="$RL_DIR/$LAB.w"
	mkdir "$w"
	printf '[test reach]\nexpect = ns1 -> ns2 reachable\n' >"$w/teacher.tests"
	cp "$TOPOS/two-hosts.ini" "$w/good.ini"
	sed 's/^veth2 = 192.168.1.2\/24$/veth2 = 192.168.2.2\/24/' "$TOPOS/two-hosts.ini" >"$w/wrong.ini"
	chown -R "${RL_USER}1" "$w"
	run as_user 1 sh -c "cd '$w' && '$RL_DIR/netlab' grade teacher.tests good.ini wrong.ini --report rep"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"2 submissions graded"* ]]
	[[ "$(sed -n 2p "$w/rep/report.csv")" == "good.ini,1,0,0,1,1,"* ]]
	[[ "$(sed -n 3p "$w/rep/report.csv")" == "wrong.ini,0,0,1,0,1,"*"not a valid lab"* ]]
	[ -z "$(ls "$RL_DIR/xdg1/netlab/labs")" ]
	as_user 1 netlab up "$w/good.ini" --name "$LAB"
	run as_user 1 netlab shell "$LAB" ns2 <<<'echo "in $(hostname)"; exit'
	echo "$output"
	[[ "$output" == *"in ns2"* ]]
	as_user 1 netlab down "$LAB"
	rm -rf "$w"
}

@test "a user's node is a boundary: root inside reads no file the user cannot, writes no machine-wide setting, makes no device, sees only the user's labs' processes" {
	as_user 1 netlab up topologies/two-hosts.ini --name "$LAB"
	run as_user 1 netlab exec "$LAB" ns1 -- sh -c '
		id -u
		cat /etc/shadow >/dev/null 2>&1 && echo "read /etc/shadow"
		cat /proc/1/root/etc/shadow >/dev/null 2>&1 && echo "read /etc/shadow through /proc/1/root"
		echo 5 2>/dev/null >/proc/sys/kernel/printk_ratelimit_burst && echo "wrote a sysctl"
		echo never 2>/dev/null >/sys/kernel/mm/transparent_hugepage/enabled && echo "wrote /sys"
		touch /usr/bin/netlab-test-x 2>/dev/null && echo "wrote /usr/bin"
		mknod /tmp/dev c 1 1 2>/dev/null && echo "made a device"
		ps -eo user=,comm= | sort -u'
	echo "$output"
	[ "${lines[0]}" = 0 ] # root inside
	[[ "$output" != *"read /etc/shadow"* ]]
	[[ "$output" != *"wrote"* ]]
	[[ "$output" != *"made a device"* ]]
	# the processes it sees: the holder and its own, all root inside (the user outside)
	[[ "$output" == *"netlab-holder"* ]]
	run ! grep -v '^root ' <<<"$(printf '%s\n' "${lines[@]:1}")"
	[ ! -e /usr/bin/netlab-test-x ]
	as_user 1 netlab down "$LAB"
}
