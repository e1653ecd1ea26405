package io.sudp.destination;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class OwnAddressesTest {
  private static boolean permits(String rule, OwnAddresses own, String address) throws Exception {
    return new DestinationPolicy(List.of(AllowRule.parse(rule)), own)
        .permits("x", InetAddress.getByName(address), 53);
  }

  @Test
  void ownAddressesNeedARuleThatNamesThem() throws Exception {
    Set<InetAddress> addresses =
        Set.of(InetAddress.getByName("203.0.113.7"), InetAddress.getByName("2001:db8::7"));
    OwnAddresses own = new OwnAddresses(() -> addresses);
    assertThat(permits("0.0.0.0/0:*", own, "203.0.113.7")).isFalse();
    assertThat(permits("203.0.113.0/24:*", own, "203.0.113.7")).as("a block around it").isFalse();
    assertThat(permits("0.0.0.0/0:*", own, "64:ff9b::cb00:7107")).as("through NAT64").isFalse();
    assertThat(permits("203.0.113.7:*", own, "203.0.113.7")).isTrue();
    assertThat(permits("0.0.0.0/0:*", own, "203.0.113.8")).isTrue();
    assertThat(permits("[::/0]:*", own, "2001:db8::7")).isFalse();
    assertThat(permits("[2001:db8::7]:53", own, "2001:db8::7")).isTrue();
  }

  @Test
  void snapshotHoldsTheInterfacesAddressesUntilRefreshed() throws Exception {
    AtomicReference<Set<InetAddress>> added = new AtomicReference<>(Set.of());
    OwnAddresses own =
        new OwnAddresses(
            () -> {
              Set<InetAddress> all = new HashSet<>(OwnAddresses.interfaceAddresses());
              all.addAll(added.get());
              return all;
            });
    InetAddress loopback = InetAddress.getLoopbackAddress();
    assertThat(own.blockOf(loopback)).isNotNull();
    NetworkInterface.getByInetAddress(loopback)
        .inetAddresses()
        .forEach(address -> assertThat(own.blockOf(address)).as(address.toString()).isNotNull());

    InetAddress assigned = InetAddress.getByName("203.0.113.7");
    added.set(Set.of(assigned));
    assertThat(own.blockOf(assigned)).as("before a refresh").isNull();
    own.refresh();
    assertThat(own.blockOf(assigned)).as("after a refresh").isNotNull();
  }
}
