#!/usr/bin/env bash
# The offline HTML page (`kb export --format html`) on a generated bank, as a phone runs it:
# its size, how long it takes to load, and how long each keystroke of a search takes in headless
# Chromium at 390×844 with the CPU throttled 4× (and unthrottled, for comparison), driven over
# the DevTools protocol by examples/page_bench.rs. Prints Markdown tables.
#
#   bench/page.sh            # 2,000 questions
#   bench/page.sh 500        # another size
#
# Needs cargo, chromium and the public corpora (../shared/corpora or KB_CORPORA). Builds in
# CARGO_TARGET_DIR when it is set; works in BENCH_DIR (default /tmp/kb-bench).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
corpora=${KB_CORPORA:-$root/../shared/corpora}
work=${BENCH_DIR:-/tmp/kb-bench}
n=${1:-2000}
command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null ||
  { echo "missing: chromium (apt-get install chromium)" >&2; exit 2; }
[ -d "$corpora" ] || { echo "corpora not found at $corpora (set KB_CORPORA)" >&2; exit 2; }

cargo build --release --quiet --bin kb --example gen_kb --example page_bench --manifest-path "$root/Cargo.toml"
target=${CARGO_TARGET_DIR:-$root/target}
kb="$target/release/kb"
dir="$work/page$n"
mkdir -p "$work"
if [ ! -d "$dir/questions" ]; then
  rm -rf "$dir"
  "$target/release/examples/gen_kb" "$corpora" "$dir" "$n" "$work/page$n.sql" >/dev/null
fi
page="$work/page$n.html"
"$kb" --kb "$dir" export --format html -o "$page" 2>/dev/null
bytes=$(stat -c %s "$page")
echo "page for $n questions: $((bytes / 1024)) KiB"

queries=("차원의저주" "가상메모리가" "gradient descent" "TCP handshake" "Batch Normalization의 효과"
  "ㄱㅅ ㅁㅁㄹ" "과적합")
"$target/release/examples/page_bench" "$page" "${queries[@]}"
