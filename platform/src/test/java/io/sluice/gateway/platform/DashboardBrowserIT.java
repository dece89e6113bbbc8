// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.platform.TestClient.Reply;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} + {@code chromium-driver}) against a real
 * gateway and backend: the page loads without the token, signs in with it, and shows the traffic this test
 * sent, the upstream, the cluster and the reloads, without one console error. One browser session; a
 * screenshot goes to {@code target/dashboard-screenshots/dashboard.png}. The browser's set-up (and the skip
 * without Chromium, a failure under {@code SLUICE_REQUIRE_BROWSER=1}) is {@link DashboardBrowser}'s.
 */
@ExtendWith(VertxExtension.class)
class DashboardBrowserIT {

  @TempDir Path dir;

  @Test
  void showsTheTrafficJustSentWithoutConsoleErrors(Vertx vertx) throws Exception {
    DashboardBrowser.requireInstalled();

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

      String base = DashboardBrowser.base(gw.adminPort());
      List<Object> endpoints =
          client.get(gw.adminPort(), "/dashboard/endpoints.json").json().getJsonArray("endpoints").getList();
      Reply page = client.get(gw.adminPort(), "/dashboard/");
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.headers().get("Content-Security-Policy")).contains("script-src 'self'").doesNotContain("unsafe");
      assertThat(page.headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(client.get(gw.adminPort(), "/admin/health").status()).isEqualTo(401);

      try (DashboardBrowser browser = DashboardBrowser.start()) {
        WebDriver driver = browser.driver();
        WebDriverWait wait = browser.waiter();
        WebElement tokenField = browser.open(gw.adminPort());
        assertThat(driver.findElement(By.id("board")).isDisplayed()).isFalse();
        tokenField.sendKeys(TestGateway.ADMIN_TOKEN);
        driver.findElement(By.id("sign-in")).click();

        browser.waitForText("status", "UP");
        browser.waitForText("total-requests", "15");
        assertThat(browser.text("error-rate")).isEqualTo("13.33 %");
        browser.waitForText("#top-routes tbody tr:first-child td:nth-child(1)", "orders");
        assertThat(browser.text("#top-routes tbody tr:first-child td:nth-child(2)")).isEqualTo("12");
        assertThat(browser.text("#top-routes tbody tr:first-child td:nth-child(3)")).isEqualTo("2");
        assertThat(browser.text("#top-routes tbody tr:nth-child(2) td:nth-child(1)")).isEqualTo("users");
        assertThat(browser.text("#top-routes tbody tr:nth-child(2) td:nth-child(2)")).isEqualTo("3");

        assertThat(endpoints).as("analytics is on by default").contains("/admin/analytics");
        if (endpoints.contains("/admin/analytics")) {
          // Analytics: the range's numbers, and consumers (anonymous calls are "-").
          assertThat(browser.text("source")).startsWith("From /admin/analytics, per minute");
          browser.waitForText("#top-consumers tbody tr:first-child td:nth-child(1)", "-");
          assertThat(browser.text("#top-consumers tbody tr:first-child td:nth-child(2)")).isEqualTo("15");
          assertThat(browser.text("p99")).isNotEqualTo("–");
          assertThat(driver.findElements(By.cssSelector("#latency-chart svg path"))).hasSize(3);
          // Something visible per percentile: a line, or a dot where a minute has no neighbour (all the traffic
          // so far fell in one or two minutes).
          assertThat(driver.findElements(By.cssSelector("#latency-chart svg path[d*='L'], #latency-chart svg circle")))
              .as("the latency chart draws its points").hasSizeGreaterThanOrEqualTo(3);
        }
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("upstreams"), backend.url()));
        assertThat(browser.text("cluster-summary")).startsWith("Single node");
        assertThat(browser.text("route-count")).isEqualTo("2");
        assertThat(browser.text("config-version")).isNotEqualTo("–");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("reloads"), "refused"));
        assertThat(browser.text("#reloads tbody tr:first-child td:nth-child(4)")).contains("noSuchSection");
        assertThat(browser.text("#reloads tbody tr:nth-child(2) td:nth-child(3)")).isEqualTo("applied");
        assertThat(driver.findElements(By.cssSelector("#traffic-chart svg path"))).isNotEmpty();

        // Live: more traffic shows up at the next poll, with no reload of the page.
        for (int i = 0; i < 5; i++) {
          assertThat(client.get(gw.port(), "/users/more" + i).status()).isEqualTo(200);
        }
        browser.waitForText("total-requests", "20");
        assertThat(browser.text("error")).isEmpty();
        assertThat(driver.getCurrentUrl()).isEqualTo(base).doesNotContain(TestGateway.ADMIN_TOKEN);

        browser.screenshot("dashboard.png");
        assertThat(browser.consoleErrors()).as("browser console errors").isEmpty();

        // Signing out forgets the token: the board is gone and sessionStorage is empty.
        driver.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login")));
        assertThat(browser.script("return sessionStorage.length")).isEqualTo(0L);
      }
    }
  }

  static MultiMap token() {
    return MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + TestGateway.ADMIN_TOKEN);
  }
}
