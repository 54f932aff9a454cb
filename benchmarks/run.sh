#!/usr/bin/env bash
# Benchmarks of Dispatch for Spring Boot side by side with its peers (issue 6). One command:
#
#   benchmarks/run.sh                # the full matrix, 3 fresh-JVM repeats each (about an hour on 2 cores)
#   benchmarks/run.sh --smoke        # tiny N, 1 repeat, H2 file, PostgreSQL and MariaDB: a few minutes (for CI)
#   benchmarks/run.sh --health [ROWS] # the health probe with ROWS finished invocations (default 1,000,000), H2 file
#   benchmarks/run.sh --fairness [N] # a 10-call root while a root's N-call fan-out (100,000) runs, H2 file (the
#                                    # matrix runs the same at 10,000 as W6, with db-scheduler, on every database)
#   benchmarks/run.sh --baseline JAR # also run Dispatch's W1/W4/W2/W5 (or --fairness) on another build of the engine: JAR
#                                    # in place of this build's dispatch-spring-boot-autoconfigure (variant `baseline`)
#   benchmarks/run.sh --experiment PATCH # also run W1/W4/W2 on this commit with PATCH applied (a design change measured
#                                    # before it is made: benchmarks/experiments/), as variant `x-<patch name>`; repeatable
#   benchmarks/run.sh --parts        # instead of the matrix: W1 and W4 (warm) in the typical variant with one part
#                                    # changed at a time, and in the bare variant (issue 19: what the difference is)
#
# Dispatch runs in two variants: `default` (bare: no web server, no meter registry, a pool of 18 for 16 workers, the H2
# URL below) and `typical` (an application as users run it: Spring MVC, Actuator with Prometheus, Spring Data JPA with
# an entity, Hikari's default pool of 10, Dispatch's defaults, on H2 the README's URL; see TypicalApplication.java).
# Options: --repeats K (default 3), --only REGEX (run only the specs whose "engine/variant/db/workload/n" matches),
# --no-build (reuse benchmarks/target), --no-pg (no PostgreSQL), --no-mdb (no MariaDB), --jfr (record each run with JDK Flight Recorder into
# benchmarks/target/jfr/), --jvm-opt OPTION (add a JVM option to every run, e.g. -XX:TieredStopAtLevel=1; repeatable).
#
# It builds the engine and the benchmarks module (Maven profile `benchmarks`, never installed nor published),
# starts a throwaway PostgreSQL cluster (default durability: fsync=on, synchronous_commit=on) on 127.0.0.1:5440
# under benchmarks/target/pg (stopped on exit), uses the MariaDB server on 127.0.0.1:3306 where one answers (user root,
# no password) or starts a throwaway one on 127.0.0.1:3441 under benchmarks/target/mdb, runs every workload in a fresh JVM (java -Xmx512m) on a fresh
# database (a new H2 file with WRITE_DELAY=0, or CREATE DATABASE on the cluster), and prints a table of medians with
# min and max. Dispatch's W1/W4/W2 at the main N, the raw-JDBC floor (batched) and db-scheduler also run a second,
# warm pass of the same workload in the same JVM on another fresh database: a second table shows those. Each run prints one `RESULT key=value ...` line; all of them are kept in benchmarks/target/run/results.txt
# and each run's log next to it.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
bench="$root/benchmarks"
out="$bench/target/run"

smoke=false
repeats=3
only=""
build=true
use_pg=true
use_mdb=true
jfr=false
extra_jvm_opts=()
health=""
fairness=""
baseline_jar=""
experiment_patches=()
parts=false
while [ $# -gt 0 ]; do
    case "$1" in
        --smoke) smoke=true; repeats=1 ;;
        --health)
            health=1000000
            if [ $# -gt 1 ] && [[ "$2" =~ ^[0-9]+$ ]]; then health="$2"; shift; fi ;;
        --fairness)
            fairness=100000
            if [ $# -gt 1 ] && [[ "$2" =~ ^[0-9]+$ ]]; then fairness="$2"; shift; fi ;;
        --baseline) baseline_jar="$(realpath "$2")"; shift ;;
        --experiment) experiment_patches+=("$(realpath "$2")"); shift ;;
        --repeats) repeats="$2"; shift ;;
        --only) only="$2"; shift ;;
        --no-build) build=false ;;
        --no-pg) use_pg=false ;;
        --no-mdb) use_mdb=false ;;
        --jfr) jfr=true ;;
        --parts) parts=true ;;
        --jvm-opt) extra_jvm_opts+=("$2"); shift ;;
        -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 64 ;;
    esac
    shift
done

java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
started_at=$(date +%s)

if $build; then
    echo "== building (./mvnw -Pbenchmarks -pl benchmarks -am package -DskipTests)"
    ./mvnw -q -B -ntp -Pbenchmarks -pl benchmarks -am package -DskipTests
fi
classpath="$bench/target/classes:$(cat "$bench/target/classpath.txt")"
# the typical variant's: the same and Spring MVC, Tomcat, Actuator, Micrometer and Prometheus
classpath_typical="$bench/target/classes:$(cat "$bench/target/classpath-typical.txt")"

# the same harness on another build of the engine: its jar in place of this build's
with_engine() { # JAR
    echo "$bench/target/classes:$1:$(tr ':' '\n' < "$bench/target/classpath.txt" \
        | grep -v 'dispatch-spring-boot-autoconfigure' | paste -sd: -)"
}
classpath_baseline=""
if [ -n "$baseline_jar" ]; then
    classpath_baseline="$(with_engine "$baseline_jar")"
fi

# the same harness on this commit's engine with a patch applied (--experiment, repeatable): each built from
# `git archive HEAD` in a directory of its own, outside this repository (inside it, git apply would skip every path
# outside that directory, silently)
declare -A experiment_classpaths=()
experiments=()
mkdir -p "$bench/target/experiments"
for patch in ${experiment_patches[@]+"${experiment_patches[@]}"}; do
    name="x-$(basename "$patch" .patch)"
    experiments+=("$name")
    xsrc="$(mktemp -d)"
    git archive HEAD | tar -x -C "$xsrc"
    echo "== building $name: this commit with $patch applied"
    (cd "$xsrc" && git apply --verbose "$patch" \
        && ./mvnw -q -B -ntp -pl dispatch-spring-boot-autoconfigure -am package -DskipTests -Dspotless.check.skip=true)
    cp "$xsrc/dispatch-spring-boot-autoconfigure/target/dispatch-spring-boot-autoconfigure-"*[0-9T].jar \
        "$bench/target/experiments/$name.jar"
    rm -rf "$xsrc"
    experiment_classpaths[$name]="$(with_engine "$bench/target/experiments/$name.jar")"
done

if [ -n "$fairness" ]; then
    rm -rf "$bench/target/fairness" && mkdir -p "$bench/target/fairness"
    for fairness_cp in "$classpath" ${classpath_baseline:+"$classpath_baseline"}; do
        [ "$fairness_cp" = "$classpath" ] && echo "== this build" || echo "== baseline: $baseline_jar"
        rm -rf "$bench/target/fairness/h2"*
        "$java_bin" -Xmx1g -cp "$fairness_cp" dev.dispatch.bench.FairnessBench \
            "jdbc:h2:file:$bench/target/fairness/h2;WRITE_DELAY=0" "$fairness" "$repeats"
    done
    exit 0
fi

if [ -n "$health" ]; then
    rm -rf "$bench/target/health" && mkdir -p "$bench/target/health"
    exec "$java_bin" -Xmx1g -cp "$classpath" dev.dispatch.bench.HealthBench \
        "jdbc:h2:file:$bench/target/health/h2" "$health"
fi

rm -rf "$out"
echo "== $(nproc) cores, $(free -g | awk '/^Mem:/{print $2}') GB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)"
echo "== $("$java_bin" -version 2>&1 | head -1); load average now $(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p "$out/logs" "$out/h2" "$bench/target/jfr"
results="$out/results.txt"
: >"$results"

# --- PostgreSQL: a throwaway cluster of our own (the approach of .ci/postgres.sh, on another port) -------------------
pg_port="${BENCH_PG_PORT:-5440}"
pg_data="$bench/target/pg"
pg_version=""
pg_stop() { :; }
mdb_stop() { :; }
cleanup() { pg_stop; mdb_stop; }
if $use_pg; then
    pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
        echo "== PostgreSQL: not installed; installing it from the distribution's packages"
        if [ "$(id -u)" -eq 0 ]; then sudo_cmd=""; else sudo_cmd="sudo"; fi
        $sudo_cmd apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql >/dev/null
        pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
    fi
    if [ "$(id -u)" -eq 0 ]; then
        as_pg=(su postgres -s /bin/bash -c)   # initdb refuses to run as root
    else
        as_pg=(bash -c)
    fi
    "${as_pg[@]}" "'$pg_bin/pg_ctl' -D '$pg_data' -m immediate stop" >/dev/null 2>&1 || true
    rm -rf "$pg_data"
    mkdir -p "$pg_data"
    [ "$(id -u)" -eq 0 ] && chown postgres "$pg_data"
    "${as_pg[@]}" "'$pg_bin/initdb' -D '$pg_data' -U postgres -A trust >/dev/null"
    # Default durability, spelled out; max_connections leaves room for the largest pool (DBOS's and the peers').
    "${as_pg[@]}" "'$pg_bin/pg_ctl' -D '$pg_data' -l '$pg_data/server.log' -w -o \"-p $pg_port \
        -c listen_addresses=127.0.0.1 -k /tmp -c fsync=on -c synchronous_commit=on -c full_page_writes=on \
        -c max_connections=200\" start >/dev/null"
    pg_stop() { "${as_pg[@]}" "'$pg_bin/pg_ctl' -D '$pg_data' -m fast stop >/dev/null" || true; }
    trap cleanup EXIT
    psql_cmd=(psql -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -v ON_ERROR_STOP=1)
    pg_version="$("${psql_cmd[@]}" -tAc 'SHOW server_version')"
    echo "== PostgreSQL $pg_version: throwaway cluster on 127.0.0.1:$pg_port ($pg_data), fsync=on, synchronous_commit=on"
fi

# --- MariaDB: the server on 127.0.0.1:3306 where one answers, else a throwaway one of our own (as .ci/mariadb.sh does) --
mdb_version=""
if $use_mdb; then
    mdb_port="${BENCH_MDB_PORT:-3306}"
    mdb_cmd=(mariadb --protocol=TCP -h 127.0.0.1 -P "$mdb_port" -u root)
    if ! command -v mariadb >/dev/null 2>&1 || ! "${mdb_cmd[@]}" -e 'SELECT 1' >/dev/null 2>&1; then
        if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
            echo "== MariaDB: not installed; installing it from the distribution's packages"
            if [ "$(id -u)" -eq 0 ]; then sudo_cmd=""; else sudo_cmd="sudo"; fi
            $sudo_cmd apt-get update -qq
            DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq mariadb-server >/dev/null
        fi
        mdb_port=3441
        mdb_cmd=(mariadb --protocol=TCP -h 127.0.0.1 -P "$mdb_port" -u root)
        mdb_data="$bench/target/mdb"
        rm -rf "$mdb_data"
        mkdir -p "$mdb_data"
        if [ "$(id -u)" -eq 0 ]; then mdb_user=(--user=root); else mdb_user=(); fi
        mariadb-install-db --no-defaults "${mdb_user[@]}" --datadir="$mdb_data/data" \
            --auth-root-authentication-method=normal --skip-test-db >/dev/null
        /usr/sbin/mariadbd --no-defaults "${mdb_user[@]}" --datadir="$mdb_data/data" --port="$mdb_port" \
            --bind-address=127.0.0.1 --socket="$mdb_data/mariadb.sock" --pid-file="$mdb_data/mariadb.pid" \
            --character-set-server=utf8mb4 --collation-server=utf8mb4_bin --max-connections=300 \
            --log-error="$mdb_data/server.log" &
        for _ in $(seq 1 60); do
            if "${mdb_cmd[@]}" -e 'SELECT 1' >/dev/null 2>&1; then break; fi
            sleep 0.5
        done
        mdb_stop() { kill "$(cat "$mdb_data/mariadb.pid" 2>/dev/null)" 2>/dev/null || true; }
        trap cleanup EXIT
        echo "== MariaDB: throwaway server on 127.0.0.1:$mdb_port ($mdb_data)"
    fi
    mdb_version="$("${mdb_cmd[@]}" -N -e 'SELECT VERSION()')"
    echo "== MariaDB $mdb_version on 127.0.0.1:$mdb_port (InnoDB defaults: innodb_flush_log_at_trx_commit=$("${mdb_cmd[@]}" -N -e 'SELECT @@innodb_flush_log_at_trx_commit'))"
fi

# --- one run: a fresh database, a fresh JVM, one RESULT line ----------------------------------------------------------
run_seq=0
run_one() { # engine variant db workload n [warm]
    local engine="$1" variant="$2" db="$3" workload="$4" n="$5" warm="${6:-}"
    local spec="$engine/$variant/$db/$workload/$n"
    if [ -n "$only" ] && ! [[ "$spec" =~ $only ]]; then return 0; fi
    if [ "$db" = pg ] && ! $use_pg; then return 0; fi
    if [ "$db" = mdb ] && ! $use_mdb; then return 0; fi
    run_seq=$((run_seq + 1))
    local name="r${run_seq}_${engine}_${variant//+/-}_${db}_${workload}_${n}"
    local url user
    if [ "$db" = pg ]; then
        local database="bench_${run_seq}"
        "${psql_cmd[@]}" -c "CREATE DATABASE $database" >/dev/null
        url="jdbc:postgresql://127.0.0.1:$pg_port/$database"
        user=postgres
    elif [ "$db" = mdb ]; then
        local database="bench_$$_${run_seq}"   # the server may be shared: names of this run's own
        "${mdb_cmd[@]}" -e "CREATE DATABASE $database CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
        url="jdbc:mariadb://127.0.0.1:$mdb_port/$database"
        user=root
    else
        url="jdbc:h2:file:$out/h2/$name/db;WRITE_DELAY=0"
        user=sa
    fi
    local jvm_opts=(-Xmx512m ${extra_jvm_opts[@]+"${extra_jvm_opts[@]}"})
    if $jfr; then
        jvm_opts+=("-XX:StartFlightRecording=filename=$bench/target/jfr/$name.jfr,settings=profile,jdk.SocketRead#threshold=0ms,jdk.ThreadPark#threshold=1ms,jdk.JavaMonitorEnter#threshold=1ms,jdk.JavaMonitorWait#threshold=1ms")
    fi
    local cp="$classpath"
    if [[ "$variant" == typical* ]]; then cp="$classpath_typical"; fi
    if [ "$variant" = baseline ]; then
        if [ -z "$classpath_baseline" ]; then return 0; fi
        cp="$classpath_baseline"
    fi
    if [[ "$variant" == x-* ]]; then
        cp="${experiment_classpaths[$variant]}"
    fi
    local line load_before
    load_before="$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo nan)"
    set +e
    timeout 900 "$java_bin" "${jvm_opts[@]}" -cp "$cp" dev.dispatch.bench.Bench \
        engine="$engine" variant="$variant" db="$db" workload="$workload" n="$n" url="$url" user="$user" \
        warm="$([ -n "$warm" ] && echo true || echo false)" \
        >"$out/logs/$name.out" 2>"$out/logs/$name.err"
    local rc=$?
    set -e
    line="$(grep '^RESULT ' "$out/logs/$name.out" | tail -n 1)"
    if [ -z "$line" ]; then
        line="RESULT engine=$engine db=$db workload=$workload variant=$variant n=$n seconds=nan rate=nan p50=nan"
        line+=" p99=nan heapMb=0 liveMb=0 verified=false note=exit_$rc"
    fi
    # The 1-minute load average before and after the run: this 2-core machine may be shared.
    line+=" load=${load_before}/$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo nan)"
    echo "$line" | tee -a "$results"
    if [ "$db" = pg ]; then
        "${psql_cmd[@]}" -c "DROP DATABASE IF EXISTS bench_${run_seq}" >/dev/null || true
        "${psql_cmd[@]}" -c "DROP DATABASE IF EXISTS bench_${run_seq}_warm" >/dev/null || true
    elif [ "$db" = mdb ]; then
        "${mdb_cmd[@]}" -e "DROP DATABASE IF EXISTS bench_$$_${run_seq}; DROP DATABASE IF EXISTS bench_$$_${run_seq}_warm" \
            || true
    else
        rm -rf "$out/h2/$name"
    fi
}

# --- the matrix ------------------------------------------------------------------------------------------------------
if $smoke; then
    n_tasks=200; n_chain=50; n_small=20; n_large=2000; n_jobrunr=50; n_runs=110
else
    n_tasks=10000; n_chain=1000; n_small=1000; n_large=100000; n_jobrunr=5000; n_runs=11000
fi
dbs=(h2 pg mdb)
if $parts; then
    # The typical variant with one part changed at a time, then the bare variant, in turns (so that the machine's load
    # falls on all alike): which parts account for the difference between the two.
    for ((rep = 1; rep <= repeats; rep++)); do
        echo "== parts: repeat $rep of $repeats"
        for db in "${dbs[@]}"; do
            for variant in typical typical+noweb typical+nometrics typical+noobs typical+pool18 typical+h2file \
                typical+h2default typical+noweb+nometrics+noobs+pool18+h2file default; do
                if [ "$db" != h2 ] && [[ "$variant" == *h2* ]]; then continue; fi
                run_one dispatch "$variant" "$db" W1 "$n_tasks" warm
                run_one dispatch "$variant" "$db" W4 "$n_tasks" warm
            done
        done
    done
    repeats=0
fi
for ((rep = 1; rep <= repeats; rep++)); do
    echo "== repeat $rep of $repeats"
    for db in "${dbs[@]}"; do
        run_one dispatch default "$db" W1 "$n_tasks" warm
        run_one dispatch default "$db" W4 "$n_tasks" warm
        run_one dispatch default "$db" W2 "$n_chain" warm
        run_one dispatch baseline "$db" W1 "$n_tasks" warm
        run_one dispatch baseline "$db" W4 "$n_tasks" warm
        run_one dispatch baseline "$db" W2 "$n_chain" warm
        for experiment in ${experiments[@]+"${experiments[@]}"}; do
            run_one dispatch "$experiment" "$db" W1 "$n_tasks" warm
            run_one dispatch "$experiment" "$db" W4 "$n_tasks" warm
            run_one dispatch "$experiment" "$db" W2 "$n_chain" warm
        done
        run_one dispatch default "$db" W1 "$n_small"
        # the typical variant (in the smoke run: W1 on H2 and PostgreSQL only, to keep it short)
        if ! $smoke || [ "$db" != mdb ]; then run_one dispatch typical "$db" W1 "$n_tasks" warm; fi
        if ! $smoke; then run_one dispatch typical "$db" W4 "$n_tasks" warm; fi
        if ! $smoke || [ "$db" = h2 ]; then
            # W5: many small runs (1,000 roots of 10 children, from 8 threads), Dispatch bare and typical, db-scheduler
            run_one dispatch default "$db" W5 "$n_runs" warm
            run_one dispatch typical "$db" W5 "$n_runs" warm
            run_one dispatch baseline "$db" W5 "$n_runs" warm
            run_one db-scheduler fetch "$db" W5 "$n_runs" warm
            # W6: a 10-call run started once a backlog of n_tasks calls is recorded (fairness, issues 18 and 19)
            run_one dispatch default "$db" W6 "$n_tasks" warm
            run_one dispatch typical "$db" W6 "$n_tasks" warm
            run_one db-scheduler fetch "$db" W6 "$n_tasks" warm
        fi
        run_one raw batched "$db" tasks "$n_tasks" warm
        run_one raw per-row "$db" tasks "$n_tasks"
        run_one db-scheduler fetch "$db" tasks "$n_tasks" warm
        if [ "$db" = pg ]; then
            run_one db-scheduler lock-and-fetch "$db" tasks "$n_tasks" warm
            run_one dbos queue "$db" tasks "$n_tasks"
            run_one dbos direct "$db" tasks "$n_tasks"
        fi
    done
done
# The slowest: JobRunr waits out its 15 s poll, W3's largest N is 100,000 calls. Fewer repeats (said in the table).
slow_repeats=$repeats
if $parts; then slow_repeats=0; fi
if ! $smoke && [ "$repeats" -gt 1 ]; then slow_repeats=1; fi
for ((rep = 1; rep <= slow_repeats; rep++)); do
    for db in "${dbs[@]}"; do
        run_one dispatch default "$db" W1 "$n_large"
        if [ "$db" != mdb ]; then
            run_one jobrunr default "$db" tasks "$n_jobrunr"
        fi
    done
done

# --- the table ---------------------------------------------------------------------------------------------------------
elapsed=$(( $(date +%s) - started_at ))
echo
echo "== results: medians of fresh-JVM runs (min-max in brackets), $(nproc) cores, $("$java_bin" -version 2>&1 | head -1)"
echo "== PostgreSQL ${pg_version:-not run}; MariaDB ${mdb_version:-not run}; H2 file with WRITE_DELAY=0 (typical: the README's jdbc:h2:async:...;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE); -Xmx512m; total ${elapsed}s"
"$bench/table.sh" "$results"
if grep -q 'verified=false' "$results"; then
    echo "!! some runs failed verification or did not finish: see $out/logs" >&2
    exit 1
fi
