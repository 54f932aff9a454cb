package com.example.testdb;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * On a PostgreSQL or MariaDB run without a server, skips every test with the reason in the report instead of failing
 * it.
 * Registered for all tests through the JUnit extension auto-detection.
 */
public class PostgresAvailableCondition implements ExecutionCondition {

    private static volatile String reason;

    private static volatile boolean checked;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!TestDatabase.isPostgres() && !TestDatabase.isMariadb()) {
            return ConditionEvaluationResult.enabled("embedded H2");
        }
        if (!checked) {
            reason = TestDatabase.unavailableReason();
            checked = true;
        }
        return (reason == null)
                ? ConditionEvaluationResult.enabled(System.getProperty("dispatch.test.database") + " answers")
                : ConditionEvaluationResult.disabled(reason);
    }
}
