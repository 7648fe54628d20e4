#!/usr/bin/env bash
# Times `kb import` of a generated notes repository: N sections (default 10000) in files of 20
# `##` topic sections each, every section a dozen lines of real sentences from the notes corpora,
# with a sub-heading, a list and a code block — the shape of cs-study's READMEs.
#
#   bench/import.sh            # 10000 sections
#   bench/import.sh 20000
#
# Needs: cargo, python3, GNU time (/usr/bin/time), the corpora (../shared/corpora or KB_CORPORA).
# Prints the median of three imports, each into a fresh knowledge base, and peak memory.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
corpora=${KB_CORPORA:-$root/../shared/corpora}
work=${BENCH_DIR:-/tmp/kb-bench}
sections=${1:-10000}
[ -d "$corpora/cs-study" ] || { echo "corpora not found at $corpora (set KB_CORPORA)" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "missing: /usr/bin/time (apt-get install time)" >&2; exit 2; }

cargo build --release --quiet --bin kb --manifest-path "$root/Cargo.toml"
kb="$root/target/release/kb"
notes="$work/notes$sections"
mkdir -p "$work"

if [ ! -d "$notes" ]; then
  echo "generating $sections sections in $notes..." >&2
  python3 - "$corpora" "$notes" "$sections" <<'PY'
import os, random, sys
corpora, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = []
for corpus in ("cs-study", "technicalnote"):
    for d, _, files in os.walk(os.path.join(corpora, corpus)):
        for f in files:
            if f.endswith(".md"):
                for l in open(os.path.join(d, f), encoding="utf-8"):
                    l = l.strip()
                    if len(l) > 20 and not l.startswith(("#", "|", "!", "<", "[", "`", ">")):
                        lines.append(l.lstrip("-* "))
rng = random.Random(7)
per_file = 20
for f in range(0, n, per_file):
    folder = os.path.join(out, f"area{f // 1000:02d}")
    os.makedirs(folder, exist_ok=True)
    parts = [f"# 영역 {f // per_file}\n"]
    for s in range(f, min(f + per_file, n)):
        words = rng.choice(lines).split()[:4]
        parts.append(f"## 주제 {s} {' '.join(words)}\n")
        parts.extend(rng.choice(lines) + "\n" for _ in range(4))
        parts.append(f"### 세부 {s}\n")
        parts.extend(f"- {rng.choice(lines)}\n" for _ in range(5))
        parts.append("```python\nx = compute(%d)\nprint(x)\n```\n" % s)
    open(os.path.join(folder, f"notes{f // per_file}.md"), "w", encoding="utf-8").write("\n".join(parts))
PY
fi

files=$(find "$notes" -name '*.md' | wc -l)
: > "$work/import-times.txt"
for run in 1 2 3; do
  dir="$work/import-kb-$run"
  rm -rf "$dir"
  "$kb" init "$dir" >/dev/null 2>&1
  /usr/bin/time -a -o "$work/import-times.txt" -f "%e %M" "$kb" --kb "$dir" import --json "$notes" > "$work/import-$run.json" 2>/dev/null
done
created=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["created"])' "$work/import-1.json")
read -r secs kib < <(sort -n "$work/import-times.txt" | sed -n 2p)
all=$(cut -d' ' -f1 "$work/import-times.txt" | sort -n | paste -sd/)
echo "kb import: $sections sections in $files files → $created questions: median ${secs}s (runs: ${all}s), peak $((kib / 1024)) MiB"
