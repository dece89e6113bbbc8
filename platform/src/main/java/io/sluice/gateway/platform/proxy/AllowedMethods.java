// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import io.vertx.core.http.HttpMethod;
import java.util.List;

/**
 * The request methods the listener accepts ({@code server.allowedMethods}); others are answered 501
 * {@code METHOD_NOT_IMPLEMENTED} before routing. Method names are case-sensitive (RFC 9110 §9.1): {@code get}
 * is not {@code GET}.
 */
final class AllowedMethods {

  private final HttpMethod[] methods;

  AllowedMethods(List<String> names) {
    this.methods = names.stream().map(HttpMethod::valueOf).toArray(HttpMethod[]::new);
  }

  boolean allows(HttpMethod method) {
    String name = method.name();
    for (HttpMethod m : methods) {
      if (m.name().equals(name)) {
        return true;
      }
    }
    return false;
  }
}
