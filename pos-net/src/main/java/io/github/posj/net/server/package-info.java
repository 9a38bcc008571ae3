/**
 * The validator server: {@link io.github.posj.net.server.ValidatorServer} (bind, rounds, shutdown),
 * its {@link io.github.posj.net.server.ServerConfig} and {@link
 * io.github.posj.net.server.ServerListener}, the shell that drives pos-core's node state machine on
 * one owner thread ({@code NodeHost}) and the pipeline wiring.
 */
package io.github.posj.net.server;
