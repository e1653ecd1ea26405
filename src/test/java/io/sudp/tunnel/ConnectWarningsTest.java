package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.sudp.runtime.TunnelRuntime;
import io.sudp.testing.CapturedLog;
import io.sudp.testing.FreePorts;
import io.sudp.testing.Runtimes;
import io.sudp.transport.WsClient;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An outage is warned of once, not at every attempt; when its reason changes (the server answers,
 * but now refuses), the operator hears the new reason rather than the first one forever.
 */
class ConnectWarningsTest {
  @TempDir Path dir;

  @Test
  void aChangedReasonIsWarnedOfOnceAndARepeatedOneNot() throws Exception {
    AtomicInteger status = new AtomicInteger(503);
    HttpServer refusing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    refusing.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(status.get(), -1);
          exchange.close();
        });
    refusing.start();
    try (CapturedLog log = CapturedLog.of(WsClient.class);
        TunnelRuntime client =
            Runtimes.client(dir, refusing.getAddress().getPort(), FreePorts.udp(), "127.0.0.1:9")) {
      await().until(() -> log.contains("cannot connect to") && log.contains("503"));
      long attempts = attempts(client);
      await().until(() -> attempts(client) >= attempts + 3);
      assertThat(log.count("connect to ws://")).as("the same reason, once").isEqualTo(1);

      status.set(401);
      await().until(() -> log.contains("still cannot connect to") && log.contains("401"));
      long later = attempts(client);
      await().until(() -> attempts(client) >= later + 3);
      assertThat(log.count("connect to ws://")).as("and the new one, once").isEqualTo(2);
    } finally {
      refusing.stop(0);
    }
  }

  private static long attempts(TunnelRuntime client) {
    return client
        .statusJson()
        .getJsonObject("client")
        .getJsonArray("connections")
        .getJsonObject(0)
        .getJsonObject("connectFailures")
        .getLong("upgrade");
  }
}
