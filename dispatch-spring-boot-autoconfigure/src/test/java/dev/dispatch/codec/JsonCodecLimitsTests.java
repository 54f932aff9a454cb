package dev.dispatch.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.AbstractCollection;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The payload limit is enforced while writing, and graphs that cannot be JSON get a clear error naming the function. */
class JsonCodecLimitsTests {

    private static final int LIMIT = 64 * 1024;

    private final JsonCodec codec = new JsonCodec(new JsonMapper(), LIMIT);

    @Test
    void writingStopsAtTheLimitInsteadOfBuildingTheWholeText() {
        // 10^12 elements of 12 bytes: no JVM holds that text, so only a writer that stops at the limit returns.
        Endless endless = new Endless(1_000_000_000_000L);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> this.codec.encodeArguments("reports.store", new Object[] {endless}))
                .withMessageContaining("Cannot record a call of reports.store")
                .withMessageContaining("over dispatch.max-payload-size (65536 bytes)");
        assertThat(endless.produced.get()).isLessThan(2 * LIMIT / 12);
    }

    @Test
    void aResultIsStoppedAtTheLimitToo() {
        Endless endless = new Endless(1_000_000_000_000L);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> this.codec.encodeResult("reports.load", endless))
                .withMessageContaining("The result of reports.load is over dispatch.max-payload-size (65536 bytes)");
        assertThat(endless.produced.get()).isLessThan(2 * LIMIT / 12);
    }

    @Test
    void aPayloadJustUnderTheLimitIsWrittenWhole() {
        String text = "x".repeat(LIMIT - 10);

        assertThat(this.codec.encodeArguments("f", new Object[] {text})).hasSize(LIMIT - 10 + 4);
    }

    @Test
    void aCyclicArgumentIsRefusedNamingTheFunctionAndTheArgument() {
        Person ada = new Person("Ada");
        Person bo = new Person("Bo");
        ada.friend = bo;
        bo.friend = ada;

        assertThatIllegalArgumentException()
                .isThrownBy(() -> this.codec.encodeArguments("people.introduce", new Object[] {"hello", ada}))
                .withMessageContaining("Cannot record a call of people.introduce: argument 2 (" + Person.class.getName()
                        + ") has a cyclic object graph");
        // and the codec still works afterwards: nothing in Jackson was left half-initialised
        assertThat(this.codec.encodeArguments("f", new Object[] {new Person("Cy")}))
                .isEqualTo("[{\"name\":\"Cy\",\"friend\":null}]");
    }

    @Test
    void aSelfReferenceIsRefusedToo() {
        Person narcissus = new Person("Narcissus");
        narcissus.friend = narcissus;

        assertThatIllegalArgumentException()
                .isThrownBy(() -> this.codec.encodeResult("people.find", narcissus))
                .withMessageContaining(
                        "The result of people.find (" + Person.class.getName() + ") has a cyclic object graph");
    }

    public static class Person {
        public String name;

        public Person friend;

        Person(String name) {
            this.name = name;
        }
    }

    /** A collection that makes its elements as they are read. */
    static final class Endless extends AbstractCollection<String> {
        final AtomicLong produced = new AtomicLong();

        private final long size;

        Endless(long size) {
            this.size = size;
        }

        @Override
        public Iterator<String> iterator() {
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return produced.get() < size;
                }

                @Override
                public String next() {
                    produced.incrementAndGet();
                    return "abcdefghij";
                }
            };
        }

        @Override
        public int size() {
            return (int) Math.min(Integer.MAX_VALUE, this.size);
        }
    }
}
