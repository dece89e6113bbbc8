// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.platform.TestClient.Reply;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's files on a real admin listener, over HTTP: they load without the token with strict headers;
 * everything else (data, unknown files, paths that climb out) still needs the token.
 */
@ExtendWith(VertxExtension.class)
class DashboardIT {

  @TempDir Path dir;

  private static final MultiMap TOKEN =
      MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + TestGateway.ADMIN_TOKEN);

  @Test
  void servesThePageWithoutTheTokenAndTheDataOnlyWithIt(Vertx vertx) throws Exception {
    try (TestGateway gw = TestGateway.start(dir, "routes: []\n");
        TestClient client = new TestClient(vertx)) {
      int admin = gw.adminPort();
      Reply page = client.get(admin, "/dashboard/");
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.headers().get("Content-Type")).startsWith("text/html");
      assertThat(page.body()).contains("<script type=\"module\" src=\"dashboard.js\"></script>")
          .doesNotContain("<script>");
      assertThat(page.headers().get("Content-Security-Policy"))
          .isEqualTo("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
      assertThat(page.headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(page.headers().get("X-Frame-Options")).isEqualTo("DENY");
      assertThat(page.headers().get("Referrer-Policy")).isEqualTo("no-referrer");
      assertThat(page.headers().get("Cache-Control")).isEqualTo("no-store");

      for (String file : new String[] {"dashboard.js", "charts.js", "metrics.js"}) {
        Reply js = client.get(admin, "/dashboard/" + file);
        assertThat(js.status()).as(file).isEqualTo(200);
        assertThat(js.headers().get("Content-Type")).as(file).startsWith("text/javascript");
      }
      assertThat(client.get(admin, "/dashboard/dashboard.css").headers().get("Content-Type")).startsWith("text/css");

      Reply redirect = client.get(admin, "/dashboard");
      assertThat(redirect.status()).isEqualTo(302);
      assertThat(redirect.headers().get("Location")).isEqualTo("/dashboard/");

      Reply endpoints = client.get(admin, "/dashboard/endpoints.json");
      assertThat(endpoints.status()).isEqualTo(200);
      assertThat(endpoints.json().getJsonArray("endpoints").getList())
          .contains("/admin/health", "/admin/upstreams", "/admin/cluster", "/admin/reloads", "/metrics");

      // Data, unknown files and climbing out of the webroot: the token check, as for any admin request.
      for (String uri : new String[] {"/admin/reloads", "/admin/health", "/dashboard/nope.js",
          "/dashboard/../admin/health", "/dashboard/%2e%2e/admin/health"}) {
        Reply refused = client.get(admin, uri);
        assertThat(refused.status()).as(uri).isEqualTo(401);
        assertThat(refused.key()).as(uri).isEqualTo("ADMIN_UNAUTHORIZED");
        assertThat(refused.headers().get("Cache-Control")).as(uri).isEqualTo("no-store");
      }

      Reply reloads = client.get(admin, "/admin/reloads", TOKEN);
      assertThat(reloads.status()).isEqualTo(200);
      assertThat(reloads.headers().get("Cache-Control")).isEqualTo("no-store");
      assertThat(reloads.json().getJsonArray("reloads").getJsonObject(0).getString("outcome")).isEqualTo("applied");
      assertThat(reloads.json().getJsonObject("config").getString("version")).isNotBlank();
      assertThat(client.get(admin, "/dashboard/nope.js", TOKEN).key()).isEqualTo("ADMIN_NOT_FOUND");
    }
  }
}
