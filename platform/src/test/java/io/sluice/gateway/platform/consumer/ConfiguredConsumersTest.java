// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.PolicyContext;
import io.sluice.gateway.api.PolicyFactory;
import io.sluice.gateway.api.Stage;
import io.sluice.gateway.api.auth.Consumers;
import io.sluice.gateway.api.auth.Credential;
import io.sluice.gateway.api.config.ConfigException;
import io.sluice.gateway.platform.config.ConfigLoader;
import io.sluice.gateway.platform.config.GatewayConfig;
import io.sluice.gateway.platform.config.InvalidConfigException;
import io.sluice.gateway.platform.policy.ChainAssembler;
import io.sluice.gateway.platform.policy.PolicyRegistry;
import io.sluice.gateway.platform.policy.RegisteredFactory;
import io.sluice.gateway.platform.route.RouteTable;
import io.sluice.gateway.platform.upstream.UpstreamRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Consumers from YAML: binding of credentials to a mechanism's record, error paths, ids, env secrets. */
class ConfiguredConsumersTest {

  /** A mechanism's credential record. */
  record Key(String key) {
    Key {
      if (key == null || key.length() < 4) {
        throw new ConfigException("key", "must have at least 4 characters");
      }
    }
  }

  private final ConfigLoader loader = new ConfigLoader(Map.of("ALICE_KEY", "from-the-environment")::get);

  private Consumers consumers(String yaml) {
    return new ConfiguredConsumers(loader.parse(yaml, "test").consumers(), loader);
  }

  @Test
  void bindsCredentialsOfAKindToTheMechanismsRecordInConfigurationOrder() {
    Consumers consumers = consumers("""
        consumers:
          - id: alice
            groups: [gold, internal]
            tags: { plan: gold }
            credentials:
              key-auth: [{ key: "${env:ALICE_KEY}" }, { key: second }]
              basic-auth: [{ username: alice }]
          - id: bob
            credentials: { key-auth: [{ key: bobs }] }
          - id: carol
        """);
    assertThat(consumers.all()).extracting(c -> c.id()).containsExactly("alice", "bob", "carol");
    assertThat(consumers.byId("alice").groups()).isEqualTo(Set.of("gold", "internal"));
    assertThat(consumers.byId("alice").tags()).isEqualTo(Map.of("plan", "gold"));
    assertThat(consumers.byId("nobody")).isNull();
    List<Credential<Key>> keys = consumers.credentials("key-auth", Key.class);
    assertThat(keys).extracting(c -> c.consumer().id() + "=" + c.value().key())
        .containsExactly("alice=from-the-environment", "alice=second", "bob=bobs");
    assertThat(consumers.credentials("jwt", Key.class)).isEmpty();
  }

  @Test
  void aCredentialThatDoesNotBindIsReportedWithItsFullPath() {
    Consumers consumers = consumers("""
        consumers:
          - id: alice
            credentials: { key-auth: [{ key: good-one }, { key: abc }] }
          - id: bob
            credentials: { key-auth: [{ kee: typo }] }
        """);
    assertThatThrownBy(() -> consumers.credentials("key-auth", Key.class))
        .isInstanceOf(ConfigException.class)
        .hasMessage("consumers[alice].credentials.key-auth[1].key: must have at least 4 characters");
    Consumers typo = consumers("""
        consumers:
          - id: bob
            credentials: { key-auth: [{ kee: typo }] }
        """);
    assertThatThrownBy(() -> typo.credentials("key-auth", Key.class))
        .hasMessageStartingWith("consumers[bob].credentials.key-auth[0]: unknown key 'kee'");
  }

  @Test
  void theGatewayRefusesTheWholeConfigurationListingCredentialAndConsumerProblemsWithTheOthers() {
    PolicyFactory<Object> reader = new PolicyFactory<>() {
      @Override
      public String type() {
        return "key-auth";
      }

      @Override
      public Stage stage() {
        return Stage.AUTHENTICATE;
      }

      @Override
      public Class<Object> configType() {
        return Object.class;
      }

      @Override
      public Policy create(Object config, PolicyContext context) {
        context.consumers().credentials("key-auth", Key.class);
        return (exchange, chain) -> chain.proceed();
      }
    };
    GatewayConfig config = loader.parse("""
        consumers:
          - id: alice
            credentials: { key-auth: [{ key: abc }] }
          - id: alice
        routes:
          - { id: one, path: /one, upstream: "http://127.0.0.1:1", policies: [{ type: key-auth }] }
          - { id: two, path: /two, upstream: "http://127.0.0.1:1", policies: [{ type: key-auth }],
              authentication: { anonymous: nobody } }
        """, "test");
    Consumers consumers = new ConfiguredConsumers(config.consumers(), loader);
    ChainAssembler assembler = new ChainAssembler(PolicyRegistry.of(List.of(new RegisteredFactory(reader, "test"))),
        loader, (route, type) -> new io.sluice.gateway.platform.policy.RoutePolicyContext(route, null, null, null, consumers),
        consumers);
    InvalidConfigException refused = (InvalidConfigException) org.assertj.core.api.Assertions.catchThrowable(
        () -> RouteTable.compile(config, "test", assembler, new UpstreamRegistry(null)));
    assertThat(refused.getMessage())
        .contains("consumers[1].id: duplicate consumer id 'alice'")
        .contains("consumers[alice].credentials.key-auth[0].key: must have at least 4 characters")
        .contains("routes[two].authentication.anonymous: no consumer 'nobody' in consumers")
        .doesNotContain("routes[one].policies");
  }

  @Test
  void anonymousNeedsModeAny() {
    assertThatThrownBy(() -> loader.parse("""
        routes:
          - { id: r, path: /r, upstream: "http://127.0.0.1:1", authentication: { mode: all, anonymous: guest } }
        """, "test")).hasMessageContaining("routes[r].authentication.anonymous: needs mode: any");
  }
}
