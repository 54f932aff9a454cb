package dev.dispatch.bench;

/** What one run measures, and where. */
public record Config(
        String engine, String db, String workload, String variant, int n, String url, String user, String password) {

    /** The same run on another database. */
    public Config withUrl(String other) {
        return new Config(engine, db, workload, variant, n, other, user, password);
    }

    public boolean postgres() {
        return "pg".equals(db);
    }

    public boolean mariadb() {
        return "mdb".equals(db);
    }

    /** Whether the database is one of a server's, where a run creates databases of its own. */
    public boolean server() {
        return postgres() || mariadb();
    }
}
