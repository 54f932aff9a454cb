package dev.dispatch.test;

import dev.dispatch.engine.Engine;
import dev.dispatch.engine.ReplayHistory;
import dev.dispatch.store.CallGroup;
import dev.dispatch.store.ChildOutcome;
import dev.dispatch.store.GroupKind;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A root's record as JSON and back: its function and arguments, its status, its steps (kind, size, signature, whether
 * and when decided) and each step's calls with their outcomes. Values stay the JSON they were recorded as.
 */
final class Histories {

    static final String FORMAT = "dispatch-history/1";

    private final Engine engine;

    private final JdbcTemplate jdbc;

    private final JsonMapper json = JsonMapper.builder().build();

    Histories(Engine engine, DataSource dataSource) {
        this.engine = engine;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    String export(String rootId) {
        ObjectNode history = this.json.createObjectNode();
        history.put("format", FORMAT);
        this.jdbc.query(
                "SELECT id, function_name, arguments, status, result, error_type FROM dispatch_invocation WHERE id = ?",
                rs -> {
                    history.put("id", rs.getString("id"));
                    history.put("function", rs.getString("function_name"));
                    history.set("arguments", tree(rs.getString("arguments")));
                    history.put("status", rs.getString("status"));
                    history.set("result", tree(rs.getString("result")));
                    history.put("errorType", rs.getString("error_type"));
                },
                rootId);
        ArrayNode steps = history.putArray("steps");
        this.jdbc.query(
                "SELECT * FROM dispatch_call_group WHERE parent_id = ? ORDER BY step_index",
                rs -> {
                    ObjectNode step = steps.addObject();
                    step.put("id", rs.getString("id"));
                    step.put("index", rs.getInt("step_index"));
                    step.put("kind", rs.getString("kind"));
                    step.put("size", rs.getInt("size"));
                    step.put("completed", rs.getInt("completed_count"));
                    step.put("failed", rs.getInt("failed_count"));
                    step.put("firstFailure", rs.getString("first_failure_id"));
                    step.put("winner", rs.getString("winner_id"));
                    step.put("signature", rs.getString("signature"));
                    OffsetDateTime decided = rs.getObject("decided_at", OffsetDateTime.class);
                    step.put(
                            "decidedAt", (decided != null) ? decided.toInstant().toString() : null);
                    step.putArray("calls");
                },
                rootId);
        this.jdbc.query(
                "SELECT id, group_id, group_position, function_name, arguments, status, result, error_type,"
                        + " error_message, error_status FROM dispatch_invocation WHERE parent_id = ?"
                        + " ORDER BY step_index, group_position",
                rs -> {
                    for (JsonNode step : steps) {
                        if (step.get("id").asString().equals(rs.getString("group_id"))) {
                            ObjectNode call = ((ArrayNode) step.get("calls")).addObject();
                            call.put("id", rs.getString("id"));
                            call.put("position", rs.getInt("group_position"));
                            call.put("function", rs.getString("function_name"));
                            call.set("arguments", tree(rs.getString("arguments")));
                            call.put("status", rs.getString("status"));
                            call.set("result", tree(rs.getString("result")));
                            call.put("errorType", rs.getString("error_type"));
                            call.put("errorMessage", rs.getString("error_message"));
                            call.put("errorStatus", rs.getString("error_status"));
                        }
                    }
                },
                rootId);
        for (JsonNode step : steps) {
            if ("AWAIT".equals(step.get("kind").asString())
                    && !step.get("winner").isNull()) {
                // an await's outcome is its target's, which is no child of this root
                this.jdbc.query(
                        "SELECT id, function_name, arguments, status, result, error_type, error_message, error_status"
                                + " FROM dispatch_invocation WHERE id = ?",
                        rs -> {
                            ObjectNode call = ((ArrayNode) step.get("calls")).addObject();
                            call.put("id", rs.getString("id"));
                            call.put("position", 0);
                            call.put("function", rs.getString("function_name"));
                            call.set("arguments", tree(rs.getString("arguments")));
                            call.put("status", rs.getString("status"));
                            call.set("result", tree(rs.getString("result")));
                            call.put("errorType", rs.getString("error_type"));
                            call.put("errorMessage", rs.getString("error_message"));
                            call.put("errorStatus", rs.getString("error_status"));
                        },
                        step.get("winner").asString());
            }
        }
        if (!history.has("id")) {
            throw new IllegalArgumentException("No invocation " + rootId);
        }
        return this.json.writerWithDefaultPrettyPrinter().writeValueAsString(history);
    }

    void replay(String text) {
        JsonNode history;
        try {
            history = this.json.readTree(text);
        } catch (JacksonException ex) {
            throw new IllegalArgumentException("Not a history written by DispatchTester.exportHistory: " + ex, ex);
        }
        if (!FORMAT.equals(history.path("format").asString(""))) {
            throw new IllegalArgumentException("Not a history written by DispatchTester.exportHistory (its \"format\""
                    + " must be \"" + FORMAT + "\")");
        }
        String rootId = history.get("id").asString();
        List<CallGroup> steps = new ArrayList<>();
        List<ChildOutcome> children = new ArrayList<>();
        for (JsonNode step : history.path("steps")) {
            String groupId = step.get("id").asString();
            steps.add(CallGroup.of(
                    groupId,
                    rootId,
                    step.get("index").asInt(),
                    GroupKind.valueOf(step.get("kind").asString()),
                    step.get("size").asInt(),
                    step.get("completed").asInt(),
                    step.get("failed").asInt(),
                    text(step, "firstFailure"),
                    text(step, "winner"),
                    step.get("signature").asString(),
                    (text(step, "decidedAt") != null) ? Instant.parse(text(step, "decidedAt")) : null));
            for (JsonNode call : step.path("calls")) {
                children.add(new ChildOutcome(
                        call.get("id").asString(),
                        groupId,
                        call.get("position").asInt(),
                        call.get("function").asString(),
                        call.get("status").asString(),
                        call.get("result").isNull() ? null : this.json.writeValueAsString(call.get("result")),
                        text(call, "errorType"),
                        text(call, "errorMessage"),
                        text(call, "errorStatus")));
            }
        }
        this.engine.replay(new ReplayHistory(
                rootId,
                history.get("function").asString(),
                this.json.writeValueAsString(history.get("arguments")),
                history.get("status").asString(),
                steps,
                children));
    }

    private JsonNode tree(@Nullable String value) {
        return (value != null) ? this.json.readTree(value) : this.json.nullNode();
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return (value == null || value.isNull()) ? null : value.asString();
    }
}
