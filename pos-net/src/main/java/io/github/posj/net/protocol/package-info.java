/**
 * The validator protocol's messages and limits, independent of any transport: {@link
 * io.github.posj.net.protocol.ClientMessage} (what a validator sends) and {@link
 * io.github.posj.net.protocol.ServerMessage} (what the server sends), both kinds of {@link
 * io.github.posj.net.protocol.Message}. No Netty here; the byte forms live in {@code codec}.
 */
package io.github.posj.net.protocol;
