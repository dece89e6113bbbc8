// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * The admin API's bearer token. Compared in constant time (over SHA-256 digests, so that not even the
 * length leaks through timing). Never logged.
 */
public final class AdminToken {

  private final byte[] digest;

  private AdminToken(String token) {
    this.digest = sha256(token);
  }

  public static AdminToken of(String token) {
    return new AdminToken(token);
  }

  /**
   * The token in {@code file}, or a new random one written there (owner-readable only) when the file does not
   * exist or holds no usable token. Blocking.
   */
  public static AdminToken fromFile(Path file) throws IOException {
    if (Files.isRegularFile(file)) {
      String existing = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (existing.length() >= 16) {
        return new AdminToken(existing);
      }
    }
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    // Owner-only from its creation (never readable by others, not even for a moment), then moved into place.
    Path tmp = file.resolveSibling(file.getFileName() + ".new");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp); // not a POSIX file system: the file gets the default permissions
    }
    Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return new AdminToken(token);
  }

  /** Whether an {@code Authorization} header value carries this token as a bearer token. */
  public boolean matchesAuthorization(@Nullable String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return MessageDigest.isEqual(digest, sha256(authorization.substring(7).trim()));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  @Override
  public String toString() {
    return "AdminToken[<redacted>]";
  }
}
