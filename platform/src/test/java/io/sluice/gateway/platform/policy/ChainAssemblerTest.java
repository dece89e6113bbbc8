// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.gateway.api.auth.Consumers;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.PolicyContext;
import io.sluice.gateway.api.PolicyFactory;
import io.sluice.gateway.api.Stage;
import io.sluice.gateway.api.cluster.ClusterServices;
import io.sluice.gateway.api.config.ConfigException;
import io.sluice.gateway.platform.config.ConfigLoader;
import io.sluice.gateway.platform.config.PolicyConfig;
import io.sluice.gateway.platform.config.SecretMask;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Chains built from configuration against a registry of real factories: order, binding, errors and their paths. */
class ChainAssemblerTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx = Vertx.vertx();
  private final List<String> contexts = new ArrayList<>();
  private final List<String> closed = new ArrayList<>();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** @param name shown in the chain; {@code limit} must be positive when given; {@code apiKey} is a secret */
  record Settings(String name, @Nullable Integer limit, @Nullable String apiKey) {
    Settings {
      if (name == null || name.isBlank()) {
        throw new ConfigException("name", "is required");
      }
      if (limit != null && limit <= 0) {
        throw new ConfigException("limit", "must be > 0");
      }
    }
  }

  /** A policy that can be closed, as script policies are. */
  final class Closeable implements Policy, AutoCloseable {
    private final String name;

    Closeable(String name) {
      this.name = name;
    }

    @Override
    public Future<Void> apply(io.sluice.gateway.api.Exchange exchange, Chain chain) {
      return chain.proceed();
    }

    @Override
    public void close() {
      closed.add(name);
    }
  }

  /** A factory of {@code type} in {@code stage}; {@code create} decides what it makes of the bound settings. */
  private PolicyFactory<Settings> factory(String type, Stage stage, java.util.function.Function<Settings, Policy> create) {
    return new PolicyFactory<>() {
      @Override
      public String type() {
        return type;
      }

      @Override
      public Stage stage() {
        return stage;
      }

      @Override
      public Class<Settings> configType() {
        return Settings.class;
      }

      @Override
      public Policy create(Settings config, PolicyContext context) {
        return create.apply(config);
      }
    };
  }

  private PolicyFactory<Settings> plain(String type, Stage stage) {
    return factory(type, stage, s -> new Closeable(s.name()));
  }

  private PolicyRegistry registry() {
    return PolicyRegistry.of(List.of(
        new RegisteredFactory(plain("screen", Stage.SCREEN), "builtin"),
        new RegisteredFactory(plain("auth", Stage.AUTHENTICATE), "auth-plugin"),
        new RegisteredFactory(plain("transform", Stage.TRANSFORM), "builtin"),
        new RegisteredFactory(factory("null", Stage.LIMIT, s -> null), "builtin"),
        new RegisteredFactory(factory("refusing", Stage.LIMIT, s -> {
          throw new IllegalArgumentException("no " + s.name());
        }), "builtin"),
        new RegisteredFactory(factory("validating", Stage.LIMIT, s -> {
          throw new ConfigException("name", "is taken");
        }), "builtin")));
  }

  private ChainAssembler assembler() {
    return new ChainAssembler(registry(), new ConfigLoader(), (route, type) -> {
      contexts.add(route + "/" + type);
      return new PolicyContext() {
        @Override
        public String routeId() {
          return route;
        }

        @Override
        public Vertx vertx() {
          return vertx;
        }

        @Override
        public io.vertx.ext.web.client.WebClient httpClient() {
          throw new UnsupportedOperationException("these factories make no calls");
        }

        @Override
        public Consumers consumers() {
          return Consumers.none();
        }

        @Override
        public ClusterServices cluster() {
          throw new UnsupportedOperationException("these factories use no cluster state");
        }
      };
    });
  }

  private static PolicyConfig policy(String type, String json) {
    return policy(type, null, json);
  }

  private static PolicyConfig policy(String type, @Nullable Stage stage, String json) {
    try {
      JsonNode node = json == null ? null : JSON.readTree(json);
      return new PolicyConfig(type, stage, node);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> names(PolicyChain chain) {
    return chain.entries().stream().map(e -> e.stage() + " " + e.type() + " " + e.config().get("name").asText()).toList();
  }

  @Test
  void ordersByStageAndKeepsConfigurationOrderWithinAStage() {
    PolicyChain chain = assembler().assemble("orders",
        List.of(policy("transform", "{\"name\":\"g1\"}"), policy("auth", "{\"name\":\"g2\"}")),
        List.of(policy("screen", "{\"name\":\"r1\"}"), policy("transform", "{\"name\":\"r2\"}"),
            policy("auth", "{\"name\":\"r3\"}")));
    assertThat(names(chain)).containsExactly(
        "SCREEN screen r1", "AUTHENTICATE auth g2", "AUTHENTICATE auth r3", "TRANSFORM transform g1",
        "TRANSFORM transform r2");
    assertThat(chain.get(1).source()).isEqualTo("auth-plugin");
    assertThat(contexts).as("each policy created once, with its route's context")
        .containsExactly("orders/transform", "orders/auth", "orders/screen", "orders/transform", "orders/auth");
  }

  @Test
  void anEntrysStageOverridesItsFactorysDefault() {
    PolicyChain chain = assembler().assemble("orders", List.of(),
        List.of(policy("screen", "{\"name\":\"first\"}"), policy("screen", Stage.CACHE, "{\"name\":\"last\"}"),
            policy("transform", "{\"name\":\"middle\"}")));
    assertThat(names(chain)).containsExactly("SCREEN screen first", "TRANSFORM transform middle", "CACHE screen last");
  }

  @Test
  void noPoliciesIsTheEmptyChain() {
    assertThat(assembler().assemble("orders", List.of(), List.of())).isSameAs(PolicyChain.EMPTY);
    assertThat(contexts).isEmpty();
  }

  @Test
  void theShownConfigHasDefaultsAndMasksSecrets() {
    PolicyChain chain = assembler().assemble("orders", List.of(),
        List.of(policy("auth", "{\"name\":\"keys\",\"apiKey\":\"s3cret\"}")));
    JsonNode shown = chain.get(0).config();
    assertThat(shown.get("apiKey").asText()).isEqualTo(SecretMask.MASK);
    assertThat(shown.has("limit")).as("unset fields shown too").isTrue();
    assertThat(shown.toString()).doesNotContain("s3cret");
  }

  @Test
  void everyBadEntryIsReportedWithItsPathGlobalAndLocalApart() {
    ChainAssembler.ChainProblems problems = catchThrowableOfType(ChainAssembler.ChainProblems.class,
        () -> assembler().assemble("orders",
            List.of(policy("screen", "{\"name\":\"ok\"}"), policy("screen", "{\"name\":\"x\",\"colour\":\"red\"}")),
            List.of(policy("nope", "{}"), policy("transform", "{\"name\":\"fine\"}"),
                policy("auth", "{\"name\":\"a\",\"limit\":0}"), policy("auth", null))));
    assertThat(problems.global()).extracting(Throwable::getMessage).containsExactly(
        "policies[1].config: unknown key 'colour' (known: apiKey, limit, name)");
    assertThat(problems.local()).extracting(Throwable::getMessage).containsExactly(
        "policies[0].type: unknown policy type 'nope' (known: auth, null, refusing, screen, transform, validating)",
        "policies[2].config.limit: must be > 0",
        "policies[3].config.name: is required");
    assertThat(closed).as("the policies already created for the refused chain are closed")
        .containsExactlyInAnyOrder("ok", "fine");
  }

  @Test
  void aFactoryThatReturnsNothingOrThrowsIsAConfigErrorAtItsEntry() {
    ChainAssembler.ChainProblems problems = catchThrowableOfType(ChainAssembler.ChainProblems.class,
        () -> assembler().assemble("orders", List.of(), List.of(
            policy("null", "{\"name\":\"n\"}"),
            policy("refusing", "{\"name\":\"this\"}"),
            policy("validating", "{\"name\":\"v\"}"))));
    assertThat(problems.global()).isEmpty();
    assertThat(problems.local()).extracting(Throwable::getMessage).containsExactly(
        "policies[0].config: factory of 'null' returned no policy",
        "policies[1].config: policy 'refusing' refused it: java.lang.IllegalArgumentException: no this",
        "policies[2].config.name: is taken");
  }

  @Test
  void aRegistryRefusesTwoFactoriesOfOneTypeAndNamesBoth() {
    assertThatThrownBy(() -> PolicyRegistry.of(List.of(
        new RegisteredFactory(plain("cors", Stage.SCREEN), "builtin"),
        new RegisteredFactory(plain("cors", Stage.SCREEN), "my-cors"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("policy type 'cors' is provided by both builtin and my-cors");
    PolicyRegistry base = PolicyRegistry.of(List.of(new RegisteredFactory(plain("b", Stage.SCREEN), "builtin")));
    assertThat(base.plus(List.of(new RegisteredFactory(plain("a", Stage.SCREEN), "p"))).knownTypes()).isEqualTo("a, b");
    assertThat(PolicyRegistry.EMPTY.knownTypes()).isEqualTo("none");
    assertThatThrownBy(() -> base.plus(List.of(new RegisteredFactory(plain("b", Stage.SCREEN), "p"))))
        .hasMessageContaining("both builtin and p");
  }
}
