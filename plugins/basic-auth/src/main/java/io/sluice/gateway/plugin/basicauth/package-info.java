// SPDX-License-Identifier: Apache-2.0
/**
 * {@code basic-auth}: RFC 7617 Basic authentication against consumers' password hashes (PBKDF2, bcrypt,
 * argon2id), verified off the event loop and cached briefly by a digest of the credentials.
 */
@NullMarked
package io.sluice.gateway.plugin.basicauth;

import org.jspecify.annotations.NullMarked;
