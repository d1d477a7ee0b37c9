#!/usr/bin/env bats
# cli.bats: validate, show, usage errors, --help, unknown commands. No root needed.
load helpers

@test "--help lists the commands and exits 0" {
	run netlab --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage: netlab"* ]]
	[[ "$output" == *"validate"* ]]
	[[ "$output" == *"show"* ]]
}

@test "no command: usage on stderr, exit 2" {
	run netlab
	[ "$status" -eq 2 ]
	[[ "$output" == *"usage: netlab"* ]]
}

@test "unknown command: clear message, exit 2" {
	run netlab frobnicate
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown command 'frobnicate'"* ]]
}

@test "commands match exactly, never by prefix" {
	run netlab val topologies/two-hosts.ini
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown command 'val'"* ]]
}

@test "unknown global option: exit 2" {
	run netlab --frob
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown option '--frob'"* ]]
}

@test "--version" {
	run netlab --version
	[ "$status" -eq 0 ]
	[[ "$output" == "netlab "* ]]
}

@test "command --help prints its synopsis, exit 0" {
	run netlab show --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"show FILE"* ]]
}

@test "every command has --help with its options, without root; options it does not take are refused" {
	local cmd
	for cmd in validate show up down list status exec shell logs set ping test; do
		run setpriv --reuid=65534 --regid=65534 --clear-groups "$NETLAB" "$cmd" --help
		[ "$status" -eq 0 ] || { echo "$cmd --help: status $status"; return 1; }
		[[ "$output" == "usage: netlab $cmd"* ]]
		[[ "$output" == *"-h, --help"* ]]
	done
	run netlab ping --help
	[[ "$output" == *"--count N"* && "$output" == *"--timeout SECONDS"* && "$output" == *"-4, -6"* ]]
	run netlab validate --json "$TOPOS/two-hosts.ini"
	[ "$status" -eq 2 ]
	[[ "$output" == *"validate: unknown option '--json'"* ]]
	run netlab ping --count
	[ "$status" -eq 2 ]
	[[ "$output" == *"option '--count' needs a value"* ]]
	run netlab show "$TOPOS/two-hosts.ini" --json
	[ "$status" -eq 0 ]
	[ "$(jq -r .lab <<<"$output")" = two-hosts ]
}

@test "validate accepts every shipped topology" {
	run netlab validate "$TOPOS"/*.ini
	[ "$status" -eq 0 ]
	[[ "$output" == *"two-hosts.ini: ok"* ]]
	[[ "$output" == *"router-chain.ini: ok"* ]]
	[[ "$output" == *"triangle.ini: ok"* ]]
}

@test "validate -q prints nothing on a good file" {
	run netlab validate -q "$TOPOS/two-hosts.ini"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "validate without a file: usage error" {
	run netlab validate
	[ "$status" -eq 2 ]
	[[ "$output" == *"no topology file given"* ]]
}

@test "validate a missing file, a directory, a dangling link: exit 2 with FILE: and the reason" {
	ln -s /nonexistent/x "$BATS_TEST_TMPDIR/dangling.ini"
	run netlab validate "$BATS_TEST_TMPDIR/dangling.ini"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$BATS_TEST_TMPDIR/dangling.ini: cannot read it: No such file or directory"* ]]
	run netlab validate "$BATS_TEST_TMPDIR"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$BATS_TEST_TMPDIR: cannot read it: Is a directory"* ]]
	run netlab validate /nonexistent/lab.ini
	[ "$status" -eq 2 ]
	[[ "$output" == *"/nonexistent/lab.ini: cannot read it: No such file or directory"* ]]
}

@test "validate reports every bad fixture with FILE:LINE and exit 2" {
	local f exp line want n=0 total
	total=$(ls "$ROOT"/tests/data/bad/*.ini | wc -l)
	for f in "$ROOT"/tests/data/bad/*.ini; do
		exp=$(head -n 1 "$f" | sed 's/^; expect: //')
		line=${exp%%: *}
		want=${exp#*: }
		run netlab validate "$f"
		[ "$status" -eq 2 ] || { echo "$f: status $status"; return 1; }
		if [ "$line" = 0 ]; then pre="$f: "; else pre="$f:$line: "; fi
		grep -F -- "$pre" <<<"$output" | grep -qF -- "$want" || { echo "$f: want '$pre...$want', got: $output"; return 1; }
		n=$((n + 1))
	done
	# every fixture was checked, and none went missing (136 when this was written)
	[ "$n" -eq "$total" ]
	[ "$n" -ge 136 ]
}

@test "validate reports every problem of a file in one run" {
	printf '[lab]\nname = x\n[node a]\nkind = blah\n[node a]\n[link l]\nendpoints = a:eth0 z:eth0\nmtu = 08\n' >"$BATS_TEST_TMPDIR/m.ini"
	run netlab validate "$BATS_TEST_TMPDIR/m.ini"
	[ "$status" -eq 2 ]
	[[ "$output" == *"m.ini:5: duplicate section [node a]"* ]]
	[[ "$output" == *"m.ini:4: [node a] kind: unknown kind 'blah'"* ]]
	[[ "$output" == *"m.ini:7: endpoint 'z:eth0' names an unknown node 'z'"* ]]
	[[ "$output" == *"m.ini:8: [link l] mtu: '08' is not a number"* ]]
}

@test "validate needs no root" {
	command -v setpriv >/dev/null || skip "setpriv not installed"
	[ "$(id -u)" = 0 ] || skip "already not root"
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$NETLAB" validate "$TOPOS/two-hosts.ini"
	[ "$status" -eq 0 ]
}

@test "show prints nodes, namespaces, addresses and routes" {
	run netlab show "$TOPOS/router-chain.ini"
	[ "$status" -eq 0 ]
	[[ "$output" == *"chain-h1"* ]]
	[[ "$output" == *"10.0.12.1/30,2001:db8:12::1/64"* ]]
	[[ "$output" == *"10.0.2.0/24"*"10.0.12.2"* ]]
}

@test "show --json has the documented shape" {
	run netlab show --json "$TOPOS/two-hosts.ini"
	[ "$status" -eq 0 ]
	[ "$(jq -r .lab <<<"$output")" = two-hosts ]
	[ "$(jq -r .netns_prefix <<<"$output")" = "" ]
	[ "$(jq -r '.nodes[0].netns' <<<"$output")" = ns1 ]
	[ "$(jq -r '.nodes[1].interfaces[0].addresses[0]' <<<"$output")" = 192.168.1.2/24 ]
	[ "$(jq -r '.nodes[0].interfaces[0].peer' <<<"$output")" = ns2:veth2 ]
	[ "$(jq -r '.links[0].endpoints | join(" ")' <<<"$output")" = "ns1:veth1 ns2:veth2" ]
}

@test "show --json of routes and kinds" {
	run netlab show --json "$TOPOS/router-chain.ini"
	[ "$status" -eq 0 ]
	[ "$(jq -r '.nodes[] | select(.name=="r1") | .kind' <<<"$output")" = router ]
	[ "$(jq -r '.nodes[] | select(.name=="h1") | .routes[0].dst' <<<"$output")" = default ]
	[ "$(jq -r '.nodes[] | select(.name=="h1") | .routes[1].via' <<<"$output")" = 2001:db8:1::1 ]
}

@test "show of an invalid file: the problems and exit 2" {
	run netlab show "$ROOT/tests/data/bad/dup-key.ini"
	[ "$status" -eq 2 ]
	[[ "$output" == *"duplicate key 'name'"* ]]
}

@test "show: unknown option and extra file are usage errors" {
	run netlab show --yaml "$TOPOS/two-hosts.ini"
	[ "$status" -eq 2 ]
	run netlab show "$TOPOS/two-hosts.ini" "$TOPOS/triangle.ini"
	[ "$status" -eq 2 ]
}

@test "show --json: LANs, switches, VLANs, impairment, commands" {
	run netlab show --json "$TOPOS/switch-vlans.ini"
	[ "$(jq -r '.nodes[] | select(.name=="s1") | .kind' <<<"$output")" = switch ]
	[ "$(jq -r '.nodes[] | select(.name=="s1") | .interfaces[] | select(.name=="p3") | .vlan' <<<"$output")" = 20 ]
	[ "$(jq -c '.nodes[] | select(.name=="s2") | .interfaces[] | select(.name=="up") | .trunk' <<<"$output")" = "[10,20]" ]
	[ "$(jq -r '.nodes[] | select(.name=="s2") | .stp' <<<"$output")" = true ]
	run netlab show --json "$TOPOS/wan-link.ini"
	[ "$(jq -r '.nodes[] | select(.name=="r2") | .interfaces[] | select(.name=="wan0") | .impairment' <<<"$output")" = "delay 20ms jitter 2ms loss 1% rate 10mbit" ]
	run netlab show --json "$TOPOS/lan-router.ini"
	[ "$(jq -r '.nodes[] | select(.name=="lan1") | .kind' <<<"$output")" = lan ]
	[ "$(jq -r '.nodes[] | select(.name=="h2") | .interfaces[0].peer' <<<"$output")" = lan1:port2 ]
}
