package io.parley.bench.scenarios;

import io.parley.bench.engine.LoadRig;
import io.parley.infra.fuzz.ApiCalls;
import io.parley.infra.fuzz.Inputs;
import io.parley.infra.fuzz.RestFuzz;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Every input generated, through the gateway (issue 17; docs/reliability.md): {@code --inputs} generated requests and
 * frames from embedded-infra's seeded generators ({@link Inputs}) sent to a running stack. REST: every public call of
 * the API ({@link ApiCalls}: the three services' and the gateway's own) with generated bodies, path ids, query strings
 * and headers, by {@code --workers} threads as many users (tokens of every role, and now and then no valid one). WebSocket:
 * {@code --sockets} live connections, one user each, fed generated frames of every type ({@link FuzzSocket}). Before
 * the run it stores, with valid requests, two conversations of two users who take no part in it (messages with marks
 * and emoji, a file, a mute, a device); after, it reads them back and compares.
 *
 * <p>It reports inputs sent per kind, REST answers by status, the 5xx (target 0), the 4xx without the documented problem
 * body, WebSocket answers by type and code, the closes (1009 for a message over 64 KiB is documented; any other is
 * unexpected, and undocumented when docs/api.md's table has not its code: target 0), and whether what was stored
 * before is unchanged. Worker {@code w} draws from seed {@code --seed + w}, socket {@code s} from
 * {@code --seed + 1000 + s}.
 */
@Command(
        name = "fuzz",
        description = "generated requests and frames on every REST call and WebSocket frame type of the API, through "
                + "the gateway; no 5xx, no undocumented close, what was stored before unchanged")
public final class Fuzz extends HarnessScenario {

    /** The gateway's REST allowance on a stack the scenario starts itself (per user and second, and its burst). */
    static final String STACK_API_RATE = "1000";

    @Option(
            names = "--inputs",
            defaultValue = "100000",
            description = "generated inputs, requests and frames together (default: ${DEFAULT-VALUE})")
    int inputs;

    @Option(
            names = "--seed",
            paramLabel = "SEED",
            description = "the generators' seed, to replay a run (default: a random one, printed)")
    Long seed;

    @Option(
            names = "--frames",
            paramLabel = "SHARE",
            defaultValue = "0.3",
            description = "the share of the inputs that are WebSocket frames (default: ${DEFAULT-VALUE})")
    double frames;

    @Option(
            names = "--workers",
            defaultValue = "4",
            description = "threads sending REST requests, one at a time each (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(
            names = "--sockets",
            defaultValue = "8",
            description = "WebSocket connections fed frames, one user each (default: ${DEFAULT-VALUE})")
    int sockets;

    @Option(
            names = "--users",
            defaultValue = "200",
            description = "users the REST requests are spread over (default: ${DEFAULT-VALUE})")
    int users;

    @Override
    public String name() {
        return "fuzz";
    }

    /**
     * On a stack it starts itself, the gateway's REST allowance per user is raised ({@link #STACK_API_RATE}, unless
     * the environment names one) so that generated requests reach the services rather than the limiter; a running
     * stack ({@code --gateway}) keeps its own, and its {@code 429}s are counted as the documented answers they are.
     */
    @Override
    public JsonObject run(Path repository, Map<String, String> env, PrintStream out) throws Exception {
        stackEnvironment(env);
        return super.run(repository, env, out);
    }

    /** Adds the raised REST allowance to {@code env} (the stack's environment) where it names none. */
    void stackEnvironment(Map<String, String> env) {
        env.putIfAbsent("PARLEY_GATEWAY_API_RATE", STACK_API_RATE);
        env.putIfAbsent("PARLEY_GATEWAY_API_BURST", STACK_API_RATE);
    }

    /** Stores what must stay, sends the inputs, reads what was stored back; answers the counts. */
    @Override
    public JsonObject run(LoadRig rig) throws Exception {
        long runSeed = seed != null ? seed : new Random().nextLong();
        String run = UUID.randomUUID().toString().substring(0, 8);
        Http http = new Http(rig);
        rig.out().printf(Locale.ROOT, "fuzz: %d inputs, seed %d (replay with --seed %d)%n", inputs, runSeed, runSeed);

        // what must stay: two conversations of sam and ted, who take no part in the run
        Kept kept = Kept.store(http, "keep-" + run + "-sam", "keep-" + run + "-ted");
        JsonObject before = kept.read(http);

        // the fuzzing users and what they own, so that generated ids name something now and then
        List<String> pool = new ArrayList<>();
        for (int i = 0; i < Math.max(users, sockets + 4); i++) {
            pool.add("fuzz-" + run + "-" + i);
        }
        List<String> conversations = new ArrayList<>(kept.conversations);
        List<String> messages = new ArrayList<>(kept.messages);
        List<String> files = new ArrayList<>(kept.files);
        List<String> subscriptions = new ArrayList<>(kept.subscriptions);
        List<String> members = pool.subList(0, Math.min(pool.size(), sockets + 12));
        List<String> own = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String owner = pool.get(i);
            String conversation = http.post(
                            owner,
                            "/api/conversations",
                            new JsonObject()
                                    .put("type", "group")
                                    .put("title", "fuzz " + i)
                                    .put("participants", new JsonArray(new ArrayList<>(members))))
                    .getString("id");
            own.add(conversation);
            messages.add(http.send(owner, conversation, "hello \u200F" + i, null));
            files.add(http.upload(owner, conversation, "notes-" + i + ".txt", "fuzz notes"));
            subscriptions.add(http.post(
                            owner,
                            "/api/push/subscriptions",
                            new JsonObject().put("kind", "fcm").put("token", "device-" + run + "-" + i))
                    .getString("id"));
        }
        conversations.addAll(own);
        List<String> userIds = new ArrayList<>(pool.subList(0, Math.min(pool.size(), 20)));
        userIds.add(kept.sam);

        List<RestFuzz.Operation> operations = new ArrayList<>();
        operations.addAll(ApiCalls.conversations(conversations, userIds));
        operations.addAll(ApiCalls.messages(conversations, messages, files));
        operations.addAll(ApiCalls.notifications(subscriptions, conversations));
        operations.addAll(ApiCalls.gateway());

        // tokens made once: every pool user in every role (and one without a known role)
        String[] roles = {"client", "client", "client", "expert", "admin", "nobody"};
        Map<String, String> tokens = new HashMap<>();
        for (String user : pool) {
            for (String role : List.of("client", "expert", "admin", "nobody")) {
                tokens.put(user + " " + role, rig.token(user, role));
            }
        }

        int frameCount = (int) Math.round(inputs * frames);
        AtomicInteger restBudget = new AtomicInteger(inputs - frameCount);
        AtomicInteger frameBudget = new AtomicInteger(frameCount);
        List<RestFuzz> fuzzers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> crashed = new ArrayList<>();
        long start = System.nanoTime();
        for (int w = 0; w < workers; w++) {
            Inputs in = new Inputs(runSeed + w);
            RestFuzz fuzz = new RestFuzz(
                    rig.gateway(), in, runSeed + w, () -> tokens.get(in.pick(pool) + " " + in.pick(roles)));
            fuzzers.add(fuzz);
            threads.add(thread("fuzz-rest-" + w, crashed, () -> {
                while (restBudget.getAndDecrement() > 0) {
                    fuzz.run(operations, 1);
                }
            }));
        }
        Vertx vertx = Vertx.vertx();
        List<FuzzSocket> fuzzSockets = new ArrayList<>();
        try {
            WebSocketClient wsClient = vertx.createWebSocketClient(new WebSocketClientOptions()
                    .setMaxConnections(sockets * 2)
                    .setMaxMessageSize(1 << 20)
                    .setConnectTimeout(30_000));
            for (int s = 0; s < sockets; s++) {
                String user = pool.get(s);
                FuzzSocket socket = new FuzzSocket(
                        wsClient,
                        rig.gateway(),
                        tokens.get(user + " " + (s % 4 == 3 ? "admin" : "client")),
                        new Inputs(runSeed + 1000 + s),
                        conversations);
                fuzzSockets.add(socket);
                threads.add(thread("fuzz-ws-" + s, crashed, () -> socket.run(frameBudget)));
            }
            var ticker = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            ticker.scheduleAtFixedRate(
                    () -> rig.out()
                            .printf(
                                    Locale.ROOT,
                                    "[fuzz] %3.0f s  requests left %d  frames left %d%n",
                                    (System.nanoTime() - start) / 1e9,
                                    Math.max(0, restBudget.get()),
                                    Math.max(0, frameBudget.get())),
                    5,
                    5,
                    TimeUnit.SECONDS);
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            ticker.shutdownNow();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        // what was stored before, read back once the read models have caught up with the last requests
        Thread.sleep(2_000);
        JsonObject after = kept.read(http);
        List<String> changed = new ArrayList<>();
        for (String key : before.fieldNames()) {
            if (!before.getValue(key).equals(after.getValue(key))) {
                changed.add(key + ": before " + clip(String.valueOf(before.getValue(key))) + "\n    after "
                        + clip(String.valueOf(after.getValue(key))));
            }
        }

        return report(runSeed, seconds, fuzzers, fuzzSockets, crashed, before, changed, rig.out());
    }

    private JsonObject report(
            long runSeed,
            double seconds,
            List<RestFuzz> fuzzers,
            List<FuzzSocket> fuzzSockets,
            List<Throwable> crashed,
            JsonObject before,
            List<String> changed,
            PrintStream out) {
        Map<String, Integer> perCall = new TreeMap<>();
        Map<String, Integer> statuses = new TreeMap<>();
        List<String> restFailures = new ArrayList<>();
        int requests = 0;
        for (RestFuzz f : fuzzers) {
            f.counts().forEach((k, v) -> perCall.merge(k, v, Integer::sum));
            f.statuses().forEach((k, v) -> statuses.merge(String.valueOf(k), v, Integer::sum));
            restFailures.addAll(f.failures());
            requests += f.counts().values().stream().mapToInt(Integer::intValue).sum();
        }
        int fiveXx = statuses.entrySet().stream()
                .filter(e -> Integer.parseInt(e.getKey()) >= 500)
                .mapToInt(Map.Entry::getValue)
                .sum();
        long noAnswer =
                restFailures.stream().filter(f -> f.contains(": no answer")).count();
        long withoutProblem = restFailures.stream()
                .filter(f -> f.contains(": a 4xx without a problem body") || f.contains(": a problem body whose"))
                .count();
        Map<String, Integer> perFrame = new TreeMap<>();
        Map<String, Integer> answers = new TreeMap<>();
        Map<String, Integer> closes = new TreeMap<>();
        List<String> wsFailures = new ArrayList<>();
        int frameSent = 0;
        int unexpected = 0;
        int undocumented = 0;
        int undocumentedAnswers = 0;
        int connects = 0;
        for (FuzzSocket s : fuzzSockets) {
            s.sent.forEach((k, v) -> perFrame.merge(k, v, Integer::sum));
            s.answers.forEach((k, v) -> answers.merge(k, v, Integer::sum));
            s.closes.forEach((k, v) -> closes.merge(k, v, Integer::sum));
            wsFailures.addAll(s.failures);
            frameSent += s.sent.values().stream().mapToInt(Integer::intValue).sum();
            unexpected += s.unexpectedCloses;
            undocumented += s.undocumentedCloses;
            undocumentedAnswers += s.undocumentedAnswers;
            connects += s.connects;
        }
        crashed.forEach(e -> wsFailures.add("a sender stopped: " + e));
        List<String> shown = new ArrayList<>();
        restFailures.stream().limit(20).forEach(shown::add);
        wsFailures.stream().limit(20).forEach(shown::add);
        changed.forEach(shown::add);
        shown.forEach(f -> out.println("fuzz failure: " + f));
        return new JsonObject()
                .put("scenario", "fuzz")
                .put("seed", runSeed)
                .put("inputs", requests + frameSent)
                .put("seconds", Math.round(seconds))
                .put("requests", requests)
                .put("frames", frameSent)
                .put("requestsPerCall", new JsonObject(new LinkedHashMap<>(perCall)))
                .put("framesPerKind", new JsonObject(new LinkedHashMap<>(perFrame)))
                .put("statuses", new JsonObject(new LinkedHashMap<>(statuses)))
                .put("fiveXx", fiveXx)
                .put("noAnswer", noAnswer)
                .put("restRuleBroken", restFailures.size())
                .put("fourXxWithoutProblem", withoutProblem)
                .put("answers", new JsonObject(new LinkedHashMap<>(answers)))
                .put("undocumentedAnswers", undocumentedAnswers)
                .put("closes", new JsonObject(new LinkedHashMap<>(closes)))
                .put("unexpectedCloses", unexpected)
                .put("undocumentedCloses", undocumented)
                .put("connections", connects)
                .put("senderCrashes", crashed.size())
                .put("keptChecked", new JsonArray(new ArrayList<>(before.fieldNames())))
                .put("keptChanged", new JsonArray(changed))
                .put("failures", new JsonArray(shown));
    }

    private static Thread thread(String name, List<Throwable> crashed, Body body) {
        Thread t = new Thread(
                () -> {
                    try {
                        body.run();
                    } catch (Throwable e) {
                        synchronized (crashed) {
                            crashed.add(e);
                        }
                    }
                },
                name);
        t.setDaemon(true);
        return t;
    }

    private interface Body {
        void run() throws Exception;
    }

    /** {@code s} cut at 300 characters, control characters, format marks and surrogates as {@code \\uXXXX}. */
    static String clip(String s) {
        String cut = s.length() > 300 ? s.substring(0, 300) + "...(" + s.length() + " chars)" : s;
        StringBuilder out = new StringBuilder(cut.length());
        for (char c : cut.toCharArray()) {
            out.append(
                    c < 0x20 || c == 0x7F || Character.isSurrogate(c) || Character.getType(c) == Character.FORMAT
                            ? String.format(Locale.ROOT, "\\u%04X", (int) c)
                            : String.valueOf(c));
        }
        return out.toString();
    }

    /** What sam and ted stored before the run, and how it reads. */
    private static final class Kept {
        final String sam;
        final String ted;
        final List<String> conversations = new ArrayList<>();
        final List<String> messages = new ArrayList<>();
        final List<String> files = new ArrayList<>();
        final List<String> subscriptions = new ArrayList<>();

        private Kept(String sam, String ted) {
            this.sam = sam;
            this.ted = ted;
        }

        /** A group (a title with marks, three messages, one with a file) and a direct conversation, a mute, a device. */
        static Kept store(Http http, String sam, String ted) throws Exception {
            Kept kept = new Kept(sam, ted);
            String group = http.post(
                            sam,
                            "/api/conversations",
                            new JsonObject()
                                    .put("type", "group")
                                    .put("title", "kept \u202Eas\u200B is")
                                    .put("participants", new JsonArray().add(ted)))
                    .getString("id");
            String direct = http.post(
                            ted,
                            "/api/conversations",
                            new JsonObject().put("type", "direct").put("participants", new JsonArray().add(sam)))
                    .getString("id");
            kept.conversations.add(group);
            kept.conversations.add(direct);
            String file = http.upload(sam, group, "plan \u05E9\u05DC\u05D5\u05DD.txt", "sam's plan");
            kept.files.add(file);
            kept.messages.add(http.send(ted, group, "\u05E9\u05DC\u05D5\u05DD \u200B\uD83D\uDE00 kept", null));
            kept.messages.add(http.send(sam, group, "the file \u2066is\u2069 here", file));
            kept.messages.add(http.send(sam, group, "x".repeat(8000), null));
            kept.messages.add(http.send(ted, direct, "\u202Ereversed\u202C \uD83D\uDC69\u200D\uD83D\uDC67", null));
            kept.messages.add(http.send(sam, direct, "\uFEFFzero width\u200D", null));
            http.put(sam, "/api/push/mutes/" + direct, new JsonObject());
            kept.subscriptions.add(http.post(
                            sam,
                            "/api/push/subscriptions",
                            new JsonObject().put("kind", "apns").put("token", "kept-" + UUID.randomUUID()))
                    .getString("id"));
            // the list's read model follows the messages and the mute within moments
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                JsonObject g = http.getJson(sam, "/api/conversations/" + group);
                JsonObject d = http.getJson(sam, "/api/conversations/" + direct);
                if (g.getLong("lastSeq", 0L) == 3 && d.getLong("lastSeq", 0L) == 2 && d.getBoolean("muted", false)) {
                    break;
                }
                Thread.sleep(100);
            }
            return kept;
        }

        /** Each conversation as sam and ted see it, its history, the file's meta and bytes, sam's mutes. */
        JsonObject read(Http http) throws Exception {
            JsonObject read = new JsonObject();
            for (String c : conversations) {
                for (String user : List.of(sam, ted)) {
                    read.put("conversation " + c + " as " + user, http.get(user, "/api/conversations/" + c));
                    read.put(
                            "history " + c + " as " + user,
                            http.get(user, "/api/conversations/" + c + "/messages?limit=200"));
                }
            }
            for (String f : files) {
                read.put("file meta " + f, http.get(ted, "/api/attachments/" + f + "/meta"));
                read.put("file bytes " + f, http.get(ted, "/api/attachments/" + f));
            }
            read.put("sam's mutes", http.get(sam, "/api/push/mutes"));
            return read;
        }
    }

    /** Valid requests through the gateway as a user (a client's token), each expected to succeed. */
    private static final class Http {
        private final HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        private final LoadRig rig;
        private final String base;

        Http(LoadRig rig) {
            this.rig = rig;
            this.base = rig.gateway().toString().replaceAll("/$", "");
        }

        String get(String user, String path) throws Exception {
            return call(user, HttpRequest.newBuilder(URI.create(base + path)).GET(), 200);
        }

        JsonObject getJson(String user, String path) throws Exception {
            return new JsonObject(get(user, path));
        }

        JsonObject post(String user, String path, JsonObject body) throws Exception {
            String text = call(
                    user,
                    HttpRequest.newBuilder(URI.create(base + path))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body.encode())),
                    0);
            return new JsonObject(text);
        }

        void put(String user, String path, JsonObject body) throws Exception {
            call(
                    user,
                    HttpRequest.newBuilder(URI.create(base + path))
                            .header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString(body.encode())),
                    204);
        }

        /** Sends {@code content} (with the upload {@code file}, or none) as {@code user}; answers the message's id. */
        String send(String user, String conversation, String content, String file) throws Exception {
            JsonObject body = new JsonObject()
                    .put("clientMessageId", UUID.randomUUID().toString())
                    .put("content", content);
            if (file != null) {
                body.put("attachments", new JsonArray().add(new JsonObject().put("id", file)));
            }
            return post(user, "/api/conversations/" + conversation + "/messages", body)
                    .getString("id");
        }

        /** Uploads a text file; answers its id. */
        String upload(String user, String conversation, String name, String content) throws Exception {
            String boundary = "kept-" + UUID.randomUUID();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                            + "\"\r\nContent-Type: text/plain\r\n\r\n" + content + "\r\n--" + boundary + "--\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            String text = call(
                    user,
                    HttpRequest.newBuilder(URI.create(base + "/api/conversations/" + conversation + "/attachments"))
                            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())),
                    201);
            return new JsonObject(text).getString("id");
        }

        /** {@code expected} 0: any 2xx. A 429 is waited out as its Retry-After says. */
        private String call(String user, HttpRequest.Builder request, int expected) throws Exception {
            request.header("Authorization", "Bearer " + rig.token(user, "client"))
                    .timeout(Duration.ofSeconds(30));
            HttpRequest built = request.build();
            for (int attempt = 0; ; attempt++) {
                HttpResponse<String> response = client.send(built, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 429 && attempt < 30) {
                    Thread.sleep(1000L
                            * Long.parseLong(
                                    response.headers().firstValue("Retry-After").orElse("1")));
                    continue;
                }
                boolean ok = expected == 0 ? response.statusCode() / 100 == 2 : response.statusCode() == expected;
                if (!ok) {
                    throw new IllegalStateException(built.method() + " " + built.uri() + " answered "
                            + response.statusCode() + ": " + response.body());
                }
                return response.body();
            }
        }
    }
}
