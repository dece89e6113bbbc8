// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.cache;

import io.sluice.gateway.api.Exchange;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.PolicyMeters;
import io.sluice.gateway.api.Rejection;
import io.sluice.gateway.api.Response;
import io.sluice.gateway.api.RouteUpstream;
import io.sluice.gateway.api.UpstreamResponse;
import io.sluice.gateway.api.cluster.Cache;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared HTTP cache of one route (RFC 9111). GET requests are looked up under their key (and the variant
 * their {@code Vary} selects); a usable stored response is answered at once, with {@code Age} and
 * {@code Cache-Status}; otherwise one request per key goes upstream (collapsing), conditionally when the stale
 * entry has validators, and its response is stored while it streams to the client when it may be. A stale entry
 * within its {@code stale-while-revalidate} window answers at once while one background revalidation per key goes
 * through the route's upstream (RFC 5861 §3, {@code PolicyContext.upstream()}). Unsafe methods invalidate (§4.4). A
 * cache that cannot answer counts as a miss: the cache never fails a request.
 */
final class CachePolicy implements Policy {

  private static final Logger log = LoggerFactory.getLogger(CachePolicy.class);

  /** Markers of Vary outlive their variants: an orphaned marker costs a secondary miss, a lost one a variant. */
  private static final long MARKER_MILLIS = Duration.ofDays(1).toMillis();

  /** Headers never stored: recomputed per hit, or the gateway's and the connection's own. */
  private static final List<String> UNSTORED =
      List.of("age", "x-request-id", "connection", "keep-alive", "transfer-encoding", "cache-status");

  /** Headers a 304 carries (RFC 9110 §15.4.5). */
  private static final List<String> NOT_MODIFIED_HEADERS =
      List.of("cache-control", "content-location", "date", "etag", "expires", "vary", "last-modified");

  private final CacheConfig config;
  private final Cache cache;
  private final Vertx vertx;
  private final LongSupplier clock;
  private final CacheKeys keys;
  private final Collapser collapser = new Collapser();
  private final long maxObject;
  private final long retention;
  private final long collapseWait;
  private final Purges purges;
  private final String routeId;

  /** Request headers a background revalidation does not take from the request that triggered it. */
  private static final List<String> NOT_REVALIDATED_WITH = List.of(
      "if-none-match", "if-modified-since", "if-match", "if-unmodified-since", "if-range", "range");

  private final PolicyMeters.Counter hits;
  private final PolicyMeters.Counter misses;
  private final PolicyMeters.Counter stale;
  private final PolicyMeters.Counter bypasses;
  private final PolicyMeters.Counter revalidations;
  private final PolicyMeters.Counter revalidationFailures;
  private final RouteUpstream upstream;
  private final long ruleRetention;

  CachePolicy(CacheConfig config, Cache cache, Vertx vertx, LongSupplier clock, Purges purges, String routeId) {
    this(config, cache, vertx, clock, purges, routeId, PolicyMeters.NONE, RouteUpstream.UNSUPPORTED);
  }

  /**
   * @param upstream the route's upstream, for background revalidations (stale-while-revalidate)
   */
  CachePolicy(CacheConfig config, Cache cache, Vertx vertx, LongSupplier clock, Purges purges, String routeId,
      PolicyMeters meters, RouteUpstream upstream) {
    this.hits = meters.counter("hits", "Responses served fresh from the cache");
    this.misses = meters.counter("misses", "Cacheable requests the cache could not answer (sent upstream)");
    this.stale = meters.counter("stale", "Stale responses served (stale-while-revalidate, stale-if-error, max-stale)");
    this.bypasses = meters.counter("bypasses", "Requests the cache does not handle (method, Range, no-store)");
    this.revalidations = meters.counter("background_revalidations",
        "Background revalidations started for stale-while-revalidate");
    this.revalidationFailures = meters.counter("background_revalidation_failures",
        "Background revalidations that failed (error, 5xx, unreachable); the stale entry was kept");
    this.upstream = upstream;
    this.ruleRetention = config.ruleRetention().toMillis();
    this.config = config;
    this.purges = purges;
    this.routeId = routeId;
    this.cache = cache;
    this.vertx = vertx;
    this.clock = clock;
    this.keys = new CacheKeys(config);
    this.maxObject = config.maxObjectSize().bytes();
    this.retention = config.staleRetention().toMillis();
    this.collapseWait = config.collapseWait().toMillis();
  }

  /** What a lookup found: a usable-or-not entry, the Vary marker, the key the entry lives (or would live) at. */
  private record Found(@Nullable StoredResponse entry, @Nullable List<String> marker, String primary, String key,
      boolean varyMiss, boolean failed) {}

  @Override
  public Future<Void> apply(Exchange ex, Chain chain) {
    HttpMethod m = ex.request().method();
    if (m == HttpMethod.GET || m == HttpMethod.HEAD) {
      return lookup(ex, chain, m == HttpMethod.HEAD);
    }
    if (m == HttpMethod.OPTIONS || m == HttpMethod.TRACE) {
      return forward(ex, chain, CacheOutcome.BYPASS, "fwd=method");
    }
    return unsafe(ex, chain);
  }

  /** §4.4: a non-error response to an unsafe method invalidates the target URI and its Location/Content-Location. */
  private Future<Void> unsafe(Exchange ex, Chain chain) {
    String primary = keys.primary(ex);
    return chain.proceed().onSuccess(v -> {
      if (ex.rejected()) {
        return;
      }
      int s = ex.response().status();
      if (s >= 200 && s < 400) {
        invalidate(primary);
        for (String h : List.of("Location", "Content-Location")) {
          String target = ex.response().headers().get(h);
          String key = target == null ? null : sameOriginKey(ex, target);
          if (key != null) {
            invalidate(key);
          }
        }
      }
      status(ex.response().headers(), CacheOutcome.BYPASS, "fwd=method");
    });
  }

  /** The key of a Location on the request's own host (§4.4: only then may it be invalidated); else null. */
  private @Nullable String sameOriginKey(Exchange ex, String target) {
    try {
      URI u = URI.create(target.trim());
      if (u.getHost() != null && !u.getHost().equalsIgnoreCase(ex.request().host())) {
        return null;
      }
      String path = u.getRawPath();
      if (path == null || path.isEmpty() || !path.startsWith("/")) {
        return null;
      }
      String query = u.getRawQuery();
      MultiMap params = MultiMap.caseInsensitiveMultiMap();
      if (query != null) {
        for (String pair : query.split("&")) {
          int eq = pair.indexOf('=');
          params.add(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
        }
      }
      return keys.primary(ex, path, query, params);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private void invalidate(String key) {
    cache.invalidate(key).onFailure(err -> log.debug("cache invalidate failed: {}", err.toString()));
  }

  private Future<Void> forward(Exchange ex, Chain chain, CacheOutcome outcome, String params) {
    return chain.proceed().onSuccess(v -> {
      if (!ex.rejected()) {
        status(ex.response().headers(), outcome, params);
      }
    });
  }

  private Future<Void> lookup(Exchange ex, Chain chain, boolean head) {
    MultiMap rh = ex.request().headers();
    if (config.bypassHeader() != null && rh.contains(config.bypassHeader())) {
      return forward(ex, chain, CacheOutcome.BYPASS, "fwd=bypass");
    }
    if (rh.contains("Range")) {
      return forward(ex, chain, CacheOutcome.BYPASS, "fwd=bypass; detail=range");
    }
    Directives rq = Directives.parse(rh.getAll(HttpHeaders.CACHE_CONTROL), rh.get("Pragma"));
    String primary = keys.primary(ex);
    return find(primary, rh).compose(found -> decide(ex, chain, head, rq, found));
  }

  private Future<Found> find(String primary, MultiMap rh) {
    return cache.get(primary).transform(ar -> {
      if (ar.failed()) {
        log.debug("cache get failed: {}", ar.cause().toString());
        return Future.succeededFuture(new Found(null, null, primary, primary, false, true));
      }
      Buffer b = ar.result();
      if (b == null) {
        return Future.succeededFuture(new Found(null, null, primary, primary, false, false));
      }
      List<String> marker = StoredResponse.varyOf(b);
      if (marker == null) {
        return Future.succeededFuture(new Found(unpurged(decode(b), primary), null, primary, primary, false, false));
      }
      List<String> names = marker.subList(1, marker.size());
      List<String> values = CacheKeys.varyValues(names, rh);
      String key = CacheKeys.secondary(primary, marker.get(0), values);
      return cache.get(key).transform(var -> {
        StoredResponse e = var.succeeded() && var.result() != null ? decode(var.result()) : null;
        if (e != null && !e.varyValues.equals(values)) {
          e = null;
        }
        e = unpurged(e, key);
        return Future.succeededFuture(new Found(e, marker, primary, key, e == null, var.failed()));
      });
    });
  }

  /** {@code e}, or null when a purge rule marks it (it is then deleted, so the next lookup need not ask again). */
  private @Nullable StoredResponse unpurged(@Nullable StoredResponse e, String key) {
    if (e != null && purges.purged(routeId, e) != null) {
      invalidate(key);
      return null;
    }
    return e;
  }

  /** The config and key builder, for purge by URL. */
  CacheKeys keys() {
    return keys;
  }

  Cache cache() {
    return cache;
  }

  private static @Nullable StoredResponse decode(Buffer b) {
    try {
      return StoredResponse.decode(b);
    } catch (IndexOutOfBoundsException e) {
      return null; // a truncated or foreign entry: a miss
    }
  }

  private Future<Void> decide(Exchange ex, Chain chain, boolean head, Directives rq, Found found) {
    long now = clock.getAsLong();
    StoredResponse e = found.entry();
    if (e != null) {
      String use = usable(e, rq, now);
      if (use != null) {
        return serve(ex, e, now, false, use.isEmpty() ? CacheOutcome.HIT : CacheOutcome.STALE,
            "hit; ttl=" + Math.floorDiv(e.freshLeft(now), 1000) + use);
      }
      if (staleWhileRevalidate(e, rq, now)) {
        // RFC 5861 §3: the stale response now, and one revalidation per key in the background (the key's leader:
        // requests meanwhile get the stale response too, within the window, or wait for it past the window)
        Promise<@Nullable StoredResponse> mine = Promise.promise();
        if (collapser.join(found.key(), mine) == null) {
          revalidate(ex, rq, e, found, mine);
        }
        return serve(ex, e, now, false, CacheOutcome.STALE,
            "hit; ttl=" + Math.floorDiv(e.freshLeft(now), 1000) + "; detail=stale-while-revalidate");
      }
    }
    if (rq.onlyIfCached) {
      // §5.2.1.7: no stored response can be used, and the request may not go upstream.
      return ex.reject(Rejection.of(504, "CACHE_ONLY_IF_CACHED")
          .message("the request asked for a stored response only (only-if-cached), and none can be used")
          .header("Cache-Status", config.name() + "; fwd=miss; detail=only-if-cached"));
    }
    // RFC 9211 §2.2: "request" when the entry is fresh but the request's directives refuse it, "stale" otherwise
    String fwd = e != null ? (rq.noCache || e.freshLeft(now) > 0 && !e.noCache() ? "fwd=request" : "fwd=stale")
        : found.varyMiss() ? "fwd=vary-miss" : rq.noCache ? "fwd=request" : "fwd=uri-miss";
    if (found.failed()) {
      fwd += "; detail=cache-unavailable";
    }
    if (head) {
      return found.varyMiss() || e != null || rq.noCache
          ? forward(ex, chain, CacheOutcome.MISS, fwd)
          : forward(ex, chain, CacheOutcome.BYPASS, fwd.replace("uri-miss", "method"));
    }
    MultiMap rh = ex.request().headers();
    boolean clientConditional = rh.contains(HttpHeaders.IF_NONE_MATCH) || rh.contains(HttpHeaders.IF_MODIFIED_SINCE);
    if (!config.collapse() || (e == null && clientConditional)) {
      return fetch(ex, chain, rq, found, null, fwd);
    }
    Promise<@Nullable StoredResponse> mine = Promise.promise();
    Future<@Nullable StoredResponse> leader = collapser.join(found.key(), mine);
    if (leader == null) {
      return fetch(ex, chain, rq, found, mine, fwd);
    }
    String collapsedFwd = fwd;
    return Collapser.await(leader, vertx, collapseWait).compose(r -> {
      long t = clock.getAsLong();
      if (r != null && r.varyValues.equals(CacheKeys.varyValues(r.varyNames, rh)) && usable(r, rq, t) != null) {
        return serve(ex, r, t, false, CacheOutcome.MISS,
            collapsedFwd + "; collapsed; ttl=" + Math.floorDiv(r.freshLeft(t), 1000));
      }
      return fetch(ex, chain, rq, found, null, collapsedFwd);
    });
  }

  /**
   * Whether {@code e} may answer a request with directives {@code rq} without going upstream (§4.2, §5.2.1):
   * null when not, else the extra Cache-Status parameters (empty, or the stale detail).
   */
  private @Nullable String usable(StoredResponse e, Directives rq, long now) {
    if (rq.noCache || e.noCache()) {
      return null;
    }
    long age = e.currentAge(now);
    if (rq.maxAge >= 0 && age > rq.maxAge * 1000) {
      return null;
    }
    long left = e.freshLeft(now);
    if (left > 0) {
      return rq.minFresh < 0 || left >= rq.minFresh * 1000 ? "" : null;
    }
    if (e.mustRevalidate() || rq.minFresh >= 0) {
      return null; // §5.2.2.2, §5.2.2.8, §5.2.2.10: stale may not be served without revalidation
    }
    if (rq.maxStale >= 0 && -left <= rq.maxStale * 1000) {
      return "; detail=max-stale";
    }
    return null;
  }

  /**
   * Whether stale {@code e} may answer now while it is revalidated in the background (RFC 5861 §3): within its
   * {@code stale-while-revalidate} window, and neither the response ({@code must-revalidate}, {@code
   * proxy-revalidate}, {@code s-maxage}, {@code no-cache}) nor the request ({@code no-cache}, {@code max-age}, {@code
   * min-fresh}) demands a validated answer.
   */
  private static boolean staleWhileRevalidate(StoredResponse e, Directives rq, long now) {
    long left = e.freshLeft(now);
    return e.staleWhileRevalidate >= 0 && left <= 0 && -left <= e.staleWhileRevalidate * 1000
        && !e.mustRevalidate() && !e.noCache() && !rq.noCache && rq.minFresh < 0
        && (rq.maxAge < 0 || e.currentAge(now) <= rq.maxAge * 1000);
  }

  /**
   * The background revalidation of stale {@code e} for the request {@code ex} (which is answered stale meanwhile):
   * a GET through the route's upstream with the request's headers and the entry's validators. A 304 that selects
   * the entry is merged into it (§4.3.4), a storable response replaces it, and an error, a 5xx or an unreachable
   * upstream keeps it (counted). {@code leader} is this key's collapsing promise, completed whatever happens.
   */
  private void revalidate(Exchange ex, Directives rq, StoredResponse e, Found found,
      Promise<@Nullable StoredResponse> leader) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap().addAll(ex.request().headers());
    for (String name : NOT_REVALIDATED_WITH) {
      h.remove(name);
    }
    String etag = e.header("ETag");
    String lastModified = e.header("Last-Modified");
    if (etag != null) {
      h.set(HttpHeaders.IF_NONE_MATCH, etag);
    }
    if (lastModified != null) {
      h.set(HttpHeaders.IF_MODIFIED_SINCE, lastModified);
    }
    String query = ex.request().query();
    String uri = query == null ? ex.request().path() : ex.request().path() + "?" + query;
    boolean authenticated = authenticated(ex);
    String id = ex.id();
    long requestTime = clock.getAsLong();
    revalidations.increment();
    Future<UpstreamResponse> sent;
    try {
      sent = upstream.send(ex, HttpMethod.GET, uri, h, maxObject);
    } catch (RuntimeException err) {
      sent = Future.failedFuture(err);
    }
    sent.onComplete(ar -> {
      StoredResponse stored = null;
      try {
        if (ar.failed()) {
          revalidationFailures.increment();
          log.debug("request {} route {}: background revalidation failed, keeping the stale entry: {}", id, routeId,
              ar.cause().toString());
        } else {
          stored = revalidated(ar.result(), e, rq, h, found, authenticated, requestTime, id);
        }
      } catch (RuntimeException err) {
        log.debug("request {} route {}: background revalidation not applied: {}", id, routeId, err.toString());
      } finally {
        collapser.done(found.key(), leader, stored);
      }
    });
  }

  /** Applies a background revalidation's answer to stale {@code e}; the entry now stored, or null. */
  private @Nullable StoredResponse revalidated(UpstreamResponse r, StoredResponse e, Directives rq, MultiMap sent,
      Found found, boolean authenticated, long requestTime, String id) {
    long responseTime = clock.getAsLong();
    int st = r.status();
    MultiMap h = r.headers();
    if (st >= 500) {
      revalidationFailures.increment();
      log.debug("request {} route {}: background revalidation answered {}, keeping the stale entry", id, routeId, st);
      return null;
    }
    if (st == 304) {
      if (!e.hasValidators() || !selects(h.get("ETag"), e.header("ETag"))) {
        invalidate(found.key()); // §4.3.4: it validates another representation than the stored one
        return null;
      }
      Merged merged = merge(e, h, found, rq, authenticated, requestTime, responseTime);
      return merged != null && merged.stored() ? merged.response() : null;
    }
    Directives cc = Directives.parse(h.getAll(HttpHeaders.CACHE_CONTROL), null);
    if (Freshness.refusal(st, cc, rq, h, authenticated, config.ttl() != null) != null) {
      return null; // as for a synchronous fetch: not stored, and the stale entry is left to expire
    }
    if (!h.contains(HttpHeaders.DATE)) {
      h.set(HttpHeaders.DATE, HttpDates.format(responseTime));
    }
    List<String> varyNames = CacheKeys.varyNames(h);
    StoredResponse s = build(st, storable(h), Directives.seconds(h.get("Age")) * 1000, requestTime, responseTime,
        varyNames, CacheKeys.varyValues(varyNames, sent), r.body(), found.primary());
    if (s != null) {
      put(found, s);
    }
    return s;
  }

  /**
   * Goes upstream for a miss or a stale entry: conditionally when the entry has validators (§4.3.1); stores what
   * may be stored, updates the entry from a 304 (§4.3.4), serves stale on an error where allowed (RFC 5861
   * §4). {@code leader} is the collapsing promise when this request leads, and is completed whatever happens.
   */
  private Future<Void> fetch(Exchange ex, Chain chain, Directives rq, Found found,
      @Nullable Promise<@Nullable StoredResponse> leader, String fwd) {
    MultiMap rh = ex.request().headers();
    StoredResponse e = found.entry();
    String clientInm = rh.get(HttpHeaders.IF_NONE_MATCH);
    String clientIms = rh.get(HttpHeaders.IF_MODIFIED_SINCE);
    boolean revalidating = e != null && e.hasValidators();
    if (revalidating) {
      rh.remove(HttpHeaders.IF_NONE_MATCH).remove(HttpHeaders.IF_MODIFIED_SINCE);
      String etag = e.header("ETag");
      String lastModified = e.header("Last-Modified");
      if (etag != null) {
        rh.set(HttpHeaders.IF_NONE_MATCH, etag);
      }
      if (lastModified != null) {
        rh.set(HttpHeaders.IF_MODIFIED_SINCE, lastModified);
      }
    }
    long requestTime = clock.getAsLong();
    String key = found.key();
    return chain.proceed().transform(ar -> {
      try {
        long responseTime = clock.getAsLong();
        if (ar.failed()) {
          collapser.done(key, leader, null);
          if (e != null && staleIfError(e, rq, responseTime)) {
            restoreConditionals(rh, clientInm, clientIms);
            return serve(ex, e, responseTime, true, CacheOutcome.STALE, "fwd=stale; ttl="
                + Math.floorDiv(e.freshLeft(responseTime), 1000) + "; detail=stale-if-error");
          }
          return Future.failedFuture(ar.cause());
        }
        if (ex.rejected()) {
          collapser.done(key, leader, null);
          return Future.succeededFuture();
        }
        Response resp = ex.response();
        int st = resp.status();
        if (st == 304 && revalidating && !selects(resp.headers().get("ETag"), e.header("ETag"))) {
          // §4.3.4: the 304 names a representation other than the stored one: nothing is updated, and the
          // stored entry is dropped (its body is not what the origin now validates)
          collapser.done(key, leader, null);
          invalidate(key);
          restoreConditionals(rh, clientInm, clientIms);
          String etag = resp.headers().get("ETag");
          if (clientInm != null && Conditionals.matches(etag, clientInm)) {
            status(resp.headers(), CacheOutcome.MISS, fwd + "; fwd-status=304; detail=validator-mismatch");
            return Future.succeededFuture(); // the client's own validator is the one the 304 confirms
          }
          return ex.reject(Rejection.of(502, "CACHE_VALIDATOR_MISMATCH")
              .message("the upstream confirmed a representation other than the stored one; retry")
              .header("Cache-Status", config.name() + "; " + fwd + "; fwd-status=304; detail=validator-mismatch"));
        }
        if (st == 304 && revalidating) {
          Merged merged = merge(e, resp.headers(), found, rq, authenticated(ex), requestTime, responseTime);
          restoreConditionals(rh, clientInm, clientIms);
          boolean stored = merged != null && merged.stored();
          // This client gets the updated response, its own Set-Cookie included; the collapsed ones only what was
          // stored (they go upstream themselves otherwise).
          StoredResponse served = merged == null ? e : merged.response();
          collapser.done(key, leader, stored ? merged.response() : null);
          return serve(ex, served, responseTime, true, CacheOutcome.MISS,
              fwd + "; fwd-status=304" + (stored ? "; stored" : ""));
        }
        if (st >= 500 && e != null && staleIfError(e, rq, responseTime)) {
          collapser.done(key, leader, null);
          restoreConditionals(rh, clientInm, clientIms);
          return serve(ex, e, responseTime, true, CacheOutcome.STALE, "fwd=stale; fwd-status=" + st + "; ttl="
              + Math.floorDiv(e.freshLeft(responseTime), 1000) + "; detail=stale-if-error");
        }
        store(ex, rq, found, leader, requestTime, responseTime, fwd + (revalidating ? "; fwd-status=" + st : ""));
        return Future.succeededFuture();
      } catch (RuntimeException err) {
        collapser.done(key, leader, null);
        return Future.failedFuture(err);
      }
    });
  }

  /**
   * Whether a 304's {@code ETag} selects the stored response (RFC 9111 §4.3.4): a 304 without one (validated
   * by {@code Last-Modified}) selects it; one with an ETag only when the stored response has the same.
   */
  private static boolean selects(@Nullable String notModifiedEtag, @Nullable String storedEtag) {
    return notModifiedEtag == null || storedEtag != null && notModifiedEtag.trim().equals(storedEtag.trim());
  }

  /** Puts the client's own conditionals back, so that the answer from the cache evaluates them (not ours). */
  private static void restoreConditionals(MultiMap rh, @Nullable String inm, @Nullable String ims) {
    rh.remove(HttpHeaders.IF_NONE_MATCH).remove(HttpHeaders.IF_MODIFIED_SINCE);
    if (inm != null) {
      rh.set(HttpHeaders.IF_NONE_MATCH, inm);
    }
    if (ims != null) {
      rh.set(HttpHeaders.IF_MODIFIED_SINCE, ims);
    }
  }

  private static boolean staleIfError(StoredResponse e, Directives rq, long now) {
    if (e.mustRevalidate()) {
      return false; // §5.2.2.2: a 504 (or the error) rather than a stale response
    }
    long window = Math.max(e.staleIfError, rq.staleIfError);
    return window >= 0 && -e.freshLeft(now) <= window * 1000;
  }

  /** Stores the upstream's full response while it streams to the client, when RFC 9111 §3 allows. */
  private void store(Exchange ex, Directives rq, Found found, @Nullable Promise<@Nullable StoredResponse> leader,
      long requestTime, long responseTime, String fwd) {
    Response resp = ex.response();
    MultiMap h = resp.headers();
    int st = resp.status();
    Directives cc = Directives.parse(h.getAll(HttpHeaders.CACHE_CONTROL), null);
    String refusal = Freshness.refusal(st, cc, rq, h, authenticated(ex), config.ttl() != null);
    long length = resp.body().length();
    if (refusal == null && length > maxObject) {
      refusal = "too-large";
    }
    if (refusal != null) {
      collapser.done(found.key(), leader, null);
      status(h, CacheOutcome.MISS, fwd + "; detail=" + refusal);
      return;
    }
    if (!h.contains(HttpHeaders.DATE)) {
      // RFC 9110 §6.6.1: a recipient with a clock that caches or forwards a response without Date adds one
      h.set(HttpHeaders.DATE, HttpDates.format(responseTime));
    }
    MultiMap snapshot = storable(h);
    long ageHeader = Directives.seconds(h.get("Age")) * 1000;
    List<String> varyNames = CacheKeys.varyNames(h);
    List<String> varyValues = CacheKeys.varyValues(varyNames, ex.request().headers());
    status(h, CacheOutcome.MISS, fwd + "; stored");
    resp.body().copy(maxObject).onComplete(copied -> {
      Buffer body = copied.succeeded() ? copied.result() : null;
      StoredResponse s = body == null ? null
          : build(st, snapshot, ageHeader, requestTime, responseTime, varyNames, varyValues, body, found.primary());
      if (s != null) {
        put(found, s);
      }
      collapser.done(found.key(), leader, s);
    });
  }

  /**
   * §3.5: a request with {@code Authorization}, or by a consumer the key does not separate, may only be answered
   * from a response that says it may be shared. {@code keyConsumer} lifts the rule only for a consumer whose
   * credential is gone from the request by now (an auth policy that strips it): an {@code Authorization} still
   * present may be an end user's token the gateway never checked (two users of one app share one consumer), so
   * it keeps §3.5 whatever the key holds.
   */
  private boolean authenticated(Exchange ex) {
    if (ex.request().headers().contains(HttpHeaders.AUTHORIZATION)) {
      return true;
    }
    return ex.consumer() != null && !config.keyConsumer();
  }

  private static MultiMap storable(MultiMap h) {
    MultiMap copy = MultiMap.caseInsensitiveMultiMap();
    for (var entry : h) {
      if (!UNSTORED.contains(entry.getKey().toLowerCase(Locale.ROOT))) {
        copy.add(entry.getKey(), entry.getValue());
      }
    }
    return copy;
  }

  /** The entry for a response, its times (§4.2.3) and freshness (§4.2.1); null when it cannot be kept at all. */
  private @Nullable StoredResponse build(int status, MultiMap headers, long ageHeader, long requestTime,
      long responseTime, List<String> varyNames, List<String> varyValues, Buffer body, String primary) {
    Directives cc = Directives.parse(headers.getAll(HttpHeaders.CACHE_CONTROL), null);
    long date = HttpDates.parse(headers.get(HttpHeaders.DATE));
    long dateValue = date == HttpDates.INVALID ? responseTime : date;
    long corrected = StoredResponse.correctedInitialAge(ageHeader, dateValue, requestTime, responseTime);
    long lifetime = Freshness.lifetime(status, cc, headers, dateValue, config);
    int flags = (cc.mustRevalidate || cc.proxyRevalidate || cc.sMaxAge >= 0 ? StoredResponse.MUST_REVALIDATE : 0)
        | (cc.noCache ? StoredResponse.NO_CACHE : 0);
    return new StoredResponse(status, requestTime, responseTime, corrected, lifetime, flags,
        cc.staleWhileRevalidate, cc.staleIfError, varyNames, varyValues, StoredResponse.flatten(headers), body,
        primary, tags(headers));
  }

  /** The purge tags of a response: {@code tagHeader}'s values, split at spaces and commas (Surrogate-Key, Cache-Tag). */
  private List<String> tags(MultiMap headers) {
    List<String> lines = headers.getAll(config.tagHeader());
    if (lines.isEmpty()) {
      return List.of();
    }
    List<String> tags = new java.util.ArrayList<>();
    for (String line : lines) {
      for (String t : line.split("[ ,\t]+")) {
        if (!t.isEmpty() && !tags.contains(t)) {
          tags.add(t);
        }
      }
    }
    return tags;
  }

  /** A stored response updated from a 304, and whether it was stored again. */
  private record Merged(StoredResponse response, boolean stored) {}

  /**
   * §4.3.4: the stored response updated with the 304's headers (all but {@code Content-Length}) and the new
   * times; stored again only if the updated response may be stored, by the rules of a fresh one
   * ({@link Freshness#refusal}: a 304 that sets a cookie, says no-store or private, answers an authenticated
   * request without public, or varies on {@code *} is served to its client but not kept for others). Null when
   * the updated response cannot be kept at all.
   */
  private @Nullable Merged merge(StoredResponse e, MultiMap notModified, Found found, Directives rq,
      boolean authenticated, long requestTime, long responseTime) {
    MultiMap merged = MultiMap.caseInsensitiveMultiMap();
    e.copyHeaders(merged);
    for (var entry : storable(notModified)) {
      if (!entry.getKey().equalsIgnoreCase("Content-Length")) {
        merged.remove(entry.getKey());
      }
    }
    for (var entry : storable(notModified)) {
      if (!entry.getKey().equalsIgnoreCase("Content-Length")) {
        merged.add(entry.getKey(), entry.getValue());
      }
    }
    long ageHeader = Directives.seconds(notModified.get("Age")) * 1000;
    StoredResponse s =
        build(e.status, merged, ageHeader, requestTime, responseTime, e.varyNames, e.varyValues, e.body,
            found.primary());
    if (s == null) {
      return null;
    }
    Directives cc = Directives.parse(merged.getAll(HttpHeaders.CACHE_CONTROL), null);
    if (Freshness.refusal(e.status, cc, rq, merged, authenticated, config.ttl() != null) != null) {
      return new Merged(s, false);
    }
    put(found, s);
    return new Merged(s, true);
  }

  /** Writes the entry (and its Vary marker) with a time-to-live that keeps it while it can still be used. */
  private void put(Found found, StoredResponse s) {
    long now = clock.getAsLong();
    long fresh = Math.max(0, s.freshLeft(now));
    long stale = s.mustRevalidate() && !s.hasValidators()
        ? 0
        : Math.max(retention, Math.max(s.staleWhileRevalidate, s.staleIfError) * 1000);
    // capped: a purge rule (kept purge.ruleRetention after it was made) must outlive every entry it can match,
    // and it matches entries whose upstream request began before it: so no entry outlives its request time by more
    long ttl = Math.min(fresh + stale, ruleRetention - Math.max(0, now - s.requestTime));
    if (ttl < 1000) {
      return;
    }
    Duration d = Duration.ofMillis(ttl);
    String key;
    if (!s.varyNames.isEmpty()) {
      List<String> marker = found.marker();
      String id;
      if (marker != null && marker.subList(1, marker.size()).equals(s.varyNames)) {
        id = marker.get(0);
      } else {
        id = UUID.randomUUID().toString();
        cache.put(found.primary(), StoredResponse.encodeVary(id, s.varyNames),
                Duration.ofMillis(Math.max(ttl, MARKER_MILLIS)))
            .onFailure(err -> log.debug("cache put failed: {}", err.toString()));
      }
      key = CacheKeys.secondary(found.primary(), id, s.varyValues);
    } else {
      key = found.primary();
    }
    cache.put(key, s.encode(), d).onFailure(err -> log.debug("cache put failed: {}", err.toString()));
  }

  /**
   * Answers from {@code e}: a 304 when the client's conditionals match it (RFC 9110 §13.2.2, RFC 9111 §4.3.2),
   * else its status, headers and body; with {@code Age} (§5.1) and {@code Cache-Status}. {@code afterUpstream}:
   * the response holds the upstream's headers, which go first.
   */
  private Future<Void> serve(Exchange ex, StoredResponse e, long now, boolean afterUpstream, CacheOutcome outcome,
      String cacheStatus) {
    Response r = ex.response();
    MultiMap h = r.headers();
    if (afterUpstream) {
      h.clear();
    }
    MultiMap rh = ex.request().headers();
    if (e.status == 200 && Conditionals.notModified(e, rh.get(HttpHeaders.IF_NONE_MATCH),
        rh.get(HttpHeaders.IF_MODIFIED_SINCE))) {
      r.status(304);
      for (String name : NOT_MODIFIED_HEADERS) {
        for (int i = 0; i < e.headers.size(); i += 2) {
          if (e.headers.get(i).equalsIgnoreCase(name)) {
            h.add(e.headers.get(i), e.headers.get(i + 1));
          }
        }
      }
      r.body().set(Buffer.buffer());
    } else {
      r.status(e.status);
      e.copyHeaders(h);
      r.body().set(e.body);
    }
    h.set("Age", String.valueOf(Math.max(0, e.currentAge(now) / 1000)));
    status(h, outcome, cacheStatus);
    return Future.succeededFuture();
  }

  /** Adds this cache's member to {@code Cache-Status} (RFC 9211 §2: each cache appends its own). */
  private void status(MultiMap h, CacheOutcome outcome, String params) {
    // Every answer passes here once: the meters count the outcome its caller decided.
    (switch (outcome) {
      case HIT -> hits;
      case STALE -> stale;
      case MISS -> misses;
      case BYPASS -> bypasses;
    }).increment();
    h.add("Cache-Status", config.name() + "; " + params);
    if (config.stripTagHeader()) {
      h.remove(config.tagHeader()); // stored with the entry, never shown to the client
    }
  }
}
