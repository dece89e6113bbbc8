// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.cache;

import io.vertx.core.http.HttpServerRequest;

/** How the cache ITs' scripted origins answer: a status, a body and header name/value pairs. */
final class OriginReplies {

  private OriginReplies() {}

  static void respond(HttpServerRequest req, int status, String body, String... headers) {
    var resp = req.response().setStatusCode(status);
    for (int i = 0; i < headers.length; i += 2) {
      resp.headers().add(headers[i], headers[i + 1]);
    }
    resp.end(body);
  }
}
