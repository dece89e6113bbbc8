// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.edge;

/**
 * The sizes a request head may have.
 *
 * @param maxRequestLine bytes of the request line, without its line ending (414 beyond)
 * @param maxHeaderBytes bytes of the header section after the request line (431 beyond); also bounds a
 *     chunked body's trailer section
 * @param maxHeaderCount header fields in the head, and trailer fields in a chunked body (431 beyond)
 */
public record HeadLimits(int maxRequestLine, int maxHeaderBytes, int maxHeaderCount) {}
