package dev.dispatch.store;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** Thrown at startup when Dispatch cannot use the application's database: not supported, or its tables missing. */
public final class StoreDatabaseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String database;

    private final @Nullable DatabaseType type;

    private final List<String> missingTables;

    private StoreDatabaseException(
            String message, String database, @Nullable DatabaseType type, List<String> missingTables) {
        super(message);
        this.database = database;
        this.type = type;
        this.missingTables = missingTables;
    }

    static StoreDatabaseException unsupported(String database) {
        return new StoreDatabaseException(
                "Dispatch does not support the database " + database + " (supported: " + DatabaseType.SUPPORTED + ")",
                database,
                null,
                List.of());
    }

    static StoreDatabaseException missingTables(DatabaseType type, String database, List<String> tables) {
        return new StoreDatabaseException(
                "Dispatch's tables " + String.join(", ", tables) + " do not exist in the " + database + " database",
                database,
                type,
                List.copyOf(tables));
    }

    /** The database's product name and version, as its driver gives them. */
    public String database() {
        return this.database;
    }

    /** The supported database it is, or {@code null} if it is not supported. */
    public @Nullable DatabaseType type() {
        return this.type;
    }

    /** The tables missing; empty if the database is not supported. */
    public List<String> missingTables() {
        return this.missingTables;
    }
}
