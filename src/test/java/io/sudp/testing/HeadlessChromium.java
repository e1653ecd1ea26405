package io.sudp.testing;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.awaitility.core.ConditionTimeoutException;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.Point;
import org.openqa.selenium.UsernameAndPassword;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.bidi.module.Network;
import org.openqa.selenium.bidi.network.AddInterceptParameters;
import org.openqa.selenium.bidi.network.InterceptPhase;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium without a screen, driven through its chromedriver as a person uses a page:
 * elements are awaited until they show, never slept for. Where Chromium cannot start the test fails
 * (and is skipped where chromium is not installed, except in CI: {@link RealProcess#program}).
 * Closing it ends the browser and its driver.
 */
public final class HeadlessChromium implements AutoCloseable {
  /** What a page needs at most to show something after a click, on a loaded machine. */
  private static final Duration SHOWS_WITHIN = Duration.ofSeconds(60);

  private final ChromeDriver driver;
  private final Network network;

  private HeadlessChromium(ChromeDriver driver, Network network) {
    this.driver = driver;
    this.network = network;
  }

  /**
   * A browser with a viewport of {@code width} × {@code height} and a profile of its own under
   * {@code dir}; whenever a site asks for a login (HTTP Basic), {@code login} is given, as a person
   * types it into the browser's sign-in prompt.
   */
  public static HeadlessChromium start(Path dir, int width, int height, UsernameAndPassword login)
      throws IOException {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(browser());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        // without these, Chromium's own connections are refused on this network and it stalls
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--window-size=" + width + "," + height,
        "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
    options.enableBiDi(); // the sign-in prompt is answered over WebDriver BiDi
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(driver()))
            .usingAnyFreePort()
            .withLogFile(dir.resolve("chromedriver.log").toFile())
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    try {
      fitViewport(driver, width, height);
      Network network = new Network(driver);
      network.addIntercept(new AddInterceptParameters(InterceptPhase.AUTH_REQUIRED));
      network.onAuthRequired(
          // answered off the thread that delivers BiDi events, which the answer's reply needs
          asked ->
              CompletableFuture.runAsync(
                  () -> network.continueWithAuth(asked.getRequest().getRequestId(), login)));
      return new HeadlessChromium(driver, network);
    } catch (RuntimeException e) {
      driver.quit();
      throw e;
    }
  }

  /**
   * Skips the test here where Chromium or its driver is not installed (fails it in CI), before it
   * starts anything else.
   */
  public static void requireInstalled() {
    browser();
    driver();
  }

  private static String browser() {
    return RealProcess.program("chromium", "chromium");
  }

  private static String driver() {
    return RealProcess.program("chromedriver", "chromium-driver");
  }

  /** Sizes the window so that the page gets {@code width} × {@code height}, its frame aside. */
  private static void fitViewport(ChromeDriver driver, int width, int height) {
    Dimension window = driver.manage().window().getSize();
    long pageWidth = (Long) driver.executeScript("return window.innerWidth");
    long pageHeight = (Long) driver.executeScript("return window.innerHeight");
    driver
        .manage()
        .window()
        .setSize(
            new Dimension(
                (int) (window.getWidth() + width - pageWidth),
                (int) (window.getHeight() + height - pageHeight)));
  }

  public void open(String url) {
    driver.get(url);
  }

  /** The first element {@code by} finds, once it shows. */
  public WebElement shown(By by) {
    try {
      return await()
          .atMost(SHOWS_WITHIN)
          .ignoreExceptions() // not there yet, or replaced while it was read
          .until(
              () -> {
                List<WebElement> found = driver.findElements(by);
                return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
              },
              element -> element != null);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          by
              + " not shown within "
              + SHOWS_WITHIN
              + " at "
              + driver.getCurrentUrl()
              + ":\n"
              + text(),
          e);
    }
  }

  public void click(By by) {
    await()
        .atMost(SHOWS_WITHIN)
        .ignoreExceptions() // covered by an opening dialog, or replaced as the page rendered
        .untilAsserted(() -> shown(by).click());
  }

  /** Waits until the element {@code by} finds has stopped moving (a transition has ended). */
  public void awaitStill(By by) {
    Point[] last = {null};
    await()
        .atMost(SHOWS_WITHIN)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () -> {
              Point now = shown(by).getLocation();
              boolean still = now.equals(last[0]);
              last[0] = now;
              return still;
            });
  }

  /** Types {@code text} into the field {@code by} finds, in place of what it held. */
  public void fill(By by, String text) {
    shown(by).sendKeys(Keys.chord(Keys.CONTROL, "a"), text);
  }

  /** Goes on in the window a click opened (a page's {@code window.open}). */
  public void switchToNewWindow() {
    String current = driver.getWindowHandle();
    String opened =
        await()
            .atMost(SHOWS_WITHIN)
            .until(
                () ->
                    driver.getWindowHandles().stream()
                        .filter(handle -> !handle.equals(current))
                        .findFirst()
                        .orElse(null),
                handle -> handle != null);
    driver.switchTo().window(opened);
  }

  /** What the page shows as text, for a failure's message. */
  public String text() {
    return driver.findElement(By.tagName("body")).getText();
  }

  public void screenshot(Path png) throws IOException {
    Files.createDirectories(png.toAbsolutePath().getParent());
    Files.write(png, driver.getScreenshotAs(OutputType.BYTES));
  }

  @Override
  public void close() {
    try {
      network.close();
    } finally {
      driver.quit();
    }
  }
}
