package dev.dispatch.aop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

class ConcurrencyKeyTests {

    public record Page(String domain, String path) {}

    public void fetch(Page page, String group) {}

    private static final Method FETCH;

    static {
        try {
            FETCH = ConcurrencyKeyTests.class.getMethod("fetch", Page.class, String.class);
        } catch (NoSuchMethodException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Test
    void theKeyIsReadByPositionOrByTheParameterName() {
        Object[] arguments = {new Page("a.example", "/"), "g"};

        assertThat(ConcurrencyKey.parse("#p0.domain", 2).valueFor(FETCH, arguments))
                .isEqualTo("a.example");
        assertThat(ConcurrencyKey.parse("#a0.domain", 2).valueFor(FETCH, arguments))
                .isEqualTo("a.example");
        assertThat(ConcurrencyKey.parse("#page.domain + '/' + #group", 2).valueFor(FETCH, arguments))
                .isEqualTo("a.example/g");
    }

    @Test
    void aNullValueIsNoKey() {
        assertThat(ConcurrencyKey.parse("#p0.domain", 1).valueFor(FETCH, new Object[] {new Page(null, "/"), "g"}))
                .isNull();
        assertThat(ConcurrencyKey.parse("#p0?.domain", 1).valueFor(FETCH, new Object[] {null, "g"}))
                .isNull();
    }

    @Test
    void aValueLongerThanTheColumnIsKeptAsItsHash() {
        String domain = "d".repeat(300);
        ConcurrencyKey key = ConcurrencyKey.parse("#p0.domain", 1);

        String value = key.valueFor(FETCH, new Object[] {new Page(domain, "/"), "g"});

        assertThat(value).startsWith("sha256:").hasSizeLessThanOrEqualTo(ConcurrencyKey.MAX_LENGTH);
        assertThat(key.valueFor(FETCH, new Object[] {new Page(domain, "/other"), "h"}))
                .isEqualTo(value);
    }

    @Test
    void anExpressionThatFailsOverTheArgumentsSaysSo() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ConcurrencyKey.parse("#p0.domain", 1).valueFor(FETCH, new Object[] {null, "g"}))
                .withMessageContaining("concurrencyKey '#p0.domain' could not be evaluated over the arguments");
    }

    @Test
    void textThatIsNotSpelIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ConcurrencyKey.parse("#p0.", 1))
                .withMessageStartingWith("'#p0.' is not a SpEL expression");
    }
}
