/**
 * A Java validator: {@link io.github.posj.net.client.ValidatorClient} speaks the JSON-lines mode
 * and reports what the server says as {@link io.github.posj.net.client.ClientEvent}s.
 */
package io.github.posj.net.client;
