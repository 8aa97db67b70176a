package io.parley.notification.api;

import io.parley.events.PushKind;
import io.parley.kit.ApiResponses;
import io.parley.kit.Problem;
import io.parley.kit.Text;
import io.parley.notification.domain.NotificationConfig;
import io.parley.notification.domain.PushSubscription;
import io.parley.notification.domain.Subscriptions;
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
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** The caller's devices that receive alerts: Web Push subscriptions and FCM / APNs device tokens. */
@Path("/api/push/subscriptions")
@RolesAllowed({"client", "expert", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class SubscriptionResource {

    private static final int MAX_ADDRESS_LENGTH = 4096;

    private final Subscriptions subscriptions;
    private final JsonWebToken jwt;
    private final boolean allowLoopbackHttp;

    public SubscriptionResource(Subscriptions subscriptions, JsonWebToken jwt, NotificationConfig.Push config) {
        this.subscriptions = subscriptions;
        this.jwt = jwt;
        this.allowLoopbackHttp = config.allowLoopbackHttp();
    }

    /**
     * Subscribes a device of the caller.
     *
     * @param request a Web Push subscription ({@code endpoint}, {@code keys.p256dh}, {@code keys.auth}) or an FCM or
     *                APNs {@code token}
     * @return 201 with the subscription's id (the same id for the same endpoint or token again); 400 naming every
     *         part that is wrong
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a device for push alerts")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = SubscriptionRequest.class)))
    @APIResponse(
            responseCode = "201",
            description = "The subscription's id (the same again for the same endpoint or token)",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = Schemas.Subscription.class)))
    @APIResponse(responseCode = "400", ref = ApiResponses.BAD_REQUEST)
    @APIResponse(responseCode = "413", ref = ApiResponses.TOO_LARGE)
    @APIResponse(responseCode = "415", ref = ApiResponses.UNSUPPORTED)
    public Uni<Response> subscribe(SubscriptionRequest request) {
        PushSubscription subscription = validate(request);
        return subscriptions
                .subscribe(subscription)
                .map(id -> Response.status(201).entity(Map.of("id", id)).build());
    }

    /**
     * Deletes a subscription of the caller.
     *
     * @param id the subscription's id, from the path
     * @return 204; 404 when the caller has no subscription with that id (one that is not a UUID names none); 400 for
     *         an id that is not text that can be stored
     */
    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a subscription")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "400", ref = ApiResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ApiResponses.NOT_FOUND)
    public Uni<Response> unsubscribe(
            @PathParam("id")
                    @Parameter(
                            description = "The subscription's id",
                            schema =
                                    @Schema(
                                            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                                            format = "uuid"))
                    String id) {
        Text.require("id", id);
        UUID subscriptionId;
        try {
            subscriptionId = io.parley.kit.Uuids.parse(id);
        } catch (IllegalArgumentException e) {
            throw Problem.of(Response.Status.NOT_FOUND, "No such subscription.");
        }
        return subscriptions.unsubscribe(subscriptionId, jwt.getSubject()).map(deleted -> {
            if (!deleted) {
                throw Problem.of(Response.Status.NOT_FOUND, "No such subscription.");
            }
            return Response.noContent().build();
        });
    }

    /**
     * The subscription the request describes, stored exactly as sent; otherwise a 400 whose detail names each part
     * that is wrong (several at once: "endpoint must be an https URL; keys.auth must be ...").
     */
    PushSubscription validate(SubscriptionRequest r) {
        if (r == null || r.kind() == null) {
            throw Problem.badRequest("kind is required: webpush, fcm or apns.");
        }
        Text.require("kind", r.kind());
        String user = jwt.getSubject();
        // the kind exactly as spelled; any other word is refused
        PushKind kind =
                PushKind.find(r.kind()).orElseThrow(() -> Problem.badRequest("kind must be webpush, fcm or apns."));
        switch (kind) {
            case WEBPUSH -> {
                List<String> wrong = new ArrayList<>();
                String endpoint = endpointProblem(r.endpoint());
                if (endpoint != null) {
                    wrong.add(endpoint);
                }
                if (r.keys() == null) {
                    wrong.add("keys is required for webpush: {p256dh, auth}, base64url-encoded");
                } else {
                    String p256dh = keyProblem("keys.p256dh", r.keys().p256dh(), 65, "a P-256 public key (65 bytes)");
                    if (p256dh != null) {
                        wrong.add(p256dh);
                    }
                    String auth = keyProblem("keys.auth", r.keys().auth(), 16, "16 bytes");
                    if (auth != null) {
                        wrong.add(auth);
                    }
                }
                if (!wrong.isEmpty()) {
                    throw Problem.badRequest(String.join("; ", wrong) + ".");
                }
                return new PushSubscription(
                        UUID.randomUUID(),
                        user,
                        kind,
                        r.endpoint(),
                        r.keys().p256dh(),
                        r.keys().auth());
            }
            case FCM, APNS -> {
                String token = r.token();
                if (token == null || token.isBlank()) {
                    throw Problem.badRequest("token is required for " + r.kind() + ".");
                }
                Text.require("token", token);
                if (token.codePointCount(0, token.length()) > MAX_ADDRESS_LENGTH) {
                    throw Problem.badRequest("token is longer than " + MAX_ADDRESS_LENGTH + " characters.");
                }
                if (!token.equals(token.strip())) {
                    throw Problem.badRequest("token has white space before or after it.");
                }
                return new PushSubscription(UUID.randomUUID(), user, kind, token, null, null);
            }
            default -> throw new IllegalStateException("unknown push kind: " + kind);
        }
    }

    /** What is wrong with a Web Push endpoint, or null when it is an https URL (or http on loopback when allowed). */
    private String endpointProblem(String endpoint) {
        if (endpoint == null) {
            return "endpoint is required for webpush";
        }
        String why = Text.whyNot(endpoint);
        if (why != null) {
            return "endpoint " + why;
        }
        if (endpoint.codePointCount(0, endpoint.length()) > MAX_ADDRESS_LENGTH) {
            return "endpoint is longer than " + MAX_ADDRESS_LENGTH + " characters";
        }
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException e) {
            return "endpoint is not a URL";
        }
        if (uri.getHost() == null) {
            return "endpoint is not an absolute URL";
        }
        if ("https".equals(uri.getScheme())) {
            return null;
        }
        if ("http".equals(uri.getScheme()) && allowLoopbackHttp && isLoopback(uri.getHost())) {
            return null;
        }
        return "endpoint must be an https URL";
    }

    /** What is wrong with a key, or null when it is {@code bytes} bytes, base64url-encoded. */
    private static String keyProblem(String field, String value, int bytes, String what) {
        if (value == null) {
            return field + " is required: " + what + ", base64url-encoded";
        }
        String why = Text.whyNot(value);
        if (why != null) {
            return field + " " + why;
        }
        return isBase64Url(value, bytes) ? null : field + " must be " + what + ", base64url-encoded";
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
