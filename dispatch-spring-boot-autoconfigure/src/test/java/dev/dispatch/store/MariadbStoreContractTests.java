package dev.dispatch.store;

import com.example.testdb.SharedDatabase;

/** The {@link StoreContract} on MariaDB. */
class MariadbStoreContractTests extends StoreContract {

    @Override
    SharedDatabase database() {
        return SharedDatabase.mariadb();
    }

    @Override
    boolean signalsNewWork() {
        return false;
    }
}
