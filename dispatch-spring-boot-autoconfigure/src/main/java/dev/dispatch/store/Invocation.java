package dev.dispatch.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One recorded call of a durable function. The engine writes rows with batched JDBC statements (see
 * {@link InvocationStore}); the entity maps them for reads and for schema validation.
 */
@Entity(name = "DispatchInvocation")
@Table(
        name = "dispatch_invocation",
        indexes = {
            @Index(name = "dispatch_invocation_due", columnList = "status, next_attempt_at"),
            @Index(name = "dispatch_invocation_group", columnList = "group_id, group_position"),
            @Index(name = "dispatch_invocation_parent", columnList = "parent_id"),
            @Index(name = "dispatch_invocation_root", columnList = "root_id"),
            @Index(name = "dispatch_invocation_claim", columnList = "status, priority DESC, call_turn, next_attempt_at")
        })
public class Invocation {

    /**
     * Length of the JSON columns as the mapping declares it. The scripts make them unbounded (H2 {@code VARCHAR},
     * PostgreSQL {@code TEXT}); a length the dialects still map to a character type keeps schema validation exact.
     */
    static final int TEXT_LENGTH = 1_048_576;

    @Id
    @Column(length = 36)
    private String id = "";

    @Column(name = "function_name", nullable = false)
    private String functionName = "";

    @Column(nullable = false, length = Invocation.TEXT_LENGTH)
    private String arguments = "";

    @Column(nullable = false, length = 16)
    private String status = "";

    @Column(length = Invocation.TEXT_LENGTH)
    private @Nullable String result;

    @Column(name = "error_type")
    private @Nullable String errorType;

    @Column(name = "error_message", length = Invocation.TEXT_LENGTH)
    private @Nullable String errorMessage;

    @Column(name = "error_status", length = 32)
    private @Nullable String errorStatus;

    @Column(name = "error_stack", length = Invocation.TEXT_LENGTH)
    private @Nullable String errorStack;

    @Column(nullable = false)
    private int attempts;

    @Column(name = "max_attempts", nullable = false)
    private int maxAttempts;

    @Column(name = "next_attempt_at", nullable = false)
    private Instant nextAttemptAt = Instant.EPOCH;

    @Column(name = "lease_owner")
    private @Nullable String leaseOwner;

    @Column(name = "lease_expires_at")
    private @Nullable Instant leaseExpiresAt;

    @Column(name = "parent_id", length = 36)
    private @Nullable String parentId;

    @Column(name = "root_id", length = 36, nullable = false)
    private String rootId = "";

    @Column(name = "step_index")
    private @Nullable Integer stepIndex;

    @Column(name = "group_id", length = 36)
    private @Nullable String groupId;

    @Column(name = "group_position")
    private @Nullable Integer groupPosition;

    @Column(name = "awaiting_group_id", length = 36)
    private @Nullable String awaitingGroupId;

    @Column(name = "idempotency_key", unique = true)
    private @Nullable String idempotencyKey;

    @Column(name = "trace_context", length = 2000)
    private @Nullable String traceContext;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt = Instant.EPOCH;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt = Instant.EPOCH;

    @Column(name = "completed_at")
    private @Nullable Instant completedAt;

    @Column(name = "deadline_at")
    private @Nullable Instant deadlineAt;

    @Column(nullable = false)
    private int priority;

    @Column(name = "call_turn", nullable = false)
    private int callTurn;

    @Column(name = "concurrency_key")
    private @Nullable String concurrencyKey;

    @Version
    @Column(nullable = false)
    private long version;

    protected Invocation() {}

    /** Higher runs first among due calls (schema version 6). */
    public int getPriority() {
        return this.priority;
    }

    /** Where the call comes in its caller's work: lower turns run first among due calls of equal priority. */
    public int getCallTurn() {
        return this.callTurn;
    }

    /**
     * The value of its function's concurrency key when it was recorded, or {@code null} for none (schema version 7).
     */
    public @Nullable String getConcurrencyKey() {
        return this.concurrencyKey;
    }

    public String getId() {
        return this.id;
    }

    public String getFunctionName() {
        return this.functionName;
    }

    public String getArguments() {
        return this.arguments;
    }

    public String getStatus() {
        return this.status;
    }

    public @Nullable String getResult() {
        return this.result;
    }

    public @Nullable String getErrorType() {
        return this.errorType;
    }

    public @Nullable String getErrorMessage() {
        return this.errorMessage;
    }

    public @Nullable String getErrorStatus() {
        return this.errorStatus;
    }

    public @Nullable String getErrorStack() {
        return this.errorStack;
    }

    public int getAttempts() {
        return this.attempts;
    }

    public int getMaxAttempts() {
        return this.maxAttempts;
    }

    public Instant getNextAttemptAt() {
        return this.nextAttemptAt;
    }

    public @Nullable String getLeaseOwner() {
        return this.leaseOwner;
    }

    public @Nullable Instant getLeaseExpiresAt() {
        return this.leaseExpiresAt;
    }

    public @Nullable String getParentId() {
        return this.parentId;
    }

    public String getRootId() {
        return this.rootId;
    }

    public @Nullable Integer getStepIndex() {
        return this.stepIndex;
    }

    public @Nullable String getGroupId() {
        return this.groupId;
    }

    public @Nullable Integer getGroupPosition() {
        return this.groupPosition;
    }

    public @Nullable String getAwaitingGroupId() {
        return this.awaitingGroupId;
    }

    public @Nullable String getIdempotencyKey() {
        return this.idempotencyKey;
    }

    public @Nullable String getTraceContext() {
        return this.traceContext;
    }

    public Instant getCreatedAt() {
        return this.createdAt;
    }

    public Instant getUpdatedAt() {
        return this.updatedAt;
    }

    public @Nullable Instant getCompletedAt() {
        return this.completedAt;
    }

    public @Nullable Instant getDeadlineAt() {
        return this.deadlineAt;
    }

    public long getVersion() {
        return this.version;
    }
}
