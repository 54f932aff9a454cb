package dev.dispatch.engine;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Carries the caller's trace context to the calls it records, so that one trace covers a whole fan-out even though its
 * calls run later, on other threads or nodes. Works through Micrometer's transport contexts: recording calls is a
 * {@link SenderContext} observation, into whose carrier a tracing handler (when the application has one) writes the
 * trace headers; they are stored with each call; each attempt is a {@link ReceiverContext} observation whose carrier
 * gives them back. Without tracing, nothing is written and nothing stored.
 */
final class TraceContexts {

    /** The observation of recording calls. */
    static final String RECORD = "dispatch.record";

    private final ObservationRegistry registry;

    TraceContexts(ObservationRegistry registry) {
        this.registry = registry;
    }

    /** The trace headers to store with calls recorded now, or {@code null} when there are none. */
    @Nullable
    String capture(String kind, int calls) {
        if (this.registry.isNoop()) {
            return null;
        }
        SenderContext<Map<String, String>> context = new SenderContext<>(Map::put);
        context.setCarrier(new LinkedHashMap<>());
        Observation observation = Observation.createNotStarted(RECORD, () -> context, this.registry)
                .lowCardinalityKeyValue("kind", kind)
                .highCardinalityKeyValue("calls", Integer.toString(calls))
                .start();
        observation.stop();
        Map<String, String> headers = context.getCarrier();
        return (headers == null || headers.isEmpty()) ? null : encode(headers);
    }

    /**
     * An attempt's observation, continuing the trace whose headers were stored with the call; without stored headers,
     * a child of whatever observation is current (an inline call's caller).
     */
    Observation attempt(@Nullable String stored) {
        if (stored == null) {
            return Observation.createNotStarted(DispatchObservation.NAME, this.registry);
        }
        return Observation.createNotStarted(
                DispatchObservation.NAME,
                () -> {
                    ReceiverContext<Map<String, String>> context = new ReceiverContext<>(Map::get);
                    context.setCarrier(decode(stored));
                    return context;
                },
                this.registry);
    }

    static String encode(Map<String, String> headers) {
        StringBuilder text = new StringBuilder();
        headers.forEach(
                (key, value) -> text.append(key).append(':').append(value).append('\n'));
        return text.toString();
    }

    static Map<String, String> decode(@Nullable String stored) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (stored != null) {
            for (String line : stored.split("\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(line.substring(0, colon), line.substring(colon + 1));
                }
            }
        }
        return headers;
    }
}
