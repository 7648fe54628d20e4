#!/usr/bin/env bash
# How long `kb plan` takes to plan, by bank size, days and room per day (the planning alone, on
# seeded random review histories). Prints a Markdown table.
#
#   bench/plan.sh                       # the default cases
#   bench/plan.sh 10000:14:1000 150:7:20  # QUESTIONS:DAYS:PER_DAY
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release --quiet --example plan_bench --manifest-path "$root/Cargo.toml"
"$root/target/release/examples/plan_bench" "$@"
