package dev.dispatch.console;

import dev.dispatch.Dispatcher;
import dev.dispatch.actuate.FlowControl;
import dev.dispatch.actuate.OperatorAccess;
import dev.dispatch.actuate.SignalsView;
import dev.dispatch.actuate.WaitsAndSchedules;
import dev.dispatch.aop.FunctionRegistry;
import dev.dispatch.engine.Scheduler;
import dev.dispatch.store.InvocationQueries;
import dev.dispatch.store.InvocationStore;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The web console: its page at each of its addresses, its scripts and styles, its JSON reads and actions, as Spring
 * MVC routes under {@link ConsoleSettings#path()}. Built by the auto-configuration when
 * {@code dispatch.console.enabled=true}.
 *
 * <ul>
 *   <li>{@code GET {path}}, {@code {path}/runs/{id}}, {@code {path}/failures}, {@code {path}/schedules}, {@code {path}/limits}: the page (deep links work on reload)
 *   <li>{@code GET {path}/assets/**}: its scripts, styles and icon
 *   <li>{@code GET {path}/api/overview|runs|failures|invocations/{id}|groups/{group}/calls|schedules|limits}: JSON
 *   <li>{@code POST {path}/api/invocations/{id}/retry|cancel}, {@code POST {path}/api/bulk},
 *       {@code POST {path}/api/schedules/{function}/pause|resume|trigger}: actions
 * </ul>
 */
public final class DispatchConsole {

    private final ConsoleSettings settings;

    private final ConsolePage page;

    private final ConsoleReads reads;

    private final ConsoleActions actions;

    private final @Nullable WaitsAndSchedules schedules;

    public DispatchConsole(
            ConsoleSettings settings,
            Dispatcher dispatcher,
            InvocationStore store,
            InvocationQueries queries,
            JdbcTemplate jdbc,
            Scheduler scheduler,
            FunctionRegistry registry,
            OperatorAccess operatorAccess) {
        this(settings, dispatcher, store, queries, jdbc, scheduler, registry, operatorAccess, null, null);
    }

    /** The console with a view of the schedules, the waits in progress and the signals not taken, and of the limits. */
    public DispatchConsole(
            ConsoleSettings settings,
            Dispatcher dispatcher,
            InvocationStore store,
            InvocationQueries queries,
            JdbcTemplate jdbc,
            Scheduler scheduler,
            FunctionRegistry registry,
            OperatorAccess operatorAccess,
            @Nullable WaitsAndSchedules schedules,
            @Nullable FlowControl flowControl) {
        ConsoleAccess access = new ConsoleAccess(operatorAccess);
        ConsoleQueries console = new ConsoleQueries(jdbc, store.database());
        this.settings = settings;
        this.page = new ConsolePage(settings, access);
        this.reads = new ConsoleReads(
                queries,
                console,
                new InvocationPages(store, queries, console),
                scheduler,
                registry,
                access,
                settings,
                flowControl);
        this.actions = new ConsoleActions(dispatcher, console, access, settings.bulkLimit(), schedules);
        this.schedules = schedules;
    }

    /** The console's routes, for a {@code RouterFunction} bean. */
    public RouterFunction<ServerResponse> routes() {
        String path = this.settings.path();
        String api = path + "/api";
        return RouterFunctions.route()
                .GET(path, this.page::render)
                .GET(path + "/", this.page::render)
                .GET(path + "/runs/{id}", this.page::render)
                .GET(path + "/failures", this.page::render)
                .GET(path + "/schedules", this.page::render)
                .GET(path + "/limits", this.page::render)
                .GET(api + "/overview", this.reads::overview)
                .GET(api + "/runs", this.reads::runs)
                .GET(api + "/failures", this.reads::failures)
                .GET(api + "/invocations/{id}", this.reads::invocation)
                .GET(api + "/groups/{group}/calls", this.reads::calls)
                .GET(api + "/schedules", request -> ConsoleReads.json(schedules()))
                .GET(api + "/limits", this.reads::limits)
                .POST(api + "/invocations/{id}/retry", this.actions::retry)
                .POST(api + "/invocations/{id}/cancel", this.actions::cancel)
                .POST(api + "/bulk", this.actions::bulk)
                .POST(api + "/schedules/{function}/{action}", this.actions::schedule)
                .onError(
                        ConsoleReads.BadRequest.class,
                        (ex, request) -> ConsoleReads.problem(HttpStatus.BAD_REQUEST, String.valueOf(ex.getMessage())))
                .add(RouterFunctions.resources(
                        path + "/assets/**", new ClassPathResource("dev/dispatch/console/assets/")))
                .build();
    }

    /** {@code {"schedules": [...], "waits": [...], "signals": [...]}}, as the actuator endpoint reads them. */
    private Map<String, Object> schedules() {
        if (this.schedules == null) {
            return Map.of("schedules", List.of(), "waits", List.of(), "signals", List.of());
        }
        SignalsView signals = this.schedules.signals();
        return Map.of(
                "schedules",
                this.schedules.schedules().get("schedules"),
                "waits",
                signals.waits(),
                "signals",
                signals.signals());
    }
}
