package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import dev.dispatch.aop.DispatchFunctionAdvisor;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.interceptor.BeanFactoryTransactionAttributeSourceAdvisor;

@SpringBootTest
class TransactionTests {

    @Autowired
    Accounts accounts;

    @Autowired
    Ledger ledger;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void setUp() {
        this.ledger.reset();
        this.jdbc.execute("CREATE TABLE IF NOT EXISTS account (owner VARCHAR(100) NOT NULL)");
    }

    @Test
    void theDispatchAdviceIsOrderedOutsideTransactional() {
        List<Advisor> advisors = Arrays.asList(((Advised) this.accounts).getAdvisors());
        int dispatch = indexOf(advisors, DispatchFunctionAdvisor.class);
        int transaction = indexOf(advisors, BeanFactoryTransactionAttributeSourceAdvisor.class);
        assertThat(dispatch).isNotNegative().isLessThan(transaction);
    }

    @Test
    void eachAttemptGetsItsOwnTransactionAndAFailedAttemptLeavesNothingBehind() {
        this.ledger.failNext("open:ada", 1);

        this.accounts.open("ada");

        assertThat(this.accounts.count("ada")).isEqualTo(1);
        assertThat(this.ledger.runs("open:ada")).isEqualTo(2);
        assertThat(this.accounts.transactionsSeen()).hasSize(2).doesNotHaveDuplicates();
        assertThat(this.accounts.transactionsSeen())
                .allMatch(name -> name.startsWith("com.example.shop.Accounts.open#"));
    }

    @Test
    void aDirectCallInsideACallersTransactionIsRecordedAndCommittedOnItsOwn() {
        assertThatIllegalStateException().isThrownBy(() -> this.accounts.openThenFail("grace"));

        assertThat(this.accounts.count("caller:grace"))
                .as("the caller's own write rolls back")
                .isZero();
        assertThat(this.accounts.count("grace"))
                .as("the durable call committed on its own")
                .isEqualTo(1);
    }

    @Test
    void aDispatchJoinsTheCallersTransactionAndExistsOnlyIfItCommits() throws InterruptedException {
        assertThatIllegalStateException().isThrownBy(() -> this.accounts.dispatchOpen("rolled-back", true));
        this.accounts.dispatchOpen("committed", false);

        awaitCount("committed", 1);
        assertThat(this.accounts.count("rolled-back")).isZero();
        Integer recorded = this.jdbc.queryForObject(
                "SELECT COUNT(*) FROM dispatch_invocation WHERE arguments = '[\"rolled-back\"]'", Integer.class);
        assertThat(recorded).isZero();
    }

    private void awaitCount(String owner, int expected) {
        await("accounts of " + owner)
                .atMost(Duration.ofSeconds(10))
                .until(() -> this.accounts.count(owner), count -> count == expected);
    }

    private static int indexOf(List<Advisor> advisors, Class<?> type) {
        for (int i = 0; i < advisors.size(); i++) {
            if (type.isInstance(advisors.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
