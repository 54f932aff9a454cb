#!/usr/bin/env bash
# Prints the table of benchmarks/run.sh's results again: benchmarks/table.sh [benchmarks/target/run/results.txt]
set -euo pipefail
bench="$(cd "$(dirname "$0")" && pwd)"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$java_bin" -cp "$bench/target/classes" dev.dispatch.bench.Table "${1:-$bench/target/run/results.txt}"
