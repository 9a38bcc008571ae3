package io.github.posj.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * STYLE.md section 5: each public type's Javadoc states its thread-safety ("Immutable;
 * thread-safe.", "Not thread-safe; confine to one thread." or the contract of an interface).
 */
final class CoreJavadocTest {
  @Test
  void publicTypes_javadocStatesThreadSafety() throws IOException {
    Path sources = SourceTree.coreModule().resolve("src/main/java");
    List<String> missing = new ArrayList<>();
    int checked = 0;
    for (JavaClass type :
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.github.posj.core")) {
      Class<?> c = type.reflect();
      if (!isPublicApi(c)) {
        continue;
      }
      Class<?> topLevel = c;
      while (topLevel.getEnclosingClass() != null) {
        topLevel = topLevel.getEnclosingClass();
      }
      Path file = sources.resolve(topLevel.getName().replace('.', '/') + ".java");
      String source = Files.readString(file, StandardCharsets.UTF_8);
      String javadoc = javadocOf(source, c.getSimpleName());
      checked++;
      if (javadoc == null) {
        missing.add(c.getName() + ": no Javadoc");
      } else if (!javadoc.toLowerCase(Locale.ROOT).contains("thread-safe")) {
        missing.add(c.getName() + ": Javadoc does not say whether it is thread-safe");
      }
    }

    assertThat(checked).as("public types found").isGreaterThan(20);
    assertThat(missing).isEmpty();
  }

  private static boolean isPublicApi(Class<?> c) {
    if (c.isAnonymousClass() || c.isLocalClass() || c.isSynthetic()) {
      return false;
    }
    for (Class<?> t = c; t != null; t = t.getEnclosingClass()) {
      if (!Modifier.isPublic(t.getModifiers())) {
        return false;
      }
    }
    return true;
  }

  /** The Javadoc right before the declaration of {@code simpleName}, or null if there is none. */
  private static String javadocOf(String source, String simpleName) {
    Matcher m =
        Pattern.compile(
                // Javadoc, then optionally an implementation-notes block comment and annotations.
                "/\\*\\*((?:(?!\\*/).)*)\\*/\\s*"
                    + "(?:/\\*(?!\\*)(?:(?!\\*/).)*\\*/\\s*)?"
                    + "(?:@[\\w.]+(?:\\([^)]*\\))?\\s*)*"
                    + "(?:(?:public|protected|static|final|sealed|non-sealed|abstract)\\s+)*"
                    + "(?:record|class|interface|enum)\\s+"
                    + Pattern.quote(simpleName)
                    + "\\b",
                Pattern.DOTALL)
            .matcher(source);
    return m.find() ? m.group(1).replaceAll("\\s*\\n\\s*\\*\\s?", " ") : null;
  }
}
