// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.platform.http.TrustedProxies;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code Request.clientAddress()} on real connections: the peer, or the client behind trusted proxies. */
class GatewayExchangeClientAddressTest {

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient client = vertx.createHttpClient();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** What a policy would read on an exchange of a server trusting {@code trusted}. */
  private record Seen(String remote, String client) {}

  private Seen seen(List<String> trusted, @Nullable String forwardedFor) throws InterruptedException {
    return seenLines(trusted, forwardedFor == null ? List.of() : List.of(forwardedFor));
  }

  /** With one {@code X-Forwarded-For} field line per element of {@code forwardedFor}. */
  private Seen seenLines(List<String> trusted, List<String> forwardedFor) throws InterruptedException {
    ForwardedHeaders forwarded = new ForwardedHeaders(TrustedProxies.parse(trusted));
    BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    HttpServer server = vertx.createHttpServer().requestHandler(request -> {
      GatewayExchange exchange = new GatewayExchange("id", "route", request, "localhost", "/", Map.of(), 0, forwarded);
      seen.add(new Seen(exchange.request().remoteAddress(), exchange.request().clientAddress()));
      request.response().end();
    }).listen(0, "127.0.0.1").await();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
        .setPort(server.actualPort()).setURI("/");
    MultiMap lines = MultiMap.caseInsensitiveMultiMap();
    forwardedFor.forEach(line -> lines.add("X-Forwarded-For", line));
    options.setHeaders(lines);
    client.request(options).compose(req -> req.send()).await();
    Seen result = seen.poll(5, TimeUnit.SECONDS);
    server.close().await();
    assertThat(result).as("the server saw the request").isNotNull();
    return result;
  }

  @Test
  void withoutTrustedProxiesTheClientIsThePeerWhateverItWrites() throws Exception {
    Seen seen = seen(List.of(), "203.0.113.5");
    assertThat(seen.remote()).isEqualTo("127.0.0.1");
    assertThat(seen.client()).isEqualTo("127.0.0.1");
  }

  @Test
  void behindTrustedProxiesTheClientIsTheRightMostUntrustedHop() throws Exception {
    List<String> trusted = List.of("127.0.0.0/8", "10.0.0.0/8");
    assertThat(seen(trusted, "203.0.113.5").client()).isEqualTo("203.0.113.5");
    assertThat(seen(trusted, "203.0.113.5, 10.0.0.9").client()).as("through two trusted hops").isEqualTo("203.0.113.5");
    assertThat(seen(trusted, "192.0.2.1, 203.0.113.5, 10.0.0.9").client())
        .as("entries left of the first untrusted hop could be the client's own").isEqualTo("203.0.113.5");
    Seen direct = seen(trusted, null);
    assertThat(direct.client()).as("a trusted peer without the header").isEqualTo("127.0.0.1");
    assertThat(direct.remote()).isEqualTo("127.0.0.1");
  }

  /**
   * A trusted proxy that adds its own line (HAProxy's {@code option forwardfor}) after the client's forged one:
   * the lines are one list (RFC 9110 §5.3), and the right-most untrusted entry is the proxy's, not the forgery.
   */
  @Test
  void behindTrustedProxiesEveryFieldLineCounts() throws Exception {
    List<String> trusted = List.of("127.0.0.0/8");
    assertThat(seenLines(trusted, List.of("6.6.6.6", "203.0.113.9")).client()).isEqualTo("203.0.113.9");
    assertThat(seenLines(trusted, List.of("6.6.6.6, 198.51.100.7", "203.0.113.9, 127.0.0.2")).client())
        .isEqualTo("203.0.113.9");
  }
}
