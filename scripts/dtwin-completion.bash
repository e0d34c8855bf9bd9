# Bash completion for dtwin: subcommands, each command's options, and the values of
# --auth, --output and file/directory options.
#
#   source scripts/dtwin-completion.bash
#   (or copy it to /usr/share/bash-completion/completions/dtwin)
#
# The lists below mirror `dtwin <command> --help`; tests/cli checks they agree.

_dtwin_common_options="--endpoint --auth --output --ca-file --help"
_dtwin_paging_options="--max-items --continuation"

# Prints the subcommands of a command group ("" is the top level); nothing for a command.
_dtwin_subcommands() {
  case "$1" in
    "") echo "serve model twin route endpoint cert issuer version help" ;;
    model) echo "create list show decommission delete validate" ;;
    twin) echo "create show update delete query component relationship telemetry" ;;
    "twin component") echo "show update" ;;
    "twin relationship") echo "create show list update delete" ;;
    "twin telemetry") echo "send" ;;
    route) echo "create show list delete" ;;
    endpoint) echo "list show deadletters" ;;
    "endpoint deadletters") echo "list replay" ;;
    cert) echo "dev" ;;
    issuer) echo "new-client hash-secret" ;;
  esac
}

# Prints the options of a command (canonical names), or nothing for a group.
_dtwin_options() {
  local remote=1 own=""
  case "$1" in
    serve)
      remote=0
      own="--listen --listen-https --data-dir --endpoint --event-source --event-ttl --event-lanes --config --auth
           --jwks --jwt-issuer --tenant --issuer --rate-limit --allow-insecure-remote --tls-cert
           --tls-key --dev-tls --max-connections --max-header-bytes --request-timeout
           --idle-timeout --unanchored-queries --query-timeout --help" ;;
    "cert dev")
      remote=0
      own="--data-dir --force --help" ;;
    "issuer new-client" | "issuer hash-secret")
      remote=0
      own="--help" ;;
    "model validate")
      remote=0
      own="--dtdl-only --allow-undefined-extensions --disallow-undefined-extensions --help" ;;
    "model create") own="--from-directory --models" ;;
    "model list") own="--definition --dependencies-for $_dtwin_paging_options" ;;
    "model show") own="--dtmi --definition" ;;
    "model decommission" | "model delete") own="--dtmi" ;;
    "twin create") own="--dtmi --twin-id --properties --if-none-match" ;;
    "twin show") own="--twin-id" ;;
    "twin update") own="--twin-id --json-patch --etag" ;;
    "twin delete") own="--twin-id --etag" ;;
    "twin query") own="--query-command --show-cost $_dtwin_paging_options" ;;
    "twin component show") own="--twin-id --component" ;;
    "twin component update") own="--twin-id --component --json-patch --etag" ;;
    "twin relationship create") own="--twin-id --relationship-id --relationship --target --properties --if-none-match" ;;
    "twin relationship show") own="--twin-id --relationship-id" ;;
    "twin relationship list") own="--twin-id --relationship --incoming $_dtwin_paging_options" ;;
    "twin relationship update") own="--twin-id --relationship-id --json-patch --etag" ;;
    "twin relationship delete") own="--twin-id --relationship-id --etag" ;;
    "twin telemetry send") own="--twin-id --telemetry --component --dt-id --telemetry-source-time" ;;
    "route create") own="--event-route-name --endpoint-name --filter" ;;
    "route show" | "route delete") own="--event-route-name" ;;
    "route list") own="$_dtwin_paging_options" ;;
    "endpoint list") own="" ;;
    "endpoint show" | "endpoint deadletters replay") own="--endpoint-name" ;;
    "endpoint deadletters list") own="--endpoint-name $_dtwin_paging_options" ;;
    *) return ;;
  esac
  if ((remote)); then
    echo "$own $_dtwin_common_options"
  else
    echo "$own"
  fi
}

_dtwin() {
  local cur="${COMP_WORDS[COMP_CWORD]}"
  local prev="${COMP_WORDS[COMP_CWORD - 1]}"
  COMPREPLY=()

  # The command is the words before the first option.
  local command="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    [[ "${COMP_WORDS[i]}" == -* ]] && break
    command="${command:+$command }${COMP_WORDS[i]}"
  done

  case "$prev" in
    --auth)
      if [[ "$command" == serve ]]; then
        COMPREPLY=($(compgen -W "none jwt entra" -- "$cur"))
      else
        COMPREPLY=($(compgen -W "none static client-secret managed-identity cli default" -- "$cur"))
      fi
      return ;;
    --output | -o)
      COMPREPLY=($(compgen -W "json table" -- "$cur"))
      return ;;
    --unanchored-queries | --issuer | --allow-insecure-remote)
      COMPREPLY=($(compgen -W "true false" -- "$cur"))
      return ;;
    --from-directory | --fd | --data-dir)
      COMPREPLY=($(compgen -d -- "$cur"))
      return ;;
    --ca-file | --config | --tls-cert | --tls-key | --jwks)
      COMPREPLY=($(compgen -f -- "$cur"))
      return ;;
  esac

  local subcommands options
  subcommands="$(_dtwin_subcommands "$command")"
  options="$(_dtwin_options "$command")"
  if [[ -n "$subcommands" && "$cur" != -* ]]; then
    COMPREPLY=($(compgen -W "$subcommands" -- "$cur"))
  elif [[ -n "$options" && "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$options" -- "$cur"))
  elif [[ "$command" == "model validate" ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}

complete -F _dtwin dtwin
