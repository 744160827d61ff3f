# bash completion for logad. Subcommands and flags are read from `logad --help` and
# `logad <command> --help`, so the completion always matches the installed binary.
_logad() {
    local cur prev words cword
    _init_completion || return

    local cmd="" i
    for ((i = 1; i < cword; i++)); do
        [[ ${words[i - 1]} == --color ]] && continue  # its value, not a command
        if [[ ${words[i]} != -* ]]; then cmd=${words[i]}; break; fi
    done

    if [[ $prev == --color ]]; then
        COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
        return
    fi

    if [[ -z $cmd ]]; then
        local commands
        commands=$("${words[0]}" --help 2>/dev/null | awk '/^Subcommands:/ {on = 1; next} on && /^  [a-z]/ {print $1}')
        COMPREPLY=($(compgen -W "$commands help --help --version --color" -- "$cur"))
        return
    fi

    if [[ $cmd == help ]]; then  # logad help CMD
        COMPREPLY=($(compgen -W "$("${words[0]}" --help 2>/dev/null | awk '/^Subcommands:/ {on = 1; next} on && /^  [a-z]/ {print $1}')" -- "$cur"))
        return
    fi

    if [[ $cmd == score && $prev == --output ]]; then  # score's --output is a format, not a file
        COMPREPLY=($(compgen -W "ndjson ecs ecs-bulk" -- "$cur"))
        return
    fi

    case $prev in
        -m | --model | -o | --output | --state | --labels | --metrics-file | --alert-webhook-file | --kafka-option-file | --otlp-token-file | --follow | -F)
            _filedir
            return
            ;;
        --per)
            COMPREPLY=($(compgen -W "line window session" -- "$cur"))
            return
            ;;
        --report)
            COMPREPLY=($(compgen -W "text junit" -- "$cur"))
            return
            ;;
        --input)
            COMPREPLY=($(compgen -W "auto logs table" -- "$cur"))
            return
            ;;
        -a | --algo)
            COMPREPLY=($(compgen -W "iforest ocsvm autoencoder" -- "$cur"))
            return
            ;;
        -f | --format)
            COMPREPLY=($(compgen -W "auto json logfmt syslog clf cri raw" -- "$cur"))
            return
            ;;
    esac

    if [[ $cur == -* ]]; then
        local flags
        flags=$("${words[0]}" "$cmd" --help 2>/dev/null | awk '/^Options:/ {on = 1; next} on && /^$/ {on = 0} on' |
            grep -o -- '--[a-z][a-z0-9-]*' | sort -u)
        COMPREPLY=($(compgen -W "$flags" -- "$cur"))
        return
    fi
    _filedir
}
complete -F _logad logad
