package io.sudp.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DestinationTest {
  @Test
  void parsesNamesAndBothAddressFamilies() {
    assertThat(Destination.parse("example.org:53")).isEqualTo(new Destination("example.org", 53));
    assertThat(Destination.parse("[::1]:7").toString()).isEqualTo("[::1]:7");
    assertThat(Destination.parse("127.0.0.1:7").isAddressLiteral()).isTrue();
    assertThat(Destination.parse("example.org:53").isAddressLiteral()).isFalse();
  }

  @Test
  void rejectsWhatIsNotHostPort() {
    assertThatThrownBy(() -> Destination.parse("example.org")).hasMessageContaining("host:port");
    assertThatThrownBy(() -> Destination.parse("::1:53")).hasMessageContaining("[addr]:port");
    assertThatThrownBy(() -> Destination.parse("h:0")).hasMessageContaining("1..65535");
    assertThatThrownBy(() -> Destination.parse("h:x")).hasMessageContaining("not a number");
  }
}
