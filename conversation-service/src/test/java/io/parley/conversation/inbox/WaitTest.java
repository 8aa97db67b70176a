package io.parley.conversation.inbox;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The wait a batch of one conversation's new messages describes, folded in their order. */
class WaitTest {

    private static InboxConsumer.Wait fold(List<InboxConsumer.Wait> messages) {
        return messages.stream().reduce(InboxConsumer.Wait::then).orElseThrow();
    }

    private static InboxConsumer.Wait client(String at) {
        return InboxConsumer.Wait.of(false, at);
    }

    private static InboxConsumer.Wait admin(String at) {
        return InboxConsumer.Wait.of(true, at);
    }

    @Test
    void clientMessagesAloneWaitSinceTheFirstAndSayNoAdminWasThere() {
        assertThat(fold(List.of(client("t1"), client("t2")))).isEqualTo(new InboxConsumer.Wait(false, "t1"));
    }

    @Test
    void anAdminMessageEndsTheWaitAndTheNextClientMessageStartsANewOne() {
        assertThat(fold(List.of(client("t1"), admin("t2")))).isEqualTo(new InboxConsumer.Wait(true, null));
        assertThat(fold(List.of(client("t1"), admin("t2"), client("t3"), client("t4"))))
                .isEqualTo(new InboxConsumer.Wait(true, "t3"));
        assertThat(fold(List.of(admin("t1"), client("t2"), admin("t3"), client("t4"))))
                .isEqualTo(new InboxConsumer.Wait(true, "t4"));
    }
}
