/**
 * A validator's own files: its key file ({@link io.github.posj.net.keys.KeyFile}: the Ed25519 seed
 * and the hash-onion secret) and its slashing-protection file ({@link
 * io.github.posj.net.keys.SlashingProtection}: the last slot it signed, recorded before a signature
 * leaves the process). Both are written whole and durably and are readable by their owner only
 * ({@code docs/network.md} section 10).
 */
package io.github.posj.net.keys;
