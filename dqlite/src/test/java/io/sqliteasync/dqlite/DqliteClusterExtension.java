package io.sqliteasync.dqlite;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A three-node dqlite cluster for one test class: {@code dqlite-demo} processes (Debian package go-dqlite) on free
 * loopback ports in a temporary directory. The second and third node join the first; the cluster is ready when it
 * lists three voters. Nodes can be killed ({@code kill -9}) and restarted; all of them stop after the class, also
 * when it fails, and at JVM exit at the latest.
 *
 * <p>Register it as a static field with {@code @RegisterExtension}. When {@code dqlite-demo} is not installed the
 * class fails (it is never skipped): install go-dqlite, or point {@code -Ddqlite.demo=} at the binary.
 */
public final class DqliteClusterExtension implements BeforeAllCallback, AfterAllCallback {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final DqliteClientOptions PROBE = DqliteClientOptions.builder()
            .dialTimeout(Duration.ofSeconds(1)).readTimeout(Duration.ofSeconds(2)).build();

    private final int size;
    private final List<Node> nodes = new ArrayList<>();
    private Path root;
    private String demo;
    private Thread shutdownHook;

    /** A cluster of three nodes. */
    public DqliteClusterExtension() {
        this.size = 3;
    }

    private static final class Node {
        final int index;
        final String apiAddress;
        final String dbAddress;
        final Path dir;
        final Path log;
        Process process;

        Node(int index, String apiAddress, String dbAddress, Path dir, Path log) {
            this.index = index;
            this.apiAddress = apiAddress;
            this.dbAddress = dbAddress;
            this.dir = dir;
            this.log = log;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        demo = locateDemo();
        root = Files.createTempDirectory("dqlite-cluster");
        shutdownHook = new Thread(this::stopAll, "dqlite-cluster-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            int[] ports = freePorts(2 * size);
            for (int i = 0; i < size; i++) {
                Path dir = Files.createDirectories(root.resolve("node" + (i + 1)));
                nodes.add(new Node(i, "127.0.0.1:" + ports[2 * i], "127.0.0.1:" + ports[2 * i + 1], dir,
                        root.resolve("node" + (i + 1) + ".log")));
            }
            long start = System.nanoTime();
            startNode(nodes.get(0));
            awaitNode(0, "lead a one-node cluster", () -> leaderSeenBy(0).filter(nodes.get(0).dbAddress::equals)
                    .isPresent());
            for (int i = 1; i < size; i++) {
                startNode(nodes.get(i));
            }
            await("the cluster to list " + size + " voters", () -> voters() == size);
            System.out.printf("dqlite cluster of %d voters ready in %d ms: %s%n", size,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), addresses());
        } catch (Throwable t) {
            stopAll();
            throw t;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopAll();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The hook runs anyway.
            }
        }
        deleteTree(root);
    }

    /**
     * The database addresses of all nodes, in start order.
     *
     * @return {@code 127.0.0.1:port} for each node
     */
    public List<String> addresses() {
        List<String> list = new ArrayList<>();
        for (Node node : nodes) {
            list.add(node.dbAddress);
        }
        return list;
    }

    /**
     * The database address of one node.
     *
     * @param index the node index, from 0
     * @return its address
     */
    public String address(int index) {
        return nodes.get(index).dbAddress;
    }

    /**
     * The HTTP API address of one node (not a dqlite port).
     *
     * @param index the node index, from 0
     * @return its address
     */
    public String apiAddress(int index) {
        return nodes.get(index).apiAddress;
    }

    /**
     * The index of the node with the given database address.
     *
     * @param address a database address
     * @return its index
     */
    public int indexOf(String address) {
        for (Node node : nodes) {
            if (node.dbAddress.equals(address)) {
                return node.index;
            }
        }
        throw new IllegalArgumentException("no node at " + address);
    }

    /**
     * The current leader as a running node sees it, waiting (bounded) until one is elected.
     *
     * @return the leader's address
     */
    public String awaitLeader() {
        String[] found = new String[1];
        await("a leader", () -> {
            for (Node node : nodes) {
                if (node.process != null && node.process.isAlive()) {
                    Optional<String> leader = leaderSeenBy(node.index);
                    if (leader.isPresent()) {
                        found[0] = leader.get();
                        return true;
                    }
                }
            }
            return false;
        });
        return found[0];
    }

    /**
     * Kills one node with SIGKILL and waits (bounded) until the process is gone.
     *
     * @param index the node index
     * @throws InterruptedException when interrupted while waiting
     */
    public void kill(int index) throws InterruptedException {
        Node node = nodes.get(index);
        node.process.destroyForcibly();
        if (!node.process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("node " + node.dbAddress + " survived kill -9 for 10 s");
        }
    }

    /**
     * Starts a killed node again on its directory and ports, and waits (bounded) until it knows the leader.
     *
     * @param index the node index
     * @throws IOException when the process cannot start
     */
    public void restart(int index) throws IOException {
        Node node = nodes.get(index);
        if (node.process != null && node.process.isAlive()) {
            throw new IllegalStateException("node " + node.dbAddress + " is running");
        }
        startNode(node);
        awaitNode(index, "rejoin the cluster", () -> leaderSeenBy(index).isPresent());
    }

    private void startNode(Node node) throws IOException {
        List<String> command = new ArrayList<>(List.of(demo, "--api", node.apiAddress, "--db", node.dbAddress,
                "--dir", node.dir.toString()));
        if (node.index > 0) {
            command.add("--join");
            command.add(nodes.get(0).dbAddress);
        }
        node.process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(node.log.toFile())).start();
    }

    private Optional<String> leaderSeenBy(int index) {
        try (DqliteProtocolConnection c = DqliteProtocolConnection.connect(nodes.get(index).dbAddress, PROBE)) {
            return c.leader().map(DqliteNode::address);
        } catch (DqliteException e) {
            return Optional.empty();
        }
    }

    private int voters() {
        try (DqliteProtocolConnection c = DqliteProtocolConnection.connect(nodes.get(0).dbAddress, PROBE)) {
            return (int) c.cluster().stream().filter(n -> n.role() == DqliteNode.Role.VOTER).count();
        } catch (DqliteException e) {
            return 0;
        }
    }

    private void awaitNode(int index, String what, BooleanSupplier condition) {
        Node node = nodes.get(index);
        await("node " + node.dbAddress + " to " + what, () -> {
            if (!node.process.isAlive()) {
                throw new IllegalStateException("dqlite-demo for " + node.dbAddress + " exited with "
                        + node.process.exitValue() + ":\n" + tail(node.log));
            }
            return condition.getAsBoolean();
        });
    }

    private void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                StringBuilder logs = new StringBuilder();
                for (Node node : nodes) {
                    logs.append("\n--- ").append(node.dbAddress).append(":\n").append(tail(node.log));
                }
                throw new IllegalStateException("gave up waiting " + READY_TIMEOUT.toSeconds() + " s for " + what
                        + logs);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }

    private synchronized void stopAll() {
        for (Node node : nodes) {
            Process p = node.process;
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
                try {
                    p.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static String locateDemo() {
        String configured = System.getProperty("dqlite.demo");
        if (configured != null && !configured.isBlank()) {
            if (Files.isExecutable(Path.of(configured))) {
                return configured;
            }
            throw new IllegalStateException("-Ddqlite.demo=" + configured + " is not an executable file");
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir, "dqlite-demo");
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        throw new IllegalStateException("dqlite-demo is not installed (not on PATH): the dqlite cluster tests need it. "
                + "Install go-dqlite (Debian/Ubuntu: sudo apt-get install go-dqlite), or set -Ddqlite.demo=/path/to/"
                + "dqlite-demo");
    }

    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temporary directory left behind is harmless.
        }
    }
}
