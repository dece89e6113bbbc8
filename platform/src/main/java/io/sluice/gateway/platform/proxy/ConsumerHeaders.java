// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.proxy;

import io.sluice.gateway.api.Consumer;
import io.sluice.gateway.platform.config.ConsumerHeadersConfig;
import io.vertx.core.MultiMap;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Writes the authenticated consumer on the upstream request ({@code server.consumerHeaders}): the client's
 * own copies of the three headers are always removed first, since any client can write them; then the id,
 * the groups (comma-separated, sorted) and the scopes (space-separated, sorted, as OAuth2 writes them) of
 * the exchange's consumer are set, when there is one. Empty groups or scopes send no header.
 */
final class ConsumerHeaders {

  private final String id;
  private final String groups;
  private final String scopes;

  ConsumerHeaders(ConsumerHeadersConfig config) {
    this.id = config.id();
    this.groups = config.groups();
    this.scopes = config.scopes();
  }

  void apply(MultiMap upstreamHeaders, @Nullable Consumer consumer) {
    upstreamHeaders.remove(id);
    upstreamHeaders.remove(groups);
    upstreamHeaders.remove(scopes);
    if (consumer == null) {
      return;
    }
    upstreamHeaders.set(id, consumer.id());
    if (!consumer.groups().isEmpty()) {
      upstreamHeaders.set(groups, join(consumer.groups(), ","));
    }
    if (!consumer.scopes().isEmpty()) {
      upstreamHeaders.set(scopes, join(consumer.scopes(), " "));
    }
  }

  private static String join(Set<String> values, String separator) {
    return values.size() == 1 ? values.iterator().next() : String.join(separator, new java.util.TreeSet<>(values));
  }
}
