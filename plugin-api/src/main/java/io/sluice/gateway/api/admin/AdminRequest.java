// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api.admin;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.jspecify.annotations.Nullable;

/**
 * An admin request for a policy type's {@link AdminEndpoint}.
 *
 * @param method the request's method
 * @param path what follows {@code /admin/<type>}, percent-decoded: {@code ""} for {@code /admin/cache}, {@code
 *     "/catalog"} for {@code /admin/cache/catalog}; always empty or starting with {@code /}
 * @param query the query parameters, decoded; names are case-sensitive as sent
 * @param body the JSON object sent, or null when the request had no body
 */
public record AdminRequest(HttpMethod method, String path, MultiMap query, @Nullable JsonObject body) {}
