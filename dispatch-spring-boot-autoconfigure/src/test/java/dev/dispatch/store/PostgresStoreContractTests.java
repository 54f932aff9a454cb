package dev.dispatch.store;

import com.example.testdb.SharedDatabase;

/** The {@link StoreContract} on PostgreSQL. */
class PostgresStoreContractTests extends StoreContract {

    @Override
    SharedDatabase database() {
        return SharedDatabase.postgres();
    }

    @Override
    boolean signalsNewWork() {
        return true;
    }
}
