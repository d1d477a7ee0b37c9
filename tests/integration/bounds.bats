#!/usr/bin/env bats
# bounds.bats: what a lab, a node or an input file may consume is bounded (issue 27): the nodes'
# layers and the daemons' logs are tmpfs of a size of the lab's own (layers-size, logs-size), a
# command's kept output is capped, small files cannot make validate eat the machine, and a node
# cannot write the machine's sysctls.
load helpers
bats_require_minimum_version 1.5.0

setup() {
	lab_setup
}

teardown() {
	lab_teardown
}

# two_hosts FILE [KEY = VALUE lines for [lab]] [-- lines for node a]: a and b on one link.
two_hosts() {
	local f=$1 in_a=
	shift
	printf '[lab]\nname = %s\nnetns-prefix = %s-\n' "$LAB" "$LAB" >"$f"
	for line in "$@"; do
		if [ "$line" = -- ]; then
			printf '[node a]\neth0 = 10.91.0.1/24\n' >>"$f"
			in_a=1
			continue
		fi
		printf '%s\n' "$line" >>"$f"
	done
	[ -n "$in_a" ] || printf '[node a]\neth0 = 10.91.0.1/24\n' >>"$f"
	printf '[node b]\neth0 = 10.91.0.2/24\n[link l]\nendpoints = a:eth0 b:eth0\n' >>"$f"
}

@test "a node writing without end fills the lab's layers-size, not the machine: ENOSPC in the node, the other node still writes what is left" {
	two_hosts "$BATS_TEST_TMPDIR/l.ini" "layers-size = 8M"
	netlab up "$BATS_TEST_TMPDIR/l.ini"
	run netlab exec "$LAB" a -- dd if=/dev/zero of=/tmp/fill bs=1M count=64
	[ "$status" -ne 0 ]
	[[ "$output" == *"No space left on device"* ]]
	size=$(stat -c %s "/run/netlab/$LAB/nodes/a/root/tmp/fill")
	[ "$size" -le $((8 * 1024 * 1024)) ]
	run netlab exec "$LAB" b -- sh -c 'echo hi >/tmp/x'
	[ "$status" -ne 0 ] # the lab's bound is shared by its nodes: full is full
	netlab exec "$LAB" a -- rm /tmp/fill
	netlab exec "$LAB" b -- sh -c 'echo hi >/tmp/x'
	[ "$(df --output=size -B1M "/run/netlab/$LAB/nodes" | tail -1 | tr -d ' ')" = 8 ]
	netlab down "$LAB"
	assert_nothing_left
}

@test "the default layers-size is 1 GiB and logs-size 64 MiB; apply resizes them, and refuses less than what is written" {
	two_hosts "$BATS_TEST_TMPDIR/l.ini"
	netlab up "$BATS_TEST_TMPDIR/l.ini"
	[ "$(df --output=size -B1M "/run/netlab/$LAB/nodes" | tail -1 | tr -d ' ')" = 1024 ]
	[ "$(df --output=size -B1M "/run/netlab/$LAB/nodes/.logs" | tail -1 | tr -d ' ')" = 64 ]
	two_hosts "$BATS_TEST_TMPDIR/l2.ini" "layers-size = 2G" "logs-size = 16M"
	run netlab apply "$BATS_TEST_TMPDIR/l2.ini"
	[ "$status" -eq 0 ]
	[[ "$output" == *"~ lab: layers-size 2048 MiB (was 1024), logs-size 16 MiB (was 64)"* ]]
	[ "$(df --output=size -B1M "/run/netlab/$LAB/nodes" | tail -1 | tr -d ' ')" = 2048 ]
	[ "$(df --output=size -B1M "/run/netlab/$LAB/nodes/.logs" | tail -1 | tr -d ' ')" = 16 ]
	netlab exec "$LAB" a -- dd if=/dev/zero of=/tmp/fill bs=1M count=20 status=none
	two_hosts "$BATS_TEST_TMPDIR/l3.ini" "layers-size = 10M"
	run netlab apply "$BATS_TEST_TMPDIR/l3.ini"
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot resize to a tmpfs of 10 MiB on '/run/netlab/$LAB/nodes' (layers-size)"* ]]
	[[ "$output" == *"apply: nothing was changed"* ]]
	[ "$(df --output=size -B1M "/run/netlab/$LAB/nodes" | tail -1 | tr -d ' ')" = 2048 ]
	netlab status "$LAB" # still up, whole
	netlab down "$LAB"
	assert_nothing_left
}

@test "a daemon logging without end fills the lab's logs-size, not /run: the nodes still write, logs says the log is full" {
	two_hosts "$BATS_TEST_TMPDIR/l.ini" "logs-size = 2M" -- 'daemon = "while :; do echo spamspamspamspam; done"'
	netlab up "$BATS_TEST_TMPDIR/l.ini"
	for _ in $(seq 100); do
		[ "$(stat -c %s "/run/netlab/$LAB/nodes/.logs/a.log")" -ge $((2 * 1024 * 1024 - 4096)) ] && break
		sleep 0.1
	done
	[ "$(stat -c %s "/run/netlab/$LAB/nodes/.logs/a.log")" -le $((2 * 1024 * 1024)) ]
	run netlab logs "$LAB" a
	[ "$status" -eq 0 ]
	[[ "$output" == *"spamspamspamspam"* ]]
	[[ "$output" == *"the logs of lab $LAB are full ([lab] logs-size = 2 MiB)"* ]]
	netlab exec "$LAB" a -- sh -c 'echo hi >/tmp/x'
	netlab status "$LAB"
	netlab down "$LAB"
	assert_nothing_left
}

@test "an exec printing 3 MiB before it fails: up shows its first and last 512 KiB and says how much was cut" {
	two_hosts "$BATS_TEST_TMPDIR/l.ini" -- "exec = \"echo head-mark; head -c 3145728 /dev/zero | tr '\\0' x; echo; echo tail-mark; exit 3\""
	run --separate-stderr netlab up "$BATS_TEST_TMPDIR/l.ini"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"failed with exit status 3; its output:"* ]]
	[[ "$stderr" == *head-mark* ]]
	[[ "$stderr" == *tail-mark* ]]
	[[ "$stderr" == *"[netlab: 2097173 bytes of output cut here]"* ]]
	[ "${#stderr}" -lt $((1024 * 1024 + 4096)) ]
	assert_nothing_left
}

@test "the sizes are checked: a bad layers-size or logs-size is refused with its line" {
	two_hosts "$BATS_TEST_TMPDIR/l.ini" "layers-size = 0M" "logs-size = 12"
	run netlab validate "$BATS_TEST_TMPDIR/l.ini"
	[ "$status" -eq 2 ]
	[[ "$output" == *"l.ini:4: invalid layers-size '0M': a size from 1M to 1024G"* ]]
	[[ "$output" == *"l.ini:5: invalid logs-size '12': a size from 1M to 1024G"* ]]
	two_hosts "$BATS_TEST_TMPDIR/l.ini" "layers-size = 1025G"
	run netlab validate "$BATS_TEST_TMPDIR/l.ini"
	[ "$status" -eq 2 ]
	[[ "$output" == *"invalid layers-size '1025G'"* ]]
}

@test "validate of a small file of LAN ranges naming missing nodes: ranges stop at 50000 links, 1000 problems shown, the rest counted" {
	f=$BATS_TEST_TMPDIR/v.ini
	{
		printf '[lab]\nname = %s\n[node a]\n' "$LAB"
		for i in $(seq 200); do printf '[lan s%d]\nendpoints = h[1-9999]:eth%d\n' "$i" "$i"; done
	} >"$f"
	[ "$(stat -c %s "$f")" -lt 8000 ]
	run --separate-stderr netlab validate "$f"
	[ "$status" -eq 2 ]
	[ "$(printf '%s\n' "$stderr" | grep -c "names an unknown node")" -eq 1000 ]
	[[ "$stderr" == *"netlab: $f: 50190 problems found (the first 1000 shown)"* ]]
	# the bound leaves big LANs alone: 9999 members in one, and 5 such
	{
		printf '[lab]\nname = %s\n' "$LAB"
		printf '[node h%d]\n' $(seq 9999)
		for i in $(seq 5); do printf '[lan s%d]\nendpoints = h[1-9999]:eth%d\n' "$i" "$i"; done
	} >"$f"
	run netlab validate "$f"
	[ "$status" -eq 0 ]
	[[ "$output" == *"10004 nodes, 49995 links"* ]]
}

@test "a matches pattern that would compile to gigabytes, or a back-reference, is refused by validate" {
	two_hosts "$BATS_TEST_TMPDIR/l.ini"
	cat >>"$BATS_TEST_TMPDIR/l.ini" <<'EOT'
[test big]
expect = a runs "echo" matches "((a{1,100}){1,100}){1,100}"
[test back]
expect = a runs "echo" matches "(x)\1"
[test fine]
expect = a runs "echo" matches "(a{1,100}){1,100}"
EOT
	run netlab validate "$BATS_TEST_TMPDIR/l.ini"
	[ "$status" -eq 2 ]
	[[ "$output" == *"l.ini:11: [test big]"*"stands for more than 20000 pattern items"* ]]
	[[ "$output" == *"l.ini:13: [test back]"*"has a back-reference"* ]]
	[[ "$output" == *"2 problems found"* ]]
}

@test "in a node, /proc/sys is read-only but for the node's own net.*: the machine's sysctls cannot be written from a lab" {
	two_hosts "$BATS_TEST_TMPDIR/l.ini"
	netlab up "$BATS_TEST_TMPDIR/l.ini"
	before=$(cat /proc/sys/kernel/printk_ratelimit_burst)
	run netlab exec "$LAB" a -- sh -c "echo $((before + 1)) > /proc/sys/kernel/printk_ratelimit_burst"
	[ "$status" -ne 0 ]
	[[ "$output" == *"Read-only file system"* ]]
	[ "$(cat /proc/sys/kernel/printk_ratelimit_burst)" = "$before" ]
	# the node's own network settings stay writable, and are its own
	netlab exec "$LAB" a -- sysctl -q -w net.ipv4.conf.eth0.forwarding=1
	[ "$(netlab exec "$LAB" a -- cat /proc/sys/net/ipv4/conf/eth0/forwarding)" = 1 ]
	[ "$(netlab exec "$LAB" b -- cat /proc/sys/net/ipv4/conf/eth0/forwarding)" = 0 ]
	netlab down "$LAB"
	assert_nothing_left
}

@test "netlab logs copies a log larger than 64 MiB (logs-size may be more): no 'File too large'" {
	two_hosts "$BATS_TEST_TMPDIR/l.ini" "logs-size = 80M" -- 'daemon = "yes spamspamspam; sleep 600"'
	netlab up "$BATS_TEST_TMPDIR/l.ini"
	for _ in $(seq 100); do
		[ "$(stat -c %s "/run/netlab/$LAB/nodes/.logs/a.log")" -ge $((70 * 1024 * 1024)) ] && break
		sleep 0.1
	done
	size=$(stat -c %s "/run/netlab/$LAB/nodes/.logs/a.log")
	[ "$size" -gt $((64 * 1024 * 1024)) ]
	netlab logs "$LAB" a >"$BATS_TEST_TMPDIR/log" 2>"$BATS_TEST_TMPDIR/err"
	[ "$(stat -c %s "$BATS_TEST_TMPDIR/log")" -eq "$size" ]
	grep -q "the logs of lab $LAB are full" "$BATS_TEST_TMPDIR/err"
	rm "$BATS_TEST_TMPDIR/log"
	netlab down "$LAB"
	assert_nothing_left
}
