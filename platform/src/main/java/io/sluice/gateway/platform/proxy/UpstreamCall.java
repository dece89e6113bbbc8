// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import io.sluice.gateway.platform.http.HeaderNameSet;
import io.sluice.gateway.platform.http.RequestIds;
import io.sluice.gateway.platform.route.Route;
import io.sluice.gateway.platform.tracing.ExchangeSpan;
import io.sluice.gateway.platform.upstream.Attempt;
import io.sluice.gateway.platform.upstream.Outcome;
import io.sluice.gateway.platform.upstream.Target;
import io.sluice.gateway.platform.upstream.Upstream;
import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request's call to its route's upstream: the end of the policy chain, from picking a target to the
 * response head the client will get. Makes attempts — on another target after a failure when the upstream's
 * retry policy, its retry budget, the request body and {@code timeouts.total} allow — records each outcome
 * for balancing, outlier detection and breakers. The first {@link ChainEnd}: this class is the attempt loop;
 * the request body is {@link UpstreamBody}'s, the response-head timeouts {@link CallTimeouts}'. See
 * docs/upstreams.md.
 *
 * <p>Runs on the exchange's event loop; its timeouts are checked by {@link ExchangeDeadlines} through
 * {@link ProxyExchange#checkDeadlines}.
 */
final class UpstreamCall implements ChainEnd, UpstreamBody.Listener {

  private static final Logger log = LoggerFactory.getLogger(UpstreamCall.class);

  /**
   * Request headers not copied upstream: hop-by-hop ones, those the proxy sets itself, and the framing, which
   * the proxy computes ({@code Content-Length} is set from the length the edge decided, never copied).
   */
  static final HeaderNameSet NOT_COPIED_UPSTREAM = HopByHopHeaders.FIXED.plus(
      "host", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "forwarded", "via", "x-request-id", "expect",
      "content-length");

  /** From a peer that is not a trusted proxy, also the client-address headers the gateway does not set. */
  static final HeaderNameSet NOT_COPIED_UNTRUSTED = NOT_COPIED_UPSTREAM.plus(ForwardedHeaders.CLIENT_ADDRESS_HEADERS);

  /** Response headers not copied to the client: hop-by-hop ones, and {@code Via}, which the proxy extends. */
  private static final HeaderNameSet NOT_COPIED_DOWNSTREAM = HopByHopHeaders.FIXED.plus("via");

  private final ProxyExchange owner;
  private final ProxyHandler proxy;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final Route route;
  private final GatewayExchange exchange;
  private final String requestId;
  private final String path;
  private final Promise<Void> upstreamHead = Promise.promise();

  private @Nullable Attempt attempt;
  /** The last attempt whose outcome (response head or failure) has been handled. */
  private @Nullable Attempt settled;
  private @Nullable HttpClientRequest upstreamRequest;
  private @Nullable HttpClientResponse accepted;
  private int retries;
  private @Nullable String hashKey;
  private String upstreamUri = "";
  private final UpstreamBody body;
  private final CallTimeouts timeouts;
  private @Nullable UpstreamFailure lastFailure;
  private @Nullable UpstreamFailure abortedWith;
  private long retryTimer = -1;
  private long attemptStartNanos;
  private long headNanos;

  UpstreamCall(ProxyExchange owner, ProxyHandler proxy, HttpServerRequest request, Route route,
      GatewayExchange exchange, String requestId, String path) {
    this.owner = owner;
    this.proxy = proxy;
    this.request = request;
    this.response = request.response();
    this.route = route;
    this.exchange = exchange;
    this.requestId = requestId;
    this.path = path;
    this.body = new UpstreamBody(owner, request, exchange, this);
    this.timeouts = new CallTimeouts(route);
  }

  /** The accepted response (body paused), once the call succeeded. */
  @Override
  public @Nullable HttpClientResponse body() {
    return accepted;
  }

  @Override
  public @Nullable Target target() {
    Attempt a = attempt;
    return a == null ? null : a.target();
  }

  @Override
  public int retries() {
    return retries;
  }

  @Override
  public long headLatencyNanos() {
    return headNanos == 0 ? -1 : headNanos - attemptStartNanos;
  }

  @Override
  public UpstreamFailure failure(Throwable cause) {
    return abortedWith != null ? abortedWith : UpstreamFailure.classify(cause);
  }

  /** Resets the upstream request in progress, if any (the client went away, or the response stalled). */
  @Override
  public void cancel() {
    HttpClientRequest up = upstreamRequest;
    if (up != null) {
      up.reset();
    }
  }

  /** Ends the current attempt: it no longer counts in flight. */
  @Override
  public void end() {
    Attempt a = attempt;
    if (a != null) {
      route.upstream().end(a);
    }
  }

  /** Fires the response-head timeout (of the attempt, or of {@code timeouts.total}) when it has passed. */
  @Override
  public void checkDeadline(long now) {
    int late = timeouts.expired(now);
    Attempt a = attempt;
    if (late == CallTimeouts.NONE || a == null || headNanos != 0) {
      return;
    }
    if (late == CallTimeouts.TOTAL) {
      totalTimeout(a);
    } else {
      String detail = "the upstream did not answer within " + timeouts.waitedMillis() + "ms";
      abortedWith = new UpstreamFailure(504, "UPSTREAM_TIMEOUT", detail);
      attemptFailed(a, Outcome.TIMEOUT, new TimeoutException(detail));
    }
  }

  /**
   * Starts the call: decides how the request body is sent (held for retries, or streamed), then makes the first
   * attempt. The future completes when a response head is accepted ({@link #body()}), or fails with the last
   * error (then {@link #failure} says what the client gets).
   */
  @Override
  public Future<Void> start(Map<String, String> captures, long declaredLength) {
    Route r = route;
    Upstream u = r.upstream();
    String query = exchange.request().query(); // a policy may have changed it (key-auth removes its key)
    String upstreamPath = r.upstreamPath(path, captures);
    upstreamUri = query == null ? upstreamPath : upstreamPath + "?" + query;
    hashKey = u.hashes() ? u.hashKey(request, proxy.forwarded.originalClient(request), path) : null;
    body.prepare(declaredLength, u);
    return upstreamHead.future();
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
      fail(failure);
      return;
    }
    attempt = a;
    abortedWith = null;
    upstreamRequest = null;
    if (previous == null) {
      timeouts.start(System.nanoTime());
    }
    RequestOptions options = u.address(new RequestOptions(), a.target())
        .setMethod(request.method())
        .setURI(upstreamUri)
        .setConnectTimeout(Math.min(route.timeouts().connect().toMillis(), timeouts.remainingMillis(System.nanoTime())))
        .setFollowRedirects(false);
    attemptStartNanos = System.nanoTime();
    traceAttemptStarted(a);
    proxy.client.request(options).onComplete(new AttemptListener(a));
  }

  /**
   * The attempt's two callbacks in one object (a {@link Completable} is taken as it is, where a {@code Handler}
   * of {@code AsyncResult} gets a wrapper per call): first the upstream request (connected or not), then its
   * response head. Either is ignored once a later attempt has started.
   */
  private final class AttemptListener implements Completable<Object> {

    private final Attempt a;
    private boolean requested;

    AttemptListener(Attempt a) {
      this.a = a;
    }

    @Override
    public void complete(@Nullable Object result, @Nullable Throwable failure) {
      if (!requested) {
        requested = true;
        try {
          if (attempt != a) {
            if (failure == null) {
              ((HttpClientRequest) result).reset();
            }
            return;
          }
          connected((HttpClientRequest) result, failure, a, this);
        } catch (RuntimeException e) {
          owner.internalError(e);
        }
        return;
      }
      if (attempt != a) {
        return;
      }
      if (failure == null) {
        headArrived((HttpClientResponse) result, a);
      } else {
        attemptFailed(a, UpstreamFailure.outcome(failure, false), failure);
      }
    }
  }

  private void connected(@Nullable HttpClientRequest up, @Nullable Throwable failure, Attempt a, AttemptListener listener) {
    Route r = route;
    if (failure != null) {
      attemptFailed(a, UpstreamFailure.outcome(failure, true), failure);
      return;
    }
    if (response.closed()) {
      up.reset();
      return;
    }
    upstreamRequest = up;
    // Failures surface through up.response(); this only keeps Vert.x from logging them a second time.
    up.exceptionHandler(err -> {});
    MultiMap headers = up.headers();
    String client = ForwardedHeaders.clientAddress(request);
    boolean trusted = proxy.forwarded.trusts(client);
    HopByHopHeaders.copy(request.headers(), headers, trusted ? NOT_COPIED_UPSTREAM : NOT_COPIED_UNTRUSTED);
    proxy.forwarded.apply(request, headers, client, trusted);
    proxy.consumerHeaders.apply(headers, exchange.consumer());
    headers.set(RequestIds.HEADER, requestId);
    propagateTrace(headers);
    if (r.preserveHost() && request.authority() != null) {
      up.authority(request.authority());
    } else if (r.upstreamHost() != null) {
      up.authority(HostAndPort.parseAuthority(r.upstreamHost(), -1));
    }
    up.response().onComplete(listener);
    body.send(up, headers, r, a);
  }

  @Override
  public void bodyReady() {
    startAttempt();
  }

  @Override
  public void bodyFailed(Throwable cause) {
    upstreamHead.tryFail(cause);
  }

  @Override
  public void bodySent(Attempt a) {
    startResponseTimer(a);
  }

  @Override
  public void bodyAborted(UpstreamFailure failure) {
    abort(failure);
  }

  /**
   * Once the request is sent: the attempt's response head must arrive within {@code timeouts.response}, and
   * the exchange's within {@code timeouts.total} (one deadline for both: whichever ends first).
   */
  private void startResponseTimer(Attempt a) {
    if (attempt != a || headNanos != 0 || response.closed()) {
      return;
    }
    timeouts.awaitHead(System.nanoTime());
    proxy.deadlines.add(owner);
  }

  /** {@code timeouts.total} has passed without a response head: no more attempts. */
  private void totalTimeout(Attempt a) {
    route.upstream().record(a, Outcome.TIMEOUT, 0);
    settled = a;
    abort(totalTimeoutFailure());
  }

  private UpstreamFailure totalTimeoutFailure() {
    return new UpstreamFailure(504, "UPSTREAM_TIMEOUT",
        "no response from the upstream within " + route.timeouts().total().toMillis() + "ms");
  }

  /** Stops the call's timers (the head is in, or the exchange is over). */
  @Override
  public void stopTimers() {
    timeouts.stopAwaiting();
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
    timeouts.stopAwaiting();
    if (abortedWith == null || abortedWith.status() >= 500) {
      // The client's own fault (a body too large or malformed) says nothing about the target.
      u.record(a, outcome, 0);
    }
    u.end(a);
    HttpClientRequest up = upstreamRequest;
    if (up != null) {
      up.reset();
    }
    UpstreamFailure failure = abortedWith != null ? abortedWith : UpstreamFailure.classify(cause);
    lastFailure = failure;
    traceAttemptEnded(0, failure.key());
    log.debug("request {} route {} target {} attempt {}: {}", requestId, route, a.target(), a.number() + 1, cause.toString());
    if (mayRetry(a, outcome, 0)) {
      retryAfterPause(a);
      return;
    }
    abortedWith = failure;
    upstreamHead.tryFail(cause);
  }

  /** Whether a failed attempt may be tried again (takes a retry from the budget when it may). */
  private boolean mayRetry(Attempt a, Outcome outcome, int status) {
    Upstream u = route.upstream();
    return timeouts.withinTotal(System.nanoTime())
        && !response.closed()
        && a.number() < u.retries().attempts()
        && u.retries().retries(outcome, status, request.method())
        && body.intact()
        && u.tryRetry();
  }

  private void retryAfterPause(Attempt failed) {
    retries++;
    long pause = route.upstream().retries().backoffMillis(failed.number() + 1);
    if (pause >= timeouts.remainingMillis(System.nanoTime())) {
      fail(totalTimeoutFailure());
      return;
    }
    if (pause <= 0) {
      startAttempt();
      return;
    }
    retryTimer = proxy.vertx.setTimer(pause, id -> {
      retryTimer = -1;
      if (response.closed()) {
        upstreamHead.tryFail(new IllegalStateException("client gone"));
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
  @Override
  public void abort(UpstreamFailure failure) {
    abortedWith = failure; // before the reset: the failed attempt it causes must not be classified as the upstream's
    cancel();
    fail(failure);
  }

  /** Ends the call with {@code failure}, which is what the client gets. */
  private void fail(UpstreamFailure failure) {
    abortedWith = failure;
    upstreamHead.tryFail(new IllegalStateException(failure.detail()));
  }

  /**
   * The upstream's response head. A retryable 5xx is dropped and tried again elsewhere; otherwise hold the
   * body and expose status and headers to the response path.
   */
  private void headArrived(HttpClientResponse upstream, Attempt a) {
    if (settled == a) {
      return;
    }
    if (upstream.statusCode() < 200) {
      // Never relayed as the answer: the client would wait for the final response until its idle timeout. The
      // upstream request is reset (the connection is not reused) and not retried (the upstream has the
      // request); the target answered, so it does not count against it.
      attemptFailed(a, Outcome.SUCCESS, new UpstreamFailure.InterimResponse(upstream.statusCode()));
      return;
    }
    settled = a;
    Upstream u = route.upstream();
    int status = upstream.statusCode();
    Outcome outcome = status >= 500 ? Outcome.SERVER_ERROR : Outcome.SUCCESS;
    u.record(a, outcome, status);
    traceAttemptEnded(status, null);
    if (status == 503) {
      long retryAfter = RetryAfter.seconds(upstream.headers().get(HttpHeaders.RETRY_AFTER));
      if (retryAfter > 0) {
        u.hold(a, retryAfter);
      }
    }
    if (outcome == Outcome.SERVER_ERROR && u.anyAvailable() && mayRetry(a, outcome, status)) {
      timeouts.stopAwaiting();
      u.end(a);
      discard(upstream);
      lastFailure = null;
      log.debug("request {} route {} target {} attempt {}: status {}, retrying", requestId, route, a.target(),
          a.number() + 1, status);
      retryAfterPause(a);
      return;
    }
    headNanos = System.nanoTime();
    stopTimers();
    upstream.pause();
    accepted = upstream;
    GatewayExchange.GatewayResponse view = exchange.response();
    view.fromUpstream(status);
    MultiMap headers = view.headers(); // the client response's own headers
    HopByHopHeaders.copy(upstream.headers(), headers, NOT_COPIED_DOWNSTREAM);
    headers.set(ForwardedHeaders.VIA, ForwardedHeaders.via(upstream.headers().get(ForwardedHeaders.VIA), upstream.version()));
    view.body().attach(upstream, parseLength(upstream.headers().get(HttpHeaders.CONTENT_LENGTH)));
    upstreamHead.tryComplete();
  }

  /** Tracing: the attempt's client span starts (recorded traces only). */
  private void traceAttemptStarted(Attempt a) {
    ExchangeSpan span = owner.span();
    if (span != null) {
      span.attemptStarted(request.method().name(), a.target().authority());
    }
  }

  private void traceAttemptEnded(int status, @Nullable String error) {
    ExchangeSpan span = owner.span();
    if (span != null) {
      span.attemptEnded(status, error);
    }
  }

  /**
   * Tracing: the upstream continues this exchange's trace with the gateway's span as parent; the client's
   * {@code tracestate} (copied with the other headers) goes on only when its {@code traceparent} was valid.
   * With tracing off, both pass through untouched like any end-to-end header.
   */
  private void propagateTrace(MultiMap headers) {
    ExchangeSpan span = owner.span();
    if (span == null) {
      return;
    }
    headers.set(ProxyExchange.TRACEPARENT, span.upstreamTraceparent());
    if (span.traceState() == null) {
      headers.remove(ProxyExchange.TRACESTATE);
    }
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
}
