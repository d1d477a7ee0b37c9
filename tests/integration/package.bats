#!/usr/bin/env bats
# package.bats: `make deb` builds a Debian package that lintian passes without errors; dpkg
# installs it into a throwaway copy of this machine's root (an overlay on /usr, /etc and /var in a
# private mount namespace: the machine itself is not changed), where the installed netlab, its
# man pages, completion and example labs are there, and the netlab from the package validates an
# example, brings it up (ignoring the test hooks, which only make check's build has) and takes it down.
load helpers

setup() { lab_setup; }
teardown() { lab_teardown; }

@test "make deb: the package builds, lintian finds no error, and it installs and runs" {
	run make -C "$ROOT" -s deb BUILD="$BATS_TEST_TMPDIR/b"
	echo "$output" | tail -20
	[ "$status" -eq 0 ]
	deb=$(echo "$BATS_TEST_TMPDIR"/b/deb/netlab_*.deb)
	[ -f "$deb" ]
	dpkg-deb -f "$deb" Depends | grep -q libnl-route-3
	dpkg-deb -f "$deb" Depends | grep -q libiniparser
	dpkg-deb -f "$deb" Depends | grep -q iproute2
	f=$(lab_file "$TOPOS/two-hosts.ini")
	mkdir "$BATS_TEST_TMPDIR/root"
	run unshare --mount --propagation private bash -euo pipefail -c '
		deb=$1 f=$2 lab=$3 tmp=$4
		mount -t tmpfs netlab-pkg-test "$tmp"
		for d in usr etc var; do
			mkdir -p "$tmp/$d.up" "$tmp/$d.work"
			mount -t overlay overlay -o "lowerdir=/$d,upperdir=$tmp/$d.up,workdir=$tmp/$d.work" "/$d"
		done
		[ ! -e /usr/sbin/netlab ]
		DEBIAN_FRONTEND=noninteractive dpkg -i "$deb" >/dev/null
		dpkg -s netlab | grep -qx "Status: install ok installed"
		for p in /usr/share/man/man8/netlab.8.gz /usr/share/man/man5/netlab.ini.5.gz \
			/usr/share/bash-completion/completions/netlab /usr/share/doc/netlab/examples/two-hosts.ini; do
			[ -f "$p" ] || { echo "missing: $p"; exit 1; }
		done
		/usr/sbin/netlab validate /usr/share/doc/netlab/examples/*.ini
		# a packaged netlab ignores the test hooks (they exist only in the test build of make check)
		NETLAB_TEST_STOP_AFTER=namespaces /usr/sbin/netlab up "$f" 2>"$tmp/up.err"
		if grep -q "test hook" "$tmp/up.err"; then echo "the package honours a test hook"; exit 1; fi
		ip netns exec "$lab-ns1" ping -c 1 -W 1 192.168.1.2
		/usr/sbin/netlab down "$lab"
		echo installed-and-ran' _ "$deb" "$f" "$LAB" "$BATS_TEST_TMPDIR/root"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *installed-and-ran* ]]
	# the machine itself is unchanged: no netlab installed under /usr, nothing of the lab left
	[ ! -e /usr/sbin/netlab ]
	[ "$(dpkg-query -W -f='${Status}' netlab 2>/dev/null || true)" != "install ok installed" ]
	assert_nothing_left
}
