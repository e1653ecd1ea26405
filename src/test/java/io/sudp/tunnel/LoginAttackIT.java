package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.testing.Configs;
import io.sudp.testing.FreePorts;
import io.sudp.testing.RawWebSocket;
import io.sudp.testing.RawWebSocket.Upgrade;
import io.sudp.testing.RealProcess;
import io.sudp.testing.TestTls;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Password guessing against a real server process, as attackers do it: many attempts at once, from
 * one address and from many, and timing the answers. Each source is an address of its own on
 * loopback (127.x.y.z).
 */
class LoginAttackIT {
  private static final List<String> SECRETS = List.of("alice-pw", "bob-pw", "carol-pw", "wrong-pw");

  @TempDir Path dir;

  private RealProcess server;
  private int ws;
  private final ExecutorService attackers = Executors.newFixedThreadPool(200);

  @AfterEach
  void stop() throws Exception {
    attackers.shutdownNow();
    if (server != null) {
      server.close();
      for (String secret : SECRETS) {
        assertThat(server.output()).as("the log").doesNotContain(secret);
      }
    }
  }

  /** A server with these users (name, password, ...) and carol limited to 2 connections. */
  private void start(Path htpasswd) throws Exception {
    ws = FreePorts.tcp();
    Path config =
        Configs.write(
            dir,
            "server.yaml",
            """
        server:
          listen: 127.0.0.1:%d
          handshake-timeout: 60s
          auth:
            htpasswd: %s
          users:
            carol: {max-connections: 2}
        """
                .formatted(ws, htpasswd));
    server = RealProcess.sudp(dir, "server", "server", "-c", config.toString());
    await().atMost(Duration.ofSeconds(60)).until(this::listening);
  }

  private boolean listening() {
    try (Socket probe = new Socket("127.0.0.1", ws)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private Upgrade login(String from, String user, String password) throws IOException {
    String basic =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return RawWebSocket.attempt(from, ws, "/sudp", 0, Map.of("Authorization", "Basic " + basic));
  }

  private List<Upgrade> allAtOnce(List<Callable<Upgrade>> attempts) throws Exception {
    List<Upgrade> outcomes = new ArrayList<>();
    for (Future<Upgrade> outcome : attackers.invokeAll(attempts)) {
      outcomes.add(outcome.get());
    }
    return outcomes;
  }

  private static long count(List<Upgrade> outcomes, int status) {
    return outcomes.stream().filter(outcome -> outcome.status() == status).count();
  }

  private TestTls files() throws Exception {
    return TestTls.create(dir.resolve("files"));
  }

  @Test
  void attemptsMadeTogetherCannotPassTheLimitTogether() throws Exception {
    start(files().htpasswd("alice", "alice-pw"));
    List<Callable<Upgrade>> attempts = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      attempts.add(() -> login("127.0.0.1", "alice", "wrong-pw"));
    }
    List<Upgrade> outcomes = allAtOnce(attempts);
    assertThat(count(outcomes, 401)).as("passwords checked").isLessThanOrEqualTo(5);
    assertThat(count(outcomes, 101)).isZero();
    assertThat(count(outcomes, 429) + count(outcomes, 401))
        .as(
            "attempts answered: %s; server:%n%s",
            outcomes.stream().map(Upgrade::status).sorted().toList(), server.output())
        .isEqualTo(100);

    Upgrade other = login("127.0.0.2", "alice", "alice-pw");
    assertThat(other.status()).as("the same user from elsewhere").isEqualTo(101);
    other.socket().close();
  }

  @Test
  void aLoginIsNotQueuedBehindAFlood() throws Exception {
    // Hashes of cost 10, as the docs advise: each check takes tens of milliseconds.
    Path htpasswd = dir.resolve("htpasswd");
    for (String[] user : new String[][] {{"bob", "bob-pw"}, {"alice", "alice-pw"}}) {
      Process made =
          new ProcessBuilder(
                  RealProcess.program("htpasswd", "apache2-utils"),
                  Files.exists(htpasswd) ? "-bB" : "-bcB",
                  "-C",
                  "10",
                  htpasswd.toString(),
                  user[0],
                  user[1])
              .start();
      assertThat(made.waitFor(60, TimeUnit.SECONDS) && made.exitValue() == 0).isTrue();
    }
    start(htpasswd);
    // What one check takes on this machine now, from sources of their own (nothing waits).
    List<Long> alone = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      alone.add(login("127.0.2." + i, "bob", "wrong-pw").nanos());
    }
    Duration oneCheck = Duration.ofNanos(median(alone));
    List<Future<Upgrade>> flooding = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      int n = i;
      flooding.add(
          attackers.submit(
              () ->
                  login("127.0.3." + (1 + n % 4), n % 2 == 0 ? "alice" : "guess" + n, "wrong-pw")));
    }
    Upgrade bob = login("127.0.0.1", "bob", "bob-pw");
    assertThat(bob.status()).isEqualTo(101);
    bob.socket().close();
    List<Upgrade> refused = new ArrayList<>();
    for (Future<Upgrade> outcome : flooding) {
      refused.add(outcome.get(5, TimeUnit.MINUTES));
    }
    System.out.printf(
        "login during a flood of 200 bad logins from 4 addresses: %.1f ms (one"
            + " check alone: %.1f ms); the flood got %d checked, %d refused unchecked%n",
        bob.nanos() / 1e6, oneCheck.toNanos() / 1e6, count(refused, 401), count(refused, 429));
    // Every check was once queued on 2 threads shared with everything blocking: 200 checks of
    // cost 10 stood before bob's (about 8 s here, 100 checks' time). Now a source has at most 2
    // checks waiting, 8 for the flood's 4 sources: bob's waits for a few checks' time, slower
    // ones on a machine that is slower or busy, so the bound is in checks as timed here.
    Duration bound = Collections.max(List.of(oneCheck.multipliedBy(25), Duration.ofSeconds(2)));
    assertThat(Duration.ofNanos(bob.nanos()))
        .as("bob's login, 25 checks' time at most")
        .isLessThan(bound);
    assertThat(count(refused, 401)).as("checks the flood got").isLessThanOrEqualTo(4 * 50);
  }

  @Test
  void knownAndUnknownNamesTakeAlikeToRefuse() throws Exception {
    start(files().htpasswd("alice", "alice-pw", "bob", "bob-pw"));
    List<Long> known = new ArrayList<>();
    List<Long> unknown = new ArrayList<>();
    // Interleaved, each from an address of its own; enough of them that a loaded machine's
    // pauses, which fall on either kind alike, even out in the medians.
    for (int i = 0; i < 31; i++) {
      known.add(login("127.0.4." + (1 + i), "alice", "wrong-pw").nanos());
      unknown.add(login("127.0.5." + (1 + i), "nobody" + i, "wrong-pw").nanos());
    }
    double ratio = (double) median(unknown) / median(known);
    System.out.printf(
        "refusing a known name: %.2f ms, an unknown one: %.2f ms (median of 31)%n",
        median(known) / 1e6, median(unknown) / 1e6);
    // The cost-10 dummy against htpasswd's cost 5 made unknown names 14 times slower.
    assertThat(ratio).isBetween(0.5, 2.0);
  }

  private static long median(List<Long> values) {
    return values.stream().sorted().toList().get(values.size() / 2);
  }

  @Test
  void aUsersConnectionLimitHoldsWhenEveryLoginComesAtOnce() throws Exception {
    start(files().htpasswd("carol", "carol-pw"));
    List<Callable<Upgrade>> logins = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      int n = i;
      logins.add(() -> login("127.0.6." + (1 + n), "carol", "carol-pw"));
    }
    List<Upgrade> outcomes = allAtOnce(logins);
    List<Integer> statuses = outcomes.stream().map(Upgrade::status).sorted().toList();
    assertThat(count(outcomes, 101))
        .as("connections accepted for carol: %s", statuses)
        .isEqualTo(2);
    assertThat(count(outcomes, 429))
        .as("statuses %s; server:%n%s", statuses, server.output())
        .isEqualTo(38);
    for (Upgrade outcome : outcomes) {
      if (outcome.socket() != null) {
        outcome.socket().close();
      }
    }
  }
}
