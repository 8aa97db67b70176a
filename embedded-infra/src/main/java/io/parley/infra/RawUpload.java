package io.parley.infra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A test client that sends a whole request body over a plain socket before it reads the answer, as simple HTTP clients
 * do, and reports what it could read: the way to see whether a server that refuses a body early still lets its
 * sender read the refusal (a server that closes at once makes the kernel reset the connection, and the answer is
 * lost).
 */
public final class RawUpload {

    /**
     * What the client saw.
     *
     * @param writeFailure why writing the body stopped early ({@code null} when every byte was written)
     * @param status       the answer's status code, or -1 when no status line could be read
     * @param headers      the answer's headers, names in lower case
     * @param body         the answer's body ({@code Content-Length} bytes)
     * @param readFailure  why reading the answer failed ({@code null} when it was read whole)
     */
    public record Result(
            IOException writeFailure, int status, Map<String, String> headers, String body, IOException readFailure) {}

    private RawUpload() {}

    /**
     * Posts {@code length} bytes of a multipart body with one part named {@code file} (zeros) to {@code base + path},
     * then reads the answer.
     *
     * @param base   the server's base URL (http, host and port)
     * @param path   the request path
     * @param token  a bearer token, or {@code null}
     * @param length the whole body's length in bytes (the {@code Content-Length} announced and sent)
     */
    public static Result postMultipart(URI base, String path, String token, long length) {
        String boundary = "----raw" + System.nanoTime();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":"
                + base.getPort() + "\r\nContent-Type: multipart/form-data; boundary=" + boundary
                + "\r\nContent-Length: " + length + "\r\n");
        if (token != null) {
            request.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        request.append("\r\n");
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(60_000);
            IOException writeFailure = null;
            try {
                OutputStream out = socket.getOutputStream();
                out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
                out.write(head);
                byte[] chunk = new byte[64 * 1024];
                for (long left = length - head.length; left > 0; left -= chunk.length) {
                    out.write(chunk, 0, (int) Math.min(chunk.length, left));
                }
                out.flush();
            } catch (IOException e) {
                writeFailure = e;
            }
            return read(socket.getInputStream(), writeFailure);
        } catch (IOException e) {
            return new Result(null, -1, Map.of(), "", e);
        }
    }

    private static Result read(InputStream in, IOException writeFailure) {
        int status = -1;
        Map<String, String> headers = new TreeMap<>();
        try {
            String statusLine = line(in);
            status = Integer.parseInt(statusLine.split(" ")[1]);
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                int colon = line.indexOf(':');
                headers.put(
                        line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
            byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
            return new Result(writeFailure, status, headers, new String(body, StandardCharsets.UTF_8), null);
        } catch (IOException | RuntimeException e) {
            return new Result(writeFailure, status, headers, "", e instanceof IOException io ? io : new IOException(e));
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed after " + line.size() + " characters of a line");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.US_ASCII).stripTrailing();
    }
}
