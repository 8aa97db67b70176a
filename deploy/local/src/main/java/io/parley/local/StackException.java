package io.parley.local;

/** A failure the launcher explains in one sentence, without a stack trace. */
class StackException extends RuntimeException {
    StackException(String message) {
        super(message);
    }

    StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
