/**
 * Java validators: {@link io.github.posj.net.client.ValidatorClient} speaks the JSON-lines mode and
 * hands what the server says to a {@link io.github.posj.net.client.ClientListener}; {@link
 * io.github.posj.net.client.ValidatorFleet} runs many of them on a schedule and counts their wins.
 */
package io.github.posj.net.client;
