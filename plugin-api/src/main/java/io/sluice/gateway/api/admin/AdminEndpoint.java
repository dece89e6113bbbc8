// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api.admin;

import io.vertx.core.Future;

/**
 * The admin requests of one policy type, mounted by the gateway at {@code /admin/<type>} and below on the admin
 * listener. A factory provides it from {@link io.sluice.gateway.api.PolicyFactory#admin()}.
 *
 * <p>The contract:
 *
 * <ul>
 *   <li><b>Who gets here</b>: only callers with the admin bearer token; the gateway checks it (401 {@code
 *       ADMIN_UNAUTHORIZED}) before anything else, and reads the body (at most 64 KiB, JSON) before calling.
 *   <li><b>Which generation</b>: the endpoint of the plugin generation that serves new requests. After a plugin
 *       reload the new generation's factory answers; a plugin that was removed has no endpoint any more and its
 *       paths answer 404 {@code ADMIN_NOT_FOUND}. The generation is held (not closed) until the future completes.
 *   <li><b>Thread</b>: called on an event loop of the admin listener; never block. Use the factory's {@code
 *       PolicyContext} (cluster, Vert.x, HTTP client) and return a future; {@code executeBlocking} for the rare
 *       step that must block.
 *   <li><b>Answer</b>: the future's {@link AdminResponse}: a status and a JSON object, or a {@link
 *       io.sluice.gateway.api.Rejection}, rendered as {@code application/problem+json} with its stable {@code
 *       key} (as for a proxied request). A failed future or a throw is a bug: 500 {@code ADMIN_ERROR}, logged
 *       once, without internals to the caller.
 *   <li><b>Names</b>: the platform's own admin paths ({@code /admin/routes}, {@code /admin/plugins},
 *       {@code /admin/health}, ...) win over a policy type of the same name.
 * </ul>
 *
 * <pre>{@code
 * public AdminEndpoint admin() {
 *   return request -> request.method() == HttpMethod.DELETE
 *       ? purge(request.path(), request.query()).map(n -> AdminResponse.ok(new JsonObject().put("purged", n)))
 *       : Future.succeededFuture(AdminResponse.rejected(Rejection.of(405, "CACHE_METHOD_NOT_ALLOWED")));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface AdminEndpoint {

  /** Answers one admin request; the future must complete (the caller waits for it). */
  Future<AdminResponse> handle(AdminRequest request);
}
