/**
 * The protocol's bytes: {@link io.github.posj.net.codec.WireFormat} (Netty-free text and JSON forms
 * of every message) and the thin Netty adapters {@link io.github.posj.net.codec.MessageDecoder} and
 * {@link io.github.posj.net.codec.MessageEncoder}.
 */
package io.github.posj.net.codec;
