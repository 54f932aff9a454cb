package dev.dispatch.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Columns the schema declares NOT NULL, read from a row map: a missing one is named, not a bare NullPointerException. */
class RowsTests {

    @Test
    void readsTextAndAnyNumberTypeTheDriverReturns() {
        Map<String, Object> row = Map.of("kind", "GATHER", "size", 3L, "failed_count", new BigDecimal("2"));

        assertThat(Rows.textOf(row, "kind")).isEqualTo("GATHER");
        assertThat(Rows.intOf(row, "size")).isEqualTo(3);
        assertThat(Rows.intOf(row, "failed_count")).isEqualTo(2);
    }

    @Test
    void aNullOrUnreadColumnIsNamed() {
        Map<String, Object> row = new HashMap<>();
        row.put("parent_id", null);

        assertThatIllegalStateException()
                .isThrownBy(() -> Rows.textOf(row, "parent_id"))
                .withMessage("Column parent_id is NULL or was not read");
        assertThatIllegalStateException()
                .isThrownBy(() -> Rows.intOf(row, "completed_count"))
                .withMessageContaining("completed_count");
    }
}
