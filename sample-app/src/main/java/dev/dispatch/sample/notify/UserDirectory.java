package dev.dispatch.sample.notify;

import dev.dispatch.DispatchFunction;
import java.util.List;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;

/** {@code fetch_users_from_database}: a durable call, so a resumed {@code notifyAllUsers} sees the same list. */
@Service
public class UserDirectory {

    public static final String FETCH_USERS = "users.fetchUsers";

    private final UserAccountRepository users;

    public UserDirectory(UserAccountRepository users) {
        this.users = users;
    }

    @DispatchFunction(name = FETCH_USERS)
    public List<Recipient> fetchUsers() {
        return this.users.findAll(Sort.by("id")).stream()
                .map(UserAccount::toRecipient)
                .toList();
    }
}
