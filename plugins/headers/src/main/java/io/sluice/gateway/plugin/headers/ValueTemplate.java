// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.headers;

import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.Exchange;
import io.sluice.gateway.api.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A header value with {@code ${...}} variables, compiled once into literal text and lookups (no parsing or
 * regex per request). Variables:
 *
 * <ul>
 *   <li>{@code ${request.id}}, {@code ${request.method}}, {@code ${request.path}}, {@code ${request.host}},
 *       {@code ${route.id}}, {@code ${client.ip}}
 *   <li>{@code ${consumer.id}}, {@code ${consumer.tag.NAME}}
 *   <li>{@code ${path.NAME}} (a captured path segment), {@code ${header.NAME}}, {@code ${query.NAME}}
 * </ul>
 *
 * A variable without a value (no consumer, a missing header) makes the whole value absent: the header is then
 * not set, rather than set to a half-empty string.
 */
final class ValueTemplate {

  private final List<String> literals;
  private final List<Function<Exchange, @Nullable String>> lookups;

  private ValueTemplate(List<String> literals, List<Function<Exchange, @Nullable String>> lookups) {
    this.literals = literals;
    this.lookups = lookups;
  }

  /**
   * @throws ConfigException (empty path) for an unknown variable or an unclosed {@code ${}
   */
  static ValueTemplate compile(String text) {
    List<String> literals = new ArrayList<>();
    List<Function<Exchange, @Nullable String>> lookups = new ArrayList<>();
    int from = 0;
    while (true) {
      int open = text.indexOf("${", from);
      if (open < 0) {
        literals.add(text.substring(from));
        break;
      }
      int close = text.indexOf('}', open);
      if (close < 0) {
        throw new ConfigException("", "'" + text + "' has an unclosed '${'");
      }
      literals.add(text.substring(from, open));
      lookups.add(variable(text.substring(open + 2, close), text));
      from = close + 1;
    }
    return new ValueTemplate(List.copyOf(literals), List.copyOf(lookups));
  }

  private static Function<Exchange, @Nullable String> variable(String name, String text) {
    switch (name) {
      case "request.id":
        return Exchange::id;
      case "request.method":
        return e -> e.request().method().name();
      case "request.path":
        return e -> e.request().path();
      case "request.host":
        return e -> e.request().host();
      case "route.id":
        return Exchange::routeId;
      case "client.ip":
        return e -> e.request().clientAddress();
      case "consumer.id":
        return e -> {
          Consumer c = e.consumer();
          return c == null ? null : c.id();
        };
      default:
        break;
    }
    if (name.startsWith("consumer.tag.") && name.length() > 13) {
      String tag = name.substring(13);
      return e -> {
        Consumer c = e.consumer();
        return c == null ? null : c.tags().get(tag);
      };
    }
    if (name.startsWith("path.") && name.length() > 5) {
      String param = name.substring(5);
      return e -> e.request().pathParams().get(param);
    }
    if (name.startsWith("header.") && name.length() > 7) {
      String header = name.substring(7);
      return e -> e.request().headers().get(header);
    }
    if (name.startsWith("query.") && name.length() > 6) {
      String param = name.substring(6);
      return e -> e.request().queryParams().get(param);
    }
    throw new ConfigException("", "'" + text + "' uses unknown variable ${" + name + "} (known: request.id, "
        + "request.method, request.path, request.host, route.id, client.ip, consumer.id, consumer.tag.NAME, "
        + "path.NAME, header.NAME, query.NAME)");
  }

  /** The value for this exchange, or null when a variable has none. */
  @Nullable String render(Exchange exchange) {
    if (lookups.isEmpty()) {
      return literals.get(0);
    }
    StringBuilder sb = new StringBuilder(32);
    for (int i = 0; i < lookups.size(); i++) {
      String v = lookups.get(i).apply(exchange);
      if (v == null) {
        return null;
      }
      sb.append(literals.get(i)).append(v);
    }
    return sb.append(literals.get(literals.size() - 1)).toString();
  }
}
