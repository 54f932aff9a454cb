package com.example.shop.console;

import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import dev.dispatch.PermanentFailureException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Service;

/** A report in many parts, some of which fail for good until an operator fixes them: what the console shows. */
@Service
public class Reports {

    private final Dispatcher dispatcher;

    private final Reports self;

    private final Set<Integer> broken = ConcurrentHashMap.newKeySet();

    public Reports(Dispatcher dispatcher, @Lazy Reports self) {
        this.dispatcher = dispatcher;
        this.self = self;
    }

    /** Breaks a part: its renderings fail for good until {@link #fix}. */
    public void breakPart(int part) {
        this.broken.add(part);
    }

    public void fix(int part) {
        this.broken.remove(part);
    }

    /** Gathers one rendering per part: a step with many calls. */
    @DispatchFunction
    public int build(String title, int parts) {
        List<String> rendered =
                this.dispatcher.gather(IntStream.range(0, parts).boxed().toList(), this.self::renderPart);
        return rendered.size();
    }

    @DispatchFunction
    public String renderPart(int part) {
        if (this.broken.contains(part)) {
            throw new PermanentFailureException("part " + part + " has no data source");
        }
        return "part " + part;
    }

    /** Signs a text: its argument is the kind of value operators must not see unless shown on purpose. */
    @DispatchFunction
    public int sign(String secret) {
        return secret.length();
    }
}
