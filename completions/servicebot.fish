# fish completion for servicebot: the candidates come from the program itself
# (servicebot __complete WORD...), driven by its command table; fish shows
# the description after the tab (device names beside ids, and so on).
function __servicebot_complete
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    SERVICEBOT_COMPLETE_DESCRIBE=1 $words[1] __complete $words[2..-1] $cur 2>/dev/null
end
complete -c servicebot -f -a '(__servicebot_complete)'
# Files for the options that take a path.
complete -c servicebot -l config -r -F
complete -c servicebot -l cacert -r -F
