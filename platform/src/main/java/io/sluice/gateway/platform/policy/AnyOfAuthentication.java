// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.policy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.gateway.api.AttributeKey;
import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.Exchange;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.Rejection;
import io.sluice.gateway.api.Request;
import io.sluice.gateway.api.Response;
import io.sluice.gateway.api.Stage;
import io.sluice.gateway.api.auth.MissingCredentials;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A route's authentication policies under {@code authentication: {mode: any}}: tried in order, the first that
 * proceeds wins. Each one runs against a trial view of the exchange whose {@code reject} only records the
 * refusal (and whose consumer is committed only when it proceeds), so that the next can be tried.
 *
 * <p>When all refuse: a refusal about credentials that were presented but are wrong (any refusal not marked
 * with {@link MissingCredentials}, whatever its key) is answered, the first such; otherwise, with no
 * credentials at all, the anonymous consumer is used if configured, else {@code 401 AUTH_MISSING}. Either
 * answer carries every scheme's {@code WWW-Authenticate}. Built only for routes that ask for it: other routes
 * keep the plain chain.
 *
 * <p>The client's copies of every grouped policy's {@link Policy#upstreamHeaders()} are removed before the
 * first trial, so that a claim header a jwt policy would set cannot reach the upstream from the client when
 * key-auth wins.
 *
 * <p>Isolation: attributes a trial {@code put}s are buffered and reach the exchange only if it proceeds; the
 * consumer likewise. Request headers and the query are the exchange's own (a copy per trial would cost every
 * request), so the shipped policies change them only once they accept, just before {@code proceed()}; a
 * policy that edits the request and then refuses leaves its edits to the next trial.
 */
final class AnyOfAuthentication implements Policy, AutoCloseable {

  static final String TYPE = "authentication";

  private final Policy[] policies;
  private final @Nullable Consumer anonymous;
  /** Every grouped policy's {@link Policy#upstreamHeaders()}: removed before the first trial. */
  private final String[] upstreamHeaders;

  private AnyOfAuthentication(Policy[] policies, @Nullable Consumer anonymous) {
    this.policies = policies;
    this.anonymous = anonymous;
    Set<String> names = new LinkedHashSet<>();
    for (Policy p : policies) {
      names.addAll(p.upstreamHeaders());
    }
    this.upstreamHeaders = names.toArray(String[]::new);
  }

  /** Replaces the authentication-stage entries of a stage-sorted chain by one any-of entry, in their place. */
  static List<ChainEntry> group(List<ChainEntry> sorted, @Nullable Consumer anonymous) {
    List<ChainEntry> out = new ArrayList<>(sorted.size());
    List<ChainEntry> auth = new ArrayList<>();
    int at = -1;
    for (ChainEntry e : sorted) {
      if (e.stage() == Stage.AUTHENTICATE) {
        auth.add(e);
        if (at < 0) {
          at = out.size();
        }
      } else {
        if (at < 0 && e.stage().compareTo(Stage.AUTHENTICATE) > 0) {
          at = out.size();
        }
        out.add(e);
      }
    }
    if (auth.isEmpty() && anonymous == null) {
      return sorted;
    }
    if (at < 0) {
      at = out.size();
    }
    Policy[] policies = new Policy[auth.size()];
    ObjectNode config = JsonNodeFactory.instance.objectNode().put("mode", "any");
    if (anonymous != null) {
      config.put("anonymous", anonymous.id());
    }
    var of = config.putArray("of");
    for (int i = 0; i < policies.length; i++) {
      policies[i] = auth.get(i).policy();
      of.add(auth.get(i).type());
    }
    out.add(at, new ChainEntry(TYPE, Stage.AUTHENTICATE, "builtin", new AnyOfAuthentication(policies, anonymous), config));
    return out;
  }

  @Override
  public Future<Void> apply(Exchange exchange, Chain chain) {
    // A header only a policy that did not win would have set (a token's claims) never passes through from
    // the client because another policy won.
    for (String h : upstreamHeaders) {
      exchange.request().headers().remove(h);
    }
    return attempt(0, exchange, chain, new ArrayList<>(policies.length));
  }

  private Future<Void> attempt(int index, Exchange exchange, Chain chain, List<Refused> refusals) {
    if (index == policies.length) {
      return allRefused(exchange, chain, refusals);
    }
    Trial trial = new Trial(exchange, chain);
    Future<Void> applied;
    try {
      applied = policies[index].apply(trial, trial);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    if (applied == null) {
      return Future.failedFuture(new IllegalStateException("an authentication policy returned null"));
    }
    return applied.compose(v -> {
      if (trial.proceeded || trial.refusal == null) {
        return Future.succeededFuture(); // it won (or answered the request itself)
      }
      refusals.add(new Refused(trial.refusal, trial.missing));
      return attempt(index + 1, exchange, chain, refusals);
    });
  }

  private Future<Void> allRefused(Exchange exchange, Chain chain, List<Refused> refusals) {
    Rejection answer = null;
    for (Refused r : refusals) {
      if (!r.missing()) {
        answer = r.rejection();
        break;
      }
    }
    if (answer == null) {
      if (anonymous != null) {
        exchange.consumer(anonymous);
        return chain.proceed();
      }
      answer = Rejection.of(401, "AUTH_MISSING").message("credentials are required");
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(answer.headers());
    List<String> schemes = new ArrayList<>(headers.getAll("WWW-Authenticate"));
    for (Refused r : refusals) {
      for (String challenge : r.rejection().headers().getAll("WWW-Authenticate")) {
        if (!schemes.contains(challenge)) {
          schemes.add(challenge);
        }
      }
    }
    headers.remove("WWW-Authenticate");
    for (String challenge : schemes) {
      headers.add("WWW-Authenticate", challenge);
    }
    return exchange.reject(new Rejection(answer.status(), answer.key(), answer.message(), headers));
  }

  /** Closes the grouped policies that hold resources, as the gateway closes the chain's own entries. */
  @Override
  public void close() throws Exception {
    Exception first = null;
    for (Policy p : policies) {
      if (p instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          if (first == null) {
            first = e;
          } else {
            first.addSuppressed(e);
          }
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** One trial's refusal; {@code missing}: marked "no credential presented" ({@link MissingCredentials}). */
  private record Refused(Rejection rejection, boolean missing) {}

  /** The exchange and chain one candidate policy sees. */
  private static final class Trial implements Exchange, Chain {
    private final Exchange exchange;
    private final Chain chain;
    private @Nullable Consumer consumer;
    private @Nullable Rejection refusal;
    private boolean missing;
    private boolean proceeded;
    private @Nullable Map<AttributeKey<?>, Object> puts;

    Trial(Exchange exchange, Chain chain) {
      this.exchange = exchange;
      this.chain = chain;
    }

    @Override
    public Future<Void> proceed() {
      if (proceeded) {
        return Future.failedFuture(new IllegalStateException("called proceed() twice"));
      }
      proceeded = true;
      if (consumer != null) {
        exchange.consumer(consumer);
      }
      if (puts != null) {
        for (Map.Entry<AttributeKey<?>, Object> put : puts.entrySet()) {
          commit(put.getKey(), put.getValue());
        }
        puts = null;
      }
      return chain.proceed();
    }

    @Override
    public String id() {
      return exchange.id();
    }

    @Override
    public String routeId() {
      return exchange.routeId();
    }

    @Override
    public Request request() {
      return exchange.request();
    }

    @Override
    public Response response() {
      return exchange.response();
    }

    @Override
    public @Nullable Consumer consumer() {
      return proceeded || consumer == null ? exchange.consumer() : consumer;
    }

    @Override
    public void consumer(Consumer consumer) {
      if (proceeded) {
        exchange.consumer(consumer);
      } else {
        this.consumer = consumer;
      }
    }

    @SuppressWarnings("unchecked")
    private <T> void commit(AttributeKey<T> key, Object value) {
      exchange.put(key, (T) value);
    }

    @Override
    public <T> @Nullable T get(AttributeKey<T> key) {
      if (!proceeded && puts != null && puts.containsKey(key)) {
        return key.type().cast(puts.get(key));
      }
      return exchange.get(key);
    }

    @Override
    public <T> void put(AttributeKey<T> key, T value) {
      if (proceeded) {
        exchange.put(key, value);
        return;
      }
      if (key.name().equals(MissingCredentials.NAME)) {
        missing = Boolean.TRUE.equals(value);
        return; // about this trial only: never reaches the exchange
      }
      if (puts == null) {
        puts = new LinkedHashMap<>();
      }
      puts.put(key, value);
    }

    @Override
    public Future<Void> reject(Rejection rejection) {
      if (proceeded) {
        return exchange.reject(rejection);
      }
      if (refusal == null) {
        refusal = rejection;
      }
      return Future.succeededFuture();
    }

    @Override
    public boolean rejected() {
      return (!proceeded && refusal != null) || exchange.rejected();
    }

    @Override
    public void onEnd(Handler<Exchange> handler) {
      exchange.onEnd(handler);
    }
  }
}
