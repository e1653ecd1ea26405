package io.sudp.process;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops Camel's start-up notice that case-insensitive headers are off ("This can cause problems for
 * protocols such as HTTP based"): SUDP turns them off on purpose (a hash map per exchange, see
 * docs/performance.md), its routes use exact header names, and the WebSocket side never sees Camel
 * headers, yet operators read the line as a warning about it. Installed by the shipped {@code
 * logback.xml}; an application that embeds SUDP keeps its own logging as it is.
 */
public final class CamelNoticeFilter extends TurboFilter {
  static final String CAMEL_CONTEXT = "org.apache.camel.impl.engine.AbstractCamelContext";
  static final String NOTICE = "Case-insensitive headers is not in use";

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    return format != null && format.startsWith(NOTICE) && logger.getName().equals(CAMEL_CONTEXT)
        ? FilterReply.DENY
        : FilterReply.NEUTRAL;
  }
}
