#!/usr/bin/env bats
# zz_leftovers.bats: runs last; checks that the suite left nothing on the machine.
load helpers

@test "the suite left no namespace, lab state, /etc/netns entry, host link or mount" {
	[ -z "$(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$RUN_PREFIX" || true)" ]
	[ -z "$(ls /run/netlab 2>/dev/null | grep "^$RUN_PREFIX" || true)" ]
	[ -z "$(ls /etc/netns 2>/dev/null | grep "^$RUN_PREFIX" || true)" ]
	# no half-built image, no image of this run's (images.bats removes its own)
	[ -z "$(ls -A /var/lib/netlab/images 2>/dev/null | grep -e '^\.' -e "^$RUN_PREFIX" || true)" ]
	# the lock on /etc/netns exists only while a netlab command holds it
	[ ! -e /run/netlab/.etc-netns.lock ]
	# netlab made /etc/netns: the last lab down removes it (unless a lab not of this run is up)
	if [ -e /run/netlab/.etc-netns-made-by-netlab ]; then
		[ -n "$(ls /run/netlab)" ]
	fi
	# rootless labs of the tests' users: no runtime directory left, no holder running
	[ -z "$(ls -d /tmp/"$RUN_PREFIX"-nobody.* 2>/dev/null || true)" ]
	[ -z "$(pgrep -r RSDT -x netlab-holder -u 65534 || true)" ]
	if [ -f "$BATS_RUN_TMPDIR/host-links.before" ]; then
		ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort >"$BATS_TEST_TMPDIR/after"
		diff "$BATS_RUN_TMPDIR/host-links.before" "$BATS_TEST_TMPDIR/after"
	fi
	# no mount of a test's left in the machine's mount namespace (one made in a namespace of a
	# test's own that propagated back, say)
	if [ -f "$BATS_RUN_TMPDIR/mounts.before" ]; then
		source "$BATS_TEST_DIRNAME/setup_suite.bash"
		diff "$BATS_RUN_TMPDIR/mounts.before" <(netlab_mounts)
	fi
}
