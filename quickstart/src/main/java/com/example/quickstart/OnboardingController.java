package com.example.quickstart;

import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class OnboardingController {

    private final Dispatcher dispatcher;

    private final Onboarding onboarding;

    public OnboardingController(Dispatcher dispatcher, Onboarding onboarding) {
        this.dispatcher = dispatcher;
        this.onboarding = onboarding;
    }

    @PostMapping("/onboarding")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Map<String, String> start(@RequestBody List<String> emails) {
        // recorded and started in the background; the id tells you where to look
        DispatchId id = dispatcher.dispatch(() -> onboarding.onboard(emails));
        return Map.of("id", id.value());
    }
}
