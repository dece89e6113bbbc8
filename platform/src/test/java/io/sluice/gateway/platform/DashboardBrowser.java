// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's browser tests' one set-up: Debian's {@code chromium} and {@code chromium-driver} (paths
 * overridable with {@code SLUICE_CHROMIUM} / {@code SLUICE_CHROMEDRIVER}), headless, with the browser console
 * recorded. Without them a test is skipped with a loud warning ({@link #requireInstalled}), unless {@code
 * SLUICE_REQUIRE_BROWSER=1} (set by {@code .ci/run}), where a missing browser fails it.
 */
final class DashboardBrowser implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DashboardBrowser.class);
  static final Duration WAIT = Duration.ofSeconds(15);

  private final ChromeDriver driver;
  private final WebDriverWait wait;

  private DashboardBrowser(ChromeDriver driver) {
    this.driver = driver;
    this.wait = new WebDriverWait(driver, WAIT);
  }

  /** Skips the calling test (or fails it under {@code SLUICE_REQUIRE_BROWSER=1}) without Chromium and its driver. */
  static void requireInstalled() {
    File chromium = chromium();
    File driverBinary = chromedriver();
    if (chromium.canExecute() && driverBinary.canExecute()) {
      return;
    }
    String message = "DASHBOARD BROWSER TEST SKIPPED: no Chromium (" + chromium + ") or chromedriver ("
        + driverBinary + "). Install them with `apt-get install chromium chromium-driver` (.ci/run does).";
    if ("1".equals(System.getenv("SLUICE_REQUIRE_BROWSER"))) {
      throw new AssertionError(message.replace("SKIPPED", "FAILED") + " SLUICE_REQUIRE_BROWSER=1 requires them.");
    }
    log.warn("{}", message);
    Assumptions.abort(message);
  }

  /** A headless Chromium session (after {@link #requireInstalled}); close it to quit the browser. */
  static DashboardBrowser start() {
    requireInstalled();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--window-size=1400,2000", "--no-first-run", "--disable-extensions", "--disable-background-networking",
        "--disable-sync", "--disable-component-update", "--lang=en-US");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver())
        .usingAnyFreePort().build();
    return new DashboardBrowser(new ChromeDriver(service, options));
  }

  WebDriver driver() {
    return driver;
  }

  WebDriverWait waiter() {
    return wait;
  }

  /** The dashboard's address on the admin listener at {@code adminPort}. */
  static String base(int adminPort) {
    return "http://127.0.0.1:" + adminPort + "/dashboard/";
  }

  /** Opens the dashboard and waits for the sign-in form (the board hidden until then). */
  WebElement open(int adminPort) {
    driver.get(base(adminPort));
    return wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
  }

  /** Opens the dashboard and signs in with the test gateway's admin token. */
  void signIn(int adminPort) {
    open(adminPort).sendKeys(TestGateway.ADMIN_TOKEN);
    driver.findElement(By.id("sign-in")).click();
  }

  /** The text of the element with this id (lowercase letters, digits, '-') or CSS selector. */
  String text(String idOrCss) {
    return driver.findElement(by(idOrCss)).getText();
  }

  static By by(String idOrCss) {
    return idOrCss.matches("[a-z0-9-]+") ? By.id(idOrCss) : By.cssSelector(idOrCss);
  }

  /** Waits until the element's text is exactly {@code text}. */
  void waitForText(String idOrCss, String text) {
    wait.until(ExpectedConditions.textToBe(by(idOrCss), text));
  }

  Object script(String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }

  /** Console entries at SEVERE (errors, failed requests) so far. */
  List<LogEntry> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .toList();
  }

  /** Saves the page as {@code target/dashboard-screenshots/<name>} (a build artifact in CI). */
  void screenshot(String name) throws Exception {
    Path out = Path.of("target", "dashboard-screenshots");
    Files.createDirectories(out);
    Path file = out.resolve(name);
    Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    log.info("dashboard screenshot: {}", file.toAbsolutePath());
  }

  @Override
  public void close() {
    driver.quit();
  }

  private static File chromium() {
    return executable("SLUICE_CHROMIUM", "/usr/bin/chromium", "/usr/bin/chromium-browser");
  }

  private static File chromedriver() {
    return executable("SLUICE_CHROMEDRIVER", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
  }

  private static File executable(String env, String... candidates) {
    String configured = System.getenv(env);
    if (configured != null && !configured.isBlank()) {
      return new File(configured);
    }
    for (String candidate : candidates) {
      File f = new File(candidate);
      if (f.canExecute()) {
        return f;
      }
    }
    return new File(candidates[0]);
  }
}
