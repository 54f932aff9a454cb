package dev.dispatch.sample;

import dev.dispatch.DispatchFunction;
import java.util.List;
import java.util.stream.LongStream;
import org.springframework.stereotype.Service;

/** Reads users and clients; durable, so a resumed workflow sees the same lists. */
@Service
public class Directory {

    @DispatchFunction
    public List<User> fetchUsers() {
        return LongStream.rangeClosed(1, 200)
                .mapToObj(i -> new User(i, "user" + i + "@example.com"))
                .toList();
    }

    @DispatchFunction
    public List<Client> fetchClients() {
        return LongStream.rangeClosed(1, 50)
                .mapToObj(i -> new Client(i, "Client " + i))
                .toList();
    }
}
