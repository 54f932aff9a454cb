package com.example.shop;

import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import java.util.List;
import java.util.stream.IntStream;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Service;

/** Parents that gather quick children: the children finish while their parent is still suspending. */
@Service
public class Fanout {

    private final Dispatcher dispatcher;

    private final Fanout self;

    public Fanout(Dispatcher dispatcher, @Lazy Fanout self) {
        this.dispatcher = dispatcher;
        this.self = self;
    }

    @DispatchFunction
    public int sumOfChildren(int parent, int children) {
        List<Integer> values = this.dispatcher.gather(
                IntStream.range(0, children).boxed().toList(), i -> this.self.echo(parent * 1000 + i));
        return values.stream().mapToInt(Integer::intValue).sum();
    }

    @DispatchFunction
    public int echo(int value) {
        return value;
    }
}
