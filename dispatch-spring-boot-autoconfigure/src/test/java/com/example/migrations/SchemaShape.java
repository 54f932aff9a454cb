package com.example.migrations;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * What a database's Dispatch tables look like, read from the JDBC metadata: each column with its type, size and
 * nullability, and each index with its columns and uniqueness. Two ways of making the schema must give equal shapes.
 */
record SchemaShape(Set<String> columns, Set<String> indexes) {

    static SchemaShape of(DataSource dataSource) throws SQLException {
        Set<String> columns = new TreeSet<>();
        Set<String> indexes = new TreeSet<>();
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData metadata = connection.getMetaData();
            String catalog = connection.getCatalog();
            String schema = connection.getSchema();
            for (String table : tables(metadata, catalog, schema)) {
                try (ResultSet rs = metadata.getColumns(catalog, schema, table, "%")) {
                    while (rs.next()) {
                        columns.add(lower(table) + "." + lower(rs.getString("COLUMN_NAME")) + " "
                                + lower(rs.getString("TYPE_NAME")) + "(" + rs.getInt("COLUMN_SIZE") + ")"
                                + (rs.getInt("NULLABLE") == DatabaseMetaData.columnNoNulls ? " not null" : ""));
                    }
                }
                Map<String, StringBuilder> byIndex = new TreeMap<>();
                try (ResultSet rs = metadata.getIndexInfo(catalog, schema, table, false, false)) {
                    while (rs.next()) {
                        String name = rs.getString("INDEX_NAME");
                        if (name == null) {
                            continue;
                        }
                        String key =
                                lower(table) + "." + normalise(name) + (rs.getBoolean("NON_UNIQUE") ? "" : " unique");
                        byIndex.computeIfAbsent(key, k -> new StringBuilder())
                                .append(' ')
                                .append(lower(rs.getString("COLUMN_NAME")));
                    }
                }
                byIndex.forEach(
                        (key, cols) -> indexes.add(key + " (" + cols.toString().trim() + ")"));
            }
        }
        return new SchemaShape(columns, indexes);
    }

    private static Set<String> tables(DatabaseMetaData metadata, String catalog, String schema) throws SQLException {
        Set<String> tables = new TreeSet<>();
        try (ResultSet rs = metadata.getTables(catalog, schema, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME");
                if (lower(name).startsWith("dispatch_")) {
                    tables.add(name);
                }
            }
        }
        return tables;
    }

    /** Names the database gives constraints' own indexes differ by how they were created: drop those parts. */
    private static String normalise(String index) {
        String name = lower(index);
        return name.startsWith("primary_key_") || name.endsWith("_pkey") || name.equals("primary")
                ? "primary key"
                : name;
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
