// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import java.util.Iterator;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Screens request header names. A name with an underscore is refused (Envoy's
 * {@code headers_with_underscores_action: REJECT_REQUEST}): CGI-style servers fold {@code X_User} and
 * {@code X-User} into the same variable, which lets a client smuggle a header past a gateway that set or
 * removed the other spelling.
 */
public final class HeaderNames {

  private HeaderNames() {}

  /** The first header name containing an underscore, or null. */
  public static @Nullable String firstWithUnderscore(MultiMap headers) {
    HttpHeaders netty = NettyHeaders.of(headers);
    if (netty != null) { // the names as decoded: no String and no entry object per header
      for (Iterator<Map.Entry<CharSequence, CharSequence>> it = netty.iteratorCharSequence(); it.hasNext(); ) {
        CharSequence name = it.next().getKey();
        if (AsciiString.indexOf(name, '_', 0) >= 0) {
          return name.toString();
        }
      }
      return null;
    }
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().indexOf('_') >= 0) {
        return h.getKey();
      }
    }
    return null;
  }
}
