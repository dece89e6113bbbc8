// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.foreign;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/** An entry processor outside the platform's cluster package: members must refuse to deserialize it. */
public final class ForeignProcessor implements EntryProcessor<String, String, Integer> {
  private static final long serialVersionUID = 1L;

  @Override
  public Integer process(Map.Entry<String, String> entry) {
    return 1;
  }
}
