package dev.dispatch.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;

/**
 * Samples the heap every 10 ms: the peak of used heap (garbage included, so it depends on when the collector ran)
 * and the peak of the heap still in use right after a collection (the live set, the figure that has to fit in
 * {@code -Xmx}).
 */
final class HeapSampler implements Runnable {

    private final List<MemoryPoolMXBean> pools;

    private final Thread thread;

    private volatile boolean running = true;

    private long peakUsed;

    private long peakLive;

    private HeapSampler() {
        this.pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .toList();
        this.thread = new Thread(this, "heap-sampler");
        this.thread.setDaemon(true);
    }

    static HeapSampler start() {
        HeapSampler sampler = new HeapSampler();
        sampler.thread.start();
        return sampler;
    }

    @Override
    public void run() {
        while (this.running) {
            sample();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void sample() {
        long used = 0;
        long live = 0;
        for (MemoryPoolMXBean pool : this.pools) {
            used += pool.getUsage().getUsed();
            MemoryUsage afterGc = pool.getCollectionUsage();
            if (afterGc != null) {
                live += afterGc.getUsed();
            }
        }
        this.peakUsed = Math.max(this.peakUsed, used);
        this.peakLive = Math.max(this.peakLive, live);
    }

    void stop() {
        this.running = false;
        sample();
    }

    synchronized long peakUsedMb() {
        return this.peakUsed / (1024 * 1024);
    }

    synchronized long peakLiveMb() {
        return this.peakLive / (1024 * 1024);
    }
}
