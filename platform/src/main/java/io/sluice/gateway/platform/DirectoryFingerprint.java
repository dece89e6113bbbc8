// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Names, sizes and modification times of a directory's files with a given ending, to notice changes. */
final class DirectoryFingerprint {

  private DirectoryFingerprint() {}

  static String of(Path dir, String ending) {
    if (!Files.isDirectory(dir)) {
      return "";
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(ending)).sorted().map(f -> {
        try {
          return f.getFileName() + ":" + Files.size(f) + ":" + Files.getLastModifiedTime(f).toMillis();
        } catch (IOException e) {
          return f.getFileName() + ":?";
        }
      }).collect(Collectors.joining("|"));
    } catch (IOException e) {
      return "unreadable";
    }
  }
}
