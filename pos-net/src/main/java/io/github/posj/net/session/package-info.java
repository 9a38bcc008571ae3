/**
 * One connection's protocol: {@link io.github.posj.net.session.ValidatorSession}, a plain-Java
 * state machine run on the node's owner thread, and {@link
 * io.github.posj.net.session.SessionHandler}, the Netty handler that hands it events.
 */
package io.github.posj.net.session;
