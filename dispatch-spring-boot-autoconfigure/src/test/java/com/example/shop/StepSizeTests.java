package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.dispatch.Batch;
import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationInfo;
import dev.dispatch.InvocationStatus;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/** A step of more calls than dispatch.max-calls-per-step is refused with a clear error before anything is recorded. */
@SpringBootTest(properties = "dispatch.max-calls-per-step=10")
class StepSizeTests {

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Fanout fanout;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aGatherOverTheLimitIsRefusedBeforeAnyCallIsRecorded() {
        int before = echoes();

        assertThatIllegalArgumentException()
                .isThrownBy(() ->
                        this.dispatcher.gather(IntStream.range(0, 11).boxed().toList(), i -> this.fanout.echo(i)))
                .withMessageContaining("dispatcher.gather(...) outside any durable function makes 11 calls in one"
                        + " step, over dispatch.max-calls-per-step (10); nothing was recorded");
        assertThat(echoes()).isEqualTo(before);
    }

    @Test
    void aGatherAtTheLimitRuns() {
        assertThat(this.dispatcher.gather(IntStream.range(0, 10).boxed().toList(), i -> this.fanout.echo(i)))
                .hasSize(10);
    }

    @Test
    void aBatchRefusesTheCallOverTheLimit() {
        Batch batch = this.dispatcher.batch();
        for (int i = 0; i < 10; i++) {
            int value = i;
            batch.add(() -> this.fanout.echo(value));
        }

        assertThatIllegalArgumentException()
                .isThrownBy(() -> batch.add(() -> this.fanout.echo(10)))
                .withMessageContaining("batch.add(...) outside any durable function makes 11 calls");
        assertThat(batch.dispatch()).hasSize(10);
    }

    @Test
    void aFunctionWhoseStepIsOverTheLimitFailsWithoutRetryNamingItself() {
        DispatchId id = this.dispatcher.dispatch(() -> this.fanout.sumOfChildren(7, 11));

        InvocationInfo info = this.dispatcher.awaitCompletion(id, Duration.ofSeconds(30));

        assertThat(info.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(info.attempts()).isEqualTo(1);
        assertThat(info.errorMessage())
                .contains("dispatcher.gather(...) in fanout.sumOfChildren makes 11 calls in one step");
        assertThat(this.jdbc.queryForObject(
                        "SELECT COUNT(*) FROM dispatch_invocation WHERE parent_id = ?", Integer.class, id.value()))
                .isZero();
    }

    private int echoes() {
        return this.jdbc.queryForObject(
                "SELECT COUNT(*) FROM dispatch_invocation WHERE function_name = 'fanout.echo'", Integer.class);
    }
}
