package io.parley.kit;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import java.lang.annotation.Annotation;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every path under {@code /api/conversations/{id}} answers {@code 404} to a caller who may not see the conversation,
 * before anything else (docs/api.md): a refusal of the request itself ({@code 400} for a bad field, {@code 413},
 * {@code 415}, {@code 403}, {@code 409}) would tell such a caller that something is there, or would differ between a
 * conversation that exists and one that does not. The resources check their input first, as input checks cost
 * nothing; so each refusal is looked at here, after the fact: when the caller may not see the conversation the path
 * names ({@link ConversationVisibility}, or its id is not a UUID), the answer becomes the same {@code 404 No such
 * conversation.} that an unknown id gets. Answers that are not refusals pay nothing.
 */
public class HiddenConversations {

    /**
     * The refusals that could tell a caller who may not see the conversation something about it; a 404 among them,
     * since a participant's {@code No such message.} is not a stranger's answer.
     */
    private static final Set<Integer> REFUSALS = Set.of(400, 403, 404, 405, 406, 409, 413, 415, 422);

    private static final Pattern CONVERSATION_PATH = Pattern.compile("^/api/conversations/([^/]+)(/.*)?$");

    @Inject
    Instance<ConversationVisibility> visibility;

    @Inject
    JsonWebToken jwt;

    /**
     * @return done once the answer is what the caller may get: unchanged, or {@code 404} problem+json
     */
    @ServerResponseFilter
    public Uni<Void> hide(io.vertx.ext.web.RoutingContext routing, ContainerResponseContext response) {
        if (!REFUSALS.contains(response.getStatus()) || visibility.isUnsatisfied() || alreadyHidden(response)) {
            return Uni.createFrom().voidItem();
        }
        // the path the resources were chosen by: dot segments removed ("/api/conversations/a/messages/../../b/..."
        // is b's), percent-encoding kept, so that one a client made undecodable is still judged by its segments
        Matcher path = CONVERSATION_PATH.matcher(routing.normalizedPath());
        if (!path.matches()
                || ("support".equals(path.group(1)) && (path.group(2) == null || "/".equals(path.group(2))))) {
            return Uni.createFrom().voidItem();
        }
        if (jwt == null || jwt.getSubject() == null) {
            return Uni.createFrom().voidItem();
        }
        Caller caller;
        try {
            caller = Caller.of(jwt);
        } catch (IllegalArgumentException noKnownRole) {
            // a token whose role claim names no role is refused 403 for that alone, whatever the path (docs/api.md)
            return Uni.createFrom().voidItem();
        }
        String id = decoded(path.group(1));
        if (!Uuids.isUuid(id)) {
            notFound(response);
            return Uni.createFrom().voidItem();
        }
        UUID conversationId = UUID.fromString(id);
        return visibility
                .get()
                .visible(conversationId, caller)
                .invoke(visible -> {
                    if (!visible) {
                        notFound(response);
                    }
                })
                .replaceWithVoid();
    }

    /** Whether the answer is already the unknown conversation's 404 (nothing to look up). */
    private static boolean alreadyHidden(ContainerResponseContext response) {
        return response.getStatus() == 404
                && response.getEntity() instanceof Problem problem
                && "No such conversation.".equals(problem.detail());
    }

    /** A path segment percent-decoded as UTF-8; null when it cannot be (it then names no conversation). */
    private static String decoded(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        try {
            return java.net.URLDecoder.decode(segment.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void notFound(ContainerResponseContext response) {
        var answer = Problem.notFound().getResponse();
        response.setStatus(answer.getStatus());
        response.getHeaders().remove("Retry-After");
        response.setEntity(answer.getEntity(), new Annotation[0], MediaType.valueOf(Problem.MEDIA_TYPE));
    }
}
