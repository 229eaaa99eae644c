package dev.forwardauth.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision log: one JSON line per decision ({@link DecisionJson}) on standard output, apart from the
 * diagnostic log on standard error. The request thread only puts the record into a bounded, lock-free queue;
 * one background thread formats and writes whatever has piled up, in one write per batch, and sleeps when there
 * is nothing. When the queue is full the decision is dropped and counted, never waited for: a slow disk or
 * pipe must not slow down /authorize.
 */
public final class DecisionLogWriter implements DecisionSink, AutoCloseable {
    public static final int DEFAULT_CAPACITY = 16_384;
    // How long the writer sleeps when the queue is empty: lines wait at most this long, and a busy server
    // writes them in batches of this many milliseconds' worth.
    static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final int MAX_BATCH = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(DecisionLogWriter.class);

    private final ConcurrentLinkedQueue<Decision> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final int capacity;
    private final boolean deniedOnly;
    private final OutputStream out;
    private final Runnable dropped;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param deniedOnly only decisions that did not let the request pass
     * @param out        where the lines go
     * @param dropped    called (on the request thread) for each decision the full queue could not take
     */
    public DecisionLogWriter(boolean deniedOnly, OutputStream out, Runnable dropped) {
        this(DEFAULT_CAPACITY, deniedOnly, out, dropped);
        start();
    }

    /** To standard output. */
    public static DecisionLogWriter toStandardOutput(boolean deniedOnly, Runnable dropped) {
        PrintStream stdout = System.out;
        return new DecisionLogWriter(deniedOnly, stdout, dropped);
    }

    /** Not started: tests fill the queue first. */
    DecisionLogWriter(int capacity, boolean deniedOnly, OutputStream out, Runnable dropped) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.deniedOnly = deniedOnly;
        this.out = Objects.requireNonNull(out);
        this.dropped = Objects.requireNonNull(dropped);
        this.thread = new Thread(this::run, "forwardauth-decision-log");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    @Override
    public void accept(Decision decision) {
        if (deniedOnly && decision.passed()) {
            return;
        }
        if (!running) {
            dropped.run(); // shutting down: nobody would write it
            return;
        }
        // Reserve a place first: the count, not the queue (whose size() walks it), is what bounds it.
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            dropped.run();
            return;
        }
        queue.offer(decision);
    }

    /** Decisions waiting to be written. */
    public int queued() {
        return Math.max(0, Math.min(queued.get(), capacity));
    }

    /** Stops the writer after it has written what is queued (waits up to two seconds). */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        DecisionJson json = new DecisionJson();
        StringBuilder text = new StringBuilder(64 * 1024);
        while (running) {
            if (!writeBatch(json, text)) {
                LockSupport.parkNanos(this, IDLE_NANOS);
            }
        }
        while (writeBatch(json, text)) {
            // what was queued before close
        }
    }

    /** Writes up to one batch; false when there was nothing to write. */
    boolean writeBatch(DecisionJson json, StringBuilder text) {
        int lines = 0;
        boolean unformatted = false;
        Decision decision;
        while (lines < MAX_BATCH && (decision = queue.poll()) != null) {
            queued.decrementAndGet();
            int mark = text.length();
            try {
                json.append(text, decision);
                text.append('\n');
                lines++;
            } catch (RuntimeException e) {
                text.setLength(mark);
                // A bug here must not stop the log; said once per batch, without the decision's values.
                if (!unformatted) {
                    LOG.warn("decision log: a decision could not be formatted: {}", e.getClass().getName());
                    unformatted = true;
                }
            }
        }
        if (lines == 0) {
            return false;
        }
        try {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            for (int i = 0; i < lines; i++) {
                dropped.run();
            }
        }
        text.setLength(0);
        if (text.capacity() > 1 << 20) {
            text.trimToSize(); // after an unusually large batch, give the memory back
        }
        return true;
    }
}
