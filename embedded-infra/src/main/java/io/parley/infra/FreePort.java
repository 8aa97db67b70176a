package io.parley.infra;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Ports on the loopback interface. */
public final class FreePort {

    /*
     * Ports are drawn below the kernel's ephemeral range (32768 and up on Linux), so that the source port of an
     * outgoing connection cannot take a port between the moment it is handed out and the moment a server binds it,
     * and never twice in one JVM, so that servers started side by side (PostgreSQL and Kafka in a test resource,
     * the processes of a stack under test) cannot be handed the same one. Asking the kernel for port 0 and closing
     * the socket gives neither guarantee: the same port can come back at once.
     */
    private static final int LOWEST = 20_000;
    private static final int HIGHEST = 32_000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePort() {}

    /**
     * Marks {@code ports} as taken, so that {@link #find()} never hands them out: ports that a configuration names for
     * servers not started yet (another process may have picked them, and nothing listens on them until it binds).
     *
     * @param ports TCP ports (1-65535); others are ignored
     */
    public static void reserve(java.util.Collection<Integer> ports) {
        HANDED_OUT.addAll(ports);
    }

    /** A port that was free a moment ago and that this JVM has not handed out before; bind it soon after. */
    public static int find() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = random.nextInt(LOWEST, HIGHEST);
            if (HANDED_OUT.contains(port) || !bindable(port)) {
                continue;
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + LOWEST + " and " + HIGHEST);
    }

    /** Whether something already listens on {@code port} (on any local address). */
    public static boolean inUse(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket loopback = new ServerSocket()) {
            loopback.setReuseAddress(true);
            loopback.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            return false;
        }
        return !inUse(port);
    }
}
