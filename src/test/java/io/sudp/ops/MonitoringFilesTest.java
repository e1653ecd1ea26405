package io.sudp.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.runtime.Role;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.Configs;
import io.sudp.testing.FreePorts;
import io.sudp.testing.Runtimes;
import io.sudp.testing.UdpApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped Grafana dashboard asks only for metrics that a running instance serves. */
class MonitoringFilesTest {
  @TempDir Path dir;

  @Test
  void everyMetricTheDashboardQueriesIsServed() throws Exception {
    int ws = FreePorts.tcp();
    int tunnelPort = FreePorts.udp();
    int echo = FreePorts.udp();
    TunnelRuntime runtime =
        new TunnelRuntime(
            Configs.load(
                dir,
                "all.yaml",
                "management:\n  listen: 127.0.0.1:0\n"
                    + Configs.loopbackTunnel(ws, tunnelPort, echo)),
            EnumSet.allOf(Role.class));
    try (runtime;
        UdpApp app = new UdpApp(tunnelPort)) {
      runtime.start();
      await().until(() -> app.roundTrip(new byte[] {1}) != null);
      String scrape = Runtimes.metrics(runtime);

      Set<String> queried = new TreeSet<>();
      Matcher metric =
          Pattern.compile("sudp_[a-z_]+")
              .matcher(Files.readString(Path.of("config", "monitoring", "grafana-dashboard.json")));
      while (metric.find()) {
        queried.add(metric.group());
      }
      assertThat(queried).hasSizeGreaterThan(10);
      assertThat(queried).allSatisfy(name -> assertThat(scrape).contains("\n" + name + "{"));
    }
  }
}
