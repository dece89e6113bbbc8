// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.testpolicies;

import io.sluice.gateway.api.Policy;
import io.sluice.gateway.api.PolicyContext;
import io.sluice.gateway.api.PolicyFactory;
import io.sluice.gateway.api.Rejection;
import io.sluice.gateway.api.Stage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import org.pf4j.Extension;

/** Test policy that does one thing a policy may do, or one it must not. */
@Extension
public final class MisbehavePolicyFactory implements PolicyFactory<MisbehavePolicyFactory.Config> {

  /** What to do. */
  public enum Mode { THROW, FAIL, HANG, TWICE, RETURN_NULL, REJECT, ANSWER, SILENT, UPPERCASE_BODY, FAIL_AFTER_RESPONSE, UPPERCASE_RESPONSE, PUT_TENANT, REJECT_AFTER_RESPONSE }

  public record Config(Mode mode) {}

  @Override
  public String type() {
    return "misbehave";
  }

  @Override
  public Stage stage() {
    return Stage.SCREEN;
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Policy create(Config config, PolicyContext context) {
    return (exchange, chain) -> switch (config.mode()) {
      case THROW -> throw new IllegalStateException("boom");
      case FAIL -> Future.failedFuture("failed on purpose");
      case HANG -> Promise.<Void>promise().future();
      case TWICE -> chain.proceed().compose(v -> chain.proceed());
      case RETURN_NULL -> null;
      case REJECT -> exchange.reject(Rejection.of(403, "TEST_FORBIDDEN").message("no").header("X-Why", "test"));
      case ANSWER -> {
        exchange.response().status(204);
        exchange.response().headers().set("X-Answered-By", "policy");
        yield Future.succeededFuture();
      }
      case SILENT -> Future.succeededFuture();
      case UPPERCASE_BODY -> exchange.request().body().buffer(1024).compose(body -> {
        exchange.request().body().set(Buffer.buffer(body.toString().toUpperCase()));
        return chain.proceed();
      });
      case REJECT_AFTER_RESPONSE -> chain.proceed()
          .compose(v -> exchange.reject(Rejection.of(403, "TEST_FORBIDDEN").message("too late").header("X-Why", "test")));
      case FAIL_AFTER_RESPONSE -> chain.proceed().compose(v -> Future.failedFuture("late failure"));
      case PUT_TENANT -> {
        exchange.put(io.sluice.gateway.api.AttributeKey.of("tenant", String.class), "from-java");
        yield chain.proceed();
      }
      case UPPERCASE_RESPONSE -> chain.proceed()
          .compose(v -> exchange.response().body().buffer(1024))
          .map(body -> {
            exchange.response().body().set(Buffer.buffer(body.toString().toUpperCase()));
            exchange.response().headers().set("X-Transformed", "yes");
            return null;
          });
    };
  }
}
