package io.parley.local;

import io.parley.infra.DevKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A test class that drives one local stack, started before its first test and stopped after its last, and signs its
 * users' tokens with the stack's own demo key.
 */
abstract class RunningStack {

    static StackUnderTest stack;
    static DevKeys keys;

    @BeforeAll
    static void startStack() throws Exception {
        stack = new StackUnderTest();
        stack.start();
        keys = DevKeys.loadOrCreate(stack.dataDir.resolve("keys"), "parley-local");
    }

    @AfterAll
    static void stopStack() throws Exception {
        stack.stop();
        stack.close();
    }
}
