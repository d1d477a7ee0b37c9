#!/usr/bin/env bats
# lifecycle.bats: up, down, status, list, exec on real namespaces (root).
load helpers
bats_require_minimum_version 1.5.0

setup() {
	lab_setup
}

teardown() {
	lab_teardown
}

@test "two-hosts: the classic ip-netns example pings both ways" {
	f=$(lab_file "$TOPOS/two-hosts.ini")
	run netlab up "$f"
	[ "$status" -eq 0 ]
	[[ "$output" == *"lab $LAB is up: 2 nodes, 1 link"* ]]
	in_ns "$LAB-ns1" ping -c 1 -W 2 192.168.1.2
	in_ns "$LAB-ns2" ping -c 1 -W 2 192.168.1.1
}

@test "up pins namespaces as ip netns does and adds nothing to the host's namespace" {
	before=$(ip -o link show | awk -F': ' '{print $2}' | sort)
	f=$(lab_file "$TOPOS/router-chain.ini")
	netlab up "$f"
	ip netns list | grep -qx "$LAB-h1"
	ip netns list | grep -qx "$LAB-r2"
	ip -n "$LAB-r1" link show eth1 | grep -q "state UP"
	[ "$(ip -n "$LAB-h1" -4 -o addr show dev eth0 | awk '{print $4}')" = 10.0.1.10/24 ]
	after=$(ip -o link show | awk -F': ' '{print $2}' | sort)
	[ "$before" = "$after" ]
	mountpoint -q "/run/netns/$LAB-h1"
}

@test "router chain: h1 and h2 reach each other over IPv4 and IPv6, first packet at once" {
	f=$(lab_file "$TOPOS/router-chain.ini")
	netlab up "$f"
	in_ns "$LAB-h1" ping -c 1 -W 1 10.0.2.10
	in_ns "$LAB-h2" ping -c 1 -W 1 10.0.1.10
	# -W 1: an IPv6 first packet delayed by DAD or a late link-local would miss it
	in_ns "$LAB-h1" ping -6 -c 1 -W 1 2001:db8:2::10
	in_ns "$LAB-h2" ping -6 -c 1 -W 1 2001:db8:1::10
}

@test "routers forward, hosts do not" {
	f=$(lab_file "$TOPOS/router-chain.ini")
	netlab up "$f"
	[ "$(in_ns "$LAB-r1" cat /proc/sys/net/ipv4/ip_forward)" = 1 ]
	[ "$(in_ns "$LAB-r1" cat /proc/sys/net/ipv6/conf/all/forwarding)" = 1 ]
	[ "$(in_ns "$LAB-h1" cat /proc/sys/net/ipv4/ip_forward)" = 0 ]
	[ "$(in_ns "$LAB-h1" cat /proc/sys/net/ipv6/conf/all/forwarding)" = 0 ]
}

# 70 routers write 280 sysctls: netlab's private proc instance is replaced four times on the way
# (sysctl.c); with NETLAB_TEST_SYSCTL_VIA_PROC the same writes go through /proc/sys.
@test "sysctls reach every node, through netlab's private proc and through /proc/sys" {
	netlab generate chain 70 --name "$LAB" >"$BATS_TEST_TMPDIR/c.ini"
	for via_proc in "" 1; do
		NETLAB_TEST_SYSCTL_VIA_PROC=$via_proc netlab up "$BATS_TEST_TMPDIR/c.ini"
		for k in $(seq 70); do
			run in_ns "$LAB-r$k" cat /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv6/conf/all/forwarding \
				/proc/sys/net/ipv6/conf/default/accept_dad /proc/sys/net/ipv4/ip_default_ttl
			[ "$(echo $output)" = "1 1 0 255" ] || { echo "r$k (via_proc=$via_proc): $output"; false; }
		done
		in_ns "$LAB-r1" ping -c 1 -W 2 -t 255 10.0.1.18 # r70's eth0: 4*(70-2)+2 = 274
		netlab down "$LAB"
	done
}

@test "sysctls: a node's own are set before its interfaces exist (conf.default holds for them), an interface's before it is up" {
	f=$BATS_TEST_TMPDIR/s.ini
	printf '[lab]\nname = %s\n[node a]\nsysctl.net.ipv6.conf.default.hop_limit = 33\nsysctl.net.ipv4.conf.eth0.rp_filter = 2\neth0 = 10.9.0.1/24\n[node b]\nsysctl.net.ipv6.conf.default.hop_limit = 44\neth0 = 10.9.0.2/24\n[link ab]\nendpoints = a:eth0 b:eth0\n' "$LAB" >"$f"
	netlab up "$f"
	[ "$(in_ns "$LAB-a" cat /proc/sys/net/ipv6/conf/eth0/hop_limit)" = 33 ]
	[ "$(in_ns "$LAB-a" cat /proc/sys/net/ipv4/conf/eth0/rp_filter)" = 2 ]
	[ "$(in_ns "$LAB-b" cat /proc/sys/net/ipv6/conf/eth0/hop_limit)" = 44 ]
	# both ways of bringing links up: a's after its interface's sysctl, b's as it was made
	in_ns "$LAB-a" ip -o link show eth0 | grep -q "state UP"
	in_ns "$LAB-b" ip -o link show lo | grep -q "LOOPBACK,UP"
	in_ns "$LAB-a" ping -c 1 -W 2 10.9.0.2
	# the network namespace's second pin, which down removes last, holds the same namespace
	[ "$(stat -L -c %i "/run/netlab/$LAB/ns/a.net")" = "$(stat -L -c %i "/run/netns/$LAB-a")" ]
	netlab down "$LAB"
}

@test "triangle: every host reaches every other host over IPv4 and IPv6" {
	f=$(lab_file "$TOPOS/triangle.ini")
	netlab up "$f"
	for a in 1 2 3; do
		for b in 1 2 3; do
			[ "$a" = "$b" ] && continue
			in_ns "$LAB-h$a" ping -c 1 -W 1 "10.$b.0.10"
			in_ns "$LAB-h$a" ping -6 -c 1 -W 1 "2001:db8:a$b::10"
		done
	done
}

@test "hostname inside each node is the node's" {
	f=$(lab_file "$TOPOS/router-chain.ini")
	sed -i 's/^\[node r2\]$/[node r2]\nhostname = core.example/' "$f"
	netlab up "$f"
	[ "$(netlab exec "$LAB" h1 -- hostname)" = h1 ]
	[ "$(netlab exec "$LAB" r2 -- hostname)" = core.example ]
	[ "$(hostname)" != h1 ]
}

@test "node names resolve through /etc/netns hosts, in netlab exec and ip netns exec" {
	f=$(lab_file "$TOPOS/router-chain.ini")
	netlab up "$f"
	netlab exec "$LAB" h1 -- ping -4 -c 1 -W 1 h2
	in_ns "$LAB-h2" ping -4 -c 1 -W 1 h1
	in_ns "$LAB-h2" getent ahostsv4 r1 | grep -q 10.0.1.1
	run ! grep -q "$LAB" /etc/hosts
}

@test "interop: ip netns exec and ip -n work on a netlab node" {
	f=$(lab_file "$TOPOS/two-hosts.ini")
	netlab up "$f"
	run ip netns exec "$LAB-ns1" ip -br addr show veth1
	[ "$status" -eq 0 ]
	[[ "$output" == *"192.168.1.1/24"* ]]
	ip -n "$LAB-ns2" route show | grep -q "192.168.1.0/24 dev veth2"
}

@test "interop: ip netns del by hand, status reports it, down still succeeds and leaves nothing" {
	f=$(lab_file "$TOPOS/router-chain.ini")
	netlab up "$f"
	ip netns del "$LAB-r1"
	run netlab status "$LAB"
	[ "$status" -eq 1 ]
	[[ "$output" == *"DEGRADED"* ]]
	[[ "$output" == *"node r1 (router): namespace $LAB-r1"*"MISSING"* ]]
	[[ "$output" == *"node h1 (host): namespace $LAB-h1"*": ok"* ]]
	[ "$(netlab status --json "$LAB" | jq -r '.nodes[] | select(.name=="r1") | .status')" = missing ]
	run netlab down "$LAB"
	[ "$status" -eq 0 ]
	assert_nothing_left
}

@test "status shows namespaces, inodes, interfaces, routes and processes" {
	f=$(lab_file "$TOPOS/router-chain.ini")
	netlab up "$f"
	"$NETLAB" exec "$LAB" h2 -- sleep 60 &
	for _ in $(seq 50); do netlab status --json "$LAB" | jq -e '.nodes[] | select(.name=="h2") | .processes | length > 0' >/dev/null && break; sleep 0.1; done
	run netlab status --json "$LAB"
	[ "$status" -eq 0 ]
	[ "$(jq -r .state <<<"$output")" = up ]
	ino=$(stat -L -c %i "/run/netns/$LAB-h1")
	[ "$(jq -r '.nodes[] | select(.name=="h1") | .inode' <<<"$output")" = "$ino" ]
	jq -e '.nodes[] | select(.name=="r1") | .interfaces[] | select(.name=="eth1" and .state=="UP") | .addresses | index("10.0.12.1/30")' <<<"$output"
	jq -e '.nodes[] | select(.name=="h1") | .routes[] | select(.dst=="default" and .via=="10.0.1.1")' <<<"$output"
	jq -e '.nodes[] | select(.name=="h2") | .processes[] | select(.comm=="sleep")' <<<"$output"
	run netlab status "$LAB"
	[[ "$output" == *"lab $LAB: up, 4 nodes, 3 links"* ]]
	[[ "$output" == *"process "*" sleep"* ]]
}

@test "down kills the processes running in the lab" {
	f=$(lab_file "$TOPOS/two-hosts.ini")
	netlab up "$f"
	"$NETLAB" exec "$LAB" ns1 -- sleep 300 &
	pid=$!
	for _ in $(seq 50); do [ "$(readlink /proc/$pid/ns/net)" != "$(readlink /proc/self/ns/net)" ] && break; sleep 0.1; done
	netlab down "$LAB"
	for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	run ! kill -0 "$pid"
}

@test "list shows the labs that are up; another user sees its own labs only, not root's" {
	f=$(lab_file "$TOPOS/two-hosts.ini")
	netlab up "$f"
	run netlab list
	[[ "$output" == *"$LAB"*"2"*"up"* ]]
	[ "$(netlab list --json | jq -r --arg l "$LAB" '.[] | select(.lab==$l) | .nodes')" = 2 ]
	run as_nobody "$NETLAB" list
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "no lab is up" ]
}

@test "exec passes the exit status and signals through; unknown node and lab are usage errors" {
	f=$(lab_file "$TOPOS/two-hosts.ini")
	netlab up "$f"
	run netlab exec "$LAB" ns1 -- sh -c 'exit 7'
	[ "$status" -eq 7 ]
	run netlab exec "$LAB" ns1 -- sh -c 'kill -TERM $$'
	[ "$status" -eq 143 ]
	run -127 netlab exec "$LAB" ns1 -- /nonexistent/cmd
	run netlab exec "$LAB" zz -- true
	[ "$status" -eq 2 ]
	[[ "$output" == *"lab $LAB has no node 'zz'"* ]]
	run netlab exec "${LAB}x" ns1 -- true
	[ "$status" -eq 2 ]
	[[ "$output" == *"lab ${LAB}x is not up"* ]]
}

@test "exec sees the node's own /sys" {
	f=$(lab_file "$TOPOS/two-hosts.ini")
	netlab up "$f"
	run netlab exec "$LAB" ns1 -- ls /sys/class/net
	[[ "$output" == *veth1* ]]
	[[ "$output" != *veth2* ]]
}

@test "two labs at once with the same node names but different prefixes" {
	LAB2="${LAB}b"
	LABS+=("$LAB2")
	f1=$(lab_file "$TOPOS/two-hosts.ini")
	cp "$f1" "$BATS_TEST_TMPDIR/one.ini"
	sed -e "s/^name = .*/name = $LAB2/" -e "s/^netns-prefix = .*/netns-prefix = $LAB2-/" "$f1" >"$BATS_TEST_TMPDIR/two.ini"
	netlab up "$BATS_TEST_TMPDIR/one.ini"
	netlab up "$BATS_TEST_TMPDIR/two.ini"
	in_ns "$LAB-ns1" ping -c 1 -W 1 192.168.1.2
	in_ns "$LAB2-ns1" ping -c 1 -W 1 192.168.1.2
	netlab down "$LAB"
	in_ns "$LAB2-ns2" ping -c 1 -W 1 192.168.1.1
	[ -z "$(ip netns list | grep "^$LAB-" || true)" ]
}

@test "another lab's up leaves this lab's pins private: a node added to it later is pinned" {
	# up once made every mount under /run/netlab shared (MS_REC), other labs' private pin mounts
	# too; a mount namespace cannot be pinned on a shared mount (EINVAL), so two ups at once failed
	LAB2="${LAB}b"
	LABS+=("$LAB2")
	f1=$(lab_file "$TOPOS/two-hosts.ini")
	sed -e "s/^name = .*/name = $LAB2/" -e "s/^netns-prefix = .*/netns-prefix = $LAB2-/" "$f1" >"$BATS_TEST_TMPDIR/two.ini"
	netlab up "$f1"
	netlab up "$BATS_TEST_TMPDIR/two.ini"
	[ "$(findmnt -n -o PROPAGATION "/run/netlab/$LAB/ns")" = private ]
	[ "$(findmnt -n -o PROPAGATION "/run/netlab/$LAB/nodes")" = private ]
	printf '\n[node ns3]\n' >>"$f1"
	netlab apply "$f1"
	netlab exec "$LAB" ns3 -- true
}

@test "up twice: the second says so and changes nothing; a different file is refused" {
	f=$(lab_file "$TOPOS/two-hosts.ini")
	netlab up "$f"
	ino=$(stat -L -c %i "/run/netns/$LAB-ns1")
	run netlab up "$f"
	[ "$status" -eq 0 ]
	[[ "$output" == *"lab $LAB is already up: nothing changed"* ]]
	[ "$(stat -L -c %i "/run/netns/$LAB-ns1")" = "$ino" ]
	echo "; a change" >>"$f"
	run netlab up "$f"
	[ "$status" -eq 1 ]
	[[ "$output" == *"already up with a different topology"* ]]
}

@test "down twice, and down by file" {
	f=$(lab_file "$TOPOS/two-hosts.ini")
	netlab up "$f"
	run netlab down "$f"
	[ "$status" -eq 0 ]
	[[ "$output" == *"lab $LAB is down"* ]]
	run netlab down "$LAB"
	[ "$status" -eq 0 ]
	[[ "$output" == *"lab $LAB is not up"* ]]
}

@test "a namespace netlab did not create is refused, survives, and nothing of the lab is left" {
	ip netns add "$LAB-ns2"
	f=$(lab_file "$TOPOS/two-hosts.ini")
	run netlab up "$f"
	[ "$status" -eq 1 ]
	[[ "$output" == *"namespace '$LAB-ns2' (node ns2) already exists and is not part of lab $LAB"* ]]
	ip netns list | grep -qx "$LAB-ns2"
	[ -z "$(ip netns list | awk '{print $1}' | grep -x "$LAB-ns1")" ]
	[ ! -e "/run/netlab/$LAB" ]
	run netlab down "$LAB"
	ip netns list | grep -qx "$LAB-ns2"
	ip netns del "$LAB-ns2"
}

@test "a kernel refusal during up names the object and the reason, and rolls everything back" {
	f=$(lab_file "$TOPOS/router-chain.ini")
	sed -i 's/^\[node r2\]$/[node r2]\nsysctl.net.ipv4.no_such_sysctl = 1/' "$f"
	run netlab up "$f"
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot set sysctl net.ipv4.no_such_sysctl = 1 in node r2: No such file or directory"* ]]
	assert_nothing_left
}

@test "SIGKILL after each phase of up, then down leaves nothing" {
	netlab generate chain 100 --name "$LAB" >"$BATS_TEST_TMPDIR/c.ini"
	for phase in $UP_PHASES; do
		kill_up_at "$phase" KILL
		[ "$UP_STATUS" -eq 137 ]
		run netlab up "$BATS_TEST_TMPDIR/c.ini"
		[ "$status" -eq 1 ]
		[[ "$output" == *"lab $LAB was left half made by an interrupted up: run 'netlab down $LAB' first"* ]]
		run netlab down "$LAB"
		[ "$status" -eq 0 ]
		assert_nothing_left
	done
}

@test "SIGTERM and SIGINT after each phase of up roll back by themselves" {
	netlab generate chain 100 --name "$LAB" >"$BATS_TEST_TMPDIR/c.ini"
	for phase in $UP_PHASES; do
		for sig in TERM INT; do
			kill_up_at "$phase" "$sig"
			[ "$UP_STATUS" -eq 1 ]
			grep -q "interrupted: removing what was created" "$BATS_TEST_TMPDIR/out"
			assert_nothing_left
		done
	done
}

@test "SIGINT and SIGTERM after the journal says complete: the lab is up, and up says so with exit 0" {
	netlab generate chain 10 --name "$LAB" >"$BATS_TEST_TMPDIR/c.ini"
	for sig in INT TERM; do
		kill_up_at complete "$sig"
		cat "$BATS_TEST_TMPDIR/out"
		[ "$UP_STATUS" -eq 0 ]
		grep -q "lab $LAB is up" "$BATS_TEST_TMPDIR/out"
		grep -q "came after the lab was up: it stays up" "$BATS_TEST_TMPDIR/out"
		run netlab status "$LAB"
		echo "$output"
		[ "$status" -eq 0 ]
		netlab down "$LAB"
		assert_nothing_left
	done
}

@test "not root, no subordinate ids: up says what to add, and the lab runs with the user's id alone, in namespaces of its own; down leaves nothing" {
	command -v setpriv >/dev/null || skip "setpriv not installed"
	run as_nobody "$NETLAB" up "$TOPOS/two-hosts.ini" --name "$LAB"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"you have no subordinate ids (a line NAME:START:COUNT for you in /etc/subuid and /etc/subgid, and Debian's uidmap package)"* ]]
	[[ "$output" == *"lab $LAB is up: 2 nodes, 1 link"* ]]
	run as_nobody "$NETLAB" ping "$LAB"
	echo "$output"
	[ "$status" -eq 0 ]
	run as_nobody "$NETLAB" exec "$LAB" ns1 -- id -u
	[ "$output" = 0 ]
	# none of it in root's view: no pin, no state
	[ -z "$(ls /run/netns | grep "^$LAB-" || true)" ]
	[ ! -e "/run/netlab/$LAB" ]
	[ -d "$NOBODY_XDG/netlab/labs/$LAB" ]
	holder=$(cut -d' ' -f1 "$NOBODY_XDG/netlab/holder")
	[ "$(cat "/proc/$holder/comm")" = netlab-holder ]
	run as_nobody "$NETLAB" down "$LAB"
	[ "$status" -eq 0 ]
	[ ! -e "$NOBODY_XDG/netlab/labs/$LAB" ]
	[ ! -e "$NOBODY_XDG/netlab/holder" ] # the last lab gone, the holder ends
	for _ in $(seq 50); do pgrep -r RSDT -x netlab-holder -u 65534 >/dev/null || break; sleep 0.1; done
	run ! pgrep -r RSDT -x netlab-holder -u 65534
}

@test "shell: a shell inside the node, with the lab and node in its prompt and environment" {
	f=$(lab_file "$TOPOS/two-hosts.ini")
	netlab up "$f"
	run bash -c "printf 'echo node=\$NETLAB_NODE lab=\$NETLAB_LAB; hostname; ip -br link show veth2; exit 4\n' | SHELL=/bin/bash '$NETLAB' shell '$LAB' ns2 2>&1"
	[ "$status" -eq 4 ]
	[[ "$output" == *"node=ns2 lab=$LAB"* ]]
	[[ "$output" == *"[$LAB:ns2]"* ]]
	[[ "$output" == *"veth2"* ]]
	run netlab shell "$LAB" nosuchnode
	[ "$status" -eq 2 ]
}

@test "hostile journal lines (paths, PIDs netlab never writes) are ignored by down, which says so and touches nothing they name" {
	f=$(lab_file "$TOPOS/two-hosts.ini")
	netlab up "$f"
	victim="$BATS_TEST_TMPDIR/victim"
	echo keep >"$victim"
	printf 'netns ../..%s\nnetns ../../proc/1/ns/net\ndaemon ns1 1\ndaemon ns1 -1\netc ../../etc\n' "$victim" >>"/run/netlab/$LAB/journal"
	run netlab down "$LAB"
	[ "$status" -eq 0 ]
	[[ "$output" == *"has 5 lines netlab never writes"*"ignored: nothing they name is touched"* ]]
	[ "$(cat "$victim")" = keep ]
	[ -d /etc ]
	assert_nothing_left
}

@test "the state keeps secrets: topology.ini and daemon logs are 0600; commands inherit no stray descriptor" {
	f=$(lab_file "$TOPOS/two-hosts.ini")
	printf '[defaults]\ndaemon = ls -l /proc/self/fd/ ; exec sleep 600\n' >>"$f"
	sed -i 's/^daemon = \(.*\)$/daemon = "\1"/' "$f"
	chmod 600 "$f"
	netlab up "$f"
	[ "$(stat -c %a "/run/netlab/$LAB/topology.ini")" = 600 ]
	logs=(/run/netlab/"$LAB"/nodes/.logs/*.log)
	[ "${#logs[@]}" -eq 2 ]
	for log in "${logs[@]}"; do [ "$(stat -c %a "$log")" = 600 ]; done
	run netlab logs "$LAB" ns1
	echo "$output"
	# only stdin, stdout, stderr (and ls's own directory descriptor)
	[ "$(grep -c -- ' -> ' <<<"$output")" -le 4 ]
	[[ "$output" != *"/dev/null"*"/dev/null"* ]]
}

@test "a file named like a lab never stands for it: LAB|FILE is a file only with a '/' or a .ini suffix" {
	f=$(lab_file "$TOPOS/two-hosts.ini")
	netlab up "$f"
	# someone left a file called like the lab, declaring another lab, in the current directory
	mkdir "$BATS_TEST_TMPDIR/cwd"
	sed "s/^name = .*/name = ${LAB}x/" "$f" >"$BATS_TEST_TMPDIR/cwd/$LAB"
	cd "$BATS_TEST_TMPDIR/cwd"
	run netlab status "$LAB"
	[ "$status" -eq 0 ]
	[[ "$output" == "lab $LAB: up"* ]]
	run netlab down "${LAB}x"
	[ "$status" -eq 0 ]
	[[ "$output" == *"lab ${LAB}x is not up"* ]]
	run netlab status "./$LAB"
	[ "$status" -eq 2 ]
	[[ "$output" == *"lab ${LAB}x is not up"* ]]
	cp "$f" "$BATS_TEST_TMPDIR/cwd/lab.ini"
	run netlab status lab.ini
	[ "$status" -eq 0 ]
	netlab down "$LAB"
	assert_nothing_left
}

@test "locks: another user cannot lock or read a lab's state; a held lock is waited for, said, and given up" {
	f=$(lab_file "$TOPOS/two-hosts.ini")
	netlab up "$f"
	[ "$(stat -c %a "/run/netlab/$LAB")" = 700 ]
	run setpriv --reuid nobody --regid nogroup --clear-groups flock -n "/run/netlab/$LAB" true
	[ "$status" -ne 0 ]
	run setpriv --reuid nobody --regid nogroup --clear-groups cat "/run/netlab/$LAB/topology.ini"
	[ "$status" -ne 0 ]
	# root (another netlab, say) holds it: status waits, says so, and gives up after the timeout
	exec {holder}<"/run/netlab/$LAB"
	flock -x "$holder"
	NETLAB_LOCK_TIMEOUT=1 run netlab status "$LAB" {holder}<&- # its own lock, not the test's
	exec {holder}<&-
	[ "$status" -eq 1 ]
	[[ "$output" == *"waiting for lab $LAB: another netlab command holds its lock"* ]]
	[[ "$output" == *"gave up waiting for the lock of lab $LAB after 1 s"* ]]
	run netlab status "$LAB"
	[ "$status" -eq 0 ]
}

@test "a state an up left before writing anything (killed at once): status and list say half made, not damaged; down removes it" {
	mkdir -p /run/netlab
	mkdir "/run/netlab/$LAB"
	run netlab status "$LAB"
	[ "$status" -eq 1 ]
	[[ "$output" == *"lab $LAB was left half made by an up stopped as it began: run 'netlab down $LAB'"* ]]
	[[ "$output" != *"damaged"* ]]
	run netlab list
	[[ "$output" == *"$LAB "*"0        partial"* ]]
	netlab down "$LAB"
	assert_nothing_left
}
