// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.fuzz;

import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Bounded random-input testing: {@code tries} inputs from a seeded generator, each checked by a property. A
 * failure names the property, the seed, the try and the input, so that it can be replayed with
 * {@code -Dsluice.fuzz.seed=SEED}. Each run draws a new seed (so runs together cover more inputs) unless that
 * property is set; {@code -Dsluice.fuzz.scale=N} multiplies every budget.
 */
public final class Fuzz {

  private Fuzz() {}

  public static <T> void check(String property, int tries, Function<Random, T> generator, Consumer<T> check) {
    String fixed = System.getProperty("sluice.fuzz.seed");
    long seed = fixed != null ? Long.parseLong(fixed) : new Random().nextLong();
    int budget = tries * Integer.getInteger("sluice.fuzz.scale", 1);
    Random random = new Random(seed);
    for (int i = 0; i < budget; i++) {
      T input = generator.apply(random);
      try {
        check.accept(input);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(property + " failed on try " + (i + 1) + " of seed " + seed
            + " (replay with -Dsluice.fuzz.seed=" + seed + ") for input: " + printable(input), e);
      }
    }
  }

  /** Picks one of {@code options}. */
  public static <T> T oneOf(Random random, java.util.List<T> options) {
    return options.get(random.nextInt(options.size()));
  }

  private static String printable(Object input) {
    return String.valueOf(input).replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
  }
}
