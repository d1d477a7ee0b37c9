#!/usr/bin/env bats
# grade.bats: one lab file run many times at once (up and test FILE --name, --netns-prefix), as a
# teacher grading a class does.
load helpers
bats_require_minimum_version 1.5.0

setup() {
	lab_setup
}

teardown() {
	netlab down "$LAB" >/dev/null 2>&1 || true
	lab_teardown
}

@test "up FILE --name, --netns-prefix: one file up twice at once, each lab its own namespaces; ping, test, apply and down each" {
	LAB2="${LAB}b"
	LABS+=("$LAB2")
	netlab up "$TOPOS/router-chain.ini" --name "$LAB"
	netlab up "$TOPOS/router-chain.ini" --name "$LAB2" --netns-prefix "${LAB2}_"
	[ "$(ls /run/netns | grep -c "^$LAB-")" -eq 4 ]
	[ "$(ls /run/netns | grep -c "^${LAB2}_")" -eq 4 ]
	[ -e "/run/netns/${LAB2}_r1" ]
	netlab ping "$LAB"
	netlab ping "$LAB2"
	run netlab status "$LAB2"
	[ "$status" -eq 0 ]
	[[ "$output" == *"namespace ${LAB2}_h1"* ]]
	# the same name with another prefix is another lab: refused, the running one untouched
	run netlab up "$TOPOS/router-chain.ini" --name "$LAB2"
	[ "$status" -eq 1 ]
	[[ "$output" == *"lab $LAB2 is already up with a different topology"* ]]
	run netlab up "$TOPOS/router-chain.ini" --name "$LAB2" --netns-prefix "${LAB2}_"
	[ "$status" -eq 0 ]
	[[ "$output" == *"lab $LAB2 is already up: nothing changed"* ]]
	run netlab apply "$TOPOS/router-chain.ini" --name "$LAB2" --netns-prefix "${LAB2}_"
	[ "$status" -eq 0 ]
	[[ "$output" == *"lab $LAB2: nothing to change"* ]]
	# test FILE --name: the running lab of that name, left up
	run netlab test "$TOPOS/router-chain.ini" --name "$LAB"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"# lab $LAB: "*" passed, 0 failed"* ]]
	netlab status "$LAB" >/dev/null
	netlab down "$LAB"
	netlab down "$LAB2"
	assert_nothing_left
	[ -z "$(ls /run/netns | grep "^${LAB2}_" || true)" ]
	[ ! -e "/run/netlab/$LAB2" ]
}

@test "test FILE --name on a lab that is not up: brought up under that name, checked, taken down" {
	run netlab test "$TOPOS/router-chain.ini" --name "$LAB" --netns-prefix "${LAB}_"
	[ "$status" -eq 0 ]
	[[ "$output" == *"# lab $LAB: "*" passed, 0 failed"* ]]
	[ ! -e "/run/netlab/$LAB" ]
	[ -z "$(ls /run/netns | grep "^${LAB}_" || true)" ]
}

@test "--name and --netns-prefix are checked as names in the file are; they go with a FILE only" {
	run netlab up "$TOPOS/router-chain.ini" --name "-x"
	[ "$status" -eq 2 ]
	[[ "$output" == *"'-x' is not a lab name"* ]]
	run netlab up "$TOPOS/router-chain.ini" --name "$LAB" --netns-prefix "a/b"
	[ "$status" -eq 2 ]
	[[ "$output" == *"'a/b' is not a namespace prefix"* ]]
	run netlab test "$LAB" --name x
	[ "$status" -eq 2 ]
	[[ "$output" == *"--name and --netns-prefix go with a lab FILE"* ]]
	run netlab up "$TOPOS/router-chain.ini" --name "$(printf 'n%.0s' $(seq 65))"
	[ "$status" -eq 2 ]
	[ ! -e "/run/netlab/$LAB" ]
}

# A submission of the class's exercise: h1 - r1 - r2 - h2, static routes. Usage: submission FILE
# [SED...]: written to FILE, changed by each sed expression.
submission() {
	local f=$1
	shift
	cat >"$f" <<-INI
	[lab]
	name = exercise
	[node h1]
	eth0 = 10.0.1.10/24
	gateway = 10.0.1.1
	[node r1]
	kind = router
	eth0 = 10.0.1.1/24
	eth1 = 10.0.12.1/30
	routes = 10.0.2.0/24 via 10.0.12.2
	[node r2]
	kind = router
	eth0 = 10.0.12.2/30
	eth1 = 10.0.2.1/24
	routes = 10.0.1.0/24 via 10.0.12.1
	[node h2]
	eth0 = 10.0.2.10/24
	gateway = 10.0.2.1
	[link h1-r1]
	endpoints = h1:eth0 r1:eth0
	[link r1-r2]
	endpoints = r1:eth1 r2:eth0
	[link r2-h2]
	endpoints = r2:eth1 h2:eth0
	INI
	local e
	for e in "$@"; do sed -i "$e" "$f"; done
}

# The teacher's tests for it: 1 point for the route, 3 for the reach section.
teacher_tests() {
	cat >"$1" <<-INI
	[test routes]
	expect = r1 route 10.0.2.0/24 via 10.0.12.2
	[test reach]
	points = 3
	expect = h1 -> h2 reachable, h1 -> 10.0.2.10 reachable
	INI
}

# The labs a grade run brought up (its lab names are grade<PID>-N).
grade_labs_left() {
	ls /run/netlab 2>/dev/null | grep '^grade' || true
	ls /run/netns 2>/dev/null | grep '^grade' || true
}

@test "grade: a class at once: passing, failing, not a lab, an address changed, one lab name twice, a Kathara directory; report.csv, junit.xml, report.html" {
	[ -z "$(grade_labs_left)" ] || skip "another grade run's labs are up"
	d=$BATS_TEST_TMPDIR
	teacher_tests "$d/teacher.tests"
	submission "$d/pass.ini"
	submission "$d/fail.ini" '/^routes = 10.0.2.0\/24 via 10.0.12.2$/d'
	submission "$d/bad.ini" 's/^gateway = 10.0.2.1$/gateway = 10.0.9.1/'
	submission "$d/moved.ini" 's/^eth0 = 10.0.2.10\/24$/eth0 = 10.0.2.20\/24/'
	mkdir "$d/kathara"
	printf 'h1[0]=A\nr1[0]=A\nr1[1]=B\nr2[0]=B\nr2[1]=C\nh2[0]=C\n' >"$d/kathara/lab.conf"
	printf 'ip address add 10.0.1.10/24 dev eth0\nip route add default via 10.0.1.1\n' >"$d/kathara/h1.startup"
	printf 'ip address add 10.0.1.1/24 dev eth0\nip address add 10.0.12.1/30 dev eth1\nip route add 10.0.2.0/24 via 10.0.12.2\n' >"$d/kathara/r1.startup"
	printf 'ip address add 10.0.12.2/30 dev eth0\nip address add 10.0.2.1/24 dev eth1\nip route add 10.0.1.0/24 via 10.0.12.1\n' >"$d/kathara/r2.startup"
	printf 'ip address add 10.0.2.10/24 dev eth0\nip route add default via 10.0.2.1\n' >"$d/kathara/h2.startup"
	cd "$d"
	run netlab grade teacher.tests pass.ini fail.ini bad.ini moved.ini pass.ini kathara --report rep --jobs 6
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"6 submissions graded, mean "*" of 4 points"* ]]
	csv=$(cat rep/report.csv)
	[ "$(sed -n 1p rep/report.csv)" = "submission,passed,failed,not_checked,points,max_points,seconds,routes,reach,note" ]
	[[ "$(sed -n 2p rep/report.csv)" == "pass.ini,3,0,0,4,4,"*",1,3," ]]
	[[ "$(sed -n 3p rep/report.csv)" == "fail.ini,0,3,0,0,4,"*",0,0," ]]
	[[ "$(sed -n 4p rep/report.csv)" == "bad.ini,0,0,3,0,4,"*",0,0,not a valid lab: bad.ini:"*"gateway 10.0.9.1 is on no subnet connected to node h2" ]]
	[[ "$(sed -n 5p rep/report.csv)" == "moved.ini,2,1,0,1,4,"*",1,0," ]]
	[[ "$(sed -n 6p rep/report.csv)" == "pass.ini,3,0,0,4,4,"*",1,3," ]]
	[[ "$(sed -n 7p rep/report.csv)" == "kathara,3,0,0,4,4,"*",1,3," ]]
	[ "$(wc -l <rep/report.csv)" -eq 7 ]
	# JUnit: a suite per submission; the moved address fails, saying why
	xmllint --noout rep/junit.xml
	[ "$(grep -c '<testsuite ' rep/junit.xml)" -eq 6 ]
	grep -q 'seen: 10.0.2.10: no such address in this lab' rep/junit.xml
	# the page, as Chromium renders it
	timeout 120 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$d/chromium" --dump-dom "file://$d/rep/report.html" 2>/dev/null >"$d/dom.html"
	grep -q '6 submissions; mean 2.2 of 4 points; 3 with every point, 2 with none.' "$d/dom.html"
	[ "$(grep -c '<tr class="full">' "$d/dom.html")" -eq 3 ]
	grep -q 'h1 -&gt; 10.0.2.10 reachable<pre>expected: ' "$d/dom.html"
	grep -q '<pre>seen: 10.0.2.10: no such address in this lab</pre>' "$d/dom.html"
	grep -q '<pre>expected: a route to 10.0.2.0/24 via 10.0.12.2 in r1' "$d/dom.html"
	# sortable: a click on the points column sorts by it, a second click the other way
	cp rep/report.html "$d/probe.html"
	cat >>"$d/probe.html" <<-'JS'
	<script>const th = document.querySelectorAll('#class th')[1], first = () => document.querySelector('#class tbody tr td').textContent;
	sortBy(th); const up = first(); sortBy(th); document.body.dataset.sorted = up + ' ' + first();</script>
	JS
	timeout 120 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$d/chromium" --dump-dom "file://$d/probe.html" 2>/dev/null >"$d/probe-dom.html"
	grep -q 'data-sorted="fail.ini pass.ini"' "$d/probe-dom.html"
	# every lab it brought up is down
	[ -z "$(grade_labs_left)" ]
}

@test "grade: bad usage and a bad TESTFILE are exit 2; a signal takes every lab down" {
	d=$BATS_TEST_TMPDIR
	teacher_tests "$d/teacher.tests"
	submission "$d/pass.ini"
	run netlab grade "$d/teacher.tests"
	[ "$status" -eq 2 ]
	run netlab grade "$d/teacher.tests" "$d/nothing.ini"
	[ "$status" -eq 2 ]
	[[ "$output" == *"nothing.ini: No such file or directory"* ]]
	printf '[test x]\nexpect = h1 -> \n' >"$d/bad.tests"
	run netlab grade "$d/bad.tests" "$d/pass.ini"
	[ "$status" -eq 2 ]
	[[ "$output" == *"bad.tests:2: "* ]]
	run netlab grade "$d/teacher.tests" "$d/pass.ini" --jobs 0
	[ "$status" -eq 2 ]
	# a section that waits: SIGTERM while it is checked
	printf '[test slow]\nwithin = 60s\nexpect = h1 runs "test -e /run/never" succeeds\n' >"$d/slow.tests"
	"$NETLAB" grade "$d/slow.tests" "$d/pass.ini" "$d/pass.ini" >"$d/out" 2>&1 &
	pid=$!
	for _ in $(seq 300); do
		[ "$(ls /run/netlab 2>/dev/null | grep -c "^grade$pid-")" -eq 2 ] && break
		sleep 0.1
	done
	sleep 1
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	cat "$d/out"
	[ "$rc" -eq 1 ]
	grep -q "interrupted by signal 15: every lab it brought up is down" "$d/out"
	[ -z "$(ls /run/netlab 2>/dev/null | grep "^grade$pid-" || true)" ]
	[ -z "$(ls /run/netns 2>/dev/null | grep "^grade$pid-" || true)" ]
}

@test "save: a copy of the running lab that up starts from: an FRR write memory, a changed file (its mode kept), the topology as applied; --force" {
	d=$BATS_TEST_TMPDIR
	cp -r "$TOPOS/ospf-frr.ini" "$TOPOS/ospf-frr" "$d/"
	netlab up "$d/ospf-frr.ini" --name "$LAB"
	# the topology as applied: a route added to h2
	sed -i 's/^gateway = 10.4.4.1$/&\nroutes = 192.0.2.0\/24 via 10.4.4.1/' "$d/ospf-frr.ini"
	netlab apply "$d/ospf-frr.ini" --name "$LAB"
	netlab exec "$LAB" r1 -- vtysh -c "conf t" -c "router ospf" -c "auto-cost reference-bandwidth 12345" -c "end" -c "write memory"
	netlab exec "$LAB" h1 -- sh -c 'echo secret > /etc/netlab-secret && chmod 600 /etc/netlab-secret'
	cd "$d"
	run netlab save "$LAB" -o saved
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"lab $LAB saved in saved (netlab up saved/$LAB.ini starts it again)"* ]]
	[ -f "saved/$LAB.ini" ]
	grep -q "^routes = 192.0.2.0/24 via 10.4.4.1$" "saved/$LAB.ini"
	grep -q "^frr = r1/etc/frr/frr.conf$" "saved/$LAB.ini"
	grep -q "^netns-prefix = $LAB-$" "saved/$LAB.ini" # named as it ran (up --name)
	grep -q "reference-bandwidth 12345" saved/r1/etc/frr/frr.conf
	[ "$(stat -c %a saved/h1/etc/netlab-secret)" = 600 ]
	[ ! -e saved/r1/run ]
	# refused without --force; a directory that is no save is never replaced
	run netlab save "$LAB" -o saved
	[ "$status" -eq 2 ]
	[[ "$output" == *"'saved' exists: --force replaces it"* ]]
	netlab save "$LAB" -o saved --force
	mkdir other && touch other/keep
	run netlab save "$LAB" -o other --force
	[ "$status" -eq 2 ]
	[ -e other/keep ]
	[ -z "$(ls -A "$d" | grep '^\.netlab-save\|\.old\.' || true)" ]
	# up from the copy: FRR starts from what was written
	netlab down "$LAB"
	netlab up "saved/$LAB.ini"
	run netlab exec "$LAB" r1 -- vtysh -c "show running-config"
	[[ "$output" == *"auto-cost reference-bandwidth 12345"* ]]
	run netlab exec "$LAB" h1 -- cat /etc/netlab-secret
	[ "$output" = secret ]
	netlab exec "$LAB" h2 -- ip route show 192.0.2.0/24 | grep -q "via 10.4.4.1"
}

@test "grade: a submission that hangs is stopped at its bound (here 3 s, a test hook), its lab taken down; the others are graded; exit 1" {
	d=$BATS_TEST_TMPDIR
	teacher_tests "$d/teacher.tests"
	submission "$d/pass.ini"
	submission "$d/hangs.ini" 's/^gateway = 10.0.1.1$/&\nexec = sleep 600/'
	cd "$d"
	NETLAB_TEST_GRADE_LIMIT_MS=3000 run netlab grade teacher.tests hangs.ini pass.ini --report rep
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$(sed -n 2p rep/report.csv)" == "hangs.ini,0,0,3,0,4,"*",0,0,stopped after "*" s (it did not end in time)" ]]
	[[ "$(sed -n 3p rep/report.csv)" == "pass.ini,3,0,0,4,4,"*",1,3," ]]
	[ -z "$(grade_labs_left)" ]
	[ -z "$(pgrep -r RSDT -f '^sleep 600$' || true)" ]
}
