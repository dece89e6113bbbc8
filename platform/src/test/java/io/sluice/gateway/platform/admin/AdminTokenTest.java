// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokenTest {

  @Test
  void aNewTokenIsWrittenOwnerReadableOnlyAndReadBackTheNextTime(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("conf/admin.token");
    AdminToken created = AdminToken.fromFile(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(dir.resolve("conf")).isDirectoryNotContaining(p -> p.getFileName().toString().endsWith(".new"));
    String token = Files.readString(file, StandardCharsets.UTF_8).trim();
    assertThat(token).hasSizeGreaterThanOrEqualTo(40);
    assertThat(created.matchesAuthorization("Bearer " + token)).isTrue();
    assertThat(created.matchesAuthorization("Bearer " + token + "x")).isFalse();
    assertThat(AdminToken.fromFile(file).matchesAuthorization("Bearer " + token)).as("the same token again").isTrue();
    assertThat(created.toString()).doesNotContain(token);
  }
}
