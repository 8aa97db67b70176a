package io.parley.kit;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A request whose {@code Content-Type} is not a media type at all ({@code garbage}, {@code ;}, nothing) is answered {@code 400}
 * with a problem body before any endpoint is chosen. Left to the framework, it fails while picking the endpoint by
 * media type, which surfaces as a 500. The syntax is RFC 9110's (section 8.3: {@code type "/" subtype *( ";"
 * parameter )}); a well-formed type that no endpoint takes is still the framework's {@code 415}.
 */
public class ContentTypeCheck {

    /**
     * @return a {@code 400} problem when the request's {@code Content-Type} cannot be read as a media type (an empty
     *         one included); empty (go on) when it can, or when there is none
     */
    @ServerRequestFilter(preMatching = true)
    public Optional<Response> contentType(ContainerRequestContext request) {
        String value = request.getHeaderString("Content-Type");
        if (value == null) {
            return Optional.empty();
        }
        try {
            MediaType.valueOf(value);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(Problem.badRequest("Content-Type is not a media type (type/subtype).")
                    .getResponse());
        }
    }
}
