package io.parley.infra.fuzz;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends generated requests to one service and checks each answer against the rule every service keeps (docs/api.md,
 * Errors): never a 5xx and never a dropped connection; a 4xx always an {@code application/problem+json} body whose
 * {@code status} is the answer's (but for {@code 414} and {@code 431}, which the HTTP server answers itself, without a
 * body, before any route). Operations are the service's REST calls, each making its own generated request
 * from {@link Inputs}; the runner adds the token and the odd headers.
 *
 * <p>Not thread-safe: one thread drives it, one request at a time over one keep-alive HTTP/1.1 client (the harness's
 * {@code fuzz} scenario runs several, each with its own {@link Inputs}).
 */
public final class RestFuzz {

    /**
     * One request: {@code method}, {@code target} (path and query, already percent-encoded), extra headers, and the
     * body's bytes (null for none).
     */
    public record Request(String method, String target, Map<String, String> headers, byte[] body) {

        /** A body-less request. */
        public static Request of(String method, String target) {
            return new Request(method, target, new LinkedHashMap<>(), null);
        }

        /** A request with {@code body} and a generated {@code Content-Type} (mostly {@code application/json}). */
        public static Request json(Inputs in, String method, String target, byte[] body) {
            Map<String, String> headers = new LinkedHashMap<>();
            String type = in.contentType();
            if (!type.isEmpty()) {
                headers.put("Content-Type", type);
            }
            return new Request(method, target, headers, body);
        }

        /** How the request reads in a failure report: method, target and the body's start (escaped). */
        public String describe() {
            String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
            if (text.length() > 300) {
                text = text.substring(0, 300) + "...(" + body.length + " bytes)";
            }
            String shown = target.length() > 300 ? target.substring(0, 300) + "..." : target;
            return method + " " + shown + " " + headers + " " + escape(text);
        }
    }

    /** One REST call of the service, and how to make a generated request for it. */
    public record Operation(String name, Function<Inputs, Request> make) {}

    /** The answer's status, {@code Content-Type} (or null) and body as text. */
    public record Answer(int status, String contentType, String body) {}

    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*(\\d+)");

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final URI base;
    private final Inputs inputs;
    private final long seed;
    private final Supplier<String> token;
    private final Map<String, Integer> counts = new TreeMap<>();
    private final Map<Integer, Integer> statuses = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private int sent;
    private int lastStatus;

    /**
     * @param base   the service's root ({@code http://host:port/})
     * @param seed   the seed of {@code inputs}, for the reports
     * @param token  a valid bearer token for each request (the caller may vary user and role)
     */
    public RestFuzz(URI base, Inputs inputs, long seed, Supplier<String> token) {
        this.base = base;
        this.inputs = inputs;
        this.seed = seed;
        this.token = token;
    }

    /** Sends {@code n} requests, each for an operation picked at random, and checks each answer. */
    public void run(List<Operation> operations, int n) {
        for (int i = 0; i < n; i++) {
            Operation op = inputs.pick(operations);
            Request request = op.make().apply(inputs);
            counts.merge(op.name(), 1, Integer::sum);
            check(op.name(), request);
        }
    }

    /** Sends {@code request} with a token and generated headers, records its answer, and checks it. */
    public Answer check(String name, Request request) {
        Answer answer;
        try {
            try {
                answer = send(request);
            } catch (IOException e) {
                if (lastStatus != 414 && lastStatus != 431) {
                    fail(name, request, "no answer (the answer before was " + lastStatus + "): " + e);
                    return null;
                }
                // the HTTP server closes the connection after refusing a request line or headers over its limits;
                // the client may have sent this request on it before it saw the close: send it again
                answer = send(request);
            }
        } catch (IOException e) {
            fail(name, request, "no answer (the answer before was " + lastStatus + "): " + e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        lastStatus = answer.status();
        sent++;
        statuses.merge(answer.status(), 1, Integer::sum);
        String wrong = wrong(request, answer);
        if (wrong != null) {
            fail(
                    name,
                    request,
                    wrong + ": " + answer.status() + " " + answer.contentType() + " " + clip(answer.body()));
        }
        return answer;
    }

    /** What breaks the rule in {@code answer}, or null when it keeps it. */
    static String wrong(Request request, Answer answer) {
        int status = answer.status();
        if (status >= 500) {
            return "a 5xx";
        }
        if (status == 414 || status == 431) {
            // a request line over 4 KiB or headers over 8 KiB: refused by the HTTP server itself, before any route,
            // with an empty body (docs/api.md, Errors)
            return null;
        }
        if (status >= 400 && !"HEAD".equals(request.method())) {
            if (answer.contentType() == null || !answer.contentType().startsWith("application/problem+json")) {
                return "a 4xx without a problem body";
            }
            Matcher m = STATUS.matcher(answer.body());
            if (!m.find() || Integer.parseInt(m.group(1)) != status) {
                return "a problem body whose status is not the answer's";
            }
        }
        return null;
    }

    private Answer send(Request request) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(
                        URI.create(base.toString().replaceAll("/$", "") + request.target()))
                .timeout(Duration.ofSeconds(30))
                .method(
                        request.method(),
                        request.body() == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        Map<String, String> headers = new LinkedHashMap<>(request.headers());
        headers.putIfAbsent("Authorization", authorization());
        String accept = inputs.accept();
        if (accept != null) {
            headers.putIfAbsent("Accept", accept);
        }
        headers.forEach(builder::header);
        HttpResponse<byte[]> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(
                response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(null),
                new String(response.body(), StandardCharsets.UTF_8));
    }

    /** Mostly the valid token; now and then no scheme, a token that is not one, or another scheme. */
    private String authorization() {
        if (!inputs.chance(0.03)) {
            return "Bearer " + token.get();
        }
        return inputs.pick(
                "Bearer",
                "Bearer ",
                "Bearer x.y.z",
                "Bearer " + token.get() + "x",
                "bearer " + token.get(),
                "Basic dXNlcjpwYXNz",
                "Bearer " + token.get() + ", Bearer " + token.get(),
                "Bearer " + token.get().substring(1));
    }

    private void fail(String name, Request request, String what) {
        failures.add(name + ": " + what + "\n    request: " + request.describe());
    }

    /** Requests answered (the ones that got no answer are failures). */
    public int sent() {
        return sent;
    }

    /** Requests sent so far per operation name (those that got no answer included). */
    public Map<String, Integer> counts() {
        return new TreeMap<>(counts);
    }

    /** Answers so far per HTTP status. */
    public Map<Integer, Integer> statuses() {
        return new TreeMap<>(statuses);
    }

    /** The failures so far, each naming the operation, what was wrong, and the request. */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** One line per operation with its count, and the statuses answered: what the run covered. */
    public String summary(String service) {
        return "[fuzz] " + service + ": " + sent + " generated requests (seed " + seed + ", replay with -D"
                + Inputs.SEED_PROPERTY + "=" + seed + "), statuses " + statuses + ", per operation " + counts;
    }

    /** Throws an {@link AssertionError} listing the first failures (with the seed) when there is any. */
    public void assertNoFailure() {
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " generated requests broke the rule (seed " + seed + "):\n"
                    + String.join("\n", failures.subList(0, Math.min(10, failures.size()))));
        }
    }

    private static String clip(String s) {
        return escape(s.length() > 300 ? s.substring(0, 300) + "..." : s);
    }

    /** Control characters, format marks and surrogates as {@code \\uXXXX}, so a report prints on any terminal. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F || Character.isSurrogate(c) || Character.getType(c) == Character.FORMAT) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
