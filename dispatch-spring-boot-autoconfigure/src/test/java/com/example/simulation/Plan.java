package com.example.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One scenario of the simulation, generated from its seed alone: a tree of calls (node 0 is the root, a parent; depth
 * up to 3), what each leaf does on each attempt, what the operator does (cancel, repair and retry) and which faults
 * are injected. Every JVM that sees a call's key ({@code <seed>-<node>}) rebuilds the same plan from the seed, so the
 * functions need nothing but their key, also in the multi-JVM variant.
 */
record Plan(long seed, List<Node> nodes, Operator operator, Faults faults) {

    static final int MAX_DEPTH = 3;

    private static final int MAX_NODES = 28;

    private static final Map<Long, Plan> PLANS = new ConcurrentHashMap<>();

    /** What a call is: a parent interpreting its steps, a leaf of {@code sim.leaf} or of {@code sim.once}. */
    enum Kind {
        PARENT,
        LEAF,
        ONCE,
        /** Returns a time at +02:00, which JSON gives back at UTC. */
        STAMP,
        /** Takes a time, as the next call after a {@link #STAMP} does with its value. */
        ECHO
    }

    /** What a leaf does: fails {@code failures} attempts in its way, then returns; or never returns. */
    enum Behaviour {
        OK,
        TEMPORARY,
        TIMEOUT,
        ODD,
        PERMANENT,
        EXHAUST;

        boolean succeeds() {
            return this != PERMANENT && this != EXHAUST;
        }
    }

    /** The odd exceptions a leaf may throw once (the engine must classify and store each as a temporary error). */
    static final List<String> ODD = List.of("nul", "long", "nullmessage", "checked", "error", "cycle");

    enum StepKind {
        DIRECT,
        GATHER,
        ANY,
        RACE,
        BATCH,
        SLEEP,
        KEYED,
        /** A direct call's value passed on to the next direct call: the first run and a replay must pass the same. */
        PASS
    }

    /**
     * A durable step of a parent. {@code catching}: the parent catches the step's failure (any
     * {@link RuntimeException}, as user code does) and goes on.
     */
    record Step(StepKind kind, List<Integer> children, boolean catching, int sleepMillis) {}

    /**
     * A call. For a parent: its steps, and after which step its first attempt throws a temporary failure (-1: before the
     * first, -2: never).
     * For a leaf: its behaviour, how many attempts fail before it returns, the odd exception, and how long it works.
     */
    record Node(
            int index,
            int parent,
            int depth,
            Kind kind,
            Behaviour behaviour,
            int failures,
            String odd,
            int workMillis,
            List<Step> steps,
            int failAfterStep) {

        boolean isParent() {
            return this.kind == Kind.PARENT;
        }
    }

    /**
     * The operator: cancels node {@code cancelNode} (-1: none) {@code cancelAfterMillis} after the root is dispatched;
     * repairs and retries the leaves of {@code repair} once they FAILED; retries the parents of {@code retry} once they
     * FAILED; each at most {@code maxRetries} times.
     */
    record Operator(int cancelNode, int cancelAfterMillis, Set<Integer> repair, Set<Integer> retry, int maxRetries) {

        static Operator none() {
            return new Operator(-1, 0, Set.of(), Set.of(), 0);
        }
    }

    /**
     * Faults: each statement fails with probability {@code jdbcRate} until {@code maxJdbcFaults} failed; the heartbeat
     * stalls for {@code stallMillis} at {@code stallAtMillis} after the start (0: no stall).
     */
    record Faults(double jdbcRate, int maxJdbcFaults, int stallAtMillis, int stallMillis) {

        static Faults none() {
            return new Faults(0, 0, 0, 0);
        }
    }

    static Plan of(long seed) {
        return PLANS.computeIfAbsent(seed, Plan::generate);
    }

    static String key(long seed, int node) {
        return Long.toHexString(seed) + "-" + node;
    }

    static long seedOf(String key) {
        return Long.parseUnsignedLong(key.substring(0, key.indexOf('-')), 16);
    }

    static int nodeOf(String key) {
        return Integer.parseInt(key.substring(key.indexOf('-') + 1));
    }

    static Plan forKey(String key) {
        return of(seedOf(key));
    }

    String key(int node) {
        return key(this.seed, node);
    }

    Node node(int index) {
        return this.nodes.get(index);
    }

    Node root() {
        return this.nodes.get(0);
    }

    /** The plan with no operator and no in-process faults: the multi-JVM variant's, whose faults are kills. */
    Plan withoutOperatorAndFaults() {
        return new Plan(this.seed, this.nodes, Operator.none(), Faults.none());
    }

    private static Plan generate(long seed) {
        Random random = new Random(seed);
        List<Node> nodes = new ArrayList<>();
        nodes.add(null); // the root, filled in once its children are
        nodes.set(0, parent(random, nodes, 0, -1, 0));
        return new Plan(seed, List.copyOf(nodes), operator(random, nodes), faults(random));
    }

    private static Node parent(Random random, List<Node> nodes, int index, int parent, int depth) {
        List<Step> steps = new ArrayList<>();
        int keyed = -1;
        int count = 1 + random.nextInt(4);
        for (int s = 0; s < count; s++) {
            StepKind kind = StepKind.values()[random.nextInt(StepKind.values().length)];
            boolean catching = random.nextInt(3) == 0;
            if (kind == StepKind.SLEEP) {
                steps.add(new Step(kind, List.of(), false, 20 + random.nextInt(300)));
                continue;
            }
            if (kind == StepKind.KEYED && keyed >= 0 && random.nextBoolean()) {
                steps.add(new Step(kind, List.of(keyed), false, 0)); // the same key again: the same call
                continue;
            }
            if (kind == StepKind.PASS) {
                if (nodes.size() + 2 > MAX_NODES) {
                    break;
                }
                int stamp = nodes.size();
                nodes.add(new Node(stamp, index, depth + 1, Kind.STAMP, Behaviour.OK, 0, "", 2, List.of(), -2));
                nodes.add(new Node(stamp + 1, index, depth + 1, Kind.ECHO, Behaviour.OK, 0, "", 2, List.of(), -2));
                steps.add(new Step(kind, List.of(stamp, stamp + 1), catching, 0));
                continue;
            }
            int size = (kind == StepKind.DIRECT || kind == StepKind.KEYED) ? 1 : 1 + random.nextInt(4);
            List<Integer> children = new ArrayList<>();
            for (int c = 0; c < size && nodes.size() < MAX_NODES; c++) {
                int child = nodes.size();
                nodes.add(null);
                boolean asParent = depth + 1 < MAX_DEPTH && random.nextInt(10) < 3;
                nodes.set(
                        child,
                        asParent
                                ? parent(random, nodes, child, index, depth + 1)
                                : leaf(random, child, index, depth + 1));
                children.add(child);
            }
            if (children.isEmpty()) {
                break;
            }
            if (kind == StepKind.KEYED) {
                keyed = children.get(0);
            }
            steps.add(new Step(kind, List.copyOf(children), catching, 0));
        }
        int failAfterStep = random.nextInt(5) == 0 ? random.nextInt(steps.size() + 1) - 1 : -2;
        return new Node(index, parent, depth, Kind.PARENT, Behaviour.OK, 0, "", 0, List.copyOf(steps), failAfterStep);
    }

    private static Node leaf(Random random, int index, int parent, int depth) {
        int work = random.nextInt(10) == 0 ? 600 + random.nextInt(800) : 2 + random.nextInt(40);
        if (random.nextInt(7) == 0) {
            Behaviour behaviour = random.nextInt(5) == 0 ? Behaviour.PERMANENT : Behaviour.OK;
            return new Node(index, parent, depth, Kind.ONCE, behaviour, 0, "", work, List.of(), -2);
        }
        int roll = random.nextInt(100);
        Behaviour behaviour = roll < 45
                ? Behaviour.OK
                : roll < 60
                        ? Behaviour.TEMPORARY
                        : roll < 68
                                ? Behaviour.TIMEOUT
                                : roll < 78 ? Behaviour.ODD : roll < 90 ? Behaviour.PERMANENT : Behaviour.EXHAUST;
        int failures = switch (behaviour) {
            case TEMPORARY -> 1 + random.nextInt(2);
            case TIMEOUT, ODD -> 1;
            default -> 0;
        };
        String odd = behaviour == Behaviour.ODD ? ODD.get(random.nextInt(ODD.size())) : "";
        return new Node(index, parent, depth, Kind.LEAF, behaviour, failures, odd, work, List.of(), -2);
    }

    private static Operator operator(Random random, List<Node> nodes) {
        int cancelNode = -1;
        int cancelAfter = 0;
        if (random.nextInt(7) == 0) {
            List<Integer> parents =
                    nodes.stream().filter(Node::isParent).map(Node::index).toList();
            cancelNode = random.nextBoolean() ? 0 : parents.get(random.nextInt(parents.size()));
            cancelAfter = random.nextInt(1500);
        }
        Set<Integer> repair = new TreeSet<>();
        Set<Integer> retry = new TreeSet<>();
        if (random.nextInt(3) == 0) {
            for (Node node : nodes) {
                if (!node.isParent() && !node.behaviour().succeeds() && random.nextInt(3) > 0) {
                    repair.add(node.index());
                }
                if (node.isParent() && random.nextInt(3) > 0) {
                    retry.add(node.index());
                }
            }
        }
        return new Operator(cancelNode, cancelAfter, Set.copyOf(repair), Set.copyOf(retry), 1 + random.nextInt(2));
    }

    private static Faults faults(Random random) {
        double rate = random.nextInt(3) == 0 ? 0 : 0.002 + random.nextDouble() * 0.02;
        int stallAt = random.nextInt(5) == 0 ? 100 + random.nextInt(1500) : 0;
        return new Faults(rate, 1 + random.nextInt(4), stallAt, 2500 + random.nextInt(2000));
    }
}
