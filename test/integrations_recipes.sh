#!/usr/bin/env bash
# ctest (label integrations): runs the recipes of docs/integrations.md as they are written. Each
# block follows a `<!-- recipe: NAME ... -->` line. Shell blocks run in a scratch folder with
# `logad` (the binary under test) first on PATH, next to stand-ins for the cloud clients that
# print the committed sample of their output (examples/formats/): aws, kubectl, gcloud, curl to
# Elasticsearch, journalctl. Configuration blocks are checked by the real tool where Debian has it
# (rsyslogd -N1) or parsed (the Filebeat YAML). Tools that are missing are said (SKIP), and fail
# the test when CI is set.
#   integrations_recipes.sh docs/integrations.md LOGAD_BINARY
set -euo pipefail
doc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
logad=$(realpath "$2")
src=$(cd "$(dirname "$doc")/.." && pwd)
formats=$src/examples/formats
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
skip() {
  echo "SKIP: $*"
  if [[ -n ${CI:-} ]]; then fail "CI is set and $*"; fi
}

if ! command -v jq >/dev/null; then  # the checks and the _bulk stand-in read JSON with it
  echo "SKIP: jq is missing (scripts/install-deps.sh --test installs it)"
  [[ -n ${CI:-} ]] && exit 1
  exit 77
fi

# The block after `<!-- recipe: NAME`.
block() {
  awk -v name="$1" '
      index($0, "<!-- recipe: " name " ") == 1 || $0 == "<!-- recipe: " name " -->" { found = 1; next }
      found && !inside && /^```/ { inside = 1; next }
      inside && /^```/ { exit }
      inside { print }' "$doc"
}

mkdir -p "$work/bin" "$work/base"
ln -s "$logad" "$work/bin/logad"
ln -s "$src/examples" "$work/base/examples"
stand_in() {  # NAME BODY: a script on PATH before the real tool
  printf '#!/usr/bin/env bash\n%s\n' "$2" > "$work/bin/$1"
  chmod +x "$work/bin/$1"
}
stand_in aws "case \"\$1 \$2\" in
  'logs tail') cat '$formats/cloudwatch-tail.log' ;;
  'logs filter-log-events'|'logs get-log-events') cat '$formats/cloudwatch-events.json' ;;
  *) echo \"aws stand-in: \$*\" >&2; exit 2 ;;
esac"
stand_in kubectl "[[ \$1 == logs && \" \$* \" == *' --prefix '* ]] || { echo \"kubectl stand-in: \$*\" >&2; exit 2; }
cat '$formats/kubectl-prefix.log'"
stand_in gcloud "[[ \"\$1 \$2\" == 'logging read' && \" \$* \" == *' --format=json '* ]] || { echo \"gcloud stand-in: \$*\" >&2; exit 2; }
cat '$formats/gcloud-logging.json'"
stand_in journalctl "[[ \" \$* \" == *' -o json '* ]] || { echo \"journalctl stand-in: \$*\" >&2; exit 2; }
cat '$formats/journald.json'"
# Elasticsearch: a _search answers with the sample; a _bulk body must alternate action lines and
# ECS documents (each valid JSON), as Elasticsearch requires.
stand_in curl "url=\${@: -1}
case \$url in
  *localhost:9200*/_search*) cat '$formats/elasticsearch-search.json' ;;
  *localhost:9200*/_bulk*)
    body=\$(for a in \"\$@\"; do [[ \$a == @* ]] && echo \"\${a#@}\"; done)
    n=0
    while IFS= read -r line; do
      n=\$((n + 1))
      if ((n % 2)); then [[ \$line == '{\"create\":{}}' ]] || { echo \"bad action line \$n\" >&2; exit 22; }
      else jq -e '.event.kind == \"alert\" and .ecs.version != null' <<<\"\$line\" >/dev/null || { echo \"bad document \$n\" >&2; exit 22; }; fi
    done < \"\$body\"
    ((n > 0 && n % 2 == 0)) || { echo 'empty or odd _bulk body' >&2; exit 22; }
    echo '{\"took\":1,\"errors\":false}' ;;
  *) exec /usr/bin/curl \"\$@\" ;;
esac"
export PATH="$work/bin:$PATH"

# What the ECS recipe scores: a model of the example log's first 1000 lines, and the rest. Each
# recipe runs in its own copy of this folder.
head -n 1000 "$src/examples/app.log" > "$work/base/train.log"
tail -n +1001 "$src/examples/app.log" > "$work/base/app.log"
logad train -q -o "$work/base/model.json" "$work/base/train.log"

run_recipe() {  # NAME CHECK...: runs the shell block, then each check (a command) in the folder
  local name=$1
  shift
  local code dir=$work/run-$name
  cp -a "$work/base" "$dir"
  code=$(block "$name")
  if [[ -z $code ]]; then fail "no block for recipe $name in $doc"; return; fi
  if ! (cd "$dir" && bash -euo pipefail -c "$code" > "$name.out" 2> "$name.err"); then
    fail "recipe $name exited non-zero:"
    cat "$dir/$name.err" >&2
    return
  fi
  local check
  for check in "$@"; do
    (cd "$dir" && bash -euo pipefail -c "$check") || fail "recipe $name: check failed: $check"
  done
  echo "ok: recipe $name"
}

# the score summary says how many lines and events were read
run_recipe aws-tail 'grep -q "logad score: 48 lines, 48 events" aws-tail.err' 'test -s model.json'
run_recipe aws-filter 'test "$(jq -r .fields.log_stream aws-filter.out | head -1)" = ecs/api/7f3c9a1b2d4e4f60' 'test -s api-model.json'
run_recipe elasticsearch 'grep -q "logad score: 30 lines, 30 events" elasticsearch.err'
run_recipe gcloud 'test -s gke-model.json'
run_recipe kubectl 'grep -q "logad score: 30 lines, 30 events" kubectl.err'
run_recipe journald 'grep -q "logad score: 30 lines, 30 events" journald.err'
run_recipe ecs-bulk 'test "$(wc -l < bulk.ndjson)" -ge 2' 'grep -q "\"errors\":false" ecs-bulk.out'

# The Filebeat configuration: it parses, reads ndjson, and the documents it reads are ECS alerts.
yaml=$(block filebeat)
if /usr/bin/python3 -c 'import yaml' 2>/dev/null; then
  printf '%s\n' "$yaml" | /usr/bin/python3 -c '
import sys, yaml
c = yaml.safe_load(sys.stdin)
inp = c["filebeat.inputs"][0]
assert inp["type"] == "filestream", inp
nd = inp["parsers"][0]["ndjson"]
assert nd["overwrite_keys"] is True and nd["target"] == "", nd
' && echo "ok: filebeat configuration parses" || fail "the filebeat configuration"
else
  skip "python3-yaml is missing: the Filebeat configuration was not parsed"
fi
(cd "$work/base" && logad score -q -m model.json --output ecs app.log > alerts.ndjson &&
  jq -e -s 'length > 0 and all(.[]; .event.kind == "alert" and (.["@timestamp"] | type) == "string")' alerts.ndjson >/dev/null) \
  && echo "ok: the documents the Filebeat input reads are ECS alerts" || fail "ECS documents for Filebeat"

# rsyslog's forwarding action, validated by rsyslogd itself.
if command -v rsyslogd >/dev/null; then
  block rsyslog > "$work/rsyslog.conf"
  if rsyslogd -N1 -f "$work/rsyslog.conf" > "$work/rsyslog.out" 2>&1; then
    echo "ok: rsyslog configuration validates (rsyslogd -N1)"
  else
    fail "rsyslogd -N1 rejects the recipe's configuration:"; cat "$work/rsyslog.out" >&2
  fi
else
  skip "rsyslogd is missing: the rsyslog recipe was not validated"
fi

# The real journalctl, when this machine's journal has entries.
real_journalctl=$(PATH=${PATH#"$work/bin:"} command -v journalctl || true)
if [[ -n $real_journalctl ]] && "$real_journalctl" -o json -n 200 --no-pager 2>/dev/null | head -c1 | grep -q .; then
  "$real_journalctl" -o json -n 200 --no-pager | logad parse -q > "$work/journal.ndjson"
  if jq -e -s 'length > 0 and all(.[]; has("ts") and (.message | startswith("{\"__") | not))' "$work/journal.ndjson" >/dev/null; then
    echo "ok: the real journalctl -o json is read ($(wc -l < "$work/journal.ndjson") records)"
  else
    fail "the real journalctl -o json output was not read as journald records"
  fi
else
  echo "SKIP: this machine's journal is empty; the journald recipe ran with the committed sample"
fi

if ((fails)); then echo "$fails recipe checks failed" >&2; exit 1; fi
echo "all recipes ran"
