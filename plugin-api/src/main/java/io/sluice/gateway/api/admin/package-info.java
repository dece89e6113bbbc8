// SPDX-License-Identifier: Apache-2.0
/**
 * The admin seam: a policy type may answer admin requests under {@code /admin/<type>/...} on the gateway's
 * admin listener (behind the admin token, like every admin endpoint) by returning an {@link
 * io.sluice.gateway.api.admin.AdminEndpoint} from {@link io.sluice.gateway.api.PolicyFactory#admin()}. The
 * cache's purge ({@code DELETE /admin/cache/...}) is built on it.
 */
@NullMarked
package io.sluice.gateway.api.admin;

import org.jspecify.annotations.NullMarked;
