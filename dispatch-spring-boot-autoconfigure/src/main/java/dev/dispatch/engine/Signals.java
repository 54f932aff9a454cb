package dev.dispatch.engine;

import dev.dispatch.NonDeterminismException;
import dev.dispatch.codec.JsonCodec;
import dev.dispatch.store.CallGroup;
import dev.dispatch.store.GroupKind;
import dev.dispatch.store.InvocationStore;
import dev.dispatch.store.NewGroup;
import dev.dispatch.store.SignalStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * {@code signal} and {@code awaitSignal}. A signal is recorded in the sender's transaction and delivered once it
 * commits: the oldest signal not taken goes to the oldest open wait for its key. A wait is a step of its function,
 * which meanwhile is pending from the wait's time-out (a durable timer, like a sleep); a delivery makes it due at once.
 * Housekeeping delivers what a sender's node did not (it stopped after the commit).
 */
final class Signals {

    private static final Log logger = LogFactory.getLog(Signals.class);

    private static final int MAX_KEY_LENGTH = 255;

    private static final int HOUSEKEEPING_KEYS = 100;

    private final SignalStore store;

    private final InvocationStore invocations;

    private final JsonCodec codec;

    private final TransactionOperations joinTx;

    private final TransactionOperations own;

    private final DatabaseClock clock;

    private final ReadyQueue ready;

    Signals(
            SignalStore store,
            InvocationStore invocations,
            JsonCodec codec,
            TransactionOperations joinTx,
            TransactionOperations own,
            DatabaseClock clock,
            ReadyQueue ready) {
        this.store = store;
        this.invocations = invocations;
        this.codec = codec;
        this.joinTx = joinTx;
        this.own = own;
        this.clock = clock;
        this.ready = ready;
    }

    /**
     * Records a signal in the caller's transaction, if any, and delivers it once that commits. Inside a durable
     * function it is a step: its id derives from the step, so a replay does not send it again.
     */
    void signal(@Nullable Execution execution, String key, @Nullable Object payload) {
        checkKey("signal", key);
        String json = encode(key, payload);
        String id;
        if (execution != null) {
            int step = execution.nextStep();
            // a signal records no step of its own: a recorded step here is another call this code no longer makes
            CallGroup recorded = execution
                    .journal(() -> Journal.load(this.invocations, execution.id()))
                    .step(step);
            if (recorded != null) {
                throw execution.nonDeterministic(new NonDeterminismException(
                        execution.function().name(),
                        step,
                        "a " + recorded.getKind().name().toLowerCase(Locale.ROOT) + " step",
                        "a signal to '" + key + "'"));
            }
            if (execution.isReplay()) {
                return;
            }
            id = UUID.nameUUIDFromBytes((execution.id() + "/" + step + "/signal").getBytes(StandardCharsets.UTF_8))
                    .toString();
        } else {
            id = UUID.randomUUID().toString();
        }
        Instant now = this.clock.now();
        this.joinTx.executeWithoutResult(status -> this.store.insertSignal(id, key, json, now));
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    deliver(key);
                }
            });
        } else {
            deliver(key);
        }
    }

    /** The durable step of {@code awaitSignal}: the payload of the signal its wait took, or empty at its time-out. */
    <T> Optional<T> await(Execution execution, String key, Class<T> type, Duration timeout) {
        checkKey("awaitSignal", key);
        if (timeout.isNegative()) {
            throw new IllegalArgumentException(
                    "dispatcher.awaitSignal(...) takes a time-out of zero or more, not " + timeout);
        }
        int step = execution.nextStep();
        String signature = signature(key);
        String made = "an awaitSignal of '" + key + "'";
        CallGroup recorded = execution
                .journal(() -> Journal.load(this.invocations, execution.id()))
                .step(step);
        if (recorded != null
                && (recorded.getKind() != GroupKind.SIGNAL
                        || !recorded.getSignature().equals(signature))) {
            throw execution.nonDeterministic(new NonDeterminismException(
                    execution.function().name(),
                    step,
                    "a " + recorded.getKind().name().toLowerCase(Locale.ROOT) + " step",
                    made));
        }
        String groupId = StepKeys.groupId(execution.id(), step);
        if (execution.isReplay()) {
            if (recorded == null) {
                throw Replayer.beyondHistory(execution, step, made);
            }
            if (recorded.getDecidedAt() == null) {
                throw execution.suspend();
            }
            return answer(groupId, key, type);
        }
        if (recorded != null && recorded.getDecidedAt() != null) {
            return answer(groupId, key, type);
        }
        Instant timeoutAt;
        if (recorded == null) {
            Instant now = this.clock.now();
            timeoutAt = now.plus(timeout);
            NewGroup group = new NewGroup(groupId, execution.id(), step, GroupKind.SIGNAL, 0, signature);
            Boolean waiting = this.own.execute(status -> {
                if (!this.invocations.recordStep(
                        execution.id(), execution.invocation().epoch(), group, List.of(), now)) {
                    return false;
                }
                this.store.insertWait(
                        groupId, execution.id(), execution.invocation().rootId(), key, timeoutAt, now);
                return true;
            });
            if (!Boolean.TRUE.equals(waiting)) {
                throw execution.loseLease();
            }
            // a signal sent before the wait is kept for it
            deliver(key);
        } else {
            timeoutAt = this.store
                    .findWait(groupId)
                    .map(SignalStore.Wait::timeoutAt)
                    .orElseThrow();
        }
        return waitFor(execution, groupId, key, type, timeoutAt);
    }

    private <T> Optional<T> waitFor(Execution execution, String groupId, String key, Class<T> type, Instant timeoutAt) {
        Instant now = this.clock.now();
        if (!now.isBefore(timeoutAt)) {
            this.own.executeWithoutResult(status -> this.store.timeOut(groupId, now));
            return answer(groupId, key, type);
        }
        InvocationStore.SuspendOutcome outcome = this.own.execute(status ->
                this.store.waitUntil(execution.id(), execution.invocation().epoch(), groupId, timeoutAt, now));
        if (outcome == InvocationStore.SuspendOutcome.SUSPENDED) {
            this.ready.offerAt(execution.id(), timeoutAt);
            throw execution.suspend();
        }
        if (outcome != InvocationStore.SuspendOutcome.DECIDED) {
            throw execution.loseLease();
        }
        return answer(groupId, key, type);
    }

    private <T> Optional<T> answer(String groupId, String key, Class<T> type) {
        return this.store
                .findTakenPayload(groupId)
                .map(json -> type.cast(this.codec.decodeResult("signal '" + key + "'", json, type)));
    }

    /** Delivers signals not taken to open waits for {@code key}, each to one wait, and wakes their functions here. */
    void deliver(String key) {
        try {
            for (int i = 0; i < 1000; i++) {
                Instant now = this.clock.now();
                Optional<String> woken = this.own.execute(status -> this.store.deliverOne(key, now));
                if (woken == null || woken.isEmpty()) {
                    return;
                }
                this.ready.offer(woken.get());
            }
        } catch (RuntimeException ex) {
            // recorded all the same: housekeeping delivers it
            logger.debug("Could not deliver signal '" + key + "' now; housekeeping will", ex);
        }
    }

    /** Housekeeping's backstop: delivers what waits for a delivery (its sender's node stopped after the commit). */
    void deliverDue(Instant now) {
        this.store.findDeliverableKeys(HOUSEKEEPING_KEYS).forEach(this::deliver);
    }

    private String encode(String key, @Nullable Object payload) {
        try {
            return this.codec.encodeResult("signal '" + key + "'", payload);
        } catch (IllegalArgumentException ex) {
            String reason = String.valueOf(ex.getMessage()).replace("The result of signal", "the payload of signal");
            throw new IllegalArgumentException("Cannot send signal '" + key + "': " + reason, ex);
        }
    }

    private static void checkKey(String operation, String key) {
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("dispatcher." + operation + "(...) takes a key of 1 to " + MAX_KEY_LENGTH
                    + " characters, not '" + key + "'");
        }
    }

    /** What a replay must wait for again: the key (hashed, to fit the step's signature). */
    private static String signature(String key) {
        return StepKeys.signature("signal", key);
    }
}
