package io.github.posj.cli.convert;

import io.github.posj.core.block.HashScheme;
import java.util.stream.Collectors;
import picocli.CommandLine;

/** {@code posj} or {@code go-tutorial} to a {@link HashScheme}. */
public final class HashSchemeConverter implements CommandLine.ITypeConverter<HashScheme> {
  @Override
  public HashScheme convert(String value) {
    return HashScheme.named(value)
        .orElseThrow(
            () ->
                new CommandLine.TypeConversionException(
                    "unknown hash scheme '"
                        + value
                        + "'; choose one of: "
                        + HashScheme.all().stream()
                            .map(HashScheme::name)
                            .collect(Collectors.joining(", "))));
  }
}
