package io.parley.kit;

import com.fasterxml.jackson.core.JsonProcessingException;
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
        return Problem.badRequest("The body is not valid JSON for this request.").getResponse();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response original = e.getResponse();
        if (original.hasEntity() && original.getMediaType() != null
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

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        Log.error("unexpected failure", e);
        return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "The server failed to handle the request.")
                .getResponse();
    }
}
