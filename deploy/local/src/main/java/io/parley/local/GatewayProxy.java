package io.parley.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The local stack's one public gateway address in front of several gateway processes (issue 16, {@code
 * PARLEY_GATEWAYS}): a TCP proxy that hands each new connection to the next ready gateway in turn, and to the
 * following one when a gateway does not accept it (stopped, killed, not yet listening). Like a Kubernetes Service, it
 * leaves out a gateway whose readiness ({@code /q/health/ready} on its management port, asked every 250 ms) is not UP,
 * such as one draining after SIGTERM; only when no gateway is ready does it try them all (a starting gateway then
 * answers 503 with {@code Retry-After}). It copies bytes both ways and knows nothing of HTTP or WebSocket: when a
 * gateway dies, its connections through the proxy are closed, and their clients reconnect to the same address and
 * land on a gateway that is up, as behind a cluster's load balancer.
 *
 * <p>Two threads per open connection (one per direction): enough for a machine's worth of clients.
 */
final class GatewayProxy implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MILLIS = 1_000;

    private final ServerSocket server;
    private final List<Integer> gatewayPorts;
    private final AtomicInteger next = new AtomicInteger();
    /** Whether each gateway answered its readiness with 200 at the last check; all true until the first check. */
    private final AtomicIntegerArray ready;

    private final List<URI> readinessUrls;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    private volatile boolean closed;

    private GatewayProxy(ServerSocket server, List<Integer> gatewayPorts, List<String> readinessUrls) {
        this.server = server;
        this.gatewayPorts = List.copyOf(gatewayPorts);
        this.readinessUrls = readinessUrls.stream().map(URI::create).toList();
        this.ready = new AtomicIntegerArray(gatewayPorts.size());
        for (int i = 0; i < gatewayPorts.size(); i++) {
            ready.set(i, 1);
        }
    }

    /**
     * Listens on {@code host:port} and forwards each connection to one of the gateways on {@code 127.0.0.1} at
     * {@code gatewayPorts}, round-robin over those ready.
     *
     * @param readinessUrls each gateway's readiness URL, in the order of {@code gatewayPorts}
     * @throws IOException when the port cannot be bound
     */
    static GatewayProxy start(String host, int port, List<Integer> gatewayPorts, List<String> readinessUrls)
            throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(host), port), 1024);
        GatewayProxy proxy = new GatewayProxy(server, gatewayPorts, readinessUrls);
        Thread acceptor = new Thread(proxy::acceptLoop, "parley-gateway-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
        Thread checker = new Thread(proxy::readinessLoop, "parley-gateway-proxy-readiness");
        checker.setDaemon(true);
        checker.start();
        return proxy;
    }

    /** Asks each gateway's readiness every 250 ms until closed. */
    private void readinessLoop() {
        while (!closed) {
            for (int i = 0; i < readinessUrls.size(); i++) {
                boolean up;
                try {
                    up = http.send(
                                            HttpRequest.newBuilder(readinessUrls.get(i))
                                                    .timeout(Duration.ofMillis(500))
                                                    .build(),
                                            HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200;
                } catch (IOException e) {
                    up = false;
                } catch (InterruptedException e) {
                    return;
                }
                ready.set(i, up ? 1 : 0);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("[parley] gateway proxy: " + e.getMessage());
                }
                continue;
            }
            Thread connect = new Thread(null, () -> forward(client), "parley-proxy-connect", 64 * 1024);
            connect.setDaemon(true);
            connect.start();
        }
    }

    /**
     * Connects {@code client} to the next ready gateway that accepts, then to those not ready, trying each at most
     * once; closes it if none accepts.
     */
    private void forward(Socket client) {
        int first = Math.floorMod(next.getAndIncrement(), gatewayPorts.size());
        List<Integer> order = new java.util.ArrayList<>();
        for (int pass = 1; pass >= 0; pass--) {
            for (int i = 0; i < gatewayPorts.size(); i++) {
                int index = (first + i) % gatewayPorts.size();
                if (ready.get(index) == pass) {
                    order.add(index);
                }
            }
        }
        for (int index : order) {
            int port = gatewayPorts.get(index);
            Socket gateway = new Socket();
            try {
                gateway.setTcpNoDelay(true);
                gateway.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MILLIS);
            } catch (IOException e) {
                closeQuietly(gateway);
                continue; // that gateway is down: the next one
            }
            try {
                client.setTcpNoDelay(true);
            } catch (SocketException ignored) {
                // not important
            }
            pump(client, gateway, "parley-proxy-up");
            pump(gateway, client, "parley-proxy-down");
            return;
        }
        closeQuietly(client);
    }

    /** Copies {@code from} to {@code to} until either ends, then closes both (the other direction's copy ends too). */
    private static void pump(Socket from, Socket to, String name) {
        Thread thread = new Thread(
                null,
                () -> {
                    byte[] buffer = new byte[8192];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        for (int n; (n = in.read(buffer)) >= 0; ) {
                            out.write(buffer, 0, n);
                        }
                    } catch (IOException ignored) {
                        // one side is gone
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                name,
                64 * 1024);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** Stops accepting; open connections end with their gateways. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
