package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.dispatch.AnyFailedException;
import dev.dispatch.CallFailedException;
import dev.dispatch.Status;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest
class AnyRaceTests {

    @Autowired
    Quotes quotes;

    @Test
    void anyReturnsTheFirstSuccessEvenAfterEarlierFailures() {
        assertThat(this.quotes.firstSuccess(List.of(-10, 400, 150, -5))).isEqualTo("p2");
    }

    @Test
    void anyThrowsEveryFailureInArgumentOrderWhenAllFail() {
        assertThatExceptionOfType(CallFailedException.class)
                .isThrownBy(() -> this.quotes.firstSuccess(List.of(-60, -5, -30)))
                .satisfies(ex -> {
                    assertThat(ex.errorType()).isEqualTo(AnyFailedException.class.getName());
                    assertThat(ex.errorMessage()).contains("All 3 calls of any(...) failed");
                });
    }

    @Test
    void raceReturnsTheFirstToFinish() {
        assertThat(this.quotes.firstToFinish(List.of(500, 20, 300))).isEqualTo("p1");
    }

    @Test
    void raceThrowsWhenTheFirstToFinishFails() {
        assertThatExceptionOfType(CallFailedException.class)
                .isThrownBy(() -> this.quotes.firstToFinish(List.of(500, -20, 300)))
                .satisfies(ex -> {
                    assertThat(ex.status()).isEqualTo(Status.PERMANENT_ERROR);
                    assertThat(ex.errorMessage()).contains("p1 is down");
                });
    }
}
