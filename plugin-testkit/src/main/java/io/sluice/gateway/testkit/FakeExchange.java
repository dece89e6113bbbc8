// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.testkit;

import io.sluice.gateway.api.AttributeKey;
import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.Exchange;
import io.sluice.gateway.api.Rejection;
import io.sluice.gateway.api.Request;
import io.sluice.gateway.api.Response;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An exchange built in a test, with the same semantics as the gateway's: headers are mutable, rejections are
 * recorded (the first wins), {@link #end()} runs the {@code onEnd} handlers.
 *
 * <pre>{@code
 * FakeExchange exchange = FakeExchange.request(HttpMethod.GET, "/orders?page=2")
 *     .header("X-Api-Key", "k1").remoteAddress("10.0.0.7");
 * }</pre>
 *
 * <p>{@link Request#clientAddress()} is what the gateway resolves through its trusted proxies; here it is
 * the remote address unless a test sets it with {@link #clientAddress(String)} (a client behind a proxy).
 */
public final class FakeExchange implements Exchange {

  private final String id = "test-request-id";
  private String routeId = "test-route";
  private final FakeRequest request;
  private final FakeResponse response = new FakeResponse();
  private @Nullable Consumer consumer;
  private final Map<String, Object> attributes = new HashMap<>();
  private @Nullable Rejection rejection;
  private final List<Handler<Exchange>> endHandlers = new ArrayList<>();

  private FakeExchange(FakeRequest request) {
    this.request = request;
  }

  /** A request without a body; {@code uri} may carry a query string. */
  public static FakeExchange request(HttpMethod method, String uri) {
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    String query = q < 0 ? null : uri.substring(q + 1);
    return new FakeExchange(new FakeRequest(method, path, query));
  }

  public FakeExchange header(String name, String value) {
    request.headers.add(name, value);
    return this;
  }

  /** The connection's peer; also the client address unless {@link #clientAddress(String)} says otherwise. */
  public FakeExchange remoteAddress(String address) {
    request.remoteAddress = address;
    return this;
  }

  /**
   * The client address as the gateway would have resolved it through trusted proxies, for a client behind a
   * load balancer: {@code .remoteAddress("10.0.0.2").clientAddress("203.0.113.5")}.
   */
  public FakeExchange clientAddress(String address) {
    request.clientAddress = address;
    return this;
  }

  public FakeExchange host(String host) {
    request.host = host;
    return this;
  }

  public FakeExchange pathParam(String name, String value) {
    request.pathParams.put(name, value);
    return this;
  }

  public FakeExchange routeId(String routeId) {
    this.routeId = routeId;
    return this;
  }

  /** A body; {@code declaredLength} is what {@code Content-Length} would say (-1 for chunked). */
  public FakeExchange body(String text, long declaredLength) {
    request.body = new FakeBody(Buffer.buffer(text), declaredLength);
    return this;
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
  public FakeRequest request() {
    return request;
  }

  @Override
  public FakeResponse response() {
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
    Object v = attributes.get(key.name());
    return key.type().isInstance(v) ? key.type().cast(v) : null;
  }

  @Override
  public <T> void put(AttributeKey<T> key, T value) {
    attributes.put(key.name(), value);
  }

  @Override
  public Future<Void> reject(Rejection rejection) {
    if (this.rejection == null) {
      this.rejection = rejection;
    }
    return Future.succeededFuture();
  }

  @Override
  public boolean rejected() {
    return rejection != null;
  }

  /** The rejection, or null when the policy did not reject. */
  public @Nullable Rejection rejection() {
    return rejection;
  }

  @Override
  public void onEnd(Handler<Exchange> handler) {
    endHandlers.add(handler);
  }

  /** Runs the {@code onEnd} handlers, as the gateway does after the last byte. */
  public void end() {
    endHandlers.forEach(h -> h.handle(this));
  }

  /** The request view. */
  public static final class FakeRequest implements Request {
    private final HttpMethod method;
    private final String path;
    private @Nullable String query;
    private final MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    private final Map<String, String> pathParams = new LinkedHashMap<>();
    private String host = "localhost";
    private String remoteAddress = "127.0.0.1";
    private @Nullable String clientAddress;
    private FakeBody body = new FakeBody(Buffer.buffer(), 0);

    FakeRequest(HttpMethod method, String path, @Nullable String query) {
      this.method = method;
      this.path = path;
      this.query = query;
    }

    @Override
    public HttpMethod method() {
      return method;
    }

    @Override
    public String path() {
      return path;
    }

    @Override
    public @Nullable String query() {
      return query;
    }

    @Override
    public void query(@Nullable String query) {
      this.query = query == null || query.isEmpty() ? null : query;
    }

    @Override
    public MultiMap queryParams() {
      MultiMap params = MultiMap.caseInsensitiveMultiMap();
      if (query != null) {
        for (String pair : query.split("&")) {
          int eq = pair.indexOf('=');
          String k = eq < 0 ? pair : pair.substring(0, eq);
          String v = eq < 0 ? "" : pair.substring(eq + 1);
          params.add(decode(k), decode(v));
        }
      }
      return params;
    }

    private static String decode(String s) {
      return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public MultiMap headers() {
      return headers;
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
      return remoteAddress;
    }

    @Override
    public String clientAddress() {
      return clientAddress != null ? clientAddress : remoteAddress;
    }

    @Override
    public FakeBody body() {
      return body;
    }
  }

  /** The response view. */
  public static final class FakeResponse implements Response {
    private int status = 200;
    private final MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    private final FakeBody body = new FakeBody(Buffer.buffer(), 0);

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
    }

    @Override
    public MultiMap headers() {
      return headers;
    }

    @Override
    public FakeBody body() {
      return body;
    }
  }
}
