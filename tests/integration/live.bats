#!/usr/bin/env bats
# live.bats: changing a running lab: links down and up (netlab link), apply, capture, graph.
load helpers
# Pings that must pass wait 3 s: a ping that failed on purpose while a link was down leaves the
# sender's neighbour entry resolving, retried once a second, so the first packet after `up` may
# wait up to a second for its ARP reply (the kernel's timing, as on a real network).

setup() { lab_setup; }
teardown() { lab_teardown; }

@test "link down: the static path fails, status says down on purpose; up restores addresses and routes" {
	f=$(lab_file "$TOPOS/router-chain.ini")
	netlab up "$f"
	in_ns "$LAB-h1" ping -c 1 -W 3 10.0.2.10
	netlab link "$LAB" r1-r2 down
	[[ "$(ip -n "$LAB-r1" -o link show eth1)" != *"UP"* ]]
	[[ "$(ip -n "$LAB-r2" -o link show eth0)" != *"UP"* ]]
	run in_ns "$LAB-h1" ping -c 1 -W 1 10.0.2.10
	[ "$status" -ne 0 ]
	run netlab status "$LAB"
	[ "$status" -eq 0 ]
	[[ "$output" == *"links down on purpose (netlab link): r1-r2"* ]]
	[[ "$output" == *"eth1             DOWN"*"(link down on purpose: netlab link)"* ]]
	run netlab status "$LAB" --json
	[[ "$output" == *'"links_down":["r1-r2"]'* ]]
	# the kernel removed the routes through it, and the IPv6 addresses
	[ -z "$(ip -n "$LAB-r1" route show 10.0.2.0/24)" ]
	[ -z "$(ip -n "$LAB-r1" -6 addr show dev eth1 scope global)" ]
	netlab link "$LAB" r1-r2 up
	[[ "$(ip -n "$LAB-r1" route show 10.0.2.0/24)" == *"via 10.0.12.2 dev eth1"* ]]
	[[ "$(ip -n "$LAB-r1" -6 route show 2001:db8:2::/64)" == *"via 2001:db8:12::2 dev eth1"* ]]
	[[ "$(ip -n "$LAB-r1" -6 addr show dev eth1 scope global)" == *"2001:db8:12::1/64"* ]]
	in_ns "$LAB-h1" ping -c 1 -W 3 10.0.2.10
	in_ns "$LAB-h1" ping -c 1 -W 3 2001:db8:2::10
	run netlab status "$LAB"
	[ "$status" -eq 0 ]
	[[ "$output" != *"on purpose"* ]]
	run netlab test "$LAB"
	[ "$status" -eq 0 ]
}

@test "link down by hand (ip) is a problem for status; netlab link up repairs it" {
	f=$(lab_file "$TOPOS/router-chain.ini")
	netlab up "$f"
	ip -n "$LAB-r1" link set eth1 down
	ip -n "$LAB-r1" link set eth1 up
	run netlab status "$LAB"
	[ "$status" -eq 1 ]
	[[ "$output" == *"problem: route 10.0.2.0/24 via 10.0.12.2 missing"* ]]
	netlab link "$LAB" r1-r2 up
	run netlab status "$LAB"
	[ "$status" -eq 0 ]
}

@test "link down NODE: one end only; its peer has no carrier; the other links stay up" {
	f=$(lab_file "$TOPOS/router-chain.ini")
	netlab up "$f"
	netlab link "$LAB" r1-r2 down r2
	[[ "$(ip -n "$LAB-r2" -o link show eth0)" == *"state DOWN"* ]]
	[[ "$(ip -n "$LAB-r1" -o link show eth1)" == *"NO-CARRIER"*",UP"* ]]
	run netlab status "$LAB"
	[ "$status" -eq 0 ]
	[[ "$output" == *"eth1"*"(link peer down on purpose: netlab link)"* ]]
	in_ns "$LAB-h1" ping -c 1 -W 3 10.0.1.1
	run in_ns "$LAB-h1" ping -c 1 -W 1 10.0.2.10
	[ "$status" -ne 0 ]
	netlab link "$LAB" r1-r2 up r2
	in_ns "$LAB-h1" ping -c 1 -W 3 10.0.2.10
}

@test "link on a LAN: one member cut off, then the whole LAN; up puts every member back" {
	f=$(lab_file "$TOPOS/lan-router.ini")
	netlab up "$f"
	netlab link "$LAB" lan1 down h2
	run in_ns "$LAB-h1" ping -c 1 -W 1 10.0.0.12
	[ "$status" -ne 0 ]
	in_ns "$LAB-h1" ping -c 1 -W 3 10.0.0.13
	run netlab status "$LAB"
	[ "$status" -eq 0 ]
	[[ "$output" == *"links down on purpose (netlab link): lan1:h2"* ]]
	netlab link "$LAB" lan1 up h2
	in_ns "$LAB-h1" ping -c 1 -W 3 10.0.0.12
	netlab link "$LAB" lan1 down
	run in_ns "$LAB-h1" ping -c 1 -W 1 10.0.0.13
	[ "$status" -ne 0 ]
	netlab link "$LAB" lan1 up
	# the members' gateways came back with the LAN
	[[ "$(ip -n "$LAB-h3" route show default)" == *"via 10.0.0.1"* ]]
	in_ns "$LAB-h1" ping -c 1 -W 3 10.0.1.14
	in_ns "$LAB-h1" ping -c 1 -W 3 2001:db8::13
	run netlab status "$LAB"
	[ "$status" -eq 0 ]
}

@test "link flap: --times times down then up, with times; ends up; a signal ends it with the link up" {
	f=$(lab_file "$TOPOS/router-chain.ini")
	netlab up "$f"
	run netlab link "$LAB" r1-r2 flap --times 3 --interval 0.1
	[ "$status" -eq 0 ]
	[ "$(grep -c ' r1-r2 down$' <<<"$output")" -eq 3 ]
	[ "$(grep -c ' r1-r2 up$' <<<"$output")" -eq 3 ]
	in_ns "$LAB-h1" ping -c 1 -W 3 10.0.2.10
	"$NETLAB" link "$LAB" r1-r2 flap --times 2 --interval 30 >"$BATS_TEST_TMPDIR/flap" 2>&1 &
	pid=$!
	for _ in $(seq 100); do grep -q down "$BATS_TEST_TMPDIR/flap" && break; sleep 0.05; done
	kill -INT "$pid"
	st=0
	wait "$pid" || st=$?
	[ "$st" -eq 1 ]
	grep -q "interrupted: r1-r2 is up" "$BATS_TEST_TMPDIR/flap"
	in_ns "$LAB-h1" ping -c 1 -W 3 10.0.2.10
	run netlab status "$LAB"
	[ "$status" -eq 0 ]
}

@test "link: bad words, links and ends are usage errors that change nothing; down after link down leaves nothing" {
	f=$(lab_file "$TOPOS/router-chain.ini")
	netlab up "$f"
	run netlab link "$LAB" r1-r2 sideways
	[ "$status" -eq 2 ]
	run netlab link "$LAB" nolink down
	[ "$status" -eq 2 ]
	[[ "$output" == *"no link or LAN called 'nolink'"* ]]
	run netlab link "$LAB" r1-r2 down h2
	[ "$status" -eq 2 ]
	[[ "$output" == *"'h2' is not an end of r1-r2"* ]]
	run netlab link "$LAB" r1-r2 down --times 2
	[ "$status" -eq 2 ]
	run netlab link "$LAB" r1-r2 flap --count 2
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown option '--count'"* ]]
	run netlab set "$LAB" r1-r2 state=down
	[ "$status" -eq 2 ]
	in_ns "$LAB-h1" ping -c 1 -W 3 10.0.2.10
	netlab link "$LAB" r1-r2 down
	netlab down "$LAB"
	assert_nothing_left
}

@test "graph FILE: DOT that Graphviz parses, by an unprivileged user; nodes by kind, links with interfaces and addresses" {
	f=$(lab_file "$TOPOS/lan-router.ini")
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$NETLAB" graph /dev/stdin <"$f"
	[ "$status" -eq 0 ]
	dot=$output
	echo "$dot" | dot -Tcanon >/dev/null
	[ "$(grep -c '^	"[a-z0-9]*" \[shape=' <<<"$dot")" -eq 6 ]
	[ "$(grep -c ' -- ' <<<"$dot")" -eq 5 ]
	[[ "$dot" == *'"r1" [shape=ellipse'*'label="r1\n(router)"'* ]]
	[[ "$dot" == *'"lan1" [shape=box, style=filled, fillcolor="#555555"'* ]]
	[[ "$dot" == *'"r1" -- "h4" [label="r1-h4", taillabel="eth1\n10.0.1.1/24\n2001:db8:1::1/64", headlabel="eth0\n10.0.1.14/24\n2001:db8:1::14/64"]'* ]]
	[[ "$dot" == *'"h2" -- "lan1" [label="", taillabel="eth0\n10.0.0.12/24\n2001:db8::12/64"'* ]]
	run netlab graph "$f" --format mermaid
	[ "$status" -eq 0 ]
	[[ "$output" == *$'graph LR\n'* ]]
	[[ "$output" == *'n3(["r1 (router)"])'* ]]
	[[ "$output" == *'n3 ---|"eth1 10.0.1.1/24 2001:db8:1::1/64 — eth0 10.0.1.14/24 2001:db8:1::14/64"| n4'* ]]
	run netlab graph "$f" --format svg
	[ "$status" -eq 0 ]
	[[ "$output" == *"<svg"*"lan1"*"</svg>"* ]]
	run netlab graph "$f" --format tap
	[ "$status" -eq 2 ]
	run netlab graph "$TOPOS/../tests/data/bad/$(ls "$ROOT/tests/data/bad" | head -1)"
	[ "$status" -eq 2 ]
}

@test "graph of a running lab: a link down dashed red, an impaired one orange; the html page renders in Chromium" {
	f=$(lab_file "$TOPOS/router-chain.ini")
	sed -i '/^endpoints = h1:eth0 r1:eth0$/a rate = 10mbit' "$f"
	run netlab graph "$f"
	[[ "$output" == *'"r1" -- "r2" [label="r1-r2"'* ]]
	[[ "$output" != *'style=dashed'* ]]
	netlab up "$f"
	netlab link "$LAB" r1-r2 down r2
	run netlab graph "$LAB"
	[ "$status" -eq 0 ]
	[[ "$output" == *'"r1" -- "r2" [label="r1-r2\n(r2 down)"'*'style=dashed, color=red'* ]]
	[[ "$output" == *'"h1" -- "r1" [label="h1-r1\nh1: rate 10mbit; r1: rate 10mbit"'*'color=orange'* ]]
	run netlab graph "$LAB" --format mermaid
	[[ "$output" == *'n1 -.-|'*'(r2 down)"| n2'* ]]
	[[ "$output" == *'linkStyle 1 stroke:red'* ]]
	netlab graph "$LAB" --format html >"$BATS_TEST_TMPDIR/lab.html"
	grep -q '<td class="down">r2 down</td>' "$BATS_TEST_TMPDIR/lab.html"
	# one self-contained page: nothing fetched from elsewhere
	run grep -E '(src|href)=' "$BATS_TEST_TMPDIR/lab.html"
	[ "$status" -eq 1 ]
	browser() { timeout 120 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$BATS_TEST_TMPDIR/chromium" "$@" 2>/dev/null; }
	# What the page shows, asked of the rendered page itself: a probe script added to a copy of it
	# lists each node drawn in the window with a size and on top at its centre (what a person sees
	# there), and each edge's colour.
	sed 's|</body>|<script>window.addEventListener("load", function () {\
	var nodes = [], edges = [];\
	document.querySelectorAll("#graph g.node").forEach(function (g) {\
		var r = g.getBoundingClientRect(), top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);\
		if (r.width > 10 \&\& r.height > 10 \&\& r.right <= innerWidth \&\& r.bottom <= innerHeight \&\& top \&\& g.contains(top))\
			nodes.push(g.querySelector("title").textContent);\
	});\
	document.querySelectorAll("#graph g.edge path").forEach(function (p) {\
		edges.push(p.parentNode.querySelector("title").textContent + "=" + getComputedStyle(p).stroke);\
	});\
	document.body.setAttribute("data-nodes", nodes.sort().join(" "));\
	document.body.setAttribute("data-edges", edges.sort().join(";"));\
});</script>\n</body>|' "$BATS_TEST_TMPDIR/lab.html" >"$BATS_TEST_TMPDIR/probe.html"
	dom=$(browser --window-size=1000,3000 --dump-dom "file://$BATS_TEST_TMPDIR/probe.html")
	[[ "$dom" =~ data-rendered=\"([0-9]+)x([0-9]+)\" ]]
	[ "${BASH_REMATCH[1]}" -gt 200 ]
	[ "${BASH_REMATCH[2]}" -gt 300 ]
	[[ "$dom" =~ data-nodes=\"([^\"]*)\" ]]
	[ "${BASH_REMATCH[1]}" = "h1 h2 r1 r2" ]
	[[ "$dom" =~ data-edges=\"([^\"]*)\" ]]
	echo "${BASH_REMATCH[1]}"
	[[ ";${BASH_REMATCH[1]};" == *";r1--r2=rgb(255, 0, 0);"* ]]
	[[ ";${BASH_REMATCH[1]};" == *";h1--r1=rgb(255, 165, 0);"* ]]
}

# Starts `netlab capture ARGS...` in the background (its stderr in $BATS_TEST_TMPDIR/cap.err) and
# waits until it is capturing; CAP_PID is its PID.
start_capture() {
	"$NETLAB" capture "$@" 2>"$BATS_TEST_TMPDIR/cap.err" &
	CAP_PID=$!
	for _ in $(seq 100); do grep -q "capturing on" "$BATS_TEST_TMPDIR/cap.err" && return 0; sleep 0.05; done
	kill "$CAP_PID"
	cat "$BATS_TEST_TMPDIR/cap.err"
	return 1
}

@test "capture -w FILE -c N: a ping's ICMP packets with the right addresses, in pcap that tcpdump reads" {
	f=$(lab_file "$TOPOS/router-chain.ini")
	netlab up "$f"
	start_capture "$LAB" r1-r2 -c 2 -w "$BATS_TEST_TMPDIR/a.pcap" icmp
	in_ns "$LAB-h1" ping -c 1 -W 3 10.0.2.10
	st=0
	wait "$CAP_PID" || st=$?
	[ "$st" -eq 0 ]
	grep -q "capturing on r1:eth1 with filter icmp" "$BATS_TEST_TMPDIR/cap.err"
	grep -q "2 packets captured" "$BATS_TEST_TMPDIR/cap.err"
	run sh -c "tcpdump -n -r \"$BATS_TEST_TMPDIR/a.pcap\" 2>/dev/null"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" == *"IP 10.0.1.10 > 10.0.2.10: ICMP echo request"* ]]
	[[ "${lines[1]}" == *"IP 10.0.2.10 > 10.0.1.10: ICMP echo reply"* ]]
}

@test "capture to stdout feeds tcpdump -r - as packets come; Ctrl-C ends a capture cleanly with a whole file" {
	f=$(lab_file "$TOPOS/lan-router.ini")
	netlab up "$f"
	( "$NETLAB" capture "$LAB" lan1 -c 2 icmp 2>"$BATS_TEST_TMPDIR/cap.err" | tcpdump -n -r - >"$BATS_TEST_TMPDIR/read" 2>/dev/null ) &
	pipe=$!
	for _ in $(seq 100); do grep -q "capturing on" "$BATS_TEST_TMPDIR/cap.err" && break; sleep 0.05; done
	grep -q "capturing on lan1:br0" "$BATS_TEST_TMPDIR/cap.err"
	in_ns "$LAB-h1" ping -c 1 -W 3 10.0.0.13
	wait "$pipe"
	grep -q "IP 10.0.0.11 > 10.0.0.13: ICMP echo request" "$BATS_TEST_TMPDIR/read"
	grep -q "IP 10.0.0.13 > 10.0.0.11: ICMP echo reply" "$BATS_TEST_TMPDIR/read"
	start_capture "$LAB" h4:eth0 -w "$BATS_TEST_TMPDIR/b.pcap"
	in_ns "$LAB-h1" ping -c 2 -i 0.2 -W 1 10.0.1.14
	kill -INT "$CAP_PID"
	st=0
	wait "$CAP_PID" || st=$?
	[ "$st" -eq 0 ]
	[ "$(tcpdump -n -r "$BATS_TEST_TMPDIR/b.pcap" 2>/dev/null | grep -c "10.0.0.11 > 10.0.1.14: ICMP echo request")" -eq 2 ]
}

@test "capture: a bad filter, node, interface or link is a usage error; stdout on a terminal is refused" {
	f=$(lab_file "$TOPOS/router-chain.ini")
	netlab up "$f"
	run netlab capture "$LAB" r1-r2 -w "$BATS_TEST_TMPDIR/x" tcp port
	[ "$status" -eq 2 ]
	[[ "$output" == *"filter 'tcp port': "*"syntax error"* ]]
	run netlab capture "$LAB" zz:eth0 -w "$BATS_TEST_TMPDIR/x"
	[ "$status" -eq 2 ]
	run netlab capture "$LAB" r1:eth9 -w "$BATS_TEST_TMPDIR/x"
	[ "$status" -eq 2 ]
	[[ "$output" == *"node r1 has no interface 'eth9'"* ]]
	run netlab capture "$LAB" nolink -w "$BATS_TEST_TMPDIR/x"
	[ "$status" -eq 2 ]
	run script -qec "$NETLAB capture $LAB r1-r2" /dev/null
	[[ "$output" == *"stdout is a terminal"* ]]
	run netlab capture "$LAB" r1-r2 -c 0 -w "$BATS_TEST_TMPDIR/x"
	[ "$status" -eq 2 ]
}
