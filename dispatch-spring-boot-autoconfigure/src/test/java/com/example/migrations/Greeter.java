package com.example.migrations;

import dev.dispatch.DispatchFunction;
import org.springframework.stereotype.Service;

@Service
public class Greeter {

    @DispatchFunction
    public String greet(String name) {
        return "Hello, " + name;
    }
}
