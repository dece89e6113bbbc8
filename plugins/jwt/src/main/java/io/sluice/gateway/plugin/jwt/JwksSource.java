// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.jwt;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import io.sluice.gateway.api.auth.CallerContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys of a JWKS URL, fetched with the gateway's web client and never on a blocking path.
 *
 * <ul>
 *   <li>The first request fetches the set; every request waiting for keys shares that one fetch.
 *   <li>A set older than {@code refreshInterval} is refetched in the background by the next request, which
 *       goes on with the current set (an idle route fetches nothing, and no timer outlives the policy).
 *   <li>A token naming an unknown {@code kid} may cause a fetch, but at most one per
 *       {@code minRefreshInterval}; meanwhile such tokens wait on the fetch in flight or are refused. A flood of
 *       random key ids therefore costs the JWKS server one request per interval.
 *   <li>A failed fetch keeps the previous set. With no set at all, requests fail with 503 until a fetch works
 *       (retried at most once per {@link #RETRY_WITHOUT_KEYS_MS} while there are no keys).
 * </ul>
 */
final class JwksSource {

  private static final Logger log = LoggerFactory.getLogger(JwksSource.class);
  /** A JWKS is a few kB; anything this large is not one. */
  static final int MAX_BYTES = 1 << 20;
  /** While no key set was ever fetched, fetches are retried at most this often. */
  static final long RETRY_WITHOUT_KEYS_MS = 1000;

  private final WebClient http;
  private final JwksConfig config;
  private final List<String> allowed;
  private final Clock clock;
  private final String routeId;
  private volatile @Nullable KeySet current;
  private final AtomicReference<@Nullable Future<KeySet>> inFlight = new AtomicReference<>();
  private volatile long lastFetchStart = Long.MIN_VALUE / 2;

  JwksSource(WebClient http, JwksConfig config, List<String> allowed, Clock clock, String routeId) {
    this.http = http;
    this.config = config;
    this.allowed = List.copyOf(allowed);
    this.clock = clock;
    this.routeId = routeId;
  }

  /** The current key set, or null when none was fetched yet. */
  @Nullable KeySet current() {
    return current;
  }

  /**
   * The keys to verify with now: the current set (refreshing it in the background when stale), or the
   * first fetch. Fails when there are no keys and none can be fetched.
   */
  Future<KeySet> keys() {
    KeySet set = current;
    long now = clock.millis();
    if (set == null) {
      Future<KeySet> pending = inFlight.get();
      if (pending != null) {
        return CallerContext.resume(pending);
      }
      if (now - lastFetchStart < Math.min(RETRY_WITHOUT_KEYS_MS, config.minRefreshInterval().toMillis())) {
        return Future.failedFuture(new JwksUnavailable());
      }
      return CallerContext.resume(fetch());
    }
    refreshIfStale(set, now);
    return Future.succeededFuture(set);
  }

  /**
   * The current key set, after starting a background refetch when it is older than {@code refreshInterval}:
   * for a token found in the verified-token cache, which needs no keys but must not keep the schedule from
   * running (else a removed key would keep admitting its warm tokens). Null when none was fetched yet.
   */
  @Nullable KeySet currentRefreshed() {
    KeySet set = current;
    if (set != null) {
      refreshIfStale(set, clock.millis());
    }
    return set;
  }

  private void refreshIfStale(KeySet set, long now) {
    if (now - set.fetchedAt() >= config.refreshInterval().toMillis()
        && now - lastFetchStart >= config.minRefreshInterval().toMillis()) {
      fetch();
    }
  }

  /**
   * A fresher key set for a token whose {@code kid} the current set lacks: the fetch in flight, or a new
   * one when the last began at least {@code minRefreshInterval} ago; null when neither (refuse the token).
   */
  @Nullable Future<KeySet> refreshForUnknownKid() {
    Future<KeySet> pending = inFlight.get();
    if (pending != null) {
      return CallerContext.resume(pending);
    }
    if (clock.millis() - lastFetchStart < config.minRefreshInterval().toMillis()) {
      return null;
    }
    return CallerContext.resume(fetch());
  }

  private Future<KeySet> fetch() {
    Promise<KeySet> promise = Promise.promise();
    Future<KeySet> mine = promise.future();
    if (!inFlight.compareAndSet(null, mine)) {
      Future<KeySet> other = inFlight.get();
      return other != null ? other : current != null ? Future.succeededFuture(current) : Future.failedFuture(new JwksUnavailable());
    }
    lastFetchStart = clock.millis();
    Future<HttpResponse<Buffer>> response;
    try {
      // The web client's own timeout is idle-based (a byte a second would keep it waiting): bound the whole call.
      long timeout = config.timeout().toMillis();
      response = http.getAbs(config.url()).idleTimeout(timeout).putHeader("Accept", "application/json").send()
          .timeout(timeout, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      response = Future.failedFuture(e);
    }
    response.map(this::parse).onComplete(result -> {
      if (result.succeeded()) {
        current = result.result();
        log.debug("route {}: JWKS {} fetched, {} usable keys", routeId, config.url(), result.result().size());
      } else {
        // Each fetch is rate-limited, so this line is too.
        log.warn("route {}: JWKS {} could not be fetched ({}); {}", routeId, config.url(), result.cause().getMessage(),
            current != null ? "keeping the previous keys" : "tokens are refused with 503 until it can");
      }
      inFlight.set(null);
      if (result.succeeded()) {
        promise.complete(result.result());
      } else {
        promise.fail(new JwksUnavailable());
      }
    });
    return mine;
  }

  private KeySet parse(HttpResponse<Buffer> response) {
    if (response.statusCode() != 200) {
      throw new IllegalStateException("HTTP " + response.statusCode());
    }
    Buffer body = response.body();
    if (body == null || body.length() > MAX_BYTES) {
      throw new IllegalStateException(body == null ? "empty answer" : "answer larger than 1 MB");
    }
    JWKSet set;
    try {
      set = JWKSet.parse(body.toString());
    } catch (java.text.ParseException e) {
      throw new IllegalStateException("not a JWK set: " + e.getMessage());
    }
    List<VerificationKey> keys = new ArrayList<>();
    for (JWK jwk : set.getKeys()) {
      if (jwk instanceof OctetSequenceKey) {
        continue; // a published set carries public keys; an HMAC key there would be a confusion risk
      }
      try {
        keys.add(VerificationKey.of(jwk.toPublicJWK(), null, null, allowed, config.issuer()));
      } catch (IllegalArgumentException e) {
        log.debug("route {}: JWKS key {} skipped: {}", routeId, jwk.getKeyID(), e.getMessage());
      }
    }
    return new KeySet(keys, clock.millis());
  }

  /** No key set could be fetched: the policy answers 503, the client is not at fault. */
  static final class JwksUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    JwksUnavailable() {
      super("no JWKS keys available", null, false, false);
    }
  }
}
