#!/usr/bin/env bash
# What one Dispatch run writes on PostgreSQL (issue 14's speed bar): its commits, and the rows it inserted and updated
# (HOT updates among them), read from pg_stat_database and pg_stat_user_tables of the run's own database once the
# run's JVM has exited (a backend reports its counts when it ends).
#
#   benchmarks/pg-counts.sh [--jar ENGINE_JAR] [--jvm-opt OPTION] [WORKLOAD [N]]    # W4 10000 by default
#
# --jar runs another build of the engine in place of this one (as run.sh --baseline does); --jvm-opt adds a JVM option
# (repeatable: -Ddispatch.workers=32). Needs benchmarks/target (benchmarks/run.sh builds it) and a PostgreSQL server
# that takes CREATE DATABASE: PGHOST, PGPORT and PGUSER (default 127.0.0.1, 5432, postgres, no password).
set -euo pipefail
cd "$(dirname "$0")/.."
bench="$PWD/benchmarks"
jar=""
jvm_opts=()
while [ $# -gt 0 ]; do
    case "$1" in
        --jar) jar="$(realpath "$2")"; shift ;;
        --jvm-opt) jvm_opts+=("$2"); shift ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) break ;;
    esac
    shift
done
workload="${1:-W4}"
n="${2:-10000}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
classpath="$bench/target/classes:$(cat "$bench/target/classpath.txt")"
if [ -n "$jar" ]; then
    classpath="$bench/target/classes:$jar:$(tr ':' '\n' < "$bench/target/classpath.txt" \
        | grep -v 'dispatch-spring-boot-autoconfigure' | paste -sd: -)"
fi
database="counts_$$"
psql -qc "CREATE DATABASE $database"
trap 'psql -qc "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true' EXIT
"${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xmx512m ${jvm_opts[@]+"${jvm_opts[@]}"} -cp "$classpath" dev.dispatch.bench.Bench \
    engine=dispatch variant=default db=pg workload="$workload" n="$n" \
    url="jdbc:postgresql://$PGHOST:$PGPORT/$database" user="$PGUSER" warm=false \
    | grep '^RESULT ' | tr ' ' '\n' | grep -E '^(workload|n|seconds|rate|verified)=' | paste -sd' ' -
psql -Atc "SELECT 'commits=' || xact_commit || ' rollbacks=' || xact_rollback FROM pg_stat_database
           WHERE datname = '$database'"
psql -d "$database" -Atc "SELECT relname || ': inserted=' || n_tup_ins || ' updated=' || n_tup_upd
                                 || ' hot=' || n_tup_hot_upd || ' deleted=' || n_tup_del
                          FROM pg_stat_user_tables WHERE n_tup_ins + n_tup_upd + n_tup_del > 0 ORDER BY relname"
