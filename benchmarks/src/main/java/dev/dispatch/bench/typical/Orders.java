package dev.dispatch.bench.typical;

import org.springframework.data.jpa.repository.JpaRepository;

/** The application's Spring Data repository. */
public interface Orders extends JpaRepository<Order, Long> {}
