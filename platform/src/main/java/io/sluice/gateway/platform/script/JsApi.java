// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.script;

import io.sluice.gateway.api.AttributeKey;
import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.Exchange;
import io.sluice.gateway.api.Rejection;
import io.vertx.core.MultiMap;
import java.util.Map;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;
import org.jspecify.annotations.Nullable;

/**
 * The exchange as JavaScript sees it: read-only proxy objects whose functions call into the Java exchange.
 * Scripts get strings, numbers and these proxies, never a Java object.
 */
final class JsApi {

  private JsApi() {}


  /** A read-only object: members by name, functions as {@link ProxyExecutable}. */
  abstract static class ReadOnly implements ProxyObject {
    private final String[] keys;

    ReadOnly(String... keys) {
      this.keys = keys;
    }

    @Override
    public Object getMemberKeys() {
      return ProxyArray.fromArray((Object[]) keys);
    }

    @Override
    public boolean hasMember(String key) {
      for (String k : keys) {
        if (k.equals(key)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public void putMember(String key, Value value) {
      throw new UnsupportedOperationException("'" + key + "' is read-only");
    }
  }

  /**
   * @param body the phase's whole body when the route asked for bodies, else null (then {@code body} is
   *     {@code undefined}-like null and {@code setBody} is refused)
   */
  static ProxyObject exchange(Exchange exchange, boolean responsePhase, io.vertx.core.buffer.@Nullable Buffer body) {
    return new ReadOnly("id", "routeId", "request", "response", "consumer", "reject", "get", "put") {
      @Override
      public @Nullable Object getMember(String key) {
        return switch (key) {
          case "id" -> exchange.id();
          case "routeId" -> exchange.routeId();
          case "request" -> request(exchange, responsePhase ? null : body);
          case "response" -> responsePhase ? response(exchange, body) : null;
          case "consumer" -> {
            Consumer c = exchange.consumer();
            yield c == null ? null : c.id();
          }
          case "reject" -> (ProxyExecutable) args -> {
            int status = args.length > 0 && args[0].fitsInInt() ? args[0].asInt() : 0;
            String errorKey = args.length > 1 && args[1].isString() ? args[1].asString() : "";
            Rejection r = Rejection.of(status, errorKey);
            if (args.length > 2 && args[2].isString()) {
              r = r.message(args[2].asString());
            }
            if (args.length > 3 && args[3].hasMembers()) {
              for (String name : args[3].getMemberKeys()) {
                Value v = args[3].getMember(name);
                r = r.header(name, v.isString() ? v.asString() : v.toString());
              }
            }
            exchange.reject(r);
            return null;
          };
          case "get" -> (ProxyExecutable) args -> {
            Object v = exchange.get(AttributeKey.of(string(args, 0), Object.class));
            return v instanceof String || v instanceof Number || v instanceof Boolean ? v : v == null ? null : v.toString();
          };
          case "put" -> (ProxyExecutable) args -> {
            Value v = args.length > 1 ? args[1] : null;
            Object stored = v == null || v.isNull() ? null
                : v.isString() ? v.asString()
                : v.isBoolean() ? v.asBoolean()
                : v.fitsInLong() ? (Object) v.asLong()
                : v.isNumber() ? v.asDouble()
                : v.toString();
            if (stored != null) {
              exchange.put(AttributeKey.of(string(args, 0), Object.class), stored);
            }
            return null;
          };
          default -> null;
        };
      }
    };
  }

  private static ProxyObject request(Exchange exchange, io.vertx.core.buffer.@Nullable Buffer body) {
    var req = exchange.request();
    return new ReadOnly("method", "path", "query", "host", "remoteAddress", "pathParams", "header", "setHeader",
        "addHeader", "removeHeader", "queryParam", "body", "setBody") {
      @Override
      public @Nullable Object getMember(String key) {
        return switch (key) {
          case "method" -> req.method().name();
          case "path" -> req.path();
          case "query" -> req.query();
          case "host" -> req.host();
          case "remoteAddress" -> req.remoteAddress();
          case "pathParams" -> ProxyObject.fromMap(Map.copyOf(req.pathParams()));
          case "queryParam" -> (ProxyExecutable) args -> req.queryParams().get(string(args, 0));
          case "body" -> body == null ? null : body.toString();
          case "setBody" -> setBody(body, req.body(), req.headers());
          default -> headerFunction(key, req.headers());
        };
      }
    };
  }

  private static ProxyObject response(Exchange exchange, io.vertx.core.buffer.@Nullable Buffer body) {
    var resp = exchange.response();
    return new ReadOnly("status", "setStatus", "header", "setHeader", "addHeader", "removeHeader", "body", "setBody") {
      @Override
      public @Nullable Object getMember(String key) {
        return switch (key) {
          case "status" -> resp.status();
          case "setStatus" -> (ProxyExecutable) args -> {
            resp.status(args[0].asInt());
            return null;
          };
          case "body" -> body == null ? null : body.toString();
          case "setBody" -> setBody(body, resp.body(), resp.headers());
          default -> headerFunction(key, resp.headers());
        };
      }
    };
  }

  private static ProxyExecutable setBody(
      io.vertx.core.buffer.@Nullable Buffer current, io.sluice.gateway.api.Body target, MultiMap headers) {
    return args -> {
      if (current == null) {
        throw new IllegalStateException("set the policy's maxBodySize to read or replace bodies");
      }
      target.set(io.vertx.core.buffer.Buffer.buffer(string(args, 0)));
      headers.remove("Content-Length");
      return null;
    };
  }

  private static @Nullable Object headerFunction(String key, MultiMap headers) {
    return switch (key) {
      case "header" -> (ProxyExecutable) args -> headers.get(string(args, 0));
      case "setHeader" -> (ProxyExecutable) args -> {
        headers.set(string(args, 0), string(args, 1));
        return null;
      };
      case "addHeader" -> (ProxyExecutable) args -> {
        headers.add(string(args, 0), string(args, 1));
        return null;
      };
      case "removeHeader" -> (ProxyExecutable) args -> {
        headers.remove(string(args, 0));
        return null;
      };
      default -> null;
    };
  }

  static ProxyObject logger(org.slf4j.Logger log, String file) {
    return new ReadOnly("debug", "info", "warn", "error") {
      @Override
      public @Nullable Object getMember(String key) {
        return (ProxyExecutable) args -> {
          String message = args.length == 0 ? "" : text(args[0]);
          switch (key) {
            case "debug" -> log.debug("[{}] {}", file, message);
            case "info" -> log.info("[{}] {}", file, message);
            case "warn" -> log.warn("[{}] {}", file, message);
            default -> log.error("[{}] {}", file, message);
          }
          return null;
        };
      }
    };
  }

  /** Argument {@code i} as a string; an error the script sees when it is missing. */
  static String string(Value[] args, int i) {
    if (args.length <= i || args[i].isNull()) {
      throw new IllegalArgumentException("argument " + (i + 1) + " is required");
    }
    return text(args[i]);
  }

  /**
   * A script value as text. A JS string must be read with {@link Value#asString()}: its {@code toString()} can
   * describe the engine's internal string class ({@code TruffleString}) rather than the characters.
   */
  static String text(Value v) {
    if (v.isString()) {
      return v.asString();
    }
    return v.isNull() ? "null" : v.toString();
  }
}
