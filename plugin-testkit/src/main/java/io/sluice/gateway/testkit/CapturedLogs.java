// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Every log line of one logger (usually a plugin's package), down to TRACE, while open: to prove that no
 * credential is logged. Needs Logback on the test class path (the gateway's binding).
 *
 * <pre>{@code
 * try (CapturedLogs logs = CapturedLogs.of("io.sluice.gateway.plugin.jwt")) {
 *   ... send a request with a secret ...
 *   assertThat(logs.lines()).noneMatch(l -> l.contains(secret));
 * }
 * }</pre>
 */
public final class CapturedLogs implements AutoCloseable {

  private final Logger logger;
  private final Level previous;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private CapturedLogs(String name) {
    this.logger = (Logger) LoggerFactory.getLogger(name);
    this.previous = logger.getLevel();
    appender.start();
    logger.addAppender(appender);
    logger.setLevel(Level.TRACE);
  }

  /** Starts capturing {@code loggerName} and everything below it. */
  public static CapturedLogs of(String loggerName) {
    return new CapturedLogs(loggerName);
  }

  /** The formatted messages (with their exceptions' messages) logged so far. */
  public List<String> lines() {
    synchronized (appender.list) {
      return appender.list.stream().map(e -> e.getFormattedMessage()
          + (e.getThrowableProxy() != null ? " " + e.getThrowableProxy().getMessage() : "")).toList();
    }
  }

  /** Stops capturing and restores the logger's level. */
  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(previous);
  }
}
