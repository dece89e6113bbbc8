// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.api.Exchange;
import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.Rejection;
import io.sluice.gateway.api.auth.BearerTokens;
import io.sluice.gateway.api.auth.MissingCredentials;
import io.vertx.core.Future;
import java.text.ParseException;
import java.time.Clock;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Verifies the request's JWT and sets the exchange's consumer; refuses with 401 (or 503 when no keys can be
 * fetched). Everything is decided on the event loop: parsing and one signature check are CPU work of a few
 * tens of microseconds, and a repeated token is answered from {@link VerifiedTokens} without either.
 */
final class JwtPolicy implements Policy {

  /** Between the issuer and the claim in a consumer id on a route that accepts several issuers. */
  static final String ISSUER_SEPARATOR = "|";

  private final BearerTokens source;
  private final Refusal refusal;
  private final KeySet inline;
  private final @Nullable JwksSource jwks;
  private final Set<String> algorithms;
  private final Clock clock;
  private final long skewMillis;
  private final Set<String> issuers;
  private final Set<String> audiences;
  private final List<String> requiredClaims;
  private final ConsumerSource consumerFrom;
  private final String consumerClaim;
  private final ClaimMapping mapping;
  private final List<String> headerNames;
  private final VerifiedTokens cache;
  private final Map<String, Consumer> bySubject;
  private final Map<String, Consumer> byKid;
  private final Set<String> ownedKids;
  private final boolean qualifyIds;

  JwtPolicy(JwtConfig config, KeySet inline, @Nullable JwksSource jwks, Clock clock, Map<String, Consumer> bySubject,
      Map<String, Consumer> byKid, Set<String> ownedKids) {
    this.source = BearerTokens.at(config.token());
    this.refusal = new Refusal(config.realm());
    this.inline = inline;
    this.jwks = jwks;
    this.algorithms = Set.copyOf(config.algorithms());
    this.clock = clock;
    this.skewMillis = config.clockSkew().toMillis();
    this.issuers = Set.copyOf(config.issuers());
    this.audiences = config.audiences().contains("*") ? Set.of() : Set.copyOf(config.audiences());
    this.requiredClaims = config.requiredClaims();
    this.consumerFrom = config.consumerFrom();
    this.consumerClaim = config.consumerClaim();
    this.mapping = new ClaimMapping(config.groupsClaim(), config.claimHeaders());
    this.headerNames = List.copyOf(config.claimHeaders().values());
    this.cache = new VerifiedTokens(config.cacheSize(), config.cacheTtl().toMillis(), clock);
    this.bySubject = Map.copyOf(bySubject);
    this.byKid = Map.copyOf(byKid);
    this.ownedKids = Set.copyOf(ownedKids);
    this.qualifyIds = severalIssuers(config);
  }

  /**
   * Whether tokens of more than one issuer may be accepted: then a consumer id taken from a claim is qualified
   * by the issuer, so that one issuer's key holder cannot name a consumer of another issuer.
   */
  static boolean severalIssuers(JwtConfig config) {
    if (config.issuers().size() > 1) {
      return true;
    }
    Set<String> bound = new java.util.HashSet<>();
    config.keys().forEach(k -> {
      if (k.issuer() != null) {
        bound.add(k.issuer());
      }
    });
    if (config.jwks() != null && config.jwks().issuer() != null) {
      bound.add(config.jwks().issuer());
    }
    return bound.size() > 1;
  }

  @Override
  public List<String> upstreamHeaders() {
    return headerNames;
  }

  @Override
  public Future<Void> apply(Exchange exchange, Chain chain) {
    for (String h : headerNames) {
      exchange.request().headers().remove(h); // a client never supplies the claim headers itself
    }
    if (source.several(exchange.request())) {
      return exchange.reject(refusal.invalid(Refusal.TOKEN_INVALID, "the request carries more than one token"));
    }
    // A warm token is found by the header line as sent (no parsing, no copy of the token): one line always
    // yields the same token, so a hit means this very token verified before.
    String raw = cache.enabled() ? source.rawHeader(exchange.request()) : null;
    if (raw != null) {
      Verified hit = cache.get(raw);
      if (hit != null && (!hit.fromJwks() || stillPublished(hit.key()))) {
        return admit(exchange, chain, hit);
      }
    }
    String token = source.find(exchange.request());
    if (token == null) {
      return MissingCredentials.reject(exchange, refusal.missing(source.describe()));
    }
    String cacheKey = !cache.enabled() ? null : raw != null ? raw : token;
    if (cacheKey != null && raw == null) {
      Verified hit = cache.get(cacheKey);
      if (hit != null && (!hit.fromJwks() || stillPublished(hit.key()))) {
        return admit(exchange, chain, hit);
      }
    }
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      return exchange.reject(refusal.invalid(Refusal.TOKEN_INVALID, unsecured(token)
          ? "unsecured tokens (alg none) are refused" : "the token is not a well-formed signed JWT"));
    }
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    if (!algorithms.contains(alg.getName())) {
      return exchange.reject(refusal.invalid(Refusal.TOKEN_INVALID, "the token's algorithm is not accepted"));
    }
    String kid = jwt.getHeader().getKeyID();
    if (jwks == null) {
      return decide(exchange, chain, jwt, KeySet.EMPTY, cacheKey);
    }
    JwksSource remote = jwks;
    return remote.keys().transform(keys -> {
      if (keys.failed()) {
        List<VerificationKey> local = KeySet.newList();
        inline.addCandidates(alg, kid, local);
        return local.isEmpty() ? exchange.reject(refusal.unavailable()) : decide(exchange, chain, jwt, KeySet.EMPTY, cacheKey);
      }
      KeySet set = keys.result();
      if (kid != null && !set.hasKid(kid) && !inline.hasKid(kid)) {
        Future<KeySet> fresher = remote.refreshForUnknownKid();
        if (fresher != null) {
          return fresher.transform(r -> decide(exchange, chain, jwt, r.succeeded() ? r.result() : set, cacheKey));
        }
      }
      return decide(exchange, chain, jwt, set, cacheKey);
    });
  }

  private boolean stillPublished(VerificationKey key) {
    KeySet current = jwks != null ? jwks.currentRefreshed() : null;
    return current != null && current.contains(key);
  }

  private Future<Void> decide(Exchange exchange, Chain chain, SignedJWT jwt, KeySet remote, @Nullable String cacheKey) {
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    String kid = jwt.getHeader().getKeyID();
    List<VerificationKey> candidates = KeySet.newList();
    inline.addCandidates(alg, kid, candidates);
    int inlineCount = candidates.size();
    remote.addCandidates(alg, kid, candidates);
    if (candidates.isEmpty()) {
      return exchange.reject(refusal.invalid(Refusal.TOKEN_INVALID, "no key accepted here fits the token's kid and alg"));
    }
    VerificationKey used = null;
    boolean fromJwks = false;
    for (int i = 0; i < candidates.size() && used == null; i++) {
      try {
        if (jwt.verify(candidates.get(i).verifier())) {
          used = candidates.get(i);
          fromJwks = i >= inlineCount;
        }
      } catch (JOSEException | IllegalStateException e) {
        // a verifier that cannot handle this header: treat as not verified by this key
      }
    }
    if (used == null) {
      return exchange.reject(refusal.invalid(Refusal.TOKEN_INVALID, "the token's signature does not verify"));
    }
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      return exchange.reject(refusal.invalid(Refusal.TOKEN_INVALID, "the token's claims are not a JSON object"));
    }
    Checked checked = check(claims, used);
    if (checked.refusal() != null) {
      return exchange.reject(checked.refusal());
    }
    Date exp = claims.getExpirationTime();
    Verified verified = new Verified(checked.consumer(), mapping.headers(claims), used, fromJwks,
        exp != null ? exp.getTime() + skewMillis : Long.MAX_VALUE);
    if (cacheKey != null) {
      cache.put(cacheKey, verified);
    }
    return admit(exchange, chain, verified);
  }

  /** Either the consumer of valid claims or the refusal of invalid ones. */
  private record Checked(@Nullable Consumer consumer, @Nullable Rejection refusal) {
    static Checked refused(Rejection refusal) {
      return new Checked(null, refusal);
    }
  }

  /** The consumer of valid claims, or the refusal of invalid ones. */
  private Checked check(JWTClaimsSet claims, VerificationKey used) {
    long now = clock.millis();
    Date exp = claims.getExpirationTime();
    if (exp != null && now > exp.getTime() + skewMillis) {
      return Checked.refused(refusal.invalid(Refusal.TOKEN_EXPIRED, "the token has expired"));
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now + skewMillis < nbf.getTime()) {
      return Checked.refused(refusal.invalid(Refusal.TOKEN_NOT_YET_VALID, "the token is not valid yet"));
    }
    Date iat = claims.getIssueTime();
    if (iat != null && now + skewMillis < iat.getTime()) {
      return Checked.refused(refusal.invalid(Refusal.TOKEN_NOT_YET_VALID, "the token was issued in the future"));
    }
    String iss = claims.getIssuer();
    if (used.issuer() != null && !used.issuer().equals(iss)) {
      // The key holder may only speak for the issuer its key is bound to.
      return Checked.refused(refusal.invalid(Refusal.TOKEN_CLAIMS_INVALID, "the token's issuer is not the one its key signs for"));
    }
    if (!issuers.isEmpty() && (iss == null || !issuers.contains(iss))) {
      return Checked.refused(refusal.invalid(Refusal.TOKEN_CLAIMS_INVALID, "the token's issuer is not accepted"));
    }
    if (!audiences.isEmpty() && Collections.disjoint(audiences, claims.getAudience())) {
      return Checked.refused(refusal.invalid(Refusal.TOKEN_CLAIMS_INVALID, "the token is meant for another audience"));
    }
    for (String required : requiredClaims) {
      if (claims.getClaim(required) == null) {
        return Checked.refused(refusal.invalid(Refusal.TOKEN_CLAIMS_INVALID, "the token lacks the required claim '" + required + "'"));
      }
    }
    Set<String> groups = mapping.groups(claims);
    Set<String> scopes = ClaimMapping.scopes(claims);
    if (consumerFrom == ConsumerSource.CREDENTIALS) {
      // Only the verified issuer: the key's own when it is bound (equal to iss, checked above).
      String verifiedIssuer = used.issuer() != null ? used.issuer() : iss;
      Consumer known = null;
      String sub = claims.getSubject();
      if (verifiedIssuer != null && used.kid() != null && ownedKids.contains(used.kid())) {
        // A key one consumer alone signs with names that consumer, never a subject of its choice.
        known = byKid.get(verifiedIssuer + '\n' + used.kid());
      } else if (verifiedIssuer != null && sub != null) {
        known = bySubject.get(verifiedIssuer + '\n' + sub);
      }
      if (known == null) {
        return Checked.refused(refusal.invalid(Refusal.TOKEN_CONSUMER_UNKNOWN, "the token belongs to no configured consumer"));
      }
      return new Checked(known.withGroups(groups).withScopes(scopes), null);
    }
    String id = ClaimMapping.scalar(claims, consumerClaim);
    if (id == null) {
      return Checked.refused(refusal.invalid(Refusal.TOKEN_CLAIMS_INVALID, "the token has no '" + consumerClaim + "' claim to name its consumer"));
    }
    if (qualifyIds) {
      id = iss + ISSUER_SEPARATOR + id; // iss is non-null here: every key is bound, or issuers is set
    }
    return new Checked(Consumer.of(id).withGroups(groups).withScopes(scopes), null);
  }

  private Future<Void> admit(Exchange exchange, Chain chain, Verified verified) {
    exchange.consumer(verified.consumer());
    source.strip(exchange.request());
    for (Map.Entry<String, String> h : verified.headers()) {
      exchange.request().headers().set(h.getKey(), h.getValue());
    }
    return chain.proceed();
  }

  /** Whether a token that is not a JWS is an unsecured JWT (alg none), for a clearer refusal. */
  private static boolean unsecured(String token) {
    try {
      return JWTParser.parse(token) instanceof PlainJWT;
    } catch (ParseException e) {
      return false;
    }
  }
}
