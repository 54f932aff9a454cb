package com.example.shop;

import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Durable functions that are also transactional, and callers that hold a transaction of their own. */
@Service
public class Accounts {

    private final JdbcTemplate jdbc;

    private final Ledger ledger;

    private final Dispatcher dispatcher;

    private final Accounts self;

    private final List<String> transactionsSeen = new CopyOnWriteArrayList<>();

    public Accounts(JdbcTemplate jdbc, Ledger ledger, Dispatcher dispatcher, @Lazy Accounts self) {
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.dispatcher = dispatcher;
        this.self = self;
    }

    /** Opens an account; its first attempt may fail after writing, which its own transaction must undo. */
    @DispatchFunction(initialBackoff = "5ms")
    @Transactional
    public void open(String owner) {
        this.transactionsSeen.add(TransactionSynchronizationManager.getCurrentTransactionName() + "#"
                + System.identityHashCode(TransactionSynchronizationManager.getResourceMap()));
        this.jdbc.update("INSERT INTO account (owner) VALUES (?)", owner);
        if (this.ledger.run("open:" + owner)) {
            throw new IllegalStateException("lost the connection after writing");
        }
    }

    /** A caller with its own transaction that makes a direct durable call, then fails. */
    @Transactional
    public void openThenFail(String owner) {
        this.jdbc.update("INSERT INTO account (owner) VALUES (?)", "caller:" + owner);
        this.self.open(owner);
        throw new IllegalStateException("the caller fails after the durable call");
    }

    /** A caller with its own transaction that dispatches, then commits or fails. */
    @Transactional
    public void dispatchOpen(String owner, boolean fail) {
        this.dispatcher.dispatch(() -> this.self.open(owner));
        if (fail) {
            throw new IllegalStateException("the caller's transaction rolls back");
        }
    }

    public List<String> transactionsSeen() {
        return List.copyOf(this.transactionsSeen);
    }

    public int count(String owner) {
        Integer count = this.jdbc.queryForObject("SELECT COUNT(*) FROM account WHERE owner = ?", Integer.class, owner);
        return count != null ? count : 0;
    }
}
