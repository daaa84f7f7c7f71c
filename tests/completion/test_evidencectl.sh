#!/usr/bin/env bash
# test_evidencectl.sh BASH_COMPLETION COMPLETION CATALOG: the bash completion
# of evidencectl, as bash-completion would call it. Each case sets the words
# of a command line (the cursor at the end of the last one), calls the
# completion function and compares COMPREPLY (sorted) with what is expected.
set -u
bash_completion=$1 completion=$2 catalog=$3

# shellcheck source=/dev/null
. "$bash_completion"
# shellcheck source=/dev/null
. "$completion"
export EVIDENCED_CATALOG=$catalog

failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
mkdir -p docs/sub state
touch docs/a.docx docs/b.odt

# complete WORD...: the words of the line, the last one being completed.
# COMP_WORDS is split as bash splits it: "--kind=" is "--kind" "=" "".
complete_words()
{
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    local w prev_w=""
    COMP_LINE=""
    for w in "$@"; do   # no blanks around the "=" bash split off
        if [[ -n $COMP_LINE && $w != "=" && $prev_w != "=" ]]; then
            COMP_LINE+=" "
        fi
        COMP_LINE+=$w prev_w=$w
    done
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    _evidencectl evidencectl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    ((${#COMPREPLY[@]})) && printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort | paste -sd ' '
}

# expect "WANTED" WORD...
expect()
{
    local want=$1 got
    shift
    got=$(complete_words "$@")
    if [[ $got == "$want" ]]; then
        echo "ok   [$*] -> [$got]"
    else
        echo "FAIL [$*]: expected [$want], got [$got]"
        failed=1
    fi
}

# expect_count N WORD...: as many candidates (for lists the catalog may grow).
expect_count()
{
    local want=$1 got n
    shift
    got=$(complete_words "$@")
    n=$(wc -w <<<"$got")
    if ((n == want)); then
        echo "ok   [$*] -> $n candidates"
    else
        echo "FAIL [$*]: expected $want candidates, got $n: [$got]"
        failed=1
    fi
}

# Commands and global options.
expect "audit" evidencectl au
expect "document documents" evidencectl doc
expect_count 12 evidencectl ""
expect "--catalog --help --socket --version" evidencectl --socket /run/x.sock --
expect "--catalog" evidencectl --cat
expect "status" evidencectl --socket /run/x.sock st
expect "docs" evidencectl --catalog do

# Each command's options.
expect "--as-of --brief --help --json" evidencectl status --
expect "--as-of --help --json" evidencectl requirement record.projects --
expect "--help --json --kind" evidencectl documents --
expect "--help --json --limit --since" evidencectl history --
expect "--folder --help --json --state" evidencectl verify --
expect "--help --json --no-ocr --no-sandbox --text" evidencectl extract --
expect "--no-ocr --no-sandbox" evidencectl audit docs --no
expect "--help" evidencectl rescan --

# Requirement ids, kinds and categories from the catalog.
expect_count 18 evidencectl requirement ""
expect "record.duration record.projects" evidencectl requirement rec
expect "" evidencectl requirement record.projects ""
expect "record.projects" evidencectl requirement --as-of 2026-12-15 record.p
expect_count 17 evidencectl documents --kind ""
expect "service-contract service-process service-standard" evidencectl documents --kind serv
expect "service-contract service-process service-standard" evidencectl documents --kind = serv
expect "security-audit security-integration security-operations" evidencectl audit docs --categories security-
expect "risk-assessment,security-audit risk-assessment,security-integration risk-assessment,security-operations" \
    evidencectl audit docs --categories risk-assessment,security-
expect "" evidencectl audit docs --categories risk-assessment,risk
expect "help history" evidencectl help h

# --catalog on the line is the catalog read.
cat >mini.xml <<'XML'
<catalog>
  <requirements>
    <requirement id="only.one" clause="1">
    </requirement>
  </requirements>
  <kinds>
    <kind id="memo" zh="备忘" en="memo">
    </kind>
  </kinds>
</catalog>
XML
expect "only.one" evidencectl --catalog mini.xml requirement ""
expect "memo" evidencectl --catalog=mini.xml documents --kind ""
expect "" evidencectl --catalog missing.xml requirement ""

# Files for extract and document, folders for audit, verify --state.
expect "docs/a.docx docs/b.odt docs/sub" evidencectl extract docs/
expect "docs/a.docx docs/b.odt docs/sub" evidencectl extract --json docs/a.docx docs/
expect "docs/a.docx docs/b.odt docs/sub" evidencectl document docs/
expect "docs/sub" evidencectl audit docs/
expect "" evidencectl audit docs/sub docs/
expect "state" evidencectl verify --state st

exit $failed
