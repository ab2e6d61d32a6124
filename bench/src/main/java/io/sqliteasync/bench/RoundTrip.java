package io.sqliteasync.bench;

import io.sqliteasync.AsyncConnection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code SELECT 1} round-trip latency and CPU per operation: sqlite-async ({@code fetchOne}, the caller a platform
 * thread joining the future) against {@link NaiveWorker}, in the same run. Each side first runs unmeasured warm-up
 * operations; then the two are measured in alternating rounds so that drift on a shared machine hits both. Writes
 * {@code roundtrip.tsv} to {@code --out}.
 *
 * <p>Options: {@code --quick} (fewer operations), {@code --ops n}, {@code --out dir}.
 */
public final class RoundTrip {
    private static final int ROUNDS = 4;

    private RoundTrip() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args see the class comment
     * @throws Exception when a call fails
     */
    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args);
        int ops = (int) a.number("ops", 200_000, 20_000);
        int warmUp = (int) a.number("warmup", 100_000, 20_000);
        int perRound = ops / ROUNDS;
        try (AsyncConnection ours = AsyncConnection.open(":memory:").join(); NaiveWorker naive = new NaiveWorker()) {
            Thread ourWorker = WorkerThreads.of(ours);
            Side async = new Side("sqlite-async", ourWorker, () -> ours.fetchOne("SELECT 1"), ops);
            Side base = new Side("naive-lbq-worker", naive.thread(), naive::selectOne, ops);
            async.run(warmUp, false);
            base.run(warmUp, false);
            for (int r = 0; r < ROUNDS; r++) {
                async.run(perRound, true);
                base.run(perRound, true);
            }
            List<String> lines = new ArrayList<>();
            for (Side s : List.of(async, base)) {
                lines.add(s.summary());
                System.out.println(s.summary().replace('\t', ' '));
            }
            Tsv.write(a.out().resolve("roundtrip.tsv"),
                    "impl\tp50_us\tp99_us\tcpu_total_us_per_op\tcpu_caller_us_per_op\tcpu_worker_us_per_op\tops",
                    lines);
            // An idle connection must not burn CPU: the worker spins at most 50 us after its last command, then parks.
            ours.fetchOne("SELECT 1").join();
            long idleStart = Cpu.thread(ourWorker);
            long wallStart = System.nanoTime();
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000_000L);
            long idleCpu = Cpu.thread(ourWorker) - idleStart;
            String idle = String.format(Locale.ROOT, "idle worker thread CPU over %.2f s of idle time: %.3f ms",
                    (System.nanoTime() - wallStart) / 1e9, idleCpu / 1e6);
            System.out.println(idle);
            java.nio.file.Files.writeString(a.out().resolve("idle.txt"), idle + System.lineSeparator());
        }
    }

    /** One implementation's latencies and CPU, accumulated over the measured rounds. */
    private static final class Side {
        private final String name;
        private final Thread worker;
        private final Supplier<? extends CompletableFuture<?>> call;
        private final long[] latencies;
        private int count;
        private long cpuTotal;
        private long cpuCaller;
        private long cpuWorker;

        Side(String name, Thread worker, Supplier<? extends CompletableFuture<?>> call, int ops) {
            this.name = name;
            this.worker = worker;
            this.call = call;
            this.latencies = new long[ops];
        }

        void run(int n, boolean measure) {
            Thread caller = Thread.currentThread();
            long w0 = Cpu.thread(worker);
            long c0 = Cpu.thread(caller);
            long p0 = Cpu.process();
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                call.get().join();
                long t1 = System.nanoTime();
                if (measure && count < latencies.length) {
                    latencies[count++] = t1 - t0;
                }
            }
            if (measure) {
                cpuTotal += Cpu.process() - p0;
                cpuCaller += Cpu.thread(caller) - c0;
                cpuWorker += Cpu.thread(worker) - w0;
            }
        }

        String summary() {
            long[] sorted = Arrays.copyOf(latencies, count);
            Arrays.sort(sorted);
            double n = count;
            return Tsv.row(name, us(sorted[(int) (count * 0.50)]), us(sorted[(int) (count * 0.99)]),
                    us(cpuTotal / n), us(cpuCaller / n), us(cpuWorker / n), count);
        }

        private static String us(double nanos) {
            return String.format(Locale.ROOT, "%.2f", nanos / 1000.0);
        }
    }
}
