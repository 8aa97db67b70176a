package io.parley.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local stack's one public gateway address in front of several gateway processes (issue 16, {@code
 * PARLEY_GATEWAYS}): a TCP proxy that hands each new connection to the next gateway in turn, and to the following one
 * when a gateway does not accept it (stopped, killed, not yet listening). It copies bytes both ways and knows nothing
 * of HTTP or WebSocket: when a gateway dies, its connections through the proxy are closed, and their clients
 * reconnect to the same address and land on a gateway that is up, as behind a cluster's load balancer.
 *
 * <p>Two threads per open connection (one per direction): enough for a machine's worth of clients.
 */
final class GatewayProxy implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MILLIS = 1_000;

    private final ServerSocket server;
    private final List<Integer> gatewayPorts;
    private final AtomicInteger next = new AtomicInteger();
    private volatile boolean closed;

    private GatewayProxy(ServerSocket server, List<Integer> gatewayPorts) {
        this.server = server;
        this.gatewayPorts = List.copyOf(gatewayPorts);
    }

    /**
     * Listens on {@code host:port} and forwards each connection to one of the gateways on {@code 127.0.0.1} at
     * {@code gatewayPorts}, round-robin.
     *
     * @throws IOException when the port cannot be bound
     */
    static GatewayProxy start(String host, int port, List<Integer> gatewayPorts) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(host), port), 1024);
        GatewayProxy proxy = new GatewayProxy(server, gatewayPorts);
        Thread acceptor = new Thread(proxy::acceptLoop, "parley-gateway-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
        return proxy;
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

    /** Connects {@code client} to the next gateway that accepts, trying each at most once; closes it if none does. */
    private void forward(Socket client) {
        int first = Math.floorMod(next.getAndIncrement(), gatewayPorts.size());
        for (int i = 0; i < gatewayPorts.size(); i++) {
            int port = gatewayPorts.get((first + i) % gatewayPorts.size());
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
