package dev.dispatch.engine;

import dev.dispatch.CatchUp;
import dev.dispatch.DispatchId;
import dev.dispatch.DispatchOptions;
import dev.dispatch.InvocationInfo;
import dev.dispatch.Overlap;
import dev.dispatch.aop.FunctionDefinition;
import dev.dispatch.aop.FunctionRegistry;
import dev.dispatch.store.ScheduleStore;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.util.ReflectionUtils;

/**
 * The {@code @DispatchSchedule} functions of this application. On every housekeeping pass each node looks at the
 * schedules that are due; the node that moves a schedule's row past its ticks (its version decides) starts their runs
 * in the same transaction, each keyed by function and tick time: at most one run per tick across all nodes, and
 * exactly one once some node runs.
 */
public final class Schedules implements SmartInitializingSingleton {

    private static final Log logger = LogFactory.getLog(Schedules.class);

    /** How many missed ticks {@link CatchUp#ALL} starts in one pass, and how far a pass looks for ticks at most. */
    static final int MAX_TICKS = 100;

    /** A tick missed by more than this does not run under {@link CatchUp#NONE}. */
    static final Duration ON_TIME = Duration.ofSeconds(5);

    private final Map<String, ScheduleDefinition> definitions = new LinkedHashMap<>();

    private final FunctionRegistry registry;

    private final UnaryOperator<String> placeholders;

    private final ScheduleStore store;

    private final Engine engine;

    private final TransactionOperations tx;

    private final Function<String, Object> beans;

    public Schedules(
            FunctionRegistry registry,
            UnaryOperator<String> placeholders,
            ScheduleStore store,
            Engine engine,
            TransactionOperations tx,
            Function<String, Object> beans) {
        this.registry = registry;
        this.placeholders = placeholders;
        this.store = store;
        this.engine = engine;
        this.tx = tx;
        this.beans = beans;
    }

    /** Reads the schedules once every bean (and so every function) is there: a wrong one stops the startup. */
    @Override
    public void afterSingletonsInstantiated() {
        for (FunctionDefinition function : this.registry.functions()) {
            ScheduleDefinition definition = ScheduleDefinition.of(function, this.placeholders);
            if (definition != null) {
                this.definitions.put(definition.name(), definition);
            }
        }
        if (!this.definitions.isEmpty()) {
            this.engine.scheduler().onHousekeeping(this::fireDue);
        }
    }

    /** The schedules and where each is: for the actuator and the console. */
    public List<ScheduleInfo> list() {
        Map<String, ScheduleStore.Row> rows = new LinkedHashMap<>();
        this.store.findAll().forEach(row -> rows.put(row.name(), row));
        List<ScheduleInfo> infos = new ArrayList<>();
        for (ScheduleDefinition definition : this.definitions.values()) {
            ScheduleStore.Row row = rows.get(definition.name());
            String lastRun = (row != null) ? row.lastRunId() : null;
            Optional<InvocationInfo> run =
                    (lastRun != null) ? this.engine.describe(DispatchId.of(lastRun)) : Optional.empty();
            infos.add(new ScheduleInfo(
                    definition.name(),
                    definition.cronText(),
                    definition.zone().getId(),
                    definition.overlap(),
                    definition.catchUp(),
                    row != null && row.paused(),
                    (row != null) ? row.nextTick() : definition.tickAfter(now()),
                    (row != null) ? row.lastTick() : null,
                    run.map(InvocationInfo::id).orElse(null),
                    run.map(info -> info.status().name()).orElse(null)));
        }
        return infos;
    }

    /** Stops a schedule's ticks from starting runs, on every node, until it is resumed. */
    public boolean pause(String name) {
        Instant now = now();
        ensureRow(definition(name), now);
        return this.store.pause(name, true, null, now);
    }

    /** Lets a paused schedule tick again from its next tick after now (the ticks while paused do not run). */
    public boolean resume(String name) {
        ScheduleDefinition definition = definition(name);
        Instant now = now();
        ensureRow(definition, now);
        Instant next = definition.tickAfter(now);
        return this.store.pause(name, false, (next != null) ? next : Instant.MAX, now);
    }

    /** Starts a run of a scheduled function now, outside its ticks; it becomes the schedule's last run. */
    public DispatchId trigger(String name) {
        ScheduleDefinition definition = definition(name);
        Instant now = now();
        DispatchId id = start(definition, null);
        this.store.ranNow(name, id.value(), now);
        return id;
    }

    /** One housekeeping pass: the due ticks of every schedule, each handled by exactly one node. */
    void fireDue(Instant now) {
        for (ScheduleDefinition definition : this.definitions.values()) {
            try {
                fire(definition, now);
            } catch (RuntimeException ex) {
                logger.warn("Schedule " + definition.name() + " could not tick: " + ex);
            }
        }
    }

    private void fire(ScheduleDefinition definition, Instant now) {
        ScheduleStore.Row row = ensureRow(definition, now);
        if (row == null || row.paused() || row.nextTick().isAfter(now)) {
            return;
        }
        List<Instant> due = new ArrayList<>();
        Instant tick = row.nextTick();
        while (tick != null && !tick.isAfter(now) && due.size() < MAX_TICKS) {
            due.add(tick);
            tick = definition.tickAfter(tick);
        }
        Instant latest = due.get(due.size() - 1);
        List<Instant> start = switch (definition.catchUp()) {
            case ALL -> due;
            case LATEST -> List.of(latest);
            case NONE -> Duration.between(latest, now).compareTo(ON_TIME) <= 0 ? List.of(latest) : List.of();
        };
        Instant next = (definition.catchUp() == CatchUp.ALL && tick != null) ? tick : definition.tickAfter(now);
        Instant nextTick = (next != null) ? next : Instant.MAX;
        boolean busy = definition.overlap() == Overlap.SKIP && unfinished(row.lastRunId());
        this.tx.executeWithoutResult(status -> {
            List<DispatchId> started = new ArrayList<>();
            if (!this.store.advance(row, nextTick, latest, null, now)) {
                return; // another node handled these ticks
            }
            if (busy) {
                logger.info("Schedule " + definition.name() + " skips " + start.size() + " tick(s): its last run "
                        + row.lastRunId() + " is unfinished (overlap = SKIP)");
                return;
            }
            for (Instant at : start) {
                started.add(start(definition, at));
            }
            if (!started.isEmpty()) {
                this.store.ranNow(
                        definition.name(), started.get(started.size() - 1).value(), now);
            }
        });
    }

    private ScheduleStore.@Nullable Row ensureRow(ScheduleDefinition definition, Instant now) {
        Optional<ScheduleStore.Row> found = this.store.find(definition.name());
        if (found.isEmpty()) {
            Instant first = definition.tickAfter(now);
            this.store.insert(
                    definition.name(),
                    definition.cronText(),
                    definition.zone().getId(),
                    (first != null) ? first : Instant.MAX,
                    now);
            return null;
        }
        ScheduleStore.Row row = found.get();
        if (!row.cron().equals(definition.cronText())
                || !row.zone().equals(definition.zone().getId())) {
            Instant next = definition.tickAfter(now);
            this.store.redefine(
                    row, definition.cronText(), definition.zone().getId(), (next != null) ? next : Instant.MAX, now);
            return null;
        }
        return row;
    }

    private boolean unfinished(@Nullable String runId) {
        return runId != null
                && this.engine
                        .describe(DispatchId.of(runId))
                        .map(info -> !info.status().isTerminal())
                        .orElse(false);
    }

    /** Dispatches the scheduled function, joining the current transaction; keyed by the tick when there is one. */
    private DispatchId start(ScheduleDefinition definition, @Nullable Instant tick) {
        FunctionDefinition function = definition.function();
        Object bean = this.beans.apply(function.beanName());
        Method method = AopUtils.selectInvocableMethod(function.method(), bean.getClass());
        ReflectionUtils.makeAccessible(method);
        DispatchOptions options = (tick != null)
                ? DispatchOptions.idempotencyKey("dispatch-schedule:" + definition.name() + ":" + tick)
                : DispatchOptions.none();
        return this.engine.dispatch(() -> ReflectionUtils.invokeMethod(method, bean), options);
    }

    private ScheduleDefinition definition(String name) {
        ScheduleDefinition definition = this.definitions.get(name);
        if (definition == null) {
            throw new IllegalArgumentException(
                    "There is no schedule " + name + " (schedules: " + this.definitions.keySet() + ")");
        }
        return definition;
    }

    private Instant now() {
        return this.engine.scheduler().clockNow();
    }
}
