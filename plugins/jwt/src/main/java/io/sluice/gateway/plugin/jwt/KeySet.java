// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.plugin.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** An immutable set of verification keys, and when it was fetched (inline keys: never stale). */
final class KeySet {

  static final KeySet EMPTY = new KeySet(List.of(), 0);

  private final List<VerificationKey> keys;
  private final long fetchedAt;

  KeySet(List<VerificationKey> keys, long fetchedAt) {
    this.keys = List.copyOf(keys);
    this.fetchedAt = fetchedAt;
  }

  long fetchedAt() {
    return fetchedAt;
  }

  /** The keys a token with this algorithm and key id may be verified with, in order. */
  void addCandidates(JWSAlgorithm alg, @Nullable String kid, List<VerificationKey> into) {
    for (VerificationKey k : keys) {
      if (k.fits(alg, kid)) {
        into.add(k);
      }
    }
  }

  boolean hasKid(String kid) {
    for (VerificationKey k : keys) {
      if (kid.equals(k.kid())) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code key} (this very object) is in the set: false once a refresh dropped it. */
  boolean contains(VerificationKey key) {
    for (VerificationKey k : keys) {
      if (k == key) {
        return true;
      }
    }
    return false;
  }

  int size() {
    return keys.size();
  }

  static List<VerificationKey> newList() {
    return new ArrayList<>(2);
  }
}
