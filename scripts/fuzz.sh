#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang + ASan + UBSan) in build-fuzz/ and runs each for a
# bounded time on its committed seed corpus (fuzz/corpus/<target>/), one after the other.
# New inputs go to build-fuzz/corpus/<target>/ (the committed seeds are only read); a crash
# leaves its input in build-fuzz/artifacts/<target>/ and fails the run. Prints a Markdown table.
#   scripts/fuzz.sh [--seconds N] [--only TARGET]... [--no-build] [--build-dir DIR] [--update-corpus]
#   --build-dir DIR  use (and build the targets in) another clang build configured with
#                    -DLOGAD_FUZZ=ON, e.g. build-asan/ of scripts/test-sanitize.sh
#   --update-corpus  merges what the run found into fuzz/corpus/ (minimised, for a commit)
#   --new-finds-warn a crash on a committed seed (a regression) fails the run; a crash the timed
#                    run finds anew is printed with its input but does not (CI: a fresh find
#                    must not block unrelated work; it becomes a fix, a test and a seed)
# Reproduce a crash: build-fuzz/fuzz/<target> build-fuzz/artifacts/<target>/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=30 only=() build=1 update=0 warn_new=0 dir=build-fuzz
while (($#)); do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --only) only+=("$2"); shift 2 ;;
    --no-build) build=0; shift ;;
    --build-dir) dir=$2; shift 2 ;;
    --update-corpus) update=1; shift ;;
    --new-finds-warn) warn_new=1; shift ;;
    *) echo "usage: $0 [--seconds N] [--only TARGET] [--no-build] [--build-dir DIR] [--update-corpus] [--new-finds-warn]" >&2; exit 2 ;;
  esac
done

targets=(fuzz_parse_line fuzz_header_format fuzz_event_json fuzz_json_scanner fuzz_table_reader fuzz_read_double fuzz_model_file fuzz_miner_state fuzz_otlp_protobuf)
((${#only[@]})) && targets=("${only[@]}")
if ((build)); then
  command -v clang++ >/dev/null || { echo "fuzz: clang++ is needed (apt-get install clang)" >&2; exit 2; }
  [[ -f $dir/CMakeCache.txt ]] || CC=clang CXX=clang++ cmake -S . -B $dir -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DLOGAD_FUZZ=ON -DLOGAD_BUILD_TESTS=OFF >/dev/null
  cmake --build $dir -j"$(nproc)" --target "${targets[@]}"
fi

export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:${UBSAN_OPTIONS:-}"
rows=() failed=0
for t in "${targets[@]}"; do
  work=$dir/corpus/$t artifacts=$dir/artifacts/$t log=$dir/logs/$t.log
  mkdir -p "$work" "$artifacts" "$(dirname "$log")"
  dict=(); [[ $t != fuzz_parse_line && $t != fuzz_header_format && $t != fuzz_otlp_protobuf ]] && dict=(-dict=fuzz/json.dict)
  echo "fuzz: $t for ${seconds}s" >&2
  status=0
  "$dir/fuzz/$t" "$work" "fuzz/corpus/$t" "${dict[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  corp=$(grep -o 'corp: [0-9]*/[0-9]*[a-zA-Z]*' "$log" | tail -1 | cut -d' ' -f2)
  result=ok
  if ((status)); then
    grep -m3 -E 'ERROR: |runtime error|fuzz check failed|deadly signal' "$log" >&2 || true
    if grep -q 'INITED' "$log" && ((warn_new)); then  # past the seeds: a new find
      result="**new crash** (not fatal here; see $log, $artifacts/)"
      echo "fuzz: $t found a new crash; its input: $(ls "$artifacts"/crash-* 2>/dev/null | head -n 1)" >&2
    else
      result="**crash** (see $log, $artifacts/)"
      failed=1
    fi
  fi
  rows+=("| $t | ${execs:-?} | ${took:-$seconds} | ${corp:-?} | $result |")
  if ((update && !status)); then
    "$dir/fuzz/$t" -merge=1 "fuzz/corpus/$t" "$work" "${dict[@]}" >/dev/null 2>&1
  fi
done

echo "| target | executions | time (s) | corpus (inputs/bytes) | result |"
echo "|---|---:|---:|---:|---|"
printf '%s\n' "${rows[@]}"
exit $failed
