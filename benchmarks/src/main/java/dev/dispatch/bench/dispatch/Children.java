package dev.dispatch.bench.dispatch;

import dev.dispatch.DispatchFunction;
import dev.dispatch.bench.Executions;
import org.springframework.stereotype.Service;

/** The no-op children: each counts its execution, so the run can check every child ran exactly once. */
@Service
public class Children {

    @DispatchFunction
    public int noop(int i) {
        Executions.record(i);
        return i;
    }

    @DispatchFunction
    public int step(int i) {
        Executions.record(i);
        return i;
    }
}
