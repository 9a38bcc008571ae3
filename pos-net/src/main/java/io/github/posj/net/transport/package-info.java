/**
 * Which of Netty's transports the servers run on: {@link io.github.posj.net.transport.Transport}.
 */
package io.github.posj.net.transport;
