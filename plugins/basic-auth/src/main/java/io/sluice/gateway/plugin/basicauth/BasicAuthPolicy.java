// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.basicauth;

import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.Exchange;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.Rejection;
import io.sluice.gateway.api.auth.MissingCredentials;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * RFC 7617 Basic. The slow hash runs on a small worker pool, never on the event loop; its result is cached
 * for {@code cacheTtl} under a salted SHA-256 of {@code username:password} (the salt is random per policy
 * instance, so the cache never holds anything a clear password can be recovered or checked from offline).
 * An unknown user costs one verification against a real configured hash, like a wrong password, and gets
 * the same answer ({@code 401 CREDENTIALS_INVALID}): no user enumeration by body or timing. That hash (the
 * decoy) is the most expensive configured one, so an unknown user is never answered faster than a known one;
 * the factory warns when the hashes' costs differ, since a cheaper known hash then answers faster.
 *
 * <p>Accepted and refused logins are cached apart: only a correct password enters the accepted cache (so it
 * holds about one entry per user and cannot be flooded), while wrong passwords share a smaller refused cache
 * (a tenth of {@code cacheSize}) that a flood of guesses churns without touching valid users' entries. A full
 * cache sweeps its expired entries at most once a second and otherwise drops arbitrary entries: no full scan
 * per miss. The hash pool is this policy's own and is closed with it, when its configuration is superseded.
 */
final class BasicAuthPolicy implements Policy, AutoCloseable {

  /** A configured username's hash and consumer. */
  record User(PasswordHash hash, Consumer consumer) {}

  /** A cached verification: the consumer, or null for a refusal, until {@code expires} (nanoTime). */
  private record Verdict(@Nullable Consumer consumer, long expires) {}

  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });

  private final Map<String, User> users;
  private final @Nullable PasswordHash decoy;
  private final WorkerExecutor hashing;
  private final LongSupplier clock;
  private final boolean hide;
  private final long ttlNanos;
  private final int cacheSize;
  private final int maxPending;
  private final byte[] salt = new byte[16];
  private final Map<String, Verdict> accepted = new ConcurrentHashMap<>();
  private final Map<String, Verdict> refused = new ConcurrentHashMap<>();
  private final int refusedSize;
  private volatile long nextSweep;
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicLong verifications = new AtomicLong();
  private final Rejection missing;
  private final Rejection invalid;
  private final Rejection busy;

  BasicAuthPolicy(BasicAuthConfig config, Map<String, User> users, WorkerExecutor hashing, LongSupplier clock) {
    this.users = users;
    this.decoy = mostExpensive(users);
    this.hashing = hashing;
    this.clock = clock;
    this.hide = config.hideCredentials();
    this.ttlNanos = config.cacheTtl().toNanos();
    this.cacheSize = config.cacheSize();
    this.refusedSize = Math.max(16, config.cacheSize() / 10);
    this.maxPending = config.maxPending();
    new SecureRandom().nextBytes(salt);
    String challenge = "Basic realm=\"" + config.realm() + "\", charset=\"UTF-8\"";
    this.missing = Rejection.of(401, "CREDENTIALS_MISSING").message("a username and password are required")
        .header("WWW-Authenticate", challenge);
    this.invalid = Rejection.of(401, "CREDENTIALS_INVALID").message("the username or password is not valid")
        .header("WWW-Authenticate", challenge);
    this.busy = Rejection.of(503, "AUTH_BUSY").message("too many logins at once, try again").header("Retry-After", "1");
  }

  @Override
  public Future<Void> apply(Exchange exchange, Chain chain) {
    String authorization = exchange.request().headers().get("Authorization");
    if (authorization == null || authorization.length() < 6 || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return MissingCredentials.reject(exchange, missing);
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(authorization.substring(6).trim());
    } catch (IllegalArgumentException e) {
      return exchange.reject(invalid);
    }
    int colon = indexOf(decoded, (byte) ':');
    if (colon < 0) {
      return exchange.reject(invalid);
    }
    String username = new String(decoded, 0, colon, StandardCharsets.UTF_8);
    byte[] password = Arrays.copyOfRange(decoded, colon + 1, decoded.length);
    Arrays.fill(decoded, (byte) 0);
    String key = cacheKey(username, password);
    long now = clock.getAsLong();
    Verdict cached = ttlNanos > 0 ? accepted.get(key) : null;
    if (cached == null && ttlNanos > 0) {
      cached = refused.get(key);
    }
    if (cached != null && cached.expires() - now > 0) {
      Arrays.fill(password, (byte) 0);
      return decide(exchange, chain, cached.consumer());
    }
    if (pending.incrementAndGet() > maxPending) {
      pending.decrementAndGet();
      Arrays.fill(password, (byte) 0);
      return exchange.reject(busy);
    }
    User user = users.get(username);
    return hashing.executeBlocking(() -> verify(user, password), false)
        .eventually(() -> {
          pending.decrementAndGet();
          return Future.succeededFuture();
        })
        .compose(consumer -> {
          remember(key, consumer);
          return decide(exchange, chain, consumer);
        });
  }

  private @Nullable Consumer verify(@Nullable User user, byte[] password) {
    verifications.incrementAndGet();
    try {
      if (user == null) {
        if (decoy != null) {
          decoy.verify(password); // the same cost as a wrong password: no timing difference for unknown users
        }
        return null;
      }
      return user.hash().verify(password) ? user.consumer() : null;
    } finally {
      Arrays.fill(password, (byte) 0);
    }
  }

  private Future<Void> decide(Exchange exchange, Chain chain, @Nullable Consumer consumer) {
    if (consumer == null) {
      return exchange.reject(invalid);
    }
    exchange.consumer(consumer);
    if (hide) {
      // Only once the password is accepted: a refusal leaves Authorization to the next policy of an any-of.
      exchange.request().headers().remove("Authorization");
    }
    return chain.proceed();
  }

  private void remember(String key, @Nullable Consumer consumer) {
    if (ttlNanos <= 0) {
      return;
    }
    long now = clock.getAsLong();
    Map<String, Verdict> cache = consumer != null ? accepted : refused;
    int bound = consumer != null ? cacheSize : refusedSize;
    if (cache.size() >= bound) {
      if (now - nextSweep >= 0) {
        nextSweep = now + 1_000_000_000L;
        accepted.values().removeIf(v -> v.expires() - now <= 0);
        refused.values().removeIf(v -> v.expires() - now <= 0);
      }
      Iterator<String> keys = cache.keySet().iterator();
      while (cache.size() >= bound && keys.hasNext()) {
        keys.next();
        keys.remove();
      }
    }
    cache.put(key, new Verdict(consumer, now + ttlNanos));
  }

  /** The most expensive configured hash: an unknown user's decoy, never cheaper than a known user's hash. */
  static @Nullable PasswordHash mostExpensive(Map<String, User> users) {
    PasswordHash most = null;
    for (User u : users.values()) {
      if (most == null || u.hash().cost() > most.cost()) {
        most = u.hash();
      }
    }
    return most;
  }

  /** The decoy (tests). */
  @Nullable PasswordHash decoy() {
    return decoy;
  }

  /** Cached verdicts, accepted and refused (tests). */
  int cached() {
    return accepted.size() + refused.size();
  }

  /** Closes the hash pool: the configuration that made this policy is superseded (or refused). */
  @Override
  public void close() {
    hashing.close();
  }

  private String cacheKey(String username, byte[] password) {
    MessageDigest sha = SHA256.get();
    sha.update(salt);
    sha.update(username.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(password);
    return HexFormat.of().formatHex(sha.digest());
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** How many slow hash verifications ran (tests: the cache spares them). */
  long verifications() {
    return verifications.get();
  }
}
