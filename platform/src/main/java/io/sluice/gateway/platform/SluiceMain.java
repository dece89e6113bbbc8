// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import io.sluice.gateway.platform.config.InvalidConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The launcher: {@code sluice [--config conf/sluice.yaml]}, and {@code sluice hash-secret} (see
 * {@link io.sluice.gateway.platform.consumer.HashSecret}). Exits with 2 on an invalid configuration, 1 when
 * the gateway cannot start; on SIGTERM/SIGINT shuts down gracefully.
 */
public final class SluiceMain {

  private static final Logger log = LoggerFactory.getLogger(SluiceMain.class);

  private SluiceMain() {}

  public static void main(String[] args) {
    Path config = Path.of(System.getProperty("sluice.config", "conf/sluice.yaml"));
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config", "-c" -> {
          if (i + 1 >= args.length) {
            usage("--config needs a file");
          }
          config = Path.of(args[++i]);
        }
        case "hash-secret" -> {
          System.exit(io.sluice.gateway.platform.consumer.HashSecret.run(
              java.util.Arrays.copyOfRange(args, i + 1, args.length), System.in, System.out, System.err));
          return;
        }
        case "--version" -> {
          System.out.println("sluice " + Gateway.version());
          return;
        }
        case "--help", "-h" -> {
          usage(null);
          return;
        }
        default -> usage("unknown argument: " + args[i]);
      }
    }
    if (!Files.isRegularFile(config)) {
      System.err.println("sluice: configuration file not found: " + config.toAbsolutePath());
      System.exit(2);
    }
    Gateway gateway;
    try {
      gateway = Gateway.start(config);
    } catch (InvalidConfigException e) {
      System.err.println("sluice: " + e.getMessage());
      System.exit(2);
      return;
    } catch (StartupFailure e) {
      System.err.println("sluice: cannot start: " + e.getMessage());
      System.exit(1);
      return;
    } catch (RuntimeException e) {
      log.error("sluice: cannot start", e);
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("shutting down: draining requests in flight");
      gateway.close();
      log.info("stopped");
    }, "sluice-shutdown"));
  }

  private static void usage(String error) {
    if (error != null) {
      System.err.println("sluice: " + error);
    }
    System.err.println("usage: sluice [--config FILE] [--version]");
    System.err.println("       sluice hash-secret [--sha256 | --pbkdf2 [--iterations N]] < secret");
    if (error != null) {
      System.exit(2);
    }
  }
}
