package io.github.posj.core.testing;

import io.github.posj.core.stake.ValidatorId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Deterministic validator addresses for tests: {@code validator(n)} is the same in every run. */
public final class TestValidators {
  private TestValidators() {}

  /** The address SHA-256("test-validator-" + n). */
  public static ValidatorId validator(int n) {
    return ValidatorId.derive(("test-validator-" + n).getBytes(StandardCharsets.UTF_8));
  }

  /** Validators 0 to count - 1. */
  public static List<ValidatorId> validators(int count) {
    List<ValidatorId> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(validator(i));
    }
    return out;
  }
}
