// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The dashboard without analytics, in the real headless Chromium of {@link DashboardBrowser}: with
 * {@code analytics.enabled: false} it reads the gateway's own {@code /metrics} (totals and routes since start,
 * the traffic chart from the differences between polls) and says so; with metrics off too it says plainly
 * that there are no traffic numbers. Neither asks for an endpoint that is off, so the console stays clean.
 */
@ExtendWith(VertxExtension.class)
class DashboardFallbackBrowserIT {

  private static final String ROUTES = """
      routes:
        - id: orders
          path: /orders/**
          upstream: %s
        - id: users
          path: /users/**
          upstream: %s
      """;

  @TempDir Path dir;

  @Test
  void withoutAnalyticsTheTrafficComesFromMetrics(Vertx vertx) throws Exception {
    DashboardBrowser.requireInstalled();
    try (TestBackend backend = TestBackend.start(vertx, req -> req.response()
            .setStatusCode(req.path().endsWith("/fail") ? 500 : req.path().endsWith("/missing") ? 404 : 200).end("ok"));
        TestGateway gw = TestGateway.start(dir, "analytics: { enabled: false }\n"
            + ROUTES.formatted(backend.url(), backend.url()));
        TestClient client = new TestClient(vertx)) {
      for (int i = 0; i < 7; i++) {
        assertThat(client.get(gw.port(), "/orders/" + i).status()).isEqualTo(200);
      }
      for (int i = 0; i < 3; i++) {
        assertThat(client.get(gw.port(), "/orders/fail").status()).isEqualTo(500);
      }
      assertThat(client.get(gw.port(), "/users/missing").status()).isEqualTo(404);
      for (int i = 0; i < 4; i++) {
        assertThat(client.get(gw.port(), "/users/" + i).status()).isEqualTo(200);
      }
      List<Object> endpoints =
          client.get(gw.adminPort(), "/dashboard/endpoints.json").json().getJsonArray("endpoints").getList();
      assertThat(endpoints).contains("/metrics", "/admin/health").doesNotContain("/admin/analytics");

      try (DashboardBrowser browser = DashboardBrowser.start()) {
        browser.signIn(gw.adminPort());
        browser.waitForText("status", "UP");
        // 15 exchanges: 3 of them 5xx (error rate 20 %), one 4xx; by route orders 10 (3 errors), users 5.
        browser.waitForText("total-requests", "15");
        assertThat(browser.text("error-rate")).isEqualTo("20.00 %");
        assertThat(browser.text("client-errors")).isEqualTo("1");
        assertThat(browser.text("p99")).as("a histogram bucket bound").isNotEqualTo("–");
        browser.waitForText("#top-routes tbody tr:first-child td:nth-child(1)", "orders");
        assertThat(browser.text("#top-routes tbody tr:first-child td:nth-child(2)")).isEqualTo("10");
        assertThat(browser.text("#top-routes tbody tr:first-child td:nth-child(3)")).isEqualTo("3");
        assertThat(browser.text("#top-routes tbody tr:nth-child(2) td:nth-child(1)")).isEqualTo("users");
        assertThat(browser.text("#top-routes tbody tr:nth-child(2) td:nth-child(2)")).isEqualTo("5");
        assertThat(browser.text("#top-routes tbody tr:nth-child(2) td:nth-child(3)")).isEqualTo("0");
        assertThat(browser.driver().findElements(By.cssSelector("#top-routes tbody tr"))).hasSize(2);
        assertThat(browser.text("source")).contains("from /metrics").contains("no /admin/analytics");
        assertThat(browser.text("latency-chart")).startsWith("Since start (from the /metrics histograms)");
        assertThat(browser.text("#top-consumers tbody tr:first-child td")).contains("needs analytics");
        assertThat(browser.driver().findElement(By.id("range-label")).isDisplayed()).as("no range without analytics")
            .isFalse();

        // Live: the next poll shows new traffic, and the traffic chart the difference.
        for (int i = 0; i < 5; i++) {
          assertThat(client.get(gw.port(), "/users/more" + i).status()).isEqualTo(200);
        }
        browser.waitForText("total-requests", "20");
        browser.waitForText("#top-routes tbody tr:nth-child(2) td:nth-child(2)", "10");
        // The requests line: at least two polls' differences, one of them above the chart's zero line (y = 160).
        browser.waiter().until(d -> {
          Object path = browser.script(
              "const p = document.querySelector('#traffic-chart path.s-requests'); return p && p.getAttribute('d');");
          if (!(path instanceof String points) || !points.contains("L")) {
            return false;
          }
          return java.util.Arrays.stream(points.split("[ML]")).map(String::trim).filter(pt -> !pt.isEmpty())
              .anyMatch(pt -> Double.parseDouble(pt.split(" ")[1]) < 160);
        });
        assertThat(browser.text("error")).isEmpty();

        browser.screenshot("dashboard-metrics.png");
        assertThat(browser.consoleErrors()).as("browser console errors").isEmpty();
      }
    }
  }

  @Test
  void withAnalyticsAndMetricsOffThePageSaysThereAreNoTrafficNumbers(Vertx vertx) throws Exception {
    DashboardBrowser.requireInstalled();
    try (TestBackend backend = TestBackend.start(vertx, req -> req.response().end("ok"));
        TestGateway gw = TestGateway.start(dir, "analytics: { enabled: false }\nmetrics: { enabled: false }\n"
            + ROUTES.formatted(backend.url(), backend.url()));
        TestClient client = new TestClient(vertx)) {
      assertThat(client.get(gw.port(), "/orders/1").status()).isEqualTo(200);
      List<Object> endpoints =
          client.get(gw.adminPort(), "/dashboard/endpoints.json").json().getJsonArray("endpoints").getList();
      assertThat(endpoints).contains("/admin/health", "/admin/upstreams").doesNotContain("/metrics", "/admin/analytics");

      try (DashboardBrowser browser = DashboardBrowser.start()) {
        browser.signIn(gw.adminPort());
        browser.waitForText("status", "UP");
        browser.waiter().until(ExpectedConditions.textToBePresentInElementLocated(By.id("source"),
            "both analytics and metrics off"));
        assertThat(browser.text("source")).isEqualTo("No traffic numbers: this gateway has both analytics and metrics "
            + "off (analytics.enabled: false, metrics.enabled: false). Turn either on to see requests, errors and "
            + "latency here.");
        for (String tile : new String[] {"total-requests", "error-rate", "client-errors", "p50", "p95", "p99"}) {
          assertThat(browser.text(tile)).as(tile).isEqualTo("off");
        }
        assertThat(browser.text("traffic-chart")).startsWith("No traffic numbers");
        assertThat(browser.text("#top-routes tbody tr:first-child td")).contains("analytics and metrics are disabled");
        // The rest of the page works as ever.
        browser.waiter().until(ExpectedConditions.textToBePresentInElementLocated(By.id("upstreams"), backend.url()));
        assertThat(browser.text("route-count")).isEqualTo("2");
        assertThat(browser.text("error")).isEmpty();

        browser.screenshot("dashboard-no-traffic.png");
        assertThat(browser.consoleErrors()).as("browser console errors").isEmpty();
      }
    }
  }
}
