package io.parley.local;

import io.parley.infra.DevKeys;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class that drives the local stack every such class shares: started before the first of them, stopped (with
 * SIGTERM, as a user stops it) when the test run ends; its users' tokens are signed with the stack's own demo key.
 * One stack serves every class because each test makes users and conversations of its own (random ids), so the
 * classes cannot see each other's data; a stack start costs half a minute of the suite. The shared stack's broker
 * takes only clients that sign in with SASL/SCRAM over TLS ({@code PARLEY_KAFKA_SECURITY=sasl_ssl}), as on Kubernetes,
 * so every flow of these classes also proves that each service's Kafka clients take the security settings; the other
 * stack tests (LocalStackIT, TwoGatewaysIT, AlertRestartIT, the benchmarks' ITs) run the plain default.
 */
@ExtendWith(RunningStack.Shared.class)
abstract class RunningStack {

    static StackUnderTest stack;
    static DevKeys keys;

    /** Starts the shared stack once per test run (kept in JUnit's root store, which closes it at the end). */
    static final class Shared implements BeforeAllCallback {

        @Override
        public void beforeAll(ExtensionContext context) {
            Started started = context.getRoot()
                    .getStore(ExtensionContext.Namespace.create(RunningStack.class))
                    .computeIfAbsent(Started.class, k -> Started.start(), Started.class);
            stack = started.stack;
            keys = started.keys;
        }
    }

    /** A started stack and its key; closing stops the stack and deletes its data folder. */
    record Started(StackUnderTest stack, DevKeys keys) implements AutoCloseable {

        static Started start() {
            try {
                StackUnderTest stack = new StackUnderTest();
                stack.env.put("PARLEY_KAFKA_SECURITY", "sasl_ssl");
                stack.start();
                return new Started(stack, DevKeys.loadOrCreate(stack.dataDir.resolve("keys"), "parley-local"));
            } catch (Exception e) {
                throw new IllegalStateException("the local stack did not start", e);
            }
        }

        @Override
        public void close() throws Exception {
            stack.stop();
            stack.close();
        }
    }
}
