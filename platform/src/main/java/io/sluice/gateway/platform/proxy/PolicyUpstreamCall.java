// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import io.sluice.gateway.api.UpstreamResponse;
import io.sluice.gateway.api.UpstreamUnavailableException;
import io.sluice.gateway.platform.http.HeaderNameSet;
import io.sluice.gateway.platform.route.Route;
import io.sluice.gateway.platform.upstream.Attempt;
import io.sluice.gateway.platform.upstream.Outcome;
import io.sluice.gateway.platform.upstream.Upstream;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request a policy sends through its route's upstream ({@code RouteUpstream}), read whole. The attempt loop of
 * {@link UpstreamCall} for a request without a body and without a client waiting on the connection: the same
 * {@link Upstream} calls (pick, record, end, budget, {@code Retry-After} holds), so its outcomes feed balancing,
 * outlier ejection and breakers like a proxied request's; the route's connect, response and total timeouts (on
 * Vert.x timers of its own: the exchange deadline tick belongs to exchanges), and the idle timeout while the body
 * is read. Confined to the caller's event loop.
 */
final class PolicyUpstreamCall {

  private static final Logger log = LoggerFactory.getLogger(PolicyUpstreamCall.class);

  /** Response headers not handed to the policy, as for a client: hop-by-hop ones, and {@code Via}, extended. */
  private static final HeaderNameSet NOT_COPIED_BACK = HopByHopHeaders.FIXED.plus("via");

  private final ProxyHandler proxy;
  private final Route route;
  private final Upstream upstream;
  private final HttpMethod method;
  private final String uri;
  private final MultiMap headers;
  private final @Nullable HostAndPort authority;
  private final @Nullable String hashKey;
  private final long maxBody;
  private final Promise<UpstreamResponse> result = Promise.promise();

  private @Nullable Attempt attempt;
  private @Nullable Attempt settled;
  private @Nullable UpstreamUnavailableException lastFailure;
  private long totalDeadline;
  private long timer = -1;

  PolicyUpstreamCall(ProxyHandler proxy, Route route, HttpMethod method, String uri, MultiMap headers,
      @Nullable HostAndPort authority, @Nullable String hashKey, long maxBody) {
    this.proxy = proxy;
    this.route = route;
    this.upstream = route.upstream();
    this.method = method;
    this.uri = uri;
    this.headers = headers;
    this.authority = authority;
    this.hashKey = hashKey;
    this.maxBody = maxBody;
  }

  Future<UpstreamResponse> start() {
    totalDeadline = System.nanoTime() + route.timeouts().total().toNanos();
    startAttempt(null);
    return result.future();
  }

  private long remainingMillis() {
    return Math.max(1, (totalDeadline - System.nanoTime()) / 1_000_000);
  }

  private void startAttempt(@Nullable Attempt previous) {
    Attempt a = upstream.begin(hashKey, previous);
    if (a == null) {
      UpstreamFailure none = UpstreamFailure.noHealthyTarget(upstream.name(), upstream.retryAfterSeconds());
      fail(previous == null || lastFailure == null ? failure(none) : lastFailure);
      return;
    }
    attempt = a;
    RequestOptions options = upstream.address(new RequestOptions(), a.target())
        .setMethod(method)
        .setURI(uri)
        .setConnectTimeout(Math.min(route.timeouts().connect().toMillis(), remainingMillis()))
        .setFollowRedirects(false);
    proxy.client.request(options).onComplete(ar -> {
      if (attempt != a) {
        if (ar.succeeded()) {
          ar.result().reset();
        }
        return;
      }
      connected(ar, a);
    });
  }

  private void connected(AsyncResult<HttpClientRequest> ar, Attempt a) {
    if (ar.failed()) {
      attemptFailed(a, UpstreamFailure.outcome(ar.cause(), true), ar.cause(), null);
      return;
    }
    HttpClientRequest up = ar.result();
    up.exceptionHandler(err -> {});
    up.headers().addAll(headers);
    if (authority != null) {
      up.authority(authority);
    }
    long wait = Math.min(route.timeouts().response().toMillis(), remainingMillis());
    timer = proxy.vertx.setTimer(wait, t -> {
      timer = -1;
      attemptFailed(a, Outcome.TIMEOUT, new TimeoutException("the upstream did not answer within " + wait + "ms"), up);
    });
    up.send().onComplete(res -> {
      if (attempt != a) {
        return;
      }
      if (res.succeeded()) {
        headArrived(res.result(), a);
      } else {
        attemptFailed(a, UpstreamFailure.outcome(res.cause(), false), res.cause(), up);
      }
    });
  }

  private void cancelTimer() {
    if (timer >= 0) {
      proxy.vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** As {@link UpstreamCall}: count the failure against the target, then retry elsewhere when allowed. */
  private void attemptFailed(Attempt a, Outcome outcome, Throwable cause, @Nullable HttpClientRequest up) {
    if (attempt != a || settled == a) {
      return;
    }
    settled = a;
    cancelTimer();
    upstream.record(a, outcome, 0);
    upstream.end(a);
    if (up != null) {
      up.reset();
    }
    lastFailure = failure(UpstreamFailure.classify(cause));
    log.debug("route {} policy request to {} attempt {}: {}", route, a.target(), a.number() + 1, cause.toString());
    if (mayRetry(a, outcome, 0)) {
      retryAfterPause(a);
    } else {
      fail(lastFailure);
    }
  }

  private boolean mayRetry(Attempt a, Outcome outcome, int status) {
    return System.nanoTime() - totalDeadline < 0
        && a.number() < upstream.retries().attempts()
        && upstream.retries().retries(outcome, status, method)
        && upstream.tryRetry();
  }

  private void retryAfterPause(Attempt failed) {
    long pause = upstream.retries().backoffMillis(failed.number() + 1);
    if (pause >= remainingMillis()) {
      fail(new UpstreamUnavailableException("UPSTREAM_TIMEOUT",
          "no response from the upstream within " + route.timeouts().total().toMillis() + "ms"));
    } else if (pause <= 0) {
      startAttempt(failed);
    } else {
      proxy.vertx.setTimer(pause, id -> startAttempt(failed));
    }
  }

  private void headArrived(HttpClientResponse response, Attempt a) {
    if (settled == a) {
      return;
    }
    settled = a;
    cancelTimer();
    // A response dropped below (retried, too large) is reset: that reset is not news.
    response.exceptionHandler(err -> {});
    int status = response.statusCode();
    Outcome outcome = status >= 500 ? Outcome.SERVER_ERROR : Outcome.SUCCESS;
    upstream.record(a, outcome, status);
    if (status == 503) {
      long retryAfter = RetryAfter.seconds(response.headers().get(HttpHeaders.RETRY_AFTER));
      if (retryAfter > 0) {
        upstream.hold(a, retryAfter);
      }
    }
    if (outcome == Outcome.SERVER_ERROR && upstream.anyAvailable() && mayRetry(a, outcome, status)) {
      upstream.end(a);
      response.request().reset();
      lastFailure = null;
      retryAfterPause(a);
      return;
    }
    String length = response.headers().get(HttpHeaders.CONTENT_LENGTH);
    if (length != null && parses(length) > maxBody) {
      upstream.end(a);
      response.request().reset();
      fail(tooLarge());
      return;
    }
    readBody(response, a, status);
  }

  /** Reads the body whole, at most {@code maxBody} bytes, with the route's idle timeout between pieces. */
  private void readBody(HttpClientResponse response, Attempt a, int status) {
    Buffer body = Buffer.buffer();
    long idle = route.timeouts().idle().toMillis();
    Runnable arm = () -> {
      cancelTimer();
      timer = proxy.vertx.setTimer(idle, t -> {
        timer = -1;
        upstream.end(a);
        response.request().reset();
        fail(new UpstreamUnavailableException("UPSTREAM_TIMEOUT", "the upstream's body stalled for " + idle + "ms"));
      });
    };
    arm.run();
    response.exceptionHandler(err -> {
      cancelTimer();
      upstream.end(a);
      fail(failure(UpstreamFailure.classify(err)));
    });
    response.handler(piece -> {
      if (result.future().isComplete()) {
        return;
      }
      if (body.length() + piece.length() > maxBody) {
        cancelTimer();
        upstream.end(a);
        response.request().reset();
        fail(tooLarge());
        return;
      }
      body.appendBuffer(piece);
      arm.run();
    });
    response.endHandler(v -> {
      cancelTimer();
      upstream.end(a);
      MultiMap out = MultiMap.caseInsensitiveMultiMap();
      HopByHopHeaders.copy(response.headers(), out, NOT_COPIED_BACK);
      out.set("Via", ForwardedHeaders.via(response.headers().get("via"), response.version()));
      result.tryComplete(new UpstreamResponse(status, out, body));
    });
  }

  private UpstreamUnavailableException tooLarge() {
    return new UpstreamUnavailableException("UPSTREAM_BODY_TOO_LARGE",
        "the upstream's response body is larger than " + maxBody + " bytes");
  }

  private static UpstreamUnavailableException failure(UpstreamFailure f) {
    return new UpstreamUnavailableException(f.key(), f.detail());
  }

  private void fail(UpstreamUnavailableException e) {
    result.tryFail(e);
  }

  private static long parses(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
