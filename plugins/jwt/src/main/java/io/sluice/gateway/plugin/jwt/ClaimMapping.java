// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.jwt;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import io.sluice.gateway.api.auth.ConsumerValues;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Reads consumer facts and upstream header values out of verified claims. */
final class ClaimMapping {

  private final @Nullable String groupsClaim;
  private final List<Map.Entry<String, String>> claimHeaders;

  ClaimMapping(@Nullable String groupsClaim, Map<String, String> claimHeaders) {
    this.groupsClaim = groupsClaim;
    this.claimHeaders = List.copyOf(claimHeaders.entrySet());
  }

  /** A claim as one string: strings as they are, numbers and booleans printed; null when absent or not scalar. */
  static @Nullable String scalar(JWTClaimsSet claims, String name) {
    Object v = claims.getClaim(name);
    if (v instanceof String s) {
      return s.isEmpty() ? null : s;
    }
    return v instanceof Number || v instanceof Boolean ? v.toString() : null;
  }

  /**
   * The token's groups: an array claim, or a space-separated string. A value that is no {@link
   * ConsumerValues#isGroup group name} (a comma would read as two groups upstream) is dropped.
   */
  Set<String> groups(JWTClaimsSet claims) {
    return groupsClaim == null ? Set.of() : strings(claims.getClaim(groupsClaim), true);
  }

  /**
   * The granted scopes: {@code scope} (space-separated, RFC 8693 §4.2) or else {@code scp} (an array). An
   * element that is no RFC 6749 scope-token (a space would read as two scopes upstream) is dropped.
   */
  static Set<String> scopes(JWTClaimsSet claims) {
    Object scope = claims.getClaim("scope");
    return strings(scope != null ? scope : claims.getClaim("scp"), false);
  }


  /** The upstream headers of {@code claimHeaders} the token has values for. */
  List<Map.Entry<String, String>> headers(JWTClaimsSet claims) {
    if (claimHeaders.isEmpty()) {
      return List.of();
    }
    List<Map.Entry<String, String>> out = new ArrayList<>(claimHeaders.size());
    for (Map.Entry<String, String> m : claimHeaders) {
      Object v = claims.getClaim(m.getKey());
      String text;
      if (v == null) {
        continue;
      } else if (v instanceof Collection<?> list) {
        List<String> parts = new ArrayList<>(list.size());
        list.forEach(o -> parts.add(String.valueOf(o)));
        text = String.join(",", parts);
      } else if (v instanceof Map<?, ?> map) {
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) map;
        text = JSONObjectUtils.toJSONString(object);
      } else if (v instanceof java.util.Date d) {
        text = Long.toString(d.getTime() / 1000);
      } else {
        text = v.toString();
      }
      if (isHeaderSafe(text)) {
        out.add(new AbstractMap.SimpleImmutableEntry<>(m.getValue(), text));
      }
    }
    return out;
  }

  private static final java.util.concurrent.atomic.AtomicBoolean DROPPED = new java.util.concurrent.atomic.AtomicBoolean();
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ClaimMapping.class);

  private static Set<String> strings(@Nullable Object v, boolean groups) {
    return groups ? ConsumerValues.groups(v, ClaimMapping::droppedGroup) : ConsumerValues.scopes(v, ClaimMapping::droppedScope);
  }

  // The value is not logged: it comes from a token, and once is enough to tell the operator.
  private static void droppedGroup() {
    dropped("group");
  }

  private static void droppedScope() {
    dropped("scope");
  }

  private static void dropped(String what) {
    if (DROPPED.compareAndSet(false, true)) {
      log.warn("a token carried a {} with a comma, space or control character; such values are dropped (they would"
          + " read as several in the consumer headers)", what);
    }
  }

  /** A claim value with control characters (CR, LF, ...) would split or corrupt the header: not sent. */
  private static boolean isHeaderSafe(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 && c != '\t' || c == 0x7f) {
        return false;
      }
    }
    return true;
  }
}
