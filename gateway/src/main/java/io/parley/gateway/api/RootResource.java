package io.parley.gateway.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.Map;

/** What a client finds at the gateway's root: where the API, the WebSocket and the contract are. */
@Path("/")
public class RootResource {

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> root() {
        return Map.of("name", "parley", "api", "/api", "websocket", "/ws", "openapi", "/q/openapi");
    }
}
