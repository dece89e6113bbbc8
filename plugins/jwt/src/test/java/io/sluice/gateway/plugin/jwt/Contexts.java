// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.jwt;

import io.sluice.gateway.api.PolicyContext;
import io.sluice.gateway.api.auth.Consumers;
import io.sluice.gateway.api.cluster.ClusterServices;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;

/** A harness context with the test's own consumers. */
final class Contexts {

  private Contexts() {}

  static PolicyContext withConsumers(PolicyContext base, Consumers consumers) {
    return new PolicyContext() {
      @Override
      public String routeId() {
        return base.routeId();
      }

      @Override
      public Vertx vertx() {
        return base.vertx();
      }

      @Override
      public WebClient httpClient() {
        return base.httpClient();
      }

      @Override
      public ClusterServices cluster() {
        return base.cluster();
      }

      @Override
      public Consumers consumers() {
        return consumers;
      }
    };
  }
}
