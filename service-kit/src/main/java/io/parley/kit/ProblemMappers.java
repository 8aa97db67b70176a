package io.parley.kit;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.logging.Log;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error a service answers is {@code application/problem+json}. Input the client got wrong is a 400 with a
 * detail, never a 500; statuses raised by the framework (401, 404, 405, 415...) keep their status and gain a body.
 */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        if (e instanceof StrictText.InvalidText invalid) {
            return Problem.badRequest(path(invalid) + " " + invalid.reason + ".")
                    .getResponse();
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return Problem.badRequest(path(mapping) + " has a value of the wrong type or form.")
                    .getResponse();
        }
        if (e instanceof JsonParseException
                && String.valueOf(e.getOriginalMessage()).startsWith("Duplicate field")) {
            // the key is not echoed: one holding NUL or a lone surrogate could not be answered back as it was sent
            return Problem.badRequest("The body has an object with the same key twice: each key is given once.")
                    .getResponse();
        }
        return Problem.badRequest("The body is not valid JSON for this request.")
                .getResponse();
    }

    /** A value of the wrong JSON type: a 400 naming it, rather than the framework's own answer. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return unreadableJson(e);
    }

    /** The JSON path of the value that failed, as {@code attachments[2].name}; {@code body} for the whole body. */
    static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException unreadable) {
            // the JSON body reader wraps most binding failures: answer them naming the field all the same
            return unreadableJson(unreadable);
        }
        Response original = e.getResponse();
        if (original.hasEntity()
                && original.getMediaType() != null
                && Problem.MEDIA_TYPE.equals(original.getMediaType().toString())) {
            return original;
        }
        Response.Status status = Response.Status.fromStatusCode(original.getStatus());
        if (status == null) {
            return original;
        }
        Response.ResponseBuilder builder = Response.fromResponse(
                Problem.of(status, status.getReasonPhrase() + ".").getResponse());
        original.getHeaders().forEach((name, values) -> {
            if (!"Content-Type".equalsIgnoreCase(name)) {
                values.forEach(v -> builder.header(name, v));
            }
        });
        return builder.build();
    }

    /** No valid token where one is needed: 401 with a problem body (RFC 9457) rather than an empty one. */
    @ServerExceptionMapper
    public Response unauthorized(io.quarkus.security.UnauthorizedException e) {
        return unauthorized();
    }

    /**
     * A token that is not valid (not a JWT, a bad signature, expired, another issuer...), refused by proactive
     * authentication before any endpoint runs: 401 with a problem body, where the framework's challenge had none, and
     * the {@code WWW-Authenticate: Bearer} challenge RFC 6750 (section 3) asks of a 401.
     */
    @ServerExceptionMapper
    public Response authenticationFailed(io.quarkus.security.AuthenticationFailedException e) {
        return unauthorized();
    }

    private static Response unauthorized() {
        return Response.fromResponse(Problem.of(Response.Status.UNAUTHORIZED, "A valid token is required.")
                        .getResponse())
                .header("WWW-Authenticate", "Bearer")
                .build();
    }

    /** A token that does not allow this call (a role the endpoint does not admit): 403 with a problem body. */
    @ServerExceptionMapper
    public Response forbidden(io.quarkus.security.ForbiddenException e) {
        return Problem.of(Response.Status.FORBIDDEN, "This token may not do this.")
                .getResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        Log.error("unexpected failure", e);
        return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "The server failed to handle the request.")
                .getResponse();
    }
}
