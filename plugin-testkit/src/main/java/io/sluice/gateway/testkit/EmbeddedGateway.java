// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.testkit;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;

/**
 * The gateway on the test class path, started through its public entry point ({@code
 * io.sluice.gateway.platform.Gateway}: {@code start(Path)}, {@code port()}, {@code close()}) and looked up at
 * run time. The test kit does not depend on the platform at build time: plugin unit tests then need nothing
 * but the plugin API, and the platform's own tests can use the test kit (its cluster contract) without a
 * dependency cycle. Integration tests add {@code io.sluice:sluice-platform} in test scope.
 */
final class EmbeddedGateway implements AutoCloseable {

  private static final String GATEWAY = "io.sluice.gateway.platform.Gateway";

  private final Object gateway;
  private final Method port;
  private final Method close;

  private EmbeddedGateway(Object gateway, Class<?> type) throws NoSuchMethodException {
    this.gateway = gateway;
    this.port = type.getMethod("port");
    this.close = type.getMethod("close");
  }

  /** Starts a gateway on {@code configFile}; returns once it listens. */
  static EmbeddedGateway start(Path configFile) {
    Class<?> type;
    try {
      type = Class.forName(GATEWAY);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("GatewayHarness needs the gateway on the test class path: add"
          + " io.sluice:sluice-platform in test scope", e);
    }
    try {
      return new EmbeddedGateway(type.getMethod("start", Path.class).invoke(null, configFile), type);
    } catch (ReflectiveOperationException e) {
      throw unwrap(e);
    }
  }

  int port() {
    try {
      return (Integer) port.invoke(gateway);
    } catch (ReflectiveOperationException e) {
      throw unwrap(e);
    }
  }

  @Override
  public void close() {
    try {
      close.invoke(gateway);
    } catch (ReflectiveOperationException e) {
      throw unwrap(e);
    }
  }

  /** The gateway's own exception (an invalid configuration, a port in use), not the reflection's wrapper. */
  private static RuntimeException unwrap(ReflectiveOperationException e) {
    if (e instanceof InvocationTargetException ite) {
      if (ite.getCause() instanceof RuntimeException r) {
        return r;
      }
      if (ite.getCause() instanceof Error err) {
        throw err;
      }
    }
    return new IllegalStateException("cannot drive " + GATEWAY + ": " + e, e);
  }
}
