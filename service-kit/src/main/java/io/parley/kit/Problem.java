package io.parley.kit;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

/** An RFC 9457 problem answer: {@code application/problem+json} with a status, a title and a detail. */
public record Problem(String type, String title, int status, String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static WebApplicationException of(Response.Status status, String detail) {
        Problem body = new Problem("about:blank", status.getReasonPhrase(), status.getStatusCode(), detail);
        return new WebApplicationException(
                detail, Response.status(status).type(MEDIA_TYPE).entity(body).build());
    }

    public static WebApplicationException badRequest(String detail) {
        return of(Response.Status.BAD_REQUEST, detail);
    }

    /**
     * A whole-number query parameter between {@code min} and {@code max}, or {@code fallback} when absent;
     * anything else is a 400 that names the parameter.
     */
    public static long number(String name, String value, long min, long max, long fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw badRequest(name + " must be a whole number from " + min + " to " + max + ".");
    }

    /** A conversation id from a path; one that is not a UUID names no conversation: 404. */
    public static java.util.UUID parseId(String id) {
        try {
            return Uuids.parse(id);
        } catch (IllegalArgumentException e) {
            throw notFound();
        }
    }

    /** Unknown, or not visible to the caller: the answer never tells the two apart. */
    public static WebApplicationException notFound() {
        return of(Response.Status.NOT_FOUND, "No such conversation.");
    }
}
