/**
 * The validator server: {@link io.github.posj.net.server.ValidatorServer} (bind, rounds, shutdown),
 * its {@link io.github.posj.net.server.ServerConfig} and {@link
 * io.github.posj.net.server.ServerListener}, the owner of the chain and stakes ({@code NodeState})
 * and the pipeline wiring.
 */
package io.github.posj.net.server;
