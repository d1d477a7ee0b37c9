# bash completion for netlab(8): commands, options (from `netlab COMMAND --help`), lab names (from
# `netlab list`), node, link and LAN names of a running lab (from its topology as brought up,
# /run/netlab/LAB/topology.ini), generate's kinds and set's keys. Installed by `make install`
# where Debian's bash-completion looks for it.

_netlab_labs() {
	netlab list 2>/dev/null | awk 'NR > 1 { print $1 }'
}

# _netlab_sections LAB TYPE...: the names of the lab's sections of those types
_netlab_sections() {
	local lab=$1 file
	shift
	file=/run/netlab/$lab/topology.ini
	[ -r "$file" ] || return 0
	awk -v types="$*" 'BEGIN { n = split(types, t, " "); for (i = 1; i <= n; i++) want[t[i]] = 1 }
		/^[ \t]*\[/ { s = $0; gsub(/[][]/, " ", s); split(s, w, " "); if (want[w[1]] && w[2] != "") print w[2] }' "$file"
}

_netlab() {
	local cur prev cmd words cword
	_init_completion -n =: || return
	cmd=${words[1]}
	local commands="validate show up down list status exec shell logs ping test set capture graph apply link generate import image grade save"

	if [ "$cword" -eq 1 ]; then
		COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
		return
	fi
	# the operands before the cursor, options left out
	local ops=() i
	for ((i = 2; i < cword; i++)); do
		case ${words[i]} in
		--from | --to | --format | --count | --times | --timeout | --interval | --name | --netns-prefix | -w | -c | -o | --jobs | -j | --report) ((i++)) ;;
		-*) ;;
		*) ops+=("${words[i]}") ;;
		esac
	done
	case $prev in
	--format)
		COMPREPLY=($(compgen -W "tap junit json dot svg mermaid html" -- "$cur"))
		return
		;;
	--from | --to)
		local lab=${ops[0]:-}
		local prefix="" last=$cur
		if [[ $cur == *,* ]]; then prefix=${cur%,*},; last=${cur##*,}; fi
		COMPREPLY=($(compgen -P "$prefix" -W "$(_netlab_sections "$lab" node)" -- "$last"))
		return
		;;
	-w)
		_filedir
		return
		;;
	--count | --times | --timeout | --interval | --name | --netns-prefix | -c | --jobs | -j)
		return
		;;
	-o)
		_filedir
		return
		;;
	--report)
		_filedir -d
		return
		;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(netlab "$cmd" --help 2>/dev/null | grep -oE -- '(^|[ ,])--?[a-z0-9][a-z0-9-]*' | tr -d ' ,')" -- "$cur"))
		return
	fi
	local n=${#ops[@]} lab=${ops[0]:-}
	case $cmd in
	validate | show | up | apply)
		_filedir ini
		;;
	grade)
		_filedir
		;;
	save)
		[ "$n" -eq 0 ] && COMPREPLY=($(compgen -W "$(_netlab_labs)" -- "$cur"))
		;;
	down | status | test | graph)
		if [ "$n" -eq 0 ]; then
			COMPREPLY=($(compgen -W "$(_netlab_labs)" -- "$cur"))
			_filedir ini
		fi
		;;
	exec | shell | logs)
		if [ "$n" -eq 0 ]; then
			COMPREPLY=($(compgen -W "$(_netlab_labs)" -- "$cur"))
		elif [ "$n" -eq 1 ]; then
			COMPREPLY=($(compgen -W "$(_netlab_sections "$lab" node)" -- "$cur"))
		elif [ "$cmd" = exec ] && [ "${words[cword - 1]}" = -- ]; then
			COMPREPLY=($(compgen -c -- "$cur"))
		fi
		;;
	ping)
		[ "$n" -eq 0 ] && COMPREPLY=($(compgen -W "$(_netlab_labs)" -- "$cur"))
		;;
	set)
		if [ "$n" -eq 0 ]; then
			COMPREPLY=($(compgen -W "$(_netlab_labs)" -- "$cur"))
		elif [ "$n" -eq 1 ]; then
			COMPREPLY=($(compgen -W "$(_netlab_sections "$lab" link lan)" -- "$cur"))
		else
			compopt -o nospace
			COMPREPLY=($(compgen -W "delay= jitter= loss= duplicate= corrupt= reorder= rate=" -- "$cur"))
		fi
		;;
	link)
		if [ "$n" -eq 0 ]; then
			COMPREPLY=($(compgen -W "$(_netlab_labs)" -- "$cur"))
		elif [ "$n" -eq 1 ]; then
			COMPREPLY=($(compgen -W "$(_netlab_sections "$lab" link lan)" -- "$cur"))
		elif [ "$n" -eq 2 ]; then
			COMPREPLY=($(compgen -W "down up flap" -- "$cur"))
		elif [ "$n" -eq 3 ]; then
			COMPREPLY=($(compgen -W "$(_netlab_sections "$lab" node)" -- "$cur"))
		fi
		;;
	capture)
		if [ "$n" -eq 0 ]; then
			COMPREPLY=($(compgen -W "$(_netlab_labs)" -- "$cur"))
		elif [ "$n" -eq 1 ]; then
			COMPREPLY=($(compgen -W "$(_netlab_sections "$lab" link lan node)" -- "$cur"))
		fi
		;;
	generate)
		[ "$n" -eq 0 ] && COMPREPLY=($(compgen -W "single linear tree ring star chain leaf-spine lan" -- "$cur"))
		;;
	import)
		if [ "$n" -eq 0 ]; then
			COMPREPLY=($(compgen -W "kathara" -- "$cur"))
		elif [ "$n" -eq 1 ]; then
			COMPREPLY=($(compgen -d -- "$cur"))
		fi
		;;
	image)
		if [ "$n" -eq 0 ]; then
			COMPREPLY=($(compgen -W "build list rm" -- "$cur"))
		elif [ "$n" -eq 1 ] && [ "${words[cword - 1]}" = rm ]; then
			COMPREPLY=($(compgen -W "$(ls /var/lib/netlab/images 2>/dev/null)" -- "$cur"))
		elif [ "$n" -eq 1 ] && [ "${words[cword - 1]}" = build ]; then
			COMPREPLY=($(compgen -W "base frr" -- "$cur"))
		fi
		;;
	esac
} &&
	complete -F _netlab netlab
