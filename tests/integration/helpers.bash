# helpers.bash: shared setup for the bats tests. Each test gets a unique lab name; teardown
# removes what the test made even when it failed; NETLAB_TEST_KEEP=1 keeps it for debugging.
ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
NETLAB=${NETLAB:-$ROOT/build/netlab}
TOPOS=$ROOT/topologies
# Every namespace a test creates starts with this run's prefix, so the suite can sweep it.
RUN_PREFIX=${NETLAB_TEST_RUN_PREFIX:-nlt}

netlab() { "$NETLAB" "$@"; }

needs_root() {
	if [ "$(id -u)" != 0 ]; then
		[ -n "${NETLAB_TEST_MUST_RUN:-}" ] && { echo "NETLAB_TEST_MUST_RUN is set but not root" >&2; return 1; }
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

in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# setup and teardown shared by the tests that build labs: a unique lab name (LAB) per test, and,
# after it, `netlab down` and a sweep of every namespace with that prefix, even when it failed.
# A test that makes more labs adds their names to LABS.
lab_setup() {
	needs_root
	unique_lab
	LABS=("$LAB")
}

lab_teardown() {
	[ -n "${NETLAB_TEST_KEEP:-}" ] && return 0
	local l
	for l in "${LABS[@]}"; do
		netlab down "$l" >/dev/null 2>&1 || true
		sweep_netns "$l"
	done
}

# Nothing of lab $LAB is left: no pin, state, /etc/netns entry or mount.
assert_nothing_left() {
	[ -z "$(ls /run/netns 2>/dev/null | grep "^$LAB-" || true)" ]
	[ ! -e "/run/netlab/$LAB" ]
	[ -z "$(ls /etc/netns 2>/dev/null | grep "^$LAB-" || true)" ]
	[ -z "$(grep "/run/netlab/$LAB" /proc/self/mountinfo)" ]
}
