// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.analytics;

/**
 * A query parameter of {@code GET /admin/analytics} that cannot be used; the message names it and says why
 * (the admin API answers 400 {@code ANALYTICS_BAD_QUERY} with it).
 */
public final class BadAnalyticsQuery extends RuntimeException {

  private static final long serialVersionUID = 1L;

  BadAnalyticsQuery(String parameter, String why) {
    super(parameter + ": " + why, null, false, false);
  }
}
