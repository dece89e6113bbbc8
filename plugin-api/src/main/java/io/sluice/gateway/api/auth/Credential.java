// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api.auth;

import io.sluice.gateway.api.Consumer;
import java.util.Objects;

/**
 * One configured credential and the consumer it belongs to.
 *
 * @param consumer who the credential authenticates
 * @param value the credential as its mechanism's record, e.g. a key digest or a password hash
 * @param <C> the mechanism's credential type
 */
public record Credential<C>(Consumer consumer, C value) {

  public Credential {
    Objects.requireNonNull(consumer, "consumer");
    Objects.requireNonNull(value, "value");
  }
}
