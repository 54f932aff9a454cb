package com.example.shop;

import dev.dispatch.DispatchFunction;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;

@Service
public class Directory {

    private final Ledger ledger;

    private volatile int userCount = 10;

    public Directory(Ledger ledger) {
        this.ledger = ledger;
    }

    public void setUserCount(int userCount) {
        this.userCount = userCount;
    }

    @DispatchFunction
    public List<User> fetchUsers() {
        this.ledger.run("fetchUsers");
        List<User> users = new ArrayList<>();
        for (int i = 0; i < this.userCount; i++) {
            users.add(new User(i, "user" + i + "@example.com"));
        }
        this.ledger.succeeded("fetchUsers");
        return users;
    }
}
