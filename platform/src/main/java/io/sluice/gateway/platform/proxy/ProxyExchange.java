// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.Rejection;
import io.sluice.gateway.platform.edge.GuardedRequest;
import io.sluice.gateway.platform.edge.Http1Guard;
import io.sluice.gateway.platform.edge.Refusal;
import io.sluice.gateway.platform.exchange.ExchangeListener;
import io.sluice.gateway.platform.exchange.FinishedExchange;
import io.sluice.gateway.platform.http.HeaderNames;
import io.sluice.gateway.platform.policy.ChainRun;
import io.sluice.gateway.platform.policy.ChainTimer;
import io.sluice.gateway.platform.policy.PolicyFailure;
import io.sluice.gateway.platform.http.ProblemResponse;
import io.sluice.gateway.platform.http.RequestIds;
import io.sluice.gateway.platform.route.InvalidPathException;
import io.sluice.gateway.platform.route.Route;
import io.sluice.gateway.platform.route.RouteLookup;
import io.sluice.gateway.platform.route.RouteTable;
import io.sluice.gateway.platform.tracing.ExchangeSpan;
import io.sluice.gateway.platform.tracing.Tracing;
import io.sluice.gateway.platform.upstream.Target;
import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.streams.Pipe;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request through the proxy, from the client's request head to the last byte of the response. Runs
 * entirely on the event loop of the connection; never blocks.
 *
 * <p>Request path: screen header names, normalise the path, look up the route, check the declared body size,
 * run the route's policy chain, whose end is a {@link ChainEnd} (the {@link UpstreamCall}: targets, retries, the
 * request body).
 * Response path: the chain again, backwards, then the status, end-to-end headers and body streamed back.
 * Every failure before the response head is written becomes a problem response; after it, the client
 * connection is reset (the status line is already gone). The exchange's deadlines (policy time limit,
 * response head, stream idle) are checked by {@link ExchangeDeadlines}.
 */
final class ProxyExchange implements ChainTimer, Completable<Void> {

  private static final Logger log = LoggerFactory.getLogger(ProxyExchange.class);
  static final CharSequence TRACEPARENT = HttpHeaders.createOptimized("traceparent");
  static final CharSequence TRACESTATE = HttpHeaders.createOptimized("tracestate");
  private static final CharSequence CACHE_STATUS = HttpHeaders.createOptimized("cache-status");
  private static final CharSequence RATE_LIMIT_REMAINING = HttpHeaders.createOptimized("ratelimit-remaining");

  private final ProxyHandler proxy;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final long startNanos = System.nanoTime();
  private final String requestId;

  private @Nullable Route route;
  private @Nullable String path;
  private @Nullable Pipe<Buffer> responsePipe;
  private @Nullable IdleWatch idleWatch;
  private @Nullable GatewayExchange exchange;
  /** The end of the chain, once the policies proceeded to it. */
  private @Nullable ChainEnd call;
  private @Nullable RoutingSnapshot snapshot;
  /** The policy chain's time limit ({@link ChainTimer}), checked with the other deadlines. */
  private boolean chainArmed;
  private long chainDeadline;
  private @Nullable Runnable chainExpired;
  /** Links of {@link ExchangeDeadlines}' list of exchanges it checks. */
  boolean timed;
  @Nullable ProxyExchange prevTimed;
  @Nullable ProxyExchange nextTimed;
  private boolean logged;
  /** What the HTTP/1 edge decided about this request's head (null for HTTP/2). */
  private @Nullable GuardedRequest guarded;
  /** Whether the response was written to its end (its end handler ran). */
  private boolean ended;
  /** The key of the problem this exchange was answered with, or of why it was cut short (access log). */
  private @Nullable String errorKey;
  /** Close the client connection after this response (a refused head, a broken body, ambiguous framing). */
  private boolean closeConnection;
  /** Method and target the access log shows for a refused head (the request Vert.x saw stands in for it). */
  private @Nullable String refusedMethod;
  private @Nullable String refusedTarget;
  /** This exchange's trace; null when tracing is off or the head was refused before routing. */
  private @Nullable ExchangeSpan span;

  ProxyExchange(ProxyHandler proxy, HttpServerRequest request) {
    this.proxy = proxy;
    this.request = request;
    this.response = request.response();
    this.requestId = RequestIds.fromHeaderOrNew(request.getHeader(RequestIds.HEADER));
  }

  void start() {
    try {
      route();
    } catch (RuntimeException e) {
      internalError(e);
    }
  }

  /** A bug, not an upstream or client problem: log it once with its stack trace and answer 500. */
  void internalError(Throwable e) {
    log.error("request {} route {}: internal error", requestId, route, e);
    if (call != null) {
      call.cancel();
    }
    reject(500, "INTERNAL_ERROR", "the gateway failed to handle the request", null);
  }

  /** Answers a request that was refused before it could be routed (see {@link ProxyHandler#invalidRequest}). */
  void startRefused(Refusal refusal) {
    listen();
    Http1Guard.take(request); // keeps the guard's queue in step with the requests Vert.x delivers
    refuse(refusal, null, null);
  }

  private void listen() {
    response.putHeader(RequestIds.HEADER, requestId);
    response.endHandler(v -> {
      ended = true;
      if (idleWatch != null) {
        idleWatch.stop();
      }
      finish(false);
    });
    response.closeHandler(v -> onClientClosed());
  }

  /** A refusal of the edge: answered with its problem, logged with what could be read, the connection closed. */
  private void refuse(Refusal refusal, @Nullable String method, @Nullable String target) {
    refusedMethod = method;
    refusedTarget = target;
    closeConnection = request.version() != HttpVersion.HTTP_2;
    reject(refusal.status(), refusal.key(), refusal.detail(), null);
  }

  /** The chunked body the edge was passing on is malformed: the rest will never come. */
  private void bodyFramingFailed(Refusal refusal) {
    closeConnection = true;
    ChainEnd c = call;
    if (c != null && c.body() == null) {
      c.abort(new UpstreamFailure(refusal.status(), refusal.key(), refusal.detail()));
      return;
    }
    if (c != null) {
      c.cancel();
    }
    reject(refusal.status(), refusal.key(), refusal.detail(), null);
  }

  private void route() {
    listen();
    startTrace();
    GuardedRequest g = Http1Guard.take(request);
    guarded = g;
    if (g != null) {
      Refusal refused = g.refusal();
      if (refused != null) {
        refuse(refused, g.method(), g.target());
        return;
      }
      if (g.bodyLength() != 0) {
        g.onBodyError(this::bodyFramingFailed);
      }
    } else if (request.version() != HttpVersion.HTTP_2 && request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
      // No edge guard (an h2c listener): the framing of a chunked request was not checked byte by byte, so the
      // connection is not reused after it (RFC 9112 §6.1 asks the same of Transfer-Encoding with Content-Length).
      closeConnection = true;
    }
    if (!proxy.methods.allows(request.method())) {
      reject(501, "METHOD_NOT_IMPLEMENTED", "the gateway does not accept the method " + request.method().name(), null);
      return;
    }
    String underscored = HeaderNames.firstWithUnderscore(request.headers());
    if (underscored != null) {
      reject(400, "HEADER_NAME_INVALID", "header names with underscores are not accepted: " + underscored, null);
      return;
    }
    try {
      path = proxy.normalizer.normalize(request.path());
    } catch (InvalidPathException e) {
      reject(400, e.key(), e.getMessage(), null);
      return;
    }
    RoutingSnapshot snapshot = proxy.routing.get();
    snapshot.enter();
    this.snapshot = snapshot;
    RouteTable table = snapshot.routes();
    String host = host();
    RouteLookup lookup =
        table.lookup(host, request.method(), path, request.headers(), table.usesQuery() ? request.params() : null);
    if (lookup instanceof RouteLookup.MethodNotAllowed m) {
      MultiMap allow = MultiMap.caseInsensitiveMultiMap()
          .add(HttpHeaders.ALLOW, m.allowed().stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", ")));
      reject(405, "METHOD_NOT_ALLOWED", "the route does not accept " + request.method().name(), allow);
      return;
    }
    if (!(lookup instanceof RouteLookup.Found found)) {
      reject(404, "ROUTE_NOT_FOUND", "no route for " + request.method().name() + " " + path, null);
      return;
    }
    route = found.route();
    long declared = declaredLength();
    if (declared > route.maxBodySize()) {
      reject(413, "BODY_TOO_LARGE", "the request body is larger than " + route.maxBodySize() + " bytes", null);
      return;
    }
    if (declared != 0) {
      // Policies run before the body moves: hold it until the upstream call (or a policy) reads it.
      request.pause();
    }
    GatewayExchange ex = new GatewayExchange(requestId, route.id(), request, host, path, found.captures(), declared, proxy.forwarded);
    exchange = ex;
    Route r = route;
    Future<Void> done = r.chain().isEmpty()
        ? callUpstream(found.captures(), declared)
        : traced(new ChainRun(r.chain(), r.id(), ex, () -> callUpstream(found.captures(), declared),
            this, r.timeouts().policy().toMillis())).run();
    done.onComplete(this); // complete(): a Completable is taken as it is, a Handler would get a wrapper
  }

  /** Takes or starts the exchange's trace when tracing is on (docs/observability.md#tracing). */
  private void startTrace() {
    Tracing tracing = proxy.tracing;
    if (tracing != null) {
      span = tracing.start(request.getHeader(TRACEPARENT), request.getHeader(TRACESTATE), startNanos);
      tracing.respond(span, response);
    }
  }

  /** The chain run, reporting its policies' spans when the trace is recorded. */
  private ChainRun traced(ChainRun run) {
    ExchangeSpan s = span;
    return s != null && s.recording() ? run.spans(s) : run;
  }

  /** This exchange's trace, null when tracing is off (the upstream call propagates it). */
  @Nullable ExchangeSpan span() {
    return span;
  }

  /** The end of the chain (the route's kind picks it); completes when the response head is in (body paused). */
  private Future<Void> callUpstream(Map<String, String> captures, long declaredLength) {
    ChainEnd c = ChainEnd.forRoute(route).create(this, proxy, request, route, exchange, requestId, path);
    call = c;
    return c.start(captures, declaredLength);
  }

  /** The chain is done: decides what the client gets. */
  @Override
  public void complete(@Nullable Void result, @Nullable Throwable failure) {
    try {
      GatewayExchange ex = exchange;
      if (failure != null) {
        chainFailed(failure);
      } else if (ex.rejected()) {
        discardUpstream();
        Rejection rejection = ex.rejection();
        reject(rejection.status(), rejection.key(), rejection.message(), rejection.headers());
      } else if (call != null && call.body() != null) {
        relay(call, call.body());
      } else if (ex.response().answered()) {
        answer(ex.response());
      } else {
        chainFailed(new IllegalStateException("the chain completed without proceeding, rejecting or answering"));
      }
    } catch (RuntimeException e) {
      internalError(e);
    }
  }

  private void chainFailed(Throwable cause) {
    if (cause instanceof ChainRun.EndFailure e) {
      upstreamFailed(e.getCause());
      return;
    }
    if (route.chain().isEmpty()) {
      upstreamFailed(cause); // without policies the upstream call is the whole chain
      return;
    }
    discardUpstream();
    if (cause instanceof io.sluice.gateway.api.BodyTooLargeException e) {
      reject(413, "BODY_TOO_LARGE", e.getMessage(), null);
      return;
    }
    if (cause instanceof PolicyFailure f) {
      log.error("request {} route {}: {}", requestId, route, f.getMessage(), f.getCause());
    } else {
      log.error("request {} route {}: policy chain failed", requestId, route, cause);
    }
    reject(500, "POLICY_ERROR", "a policy failed while handling the request", null);
  }

  /** Drops an upstream response that will not be used. */
  private void discardUpstream() {
    ChainEnd c = call;
    if (c != null && c.body() != null) {
      c.cancel();
    }
  }

  /** Sends a response a policy produced itself (a cache hit, a CORS preflight). */
  private void answer(GatewayExchange.GatewayResponse answered) {
    if (response.closed() || response.headWritten()) {
      return;
    }
    Buffer body = answered.body().content();
    response.setStatusCode(answered.status());
    response.headers().set(RequestIds.HEADER, requestId); // the answer's own headers are already there
    if (body == null) {
      body = Buffer.buffer();
    }
    framing(response.headers(), answered.status(), body);
    answered.body().sentWhole(body);
    // A policy answered without reading the request body: the rest of it would stall the connection (its next
    // request waits behind it), so the connection closes after the answer, as after a rejection.
    boolean close = bodyUnread();
    if (close) {
      response.headers().set(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
    response.end(body).onComplete(v -> {
      if (close) {
        request.connection().close();
      }
    });
  }

  /** Whether an HTTP/1 request body is still (partly) unread: its connection cannot serve another request. */
  private boolean bodyUnread() {
    return request.version() != HttpVersion.HTTP_2 && !request.isEnded() && declaredLength() != 0;
  }

  /**
   * {@code Content-Length} of a whole body the gateway sends: none on a 204 or 304, which have no content and
   * whose {@code Content-Length} may only repeat the 200's (RFC 9110 §8.6): a cache's 304 must not say 0.
   */
  private static void framing(MultiMap headers, int status, Buffer body) {
    if (noContent(status)) {
      headers.remove(HttpHeaders.CONTENT_LENGTH);
    } else {
      headers.set(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length()));
    }
  }

  private String host() {
    HostAndPort authority = request.authority();
    if (authority == null) {
      return "";
    }
    String h = authority.host();
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    for (int i = 0; i < h.length(); i++) {
      char c = h.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        return h.toLowerCase(Locale.ROOT);
      }
    }
    return h;
  }

  /**
   * The request body's length, -1 when it streams a body of unknown length, 0 when it has none: as the HTTP/1
   * edge computed it, never read again from the client's headers; for HTTP/2 (and a listener without the
   * guard) from the headers, {@code Transfer-Encoding} first.
   */
  private long declaredLength() {
    GuardedRequest g = guarded;
    if (g != null) {
      return g.bodyLength();
    }
    if (request.version() != HttpVersion.HTTP_2) {
      String te = request.getHeader(HttpHeaders.TRANSFER_ENCODING);
      if (te != null) {
        return -1;
      }
    }
    String cl = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (cl != null) {
      try {
        return Long.parseLong(cl.trim());
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    if (request.version() == HttpVersion.HTTP_2) {
      return request.isEnded() ? 0 : -1;
    }
    return 0;
  }

  @Override
  public void arm(long millis, Runnable expired) {
    chainDeadline = System.nanoTime() + millis * 1_000_000;
    chainExpired = expired;
    chainArmed = true;
    proxy.deadlines.add(this);
  }

  @Override
  public void disarm() {
    chainArmed = false;
    chainExpired = null;
  }

  /**
   * Called by {@link ExchangeDeadlines} on its tick: fires the policy chain's time limit, the upstream call's
   * response-head timeout and the stream idle timeout when they have passed.
   */
  void checkDeadlines(long now) {
    Runnable expired = chainExpired;
    if (chainArmed && expired != null && now - chainDeadline >= 0) {
      disarm();
      expired.run();
    }
    ChainEnd c = call;
    if (c != null) {
      c.checkDeadline(now);
    }
    IdleWatch w = idleWatch;
    if (w != null && w.expired(now)) {
      onStreamIdle(route.timeouts().idle().toMillis());
    }
  }

  private void relay(ChainEnd end, ReadStream<Buffer> upstream) {
    if (response.closed() || response.headWritten()) {
      end.cancel();
      return;
    }
    GatewayExchange.GatewayResponse view = exchange.response();
    response.setStatusCode(view.status());
    MultiMap headers = response.headers(); // the view's headers: the upstream's and the policies' changes
    headers.set(RequestIds.HEADER, requestId);
    if (closeConnection) {
      headers.set(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
    Buffer whole = view.body().content();
    if (whole != null) {
      headers.remove(HttpHeaders.TRANSFER_ENCODING);
      framing(headers, view.status(), whole);
      view.body().sentWhole(whole);
      response.end(whole);
      if (!view.body().consumed()) {
        drop(end, upstream);
      }
      return;
    }
    if (view.body().consumed()) {
      end.cancel();
      reject(500, "POLICY_ERROR", "a policy read the response body but did not finish", null);
      return;
    }
    boolean unknownLength = request.version() != HttpVersion.HTTP_2 && !headers.contains(HttpHeaders.CONTENT_LENGTH);
    // An HTTP/1.0 client cannot read chunks: a body of unknown length ends where the connection does (RFC 9112
    // §6.3), as nginx does it. Vert.x would announce keep-alive to a client that asked for it, so it is replaced.
    boolean closeAfterBody = unknownLength && request.version() == HttpVersion.HTTP_1_0 && hasBody(view.status());
    if (closeAfterBody) {
      response.headersEndHandler(v -> response.headers().set(HttpHeaders.CONNECTION, HttpHeaders.CLOSE));
    } else if (unknownLength) {
      response.setChunked(true);
    }
    IdleWatch watch = idleWatch();
    // endOnFailure(false): a body cut short upstream must reach the client as a reset, never as a normal end.
    Pipe<Buffer> pipe = watch.watch(view.body().sending(upstream)).pipe().endOnFailure(false);
    responsePipe = pipe;
    watch.start();
    pipe.to(response).onComplete((v, err) -> { // one Completable: neither a wrapper nor a listener list
      watch.stop();
      if (err == null) {
        if (closeAfterBody) {
          request.connection().close();
        }
        return;
      }
      if (!response.ended()) {
        log.debug("request {} route {}: response stream aborted: {}", requestId, route, err.toString());
        if (errorKey == null) {
          errorKey = "RESPONSE_ABORTED";
        }
        response.reset();
      }
      end.cancel();
    });
  }

  /** Whether a response with {@code status} to this request has a body (RFC 9110 §6.4.1). */
  private boolean hasBody(int status) {
    return request.method() != HttpMethod.HEAD && status >= 200 && !noContent(status);
  }

  /** 204 and 304: final statuses whose responses have no content (RFC 9110 §6.4.1). */
  private static boolean noContent(int status) {
    return status == 204 || status == 304;
  }

  /**
   * Drops an upstream body a policy replaced without reading it: one that is empty or small (a 304 a cache
   * revalidated with, a 5xx it answered stale for) is read and thrown away so that the connection goes back to
   * the pool; a large or unknown one is reset.
   */
  private static void drop(ChainEnd end, ReadStream<Buffer> upstream) {
    if (upstream instanceof io.vertx.core.http.HttpClientResponse r) {
      int status = r.statusCode();
      String length = r.getHeader(HttpHeaders.CONTENT_LENGTH);
      long declared = -1;
      try {
        declared = length == null ? -1 : Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        declared = -1;
      }
      if (noContent(status) || (declared >= 0 && declared <= 64 * 1024)) {
        r.exceptionHandler(err -> {});
        r.handler(chunk -> {});
        r.resume();
        return;
      }
    }
    end.cancel();
  }

  private void upstreamFailed(Throwable cause) {
    if (idleWatch != null) {
      idleWatch.stop();
    }
    ChainEnd c = call;
    c.stopTimers();
    c.end();
    if (response.closed()) {
      return;
    }
    if (response.headWritten()) {
      response.reset();
      return;
    }
    UpstreamFailure failure = c.failure(cause);
    log.debug("request {} route {} target {}: {}", requestId, route, c.target(), cause.toString());
    MultiMap headers = null;
    if (failure.retryAfterSeconds() > 0) {
      headers = MultiMap.caseInsensitiveMultiMap().add(HttpHeaders.RETRY_AFTER, String.valueOf(failure.retryAfterSeconds()));
    }
    reject(failure.status(), failure.key(), failure.detail(), headers);
  }

  /** The exchange's stream idle timeout, created on first use. */
  IdleWatch idleWatch() {
    IdleWatch w = idleWatch;
    if (w == null) {
      long ms = route.timeouts().idle().toMillis();
      w = new IdleWatch(ms);
      idleWatch = w;
      proxy.deadlines.add(this);
    }
    return w;
  }

  private void onStreamIdle(long ms) {
    log.debug("request {} route {}: no body traffic for {}ms, aborting", requestId, route, ms);
    ChainEnd c = call;
    if (!response.headWritten()) {
      if (c != null) {
        c.abort(new UpstreamFailure(504, "UPSTREAM_TIMEOUT", "no data from the upstream for " + ms + "ms"));
      }
    } else {
      Pipe<Buffer> pipe = responsePipe;
      if (pipe != null) {
        pipe.close();
      }
      errorKey = "UPSTREAM_TIMEOUT";
      response.reset();
      if (c != null) {
        c.cancel();
      }
    }
  }

  private void onClientClosed() {
    if (idleWatch != null) {
      idleWatch.stop();
    }
    if (errorKey == null && !ended) {
      errorKey = "CLIENT_CLOSED";
    }
    Pipe<Buffer> pipe = responsePipe;
    if (pipe != null) {
      // Stop feeding a response that can no longer be written (chunks may still be queued).
      pipe.close();
    }
    ChainEnd c = call;
    if (c != null) {
      if (!response.ended()) {
        c.cancel();
      }
      c.stopTimers();
    }
    finish(true);
  }

  /**
   * Answers with a problem document. A request body that was not read closes an HTTP/1.x connection after
   * the response, since the next request on it would start in the middle of that body.
   */
  private void reject(int status, String key, String detail, @Nullable MultiMap headers) {
    if (response.closed() || response.headWritten()) {
      if (!response.ended()) {
        response.reset();
      }
      return;
    }
    // The upstream's headers and the policies' changes are on the response already: none belongs to a problem.
    response.headers().clear();
    response.putHeader(RequestIds.HEADER, requestId);
    errorKey = key;
    boolean close = closeConnection || bodyUnread();
    if (close) {
      response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
    ProblemResponse.send(response, status, key, detail, requestId, headers).onComplete(v -> {
      if (close) {
        request.connection().close();
      }
    });
  }

  /**
   * The exchange is over (its response ended, or the client went away): releases what it holds and tells the
   * exchange listeners, once.
   */
  private void finish(boolean aborted) {
    if (logged) {
      return;
    }
    logged = true;
    if (exchange != null) {
      exchange.response().body().endCopy();
      exchange.request().body().endCopy();
      exchange.fireEnd();
    }
    if (guarded != null) {
      guarded.onBodyError(null);
    }
    proxy.deadlines.remove(this);
    ChainEnd c = call;
    if (c != null) {
      c.end();
    }
    if (snapshot != null) {
      snapshot.exit();
    }
    ExchangeListener listener = proxy.exchanges;
    ExchangeSpan trace = span;
    if (listener == null && trace == null) {
      return;
    }
    Target target = c == null ? null : c.target();
    boolean readsHeaders = listener != null && listener.readsResponseHeaders();
    String agent = refusedMethod == null && refusedTarget == null ? request.getHeader(HttpHeaders.USER_AGENT) : null;
    FinishedExchange finished = new FinishedExchange(
        System.currentTimeMillis(),
        requestId,
        route == null ? null : route.id(),
        refusedMethod != null ? refusedMethod : request.method().name(),
        refusedTarget != null ? refusedTarget : path != null ? path : request.path(),
        ended ? response.getStatusCode() : 0,
        errorKey,
        request.bytesRead(),
        response.bytesWritten(),
        target == null ? null : target.authority(),
        c == null ? 0 : c.retries(),
        System.nanoTime() - startNanos,
        c == null ? -1 : c.headLatencyNanos(),
        ForwardedHeaders.clientAddress(request),
        agent == null || agent.length() <= 256 ? agent : agent.substring(0, 256),
        aborted && !ended,
        consumerId(),
        trace == null ? null : trace.traceId(),
        readsHeaders ? lastValue(response.headers(), CACHE_STATUS) : null,
        readsHeaders ? response.headers().get(RATE_LIMIT_REMAINING) : null);
    if (listener != null) {
      listener.finished(finished);
    }
    if (trace != null) {
      trace.end(finished);
    }
  }

  /**
   * The last value of a response header (the cache closest to the client is the last {@code Cache-Status}
   * member, RFC 9211 §2), null without one; a list is built only when the header is there.
   */
  private static @Nullable String lastValue(MultiMap headers, CharSequence name) {
    if (!headers.contains(name)) {
      return null;
    }
    java.util.List<String> all = headers.getAll(name);
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  private @Nullable String consumerId() {
    GatewayExchange ex = exchange;
    if (ex == null) {
      return null;
    }
    Consumer consumer = ex.consumer();
    return consumer == null ? null : consumer.id();
  }

}
