// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import io.sluice.gateway.api.Rejection;
import io.sluice.gateway.platform.http.HeaderNameSet;
import io.sluice.gateway.platform.http.HeaderNames;
import io.sluice.gateway.platform.policy.ChainRun;
import io.sluice.gateway.platform.policy.ChainTimer;
import io.sluice.gateway.platform.policy.PolicyFailure;
import io.sluice.gateway.platform.http.JsonText;
import io.sluice.gateway.platform.http.ProblemResponse;
import io.sluice.gateway.platform.http.RequestIds;
import io.sluice.gateway.platform.route.InvalidPathException;
import io.sluice.gateway.platform.route.Route;
import io.sluice.gateway.platform.route.RouteLookup;
import io.sluice.gateway.platform.route.RouteTable;
import io.sluice.gateway.platform.upstream.Attempt;
import io.sluice.gateway.platform.upstream.Outcome;
import io.sluice.gateway.platform.upstream.Target;
import io.sluice.gateway.platform.upstream.Upstream;
import java.util.concurrent.TimeoutException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.streams.Pipe;
import io.vertx.core.streams.ReadStream;
import java.time.Instant;
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
 * then connect and stream the body upstream with back-pressure. Response path: copy the status and
 * end-to-end headers, stream the body back. Every failure before the response head is written becomes a
 * problem response; after it, the client connection is reset (the status line is already gone).
 */
final class ProxyExchange implements ChainTimer {

  private static final Logger log = LoggerFactory.getLogger(ProxyExchange.class);

  /** Request headers the proxy sets itself rather than copying (lower-case). */
  /** Request headers not copied upstream: hop-by-hop ones, and those the proxy sets itself. */
  private static final HeaderNameSet NOT_COPIED_UPSTREAM = HopByHopHeaders.FIXED.plus(
      "host", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "forwarded", "via", "x-request-id", "expect");

  /** Response headers not copied to the client: hop-by-hop ones, and {@code Via}, which the proxy extends. */
  private static final HeaderNameSet NOT_COPIED_DOWNSTREAM = HopByHopHeaders.FIXED.plus("via");

  /** Marks a request without a body (compared by identity). */
  private static final Buffer EMPTY = Buffer.buffer(0);

  private final ProxyHandler proxy;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final long startNanos = System.nanoTime();
  private final String requestId;

  private @Nullable Route route;
  private @Nullable String path;
  private @Nullable Target target;
  private @Nullable HttpClientRequest upstreamRequest;
  private @Nullable Pipe<Buffer> responsePipe;
  private @Nullable IdleWatch idleWatch;
  private @Nullable GatewayExchange exchange;
  private @Nullable HttpClientResponse upstreamResponse;
  private final Promise<Void> upstreamHead = Promise.promise();
  private @Nullable RoutingSnapshot snapshot;
  private long upstreamStartNanos;
  private long upstreamHeadNanos;
  /** Whether the current attempt's response head is awaited, until {@link #responseDeadline}. */
  private boolean awaitingHead;
  private long responseDeadline;
  private long responseWaitMillis;
  private boolean responseWaitIsTotal;
  /** The policy chain's time limit ({@link ChainTimer}), checked with the other deadlines. */
  private boolean chainArmed;
  private long chainDeadline;
  private @Nullable Runnable chainExpired;
  /** Links of {@link ExchangeDeadlines}' list of exchanges it checks. */
  boolean timed;
  @Nullable ProxyExchange prevTimed;
  @Nullable ProxyExchange nextTimed;
  /** {@code System.nanoTime()} by which the response head must be in ({@code timeouts.total}). */
  private long deadline;
  private long retryTimer = -1;
  private @Nullable Attempt attempt;
  /** The last attempt whose outcome (response head or failure) has been handled. */
  private @Nullable Attempt settled;
  private int retries;
  private @Nullable String hashKey;
  private String upstreamUri = "";
  /** The body every attempt sends ({@link #EMPTY} for none); null while it streams from the client. */
  private @Nullable Buffer replayBody;
  private boolean bodyStreamed;
  /** The first chunk of an HTTP/2 body of unknown length, read while finding out whether there is one. */
  private @Nullable Buffer bodyPrefix;
  private long declared;
  private @Nullable UpstreamFailure lastFailure;
  private @Nullable UpstreamFailure abortedWith;
  private boolean logged;

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
  private void internalError(Throwable e) {
    log.error("request {} route {}: internal error", requestId, route, e);
    if (upstreamRequest != null) {
      upstreamRequest.reset();
    }
    reject(500, "INTERNAL_ERROR", "the gateway failed to handle the request", null);
  }

  private void route() {
    response.putHeader(RequestIds.HEADER, requestId);
    response.endHandler(v -> {
      if (idleWatch != null) {
        idleWatch.stop();
      }
      logExchange(false);
    });
    response.closeHandler(v -> onClientClosed());

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
    RouteLookup lookup =
        table.lookup(host(), request.method(), path, request.headers(), table.usesQuery() ? request.params() : null);
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
    GatewayExchange ex = new GatewayExchange(requestId, route.id(), request, host(), path, found.captures(), declared);
    exchange = ex;
    Route r = route;
    Future<Void> done = r.chain().isEmpty()
        ? callUpstream(found.captures(), declared)
        : new ChainRun(r.chain(), r.id(), ex, () -> callUpstream(found.captures(), declared), ex::rejected,
            this, r.timeouts().policy().toMillis()).run();
    done.onComplete(this::chainDone);
  }

  /** The end of the chain: calls the upstream; completes when its response head is in (body paused). */
  private Future<Void> callUpstream(Map<String, String> captures, long declaredLength) {
    forward(captures, declaredLength);
    return upstreamHead.future();
  }

  /** Decides what the client gets once the chain is done. */
  private void chainDone(io.vertx.core.AsyncResult<Void> ar) {
    try {
      GatewayExchange ex = exchange;
      if (ar.failed()) {
        chainFailed(ar.cause());
      } else if (ex.rejected()) {
        discardUpstream();
        Rejection rejection = ex.rejection();
        reject(rejection.status(), rejection.key(), rejection.message(), rejection.headers());
      } else if (upstreamResponse != null) {
        relay(upstreamResponse);
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
    if (cause instanceof ChainRun.UpstreamCallFailure u) {
      upstreamFailed(u.getCause());
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

  /** Drops an upstream exchange whose response will not be used. */
  private void discardUpstream() {
    HttpClientRequest up = upstreamRequest;
    if (up != null && upstreamResponse != null) {
      up.reset();
    }
  }

  /** Sends a response a policy produced itself (a cache hit, a CORS preflight). */
  private void answer(GatewayExchange.GatewayResponse answered) {
    if (response.closed() || response.headWritten()) {
      return;
    }
    Buffer body = answered.body().content();
    response.setStatusCode(answered.status());
    response.headers().addAll(answered.headers());
    response.headers().set(RequestIds.HEADER, requestId);
    if (body == null) {
      body = Buffer.buffer();
    }
    response.headers().set(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length()));
    response.end(body);
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

  /** The request's Content-Length, -1 when it streams a body of unknown length, 0 when it has none. */
  private long declaredLength() {
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
    String te = request.getHeader(HttpHeaders.TRANSFER_ENCODING);
    return te != null && HopByHopHeaders.listsToken(te, "chunked") ? -1 : 0;
  }

  /** The first attempt: decides whether the request body can be replayed, then picks a target. */
  private void forward(Map<String, String> captures, long declaredLength) {
    Route r = route;
    Upstream u = r.upstream();
    declared = declaredLength;
    String query = request.query();
    String upstreamPath = r.upstreamPath(path, captures);
    upstreamUri = query == null ? upstreamPath : upstreamPath + "?" + query;
    hashKey = u.hashes() ? u.hashKey(request, proxy.forwarded.originalClient(request), path) : null;
    Buffer replaced = exchange.request().body().content();
    if (replaced != null) {
      replayBody = replaced;
    } else if (declaredLength == 0) {
      replayBody = EMPTY;
    } else if (declaredLength > 0
        && !exchange.request().body().consumed()
        && declaredLength <= Math.min(u.retries().maxBodySize(), exchange.request().body().limit())
        && u.retries().retriesAfterSending(request.method())) {
      // Small enough to hold: read it whole so that a retry can send it again.
      if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
        response.writeContinue();
      }
      request.body().onComplete(body -> {
        if (body.failed()) {
          upstreamHead.tryFail(new ChainRun.UpstreamCallFailure(body.cause()));
        } else {
          replayBody = body.result();
          startAttempt();
        }
      });
      request.resume();
      return;
    } else if (declaredLength < 0 && request.version() == HttpVersion.HTTP_2 && !exchange.request().body().consumed()) {
      peekBody();
      return;
    }
    startAttempt();
  }

  /**
   * An HTTP/2 request without {@code Content-Length} may still have no body at all (a GET whose HEADERS
   * frame ended the stream, but whose end Vert.x reports a moment later). Find out before connecting: a
   * request without a body stays replayable and never reaches an HTTP/1.1 upstream as
   * {@code Transfer-Encoding: chunked}; a real body's first chunk is kept and sent ahead of the rest.
   */
  private void peekBody() {
    boolean[] decided = {false};
    idleWatch().start();
    request.exceptionHandler(err -> {
      if (!decided[0]) {
        decided[0] = true;
        upstreamHead.tryFail(new ChainRun.UpstreamCallFailure(err));
      }
    });
    request.endHandler(v -> {
      if (!decided[0]) {
        decided[0] = true;
        declared = 0;
        replayBody = EMPTY;
        startAttempt();
      }
    });
    request.handler(first -> {
      if (decided[0]) {
        return;
      }
      decided[0] = true;
      request.pause();
      request.handler(null);
      request.endHandler(null);
      request.exceptionHandler(null);
      bodyPrefix = first;
      startAttempt();
    });
    request.resume();
  }

  /** Picks a target (another one than the last attempt's when there is one) and connects to it. */
  private void startAttempt() {
    Upstream u = route.upstream();
    Attempt previous = attempt;
    Attempt a = u.begin(hashKey, previous);
    if (a == null) {
      UpstreamFailure failure = previous == null || lastFailure == null
          ? UpstreamFailure.noHealthyTarget(u.name(), u.retryAfterSeconds())
          : lastFailure;
      abortedWith = failure;
      upstreamHead.tryFail(new ChainRun.UpstreamCallFailure(new IllegalStateException(failure.detail())));
      return;
    }
    attempt = a;
    target = a.target();
    abortedWith = null;
    upstreamRequest = null;
    if (previous == null) {
      deadline = System.nanoTime() + route.timeouts().total().toNanos();
    }
    RequestOptions options = u.address(new RequestOptions(), a.target())
        .setMethod(request.method())
        .setURI(upstreamUri)
        .setConnectTimeout(Math.min(route.timeouts().connect().toMillis(), remainingMillis()))
        .setFollowRedirects(false);
    upstreamStartNanos = System.nanoTime();
    proxy.client.request(options).onComplete(ar -> {
      try {
        if (attempt != a) {
          if (ar.succeeded()) {
            ar.result().reset();
          }
          return;
        }
        connected(ar, a);
      } catch (RuntimeException e) {
        internalError(e);
      }
    });
  }

  private void connected(io.vertx.core.AsyncResult<HttpClientRequest> ar, Attempt a) {
    Route r = route;
    if (ar.failed()) {
      attemptFailed(a, UpstreamFailure.outcome(ar.cause(), true), ar.cause());
      return;
    }
    HttpClientRequest up = ar.result();
    if (response.closed()) {
      up.reset();
      return;
    }
    upstreamRequest = up;
    // Failures surface through up.response(); this only keeps Vert.x from logging them a second time.
    up.exceptionHandler(err -> {});
    MultiMap headers = up.headers();
    HopByHopHeaders.copy(request.headers(), headers, NOT_COPIED_UPSTREAM);
    proxy.forwarded.apply(request, headers);
    headers.set(RequestIds.HEADER, requestId);
    if (r.preserveHost() && request.authority() != null) {
      up.authority(request.authority());
    } else if (r.upstreamHost() != null) {
      up.authority(HostAndPort.parseAuthority(r.upstreamHost(), -1));
    }
    up.response().onComplete(res -> {
      if (attempt != a) {
        return;
      }
      if (res.succeeded()) {
        headArrived(res.result(), a);
      } else {
        attemptFailed(a, UpstreamFailure.outcome(res.cause(), false), res.cause());
      }
    });
    Buffer replay = replayBody;
    if (replay != null) {
      if (replay != EMPTY || declared != 0) {
        headers.remove(HttpHeaders.TRANSFER_ENCODING);
        headers.set(HttpHeaders.CONTENT_LENGTH, String.valueOf(replay.length()));
      }
      (replay == EMPTY ? up.end() : up.end(replay)).onSuccess(v -> startResponseTimer(a));
      return;
    }
    if (exchange.request().body().consumed()) {
      // A policy is still reading the body (its future did not complete before it proceeded).
      abortUpstream(new UpstreamFailure(500, "POLICY_ERROR", "the request body was read but not finished"));
      return;
    }
    long declaredLength = declared;
    if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
      response.writeContinue();
    }
    // From here on the request body streams from the client: it cannot be sent a second time.
    bodyStreamed = true;
    long cap = Math.min(r.maxBodySize(), exchange.request().body().limit());
    if (bodyPrefix != null) {
      cap -= bodyPrefix.length();
      if (cap < 0) {
        abortUpstream(new UpstreamFailure(413, "BODY_TOO_LARGE", "the request body is larger than " + (cap + bodyPrefix.length()) + " bytes"));
        return;
      }
    }
    ReadStream<Buffer> body = declaredLength < 0 || declaredLength > cap
        ? new LimitedBody(request, cap, limit -> abortedWith = new UpstreamFailure(
            413, "BODY_TOO_LARGE", "the request body is larger than " + limit + " bytes"))
        : request;
    body = idleWatch().watch(body);
    idleWatch().start();
    if (declaredLength >= 0) {
      pipeBody(body, up, a);
    } else {
      up.setChunked(true);
      Buffer first = bodyPrefix;
      if (first != null) {
        up.write(first);
      }
      pipeBody(body, up, a);
    }
  }

  private void pipeBody(ReadStream<Buffer> body, HttpClientRequest up, Attempt a) {
    body.pipe().endOnFailure(false).to(up).onComplete(piped -> {
      if (piped.succeeded()) {
        startResponseTimer(a);
      } else if (abortedWith != null) {
        abortUpstream(abortedWith);
      } else {
        // The client went away mid-body: never let the upstream see a truncated body as complete.
        up.reset();
      }
    });
  }

  /**
   * Once the request is sent: the attempt's response head must arrive within {@code timeouts.response}, and
   * the exchange's within {@code timeouts.total} (one timer for both: whichever ends first).
   */
  private void startResponseTimer(Attempt a) {
    if (attempt != a || upstreamHeadNanos != 0 || response.closed()) {
      return;
    }
    long perAttempt = route.timeouts().response().toNanos();
    long now = System.nanoTime();
    long remaining = deadline - now;
    responseWaitIsTotal = remaining <= perAttempt;
    responseWaitMillis = Math.max(1, Math.min(perAttempt, remaining) / 1_000_000);
    responseDeadline = now + Math.min(perAttempt, remaining);
    awaitingHead = true;
    proxy.deadlines.add(this);
  }

  private void cancelResponseTimer() {
    awaitingHead = false;
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
   * Called by {@link ExchangeDeadlines} on its tick: fires the policy chain's time limit, the response-head
   * timeout (of the attempt, or of {@code timeouts.total}) and the stream idle timeout when they have passed.
   */
  void checkDeadlines(long now) {
    Runnable expired = chainExpired;
    if (chainArmed && expired != null && now - chainDeadline >= 0) {
      disarm();
      expired.run();
    }
    Attempt a = attempt;
    if (awaitingHead && now - responseDeadline >= 0) {
      awaitingHead = false;
      if (a != null && upstreamHeadNanos == 0) {
        if (responseWaitIsTotal) {
          totalTimeout(a);
        } else {
          String detail = "the upstream did not answer within " + responseWaitMillis + "ms";
          abortedWith = new UpstreamFailure(504, "UPSTREAM_TIMEOUT", detail);
          attemptFailed(a, Outcome.TIMEOUT, new TimeoutException(detail));
        }
      }
    }
    IdleWatch w = idleWatch;
    if (w != null && w.expired(now)) {
      onStreamIdle(route.timeouts().idle().toMillis());
    }
  }

  /** Milliseconds left of {@code timeouts.total} (at least 1). */
  private long remainingMillis() {
    return Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
  }

  /** {@code timeouts.total} has passed without a response head: no more attempts. */
  private void totalTimeout(Attempt a) {
    route.upstream().record(a, Outcome.TIMEOUT, 0);
    settled = a;
    abortUpstream(new UpstreamFailure(504, "UPSTREAM_TIMEOUT",
        "no response from the upstream within " + route.timeouts().total().toMillis() + "ms"));
  }

  private void cancelTimers() {
    cancelResponseTimer();
    if (retryTimer >= 0) {
      proxy.vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
  }

  /**
   * An attempt ended without a usable response head: count it against the target, then retry on another
   * target when the retry policy, the budget, the body and the clock allow; otherwise the client gets the
   * failure.
   */
  private void attemptFailed(Attempt a, Outcome outcome, Throwable cause) {
    if (attempt != a || settled == a) {
      // Resetting a failed attempt's request fails its response too: that second failure is not news.
      return;
    }
    settled = a;
    Upstream u = route.upstream();
    cancelResponseTimer();
    u.record(a, outcome, 0);
    u.end(a);
    HttpClientRequest up = upstreamRequest;
    if (up != null) {
      up.reset();
    }
    UpstreamFailure failure = abortedWith != null ? abortedWith : UpstreamFailure.classify(cause);
    lastFailure = failure;
    log.debug("request {} route {} target {} attempt {}: {}", requestId, route, a.target(), a.number() + 1, cause.toString());
    if (mayRetry(a, outcome, 0)) {
      retryAfterPause(a);
      return;
    }
    abortedWith = failure;
    upstreamHead.tryFail(new ChainRun.UpstreamCallFailure(cause));
  }

  /** Whether a failed attempt may be tried again (takes a retry from the budget when it may). */
  private boolean mayRetry(Attempt a, Outcome outcome, int status) {
    Upstream u = route.upstream();
    boolean bodyIntact = replayBody != null || !bodyStreamed;
    return System.nanoTime() - deadline < 0
        && !response.closed()
        && a.number() < u.retries().attempts()
        && u.retries().retries(outcome, status, request.method())
        && bodyIntact
        && u.tryRetry();
  }

  private void retryAfterPause(Attempt failed) {
    retries++;
    long pause = route.upstream().retries().backoffMillis(failed.number() + 1);
    if (pause >= remainingMillis()) {
      abortedWith = new UpstreamFailure(504, "UPSTREAM_TIMEOUT",
          "no response from the upstream within " + route.timeouts().total().toMillis() + "ms");
      upstreamHead.tryFail(new ChainRun.UpstreamCallFailure(new TimeoutException(abortedWith.detail())));
      return;
    }
    if (pause <= 0) {
      startAttempt();
      return;
    }
    retryTimer = proxy.vertx.setTimer(pause, id -> {
      retryTimer = -1;
      if (response.closed()) {
        upstreamHead.tryFail(new ChainRun.UpstreamCallFailure(new IllegalStateException("client gone")));
      } else {
        startAttempt();
      }
    });
  }

  /**
   * Drops a response that will not be relayed: a small body is read and thrown away so that the connection
   * goes back to the pool; a large or unknown one is reset.
   */
  private static void discard(HttpClientResponse upstream) {
    upstream.exceptionHandler(err -> {});
    long length = parseLength(upstream.headers().get(HttpHeaders.CONTENT_LENGTH));
    if (length >= 0 && length <= 64 * 1024) {
      upstream.handler(chunk -> {});
      upstream.resume();
    } else {
      upstream.request().reset();
    }
  }

  /** Resets the upstream request; the client gets {@code failure} if its response has not started. */
  private void abortUpstream(UpstreamFailure failure) {
    abortedWith = failure;
    HttpClientRequest up = upstreamRequest;
    if (up != null) {
      up.reset();
    }
    upstreamHead.tryFail(new ChainRun.UpstreamCallFailure(new IllegalStateException(failure.detail())));
  }

  /**
   * The upstream's response head. A retryable 5xx is dropped and tried again elsewhere; otherwise hold the
   * body and expose status and headers to the response path.
   */
  private void headArrived(HttpClientResponse upstream, Attempt a) {
    if (settled == a) {
      return;
    }
    settled = a;
    Upstream u = route.upstream();
    int status = upstream.statusCode();
    Outcome outcome = status >= 500 ? Outcome.SERVER_ERROR : Outcome.SUCCESS;
    u.record(a, outcome, status);
    if (status == 503) {
      long retryAfter = RetryAfter.seconds(upstream.headers().get(HttpHeaders.RETRY_AFTER));
      if (retryAfter > 0) {
        u.hold(a, retryAfter);
      }
    }
    if (outcome == Outcome.SERVER_ERROR && u.anyAvailable() && mayRetry(a, outcome, status)) {
      cancelResponseTimer();
      u.end(a);
      discard(upstream);
      lastFailure = null;
      log.debug("request {} route {} target {} attempt {}: status {}, retrying", requestId, route, a.target(),
          a.number() + 1, status);
      retryAfterPause(a);
      return;
    }
    upstreamHeadNanos = System.nanoTime();
    cancelTimers();
    upstream.pause();
    upstreamResponse = upstream;
    GatewayExchange.GatewayResponse view = exchange.response();
    view.fromUpstream(upstream.statusCode());
    MultiMap headers = view.headers();
    HopByHopHeaders.copy(upstream.headers(), headers, NOT_COPIED_DOWNSTREAM);
    headers.set("Via", ForwardedHeaders.via(upstream.headers().get("via"), upstream.version()));
    String length = upstream.headers().get(HttpHeaders.CONTENT_LENGTH);
    view.body().attach(upstream, length == null ? -1 : parseLength(length));
    upstreamHead.tryComplete();
  }

  private static long parseLength(@Nullable String value) {
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void relay(HttpClientResponse upstream) {
    if (response.closed() || response.headWritten()) {
      upstream.request().reset();
      return;
    }
    GatewayExchange.GatewayResponse view = exchange.response();
    response.setStatusCode(view.status());
    MultiMap headers = response.headers();
    headers.addAll(view.headers());
    headers.set(RequestIds.HEADER, requestId);
    Buffer whole = view.body().content();
    if (whole != null) {
      headers.remove(HttpHeaders.TRANSFER_ENCODING);
      headers.set(HttpHeaders.CONTENT_LENGTH, String.valueOf(whole.length()));
      response.end(whole);
      if (!view.body().consumed()) {
        upstream.request().reset();
      }
      return;
    }
    if (view.body().consumed()) {
      upstream.request().reset();
      reject(500, "POLICY_ERROR", "a policy read the response body but did not finish", null);
      return;
    }
    if (request.version() != HttpVersion.HTTP_2 && !headers.contains(HttpHeaders.CONTENT_LENGTH)) {
      response.setChunked(true);
    }
    IdleWatch watch = idleWatch();
    // endOnFailure(false): a body cut short upstream must reach the client as a reset, never as a normal end.
    Pipe<Buffer> pipe = watch.watch(upstream).pipe().endOnFailure(false);
    responsePipe = pipe;
    watch.start();
    pipe.to(response).onComplete(ar -> watch.stop()).onFailure(err -> {
      if (!response.ended()) {
        log.debug("request {} route {}: response stream aborted: {}", requestId, route, err.toString());
        response.reset();
      }
      upstream.request().reset();
    });
  }

  private void upstreamFailed(Throwable cause) {
    if (idleWatch != null) {
      idleWatch.stop();
    }
    cancelTimers();
    Attempt a = attempt;
    if (a != null) {
      route.upstream().end(a);
    }
    if (response.closed()) {
      return;
    }
    if (response.headWritten()) {
      response.reset();
      return;
    }
    UpstreamFailure failure = abortedWith != null ? abortedWith : UpstreamFailure.classify(cause);
    log.debug("request {} route {} target {}: {}", requestId, route, target, cause.toString());
    MultiMap headers = null;
    if (failure.retryAfterSeconds() > 0) {
      headers = MultiMap.caseInsensitiveMultiMap().add(HttpHeaders.RETRY_AFTER, String.valueOf(failure.retryAfterSeconds()));
    }
    reject(failure.status(), failure.key(), failure.detail(), headers);
  }

  /** The exchange's stream idle timeout, created on first use. */
  private IdleWatch idleWatch() {
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
    if (!response.headWritten()) {
      abortUpstream(new UpstreamFailure(504, "UPSTREAM_TIMEOUT", "no data from the upstream for " + ms + "ms"));
    } else {
      Pipe<Buffer> pipe = responsePipe;
      if (pipe != null) {
        pipe.close();
      }
      response.reset();
      HttpClientRequest up = upstreamRequest;
      if (up != null) {
        up.reset();
      }
    }
  }

  private void onClientClosed() {
    if (idleWatch != null) {
      idleWatch.stop();
    }
    Pipe<Buffer> pipe = responsePipe;
    if (pipe != null) {
      // Stop feeding a response that can no longer be written (chunks may still be queued).
      pipe.close();
    }
    HttpClientRequest up = upstreamRequest;
    if (up != null && !response.ended()) {
      up.reset();
    }
    cancelTimers();
    logExchange(true);
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
    boolean unreadBody =
        request.version() != HttpVersion.HTTP_2 && !request.isEnded() && declaredLength() != 0;
    if (unreadBody) {
      response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
    ProblemResponse.send(response, status, key, detail, requestId, headers).onComplete(v -> {
      if (unreadBody) {
        request.connection().close();
      }
    });
  }

  private void logExchange(boolean aborted) {
    if (logged) {
      return;
    }
    logged = true;
    if (exchange != null) {
      exchange.fireEnd();
    }
    proxy.deadlines.remove(this);
    Attempt a = attempt;
    if (a != null) {
      route.upstream().end(a);
    }
    if (snapshot != null) {
      snapshot.exit();
    }
    if (!proxy.accessLog.enabled()) {
      return;
    }
    long end = System.nanoTime();
    StringBuilder sb = new StringBuilder(320);
    sb.append("{\"time\":\"").append(Instant.now()).append("\",\"requestId\":");
    JsonText.quote(sb, requestId);
    sb.append(",\"route\":");
    JsonText.quote(sb, route == null ? null : route.id());
    sb.append(",\"method\":\"").append(request.method().name()).append("\",\"path\":");
    JsonText.quote(sb, path != null ? path : request.path());
    sb.append(",\"status\":").append(aborted && !response.ended() ? 0 : response.getStatusCode());
    sb.append(",\"bytesIn\":").append(request.bytesRead());
    sb.append(",\"bytesOut\":").append(response.bytesWritten());
    sb.append(",\"upstream\":");
    JsonText.quote(sb, target == null ? null : target.authority());
    if (retries > 0) {
      sb.append(",\"retries\":").append(retries);
    }
    sb.append(",\"latencyMs\":").append(millis(end - startNanos));
    sb.append(",\"upstreamLatencyMs\":");
    if (upstreamHeadNanos != 0) {
      sb.append(millis(upstreamHeadNanos - upstreamStartNanos));
    } else {
      sb.append("null");
    }
    sb.append(",\"client\":");
    JsonText.quote(sb, ForwardedHeaders.clientAddress(request));
    if (aborted && !response.ended()) {
      sb.append(",\"aborted\":true");
    }
    sb.append('}');
    proxy.accessLog.write(sb.toString());
  }

  private static String millis(long nanos) {
    long micros = nanos / 1000;
    long frac = micros % 1000;
    return micros / 1000 + (frac < 10 ? ".00" : frac < 100 ? ".0" : ".") + frac;
  }
}
