package io.parley.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client written over a plain socket, that does only what the test tells it: unlike every WebSocket
 * library, it does not answer pings by itself. It reads what the server sends on a thread of its own, and notes
 * the opcodes of the frames, the close code, and the end of the TCP connection.
 */
final class RawWsClient implements AutoCloseable {

    static final int TEXT = 0x1;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    final Socket socket = new Socket();
    final ConcurrentLinkedQueue<Integer> opcodes = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> texts = new ConcurrentLinkedQueue<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    /** Completes when the server ended the TCP connection (or it failed). */
    final CompletableFuture<Void> ended = new CompletableFuture<>();

    private final OutputStream out;

    /** Upgrades {@code ws} with {@code token} and starts reading. */
    RawWsClient(URI ws, String token) throws IOException {
        socket.connect(new InetSocketAddress(ws.getHost(), ws.getPort()));
        out = socket.getOutputStream();
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        out.write(("GET " + ws.getPath() + " HTTP/1.1\r\nHost: " + ws.getHost() + "\r\n"
                        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                        + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                        + "Authorization: Bearer " + token + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 101");
        Thread reader = new Thread(() -> read(new DataInputStream(in)), "raw-ws-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(DataInputStream in) {
        try {
            while (true) {
                int first = in.readUnsignedByte();
                int second = in.readUnsignedByte();
                long length = second & 0x7F;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                int opcode = first & 0x0F;
                opcodes.add(opcode);
                if (opcode == TEXT) {
                    texts.add(new String(payload, StandardCharsets.UTF_8));
                } else if (opcode == CLOSE) {
                    closeCode.complete(payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005);
                }
            }
        } catch (IOException e) {
            ended.complete(null);
        } catch (RuntimeException e) {
            ended.completeExceptionally(e);
        }
    }

    /** Sends a masked frame with {@code opcode} and {@code payload}, as a client must. */
    synchronized void sendFrame(int opcode, byte[] payload) throws IOException {
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream();
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xFF);
        }
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    void sendText(String text) throws IOException {
        sendFrame(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A pong the client sends on its own (allowed as a one-way heartbeat by RFC 6455, 5.5.3). */
    void sendPong() throws IOException {
        sendFrame(PONG, new byte[0]);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
