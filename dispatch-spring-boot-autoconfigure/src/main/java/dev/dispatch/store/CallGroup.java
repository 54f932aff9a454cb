package dev.dispatch.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import jakarta.persistence.Version;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One durable step of a parent that made calls: a batch, a gather, an any, a race or a single call. Children point
 * to it; its counters tell when the step is decided, which is when a waiting parent wakes.
 */
@Entity(name = "DispatchCallGroup")
@Table(
        name = "dispatch_call_group",
        uniqueConstraints =
                @UniqueConstraint(
                        name = "dispatch_call_group_step",
                        columnNames = {"parent_id", "step_index"}))
public class CallGroup {

    @Id
    @Column(length = 36)
    private String id = "";

    @Column(name = "parent_id", length = 36, nullable = false)
    private String parentId = "";

    @Column(name = "step_index", nullable = false)
    private int stepIndex;

    @Column(nullable = false, length = 16)
    private String kind = "";

    @Column(nullable = false)
    private int size;

    @Column(name = "completed_count", nullable = false)
    private int completedCount;

    @Column(name = "failed_count", nullable = false)
    private int failedCount;

    @Column(name = "first_failure_id", length = 36)
    private @Nullable String firstFailureId;

    @Column(name = "winner_id", length = 36)
    private @Nullable String winnerId;

    @Column(nullable = false, length = 64)
    private String signature = "";

    @Column(name = "created_at", nullable = false)
    private Instant createdAt = Instant.EPOCH;

    @Column(name = "decided_at")
    private @Nullable Instant decidedAt;

    @Version
    @Column(nullable = false)
    private long version;

    protected CallGroup() {}

    /** A step as recorded elsewhere than in this store: a history the test kit replays. */
    public static CallGroup of(
            String id,
            String parentId,
            int stepIndex,
            GroupKind kind,
            int size,
            int completedCount,
            int failedCount,
            @Nullable String firstFailureId,
            @Nullable String winnerId,
            String signature,
            @Nullable Instant decidedAt) {
        CallGroup group = new CallGroup();
        group.id = id;
        group.parentId = parentId;
        group.stepIndex = stepIndex;
        group.kind = kind.name();
        group.size = size;
        group.completedCount = completedCount;
        group.failedCount = failedCount;
        group.firstFailureId = firstFailureId;
        group.winnerId = winnerId;
        group.signature = signature;
        group.decidedAt = decidedAt;
        return group;
    }

    /** A step as read with plain SQL (the engine's hot reads do not go through the persistence context). */
    static CallGroup read(java.sql.ResultSet rs) throws java.sql.SQLException {
        CallGroup group = new CallGroup();
        group.id = rs.getString("id");
        group.parentId = rs.getString("parent_id");
        group.stepIndex = rs.getInt("step_index");
        group.kind = rs.getString("kind");
        group.size = rs.getInt("size");
        group.completedCount = rs.getInt("completed_count");
        group.failedCount = rs.getInt("failed_count");
        group.firstFailureId = rs.getString("first_failure_id");
        group.winnerId = rs.getString("winner_id");
        group.signature = rs.getString("signature");
        group.createdAt = JdbcInvocationStore.readTime(rs, rs.findColumn("created_at"));
        group.decidedAt = StoreTimes.read(rs, rs.findColumn("decided_at"));
        group.version = rs.getLong("version");
        return group;
    }

    public String getId() {
        return this.id;
    }

    public String getParentId() {
        return this.parentId;
    }

    public int getStepIndex() {
        return this.stepIndex;
    }

    public GroupKind getKind() {
        return GroupKind.valueOf(this.kind);
    }

    public int getSize() {
        return this.size;
    }

    public int getCompletedCount() {
        return this.completedCount;
    }

    public int getFailedCount() {
        return this.failedCount;
    }

    public @Nullable String getFirstFailureId() {
        return this.firstFailureId;
    }

    public @Nullable String getWinnerId() {
        return this.winnerId;
    }

    public String getSignature() {
        return this.signature;
    }

    public Instant getCreatedAt() {
        return this.createdAt;
    }

    public @Nullable Instant getDecidedAt() {
        return this.decidedAt;
    }

    public long getVersion() {
        return this.version;
    }
}
