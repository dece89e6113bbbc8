// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.gateway.api.auth.Consumers;
import io.sluice.gateway.api.AttributeKey;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.PolicyContext;
import io.sluice.gateway.api.config.ConfigException;
import io.sluice.gateway.api.cluster.ClusterServices;
import io.sluice.gateway.testkit.InMemoryClusterServices;
import io.sluice.gateway.testkit.FakeExchange;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JavaScript policies on real GraalJS, without a gateway around them: the sandbox, the time limit, config errors. */
class ScriptPolicyTest {

  private static ScriptEngine engine;
  private static Vertx vertx;
  @TempDir static Path scripts;

  private final List<Policy> created = new ArrayList<>();

  @BeforeAll
  static void startEngine() {
    engine = new ScriptEngine();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopEngine() {
    engine.close();
    vertx.close().await();
  }

  @org.junit.jupiter.api.AfterEach
  void closePolicies() throws Exception {
    for (Policy p : created) {
      ((AutoCloseable) p).close();
    }
  }

  private static final PolicyContext CONTEXT = new PolicyContext() {
    private final ClusterServices cluster = new InMemoryClusterServices().namespaced("script");

    @Override
    public String routeId() {
      return "orders";
    }

    @Override
    public Vertx vertx() {
      return vertx;
    }

    @Override
    public io.vertx.ext.web.client.WebClient httpClient() {
      throw new UnsupportedOperationException("scripts make no HTTP calls");
    }

    @Override
    public Consumers consumers() {
      return Consumers.none();
    }

    @Override
    public ClusterServices cluster() {
      return cluster;
    }
  };

  private Policy policy(String file, String source, Duration timeout, @Nullable String settings) throws Exception {
    Files.writeString(scripts.resolve(file), source);
    ScriptConfig config = new ScriptConfig(file, timeout,
        settings == null ? null : new ObjectMapper().readTree(settings), null);
    Policy p = new ScriptPolicyFactory(() -> engine, scripts, 1).create(config, CONTEXT);
    created.add(p);
    return p;
  }

  private Policy policy(String file, String source) throws Exception {
    return policy(file, source, Duration.ofMillis(200), null);
  }

  /** A chain end that counts how often it is reached. */
  private static final class CountingChain implements Policy.Chain {
    final AtomicInteger proceeded = new AtomicInteger();

    @Override
    public Future<Void> proceed() {
      proceeded.incrementAndGet();
      return Future.succeededFuture();
    }
  }

  @Test
  void theSandboxRefusesHostClassesIoAndOtherLanguages() {
    try (Context context = engine.newContext()) {
      assertThatThrownBy(() -> context.eval("js", "Java.type('java.lang.Runtime').getRuntime()"))
          .isInstanceOf(PolyglotException.class);
      assertThatThrownBy(() -> context.eval("js", "load('/etc/hostname')")).isInstanceOf(PolyglotException.class);
      assertThatThrownBy(() -> context.eval("js", "Polyglot.eval('python', '1')")).isInstanceOf(PolyglotException.class);
      context.getBindings("js").putMember("host", new java.util.ArrayList<String>());
      assertThat(context.eval("js", "typeof host.size").asString()).as("a Java object shows no members")
          .isEqualTo("undefined");
      assertThat(context.eval("js", "typeof process + ' ' + typeof require").asString()).isEqualTo("undefined undefined");
      assertThat(context.eval("js", "1 + 1").asInt()).as("the context still works").isEqualTo(2);
    }
  }

  @Test
  void aScriptReachingForTheHostFailsItsRequestWithScriptError() throws Exception {
    Policy p = policy("host.js", "function onRequest(exchange) { Java.type('java.lang.System').exit(1); }");
    FakeExchange exchange = FakeExchange.request(io.vertx.core.http.HttpMethod.GET, "/orders/1").routeId("orders");
    CountingChain chain = new CountingChain();
    assertThat(p.apply(exchange, chain).succeeded()).isTrue();
    assertThat(exchange.rejection().status()).isEqualTo(500);
    assertThat(exchange.rejection().key()).isEqualTo("SCRIPT_ERROR");
    assertThat(chain.proceeded).hasValue(0);
  }

  @Test
  void aCallPastItsLimitIsInterruptedAndTheContextServesTheNextCall() throws Exception {
    Policy p = policy("loop.js", """
        let calls = 0;
        function onRequest(exchange) {
          calls++;
          if (calls === 1) { while (true) {} }
          exchange.put('calls', calls);
        }
        """, Duration.ofMillis(50), null);
    FakeExchange first = FakeExchange.request(io.vertx.core.http.HttpMethod.GET, "/orders/1").routeId("orders");
    CountingChain chain = new CountingChain();
    long start = System.nanoTime();
    assertThat(p.apply(first, chain).succeeded()).isTrue();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("not before the limit")
        .isGreaterThanOrEqualTo(50);
    assertThat(first.rejection().key()).isEqualTo("SCRIPT_TIMEOUT");
    assertThat(first.rejection().status()).isEqualTo(500);
    assertThat(chain.proceeded).hasValue(0);

    FakeExchange second = FakeExchange.request(io.vertx.core.http.HttpMethod.GET, "/orders/1").routeId("orders");
    assertThat(p.apply(second, chain).succeeded()).isTrue();
    assertThat(second.rejected()).isFalse();
    assertThat(second.get(AttributeKey.of("calls", Object.class))).as("the same context, state kept").isEqualTo(2L);
    assertThat(chain.proceeded).hasValue(1);
  }

  @Test
  void aScriptRejectsWithStatusKeyMessageAndHeaders() throws Exception {
    Policy p = policy("gate.js", """
        function onRequest(exchange) {
          if (exchange.get('tenant') !== config.allowed) {
            exchange.reject(403, 'TENANT_FORBIDDEN', 'not for ' + exchange.routeId, { 'X-Why': 'tenant' });
          }
        }
        """, Duration.ofMillis(200), "{\"allowed\":\"acme\"}");
    FakeExchange refused = FakeExchange.request(io.vertx.core.http.HttpMethod.GET, "/orders/1").routeId("orders");
    refused.put(AttributeKey.of("tenant", Object.class), "other");
    CountingChain chain = new CountingChain();
    p.apply(refused, chain);
    assertThat(refused.rejection().status()).isEqualTo(403);
    assertThat(refused.rejection().key()).isEqualTo("TENANT_FORBIDDEN");
    assertThat(refused.rejection().message()).isEqualTo("not for orders");
    assertThat(refused.rejection().headers().get("X-Why")).isEqualTo("tenant");
    assertThat(chain.proceeded).hasValue(0);

    FakeExchange allowed = FakeExchange.request(io.vertx.core.http.HttpMethod.GET, "/orders/1").routeId("orders");
    allowed.put(AttributeKey.of("tenant", Object.class), "acme");
    p.apply(allowed, chain);
    assertThat(allowed.rejected()).isFalse();
    assertThat(chain.proceeded).hasValue(1);
  }

  @Test
  void onResponseRunsAfterTheRestOfTheChainAndNotAfterARejection() throws Exception {
    Policy p = policy("after.js", "function onResponse(exchange) { exchange.put('after', 'yes'); }");
    FakeExchange exchange = FakeExchange.request(io.vertx.core.http.HttpMethod.GET, "/orders/1").routeId("orders");
    List<String> order = new ArrayList<>();
    p.apply(exchange, () -> {
      order.add("proceeded, onResponse not yet run: " + (exchange.get(AttributeKey.of("after", Object.class)) == null));
      return Future.succeededFuture();
    });
    assertThat(order).containsExactly("proceeded, onResponse not yet run: true");
    assertThat(exchange.get(AttributeKey.of("after", Object.class))).isEqualTo("yes");

    FakeExchange rejectedLater = FakeExchange.request(io.vertx.core.http.HttpMethod.GET, "/orders/1").routeId("orders");
    p.apply(rejectedLater, () -> rejectedLater.reject(io.sluice.gateway.api.Rejection.of(401, "NO")));
    assertThat(rejectedLater.get(AttributeKey.of("after", Object.class))).as("no response to act on").isNull();
  }

  @Test
  void configErrorsNameTheFieldAndTheFile() throws Exception {
    assertThatThrownBy(() -> new ScriptConfig(" ", null, null, null))
        .isInstanceOf(ConfigException.class).hasMessage("file: is required (a .js file in the policies directory)");
    assertThatThrownBy(() -> new ScriptConfig("../etc/x.js", null, null, null))
        .hasMessage("file: '../etc/x.js' must be a path inside the policies directory");
    assertThatThrownBy(() -> new ScriptConfig("a.js", Duration.ZERO, null, null))
        .hasMessage("timeout: must be between 1ms and 10s");
    assertThatThrownBy(() -> new ScriptConfig("a.js", Duration.ofSeconds(11), null, null))
        .hasMessage("timeout: must be between 1ms and 10s");
    assertThat(new ScriptConfig("a.js", null, null, null).timeout()).isEqualTo(Duration.ofMillis(50));

    ScriptPolicyFactory factory = new ScriptPolicyFactory(() -> engine, scripts, 1);
    assertThatThrownBy(() -> factory.create(new ScriptConfig("missing.js", null, null, null), CONTEXT))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("file: 'missing.js' does not exist (looked for ");

    assertThatThrownBy(() -> policy("broken.js", "function onRequest(exchange) {\n  let = ;\n}"))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).path()).isEqualTo("file"))
        .hasMessageContaining("broken.js:2:")
        .hasMessageContaining("SyntaxError");

    assertThatThrownBy(() -> policy("nothing.js", "const x = 1;"))
        .hasMessage("file: 'nothing.js' defines neither onRequest(exchange) nor onResponse(exchange)");
  }
}
