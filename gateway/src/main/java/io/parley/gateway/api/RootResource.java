package io.parley.gateway.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The gateway's root. A browser (an {@code Accept} that names {@code text/html}) gets the web app's page, built from
 * web/app and packaged with the gateway; any other client gets where the API, the WebSocket and the contract are, as
 * JSON {@code {name, api, websocket, openapi}}.
 */
@Path("/")
public class RootResource {

    private static final String APP_PAGE = "parley-app/index.html";

    private final byte[] appPage = load();

    @GET
    public Response root(@HeaderParam(HttpHeaders.ACCEPT) String accept) {
        if (appPage != null && accept != null && accept.contains(MediaType.TEXT_HTML)) {
            return Response.ok(appPage, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                    .build();
        }
        return Response.ok(
                        Map.of("name", "parley", "api", "/api", "websocket", "/ws", "openapi", "/q/openapi"),
                        MediaType.APPLICATION_JSON_TYPE)
                .build();
    }

    private static byte[] load() {
        try (InputStream in = RootResource.class.getClassLoader().getResourceAsStream(APP_PAGE)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }
}
