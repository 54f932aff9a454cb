package dev.dispatch.engine;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
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

    /** Length of the {@code trace_context} column: headers beyond it are dropped, never the dispatch. */
    static final int MAX_LENGTH = 2_000;

    /** The headers that say which trace a call belongs to, kept first; the rest (baggage) only as room allows. */
    private static final List<String> TRACE_HEADERS = List.of(
            "traceparent", "tracestate", "b3", "X-B3-TraceId", "X-B3-SpanId", "X-B3-ParentSpanId", "X-B3-Sampled");

    private static final Log logger = LogFactory.getLog(TraceContexts.class);

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
        SenderContext<Map<String, String>> context = new SenderContext<>((carrier, key, value) -> {
            if (carrier != null) {
                carrier.put(key, value);
            }
        });
        context.setCarrier(new LinkedHashMap<>());
        Observation observation = Observation.createNotStarted(RECORD, () -> context, this.registry)
                .lowCardinalityKeyValue("kind", kind)
                .highCardinalityKeyValue("calls", Integer.toString(calls))
                .start();
        observation.stop();
        Map<String, String> headers = context.getCarrier();
        return (headers == null || headers.isEmpty()) ? null : bounded(headers);
    }

    /**
     * The headers encoded within {@link #MAX_LENGTH}: trace headers first, then the others in their order while they
     * fit; what does not fit is dropped with a debug log. A large {@code baggage} must not fail every dispatch.
     */
    static @Nullable String bounded(Map<String, String> headers) {
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String name : TRACE_HEADERS) {
            headers.forEach((key, value) -> {
                if (key.equalsIgnoreCase(name)) {
                    ordered.put(key, value);
                }
            });
        }
        headers.forEach(ordered::putIfAbsent);
        Map<String, String> kept = new LinkedHashMap<>();
        List<String> dropped = new ArrayList<>();
        int length = 0;
        for (Map.Entry<String, String> header : ordered.entrySet()) {
            int size = header.getKey().length() + header.getValue().length() + 2;
            boolean clean =
                    header.getKey().indexOf('\n') < 0 && header.getValue().indexOf('\n') < 0;
            if (clean && length + size <= MAX_LENGTH) {
                kept.put(header.getKey(), header.getValue());
                length += size;
            } else {
                dropped.add(header.getKey() + " (" + header.getValue().length() + " characters)");
            }
        }
        if (!dropped.isEmpty() && logger.isDebugEnabled()) {
            logger.debug("Trace headers not stored with the calls, over " + MAX_LENGTH + " characters in all: "
                    + String.join(", ", dropped));
        }
        return kept.isEmpty() ? null : encode(kept);
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
