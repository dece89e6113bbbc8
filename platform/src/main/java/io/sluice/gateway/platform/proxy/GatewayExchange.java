// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import io.sluice.gateway.api.AttributeKey;
import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.Exchange;
import io.sluice.gateway.api.Rejection;
import io.sluice.gateway.api.Request;
import io.sluice.gateway.api.Response;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The policy-facing view of one {@link ProxyExchange}. Event-loop confined. */
final class GatewayExchange implements Exchange {

  private static final Logger log = LoggerFactory.getLogger(GatewayExchange.class);

  private final String id;
  private final String routeId;
  private final GatewayRequest request;
  private final GatewayResponse response;
  private @Nullable Consumer consumer;
  private @Nullable Map<String, Object> attributes;
  private @Nullable Rejection rejection;
  private @Nullable List<Handler<Exchange>> endHandlers;

  GatewayExchange(
      String id, String routeId, HttpServerRequest request, String host, String path,
      Map<String, String> pathParams, long declaredLength, ForwardedHeaders forwarded) {
    this.id = id;
    this.routeId = routeId;
    this.request = new GatewayRequest(
        request, host, path, pathParams, new StreamBody(request, declaredLength), forwarded);
    this.response = new GatewayResponse(request.response().headers());
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String routeId() {
    return routeId;
  }

  @Override
  public GatewayRequest request() {
    return request;
  }

  @Override
  public GatewayResponse response() {
    return response;
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
  public <T> @Nullable T get(AttributeKey<T> key) {
    Object v = attributes == null ? null : attributes.get(key.name());
    return key.type().isInstance(v) ? key.type().cast(v) : null;
  }

  @Override
  public <T> void put(AttributeKey<T> key, T value) {
    if (attributes == null) {
      attributes = new HashMap<>(4);
    }
    attributes.put(key.name(), key.type().cast(value));
  }

  @Override
  public Future<Void> reject(Rejection rejection) {
    if (this.rejection == null) {
      this.rejection = rejection;
    }
    return Future.succeededFuture();
  }

  @Nullable Rejection rejection() {
    return rejection;
  }

  @Override
  public boolean rejected() {
    return rejection != null;
  }

  @Override
  public void onEnd(Handler<Exchange> handler) {
    if (endHandlers == null) {
      endHandlers = new ArrayList<>(2);
    }
    endHandlers.add(handler);
  }

  void fireEnd() {
    List<Handler<Exchange>> handlers = endHandlers;
    endHandlers = null;
    if (handlers == null) {
      return;
    }
    for (Handler<Exchange> h : handlers) {
      try {
        h.handle(this);
      } catch (RuntimeException e) {
        log.error("request {} route {}: an onEnd handler failed", id, routeId, e);
      }
    }
  }

  /** The client's request, for what a policy's upstream request made on its behalf takes from it. */
  HttpServerRequest serverRequest() {
    return request.request;
  }

  /** The request view. */
  static final class GatewayRequest implements Request {
    private final HttpServerRequest request;
    private final String host;
    private final String path;
    private final Map<String, String> pathParams;
    private final StreamBody body;
    private final ForwardedHeaders forwarded;
    private @Nullable String clientAddress;

    GatewayRequest(HttpServerRequest request, String host, String path, Map<String, String> pathParams, StreamBody body,
        ForwardedHeaders forwarded) {
      this.request = request;
      this.host = host;
      this.path = path;
      this.pathParams = pathParams;
      this.body = body;
      this.forwarded = forwarded;
    }

    @Override
    public HttpMethod method() {
      return request.method();
    }

    @Override
    public String path() {
      return path;
    }

    private boolean queryChanged;
    private @Nullable String query;
    private @Nullable MultiMap queryParams;

    @Override
    public @Nullable String query() {
      return queryChanged ? query : request.query();
    }

    @Override
    public void query(@Nullable String query) {
      this.queryChanged = true;
      this.query = query == null || query.isEmpty() ? null : query;
      this.queryParams = null;
    }

    @Override
    public MultiMap queryParams() {
      if (!queryChanged) {
        return request.params();
      }
      if (queryParams == null) {
        MultiMap params = MultiMap.caseInsensitiveMultiMap();
        if (query != null) {
          new io.netty.handler.codec.http.QueryStringDecoder(query, false).parameters()
              .forEach((name, values) -> params.add(name, values));
        }
        queryParams = params;
      }
      return queryParams;
    }

    @Override
    public MultiMap headers() {
      return request.headers();
    }

    @Override
    public Map<String, String> pathParams() {
      return pathParams;
    }

    @Override
    public String host() {
      return host;
    }

    @Override
    public String remoteAddress() {
      String a = ForwardedHeaders.clientAddress(request);
      return a == null ? "" : a;
    }

    /** Resolved on first use (most exchanges never ask) and then kept: every policy sees the same client. */
    @Override
    public String clientAddress() {
      if (clientAddress == null) {
        clientAddress = forwarded.originalClient(request);
      }
      return clientAddress;
    }

    @Override
    public StreamBody body() {
      return body;
    }
  }

  /**
   * The response view: empty until the upstream's head arrives, or until a policy answers. Its headers are the
   * client response's own, so what the upstream sent and the policies changed is copied once, never twice; a
   * problem response clears them first.
   */
  static final class GatewayResponse implements Response {
    private int status = 200;
    private boolean statusSet;
    private final MultiMap headers;
    private final StreamBody body = new StreamBody(null, 0);

    GatewayResponse(MultiMap headers) {
      this.headers = headers;
    }

    @Override
    public int status() {
      return status;
    }

    @Override
    public void status(int status) {
      if (status < 100 || status > 599) {
        throw new IllegalArgumentException("status must be 100..599, was " + status);
      }
      this.status = status;
      this.statusSet = true;
    }

    @Override
    public MultiMap headers() {
      return headers;
    }

    @Override
    public StreamBody body() {
      return body;
    }

    /** Whether a policy set a status or a body (it answered instead of the upstream). */
    boolean answered() {
      return statusSet || body.content() != null;
    }

    void fromUpstream(int upstreamStatus) {
      this.status = upstreamStatus;
    }
  }

}
