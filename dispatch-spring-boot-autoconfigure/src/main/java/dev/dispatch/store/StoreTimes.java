package dev.dispatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.SqlTypeValue;

/**
 * Times as the store writes and reads them: in UTC on every database, whatever the JVM's time zone. PostgreSQL's and
 * H2's columns hold the instant ({@code TIMESTAMP WITH TIME ZONE}, bound as an {@code OffsetDateTime}); MySQL's and
 * MariaDB's {@code DATETIME} holds no zone, and their drivers would write and read it in the JVM's zone: there the
 * store binds and reads the UTC wall-clock time ({@code LocalDateTime}), as Hibernate does for the entities' instants.
 */
public final class StoreTimes {

    private StoreTimes() {}

    /** A time as a statement parameter ({@code null} stays {@code null}). */
    public static @Nullable Object bind(@Nullable Instant instant) {
        return (instant != null) ? new UtcTime(instant) : null;
    }

    /** Reads a time column, {@code null} if it is null. */
    public static @Nullable Instant read(ResultSet rs, int index) throws SQLException {
        if (zoneless(statementConnection(rs))) {
            LocalDateTime time = rs.getObject(index, LocalDateTime.class);
            return (time != null) ? time.toInstant(ZoneOffset.UTC) : null;
        }
        OffsetDateTime time = rs.getObject(index, OffsetDateTime.class);
        return (time != null) ? time.toInstant() : null;
    }

    static void set(PreparedStatement ps, int index, Instant instant) throws SQLException {
        if (zoneless(ps.getConnection())) {
            ps.setObject(index, LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
        } else {
            ps.setObject(index, instant.atOffset(ZoneOffset.UTC));
        }
    }

    /** Whether the database's time columns hold no zone (MySQL's and MariaDB's {@code DATETIME}). */
    private static boolean zoneless(@Nullable Connection connection) throws SQLException {
        if (connection == null) {
            return false;
        }
        String product = connection.getMetaData().getDatabaseProductName();
        return product.contains("MySQL") || product.contains("MariaDB");
    }

    private static @Nullable Connection statementConnection(ResultSet rs) throws SQLException {
        Statement statement = rs.getStatement();
        return (statement != null) ? statement.getConnection() : null;
    }

    /** An instant bound as UTC, the way the statement's database takes it. */
    private record UtcTime(Instant instant) implements SqlTypeValue {

        @Override
        public void setTypeValue(PreparedStatement ps, int paramIndex, int sqlType, @Nullable String typeName)
                throws SQLException {
            set(ps, paramIndex, this.instant);
        }
    }
}
