# bash completion for rbig: commands, long options and file names. The commands and options are
# read from rbig's own --help (cached per command for the shell session), so they are those of
# the rbig on PATH and never go stale. Installed as share/bash-completion/completions/rbig.

# Subcommand names: the first word of each line of the "Subcommands:" section.
_rbig_commands() {
  "$1" --help 2>/dev/null |
    awk '/^Subcommands:/ { in_list = 1; next } in_list && /^  [a-z]/ { print $1 } /^$/ { in_list = 0 }'
}

# Long options of one command: the option column ("-o,--output TEXT", "--flag,--no-flag{false}").
_rbig_options() {
  "$1" "$2" --help 2>/dev/null |
    awk '/^  +-/ {
           n = split($1, names, ",")
           for (i = 1; i <= n; ++i) {
             sub(/\{.*/, "", names[i])
             if (names[i] ~ /^--[a-zA-Z]/) print names[i]
           }
         }'
}

# The values an option lists in its help as a|b|c (--marginal, --rotation), one per line.
_rbig_values() {
  "$1" "$2" --help 2>/dev/null |
    awk -v option="$3" '$1 ~ "(^|,)" option "($|,)" {
           if (match($0, /[a-z]+(\|[a-z]+)+/)) {
             n = split(substr($0, RSTART, RLENGTH), values, "|")
             for (i = 1; i <= n; ++i) print values[i]
           }
         }'
}

_rbig() {
  local cur prev exe=${COMP_WORDS[0]}
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD - 1]}
  declare -gA _rbig_cache

  if [[ $COMP_CWORD -eq 1 ]]; then
    [[ -n ${_rbig_cache[commands]} ]] || _rbig_cache[commands]=$(_rbig_commands "$exe")
    COMPREPLY=($(compgen -W "${_rbig_cache[commands]} --help --help-all --version" -- "$cur"))
    return
  fi

  local command=${COMP_WORDS[1]}
  case $prev in
    --marginal | --rotation)
      COMPREPLY=($(compgen -W "$(_rbig_values "$exe" "$command" "$prev")" -- "$cur"))
      return
      ;;
    --bandwidth) COMPREPLY=($(compgen -W "silverman plugin annealed auto" -- "$cur")); return ;;
    --delimiter) COMPREPLY=($(compgen -W "tab space ';' '|'" -- "$cur")); return ;;
    --damping | --bins) COMPREPLY=($(compgen -W "auto" -- "$cur")); return ;;
  esac
  if [[ $cur == -* ]]; then
    [[ -n ${_rbig_cache[$command]} ]] || _rbig_cache[$command]=$(_rbig_options "$exe" "$command")
    COMPREPLY=($(compgen -W "${_rbig_cache[$command]}" -- "$cur"))
    return
  fi
  COMPREPLY=($(compgen -f -- "$cur"))
}

complete -o filenames -F _rbig rbig
