// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.benchmarks;

import io.sluice.gateway.platform.config.ConfigLoader;
import io.sluice.gateway.platform.route.PathNormalizer;
import io.sluice.gateway.platform.route.RouteLookup;
import io.sluice.gateway.platform.route.RouteTable;
import io.sluice.gateway.platform.config.EscapedSlashes;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Normalising and looking up a request path among 10, 1,000 and 10,000 routes. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class RouteLookupBenchmark {

  @Param({"10", "1000", "10000"})
  int routes;

  RouteTable table;
  PathNormalizer normalizer = new PathNormalizer(true, EscapedSlashes.REJECT);
  MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Host", "api.example.com");
  String path;

  @Setup
  public void setUp() {
    StringBuilder yaml = new StringBuilder("upstreams: { app: { targets: [\"http://127.0.0.1:1\"] } }\nroutes:\n");
    for (int i = 0; i < routes; i++) {
      yaml.append("  - { id: r").append(i).append(", path: \"/svc").append(i).append("/{id}/items/**\", upstream: app }\n");
    }
    table = RouteTable.compile(new ConfigLoader(name -> null).parse(yaml.toString(), "bench.yaml"), "bench.yaml");
    path = "/svc" + (routes - 1) + "/42/items/a/b";
  }

  @Benchmark
  public RouteLookup normaliseAndLookUp() {
    return table.lookup("api.example.com", HttpMethod.GET, normalizer.normalize(path), headers, null);
  }
}
