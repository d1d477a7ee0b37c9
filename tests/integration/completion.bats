#!/usr/bin/env bats
# completion.bats: completion/netlab.bash under Debian's bash-completion: commands and generate's
# kinds agree with netlab's own lists, options come from each command's --help, and a running
# lab's name, nodes and links are offered.
load helpers

setup() { lab_setup; }
teardown() { lab_teardown; }

# complete WORD...: what completing the last WORD of "netlab WORD..." offers, one per line
complete() {
	PATH="$(dirname "$NETLAB"):$PATH" bash -c '
		source /usr/share/bash-completion/bash_completion
		source "$1/completion/netlab.bash"
		shift
		COMP_WORDS=(netlab "$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="${COMP_WORDS[*]}"
		COMP_POINT=${#COMP_LINE}
		_netlab
		printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$ROOT" "$@"
}

@test "completion: every command netlab --help lists, and no other; generate's kinds" {
	[ -r /usr/share/bash-completion/bash_completion ]
	want=$(netlab --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } /^$/ && on { on = 0 }' | sort)
	[ -n "$want" ]
	got=$(complete "" | grep -v '^--')
	diff <(echo "$want") <(echo "$got")
	want=$(netlab generate 2>&1 | awk '/^  / { print $1 }' | sort)
	diff <(echo "$want") <(complete generate "")
}

@test "completion: options from the command's --help, and --format's values" {
	[ "$(complete ping --fr)" = "--from" ]
	complete ping -- | grep -qx -- --timeout
	complete generate -- | grep -qx -- --netns-prefix
	run complete up --js
	[ -z "$output" ] # up takes no --json
	[ "$(complete test --format j | tr '\n' ' ')" = "json junit " ]
}

@test "completion: a running lab's name, its nodes, links and a list of nodes" {
	f=$(lab_file "$TOPOS/two-hosts.ini")
	netlab up "$f"
	complete exec "${LAB:0:5}" | grep -qx "$LAB"
	[ "$(complete exec "$LAB" "" | tr '\n' ' ')" = "ns1 ns2 " ]
	[ "$(complete set "$LAB" "")" = "ns1-ns2" ]
	complete set "$LAB" ns1-ns2 de | grep -qx "delay="
	[ "$(complete link "$LAB" ns1-ns2 "" | tr '\n' ' ')" = "down flap up " ]
	[ "$(complete link "$LAB" ns1-ns2 down "" | tr '\n' ' ')" = "ns1 ns2 " ]
	[ "$(complete ping "$LAB" --from ns1,n | tr '\n' ' ')" = "ns1,ns1 ns1,ns2 " ]
	[ "$(complete capture "$LAB" ns | tr '\n' ' ')" = "ns1 ns1-ns2 ns2 " ]
}
