# helpers.bash: shared setup for the bats tests. Each test gets a unique lab name; teardown
# removes what the test made even when it failed; NETLAB_TEST_KEEP=1 keeps it for debugging.
ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
NETLAB=${NETLAB:-$ROOT/build/test/netlab} # the test build: with the test hooks (Makefile)
TOPOS=$ROOT/topologies
# Every namespace a test creates starts with this run's prefix, so the suite can sweep it.
RUN_PREFIX=${NETLAB_TEST_RUN_PREFIX:-nlt}

netlab() { "$NETLAB" "$@"; }

needs_root() {
	if [ "$(id -u)" != 0 ]; then
		if [ -n "${NETLAB_TEST_MUST_RUN:-}" ]; then
			echo "NETLAB_TEST_MUST_RUN is set but not root" >&2
			return 1
		fi
		skip "needs root"
	fi
}

unique_lab() {
	LAB="${RUN_PREFIX}${BATS_TEST_NUMBER}$(mktemp -u XXXXXX | tr 'A-Z' 'a-z')"
}

# Writes a copy of a topology with the lab name and prefix replaced by this test's, and prints
# the new file's path. Usage: lab_file SOURCE [PREFIX]
lab_file() {
	local src=$1 prefix=${2-$LAB-} out=$BATS_TEST_TMPDIR/$(basename "$1")
	sed -e "s/^name = .*/name = $LAB/" -e '/^netns-prefix/d' "$src" |
		sed -e "0,/^\[lab\]/s//[lab]\nnetns-prefix = $prefix/" >"$out"
	echo "$out"
}

# Removes every namespace of this test's lab (by name prefix), killing its processes first.
sweep_netns() {
	local ns
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$1" || true); do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
		ip netns del "$ns" 2>/dev/null || true
	done
}

# Filters a topology from `netlab generate star`: hosts h1..hK lose their gateway (only r reaches
# them). Usage: netlab generate star N | without_gateway K
without_gateway() {
	awk -v k="$1" '/^\[/ { h = 0 } /^\[node h[0-9]+\]$/ { h = substr($0, 8) + 0 } /^gateway = / && h >= 1 && h <= k { next } { print }'
}

in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# end_holder XDG: ends the rootless holder whose pid file is in XDG/netlab (a directory of the
# test's own, so the holder is the test's), if it still runs.
end_holder() {
	local h
	h=$(cut -d' ' -f1 "$1/netlab/holder" 2>/dev/null || true)
	if [ -n "$h" ] && [ "$(cat "/proc/$h/comm" 2>/dev/null)" = netlab-holder ]; then
		kill -9 "$h" 2>/dev/null || true
	fi
}

# as_nobody CMD...: CMD as user nobody (65534: no subordinate ids), its runtime directory
# (XDG_RUNTIME_DIR) a directory of the test's own under /tmp (NOBODY_XDG, made by lab_setup, not
# inside `run`'s subshell), removed by lab_teardown with the rootless labs left in it.
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups env XDG_RUNTIME_DIR="$NOBODY_XDG" "$@"
}

# setup and teardown shared by the tests that build labs: a unique lab name (LAB) per test, and,
# after it, `netlab down` and a sweep of every namespace with that prefix, even when it failed.
# A test that makes more labs adds their names to LABS.
lab_setup() {
	needs_root
	unique_lab
	LABS=("$LAB")
	NOBODY_XDG=$(mktemp -d "/tmp/$RUN_PREFIX-nobody.XXXXXX")
	chown 65534:65534 "$NOBODY_XDG"
}

lab_teardown() {
	[ -n "${NETLAB_TEST_KEEP:-}" ] && return 0
	local l
	if [ -n "${NOBODY_XDG:-}" ]; then # nobody's rootless labs, then its runtime directory
		for l in $(ls "$NOBODY_XDG/netlab/labs" 2>/dev/null); do
			as_nobody "$NETLAB" down "$l" >/dev/null 2>&1 || true
		done
		end_holder "$NOBODY_XDG"
		rm -rf "$NOBODY_XDG"
	fi
	for l in "${LABS[@]}"; do
		netlab down "$l" >/dev/null 2>&1 || true
		sweep_netns "$l"
	done
}

# Nothing of lab $LAB is left: no pin, state, /etc/netns entry or mount.
assert_nothing_left() {
	[ -z "$(ls /run/netns 2>/dev/null | grep "^$LAB-" || true)" ]
	[ ! -e "/run/netns/.netlab.$LAB.tmp" ]
	[ ! -e "/run/netlab/$LAB" ]
	[ -z "$(ls /etc/netns 2>/dev/null | grep "^$LAB-" || true)" ]
	[ -z "$(grep "/run/netlab/$LAB" /proc/self/mountinfo)" ]
}

# The phases of up, in order (lab/lab_up.c); NETLAB_TEST_STOP_AFTER=PHASE makes up wait after one.
UP_PHASES="namespaces veths links-up addr-routes hosts machines commands"

# Starts `up` of FILE (default c.ini), stopped by the test hook after PHASE, and sends it SIG once
# it is there; its exit status goes to UP_STATUS, its output to $BATS_TEST_TMPDIR/out. Fails
# (after killing up) when up never reaches PHASE.
kill_up_at() {
	kill_at "$1" "$2" up "${3:-$BATS_TEST_TMPDIR/c.ini}"
}

# kill_at PHASE SIG ARGS...: the same for `netlab ARGS...` (up, apply).
kill_at() {
	local phase=$1 sig=$2 pid
	shift 2
	# emptied here, not by the background job's redirection: that may come after the first grep,
	# which would then find the previous round's "stopped after" and signal it before it is there
	: >"$BATS_TEST_TMPDIR/out"
	NETLAB_TEST_STOP_AFTER=$phase "$NETLAB" "$@" >"$BATS_TEST_TMPDIR/out" 2>&1 &
	pid=$!
	for _ in $(seq 1500); do
		grep -q "test hook: stopped after $phase" "$BATS_TEST_TMPDIR/out" && break
		sleep 0.01
	done
	if ! grep -q "test hook: stopped after $phase" "$BATS_TEST_TMPDIR/out"; then
		kill -KILL "$pid" 2>/dev/null
		echo "netlab $1 never stopped after $phase: $(cat "$BATS_TEST_TMPDIR/out")"
		return 1
	fi
	kill "-$sig" "$pid"
	UP_STATUS=0
	wait "$pid" || UP_STATUS=$?
}

# The inodes of the network namespaces pinned under /run/netns/PREFIX*, one per line: to count
# later, when the pins are gone, the processes still in them.
ns_inodes() {
	local p
	for p in /run/netns/"$1"*; do
		if [ -e "$p" ]; then stat -L -c %i "$p"; fi
	done
	return 0
}

# Prints what is left of lab LAB (netns prefix PREFIX) as "namespaces=N pins=N mounts=N etc=N
# state=N processes=N": namespaces that ip netns lists, pin files (and the lab's temporary pin),
# mounts under the lab's state or pins, /etc/netns entries, its state directory, and processes in
# any network namespace whose inode is listed in the file INODES (from ns_inodes).
leftovers() {
	local lab=$1 prefix=$2 inodes=${3:-/dev/null} ns pins mounts etc state procs=0 pid
	ns=$(ip netns list 2>/dev/null | awk '{print $1}' | grep -c "^$prefix" || true)
	pins=$(ls -a /run/netns 2>/dev/null | grep -c -e "^$prefix" -e "^\.netlab\.$lab\.tmp$" || true)
	mounts=$(grep -c -e " /run/netlab/$lab[/ ]" -e " /run/netns/$prefix" /proc/self/mountinfo || true)
	etc=$(ls /etc/netns 2>/dev/null | grep -c "^$prefix" || true)
	state=$([ -e "/run/netlab/$lab" ] && echo 1 || echo 0)
	if [ -s "$inodes" ]; then
		for pid in $(ls /proc | grep '^[0-9]*$'); do
			grep -qx "$(stat -L -c %i "/proc/$pid/ns/net" 2>/dev/null || echo none)" "$inodes" && procs=$((procs + 1))
		done
	fi
	echo "namespaces=$ns pins=$pins mounts=$mounts etc=$etc state=$state processes=$procs"
}
NOTHING_LEFT="namespaces=0 pins=0 mounts=0 etc=0 state=0 processes=0"

has_netem() { # a probe in a throwaway namespace of this test's own
	local ns="$LAB-probe" r=1
	ip netns add "$ns"
	ip -n "$ns" link set lo up
	tc -n "$ns" qdisc add dev lo root netem delay 1ms 2>/dev/null && r=0
	ip netns del "$ns"
	return $r
}
