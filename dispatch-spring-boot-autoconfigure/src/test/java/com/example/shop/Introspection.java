package com.example.shop;

import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/** Functions that look at their own record while they run. */
@Service
public class Introspection {

    private final Introspection self;

    private final Dispatcher dispatcher;

    private final JdbcTemplate jdbc;

    public Introspection(@Lazy Introspection self, Dispatcher dispatcher, JdbcTemplate jdbc) {
        this.self = self;
        this.dispatcher = dispatcher;
        this.jdbc = jdbc;
    }

    /** How many rows its own invocation has in the database while it runs. */
    @DispatchFunction
    public int ownRows() {
        String id = this.dispatcher.current().orElseThrow().id().value();
        return this.jdbc.queryForObject("SELECT COUNT(*) FROM dispatch_invocation WHERE id = ?", Integer.class, id);
    }

    /** Calls {@link #ownRows} directly: it runs inline, on this thread. */
    @DispatchFunction
    public int ownRowsOfAnInlineCall() {
        return this.self.ownRows();
    }
}
