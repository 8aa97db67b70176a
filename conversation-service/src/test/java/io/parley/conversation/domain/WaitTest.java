package io.parley.conversation.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The wait a batch of one conversation's new messages describes, folded in their order. */
class WaitTest {

    private static InboxBatch.Wait fold(List<InboxBatch.Wait> messages) {
        return messages.stream().reduce(InboxBatch.Wait::then).orElseThrow();
    }

    private static InboxBatch.Wait client(String at) {
        return InboxBatch.Wait.of(false, at);
    }

    private static InboxBatch.Wait admin(String at) {
        return InboxBatch.Wait.of(true, at);
    }

    @Test
    void clientMessagesAloneWaitSinceTheFirstAndSayNoAdminWasThere() {
        assertThat(fold(List.of(client("t1"), client("t2")))).isEqualTo(new InboxBatch.Wait(false, "t1"));
    }

    @Test
    void anAdminMessageEndsTheWaitAndTheNextClientMessageStartsANewOne() {
        assertThat(fold(List.of(client("t1"), admin("t2")))).isEqualTo(new InboxBatch.Wait(true, null));
        assertThat(fold(List.of(client("t1"), admin("t2"), client("t3"), client("t4"))))
                .isEqualTo(new InboxBatch.Wait(true, "t3"));
        assertThat(fold(List.of(admin("t1"), client("t2"), admin("t3"), client("t4"))))
                .isEqualTo(new InboxBatch.Wait(true, "t4"));
    }
}
