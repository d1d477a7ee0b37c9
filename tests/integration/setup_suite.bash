# setup_suite.bash: records the host's links before any test, for zz_leftovers.bats.
setup_suite() {
	ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' | sort >"$BATS_RUN_TMPDIR/host-links.before"
}
