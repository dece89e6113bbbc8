// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Masks the values of keys that look like secrets ({@code key}, {@code apiKey}, {@code secret},
 * {@code password}, {@code token}, {@code credentials}, {@code Authorization}, {@code cookie}...) in config
 * shown by the admin API, at any depth. A masked value, whatever its shape, becomes {@value #MASK}.
 */
public final class SecretMask {

  public static final String MASK = "******";

  /**
   * {@code key} or {@code keys} as a whole name, after a separator ({@code api_key}, {@code X-Api-Key}) or as a
   * camelCase word ({@code apiKey}); not {@code keyBy} or {@code monkey}.
   */
  private static final Pattern KEY = Pattern.compile("(?i:(.*[-_.])?keys?)|.*[a-z0-9]Keys?");
  /**
   * Names with a secret-sounding part anywhere ({@code clientSecret}, {@code Authorization}, ...), and the
   * run-together key names {@link #KEY} cannot tell from {@code monkey} ({@code apikey}, Kong's default;
   * {@code X-APIKEY}, {@code accesskey}).
   */
  private static final Pattern SECRET = Pattern.compile(
      ".*(secret|passw|pwd|token|credential|authorization|cookie|private|signature|apikey|accesskey|authkey).*",
      Pattern.CASE_INSENSITIVE);

  private SecretMask() {}

  /** Whether a key's value should not be shown. */
  public static boolean looksSecret(String key) {
    return KEY.matcher(key).matches() || SECRET.matcher(key).matches();
  }

  /** A copy of {@code node} with secret-looking values masked. */
  public static JsonNode mask(JsonNode node) {
    JsonNode copy = node.deepCopy();
    maskInPlace(copy);
    return copy;
  }

  private static void maskInPlace(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode value = object.get(name);
        if (looksSecret(name) && value != null && !value.isNull()) {
          object.put(name, MASK);
        } else {
          maskInPlace(value);
        }
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(SecretMask::maskInPlace);
    }
  }
}
