package dev.dispatch.bench.typical;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The application's own MVC endpoint; the harness calls it once to check the server answers. */
@RestController
public class OrderController {

    private final Orders orders;

    public OrderController(Orders orders) {
        this.orders = orders;
    }

    @GetMapping("/orders/count")
    public long count() {
        return this.orders.count();
    }
}
