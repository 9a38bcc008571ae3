package io.github.posj.cli.command;

import io.github.posj.cli.CliEnvironment;
import io.github.posj.cli.CommandFailure;
import io.github.posj.cli.PosCommand;
import io.github.posj.cli.options.OnionLengthOption;
import io.github.posj.core.crypto.SigningKey;
import io.github.posj.core.schedule.HashOnion;
import io.github.posj.net.keys.KeyFile;
import io.github.posj.net.keys.KeyFileException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pos keygen}: a new validator key and hash onion, in a key file. */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description = {
      "Makes a validator key (Ed25519, from SecureRandom) and a hash onion, writes them to a key"
          + " file readable by you only (never over an existing file), and prints the public key,"
          + " the address and the onion's commitment: what a genesis lists for the validator.",
      "Exit codes: 0 written, 1 the file exists or cannot be written, 2 usage error."
    })
public final class KeygenCommand implements Callable<Integer> {
  private final CliEnvironment environment;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      required = true,
      description = "The key file to write; an existing file is never overwritten.")
  Path out;

  @Mixin OnionLengthOption onionLength;

  KeygenCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    onionLength.check();
    SecureRandom random = new SecureRandom();
    SigningKey key = SigningKey.generate(random);
    HashOnion onion = onionLength.newOnion(random);
    try {
      KeyFile.write(environment.workingDirectory().resolve(out), key, onion);
    } catch (KeyFileException e) {
      throw new CommandFailure(e.getMessage());
    }
    PrintStream console = environment.out();
    console.println("wrote key file " + out + " (readable by you only: keep it secret, and safe)");
    console.println("public key: " + key.publicKey().hex());
    console.println("address: " + key.publicKey().address().hex());
    console.println(
        "onion commitment: " + onion.commitment().hex() + " (for " + onion.length() + " blocks)");
    return PosCommand.OK;
  }
}
