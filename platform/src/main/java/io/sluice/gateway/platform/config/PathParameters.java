// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

/**
 * What the gateway does with {@code ;} path parameters. Java servlet containers (Tomcat, Jetty, Spring) strip
 * them from every segment before resolving the path, so {@code /public/..;/admin} reaches their
 * {@code /admin} although no proxy on the way saw a dot segment.
 */
public enum PathParameters {
  /** Refuse a {@code .} or {@code ..} segment that carries parameters ({@code ..;x}) with 400. The default. */
  REJECT_ON_DOT_SEGMENTS,
  /** Refuse any {@code ;} in the path: for backends that strip parameters from every segment. */
  REJECT,
  /** Pass parameters on untouched. */
  ALLOW
}
