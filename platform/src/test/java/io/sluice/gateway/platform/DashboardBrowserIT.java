// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.platform.TestClient.Reply;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
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
 * The dashboard in a real headless Chromium (Debian's {@code chromium} + {@code chromium-driver}) against a real
 * gateway and backend: the page loads without the token, signs in with it, and shows the traffic this test
 * sent, the upstream, the cluster and the reloads, without one console error. One browser session; a
 * screenshot goes to {@code target/dashboard-screenshots/dashboard.png}.
 *
 * <p>Without Chromium the test is skipped (loudly), unless {@code SLUICE_REQUIRE_BROWSER=1} (set by
 * {@code .ci/run}), where a missing browser fails it.
 */
@ExtendWith(VertxExtension.class)
class DashboardBrowserIT {

  private static final Logger log = LoggerFactory.getLogger(DashboardBrowserIT.class);
  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir Path dir;

  @Test
  void showsTheTrafficJustSentWithoutConsoleErrors(Vertx vertx) throws Exception {
    File chromium = executable("SLUICE_CHROMIUM", "/usr/bin/chromium", "/usr/bin/chromium-browser");
    File driverBinary = executable("SLUICE_CHROMEDRIVER", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
    requireBrowser(chromium, driverBinary);

    try (TestBackend backend = TestBackend.start(vertx, req -> req.response()
            .setStatusCode(req.path().endsWith("/fail") ? 500 : 200).end("ok"));
        TestGateway gw = TestGateway.start(dir, """
            routes:
              - id: orders
                path: /orders/**
                upstream: %s
              - id: users
                path: /users/**
                upstream: %s
            """.formatted(backend.url(), backend.url()));
        TestClient client = new TestClient(vertx)) {
      for (int i = 0; i < 10; i++) {
        assertThat(client.get(gw.port(), "/orders/" + i).status()).isEqualTo(200);
      }
      for (int i = 0; i < 2; i++) {
        assertThat(client.get(gw.port(), "/orders/fail").status()).isEqualTo(500);
      }
      for (int i = 0; i < 3; i++) {
        assertThat(client.get(gw.port(), "/users/" + i).status()).isEqualTo(200);
      }
      // A refused reload, for the reloads panel: the previous configuration keeps serving.
      Files.writeString(gw.configFile, Files.readString(gw.configFile) + "\nnoSuchSection: true\n");
      Reply refused = client.send(HttpMethod.POST, gw.adminPort(), "/admin/reload", token(), Buffer.buffer());
      assertThat(refused.status()).isEqualTo(400);

      String base = "http://127.0.0.1:" + gw.adminPort() + "/dashboard/";
      List<Object> endpoints =
          client.get(gw.adminPort(), "/dashboard/endpoints.json").json().getJsonArray("endpoints").getList();
      Reply page = client.get(gw.adminPort(), "/dashboard/");
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.headers().get("Content-Security-Policy")).contains("script-src 'self'").doesNotContain("unsafe");
      assertThat(page.headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(client.get(gw.adminPort(), "/admin/health").status()).isEqualTo(401);

      WebDriver driver = chrome(chromium, driverBinary);
      try {
        driver.get(base);
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        WebElement tokenField = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        assertThat(driver.findElement(By.id("board")).isDisplayed()).isFalse();
        tokenField.sendKeys(TestGateway.ADMIN_TOKEN);
        driver.findElement(By.id("sign-in")).click();

        wait.until(ExpectedConditions.textToBe(By.id("status"), "UP"));
        wait.until(ExpectedConditions.textToBe(By.id("total-requests"), "15"));
        assertThat(text(driver, "error-rate")).isEqualTo("13.33 %");
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#top-routes tbody tr:first-child td:nth-child(1)"),
            "orders"));
        assertThat(text(driver, "#top-routes tbody tr:first-child td:nth-child(2)")).isEqualTo("12");
        assertThat(text(driver, "#top-routes tbody tr:first-child td:nth-child(3)")).isEqualTo("2");
        assertThat(text(driver, "#top-routes tbody tr:nth-child(2) td:nth-child(1)")).isEqualTo("users");
        assertThat(text(driver, "#top-routes tbody tr:nth-child(2) td:nth-child(2)")).isEqualTo("3");

        if (endpoints.contains("/admin/analytics")) {
          // Analytics: the range's numbers, and consumers (anonymous calls are "-").
          assertThat(text(driver, "source")).startsWith("From /admin/analytics, per minute");
          wait.until(ExpectedConditions.textToBe(
              By.cssSelector("#top-consumers tbody tr:first-child td:nth-child(1)"), "-"));
          assertThat(text(driver, "#top-consumers tbody tr:first-child td:nth-child(2)")).isEqualTo("15");
          assertThat(text(driver, "p99")).isNotEqualTo("–");
          assertThat(driver.findElements(By.cssSelector("#latency-chart svg path"))).hasSize(3);
        }
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("upstreams"), backend.url()));
        assertThat(text(driver, "cluster-summary")).startsWith("Single node");
        assertThat(text(driver, "route-count")).isEqualTo("2");
        assertThat(text(driver, "config-version")).isNotEqualTo("–");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("reloads"), "refused"));
        assertThat(text(driver, "#reloads tbody tr:first-child td:nth-child(4)")).contains("noSuchSection");
        assertThat(text(driver, "#reloads tbody tr:nth-child(2) td:nth-child(3)")).isEqualTo("applied");
        assertThat(driver.findElements(By.cssSelector("#traffic-chart svg path"))).isNotEmpty();

        // Live: more traffic shows up at the next poll, with no reload of the page.
        for (int i = 0; i < 5; i++) {
          assertThat(client.get(gw.port(), "/users/more" + i).status()).isEqualTo(200);
        }
        wait.until(ExpectedConditions.textToBe(By.id("total-requests"), "20"));
        assertThat(text(driver, "error")).isEmpty();
        assertThat(driver.getCurrentUrl()).isEqualTo(base).doesNotContain(TestGateway.ADMIN_TOKEN);

        screenshot(driver);
        List<LogEntry> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
            .toList();
        assertThat(severe).as("browser console errors").isEmpty();

        // Signing out forgets the token: the board is gone and sessionStorage is empty.
        driver.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login")));
        assertThat(((ChromeDriver) driver).executeScript("return sessionStorage.length")).isEqualTo(0L);
      } finally {
        driver.quit();
      }
    }
  }

  private static MultiMap token() {
    return MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + TestGateway.ADMIN_TOKEN);
  }

  private static String text(WebDriver driver, String idOrCss) {
    By by = idOrCss.matches("[a-z0-9-]+") ? By.id(idOrCss) : By.cssSelector(idOrCss);
    return driver.findElement(by).getText();
  }

  private static void screenshot(WebDriver driver) throws Exception {
    Path out = Path.of("target", "dashboard-screenshots");
    Files.createDirectories(out);
    Path file = out.resolve("dashboard.png");
    Files.write(file, ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES));
    log.info("dashboard screenshot: {}", file.toAbsolutePath());
  }

  private static WebDriver chrome(File chromium, File driverBinary) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--window-size=1400,2000", "--no-first-run", "--disable-extensions", "--disable-background-networking",
        "--disable-sync", "--disable-component-update", "--lang=en-US");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driverBinary)
        .usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  private static void requireBrowser(File chromium, File driverBinary) {
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
