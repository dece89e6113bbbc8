// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.ratelimit;

import io.sluice.gateway.api.config.ConfigException;
import java.util.Locale;

/** What a limit counts per: one counter per consumer, client address, header value, route or attribute value. */
enum LimitBy {
  /** {@code Exchange.consumer().id()}, set by an authentication policy before this one. */
  CONSUMER,
  /** {@code Request.clientAddress()}: the client behind the gateway's trusted proxies. */
  IP,
  /** The value of the request header named by {@code header}. */
  HEADER,
  /** The route: one counter for every request on it. */
  ROUTE,
  /** The exchange attribute named by {@code attribute}, put there by a Java or JS policy that ran before. */
  ATTRIBUTE;

  static LimitBy parse(String field, String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "consumer" -> CONSUMER;
      case "ip" -> IP;
      case "header" -> HEADER;
      case "route" -> ROUTE;
      case "attribute" -> ATTRIBUTE;
      default -> throw new ConfigException(field, "'" + text + "' is not a key (consumer, ip, header, route, attribute)");
    };
  }
}
