package com.example.shop;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** A downstream service that is always too busy: 429 Too Many Requests. */
@RestController
class BusyService {

    @GetMapping("/busy")
    ResponseEntity<String> busy() {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).body("slow down");
    }
}
