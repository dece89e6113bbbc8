// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Names, sizes and modification times of the files in a directory that {@code include} accepts: compare two
 * fingerprints to notice files added, replaced or removed (plugins, scripts). Blocking.
 */
public final class DirectoryFingerprint {

  private DirectoryFingerprint() {}

  public static String of(Path dir, Predicate<Path> include) {
    if (!Files.isDirectory(dir)) {
      return "";
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(include).sorted().map(f -> {
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

  /**
   * Sizes and modification times of the named files in {@code dir} (a missing file counts too, so adding it is
   * noticed): a change to any other file of the directory leaves the fingerprint as it was.
   */
  public static String ofFiles(Path dir, java.util.Collection<String> names) {
    return names.stream().sorted().map(name -> {
      Path f = dir.resolve(name);
      try {
        return name + ":" + Files.size(f) + ":" + Files.getLastModifiedTime(f).toMillis();
      } catch (IOException e) {
        return name + ":absent";
      }
    }).collect(Collectors.joining("|"));
  }
}
