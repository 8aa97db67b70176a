package io.parley.notification.api;

import io.parley.kit.Problem;
import io.parley.notification.domain.PushSubscription;
import io.parley.notification.store.SubscriptionStore;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.net.InetAddress;
import java.net.URI;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

@Path("/api/push/subscriptions")
@RolesAllowed({"client", "expert", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class SubscriptionResource {

    private static final int MAX_ADDRESS_LENGTH = 4096;

    private final SubscriptionStore subscriptions;
    private final JsonWebToken jwt;
    private final boolean allowLoopbackHttp;

    public SubscriptionResource(SubscriptionStore subscriptions, JsonWebToken jwt,
                                @ConfigProperty(name = "parley.push.allow-loopback-http") boolean allowLoopbackHttp) {
        this.subscriptions = subscriptions;
        this.jwt = jwt;
        this.allowLoopbackHttp = allowLoopbackHttp;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> subscribe(SubscriptionRequest request) {
        PushSubscription subscription = validate(request);
        return subscriptions.upsert(subscription)
                .map(id -> Response.status(201).entity(Map.of("id", id)).build());
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> unsubscribe(@PathParam("id") String id) {
        UUID subscriptionId;
        try {
            subscriptionId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw Problem.of(Response.Status.NOT_FOUND, "No such subscription.");
        }
        return subscriptions.delete(subscriptionId, jwt.getSubject()).map(deleted -> {
            if (!deleted) {
                throw Problem.of(Response.Status.NOT_FOUND, "No such subscription.");
            }
            return Response.noContent().build();
        });
    }

    private PushSubscription validate(SubscriptionRequest r) {
        if (r == null || r.kind() == null) {
            throw Problem.badRequest("kind is required: webpush, fcm or apns.");
        }
        String user = jwt.getSubject();
        switch (r.kind()) {
            case PushSubscription.WEBPUSH -> {
                checkEndpoint(r.endpoint());
                if (r.keys() == null || !isBase64Url(r.keys().p256dh(), 65) || !isBase64Url(r.keys().auth(), 16)) {
                    throw Problem.badRequest("keys.p256dh (a P-256 public key) and keys.auth (16 bytes) are "
                            + "required, base64url-encoded.");
                }
                return new PushSubscription(UUID.randomUUID(), user, r.kind(), r.endpoint(), r.keys().p256dh(),
                        r.keys().auth());
            }
            case PushSubscription.FCM, PushSubscription.APNS -> {
                if (r.token() == null || r.token().isBlank() || r.token().length() > MAX_ADDRESS_LENGTH) {
                    throw Problem.badRequest("token is required for " + r.kind() + ".");
                }
                return new PushSubscription(UUID.randomUUID(), user, r.kind(), r.token().strip(), null, null);
            }
            default -> throw Problem.badRequest("kind must be webpush, fcm or apns.");
        }
    }

    private void checkEndpoint(String endpoint) {
        if (endpoint == null || endpoint.length() > MAX_ADDRESS_LENGTH) {
            throw Problem.badRequest("endpoint is required for webpush.");
        }
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("endpoint is not a URL.");
        }
        if (uri.getHost() == null) {
            throw Problem.badRequest("endpoint is not an absolute URL.");
        }
        if ("https".equals(uri.getScheme())) {
            return;
        }
        if ("http".equals(uri.getScheme()) && allowLoopbackHttp && isLoopback(uri.getHost())) {
            return;
        }
        throw Problem.badRequest("endpoint must be an https URL.");
    }

    private static boolean isLoopback(String host) {
        if ("localhost".equals(host)) {
            return true;
        }
        try {
            // Only literal addresses: no name is looked up for what a client sends.
            if (!host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?")) {
                return false;
            }
            return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean isBase64Url(String value, int bytes) {
        if (value == null) {
            return false;
        }
        try {
            return Base64.getUrlDecoder().decode(value.replace("=", "")).length == bytes;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
