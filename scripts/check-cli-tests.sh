#!/usr/bin/env bash
# scripts/check-cli-tests.sh CONTAINER_BINARY: the contract of `container check` from the outside
# (language.md §1 and §6): exit statuses, name validation, config lookup, --all, formats; then
# that every command's help and usage errors are the full parse's, byte for byte.
set -uo pipefail
container="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
state="$(mktemp -d /tmp/check-cli-tests.XXXXXX)"
trap 'rm -rf "$state"' EXIT
mkdir -p "$state/configs"
cd "$state"
failures=0

# expect STATUS DESCRIPTION -- COMMAND...: runs COMMAND, checks its exit status, keeps its output.
expect() {
    local want="$1" what="$2"; shift 3
    "$@" >out.txt 2>err.txt
    local got=$?
    if [[ $got != "$want" ]]; then
        echo "FAIL: $what: exit $got, expected $want"; sed 's/^/  | /' out.txt err.txt; failures=$((failures + 1))
    else
        echo "ok: $what"
    fi
}
contains() {  # contains FILE TEXT DESCRIPTION
    if ! grep -qF -- "$2" "$1"; then echo "FAIL: $3: '$2' not in $1"; sed 's/^/  | /' "$1"; failures=$((failures + 1)); fi
}

good=$'root=/srv/web\ninit=/sbin/init\nnamespaces=all\n'
printf '%s' "$good" >configs/web
printf 'root: /srv/api\ninit: /sbin/init\nnamespaces: [pid]\n' >configs/api.yaml
printf '%s' "$good" >"configs/web~"
printf 'garbage' >configs/.web.swp
printf 'roto=/x\n' >broken.conf
printf '%s' "$good" >configs/twice
printf '%s' "$good" >configs/twice.yml
printf '%scpu_share=512 \n' "$good" >warn.conf

c=("$container" check --path "$state" --no-filesystem)
expect 0 "a valid NAME" -- "${c[@]}" web
expect 0 "a valid YAML NAME" -- "${c[@]}" api
expect 0 "a FILE path" -- "${c[@]}" configs/web
expect 1 "errors exit 1" -- "${c[@]}" ./broken.conf
contains out.txt "broken.conf:1:1: error:" "text diagnostics name the file"
contains err.txt "error" "the summary goes to stderr"
expect 0 "warnings alone exit 0" -- "${c[@]}" ./warn.conf
contains out.txt "warning:" "the warning is shown"
expect 1 "--strict turns warnings into errors" -- "${c[@]}" --strict ./warn.conf
expect 1 "two configs for one NAME" -- "${c[@]}" twice
contains out.txt "configs/twice.yml" "duplicate-config lists both files"
contains out.txt "[duplicate-config]" "duplicate-config code"
expect 2 "a missing NAME exits 2" -- "${c[@]}" nothere
expect 2 "a missing FILE exits 2, the others are still checked" -- "${c[@]}" ./nothere.conf ./broken.conf
contains out.txt "broken.conf" "the readable file is still reported"
for bad in .. . ../../etc/passwd-x '-x' 'a b' "$(printf 'x%.0s' {1..65})"; do
    expect 2 "invalid NAME '$bad' is refused" -- "${c[@]}" -- "$bad"
done
expect 2 "--all with a NAME is a usage error" -- "${c[@]}" --all web
expect 2 "no argument is a usage error" -- "${c[@]}"
expect 2 "an unknown format is a usage error" -- "${c[@]}" --format xml web
expect 1 "--all skips editor leftovers and dotfiles" -- "${c[@]}" --all --format json
contains out.txt '"code":"duplicate-config"' "--all reports the duplicate"
if grep -q 'web~\|\.web\.swp' out.txt err.txt; then echo "FAIL: --all read an editor leftover"; failures=$((failures + 1)); fi
expect 1 "json is one document for several files" -- "${c[@]}" --format json ./broken.conf ./warn.conf
python3 -c 'import json,sys; d=json.load(open("out.txt"))["diagnostics"]; assert {x["file"] for x in d} == {"./broken.conf", "./warn.conf"}, d' \
    || { echo "FAIL: json document"; failures=$((failures + 1)); }
expect 1 "sarif parses" -- "${c[@]}" --format sarif ./broken.conf
python3 -c 'import json; r=json.load(open("out.txt"))["runs"][0]; assert r["results"][0]["ruleId"] == "unknown-key"' \
    || { echo "FAIL: sarif document"; failures=$((failures + 1)); }
expect 1 "github annotations" -- "${c[@]}" --format github ./broken.conf
contains out.txt "::error file=./broken.conf,line=1,col=1" "github annotation"
NO_COLOR=1 script -qec "${c[*]} ./broken.conf" /dev/null >tty.txt 2>&1 || true
if grep -q $'\e\[' tty.txt; then echo "FAIL: colour despite NO_COLOR"; failures=$((failures + 1)); else echo "ok: NO_COLOR on a terminal"; fi
env -u NO_COLOR script -qec "${c[*]} ./broken.conf" /dev/null >tty.txt 2>&1 || true
if grep -q $'\e\[1;31merror' tty.txt; then echo "ok: colour on a terminal"; else echo "FAIL: no colour on a terminal"; failures=$((failures + 1)); fi

# The parser's fast path (ContainerCommand.parseNamedSubcommand: the named subcommand parsed
# alone) must print exactly what the full parse of the whole tree prints, which
# CONTAINER_FULL_PARSE=1 forces: help, usage errors, completions, and the commands that run.
same_as_full_parse() {  # same_as_full_parse ARGS...: stdout, stderr and status of both paths
    local fast full
    fast="$("$container" "$@" 2>&1; echo "status $?")"
    full="$(CONTAINER_FULL_PARSE=1 "$container" "$@" 2>&1; echo "status $?")"
    if [[ "$fast" != "$full" ]]; then
        echo "FAIL: container $* differs from the full parse"; diff <(echo "$full") <(echo "$fast") | sed 's/^/  | /'
        failures=$((failures + 1))
    else
        echo "ok: container $* as the full parse"
    fi
}
subcommands=($("$container" --help | awk '/^SUBCOMMANDS:/ { in_list = 1; next } in_list && /^  [a-z]/ { print $1 }'))
((${#subcommands[@]} >= 7)) || { echo "FAIL: container --help lists ${#subcommands[@]} subcommands"; failures=$((failures + 1)); }
for sub in "${subcommands[@]}"; do
    same_as_full_parse "$sub" --help
    same_as_full_parse "$sub" -h
    same_as_full_parse help "$sub"
    same_as_full_parse "$sub" --bogus-option
    same_as_full_parse "$sub" --path
    same_as_full_parse "$sub" --generate-completion-script bash
    same_as_full_parse "$sub" --experimental-dump-help
done
same_as_full_parse
same_as_full_parse --help
same_as_full_parse help
same_as_full_parse bogus
same_as_full_parse --generate-completion-script zsh
same_as_full_parse start
same_as_full_parse start -d -s web
same_as_full_parse start --plan p.json web
same_as_full_parse start one two
same_as_full_parse kill
same_as_full_parse kill -- '../x'
same_as_full_parse start-all extra
same_as_full_parse check --all web
same_as_full_parse check --format xml web
same_as_full_parse check --path "$state" --no-filesystem web ./broken.conf
same_as_full_parse check --path "$state" --no-filesystem --format json --all
same_as_full_parse list --path "$state/empty-state"
# A completion request among exec's command words: the full parse looks for one anywhere.
same_as_full_parse exec --path "$state/empty-state" web echo --generate-completion-script bash
same_as_full_parse exec --path "$state/empty-state" web -- sh --generate-completion-script

echo "check CLI tests: $failures failure(s)"
exit $((failures > 0))
