// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryStringsTest {

  @Test
  void dropsTheNamedParameterWhateverItsCaseOrEncodingAndKeepsTheRest() {
    assertThat(QueryStrings.without("a=1&api_key=K&b=2", "api_key")).isEqualTo("a=1&b=2");
    assertThat(QueryStrings.without("API%5FKEY=K&b=2", "api_key")).isEqualTo("b=2");
    assertThat(QueryStrings.without("api_key=K", "api_key")).isNull();
    assertThat(QueryStrings.without("api_key=1&api_key=2", "api_key")).isNull();
    assertThat(QueryStrings.without("a&&b", "api_key")).isEqualTo("a&b");
  }

  /** Netty's decoder, behind {@link Request#queryParams()}, separates parameters on {@code ;} as on {@code &}. */
  @Test
  void aSemicolonSeparatesParametersAsTheLookupReadsThem() {
    assertThat(QueryStrings.without("x=1;apikey=K", "apikey")).isEqualTo("x=1");
    assertThat(QueryStrings.without("apikey=K;x=1", "apikey")).isEqualTo("x=1");
    assertThat(QueryStrings.without("x=1;apikey=K&y=2;z=3", "apikey")).isEqualTo("x=1&y=2;z=3");
  }
}
