#!/usr/bin/env bash
# The offline HTML page (`kb export --format html`) on a generated bank: its size, and how long
# its search takes per query in headless Chromium, as the page itself measures it
# (performance.now() around the search, shown in #status).
#
#   bench/page.sh            # 2,000 questions
#   bench/page.sh 500        # another size
#
# Needs cargo, chromium, python3 and the public corpora (../shared/corpora or KB_CORPORA).
# Chromium's CPU throttling needs the DevTools protocol, which this script does not drive: the
# times are this machine's, unthrottled (see docs/BENCHMARKS.md for how they are read).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
corpora=${KB_CORPORA:-$root/../shared/corpora}
work=${BENCH_DIR:-/tmp/kb-bench}
n=${1:-2000}
command -v chromium >/dev/null || { echo "missing: chromium (apt-get install chromium)" >&2; exit 2; }
[ -d "$corpora" ] || { echo "corpora not found at $corpora (set KB_CORPORA)" >&2; exit 2; }

cargo build --release --quiet --bin kb --example gen_kb --manifest-path "$root/Cargo.toml"
kb="$root/target/release/kb"
dir="$work/page$n"
mkdir -p "$work"
if [ ! -d "$dir/questions" ]; then
  rm -rf "$dir"
  "$root/target/release/examples/gen_kb" "$corpora" "$dir" "$n" "$work/page$n.sql" >/dev/null
fi
page="$work/page$n.html"
"$kb" --kb "$dir" export --format html -o "$page" 2>/dev/null
bytes=$(stat -c %s "$page")
echo "page for $n questions: $((bytes / 1024)) KiB"

queries=("차원의저주" "가상메모리가" "gradient descent" "TCP handshake" "Batch Normalization의 효과")
for q in "${queries[@]}"; do
  enc=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$q")
  times=()
  for _ in 1 2 3 4 5; do
    ms=$(chromium --headless --no-sandbox --disable-gpu --no-first-run \
      --dump-dom "file://$page#q=$enc" 2>/dev/null | grep -o 'data-ms="[0-9.]*"' | grep -o '[0-9.]*' || echo "?")
    times+=("$ms")
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
  echo "search \"$q\": median $median ms (runs: ${times[*]})"
done
