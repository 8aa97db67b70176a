package io.parley.message.api;

import io.parley.kit.Problem;
import io.parley.message.domain.FileRefused;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** File calls refused by the domain, answered as problems (RFC 9457) with the status the files contract gives. */
public class FileProblems {

    /** {@code 400}, {@code 404}, {@code 409}, {@code 413}, {@code 415}, {@code 429} (with Retry-After) or {@code 503}. */
    @ServerExceptionMapper
    public Response refused(FileRefused e) {
        Response.Status status = switch (e.reason) {
            case NOT_FOUND -> Response.Status.NOT_FOUND;
            case BAD_REQUEST, EMPTY -> Response.Status.BAD_REQUEST;
            case TOO_LARGE -> Response.Status.REQUEST_ENTITY_TOO_LARGE;
            case REFUSED_TYPE -> Response.Status.UNSUPPORTED_MEDIA_TYPE;
            case TOO_MANY -> Response.Status.TOO_MANY_REQUESTS;
            case ATTACHED -> Response.Status.CONFLICT;
            case UNAVAILABLE -> Response.Status.SERVICE_UNAVAILABLE;
        };
        Response problem = Problem.of(status, e.getMessage()).getResponse();
        if (e.reason == FileRefused.Reason.TOO_MANY) {
            return Response.fromResponse(problem)
                    .header("Retry-After", Long.toString(e.retryAfterSeconds))
                    .build();
        }
        return problem;
    }
}
