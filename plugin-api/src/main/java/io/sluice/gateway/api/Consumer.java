// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api;

import java.util.Map;
import java.util.Objects;

/**
 * The authenticated caller of an exchange, set by an authentication policy and used by later ones (limits
 * per consumer, headers with the consumer id, usage analytics).
 *
 * @param id a stable identifier (never a credential)
 * @param tags extra facts about the caller, e.g. {@code plan=gold}
 */
public record Consumer(String id, Map<String, String> tags) {

  public Consumer {
    Objects.requireNonNull(id, "id");
    tags = Map.copyOf(tags);
  }

  public static Consumer of(String id) {
    return new Consumer(id, Map.of());
  }
}
