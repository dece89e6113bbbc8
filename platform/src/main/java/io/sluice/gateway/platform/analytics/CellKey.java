// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.analytics;

/**
 * What a cell of a bucket counts: one route, consumer, upstream and status class. Values past a dimension's
 * {@code analytics.maxKeys} are {@value #OTHER}; a missing one (no route matched, no consumer, no upstream
 * attempt) is {@value #NONE}.
 *
 * @param statusClass 0 for an aborted exchange (no complete response), else the status's hundreds (1..5)
 */
record CellKey(String route, String consumer, String upstream, int statusClass) {

  /** The key of the values past a dimension's bound. */
  static final String OTHER = "other";

  /** The key of a missing value. */
  static final String NONE = "-";

  private static final String[] STATUS_NAMES = {"aborted", "1xx", "2xx", "3xx", "4xx", "5xx"};

  /** The status class of a status: 0 when none was sent (aborted), 1..5 otherwise. */
  static int statusClass(int status, boolean aborted) {
    if (aborted || status < 100) {
      return 0;
    }
    return Math.min(status / 100, 5);
  }

  /** {@code aborted}, {@code 1xx} .. {@code 5xx}. */
  static String statusName(int statusClass) {
    return STATUS_NAMES[statusClass];
  }

  /** This key with consumer and upstream folded into {@value #OTHER} (a bucket at its {@code maxCells}). */
  CellKey folded() {
    return new CellKey(route, OTHER, OTHER, statusClass);
  }

  boolean isError() {
    return statusClass == 0 || statusClass == 5;
  }

  boolean isClientError() {
    return statusClass == 4;
  }
}
