package io.github.posj.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class Ed25519Test {
  private static final HexFormat HEX = HexFormat.of();

  /** RFC 8032 section 7.1, TEST 1 to TEST 3: seed, public key, message, signature. */
  @ParameterizedTest
  @CsvSource({
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60,"
        + "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a,,"
        + "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb,"
        + "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c,72,"
        + "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7,"
        + "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025,af82,"
        + "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
  })
  void rfc8032Vectors(String seed, String publicKey, String message, String signature) {
    byte[] msg = message == null ? new byte[0] : HEX.parseHex(message);
    SigningKey key = SigningKey.fromSeed(HEX.parseHex(seed));

    assertThat(key.publicKey().hex()).isEqualTo(publicKey);
    assertThat(key.sign(msg).hex()).isEqualTo(signature);
    assertThat(Ed25519.verify(PublicKey.fromHex(publicKey), msg, Signature.fromHex(signature)))
        .isTrue();
    assertThat(key.publicKey().isValid()).isTrue();
  }

  private JsonNode specCheckCases() throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/vectors/ed25519-speccheck-cases.json")) {
      return new ObjectMapper().readTree(in);
    }
  }

  /**
   * The 12 edge-case vectors of novifinancial/ed25519-speccheck ({@code cases.json}, Apache-2.0,
   * copied as data into {@code vectors/ed25519-speccheck-cases.json}). Verifiers disagree on them;
   * posj accepts exactly what BouncyCastle 1.87 accepts, and this row pins it: an upgrade that
   * changes which signatures are valid fails here, before it can split a network.
   */
  @Test
  void specCheckRowIsPinned() throws IOException {
    JsonNode cases = specCheckCases();
    StringBuilder row = new StringBuilder();
    for (JsonNode c : cases) {
      boolean valid =
          Ed25519.verify(
              PublicKey.fromHex(c.get("pub_key").asText()),
              HEX.parseHex(c.get("message").asText()),
              Signature.fromHex(c.get("signature").asText()));
      row.append(valid ? 'V' : 'X');
    }
    assertThat(row).hasToString("XXVVVVXXXXXX");
  }

  /**
   * A key instance checked again and again verifies against its decoded point from the second check
   * on: on every speccheck vector and the RFC 8032 vectors, that path and the byte path give the
   * same answer (the pinned row holds on the third check of one instance as on the first).
   */
  @Test
  void repeatedChecksOfOneKeyInstance_answerAsTheBytePathOnEveryVector() throws IOException {
    JsonNode cases = specCheckCases();
    StringBuilder row = new StringBuilder();
    for (JsonNode c : cases) {
      PublicKey key = PublicKey.fromHex(c.get("pub_key").asText());
      byte[] message = HEX.parseHex(c.get("message").asText());
      Signature signature = Signature.fromHex(c.get("signature").asText());
      boolean bytePath = Ed25519.verifyFromBytes(key, message, 0, message.length, signature);
      for (int check = 1; check <= 3; check++) {
        assertThat(Ed25519.verify(key, message, signature))
            .as("check %d", check)
            .isEqualTo(bytePath);
      }
      row.append(Ed25519.verify(key, message, signature) ? 'V' : 'X');
    }
    assertThat(row).hasToString("XXVVVVXXXXXX");
  }

  /**
   * Random keys, messages and signatures, each then changed in one random bit of key, message or
   * signature (the changed key may be invalid, off the curve or non-canonical): an instance checked
   * many times and the byte path agree on every one, valid or not.
   */
  @Test
  void repeatedChecksOfOneKeyInstance_answerAsTheBytePathOnRandomMutations() {
    SplittableRandom random = new SplittableRandom(8032);
    int valid = 0;
    for (int i = 0; i < 400; i++) {
      SigningKey signer = SigningKey.generate(random);
      byte[] message = new byte[1 + random.nextInt(64)];
      random.nextBytes(message);
      byte[] key = signer.publicKey().toByteArray();
      byte[] signature = signer.sign(message).toByteArray();
      switch (random.nextInt(4)) {
        case 0 -> key[random.nextInt(32)] ^= (byte) (1 << random.nextInt(8));
        case 1 -> message[random.nextInt(message.length)] ^= (byte) (1 << random.nextInt(8));
        case 2 -> signature[random.nextInt(64)] ^= (byte) (1 << random.nextInt(8));
        default -> {} // unchanged: must verify both ways
      }
      PublicKey instance = PublicKey.of(key);
      Signature sig = Signature.of(signature);
      boolean bytePath = Ed25519.verifyFromBytes(instance, message, 0, message.length, sig);
      for (int check = 1; check <= 3; check++) {
        assertThat(Ed25519.verify(instance, message, sig))
            .as("case %d, check %d", i, check)
            .isEqualTo(bytePath);
      }
      valid += bytePath ? 1 : 0;
    }
    assertThat(valid).as("the unchanged quarter verifies").isBetween(60, 140);
  }

  @Test
  void aChangedByteInMessageKeyOrSignatureFails() {
    SigningKey key = SigningKey.generate(new SplittableRandom(1));
    byte[] message = "posj".getBytes(StandardCharsets.US_ASCII);
    Signature signature = key.sign(message);
    assertThat(Ed25519.verify(key.publicKey(), message, signature)).isTrue();

    byte[] otherMessage = message.clone();
    otherMessage[0] ^= 1;
    assertThat(Ed25519.verify(key.publicKey(), otherMessage, signature)).isFalse();
    byte[] sig = signature.toByteArray();
    sig[63] ^= 0x10;
    assertThat(Ed25519.verify(key.publicKey(), message, Signature.of(sig))).isFalse();
    PublicKey other = SigningKey.generate(new SplittableRandom(2)).publicKey();
    assertThat(Ed25519.verify(other, message, signature)).isFalse();
  }

  /** S + L encodes the same scalar; a malleated signature must not verify (RFC 8032 5.1.7). */
  @Test
  void signatureWithSPlusGroupOrderIsRejected() {
    SigningKey key = SigningKey.fromSeed(new byte[32]);
    byte[] message = {1, 2, 3};
    byte[] sig = key.sign(message).toByteArray();
    java.math.BigInteger order =
        java.math.BigInteger.ONE
            .shiftLeft(252)
            .add(new java.math.BigInteger("27742317777372353535851937790883648493"));
    byte[] sLittle = java.util.Arrays.copyOfRange(sig, 32, 64);
    byte[] sBig = reverse(sLittle);
    byte[] plus = reverse(toFixed(new java.math.BigInteger(1, sBig).add(order), 32));
    System.arraycopy(plus, 0, sig, 32, 32);

    assertThat(Ed25519.verify(key.publicKey(), message, Signature.of(sig))).isFalse();
  }

  @Test
  void seedsAreNeverPrinted() {
    SigningKey key = SigningKey.fromSeed(new byte[32]);
    assertThat(key.toString()).doesNotContain(HEX.formatHex(key.seed())).contains("publicKey=");
  }

  @Test
  void malformedTextIsRefusedWithTheExpectedShape() {
    assertThat(PublicKey.parseHex("ab")).isEmpty();
    assertThat(
            PublicKey.parseHex("D75A980182B10AB7D54BFED3C964073A0EE172F3DAA62325AF021A68F707511A"))
        .isEmpty();
    assertThat(Signature.parseHex("00".repeat(63))).isEmpty();
    assertThat(Signature.parseHex("0g".repeat(64))).isEmpty();
    assertThatThrownBy(() -> SigningKey.fromSeed(new byte[31]))
        .hasMessage("an Ed25519 seed has 32 bytes, got 31");
    assertThatThrownBy(() -> PublicKey.fromHex("xyz"))
        .hasMessageContaining("64 lowercase hex characters");
  }

  @Test
  void smallOrderAndOffCurveKeysAreNotValid() {
    // The identity point (y = 1) has order 1; 0x...ff is not a canonical y.
    byte[] identity = new byte[32];
    identity[0] = 1;
    assertThat(PublicKey.of(identity).isValid()).isFalse();
    byte[] nonCanonical = new byte[32];
    java.util.Arrays.fill(nonCanonical, (byte) 0xff);
    nonCanonical[31] = 0x7f;
    assertThat(PublicKey.of(nonCanonical).isValid()).isFalse();
  }

  @Test
  void theAddressIsSha256OfTheKey() {
    PublicKey key =
        PublicKey.fromHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    // network-design.md section 1.5, computed independently.
    assertThat(key.address().hex())
        .isEqualTo("21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9");
  }

  private static byte[] reverse(byte[] in) {
    byte[] out = new byte[in.length];
    for (int i = 0; i < in.length; i++) {
      out[i] = in[in.length - 1 - i];
    }
    return out;
  }

  private static byte[] toFixed(java.math.BigInteger value, int length) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[length];
    int copy = Math.min(raw.length, length);
    System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
    return out;
  }
}
