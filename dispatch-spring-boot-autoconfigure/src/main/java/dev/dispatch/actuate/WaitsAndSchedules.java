package dev.dispatch.actuate;

import dev.dispatch.engine.Schedules;
import dev.dispatch.store.SignalStore;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * What the endpoint shows of signals and schedules, and the operators' actions on a schedule: pause, resume, trigger.
 */
public class WaitsAndSchedules {

    private final @Nullable Schedules schedules;

    private final SignalStore signals;

    private final int pageSize;

    /**
     * @param schedules the schedules, absent when {@code dispatch.schedules.enabled=false}
     * @param signals the signals' store
     * @param pageSize how many waits and signals are shown
     */
    public WaitsAndSchedules(@Nullable Schedules schedules, SignalStore signals, int pageSize) {
        this.schedules = schedules;
        this.signals = signals;
        this.pageSize = pageSize;
    }

    /** {@code {"schedules": [...]}}, by function. */
    public Map<String, List<ScheduleView>> schedules() {
        return Map.of(
                "schedules",
                (this.schedules != null)
                        ? this.schedules.list().stream().map(ScheduleView::of).toList()
                        : List.of());
    }

    /** The waits in progress and the signals not taken, oldest first, a page of each. */
    public SignalsView signals() {
        return new SignalsView(
                this.signals.findOpenWaits(this.pageSize).stream()
                        .map(w ->
                                new SignalsView.Wait(w.key(), w.invocationId(), w.function(), w.since(), w.timeoutAt()))
                        .toList(),
                this.signals.findWaitingSignals(this.pageSize).stream()
                        .map(s -> new SignalsView.Signal(s.id(), s.key(), s.sentAt(), s.payloadSize()))
                        .toList());
    }

    WebEndpointResponse<Map<String, Object>> act(String function, String action) {
        try {
            Map<String, Object> done = apply(function, action);
            return (done != null)
                    ? new WebEndpointResponse<>(done)
                    : new WebEndpointResponse<>(Map.of("schedule", function, "error", "No schedule " + function), 404);
        } catch (IllegalArgumentException ex) {
            throw new InvalidEndpointRequestException(String.valueOf(ex.getMessage()), "Unknown action");
        }
    }

    /**
     * Pauses, resumes or triggers a schedule, for the endpoint and the console.
     *
     * @return the answer, or {@code null} if there is no such schedule
     * @throws IllegalArgumentException for an action other than {@code pause}, {@code resume} or {@code trigger}
     */
    public @Nullable Map<String, Object> apply(String function, String action) {
        if (!List.of("pause", "resume", "trigger").contains(action)) {
            throw new IllegalArgumentException("Unknown action '" + action + "': use 'pause', 'resume' or 'trigger'");
        }
        Schedules all = this.schedules;
        if (all == null || all.list().stream().noneMatch(info -> info.function().equals(function))) {
            return null;
        }
        Object done = switch (action) {
            case "pause" -> all.pause(function);
            case "resume" -> all.resume(function);
            default -> all.trigger(function).value();
        };
        return Map.of("schedule", function, "action", action, "trigger".equals(action) ? "runId" : "changed", done);
    }
}
