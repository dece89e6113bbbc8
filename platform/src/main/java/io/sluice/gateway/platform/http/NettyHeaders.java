// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.vertx.core.MultiMap;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * The Netty {@code HttpHeaders} under a Vert.x {@link MultiMap}, for code on the hot path that walks every
 * header: Netty's {@code iteratorCharSequence()} hands out the decoder's own entries ({@code AsciiString} names,
 * immutable), where the {@code MultiMap}'s iterator makes an entry object and a {@code String} name per header.
 *
 * <p>Vert.x 5's {@code HeadersMultiMap} (the server request's and response's headers, the client request's) is a
 * Netty {@code HttpHeaders} itself. The upstream response's headers are a {@code HeadersAdaptor} around the
 * Netty headers of Vert.x's client decoder, which it does not expose: a handle on that field is looked up once
 * here; when this Vert.x has no such field or does not let it be read, {@link #of} returns null for those
 * headers and callers use the {@code String} view, as for any other map (HTTP/2's).
 */
public final class NettyHeaders {

  private static final @Nullable Class<?> ADAPTOR;
  private static final @Nullable VarHandle ADAPTED;

  static {
    Class<?> adaptor = null;
    VarHandle adapted = null;
    try {
      Class<?> c = Class.forName("io.vertx.core.http.impl.headers.HeadersAdaptor", false, MultiMap.class.getClassLoader());
      adapted = MethodHandles.privateLookupIn(c, MethodHandles.lookup()).findVarHandle(c, "headers", HttpHeaders.class);
      adaptor = c;
    } catch (ReflectiveOperationException | RuntimeException e) {
      adaptor = null;
      adapted = null;
    }
    ADAPTOR = adaptor;
    ADAPTED = adapted;
  }

  private NettyHeaders() {}

  /** {@code headers} as Netty's {@code HttpHeaders} when it is one or a view of one; null otherwise. */
  public static @Nullable HttpHeaders of(MultiMap headers) {
    if (headers instanceof HttpHeaders h) {
      return h;
    }
    VarHandle adapted = ADAPTED;
    if (adapted != null && headers.getClass() == ADAPTOR) {
      return (HttpHeaders) adapted.get(headers);
    }
    return null;
  }
}
