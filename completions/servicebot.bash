# bash completion for servicebot. The program answers for itself
# (servicebot __complete WORD...), so commands, options, values such as
# on|off and level names, and device ids from a reachable server all come
# from its one command table.
_servicebot()
{
    local prog=${COMP_WORDS[0]}
    COMPREPLY=()
    mapfile -t COMPREPLY < <("$prog" __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
    return 0
}
complete -o default -F _servicebot servicebot
