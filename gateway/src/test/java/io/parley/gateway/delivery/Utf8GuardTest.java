package io.parley.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The check of text frames' bytes, on a Netty channel of its own. */
class Utf8GuardTest {

    @Test
    void aCharacterSplitAcrossFragmentsIsUtf8() {
        EmbeddedChannel channel = new EmbeddedChannel(new Utf8Guard());
        byte[] e = "é".getBytes(StandardCharsets.UTF_8);
        channel.writeInbound(new TextWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[] {'a', e[0]})));
        channel.writeInbound(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[] {e[1], 'b'})));
        assertThat((Object) channel.readInbound()).isInstanceOf(TextWebSocketFrame.class);
        assertThat((Object) channel.readInbound()).isInstanceOf(ContinuationWebSocketFrame.class);
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aWholeFrameThatIsNotUtf8IsAnsweredAndDropped() {
        EmbeddedChannel channel = new EmbeddedChannel(new Utf8Guard());
        channel.writeInbound(new TextWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[] {'{', (byte) 0xFF})));
        assertThat((Object) channel.readInbound()).isNull();
        TextWebSocketFrame answer = channel.readOutbound();
        assertThat(answer.text()).contains("\"code\":\"invalid\"");
        assertThat(channel.isOpen()).isTrue();
        channel.writeInbound(new TextWebSocketFrame("{\"type\":\"ping\"}"));
        assertThat((Object) channel.readInbound()).isInstanceOf(TextWebSocketFrame.class);
    }

    @Test
    void aFragmentedMessageThatIsNotUtf8ClosesWith1007() {
        EmbeddedChannel channel = new EmbeddedChannel(new Utf8Guard());
        channel.writeInbound(new TextWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[] {'a', (byte) 0xC3})));
        channel.writeInbound(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[] {'(', 'b'})));
        CloseWebSocketFrame close = channel.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1007);
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aMessageThatEndsInTheMiddleOfACharacterIsNotUtf8() {
        EmbeddedChannel channel = new EmbeddedChannel(new Utf8Guard());
        channel.writeInbound(new TextWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[] {'a'})));
        channel.writeInbound(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[] {(byte) 0xE2})));
        assertThat(((CloseWebSocketFrame) channel.readOutbound()).statusCode()).isEqualTo(1007);
    }

    @Test
    void refusalsKeepTheirMeaningAndOnlyServerErrorsAreUnavailable() {
        assertThat(io.parley.gateway.protocol.ServerFrame.Error.codeOf(400)).isEqualTo("invalid");
        assertThat(io.parley.gateway.protocol.ServerFrame.Error.codeOf(422)).isEqualTo("invalid");
        assertThat(io.parley.gateway.protocol.ServerFrame.Error.codeOf(413)).isEqualTo("too_large");
        assertThat(io.parley.gateway.protocol.ServerFrame.Error.codeOf(404)).isEqualTo("not_found");
        assertThat(io.parley.gateway.protocol.ServerFrame.Error.codeOf(409)).isEqualTo("conflict");
        assertThat(io.parley.gateway.protocol.ServerFrame.Error.codeOf(429)).isEqualTo("rate_limited");
        assertThat(io.parley.gateway.protocol.ServerFrame.Error.codeOf(500)).isEqualTo("unavailable");
        assertThat(io.parley.gateway.protocol.ServerFrame.Error.codeOf(503)).isEqualTo("unavailable");
    }
}
