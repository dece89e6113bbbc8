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
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A route's authentication policies under {@code authentication: {mode: any}}: tried in order, the first that
 * proceeds wins. Each one runs against a trial view of the exchange whose {@code reject} only records the
 * refusal (and whose consumer is committed only when it proceeds), so that the next can be tried.
 *
 * <p>When all refuse: a refusal about credentials that were presented but are wrong (any key not ending in
 * {@code _MISSING}) is answered, the first such; otherwise, with no credentials at all, the anonymous consumer
 * is used if configured, else {@code 401 AUTH_MISSING}. Either answer carries every scheme's
 * {@code WWW-Authenticate}. Built only for routes that ask for it: other routes keep the plain chain.
 */
final class AnyOfAuthentication implements Policy {

  static final String TYPE = "authentication";

  private final Policy[] policies;
  private final @Nullable Consumer anonymous;

  private AnyOfAuthentication(Policy[] policies, @Nullable Consumer anonymous) {
    this.policies = policies;
    this.anonymous = anonymous;
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
    return attempt(0, exchange, chain, new ArrayList<>(policies.length));
  }

  private Future<Void> attempt(int index, Exchange exchange, Chain chain, List<Rejection> refusals) {
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
      refusals.add(trial.refusal);
      return attempt(index + 1, exchange, chain, refusals);
    });
  }

  private Future<Void> allRefused(Exchange exchange, Chain chain, List<Rejection> refusals) {
    Rejection answer = null;
    for (Rejection r : refusals) {
      if (!r.key().endsWith("_MISSING")) {
        answer = r;
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
    for (Rejection r : refusals) {
      for (String challenge : r.headers().getAll("WWW-Authenticate")) {
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

  /** The exchange and chain one candidate policy sees. */
  private static final class Trial implements Exchange, Chain {
    private final Exchange exchange;
    private final Chain chain;
    private @Nullable Consumer consumer;
    private @Nullable Rejection refusal;
    private boolean proceeded;

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

    @Override
    public <T> @Nullable T get(AttributeKey<T> key) {
      return exchange.get(key);
    }

    @Override
    public <T> void put(AttributeKey<T> key, T value) {
      exchange.put(key, value);
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
