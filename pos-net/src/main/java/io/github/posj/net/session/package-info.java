/**
 * One connection's protocol: {@link io.github.posj.net.session.ValidatorSession}, a plain-Java
 * state machine run on the node's owner thread, and the Netty adapters around it: {@link
 * io.github.posj.net.session.SessionHandler}, the handler that hands it events, {@link
 * io.github.posj.net.session.Inbox}, which takes the events of many connections to the owner thread
 * in batches, and {@link io.github.posj.net.session.Outbox}, which takes the owner thread's writes
 * to the event loops in batches.
 */
package io.github.posj.net.session;
