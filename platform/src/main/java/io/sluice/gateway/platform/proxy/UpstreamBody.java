// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import io.sluice.gateway.platform.route.Route;
import io.sluice.gateway.platform.upstream.Attempt;
import io.sluice.gateway.platform.upstream.Upstream;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.streams.ReadStream;
import org.jspecify.annotations.Nullable;

/**
 * The request body as the attempts of one upstream call send it: held whole when it is small enough and a
 * retry may send it again (or a policy replaced it), otherwise streamed once from the client with
 * back-pressure, counted against the route's body limit. The framing is always the gateway's own:
 * {@code Content-Length} from the length the edge decided, or chunked.
 */
final class UpstreamBody {

  /** What the body tells its call (the call implements it, so no callback is allocated per request). */
  interface Listener {
    /** The attempts may start. */
    void bodyReady();

    /** Reading the body to hold it failed. */
    void bodyFailed(Throwable cause);

    /** {@code attempt}'s request is written whole. */
    void bodySent(Attempt attempt);

    /** The body broke the route's limit, or a policy is still reading it: the call ends with {@code failure}. */
    void bodyAborted(UpstreamFailure failure);
  }

  /** Marks a request without a body (compared by identity). */
  private static final Buffer EMPTY = Buffer.buffer(0);

  private final ProxyExchange owner;
  private final HttpServerRequest request;
  private final GatewayExchange exchange;
  private final Listener listener;
  private long declared;
  /** The body every attempt sends ({@link #EMPTY} for none); null while it streams from the client. */
  private @Nullable Buffer replay;
  private boolean streamed;
  /** The first chunk of an HTTP/2 body of unknown length, read while finding out whether there is one. */
  private @Nullable Buffer prefix;
  /** Set when the streamed body broke the route's limit. */
  private @Nullable UpstreamFailure tooLarge;

  UpstreamBody(ProxyExchange owner, HttpServerRequest request, GatewayExchange exchange, Listener listener) {
    this.owner = owner;
    this.request = request;
    this.exchange = exchange;
    this.listener = listener;
  }

  /**
   * Decides how the body will be sent, reading it first when it is to be held; then tells the listener that the
   * attempts may start ({@link Listener#bodyReady}), or that reading it failed.
   */
  void prepare(long declaredLength, Upstream u) {
    declared = declaredLength;
    Buffer replaced = exchange.request().body().content();
    if (replaced != null) {
      replay = replaced;
    } else if (declaredLength == 0) {
      replay = EMPTY;
    } else if (declaredLength > 0
        && !exchange.request().body().consumed()
        && declaredLength <= Math.min(u.retries().maxBodySize(), exchange.request().body().limit())
        && u.retries().retriesAfterSending(request.method())) {
      // Small enough to hold: read it whole so that a retry can send it again.
      continueIfExpected();
      request.body().onComplete(body -> {
        if (body.failed()) {
          listener.bodyFailed(body.cause());
        } else {
          replay = body.result();
          listener.bodyReady();
        }
      });
      request.resume();
      return;
    } else if (declaredLength < 0 && request.version() == HttpVersion.HTTP_2 && !exchange.request().body().consumed()) {
      peek();
      return;
    }
    listener.bodyReady();
  }

  /** Whether another attempt could send the body again (it is held, or has not started to stream). */
  boolean intact() {
    return replay != null || !streamed;
  }

  /**
   * Sends the body on {@code attempt}'s request, then tells the listener it was sent. A body that breaks the
   * route's limit, or that a policy is still reading, ends the call ({@link Listener#bodyAborted}); a client
   * that goes away mid-body resets the upstream request, so the upstream never takes a truncated body for a
   * complete one.
   */
  void send(HttpClientRequest up, MultiMap headers, Route route, Attempt attempt) {
    Buffer held = replay;
    if (held != null) {
      if (held != EMPTY || declared != 0 || request.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
        headers.set(HttpHeaders.CONTENT_LENGTH, String.valueOf(held.length()));
      }
      exchange.request().body().sentWhole(held);
      (held == EMPTY ? up.end() : up.end(held)).onComplete((v, err) -> { // a Completable: no wrapper
        if (err == null) {
          listener.bodySent(attempt);
        }
      });
      return;
    }
    if (exchange.request().body().consumed()) {
      // A policy is still reading the body (its future did not complete before it proceeded).
      listener.bodyAborted(new UpstreamFailure(500, "POLICY_ERROR", "the request body was read but not finished"));
      return;
    }
    continueIfExpected();
    // From here on the request body streams from the client: it cannot be sent a second time.
    streamed = true;
    long cap = Math.min(route.maxBodySize(), exchange.request().body().limit());
    Buffer first = prefix;
    if (first != null) {
      cap -= first.length();
      if (cap < 0) {
        listener.bodyAborted(UpstreamFailure.bodyTooLarge(cap + first.length()));
        return;
      }
    }
    ReadStream<Buffer> body = declared < 0 || declared > cap
        ? new LimitedBody(request, cap, limit -> tooLarge = UpstreamFailure.bodyTooLarge(limit))
        : request;
    body = owner.idleWatch().watch(exchange.request().body().sending(body, first));
    owner.idleWatch().start();
    if (declared >= 0) {
      headers.set(HttpHeaders.CONTENT_LENGTH, String.valueOf(declared));
    } else {
      up.setChunked(true);
      if (first != null) {
        up.write(first);
      }
    }
    body.pipe().endOnFailure(false).to(up).onComplete(piped -> {
      if (piped.succeeded()) {
        listener.bodySent(attempt);
      } else if (tooLarge != null) {
        listener.bodyAborted(tooLarge);
      } else {
        up.reset();
      }
    });
  }

  /** Answers {@code Expect: 100-continue} just before the body is read. */
  private void continueIfExpected() {
    // RFC 9110 §10.1.1: never to an HTTP/1.0 client (it would take the 100 for the answer); it sends its body anyway.
    if (request.version() != HttpVersion.HTTP_1_0
        && "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
      request.response().writeContinue();
    }
  }

  /**
   * An HTTP/2 request without {@code Content-Length} may still have no body at all (a GET whose HEADERS
   * frame ended the stream, but whose end Vert.x reports a moment later). Find out before connecting: a
   * request without a body stays replayable and never reaches an HTTP/1.1 upstream as
   * {@code Transfer-Encoding: chunked}; a real body's first chunk is kept and sent ahead of the rest.
   */
  private void peek() {
    boolean[] decided = {false};
    owner.idleWatch().start();
    request.exceptionHandler(err -> {
      if (!decided[0]) {
        decided[0] = true;
        listener.bodyFailed(err);
      }
    });
    request.endHandler(v -> {
      if (!decided[0]) {
        decided[0] = true;
        declared = 0;
        replay = EMPTY;
        listener.bodyReady();
      }
    });
    request.handler(chunk -> {
      if (decided[0]) {
        return;
      }
      decided[0] = true;
      request.pause();
      request.handler(null);
      request.endHandler(null);
      request.exceptionHandler(null);
      prefix = chunk;
      listener.bodyReady();
    });
    request.resume();
  }
}
