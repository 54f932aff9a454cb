package com.example.simulation;

import com.example.simulation.TreeRows.Row;
import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessException;

/**
 * One scenario run in this JVM: dispatches its root, then acts as the plan's operator and fault source while it runs
 * (cancel, heartbeat stall, repair and retry of FAILED calls) and watches the leases, until every call ended and the
 * operator has nothing left to do, or the deadline passed. What it saw goes to {@link Invariants}.
 */
final class Operation {

    static final Duration DEADLINE = Duration.ofSeconds(45);

    /** Marks the end of a heartbeat stall in the effects: runs that started meanwhile were in flight at a fault. */
    static final String STALL_END = "heartbeat-stall-end";

    private final Plan plan;

    private final Path dir;

    private final Path effects;

    private final Dispatcher dispatcher;

    private final FaultInjector faults;

    private final DataSource database;

    private final Duration lease;

    private final Map<Integer, Integer> retries = new HashMap<>();

    private final Observations seen = new Observations();

    /** What the operator did and saw, for the checks. */
    static final class Observations {

        /** The database's time once the cancel returned: what is recorded later under it was recorded after it. */
        Instant cancelledAt;

        String cancelled;

        /** One violation per call at most: a stuck call is seen stuck at every look. */
        final Map<String, String> leaseViolations = new java.util.LinkedHashMap<>();

        boolean ended;

        int leaseChecks;

        /** A minute before the scenario began, by the database's clock: its calls were all recorded since. */
        Instant since = Instant.EPOCH;

        /** The attempts workers were about to start ({@link Effects#starting}), read once needed. */
        java.util.function.Supplier<java.util.Set<String>> starting = java.util.Set::of;
    }

    Operation(Plan plan, Path dir, Dispatcher dispatcher, FaultInjector faults, Duration lease) {
        this.plan = plan;
        this.dir = dir;
        this.effects = Effects.file(dir, plan.seed());
        this.dispatcher = dispatcher;
        this.faults = faults;
        this.database = faults.raw();
        this.lease = lease;
    }

    Observations run(Runnable dispatchRoot) throws InterruptedException {
        long start = System.nanoTime();
        this.seen.since = TreeRows.now(this.database).minusSeconds(60);
        this.seen.starting = () -> Effects.starting(dir);
        this.faults.arm(this.plan, this.effects);
        try {
            dispatchRoot.run();
            boolean stalled = this.plan.faults().stallAtMillis() == 0;
            long stallEnds = Long.MAX_VALUE;
            boolean cancelled = this.plan.operator().cancelNode() < 0;
            while (System.nanoTime() - start < DEADLINE.toNanos()) {
                long elapsed = (System.nanoTime() - start) / 1_000_000;
                List<Row> rows = TreeRows.read(this.database, this.plan, this.seen.since);
                watchLeases(rows);
                boolean ended = !rows.isEmpty() && rows.stream().allMatch(Row::terminal);
                if (!stalled && (elapsed >= this.plan.faults().stallAtMillis() || ended)) {
                    this.faults.stallHeartbeat(this.effects, this.plan.faults().stallMillis());
                    stalled = true;
                    stallEnds = elapsed + this.plan.faults().stallMillis();
                }
                if (elapsed >= stallEnds) {
                    Effects.append(this.effects, Effects.FAULT, STALL_END);
                    stallEnds = Long.MAX_VALUE;
                }
                if (!cancelled && (elapsed >= this.plan.operator().cancelAfterMillis() || ended)) {
                    cancelled = cancel(rows, ended);
                }
                boolean acted = act(rows);
                if (ended && !acted && stalled && cancelled && stallEnds == Long.MAX_VALUE) {
                    this.seen.ended = true;
                    return this.seen;
                }
                // polls the scenario's state until its deadline: the calls run on other threads
                Thread.sleep(50);
            }
            return this.seen;
        } finally {
            this.faults.disarm();
        }
    }

    private boolean cancel(List<Row> rows, boolean ended) {
        int node = this.plan.operator().cancelNode();
        Row target = rows.stream().filter(r -> r.node() == node).findFirst().orElse(null);
        if (target == null) {
            return ended; // not recorded (yet): try again while the tree runs
        }
        Effects.append(this.effects, Effects.OP, "cancel", String.valueOf(node), target.id());
        try {
            if (this.dispatcher.cancel(new DispatchId(target.id())) > 0) {
                this.seen.cancelled = target.id();
                this.seen.cancelledAt = TreeRows.now(this.database);
            }
            return true;
        } catch (DataAccessException ex) {
            return false; // the database failed the operator too (a fault): again at the next look
        }
    }

    /** Repairs and retries one FAILED call the plan says to; true if it did (or still has to). */
    private boolean act(List<Row> rows) {
        Plan.Operator operator = this.plan.operator();
        boolean leafPending = false;
        for (Row row : rows) {
            if (row.status().equals("FAILED")
                    && operator.repair().contains(row.node())
                    && this.retries.getOrDefault(row.node(), 0) < operator.maxRetries()) {
                leafPending = true;
                retry(row, true);
            }
        }
        if (leafPending) {
            return true;
        }
        for (Row row : rows) {
            if (row.status().equals("FAILED")
                    && operator.retry().contains(row.node())
                    && this.retries.getOrDefault(row.node(), 0) < operator.maxRetries()) {
                retry(row, false);
                return true;
            }
        }
        return false;
    }

    private void retry(Row row, boolean repair) {
        if (repair) {
            try {
                Files.writeString(BodyLog.repairMark(this.dir, this.plan.key(row.node())), "repaired");
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        // logged before, so that it comes before the runs it causes; a retry that a fault failed only excuses more
        Effects.append(this.effects, Effects.OP, "retry", String.valueOf(row.node()), row.id());
        try {
            this.dispatcher.retry(new DispatchId(row.id()));
            this.retries.merge(row.node(), 1, Integer::sum);
        } catch (DataAccessException ex) {
            // the database failed the operator too (a fault): again at the next look
        }
    }

    /** Nothing may stay RUNNING without a live lease: an expired one is taken over within a poll or so. */
    private void watchLeases(List<Row> rows) {
        watchLeases(rows, TreeRows.now(this.database), this.lease, this.seen);
    }

    static void watchLeases(List<Row> rows, Instant now, Duration lease, Observations seen) {
        Instant stale = now.minus(lease).minusSeconds(5);
        for (Row row : rows) {
            if (!row.status().equals("RUNNING")) {
                continue;
            }
            seen.leaseChecks++;
            if (row.leaseOwner() == null
                    || row.leaseExpiresAt() == null
                    || row.leaseExpiresAt().isBefore(stale)) {
                seen.leaseViolations.putIfAbsent(
                        row.id(),
                        "node " + row.node() + " (" + row.id() + ") is RUNNING with lease "
                                + row.leaseOwner() + " until " + row.leaseExpiresAt()
                                + ", more than a lease + 5 s before "
                                + now);
            }
        }
    }
}
