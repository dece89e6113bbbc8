// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The log lines written to one logger (and its children) while open: a logback {@link ListAppender} attached
 * to the real logger, so tests read exactly what the gateway logged.
 */
final class LogCapture implements AutoCloseable {

  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private LogCapture(String name) {
    logger = (Logger) LoggerFactory.getLogger(name);
    appender.start();
    logger.addAppender(appender);
  }

  /** Captures {@code name} and the loggers below it ({@code "io.sluice"} for all of the gateway's). */
  static LogCapture of(String name) {
    return new LogCapture(name);
  }

  /** The formatted messages so far, prefixed with the level ({@code "INFO [probe.js] hello"}). */
  List<String> lines() {
    synchronized (appender) {
      return appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
