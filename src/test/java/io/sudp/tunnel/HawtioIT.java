package io.sudp.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sudp.testing.Configs;
import io.sudp.testing.FreePorts;
import io.sudp.testing.HeadlessChromium;
import io.sudp.testing.RealProcess;
import io.sudp.testing.SampleProjects;
import io.sudp.testing.UdpApp;
import io.sudp.testing.UdpEchoServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mindrot.jbcrypt.BCrypt;
import org.openqa.selenium.By;
import org.openqa.selenium.Point;
import org.openqa.selenium.UsernameAndPassword;
import org.openqa.selenium.WebElement;

/**
 * Hawtio 3.0.0 as {@code docs/operations.md} starts it ({@code examples/hawtio}), connected through
 * its proxy to the Jolokia endpoint of a real client process, and watched in a real headless
 * Chromium as an operator watches it: the tunnel's routes with the exchanges its datagrams made,
 * and Camel's health with SUDP's {@code sudp-tunnel} check, which turns false when the server is
 * killed. What goes through Hawtio's proxy keeps the management port's rules: a login, and no web
 * page of another origin.
 */
class HawtioIT {
  private static final Path SAMPLE = Path.of("examples", "hawtio");
  private static final String USER = "operator";
  private static final String PASSWORD = "hawtio-it-password";
  private static final int DATAGRAMS = 20;

  /** What the test saw, for a person to look at ({@code docs/images/hawtio-routes.png} is one). */
  private static final Path SCREENSHOT = Path.of("target", "hawtio-routes.png");

  /** How docs/operations.md builds and starts Hawtio. */
  private static final String DOCUMENTED_BUILD = "mvn -q -f examples/hawtio/pom.xml package";

  private static final String DOCUMENTED_START =
      "java -jar examples/hawtio/target/hawtio.jar -H 127.0.0.1 -p 8090"
          + " -w examples/hawtio/target/hawtio.war";

  private static final String VERSION_REQUEST = "{\"type\":\"version\"}";

  @TempDir Path dir;

  private final List<RealProcess> processes = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private UdpEchoServer echo;

  @AfterEach
  void stopAll() throws Exception {
    for (RealProcess process : processes) {
      process.close();
    }
    if (echo != null) {
      echo.close();
    }
  }

  @Test
  void theTunnelsRoutesTheirExchangesAndItsHealthShowInHawtio() throws Exception {
    HeadlessChromium.requireInstalled();
    assertThat(Files.readString(Path.of("docs", "operations.md")))
        .contains(DOCUMENTED_BUILD, DOCUMENTED_START);
    echo = new UdpEchoServer();
    int ws = FreePorts.tcp();
    int management = FreePorts.tcp();
    int console = FreePorts.tcp();
    int tunnel = FreePorts.udp();
    String hawtio = "http://127.0.0.1:" + console;
    Files.writeString(
        dir.resolve("management.htpasswd"),
        USER + ":" + BCrypt.hashpw(PASSWORD, BCrypt.gensalt(10)) + "\n");
    Configs.write(dir, "server.yaml", Configs.server(ws, echo.address()));
    Configs.write(
        dir,
        "client.yaml",
        """
        management:
          listen: 127.0.0.1:%d
          origins: ["%s"]
          auth:
            htpasswd: management.htpasswd
        """
                .formatted(management, hawtio)
            + Configs.echoClient(ws, tunnel, echo.address()));
    RealProcess server = sudp("server");
    sudp("client");
    Path sample =
        SampleProjects.build(SAMPLE, dir, Path.of(System.getProperty("maven.repository")));
    startHawtio(sample, console);
    sendDatagramsThroughTheTunnel(tunnel);

    try (HeadlessChromium browser =
        HeadlessChromium.start(dir, 1280, 800, new UsernameAndPassword(USER, PASSWORD))) {
      await()
          .atMost(Duration.ofMinutes(2))
          .ignoreExceptions() // refused until Jetty listens
          .until(() -> get(hawtio + "/hawtio/").statusCode() == 200);
      theProxyKeepsTheManagementPortsRules(hawtio, management);

      connect(browser, hawtio, management);
      browser.click(By.xpath("//a[normalize-space()='Camel']"));
      browser.click(treeNode("routes"));
      Map<String, String> tunnelRoute = routeColumns(browser, "sudp-client-echo");
      assertThat(tunnelRoute.get("State")).isEqualTo("Started");
      assertThat(Long.parseLong(tunnelRoute.get("Completed")))
          .as("exchanges of the tunnel's route after %d datagrams", DATAGRAMS)
          .isPositive();
      assertThat(tunnelRoute.get("Failed")).isEqualTo("0");
      assertThat(routeColumns(browser, "sudp-client-downstream").get("State")).isEqualTo("Started");
      Point before = browser.shown(routeRow("sudp-client-echo")).getLocation();
      browser.click(By.id("vertical-nav-toggle")); // the routes get the page's width
      await()
          .until(() -> !browser.shown(routeRow("sudp-client-echo")).getLocation().equals(before));
      browser.awaitStill(routeRow("sudp-client-echo"));
      browser.screenshot(SCREENSHOT);

      browser.click(treeToggle("MBeans"));
      browser.click(treeToggle("MBeans-folder-health"));
      browser.click(treeNode("DefaultHealthCheck"));
      assertThat(attribute(browser, "HealthChecksIDs")).contains("\"sudp-tunnel\"");
      assertThat(attribute(browser, "HealthyReadiness")).isEqualTo("true");

      server.kill(); // the routes keep running: only sudp-tunnel turns DOWN
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions() // the table is drawn again as Hawtio polls
          .until(() -> attribute(browser, "HealthyReadiness").equals("false"));
    }
  }

  private RealProcess sudp(String role) throws Exception {
    RealProcess process =
        RealProcess.sudp(dir, role, role, "-c", dir.resolve(role + ".yaml").toString());
    processes.add(process);
    return process;
  }

  /**
   * Hawtio started with the command of docs/operations.md, from the sample's copy and on a port of
   * the test's own, with a home of its own for Jetty's files.
   */
  private void startHawtio(Path sample, int port) throws Exception {
    List<String> command = new ArrayList<>();
    for (String word : DOCUMENTED_START.split(" ")) {
      command.add(
          word.replace(SAMPLE.toString(), sample.toString()).replace("8090", String.valueOf(port)));
    }
    command.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(1, "-Duser.home=" + dir);
    processes.add(RealProcess.start(dir, "hawtio", command));
  }

  private static void sendDatagramsThroughTheTunnel(int tunnel) throws Exception {
    try (UdpApp app = new UdpApp(tunnel)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> app.roundTrip("first".getBytes(StandardCharsets.UTF_8)) != null);
      for (int i = 0; i < DATAGRAMS; i++) {
        assertThat(app.roundTrip(("datagram " + i).getBytes(StandardCharsets.UTF_8))).isNotNull();
      }
    }
  }

  /**
   * Hawtio's proxy hands the browser's {@code Origin} and login on: without the login the port asks
   * for one, a page of another origin is refused even with it, and Hawtio's own Jolokia agent runs
   * nothing (it could attach agents to the other JVMs of its user).
   */
  private void theProxyKeepsTheManagementPortsRules(String hawtio, int management)
      throws Exception {
    String proxied = hawtio + "/hawtio/proxy/http/127.0.0.1/" + management + "/jolokia";
    String login =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    assertThat(post(proxied, null, null).statusCode()).isEqualTo(401);
    assertThat(post(proxied, login, "http://evil.example").statusCode()).isEqualTo(403);
    assertThat(post(proxied, login, hawtio).statusCode()).isEqualTo(200);
    HttpResponse<String> own =
        get(hawtio + "/hawtio/jolokia/exec/hawtio:type=JVMList/listLocalJVMs()");
    assertThat(new JsonObject(own.body()).getInteger("status")).as(own.body()).isEqualTo(403);
  }

  /** As a user adds the connection in Connect → Remote and opens it. */
  private static void connect(HeadlessChromium browser, String hawtio, int management) {
    browser.open(hawtio + "/hawtio/connect/remote");
    browser.click(button("Add connection"));
    browser.fill(By.id("connection-form-name"), "sudp");
    browser.fill(By.id("connection-form-host"), "127.0.0.1");
    browser.fill(By.id("connection-form-port"), String.valueOf(management));
    browser.fill(By.id("connection-form-path"), "/jolokia");
    browser.click(button("Add"));
    browser.click(button("Connect"));
    browser.switchToNewWindow();
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String url, String authorization, String origin)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(VERSION_REQUEST));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (origin != null) {
      request.header("Origin", origin);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static By button(String text) {
    return By.xpath("//button[normalize-space()='" + text + "']");
  }

  private static By treeNode(String text) {
    return By.xpath(
        "//button[contains(@class,'tree-view__node-text') and normalize-space()='" + text + "']");
  }

  /** The expand toggle of the tree folder whose element id ends with {@code path}-folder. */
  private static By treeToggle(String path) {
    return By.cssSelector(
        "li[id$='-" + path + "-folder'] > div button.pf-c-tree-view__node-toggle");
  }

  private static By routeRow(String routeId) {
    return By.xpath(
        "//table[@aria-label='Camel routes table']//tr[td[@data-label='Name' and normalize-space()='"
            + routeId
            + "']]");
  }

  /** What the routes table shows for the route {@code routeId}, by column, read in one go. */
  private static Map<String, String> routeColumns(HeadlessChromium browser, String routeId) {
    return await()
        .ignoreExceptions() // the row is drawn again while it is read
        .until(
            () -> {
              Map<String, String> columns = new HashMap<>();
              for (WebElement cell :
                  browser.shown(routeRow(routeId)).findElements(By.xpath("td[@data-label]"))) {
                columns.put(cell.getDomAttribute("data-label"), cell.getText().strip());
              }
              return columns;
            },
            columns -> columns.containsKey("Completed"));
  }

  /** The value the selected MBean's Attributes table shows for {@code name}. */
  private static String attribute(HeadlessChromium browser, String name) {
    return browser
        .shown(By.xpath("//tr[td[1][normalize-space()='" + name + "']]/td[2]"))
        .getText()
        .strip();
  }
}
