package io.github.posj.core;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds pos-core's directory and the repository's from the compiled test classes, so tests that
 * read sources or the README work whatever the working directory (Maven, an IDE, a single test).
 */
final class SourceTree {
  private SourceTree() {}

  /** pos-core's directory: the nearest ancestor of the test classes that holds its sources. */
  static Path coreModule() {
    Path location;
    try {
      location =
          Path.of(SourceTree.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the test classes", e);
    }
    for (Path dir = location; dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("src/main/java/io/github/posj/core"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no pos-core sources above " + location);
  }

  /** The repository's root: the parent of pos-core. */
  static Path repository() {
    return coreModule().getParent();
  }
}
