package io.github.posj.cli.options;

import io.github.posj.cli.CommandFailure;
import io.github.posj.cli.PosCommand;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.schedule.HashOnion;
import java.security.SecureRandom;
import picocli.CommandLine.Option;

/**
 * {@code --onion-length}, for the commands that make validator keys: how many blocks one hash-onion
 * commitment covers (docs/network.md section 5). Not thread-safe; confine to the command's thread.
 */
public final class OnionLengthOption {
  @Option(
      names = "--onion-length",
      paramLabel = "N",
      defaultValue = "" + HashOnion.DEFAULT_LENGTH,
      description =
          "How many blocks the key's hash onion covers, 1 to "
              + HashOnion.MAX_LENGTH
              + " (default ${DEFAULT-VALUE}); its top goes in the genesis.")
  int length;

  /**
   * Checks the length, before anything is made.
   *
   * @throws CommandFailure a usage error if it is outside 1 to {@value HashOnion#MAX_LENGTH}
   */
  public void check() {
    if (length < 1 || length > HashOnion.MAX_LENGTH) {
      throw new CommandFailure(
          "--onion-length is 1 to " + HashOnion.MAX_LENGTH + ", got " + length, PosCommand.USAGE);
    }
  }

  /**
   * A new onion of this length whose secret is drawn from {@code random}.
   *
   * @throws CommandFailure as {@link #check()}
   */
  public HashOnion newOnion(SecureRandom random) {
    check();
    byte[] secret = new byte[Hash.LENGTH];
    random.nextBytes(secret);
    return HashOnion.of(Hash.of(secret), length);
  }
}
