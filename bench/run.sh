#!/usr/bin/env bash
# Benchmarks kb against ripgrep and SQLite FTS5 on generated knowledge bases, side by side.
#
#   bench/run.sh                 # 1k, 10k and 100k questions
#   bench/run.sh 1000 10000      # chosen sizes
#
# Needs: cargo, hyperfine, rg (ripgrep), sqlite3 with FTS5, python3, GNU time (/usr/bin/time),
# and the public corpora (../shared/corpora or KB_CORPORA) for the vocabulary.
# Generated banks are kept in $BENCH_DIR (default /tmp/kb-bench) and reused.
# Prints a Markdown report and writes it to $BENCH_DIR/results.md.
# BENCH_SEARCH=0 skips the search/reindex part, BENCH_COMMANDS=0 the every-day commands part.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
corpora=${KB_CORPORA:-$root/../shared/corpora}
work=${BENCH_DIR:-/tmp/kb-bench}
runs=${BENCH_RUNS:-30}
if [ $# -gt 0 ]; then sizes=("$@"); else sizes=(1000 10000 100000); fi

for tool in hyperfine rg sqlite3 python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install hyperfine ripgrep sqlite3 time)" >&2; exit 2; }
done
[ -d "$corpora" ] || { echo "corpora not found at $corpora (set KB_CORPORA)" >&2; exit 2; }

cargo build --release --quiet --bin kb --example gen_kb --manifest-path "$root/Cargo.toml"
kb="$root/target/release/kb"
gen="$root/target/release/examples/gen_kb"
mkdir -p "$work"

# Queries as people type them: Korean with particles and without spaces, English, mixed.
queries=("차원의저주" "가상메모리가" "gradient descent" "TCP handshake" "Batch Normalization의 효과")

report="$work/results.md"
{
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(uname -sr); $(date -u +%Y-%m-%d)"
  echo
} > "$report"

median() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print(" ".join("%.1f" % (x["median"]*1000) for x in r))' "$1"; }

for n in "${sizes[@]}"; do
  dir="$work/kb$n"
  db="$work/fts$n.db"
  if [ ! -d "$dir/questions" ]; then
    echo "generating $n questions..." >&2
    rm -rf "$dir" "$db" "$work/docs$n.sql"
    "$gen" "$corpora" "$dir" "$n" "$work/docs$n.sql" >/dev/null
  fi
  [ -f "$db" ] || sqlite3 "$db" < "$work/docs$n.sql"
  [ "${BENCH_SEARCH:-1}" = 1 ] || continue   # BENCH_SEARCH=0: only the every-day commands below

  # Full reindex: wall time (median of three) and peak memory (the largest of the three).
  : > "$work/times.txt"
  for _ in 1 2 3; do
    /usr/bin/time -a -o "$work/times.txt" -f "%e %M" "$kb" --kb "$dir" reindex >/dev/null 2>&1
  done
  read -r secs kib < <(sort -n "$work/times.txt" | sed -n 2p | awk -v m="$(sort -k2 -n "$work/times.txt" | tail -1 | cut -d' ' -f2)" '{print $1, m}')
  all_secs=$(cut -d' ' -f1 "$work/times.txt" | sort -n | paste -sd/)
  echo "## $n questions" >> "$report"
  echo >> "$report"
  echo "Full reindex: ${secs} s (median of ${all_secs} s), peak memory $((kib / 1024)) MiB (\`kb reindex\`, GNU time)." >> "$report"
  echo >> "$report"
  echo "| query | kb search (ms) | rg (ms) | sqlite3 FTS5 (ms) | rg / kb |" >> "$report"
  echo "|---|---|---|---|---|" >> "$report"

  for q in "${queries[@]}"; do
    rg_args=""; fts=""
    for w in $q; do rg_args="$rg_args -e $w"; fts="${fts:+$fts OR }\"$w\""; done
    json="$work/h-$n.json"
    hyperfine -N -i --warmup 3 --runs "$runs" --export-json "$json" \
      "$kb --kb $dir --color never search $q --limit 10" \
      "rg -i -l $rg_args $dir/questions" \
      "sqlite3 $db \"SELECT id FROM docs WHERE docs MATCH '$fts' ORDER BY bm25(docs, 0, 3.0, 1.0) LIMIT 10\"" \
      >/dev/null 2>&1 || true
    read -r k r s < <(median "$json")
    ratio=$(python3 -c "print('%.0f×' % ($r / $k))")
    echo "| \`$q\` | $k | $r | $s | $ratio |" >> "$report"
  done
  echo >> "$report"

  # Catching up after 100 files changed (and committed, as after a pull): the first search
  # pays for it. Five rounds, each changing 100 other files.
  # Only files whose last field is a block answer take an extra answer line (a question kb
  # added with no answer ends in `answer: ''`); the words are new on every run of the script.
  times=()
  grep -l "^answer: |" -r "$dir/questions" | sort > "$work/editable.txt"
  run_id=$(date +%s)
  for round in 1 2 3 4 5; do
    word="round${run_id}${round}"
    sed -n "$((round * 100 + 1)),$((round * 100 + 100))p" "$work/editable.txt" | while read -r f; do
      printf '  bench edit %s\n' "$word" >> "$f"
    done
    git -C "$dir" -c user.name=bench -c user.email=bench@localhost commit -qam "bench round $round"
    start=$(date +%s%N)
    found=$("$kb" --kb "$dir" search "$word" --limit 500 --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
    end=$(date +%s%N)
    [ "$found" = 100 ] || { echo "catch-up check failed: found $found of 100" >&2; exit 1; }
    times+=($(( (end - start) / 1000000 )))
  done
  plain=$(hyperfine -N --warmup 2 --runs 10 --export-json "$work/p-$n.json" "$kb --kb $dir search round${run_id}1 --limit 500 --json" >/dev/null 2>&1; median "$work/p-$n.json")
  catch=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
  echo "After 100 files changed and committed: first search ${catch} ms (median of 5 rounds, all 100 found), the same search once caught up ${plain} ms." >> "$report"
  echo >> "$report"
done


# --- Every-day commands at scale (issue 7): median wall time of 10 runs, and kb add against
# the git command doing the same commit. BENCH_COMMANDS=0 skips this part.
if [ "${BENCH_COMMANDS:-1}" = 1 ]; then
  {
    echo "## Every-day commands"
    echo
    echo "Median wall time of 10 runs (ms); peak memory of one run (MiB)."
    echo
    echo "| command | $(printf '%s | ' "${sizes[@]/%/ questions}")"
    echo "|---|$(printf -- '---|%.0s' "${sizes[@]}")"
  } >> "$report"
  declare -A cell
  time_cmd() { # label size command...
    local label=$1 n=$2; shift 2
    local json="$work/c-$n.json"
    hyperfine -N -i --warmup 2 --runs 10 --export-json "$json" "$*" >/dev/null 2>&1 || true
    local ms; ms=$(median "$json" | cut -d' ' -f1)
    /usr/bin/time -o "$work/mem.txt" -f "%M" "$@" >/dev/null 2>&1 || true
    cell["$label|$n"]="$ms ($(( $(cat "$work/mem.txt") / 1024 )))"
  }
  stamp=$(date +%s)   # fresh ids on every run of the script
  for n in "${sizes[@]}"; do
    dir="$work/kb$n"
    "$kb" --kb "$dir" search warm >/dev/null 2>&1 || true   # the index is current
    id=$(ls "$dir/questions" | sed -n '1s/\.yaml$//p')   # not `head`: SIGPIPE + pipefail
    tag=$("$kb" --kb "$dir" show "$id" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["tags"][0])')
    "$kb" --kb "$dir" interview add --company 벤치 --no-dedupe "벤치마크 질문 $n" >/dev/null 2>&1 || true
    time_cmd "kb show ID" "$n" "$kb" --kb "$dir" show "$id"
    time_cmd "kb list --tag T" "$n" "$kb" --kb "$dir" list --tag "$tag" --color never
    time_cmd "kb list --json (all)" "$n" "$kb" --kb "$dir" list --json
    time_cmd "kb list (all, table)" "$n" "$kb" --kb "$dir" list --color never
    time_cmd "kb search (2 words)" "$n" "$kb" --kb "$dir" search 가상메모리 TCP --limit 10
    time_cmd "kb stats" "$n" "$kb" --kb "$dir" stats --color never
    time_cmd "kb prep --company C" "$n" "$kb" --kb "$dir" prep --company 벤치 --format md
    # Writes: each run changes the bank, so they are timed one by one (median of 10).
    write_median() { # label size command-with-{i}
      local label=$1 n=$2 cmd=$3 t=()
      for i in $(seq 1 10); do
        local c=${cmd//\{i\}/$i}
        local s; s=$(date +%s%N); eval "$c" >/dev/null 2>&1; t+=($(( ($(date +%s%N) - s) / 1000000 )))
      done
      cell["$label|$n"]=$(printf '%s\n' "${t[@]}" | sort -n | sed -n 5p)
    }
    write_median "kb add" "$n" "'$kb' --kb '$dir' add 'bench question {i} $n' --id bench-$n-$stamp-{i}"
    write_median "kb add --no-dedupe" "$n" "'$kb' --kb '$dir' add 'bench plain question {i} $n' --no-dedupe --id plain-$n-$stamp-{i}"
    write_median "kb tag ID +tag" "$n" "'$kb' --kb '$dir' tag bench-$n-$stamp-{i} +benchtag"
    write_median "kb merge A B" "$n" "'$kb' --kb '$dir' add 'merge me {i}' --id mrg-$n-$stamp-{i} && '$kb' --kb '$dir' merge bench-$n-$stamp-{i} mrg-$n-$stamp-{i}"
    write_median "git add + git commit (one file)" "$n" "printf 'id: g-$n-$stamp-{i}\nquestion: git {i}\n' > '$dir/questions/g-$n-$stamp-{i}.yaml' && git -C '$dir' add questions/g-$n-$stamp-{i}.yaml && git -C '$dir' -c user.name=b -c user.email=b@l commit -qm 'g {i}'"
  done
  for label in "kb show ID" "kb list --tag T" "kb list --json (all)" "kb list (all, table)" "kb search (2 words)" "kb stats" "kb prep --company C" "kb add" "kb add --no-dedupe" "kb tag ID +tag" "kb merge A B" "git add + git commit (one file)"; do
    row="| $label |"
    for n in "${sizes[@]}"; do row="$row ${cell["$label|$n"]} |"; done
    echo "$row" >> "$report"
  done
  echo >> "$report"
  echo "(kb merge is timed together with the kb add that creates the question it folds in. kb add looks for look-alikes first; --no-dedupe does not.)" >> "$report"
fi

# --- kb dups (issue 11): median of 3 runs and peak memory. BENCH_DUPS=0 skips it.
# BENCH_DUPS_OLD=/path/to/kb times another build beside it (the one before a change).
if [ "${BENCH_DUPS:-1}" = 1 ]; then
  {
    echo
    echo "## kb dups"
    echo
    echo "| bank | kb dups (s) | peak MiB | pairs |${BENCH_DUPS_OLD:+ other build (s) | peak MiB | pairs |}"
    echo "|---|---|---|---|${BENCH_DUPS_OLD:+---|---|---|}"
  } >> "$report"
  dups_row() { # binary dir -> "secs | MiB | pairs"
    local bin=$1 dir=$2 json="$work/d.json"
    hyperfine -N -i --warmup 1 --runs 3 --export-json "$json" "$bin --kb $dir dups --limit 50" >/dev/null 2>&1 || true
    local secs; secs=$(python3 -c 'import json,sys; print("%.2f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$json")
    /usr/bin/time -o "$work/mem.txt" -f "%M" "$bin" --kb "$dir" dups --limit 1000 --json > "$work/pairs.json" 2>/dev/null || true
    local pairs; pairs=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$work/pairs.json" 2>/dev/null || echo 0)
    echo "$secs | $(( $(cat "$work/mem.txt") / 1024 )) | $pairs"
  }
  for n in "${sizes[@]}"; do
    dir="$work/kb$n"
    row="| $n | $(dups_row "$kb" "$dir") |"
    [ -n "${BENCH_DUPS_OLD:-}" ] && row="$row $(dups_row "$BENCH_DUPS_OLD" "$dir") |"
    echo "$row" >> "$report"
  done
fi

cat "$report"
