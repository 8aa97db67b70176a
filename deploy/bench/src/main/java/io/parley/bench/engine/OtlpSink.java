package io.parley.bench.engine;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * A trace collector that keeps nothing, for measuring what traces cost: an OTLP/HTTP receiver (protobuf, the
 * services' exporter with {@code quarkus.otel.exporter.otlp.traces.protocol=http/protobuf}) on loopback that reads
 * each export request whole, counts its spans and answers 200 with an empty {@code ExportTraceServiceResponse}. The
 * services' exporters thus serialize and send every sampled span as they would to a real collector, and the
 * harness can tell how many arrived. OTLP's HTTP transport: https://opentelemetry.io/docs/specs/otlp/#otlphttp.
 */
public final class OtlpSink implements AutoCloseable {

    /** What the sink received: export requests, their bodies' bytes (as sent), the spans they held, bodies unread. */
    public record Received(long requests, long bytes, long spans, long unreadable) {

        /** What came between {@code before} and this. */
        public Received minus(Received before) {
            return new Received(
                    requests - before.requests,
                    bytes - before.bytes,
                    spans - before.spans,
                    unreadable - before.unreadable);
        }
    }

    private final HttpServer server;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong spans = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();

    private OtlpSink(HttpServer server) {
        this.server = server;
    }

    /** Starts a sink on a free port of 127.0.0.1. */
    public static OtlpSink start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        OtlpSink sink = new OtlpSink(server);
        server.createContext("/", sink::handle);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "otlp-sink");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return sink;
    }

    /** The endpoint to give the services ({@code PARLEY_OTEL_ENDPOINT}): {@code http://127.0.0.1:<port>}. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** What the sink has received so far. */
    public Received received() {
        return new Received(requests.get(), bytes.get(), spans.get(), unreadable.get());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            requests.incrementAndGet();
            bytes.addAndGet(body.length);
            try {
                if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
                        body = in.readAllBytes();
                    }
                }
                spans.addAndGet(countSpans(body));
            } catch (IOException | RuntimeException e) {
                unreadable.incrementAndGet();
            }
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        } finally {
            exchange.close();
        }
    }

    /**
     * The spans of an {@code ExportTraceServiceRequest} in protobuf: request field 1 {@code resource_spans}, each
     * with field 2 {@code scope_spans}, each with field 2 {@code spans} (opentelemetry-proto's trace.proto). Fields
     * are read by their wire type only, so other fields and later additions are skipped.
     *
     * @throws IllegalArgumentException when {@code body} is not a well-formed protobuf message
     */
    static long countSpans(byte[] body) {
        long count = 0;
        for (Field resource : Field.of(body, 0, body.length)) {
            if (resource.number == 1 && resource.isMessage()) {
                for (Field scope : Field.of(body, resource.start, resource.end)) {
                    if (scope.number == 2 && scope.isMessage()) {
                        for (Field span : Field.of(body, scope.start, scope.end)) {
                            if (span.number == 2 && span.isMessage()) {
                                count++;
                            }
                        }
                    }
                }
            }
        }
        return count;
    }

    /** A field of a protobuf message: its number, wire type, and for length-delimited ones where its bytes are. */
    private record Field(int number, int wireType, int start, int end) {

        boolean isMessage() {
            return wireType == 2;
        }

        /** The fields of the message in {@code bytes[from, to)}. */
        static java.util.List<Field> of(byte[] bytes, int from, int to) {
            java.util.List<Field> fields = new java.util.ArrayList<>();
            int[] at = {from};
            while (at[0] < to) {
                long key = varint(bytes, at, to);
                int number = (int) (key >>> 3);
                int wireType = (int) (key & 7);
                int start = at[0];
                switch (wireType) {
                    case 0 -> varint(bytes, at, to);
                    case 1 -> at[0] += 8;
                    case 2 -> {
                        long length = varint(bytes, at, to);
                        if (length < 0 || length > to - at[0]) {
                            throw new IllegalArgumentException("a field runs past its message");
                        }
                        start = at[0];
                        at[0] += (int) length;
                    }
                    case 5 -> at[0] += 4;
                    default -> throw new IllegalArgumentException("wire type " + wireType);
                }
                if (at[0] > to) {
                    throw new IllegalArgumentException("a field runs past its message");
                }
                fields.add(new Field(number, wireType, start, at[0]));
            }
            return fields;
        }

        private static long varint(byte[] bytes, int[] at, int to) {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (at[0] >= to) {
                    throw new IllegalArgumentException("a varint runs past its message");
                }
                byte b = bytes[at[0]++];
                value |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("a varint longer than 10 bytes");
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
