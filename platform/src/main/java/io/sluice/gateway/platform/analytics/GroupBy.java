// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.analytics;

/** The dimension a query's {@code groups} are by ({@code by=}). */
enum GroupBy {
  ROUTE,
  CONSUMER,
  STATUS,
  UPSTREAM;

  /** The group a cell counts in. */
  String keyOf(CellKey cell) {
    return switch (this) {
      case ROUTE -> cell.route();
      case CONSUMER -> cell.consumer();
      case STATUS -> CellKey.statusName(cell.statusClass());
      case UPSTREAM -> cell.upstream();
    };
  }
}
