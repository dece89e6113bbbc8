// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SecretMaskTest {

  @Test
  void masksSecretLookingKeysAtAnyDepthAndKeepsTheRest() throws Exception {
    var node = new ObjectMapper().readTree("""
        {"key":"k1","apiKey":"k2","api_key":"k3","keys":{"alice":"k4"},"clientSecret":"s","password":"p",
         "token":"t","credentials":["c"],"set":{"Authorization":"Bearer x","X-Tenant":"acme"},
         "keyBy":"consumer","file":"auth.js","timeout":"50ms","limit":100}
        """);
    assertThat(SecretMask.mask(node).toString()).isEqualTo(
        "{\"key\":\"******\",\"apiKey\":\"******\",\"api_key\":\"******\",\"keys\":\"******\",\"clientSecret\":\"******\","
            + "\"password\":\"******\",\"token\":\"******\",\"credentials\":\"******\","
            + "\"set\":{\"Authorization\":\"******\",\"X-Tenant\":\"acme\"},"
            + "\"keyBy\":\"consumer\",\"file\":\"auth.js\",\"timeout\":\"50ms\",\"limit\":100}");
    assertThat(node.get("key").asText()).as("the original is untouched").isEqualTo("k1");
  }

  @Test
  void runTogetherKeyNamesAreSecretsToo() {
    for (String name : new String[] {"apikey", "X-APIKEY", "accesskey", "AWS_ACCESSKEY", "authkey"}) {
      assertThat(SecretMask.looksSecret(name)).as(name).isTrue();
    }
    for (String name : new String[] {"monkey", "keyBy", "hockey", "turnkey"}) {
      assertThat(SecretMask.looksSecret(name)).as(name).isFalse();
    }
  }
}
