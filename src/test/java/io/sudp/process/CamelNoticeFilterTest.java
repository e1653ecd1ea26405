package io.sudp.process;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

class CamelNoticeFilterTest {
  private final LoggerContext context = new LoggerContext();
  private final CamelNoticeFilter filter = new CamelNoticeFilter();

  private FilterReply decide(String logger, String message) {
    Logger target = context.getLogger(logger);
    return filter.decide(null, target, Level.INFO, message, null, null);
  }

  @Test
  void camelsCaseInsensitiveHeadersNoticeIsDropped() {
    assertThat(
            decide(
                CamelNoticeFilter.CAMEL_CONTEXT,
                CamelNoticeFilter.NOTICE
                    + ". This can cause problems for protocols such as HTTP based, which rely on"
                    + " case-insensitive headers."))
        .isEqualTo(FilterReply.DENY);
  }

  @Test
  void everythingElseIsLeftToTheLevels() {
    assertThat(decide(CamelNoticeFilter.CAMEL_CONTEXT, "Apache Camel {} ({}) started in {}"))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(decide("io.sudp.anything", CamelNoticeFilter.NOTICE)).isEqualTo(FilterReply.NEUTRAL);
    assertThat(decide(CamelNoticeFilter.CAMEL_CONTEXT, null)).isEqualTo(FilterReply.NEUTRAL);
  }
}
