package dev.dispatch.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.SenderContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Trace headers are stored within their column: a large baggage is dropped, the trace kept, the dispatch never fails. */
class TraceContextsTests {

    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    @Test
    void aLargeBaggageIsDroppedAndTheTraceKept() {
        TraceContexts traces = new TraceContexts(registryWriting(
                Map.of("baggage", "user=" + "x".repeat(5_000), "traceparent", TRACEPARENT, "tracestate", "vendor=1")));

        String stored = traces.capture("batch", 3);

        assertThat(stored).hasSizeLessThanOrEqualTo(TraceContexts.MAX_LENGTH);
        assertThat(TraceContexts.decode(stored))
                .containsEntry("traceparent", TRACEPARENT)
                .containsEntry("tracestate", "vendor=1")
                .doesNotContainKey("baggage");
    }

    @Test
    void smallHeadersAreAllKept() {
        TraceContexts traces =
                new TraceContexts(registryWriting(Map.of("traceparent", TRACEPARENT, "baggage", "user=ada")));

        assertThat(TraceContexts.decode(traces.capture("dispatch", 1)))
                .containsEntry("traceparent", TRACEPARENT)
                .containsEntry("baggage", "user=ada");
    }

    @Test
    void aTraceHeaderOverTheLimitIsDroppedAsWell() {
        TraceContexts traces = new TraceContexts(registryWriting(Map.of("traceparent", "t".repeat(3_000))));

        assertThat(traces.capture("dispatch", 1)).isNull();
    }

    private static ObservationRegistry registryWriting(Map<String, String> headers) {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler<SenderContext<Object>>() {
            @Override
            public void onStart(SenderContext<Object> context) {
                Object carrier = context.getCarrier();
                headers.forEach((key, value) -> context.getSetter().set(carrier, key, value));
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return context instanceof SenderContext;
            }
        });
        return registry;
    }
}
