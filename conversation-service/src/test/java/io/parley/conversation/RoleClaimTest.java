package io.parley.conversation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

/**
 * Tokens shaped as Supabase issues them work by configuration alone: with {@code PARLEY_JWT_ROLE_CLAIM} set to
 * {@code app_metadata/role}, the role is that string (Supabase's own top-level {@code role}, {@code authenticated},
 * is not it). A token without the claim names no role, even with {@code groups}: {@code 403} problem+json.
 */
@QuarkusTest
@TestProfile(RoleClaimTest.Supabase.class)
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class RoleClaimTest {

    /** The setting a Supabase project's tokens need (README, configuration). */
    public static class Supabase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("parley.jwt.role-claim", "app_metadata/role");
        }
    }

    @Test
    void theRoleIsReadFromAppMetadata() {
        String client = supabase(UUID.randomUUID().toString(), "client");
        String admin = supabase(UUID.randomUUID().toString(), "admin");

        given().auth().oauth2(client).get("/api/unread").then().statusCode(200);
        given().auth().oauth2(admin).get("/api/unread").then().statusCode(200);
        // admins have no support conversation of their own: the role decides
        given().auth().oauth2(admin).get("/api/conversations/support").then().statusCode(403);
    }

    @Test
    void aTokenWithoutTheClaimNamesNoRole() {
        JwtClaims groupsOnly = claims(UUID.randomUUID().toString());
        groupsOnly.setStringListClaim("groups", List.of("admin"));

        given().auth()
                .oauth2(TestKeys.keys().sign(groupsOnly))
                .get("/api/unread")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("status", equalTo(403));
    }

    /** A token as Supabase Auth issues it, the Parley role set by the project in the user's app metadata. */
    static String supabase(String userId, String role) {
        JwtClaims claims = claims(userId);
        claims.setAudience("authenticated");
        claims.setClaim("role", "authenticated");
        claims.setClaim("aal", "aal1");
        claims.setClaim("app_metadata", Map.of("provider", "email", "providers", List.of("email"), "role", role));
        claims.setClaim("user_metadata", Map.of());
        return TestKeys.keys().sign(claims);
    }

    private static JwtClaims claims(String userId) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(InfraTestResource.ISSUER);
        claims.setSubject(userId);
        claims.setIssuedAtToNow();
        claims.setExpirationTime(
                NumericDate.fromSeconds(Instant.now().plusSeconds(600).getEpochSecond()));
        return claims;
    }
}
