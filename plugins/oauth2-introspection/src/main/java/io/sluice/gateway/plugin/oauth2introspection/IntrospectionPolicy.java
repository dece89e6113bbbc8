// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.oauth2introspection;

import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.Exchange;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.Rejection;
import io.sluice.gateway.api.auth.BearerTokens;
import io.sluice.gateway.api.auth.CallerContext;
import io.sluice.gateway.api.auth.ConsumerValues;
import io.sluice.gateway.api.auth.MissingCredentials;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Introspects the request's token (RFC 7662) and sets the exchange's consumer. Answers are cached by token
 * digest; concurrent requests with the same uncached token share one call. An endpoint that fails, answers
 * something other than 200 with a JSON object, or exceeds the timeout yields 503 {@code AUTH_UNAVAILABLE}
 * (fail closed), which is not cached.
 */
final class IntrospectionPolicy implements Policy {

  private static final Logger log = LoggerFactory.getLogger(IntrospectionPolicy.class);
  static final String TOKEN_MISSING = "TOKEN_MISSING";
  static final String TOKEN_INVALID = "TOKEN_INVALID";
  static final String TOKEN_CLAIMS_INVALID = "TOKEN_CLAIMS_INVALID";
  static final String AUTH_UNAVAILABLE = "AUTH_UNAVAILABLE";
  private static final long WARN_EVERY_MS = 10_000;
  /** The consumer id of a token without {@code sub} is this prefix and its {@code client_id}. */
  static final String CLIENT_PREFIX = "client:";

  private final IntrospectionConfig config;
  private final WebClient http;
  private final Clock clock;
  private final String routeId;
  private final BearerTokens source;
  private final String authorization;
  private final List<String> headerNames;
  private final List<Map.Entry<String, String>> claimHeaders;
  /** Active answers, apart from {@link #refused}: a flood of made-up tokens never pushes them out. */
  private final AnswerCache cache;
  private final AnswerCache refused;
  private final Map<String, Future<Introspected>> inFlight = new ConcurrentHashMap<>();
  private final AtomicLong lastWarn = new AtomicLong(Long.MIN_VALUE / 2);

  IntrospectionPolicy(IntrospectionConfig config, WebClient http, Clock clock, String routeId) {
    this.config = config;
    this.http = http;
    this.clock = clock;
    this.routeId = routeId;
    this.source = BearerTokens.at(config.token());
    // RFC 6749 §2.3.1: client id and secret are form-encoded before they are joined and base64-encoded.
    String pair = form(config.clientId()) + ":" + form(config.clientSecret());
    this.authorization = "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    this.headerNames = List.copyOf(config.claimHeaders().values());
    this.claimHeaders = List.copyOf(config.claimHeaders().entrySet());
    this.cache = new AnswerCache(config.cacheSize(), clock);
    this.refused = new AnswerCache(Math.max(1, config.cacheSize() / 10), clock);
  }

  @Override
  public List<String> upstreamHeaders() {
    return headerNames;
  }

  @Override
  public Future<Void> apply(Exchange exchange, Chain chain) {
    for (String h : headerNames) {
      exchange.request().headers().remove(h);
    }
    if (source.several(exchange.request())) {
      return exchange.reject(refusal(TOKEN_INVALID, "the request carries more than one token"));
    }
    String token = source.find(exchange.request());
    if (token == null) {
      return MissingCredentials.reject(exchange, Rejection.of(401, TOKEN_MISSING).message("this route needs a token in " + source.describe())
          .header("WWW-Authenticate", "Bearer realm=\"" + config.realm() + "\""));
    }
    String key = AnswerCache.key(token);
    Introspected cached = cache.get(key);
    if (cached == null) {
      cached = refused.get(key);
    }
    if (cached != null) {
      return decide(exchange, chain, cached);
    }
    Future<Introspected> shared = inFlight.get(key);
    if (shared == null) {
      Promise<Introspected> promise = Promise.promise();
      shared = inFlight.putIfAbsent(key, promise.future());
      if (shared == null) {
        shared = promise.future();
        introspect(token, key, promise);
      }
    }
    return CallerContext.resume(shared).transform(answer -> answer.succeeded() ? decide(exchange, chain, answer.result())
        : exchange.reject(Rejection.of(503, AUTH_UNAVAILABLE).message("the token cannot be checked right now")
            .header("Retry-After", "5")));
  }

  private Future<Void> decide(Exchange exchange, Chain chain, Introspected answer) {
    if (answer.refusal() != null) {
      return exchange.reject(answer.refusal());
    }
    exchange.consumer(answer.consumer());
    source.strip(exchange.request());
    for (Map.Entry<String, String> h : answer.headers()) {
      exchange.request().headers().set(h.getKey(), h.getValue());
    }
    return chain.proceed();
  }

  private void introspect(String token, String key, Promise<Introspected> promise) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("token", token);
    if (!config.tokenTypeHint().isEmpty()) {
      form.add("token_type_hint", config.tokenTypeHint());
    }
    Future<HttpResponse<Buffer>> call;
    try {
      // The web client's own timeout is idle-based (a byte a second would keep it waiting): bound the whole call.
      long timeout = config.timeout().toMillis();
      call = http.postAbs(config.url()).idleTimeout(timeout)
          .putHeader("Authorization", authorization).putHeader("Accept", "application/json").sendForm(form)
          .timeout(timeout, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      call = Future.failedFuture(e);
    }
    call.map(this::read).onComplete(result -> {
      if (result.succeeded()) {
        // Cache first, then leave the in-flight map: a request arriving in between finds one or the other
        // and never makes a second call for the same token.
        (result.result().refusal() == null ? cache : refused).put(key, result.result());
        inFlight.remove(key);
        promise.complete(result.result());
      } else {
        inFlight.remove(key);
        warn(result.cause());
        promise.fail(result.cause());
      }
    });
  }

  /** Turns a 200 answer into an outcome; anything else is the endpoint's failure, not the token's. */
  private Introspected read(HttpResponse<Buffer> response) {
    if (response.statusCode() != 200) {
      throw new IllegalStateException("HTTP " + response.statusCode());
    }
    JsonObject answer;
    try {
      answer = response.body() == null ? null : new JsonObject(response.body());
    } catch (DecodeException | ClassCastException e) {
      answer = null;
    }
    if (answer == null || !(answer.getValue("active") instanceof Boolean)) {
      throw new IllegalStateException("the answer is not an RFC 7662 JSON object with a boolean 'active'");
    }
    long now = clock.millis();
    long negativeUntil = now + config.negativeCacheTtl().toMillis();
    Long exp = seconds(answer, "exp");
    Long nbf = seconds(answer, "nbf");
    if (!answer.getBoolean("active") || exp != null && exp * 1000 <= now || nbf != null && nbf * 1000 > now) {
      return Introspected.refused(refusal(TOKEN_INVALID, "the token is not active"), negativeUntil);
    }
    if (!config.audiences().isEmpty() && disjoint(config.audiences(), strings(answer.getValue("aud")))) {
      return Introspected.refused(refusal(TOKEN_CLAIMS_INVALID, "the token is meant for another audience"), negativeUntil);
    }
    String id = scalar(answer.getValue(config.consumerClaim()));
    if (id == null && config.consumerClaim().equals("sub")) {
      // A client-credentials token has no subject. Its client is named in a namespace of its own, so that a
      // client registered as "alice" never runs as the user alice (rate-limit buckets, cached responses, ACLs).
      String client = scalar(answer.getValue("client_id"));
      id = client != null ? CLIENT_PREFIX + client : null;
    }
    if (id == null) {
      return Introspected.refused(refusal(TOKEN_CLAIMS_INVALID, "the token has no '" + config.consumerClaim()
          + "' to name its consumer"), negativeUntil);
    }
    // Values that would read as several in the consumer headers (a comma in a group, a space in a scope) are dropped.
    Set<String> groups = config.groupsClaim() != null ? strings(answer.getValue(config.groupsClaim()), true) : Set.of();
    Consumer consumer = Consumer.of(id).withGroups(groups).withScopes(strings(answer.getValue("scope"), false));
    long until = now + config.cacheTtl().toMillis();
    if (exp != null) {
      until = Math.min(until, exp * 1000);
    }
    return Introspected.admitted(consumer, headers(answer), until);
  }

  private Rejection refusal(String key, String description) {
    return Rejection.of(401, key).message(description).header("WWW-Authenticate", "Bearer realm=\"" + config.realm()
        + "\", error=\"invalid_token\", error_description=\"" + description + "\"");
  }

  private List<Map.Entry<String, String>> headers(JsonObject answer) {
    List<Map.Entry<String, String>> out = new ArrayList<>(claimHeaders.size());
    for (Map.Entry<String, String> m : claimHeaders) {
      Object v = answer.getValue(m.getKey());
      String text = v instanceof JsonArray a ? String.join(",", a.stream().map(String::valueOf).toList())
          : v == null ? null : v.toString();
      if (text != null && headerSafe(text)) {
        out.add(new AbstractMap.SimpleImmutableEntry<>(m.getValue(), text));
      }
    }
    return out;
  }

  private void warn(Throwable cause) {
    long now = clock.millis();
    long last = lastWarn.get();
    if (now - last >= WARN_EVERY_MS && lastWarn.compareAndSet(last, now)) {
      log.warn("route {}: introspection endpoint {} failed ({}); requests with uncached tokens get 503"
          + " (logged at most every 10 s)", routeId, config.url(), cause.getMessage());
    }
  }

  private static @Nullable Long seconds(JsonObject answer, String name) {
    return answer.getValue(name) instanceof Number n ? n.longValue() : null;
  }

  private static @Nullable String scalar(@Nullable Object v) {
    if (v instanceof String s) {
      return s.isEmpty() ? null : s;
    }
    return v instanceof Number || v instanceof Boolean ? v.toString() : null;
  }

  private static final java.util.concurrent.atomic.AtomicBoolean DROPPED = new java.util.concurrent.atomic.AtomicBoolean();

  private static Set<String> strings(@Nullable Object v) {
    Set<String> out = new LinkedHashSet<>();
    if (v instanceof String s) {
      for (String part : s.split(" ")) {
        if (!part.isEmpty()) {
          out.add(part);
        }
      }
    } else if (v instanceof JsonArray a) {
      for (Object o : a) {
        if (o instanceof String s && !s.isEmpty()) {
          out.add(s);
        }
      }
    }
    return out;
  }

  /** Groups or scopes, without the values that would read as several upstream. */
  private static Set<String> strings(@Nullable Object v, boolean groups) {
    return groups ? ConsumerValues.groups(v, IntrospectionPolicy::droppedGroup)
        : ConsumerValues.scopes(v, IntrospectionPolicy::droppedScope);
  }

  private static void droppedGroup() {
    dropped("group");
  }

  private static void droppedScope() {
    dropped("scope");
  }

  private static void dropped(String what) {
    if (DROPPED.compareAndSet(false, true)) {
      log.warn("an introspection answer carried a {} with a comma, space or control character; such values are"
          + " dropped (they would read as several in the consumer headers)", what);
    }
  }

  private static boolean disjoint(List<String> accepted, Set<String> audiences) {
    for (String a : accepted) {
      if (audiences.contains(a)) {
        return false;
      }
    }
    return true;
  }

  private static boolean headerSafe(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 && c != '\t' || c == 0x7f) {
        return false;
      }
    }
    return true;
  }

  private static String form(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
