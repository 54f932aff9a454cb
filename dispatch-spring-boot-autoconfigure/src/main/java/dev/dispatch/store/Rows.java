package dev.dispatch.store;

import java.util.Map;

/** Columns of a row read as a map ({@code queryForList}) that the schema declares {@code NOT NULL}. */
final class Rows {

    private Rows() {}

    static String textOf(Map<String, Object> row, String column) {
        return (String) present(row, column);
    }

    static int intOf(Map<String, Object> row, String column) {
        return ((Number) present(row, column)).intValue();
    }

    private static Object present(Map<String, Object> row, String column) {
        Object value = row.get(column);
        if (value == null) {
            throw new IllegalStateException("Column " + column + " is NULL or was not read");
        }
        return value;
    }
}
