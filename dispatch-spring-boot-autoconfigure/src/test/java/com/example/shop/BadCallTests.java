package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.dispatch.Dispatcher;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

@SpringBootTest
class BadCallTests {

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Archive archive;

    @Autowired
    Calculator calculator;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void anArgumentThatCannotBeSerialisedIsRefusedAtDispatchAndNothingIsRecorded() {
        Archive.Attachment bad = new Archive.Attachment("report", Map.of("feed", new LiveFeed()));
        int before = count();

        assertThatIllegalArgumentException()
                .isThrownBy(() -> this.dispatcher
                        .batch()
                        .add(() -> this.archive.store(new Archive.Attachment("ok", Map.of())))
                        .add(() -> this.archive.store(bad))
                        .dispatch())
                .withMessageContaining("archive.store")
                .withMessageContaining("argument 1");
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void aCallThatInvokesNoDurableFunctionIsRefusedWithTheUsualCause() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> this.dispatcher.dispatch(() -> new Calculator(new Ledger(), null).add(1, 2)))
                .withMessageContaining("did not invoke any @DispatchFunction method")
                .withMessageContaining("through 'this'")
                .withMessageContaining("bypasses the Spring proxy");
    }

    @Test
    void aCallThatInvokesTwoDurableFunctionsIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() ->
                        this.dispatcher.gather(List.of(() -> this.calculator.add(1, this.calculator.add(2, 3)))))
                .withMessageContaining("invoked 2 @DispatchFunction methods (calculator.add, calculator.add)")
                .withMessageContaining("exactly one");
    }

    /** Like a lazy JPA association outside its session: reading it fails. */
    static class LiveFeed {

        public String getLatest() {
            throw new IllegalStateException("not connected");
        }
    }

    private int count() {
        Integer count = this.jdbc.queryForObject("SELECT COUNT(*) FROM dispatch_invocation", Integer.class);
        return count != null ? count : 0;
    }
}
