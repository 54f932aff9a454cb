package dev.dispatch.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StepKeysTests {

    @Test
    void aCallIdCarriesTheHashInBothHalvesNotOnlyInTheFirst() {
        Set<Long> lowHalves = new HashSet<>();
        for (int step = 0; step < 1000; step++) {
            UUID id = UUID.fromString(StepKeys.childId("parent", step, 0));
            lowHalves.add(id.getLeastSignificantBits());
            assertThat(id.version()).isEqualTo(8);
            assertThat(id.variant()).isEqualTo(2);
        }
        assertThat(lowHalves).as("second halves of 1000 steps' first calls").hasSize(1000);
    }

    @Test
    void theCallsOfAStepShareTheFirstHalfAndDiffer() {
        UUID first = UUID.fromString(StepKeys.childId("parent", 7, 0));
        Set<String> ids = new HashSet<>();
        for (int position = 0; position < 1000; position++) {
            String id = StepKeys.childId("parent", 7, position);
            ids.add(id);
            assertThat(UUID.fromString(id).getMostSignificantBits()).isEqualTo(first.getMostSignificantBits());
        }
        assertThat(ids).hasSize(1000);
    }
}
