// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.api.auth.Consumers;
import io.sluice.gateway.testkit.InMemoryClusterServices;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP client policies get from their context: one per gateway, answering on the caller's event loop. */
class PluginHttpClientTest {

  private final Vertx vertx = Vertx.vertx();
  private final Vertx other = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
    other.close().await();
  }

  private static RoutePolicyContext context(String route, Vertx vertx) {
    return new RoutePolicyContext(route, vertx, new InMemoryClusterServices(), Consumers.none());
  }

  @Test
  void everyPolicyOfOneGatewayGetsTheSameClientAndAnotherGatewayItsOwn() {
    assertThat(context("a", vertx).httpClient()).isSameAs(context("b", vertx).httpClient());
    assertThat(context("a", other).httpClient()).isNotSameAs(context("a", vertx).httpClient());
  }

  @Test
  void callsARealServerAndAnswersOnTheCallingEventLoop() {
    HttpServer server = vertx.createHttpServer().requestHandler(r -> r.response().end("hello " + r.path()))
        .listen(0, "127.0.0.1").await();
    WebClient http = context("r", vertx).httpClient();
    Context caller = vertx.getOrCreateContext();
    Promise<String> answer = Promise.promise();
    caller.runOnContext(v -> http.get(server.actualPort(), "127.0.0.1", "/jwks").timeout(5_000).send()
        .onComplete(ar -> {
          if (Vertx.currentContext() != caller) {
            answer.fail(new AssertionError("answered on " + Thread.currentThread().getName()));
          } else if (ar.failed()) {
            answer.fail(ar.cause());
          } else {
            answer.complete(ar.result().bodyAsString());
          }
        }));
    assertThat(answer.future().await()).isEqualTo("hello /jwks");
  }
}
