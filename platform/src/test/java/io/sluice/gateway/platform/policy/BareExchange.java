// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.policy;

import io.sluice.gateway.api.AttributeKey;
import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.Exchange;
import io.sluice.gateway.api.Rejection;
import io.sluice.gateway.api.Request;
import io.sluice.gateway.api.Response;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The least exchange a chain can run over: an id, attributes and a rejection, no HTTP. The chain itself never
 * looks at the request or response, and neither do the policies and scripts of the unit tests that use it
 * ({@code plugin-testkit}'s {@code FakeExchange} depends on the platform, so the platform's tests cannot).
 */
public final class BareExchange implements Exchange {

  private final Map<AttributeKey<?>, Object> attributes = new HashMap<>();
  private @Nullable Consumer consumer;
  private @Nullable Rejection rejection;

  @Override
  public String id() {
    return "exchange-1";
  }

  @Override
  public String routeId() {
    return "orders";
  }

  @Override
  public Request request() {
    throw new UnsupportedOperationException("no HTTP request in a chain unit test");
  }

  @Override
  public Response response() {
    throw new UnsupportedOperationException("no HTTP response in a chain unit test");
  }

  @Override
  public @Nullable Consumer consumer() {
    return consumer;
  }

  @Override
  public void consumer(Consumer consumer) {
    this.consumer = consumer;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> @Nullable T get(AttributeKey<T> key) {
    return (T) attributes.get(key);
  }

  @Override
  public <T> void put(AttributeKey<T> key, T value) {
    attributes.put(key, value);
  }

  @Override
  public Future<Void> reject(Rejection rejection) {
    this.rejection = rejection;
    return Future.succeededFuture();
  }

  /** The rejection a policy made, or null. */
  public @Nullable Rejection rejection() {
    return rejection;
  }

  @Override
  public boolean rejected() {
    return rejection != null;
  }

  @Override
  public void onEnd(Handler<Exchange> handler) {}
}
