package com.example.faults;

import com.example.faults.workflow.Workflow;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the database holds about the workflow at one moment, read with plain JDBC: the status of each call by the name
 * the effects log gives it ({@code function:argument}), and the root's rows.
 *
 * @param calls status of each call; a call recorded twice is in {@code duplicates}
 * @param duplicates calls recorded more than once
 * @param roots the root's rows: status and result
 */
record Rows(Map<String, String> calls, List<String> duplicates, List<String[]> roots) {

    static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    static Rows read(String url, String user, String password) throws SQLException {
        Map<String, String> calls = new HashMap<>();
        List<String> duplicates = new ArrayList<>();
        List<String[]> roots = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT function_name, arguments, status, result FROM dispatch_invocation")) {
            while (rows.next()) {
                String function = rows.getString(1);
                if (function.equals(Workflow.NAME)) {
                    roots.add(new String[] {rows.getString(3), rows.getString(4)});
                    continue;
                }
                String arguments = rows.getString(2); // a JSON array of one int, e.g. [42]
                String call = function + ":" + arguments.substring(1, arguments.length() - 1);
                if (calls.put(call, rows.getString(3)) != null) {
                    duplicates.add(call);
                }
            }
        }
        return new Rows(calls, duplicates, roots);
    }

    /** Every row that is not terminal, with what decides when and where it runs next: for a failure message. */
    static String unfinished(String url, String user, String password) {
        StringBuilder text = new StringBuilder("\n\n===== unfinished rows =====");
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT * FROM dispatch_invocation"
                        + " WHERE status NOT IN ('SUCCEEDED', 'FAILED', 'CANCELLED') ORDER BY created_at")) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                text.append('\n');
                for (int i = 1; i <= columns; i++) {
                    String value = rows.getString(i);
                    if (value != null && value.length() > 120) {
                        value = value.substring(0, 120) + "...";
                    }
                    text.append(rows.getMetaData().getColumnLabel(i).toLowerCase(java.util.Locale.ROOT))
                            .append('=')
                            .append(value)
                            .append(' ');
                }
            }
            try (ResultSet now = statement.executeQuery("SELECT CURRENT_TIMESTAMP")) {
                now.next();
                text.append("\ndatabase time: ").append(now.getString(1));
            }
        } catch (SQLException ex) {
            text.append("\nunreadable: ").append(ex);
        }
        return text.toString();
    }

    boolean isTerminal(String call) {
        return TERMINAL.contains(this.calls.getOrDefault(call, "absent"));
    }
}
