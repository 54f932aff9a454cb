#!/usr/bin/env bash
# Issue 19, "fewer indexed columns written per call", measured on PostgreSQL (docs/benchmarks.md): one cold run of
# Dispatch's WORKLOAD (W1 or W4, N = 10,000) on a fresh database whose schema is created first and then changed:
#
#   benchmarks/experiments/pg-fewer-indexes.sh WORKLOAD base|idem|idem+console
#
# base: the schema as it is (15 indexes on dispatch_invocation). idem: the idempotency key's UNIQUE constraint, which
# takes an entry (NULL) for every row version, replaced by a partial unique index of the keyed rows only.
# idem+console: also the five indexes of the console and the actuator (created, function_created, completed, runs,
# finished_roots) moved to a table of their own under the same names, so that the engine's schema script (CREATE INDEX
# IF NOT EXISTS) does not create them again. Cold only: the warm pass runs on a database the engine creates itself.
# Needs benchmarks/target (benchmarks/run.sh builds it) and PostgreSQL at PGHOST/PGPORT/PGUSER (127.0.0.1, 5432,
# postgres, no password).
set -euo pipefail
cd "$(dirname "$0")/../.."
workload="$1"
variant="$2"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
classpath="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
database="indexes_$$"
psql -qc "CREATE DATABASE $database"
trap 'psql -qc "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true' EXIT
psql -q -d "$database" -f dispatch-spring-boot-autoconfigure/src/main/resources/dev/dispatch/store/schema-postgresql.sql \
    >/dev/null 2>&1
if [ "$variant" != base ]; then
    psql -q -d "$database" -c "ALTER TABLE dispatch_invocation DROP CONSTRAINT dispatch_invocation_idempotency_key;
        CREATE UNIQUE INDEX x_idempotency_key ON dispatch_invocation (idempotency_key)
            WHERE idempotency_key IS NOT NULL"
fi
if [ "$variant" = idem+console ]; then
    psql -q -d "$database" -c "CREATE TABLE x_moved (x INT)"
    for index in created function_created completed runs finished_roots; do
        psql -q -d "$database" -c "DROP INDEX dispatch_invocation_$index;
            CREATE INDEX dispatch_invocation_$index ON x_moved (x)"
    done
fi
result="$("${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xmx512m -cp "$classpath" dev.dispatch.bench.Bench engine=dispatch \
    variant=default db=pg workload="$workload" n=10000 url="jdbc:postgresql://$PGHOST:$PGPORT/$database" \
    user="$PGUSER" warm=false 2>/dev/null | grep '^RESULT ' | grep -oE '(rate|cpuMs|verified)=[^ ]+' | paste -sd' ')"
indexes="$(psql -d "$database" -Atc "SELECT count(*) FROM pg_indexes WHERE tablename = 'dispatch_invocation'")"
echo "$workload $variant indexes=$indexes $result load=$(cut -d' ' -f1 /proc/loadavg)"
