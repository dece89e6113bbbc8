// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.testpolicies;

import io.sluice.gateway.api.NoConfig;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.PolicyContext;
import io.sluice.gateway.api.PolicyFactory;
import io.sluice.gateway.api.RouteUpstream;
import io.sluice.gateway.api.Stage;
import io.sluice.gateway.api.UpstreamUnavailableException;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import org.pf4j.Extension;

/**
 * Test policy: answers each request itself with what {@code context.upstream()} got for a GET of the request's own
 * path and query (or {@code X-Send-Uri}), with the request's headers, on behalf of the exchange (or as the
 * gateway's own request with {@code X-Send-Own}); {@code X-Send-Max} bounds the body. The answer is 200 with
 * {@code X-Sent-Status} and the upstream's body, or {@code X-Sent-Failure} with the failure's key.
 */
@Extension
public final class SendPolicyFactory implements PolicyFactory<NoConfig> {

  @Override
  public String type() {
    return "send";
  }

  @Override
  public Stage stage() {
    return Stage.CACHE;
  }

  @Override
  public Class<NoConfig> configType() {
    return NoConfig.class;
  }

  @Override
  public Policy create(NoConfig config, PolicyContext context) {
    RouteUpstream upstream = context.upstream();
    return (exchange, chain) -> {
      MultiMap in = exchange.request().headers();
      String query = exchange.request().query();
      String uri = in.contains("X-Send-Uri") ? in.get("X-Send-Uri")
          : query == null ? exchange.request().path() : exchange.request().path() + "?" + query;
      long max = in.contains("X-Send-Max") ? Long.parseLong(in.get("X-Send-Max")) : 1 << 20;
      var sent = in.contains("X-Send-Own")
          ? upstream.send(HttpMethod.GET, uri, in, max)
          : upstream.send(exchange, HttpMethod.GET, uri, in, max);
      return sent.transform(ar -> {
        exchange.response().status(200);
        if (ar.succeeded()) {
          exchange.response().headers().set("X-Sent-Status", String.valueOf(ar.result().status()));
          exchange.response().body().set(ar.result().body());
        } else {
          Throwable t = ar.cause();
          exchange.response().headers().set("X-Sent-Failure",
              t instanceof UpstreamUnavailableException u ? u.key() : t.toString());
          exchange.response().body().set(Buffer.buffer());
        }
        return io.vertx.core.Future.<Void>succeededFuture();
      });
    };
  }
}
