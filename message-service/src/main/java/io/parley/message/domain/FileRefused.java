package io.parley.message.domain;

/**
 * A file call refused: the API answers it as a problem with the reason's status ({@code detail} says why).
 * {@code retryAfterSeconds} is set for {@link Reason#TOO_MANY}.
 */
public final class FileRefused extends RuntimeException {

    public enum Reason {
        /** 404: unknown, deleted, or not visible to the caller (never told apart). */
        NOT_FOUND,
        /** 400: not one part named file. */
        BAD_REQUEST,
        /** 400: an empty file. */
        EMPTY,
        /** 413: larger than parley.files.max-size. */
        TOO_LARGE,
        /** 415: a refused detected type. */
        REFUSED_TYPE,
        /** 429: too many uploads in the last minute. */
        TOO_MANY,
        /** 409: attached to a message (it can no longer be cancelled). */
        ATTACHED,
        /** 503: the file store failed. */
        UNAVAILABLE
    }

    public final Reason reason;
    public final long retryAfterSeconds;

    /** A refusal with its reason and the problem's detail. */
    public FileRefused(Reason reason, String detail) {
        this(reason, detail, 0);
    }

    FileRefused(Reason reason, String detail, long retryAfterSeconds) {
        super(detail, null, false, false);
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }
}
