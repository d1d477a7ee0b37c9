#!/usr/bin/env bash
# run-tests.sh [--unit|--integration]: runs the unit tests (plain and ASan+UBSan builds) and the
# bats integration tests, all as TAP, then prints one closing line "N passed, N failed".
# Exits non-zero when a test failed or when no test ran.
set -uo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
rc=0

run() { # run LABEL CMD...: runs a TAP producer, echoing and recording its lines
	echo "# $1"
	shift
	"$@" 2>&1 | tee -a "$log"
	local st=${PIPESTATUS[0]}
	if [ "$st" != 0 ]; then
		rc=1
		# a crash before any "not ok" line must still count as a failure
		grep -q '^not ok' <(tail -n 200 "$log") || echo "not ok - $* exited with status $st" | tee -a "$log"
	fi
}

if [ "$what" != --integration ]; then
	run "scripts/check-source" scripts/check-source
	for dir in build/test/tests build/asan/tests; do
		for t in "$dir"/test_*; do
			[ -x "$t" ] || continue
			case "$t" in *.d) continue ;; esac
			run "$t" "$t"
		done
	done
fi
if [ "$what" != --unit ]; then
	# Nodes have their own /tmp, /var and /run, and machines.bats lays files over /etc and /srv:
	# the tests' files, which commands inside nodes write to and files = DIR reads, go where
	# nodes see the machine's own directories and outside what a test overlays.
	case "$PWD/" in
	/tmp/* | /var/* | /run/* | /etc/* | /srv/*) TMPDIR=${XDG_CACHE_HOME:-$HOME/.cache}/netlab-tests ;;
	*) TMPDIR=$PWD/build/tmp ;;
	esac
	export TMPDIR
	mkdir -p "$TMPDIR"
	if [ "$(id -u)" != 0 ] && [ -z "${NETLAB_TEST_MUST_RUN:-}" ]; then
		echo "# not root: bats tests that need root will skip"
	fi
	run "bats tests/integration" bats --tap tests/integration
	# the same CLI, loader and probe code built with ASan and UBSan (any report fails the test)
	if [ -x build/asan/netlab ]; then
		export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1
		NETLAB=$PWD/build/asan/netlab run "bats under ASan+UBSan (build/asan/netlab)" \
			bats --tap tests/integration/cli.bats tests/integration/labtests.bats
	fi
	# Kernel features this machine may lack (sch_netem, bridge VLAN filtering): in a QEMU guest
	# booting Debian's stock kernel. NETLAB_TEST_NO_VM=1 leaves them out.
	vm=../shared/vm/run-in-vm.sh
	if [ -n "${NETLAB_TEST_NO_VM:-}" ]; then
		echo "# NETLAB_TEST_NO_VM is set: tests/vm not run"
	elif [ "$(id -u)" != 0 ]; then
		echo "# not root: tests/vm not run"
	elif [ ! -x "$vm" ]; then
		echo "# $vm not found: tests/vm not run"
		[ -n "${NETLAB_TEST_MUST_RUN:-}" ] && echo "not ok - tests/vm: $vm not found" | tee -a "$log"
	else
		export NETLAB_VM_TIMEOUT=${NETLAB_VM_TIMEOUT:-600}
		run "tests/vm in a QEMU guest ($vm)" "$vm" scripts/vm-tests.sh
	fi
fi

passed=$(grep -cE '^ok ' "$log" || true)
skipped=$(grep -cE '^ok .*# skip' "$log" || true)
failed=$(grep -cE '^not ok ' "$log" || true)
passed=$((passed - skipped))
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$rc" -eq 0 ] && [ "$passed" -gt 0 ] || exit 1
