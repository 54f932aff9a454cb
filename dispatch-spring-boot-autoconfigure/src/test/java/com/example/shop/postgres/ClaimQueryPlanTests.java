package com.example.shop.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.support.PostgresDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;

/**
 * The claim and housekeeping queries stay index scans on a table of a million invocations, almost all finished:
 * checked with {@code EXPLAIN} against the shipped schema on a real PostgreSQL.
 */
class ClaimQueryPlanTests {

    private static final int ROWS = 1_000_000;

    private static PostgresDatabase database;

    private static Connection connection;

    @BeforeAll
    static void fill() throws Exception {
        database = PostgresDatabase.create();
        connection = DriverManager.getConnection(database.url(), PostgresDatabase.USER, PostgresDatabase.PASSWORD);
        ScriptUtils.executeSqlScript(connection, new ClassPathResource("dev/dispatch/store/schema-postgresql.sql"));
        try (Statement statement = connection.createStatement()) {
            // 1% pending, 0.1% running, the rest finished: the shape of a store that keeps history.
            statement.execute("""
                    INSERT INTO dispatch_invocation (id, function_name, arguments, status, attempts, max_attempts,
                        next_attempt_at, lease_owner, lease_expires_at, root_id, created_at, updated_at, version)
                    SELECT md5(i::text), 'f' || (i % 20), '[]',
                        CASE WHEN i % 100 = 0 THEN 'PENDING' WHEN i % 1000 = 1 THEN 'RUNNING' ELSE 'SUCCEEDED' END,
                        1, 5, now() - (i % 1000) * interval '1 second',
                        CASE WHEN i % 1000 = 1 THEN 'node' END,
                        CASE WHEN i % 1000 = 1 THEN now() + interval '30 seconds' END,
                        md5(i::text), now(), now(), 0
                    FROM generate_series(1, """ + ROWS + ") AS i");
            statement.execute("ANALYZE dispatch_invocation");
        }
    }

    @AfterAll
    static void drop() throws SQLException {
        if (connection != null) {
            connection.close();
        }
        if (database != null) {
            database.drop();
        }
    }

    @Test
    void thePollersClaimIsAnIndexScanOfPendingWork() throws SQLException {
        String plan = explain("""
                SELECT id FROM dispatch_invocation
                WHERE status = 'PENDING' AND next_attempt_at <= now() AND function_name IN ('f0', 'f1', 'f2')
                ORDER BY next_attempt_at LIMIT 16 FOR UPDATE SKIP LOCKED""");
        assertThat(plan).contains("Index Scan using dispatch_invocation_due").doesNotContain("Seq Scan");
    }

    @Test
    void aClaimByIdsIsAnIndexScanOfThePrimaryKey() throws SQLException {
        // the ids as one array parameter, as Claims binds them
        String plan = explain("""
                SELECT id FROM dispatch_invocation
                WHERE id = ANY(ARRAY[md5('100'), md5('200'), md5('300')]::varchar[]) AND (status = 'PENDING') IS TRUE
                    AND (deadline_at IS NULL OR deadline_at > now())
                FOR UPDATE SKIP LOCKED""");
        assertThat(plan).contains("dispatch_invocation_pkey").doesNotContain("Seq Scan");
    }

    @Test
    void housekeepingFindsExpiredLeasesThroughAnIndex() throws SQLException {
        String plan = explain("""
                SELECT id FROM dispatch_invocation
                WHERE status = 'RUNNING' AND lease_expires_at < now() ORDER BY lease_expires_at LIMIT 200""");
        assertThat(plan).contains("dispatch_invocation_leased").doesNotContain("Seq Scan");
    }

    @Test
    void housekeepingFindsPassedDeadlinesThroughAnIndex() throws SQLException {
        String plan = explain("""
                SELECT i.id FROM dispatch_invocation i
                WHERE i.deadline_at >= TIMESTAMPTZ '1970-01-01 00:00:00Z' AND i.deadline_at <= now()
                    AND i.status IN ('PENDING', 'RUNNING', 'SUSPENDED')
                    AND NOT EXISTS (SELECT 1 FROM dispatch_invocation p WHERE p.id = i.parent_id
                        AND p.deadline_at <= now() AND p.status IN ('PENDING', 'RUNNING', 'SUSPENDED'))
                ORDER BY i.deadline_at LIMIT 200""");
        assertThat(plan).contains("dispatch_invocation_deadline").doesNotContain("Seq Scan");
    }

    @Test
    void aLimitedFunctionsDueAndRunningCallsAreFoundThroughAnIndex() throws SQLException {
        assertThat(explain("""
                        SELECT id FROM dispatch_invocation WHERE function_name = 'f3' AND status = 'PENDING'
                            AND next_attempt_at <= now() AND (deadline_at IS NULL OR deadline_at > now()) LIMIT 1""")).contains("dispatch_invocation_function").doesNotContain("Seq Scan");
        assertThat(explain("""
                        SELECT COUNT(*), SUM(CASE WHEN lease_owner = 'node' THEN 1 ELSE 0 END)
                        FROM dispatch_invocation WHERE function_name = 'f3' AND status = 'RUNNING'"""))
                .as("among the few running rows, through either partial index")
                .contains("Index Scan")
                .doesNotContain("Seq Scan");
    }

    @Test
    void aStepsChildrenAndATreeAreReadThroughIndexes() throws SQLException {
        assertThat(explain("SELECT * FROM dispatch_invocation WHERE group_id = 'g' ORDER BY group_position"))
                .contains("dispatch_invocation_group")
                .doesNotContain("Seq Scan");
        assertThat(explain("SELECT * FROM dispatch_invocation WHERE parent_id = 'p'"))
                .contains("dispatch_invocation_parent")
                .doesNotContain("Seq Scan");
        assertThat(explain("SELECT * FROM dispatch_invocation WHERE root_id = 'r'"))
                .contains("dispatch_invocation_root")
                .doesNotContain("Seq Scan");
    }

    private static String explain(String sql) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("EXPLAIN " + sql)) {
            while (rs.next()) {
                lines.add(rs.getString(1));
            }
        }
        return String.join("\n", lines);
    }
}
