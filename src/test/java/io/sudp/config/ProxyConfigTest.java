package io.sudp.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sudp.testing.Configs;
import io.sudp.transport.HttpProxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which proxy each server's connection goes through (client.proxy, else the environment), and the
 * problems of a proxy that cannot be used, which never show a password.
 */
class ProxyConfigTest {
  @TempDir Path dir;

  /** A client configuration with {@code clientKeys} after its server, as client.yaml. */
  private Path write(String clientKeys) throws Exception {
    return Configs.write(
        dir,
        "client.yaml",
        """
        client:
          server: wss://tunnel.example.org/sudp
        %s
          tunnels:
            - {name: dns, listen: "127.0.0.1:5353", destination: "192.0.2.53:53"}
        """
            .formatted(clientKeys.indent(2).stripTrailing()));
  }

  private ProxyPolicy load(String clientKeys, Map<String, String> environment) throws Exception {
    return SudpConfig.load(write(clientKeys), environment).client().proxy();
  }

  @Test
  void theConfiguredProxyCarriesEveryServerWithItsPasswordFromAFileOrVariable() throws Exception {
    Path password = Configs.write(dir, "proxy.password", "s3cret\n");
    ProxyPolicy fromFile =
        load(
            "proxy: http://alice@proxy.example.org:3128\nproxy-password-file: " + password,
            Map.of("HTTPS_PROXY", "http://other.example:8080", "NO_PROXY", "*"));

    HttpProxy proxy = new HttpProxy("proxy.example.org", 3128, "alice", "s3cret");
    assertThat(fromFile.proxyFor("wss://tunnel.example.org/sudp")).isEqualTo(proxy);
    assertThat(fromFile.proxyFor("ws://127.0.0.1:8080/sudp"))
        .as("explicitly configured: loopback and NO_PROXY do not apply")
        .isEqualTo(proxy);
    assertThat(proxy.toString()).isEqualTo("http://alice@proxy.example.org:3128");

    ProxyPolicy fromVariable =
        load(
            "proxy: \"bob@[2001:db8::1]:3128\"\nproxy-password-env: PROXY_PW",
            Map.of("PROXY_PW", "pw"));
    assertThat(fromVariable.proxyFor("ws://tunnel.example.org/sudp"))
        .isEqualTo(new HttpProxy("2001:db8::1", 3128, "bob", "pw"));
  }

  @Test
  void noneOrEmptyIgnoresTheEnvironment() throws Exception {
    Map<String, String> environment = Map.of("https_proxy", "http://proxy.example:3128");
    assertThat(load("proxy: none", environment)).isEqualTo(ProxyPolicy.NONE);
    assertThat(load("proxy: \"\"", environment)).isEqualTo(ProxyPolicy.NONE);
    assertThat(load("", Map.of("SUDP_CLIENT_PROXY", "none", "HTTPS_PROXY", "proxy.example:1")))
        .as("client.proxy from the environment's own override")
        .isEqualTo(ProxyPolicy.NONE);
  }

  @Test
  void withoutTheKeyTheEnvironmentNamesAProxyPerScheme() throws Exception {
    ProxyPolicy policy =
        load(
            "",
            Map.of(
                "https_proxy", "http://bob:p%40ss@proxy.example:3128/",
                "HTTPS_PROXY", "http://ignored.example:1",
                "HTTP_PROXY", "plain.example:8080"));

    assertThat(policy.proxyFor("wss://tunnel.example.org/sudp"))
        .as("lower case first, as curl; the password decoded")
        .isEqualTo(new HttpProxy("proxy.example", 3128, "bob", "p@ss"));
    assertThat(policy.proxyFor("ws://tunnel.example.org:8080/sudp"))
        .isEqualTo(new HttpProxy("plain.example", 8080, null, null));
    assertThat(load("", Map.of("HTTP_PROXY", "plain.example:8080")).proxyFor("wss://t.example/"))
        .as("wss:// takes only HTTPS_PROXY")
        .isNull();
    assertThat(load("", Map.of()).proxyFor("wss://t.example/")).isNull();
  }

  @Test
  void noProxyAndLoopbackGoDirect() throws Exception {
    ProxyPolicy policy =
        load(
            "",
            Map.of(
                "HTTPS_PROXY",
                "proxy.example:3128",
                "NO_PROXY",
                "internal.example, .corp.example *.lab.example,192.0.2.7 10.0.0.0/8,"
                    + "[2001:db8::5],host.example:443"));

    for (String direct :
        new String[] {
          "wss://internal.example/sudp",
          "wss://a.internal.example/sudp",
          "wss://CORP.example:8443/sudp",
          "wss://x.y.corp.example/sudp",
          "wss://lab.example/sudp",
          "wss://192.0.2.7/sudp",
          "wss://10.1.2.3:443/sudp",
          "wss://[2001:db8:0::5]/sudp",
          "wss://localhost:8443/sudp",
          "wss://127.0.0.2/sudp",
          "wss://[::1]:8443/sudp"
        }) {
      assertThat(policy.proxyFor(direct)).as(direct).isNull();
    }
    for (String proxied :
        new String[] {
          "wss://tunnel.example.org/sudp",
          "wss://notinternal.example/sudp",
          "wss://192.0.2.8/sudp",
          "wss://11.0.0.1/sudp",
          "wss://host.example/sudp"
        }) {
      assertThat(policy.proxyFor(proxied)).as(proxied).isNotNull();
    }
    assertThat(
            load("", Map.of("HTTPS_PROXY", "p.example:1", "no_proxy", "*"))
                .proxyFor("wss://tunnel.example.org/sudp"))
        .isNull();
  }

  @Test
  void aProxyThatIsNoHttpProxyUrlOrCarriesItsPasswordIsAProblemThatShowsNoPassword()
      throws Exception {
    Path file = dir.resolve("client.yaml");

    assertThat(problems("proxy: proxy.example.org"))
        .containsExactly(
            file
                + ":3: client.proxy: 'proxy.example.org' is not http://[USER@]HOST:PORT (http://"
                + " may be left out)");
    assertThat(problems("proxy: https://proxy.example:3128"))
        .containsExactly(
            file
                + ":3: client.proxy: a TLS connection to the proxy (https://) is not supported:"
                + " use http:// (a wss:// server stays TLS end to end through the proxy)");
    assertThat(problems("proxy: socks5://proxy.example:1080"))
        .containsExactly(
            file
                + ":3: client.proxy: only HTTP proxies (http://) are supported, not"
                + " 'socks5://proxy.example:1080'");
    assertThat(problems("proxy: http://alice:hunter2@proxy.example:3128"))
        .containsExactly(
            file
                + ":3: client.proxy: a password in the URL would sit in the configuration: name"
                + " only the user (http://USER@HOST:PORT) and put the password in"
                + " proxy-password-file or proxy-password-env",
            file
                + ":1: client.proxy-password-file: required: proxy-password-file (a file holding"
                + " it) or proxy-password-env (an environment variable holding it)")
        .noneMatch(problem -> problem.contains("hunter2"));
    assertThat(problems("proxy: http://proxy.example:3128\nproxy-password-env: PW"))
        .containsExactly(
            file
                + ":4: client.proxy-password-env: no proxy password is taken when client.proxy"
                + " names no user (http://USER@HOST:PORT)");
  }

  @Test
  void aBadProxyVariableOfTheEnvironmentIsNamedWithoutItsPassword() throws Exception {
    Path file = write("");

    assertThat(Configs.problems(file, Map.of("HTTPS_PROXY", "http://bob:hunter2@proxy/")))
        .containsExactly(
            file
                + ":1: client.proxy: environment variable HTTPS_PROXY: 'http://***@proxy/' is not"
                + " http://[USER@]HOST:PORT (http:// may be left out); set client.proxy to use"
                + " another proxy, or none to use none");
  }

  private List<String> problems(String clientKeys) throws Exception {
    return Configs.problems(write(clientKeys), Map.of());
  }
}
