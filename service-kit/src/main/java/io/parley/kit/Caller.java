package io.parley.kit;

import io.parley.events.Role;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who is calling: the token's subject, role and display name. */
public record Caller(String userId, Role role, String name) {

    public static Caller of(JsonWebToken jwt) {
        String name = jwt.getClaim("name");
        return new Caller(jwt.getSubject(), Role.of(jwt.getGroups()), name == null ? jwt.getSubject() : name);
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
