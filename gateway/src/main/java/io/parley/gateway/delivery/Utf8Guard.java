package io.parley.gateway.delivery;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.parley.gateway.protocol.FrameCodec;
import io.parley.gateway.protocol.ServerFrame;
import io.vertx.core.http.HttpConnection;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Text frames whose bytes are not UTF-8. Vert.x would decode them with U+FFFD in place of the bad bytes, so that a
 * message's content would be stored other than as sent. This handler, placed on the connection's Netty pipeline
 * right after the WebSocket decoder and encoder, checks every text frame: a whole (unfragmented) frame that is not UTF-8 is
 * dropped and answered with {@code {type: error, code: invalid}}, and the connection stays open; a fragmented
 * message whose bytes are not UTF-8 cannot be dropped halfway, so the connection is closed with 1007 (invalid frame
 * payload data), as RFC 6455 section 8.1 prescribes.
 */
public final class Utf8Guard extends ChannelInboundHandlerAdapter {

    static final String NAME = "parley-utf8-guard";
    static final String NOT_UTF8 =
            FrameCodec.encode(ServerFrame.Error.invalid(null, "frame", "The frame is not UTF-8 text."));

    /** The decoder of the fragmented text message in progress; null when none is. */
    private CharsetDecoder fragmented;
    /** The bytes of a character that the last fragment began and the next one ends. */
    private byte[] carried = new byte[0];

    /** Adds the guard to the pipeline of {@code tcp}, the HTTP connection under a WebSocket; does nothing if unknown. */
    public static void install(HttpConnection tcp) {
        if (!(tcp instanceof io.vertx.core.net.impl.ConnectionBase base)) {
            return;
        }
        ChannelPipeline pipeline = base.channel().pipeline();
        // Just before Vert.x's own handler: after the frame decoder and after a permessage-deflate decoder (RFC 7692,
        // which browsers negotiate), so it reads the text as sent, and after the encoders, so its frames are encoded.
        if (pipeline.get("wsdecoder") != null && pipeline.get("wsencoder") != null && pipeline.get(NAME) == null) {
            try {
                if (pipeline.get("handler") != null) {
                    pipeline.addBefore("handler", NAME, new Utf8Guard());
                } else {
                    pipeline.addAfter("wsencoder", NAME, new Utf8Guard());
                }
            } catch (IllegalArgumentException | java.util.NoSuchElementException e) {
                // raced with another install or with the close of the connection: nothing to guard
            }
        }
    }

    /** RSV1: the message is compressed (RFC 7692, section 6). */
    private static final int COMPRESSED = 0x4;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof WebSocketFrame frame && (frame.rsv() & COMPRESSED) != 0) {
            // still compressed (no deflate decoder ahead of this guard): its bytes say nothing about its text
            fragmented = null;
            ctx.fireChannelRead(msg);
            return;
        }
        if (msg instanceof TextWebSocketFrame text) {
            if (text.isFinalFragment()) {
                fragmented = null;
                if (!isUtf8(text.content())) {
                    text.release();
                    ctx.writeAndFlush(new TextWebSocketFrame(NOT_UTF8));
                    return;
                }
            } else {
                fragmented = decoder();
                carried = new byte[0];
                if (!feed(text.content(), false)) {
                    reject(ctx, text);
                    return;
                }
            }
        } else if (msg instanceof ContinuationWebSocketFrame continuation && fragmented != null) {
            boolean last = continuation.isFinalFragment();
            if (!feed(continuation.content(), last)) {
                reject(ctx, continuation);
                return;
            }
            if (last) {
                fragmented = null;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void reject(ChannelHandlerContext ctx, io.netty.util.ReferenceCounted frame) {
        frame.release();
        fragmented = null;
        ctx.writeAndFlush(new CloseWebSocketFrame(
                        WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "a text message is not UTF-8"))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** Whether {@code bytes} are well-formed UTF-8 (RFC 3629: no encoded surrogates, no overlong forms). */
    static boolean isUtf8(ByteBuf bytes) {
        try {
            decoder().decode(bytes.nioBuffer());
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /**
     * Feeds a fragment to the message's decoder, with the bytes of a character that the previous fragment began;
     * false once the message's bytes cannot be UTF-8.
     */
    private boolean feed(ByteBuf bytes, boolean last) {
        ByteBuffer in = ByteBuffer.allocate(carried.length + bytes.readableBytes());
        in.put(carried).put(bytes.nioBuffer()).flip();
        CharBuffer out = CharBuffer.allocate(Math.max(16, in.remaining()));
        CoderResult result;
        do {
            out.clear();
            result = fragmented.decode(in, out, last);
            if (result.isError()) {
                return false;
            }
        } while (result.isOverflow());
        carried = new byte[in.remaining()];
        in.get(carried);
        if (last) {
            out.clear();
            boolean ok = !fragmented.flush(out).isError() && carried.length == 0;
            carried = new byte[0];
            return ok;
        }
        return true;
    }

    private static CharsetDecoder decoder() {
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }
}
