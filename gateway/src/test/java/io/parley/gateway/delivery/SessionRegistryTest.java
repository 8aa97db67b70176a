package io.parley.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.events.ConversationKind;
import io.parley.events.Role;
import io.quarkus.websockets.next.WebSocketConnection;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An event that names a user by a null id (a malformed or older record) finds no connection instead of throwing: a
 * delivery channel that throws stops for good, and every connection of the instance with it. A connection whose close
 * was handled before its registration is never registered: nothing would ever remove it (it would be pinged, counted
 * and waited for at a hand-over forever).
 */
class SessionRegistryTest {

    @Test
    void aNullUserIdHasNoConnections() {
        SessionRegistry sessions = new SessionRegistry();
        assertThat(sessions.of(null)).isEmpty();
        assertThat(sessions.hasAny(null)).isFalse();
        List<Session> reached = new ArrayList<>();
        sessions.forEachInConversation(Arrays.asList("ann", null), ConversationKind.GROUP, reached::add);
        assertThat(reached).isEmpty();
    }

    @Test
    void aConnectionClosedBeforeItsRegistrationIsNeverRegistered() {
        SessionRegistry sessions = new SessionRegistry();
        Session closedFirst = session("ann", true);
        sessions.remove(closedFirst); // its close was handled before the registration that followed its welcome
        sessions.add(closedFirst);
        Session alreadyClosed = session("bob", false);
        sessions.add(alreadyClosed);
        assertThat(sessions.count()).isZero();
        assertThat(sessions.hasAny("ann")).isFalse();
        assertThat(sessions.hasAny("bob")).isFalse();

        Session open = session("cat", true);
        sessions.add(open);
        assertThat(sessions.count()).isEqualTo(1);
        assertThat(sessions.of("cat")).containsExactly(open);
        sessions.remove(open);
        assertThat(sessions.count()).isZero();
        assertThat(sessions.all()).isEmpty();
    }

    /** A session over a stand-in connection that only says whether it is open. */
    private static Session session(String userId, boolean open) {
        WebSocketConnection connection = (WebSocketConnection) Proxy.newProxyInstance(
                SessionRegistryTest.class.getClassLoader(),
                new Class<?>[] {WebSocketConnection.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "isOpen" -> open;
                    case "id" -> userId;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "connection of " + userId;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return new Session(connection, userId, Role.CLIENT, "token", Long.MAX_VALUE, null, null);
    }
}
