# setup_suite.bash: records the host's links and netlab's mounts before any test, for
# zz_leftovers.bats.
setup_suite() {
	ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' | sort >"$BATS_RUN_TMPDIR/host-links.before"
	netlab_mounts >"$BATS_RUN_TMPDIR/mounts.before"
}

# The mounts at or under /run/netlab, /run/netns and /etc/netns: mount point, type, source.
netlab_mounts() {
	awk '$5 ~ "^/(run/netlab|run/netns|etc/netns)(/|$)" {print $5, $9, $10}' /proc/self/mountinfo | sort
}
