# setup_suite.bash: records the host's links before any test, for zz_leftovers.bats, and the images
# there were: the recipe images (base, frr) that `up` of an imported lab builds during the run are
# removed after it (teardown_suite), unless NETLAB_TEST_KEEP_IMAGES=1 keeps them as a cache.
setup_suite() {
	ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' | sort >"$BATS_RUN_TMPDIR/host-links.before"
	ls /var/lib/netlab/images 2>/dev/null | sort >"$BATS_RUN_TMPDIR/images.before"
	echo "${NETLAB:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/test/netlab}" >"$BATS_RUN_TMPDIR/netlab.path"
}

teardown_suite() {
	local img
	[ -n "${NETLAB_TEST_KEEP_IMAGES:-}" ] && return 0
	for img in $(ls /var/lib/netlab/images 2>/dev/null); do
		grep -qx "$img" "$BATS_RUN_TMPDIR/images.before" 2>/dev/null && continue
		"$(cat "$BATS_RUN_TMPDIR/netlab.path")" image rm "$img" >/dev/null 2>&1 || true
	done
	return 0
}
