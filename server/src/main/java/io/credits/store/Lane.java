package io.credits.store;

import io.credits.account.Outcome;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One worker thread and its queue. Everything waiting when the worker comes round goes into one
 * transaction, so under load the batches grow by themselves and the cost of a commit is shared;
 * with no load a request waits for nobody.
 */
final class Lane implements AutoCloseable {
    /** The most requests that may wait in one lane before callers are told to slow down. */
    static final int QUEUE_MAX = 100_000;
    /** How long a lane waits for the rest of a batch after a much larger one: a fraction of a commit. */
    static final long GATHER_NANOS = 200_000;

    record Pending(String account, Engine.Request request, CompletableFuture<Outcome> future) {}

    interface BatchRunner {
        Map<Pending, Outcome> run(List<Pending> batch) throws Exception;
    }

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(QUEUE_MAX);
    private final int batchMax;
    private final BatchRunner runner;
    private final Thread thread;
    private volatile boolean running = true;

    Lane(String name, int batchMax, BatchRunner runner) {
        this.batchMax = batchMax;
        this.runner = runner;
        this.thread = Thread.ofPlatform().name(name).daemon(true).start(this::loop);
    }

    CompletableFuture<Outcome> offer(String account, Engine.Request request) {
        CompletableFuture<Outcome> f = new CompletableFuture<>();
        if (!running) {
            f.completeExceptionally(new IllegalStateException("the engine is closed"));
        } else if (!queue.offer(new Pending(account, request, f))) {
            f.completeExceptionally(new IllegalStateException("overloaded: " + QUEUE_MAX + " requests wait in one lane"));
        }
        return f;
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>();
        int last = 0;
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.clear();
                batch.add(first);
                queue.drainTo(batch, batchMax - 1);
                if (batch.size() < last / 2) {
                    // The clients answered by the last batch are still coming back: a moment's wait
                    // makes one batch of them instead of a small one and then another.
                    LockSupport.parkNanos(GATHER_NANOS);
                    queue.drainTo(batch, batchMax - batch.size());
                }
                last = batch.size();
                run(batch);
            } catch (InterruptedException e) {
                if (!running) break;
            }
        }
    }

    /**
     * On a failure, each account is tried again alone, so one bad account cannot fail the others;
     * but not when the database is unreachable: each try would wait out the pool's timeout again,
     * so the whole batch fails at once (fast, and the callers retry).
     */
    private void run(List<Pending> batch) {
        try {
            complete(batch, runner.run(batch));
            return;
        } catch (Exception e) {
            Map<String, List<Pending>> byAccount = new LinkedHashMap<>();
            for (Pending p : batch) byAccount.computeIfAbsent(p.account(), k -> new ArrayList<>()).add(p);
            if ((byAccount.size() == 1 && batch.size() == 1) || StoreException.isUnavailable(e)) {
                fail(batch, e);
                return;
            }
            for (List<Pending> one : byAccount.values()) {
                try {
                    complete(one, runner.run(one));
                } catch (Exception again) {
                    fail(one, again);
                }
            }
        }
    }

    private static void complete(List<Pending> batch, Map<Pending, Outcome> outcomes) {
        for (Pending p : batch) p.future().complete(outcomes.get(p));
    }

    private static void fail(List<Pending> batch, Exception e) {
        RuntimeException wrapped = e instanceof RuntimeException re ? re
                : new StoreException("the transaction failed", e);
        for (Pending p : batch) p.future().completeExceptionally(wrapped);
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
