# bash completion for servicebot. The program answers for itself
# (servicebot __complete WORD...), so commands, options, values such as
# on|off and level names, and device ids, songs, rooms and conversations
# from a reachable server all come from its one command table. Candidates
# are quoted for the shell (song titles have spaces).
_servicebot()
{
    local prog=${COMP_WORDS[0]} line
    COMPREPLY=()
    while IFS= read -r line; do
        COMPREPLY+=("$(printf '%q' "$line")")
    done < <("$prog" __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
    return 0
}
complete -o default -F _servicebot servicebot
