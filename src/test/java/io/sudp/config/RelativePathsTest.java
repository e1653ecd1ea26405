package io.sudp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sudp.testing.Configs;
import io.sudp.testing.TestTls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every relative path a configuration names, of files SUDP reads and of files it writes, is taken
 * from the configuration file's directory, never from the working directory: the tests run in the
 * project's directory, and the configurations lie in a temporary one.
 */
class RelativePathsTest {
  @TempDir Path dir;

  @BeforeEach
  void workingDirectoryIsElsewhere() {
    assertThat(Path.of("").toAbsolutePath()).isNotEqualTo(dir);
  }

  @Test
  void everyPathKeyIsResolvedAgainstTheFilesDirectory() throws Exception {
    TestTls.create(dir.resolve("tls"));
    Files.writeString(dir.resolve("users.htpasswd"), "");
    Files.writeString(dir.resolve("tokens"), "");
    Files.writeString(dir.resolve("password"), "secret\n");
    Files.writeString(dir.resolve("eu.token"), "token-of-sixteen-characters\n");
    Files.createDirectories(dir.resolve("instances.d"));
    Files.createDirectories(dir.resolve("run"));
    Path file =
        Configs.write(
            dir,
            "relative.yaml",
            """
        logging: {file: sudp.log}
        daemon: {pid-file: run/sudp.pid, log-file: run/daemon.log}
        management: {listen: 127.0.0.1:0, auth: {tokens-file: tokens}}
        server:
          listen: 127.0.0.1:0
          tls: {certificate: tls/server.pem, key: tls/server.key, client-ca: tls/ca.pem}
          auth: {htpasswd: users.htpasswd, tokens-file: tokens}
        client:
          server: wss://127.0.0.1:1/sudp
          tls: {ca: tls/ca.pem, certificate: tls/client.pem, key: tls/client.key}
          auth: {username: alice, password-file: password}
          credentials:
            eu: {token-file: eu.token}
          instances-dir: instances.d
        """);

    SudpConfig config = SudpConfig.load(file, Map.of());

    assertThat(config.logging().file()).isEqualTo(dir.resolve("sudp.log"));
    assertThat(config.daemon().pidFile()).isEqualTo(dir.resolve("run/sudp.pid"));
    assertThat(config.daemon().logFile()).isEqualTo(dir.resolve("run/daemon.log"));
    assertThat(config.management().auth().tokensFile()).isEqualTo(dir.resolve("tokens"));
    ServerTls tls = config.server().tls();
    assertThat(tls.certificate()).isEqualTo(dir.resolve("tls/server.pem"));
    assertThat(tls.key()).isEqualTo(dir.resolve("tls/server.key"));
    assertThat(tls.clientCa()).isEqualTo(dir.resolve("tls/ca.pem"));
    assertThat(config.server().auth().htpasswd()).isEqualTo(dir.resolve("users.htpasswd"));
    assertThat(config.server().auth().tokensFile()).isEqualTo(dir.resolve("tokens"));
    ClientConfig client = config.client();
    assertThat(client.security().caFile()).isEqualTo(dir.resolve("tls/ca.pem"));
    assertThat(client.security().certificate()).isEqualTo(dir.resolve("tls/client.pem"));
    assertThat(client.security().key()).isEqualTo(dir.resolve("tls/client.key"));
    assertThat(client.security().authorization())
        .isEqualTo(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString("alice:secret".getBytes(StandardCharsets.UTF_8)));
    assertThat(client.credentials().get("eu").authorization())
        .isEqualTo("Bearer token-of-sixteen-characters");
    assertThat(client.instancesDir()).isEqualTo(dir.resolve("instances.d"));
  }

  /** A configuration in {@code directory} whose server reads its users from {@code htpasswd}. */
  private static Path serverWithUsersIn(Path directory, String htpasswd) throws Exception {
    return Configs.write(
        directory,
        "server.yaml",
        "server:\n  listen: 127.0.0.1:0\n  auth: {htpasswd: " + htpasswd + "}\n");
  }

  @Test
  void aRelativePathIsNotLookedForInTheWorkingDirectory() throws Exception {
    assertThat(Path.of("pom.xml")).isRegularFile();
    Path file = serverWithUsersIn(dir, "pom.xml");

    ConfigException refused =
        catchThrowableOfType(() -> SudpConfig.load(file, Map.of()), ConfigException.class);

    assertThat(refused.problems())
        .containsExactly(
            file
                + ":3: server.auth.htpasswd: 'pom.xml' is not a readable file ("
                + dir.resolve("pom.xml")
                + ")");
  }

  @Test
  void aPathFromTheEnvironmentCountsAsWrittenInTheFile() throws Exception {
    Files.writeString(dir.resolve("users.htpasswd"), "");
    Path file = serverWithUsersIn(dir, "/nowhere/users.htpasswd");

    SudpConfig config =
        SudpConfig.load(file, Map.of("SUDP_SERVER_AUTH_HTPASSWD", "users.htpasswd"));

    assertThat(config.server().auth().htpasswd()).isEqualTo(dir.resolve("users.htpasswd"));
  }

  @Test
  void anAbsolutePathStaysAsItIs() throws Exception {
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Path htpasswd = Files.writeString(elsewhere.resolve("users.htpasswd"), "");
    Path file =
        serverWithUsersIn(Files.createDirectories(dir.resolve("conf")), htpasswd.toString());

    assertThat(SudpConfig.load(file, Map.of()).server().auth().htpasswd()).isEqualTo(htpasswd);
  }

  @Test
  void aFileNamedRelativeToTheWorkingDirectoryIsFoundThere() throws Exception {
    Path file =
        Configs.write(
            dir, "echo.yaml", "echo:\n  listen: 127.0.0.1:0\nlogging: {file: echo.log}\n");
    Path relative = Path.of("").toAbsolutePath().relativize(file);

    assertThat(SudpConfig.load(relative, Map.of()).logging().file().normalize())
        .isEqualTo(dir.resolve("echo.log"));
  }
}
