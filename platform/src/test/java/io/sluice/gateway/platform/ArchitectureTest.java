// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

/** House rules for the main code, checked on the compiled classes. */
class ArchitectureTest {

  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.sluice.gateway");

  @Test
  void thePluginApiDoesNotDependOnThePlatform() {
    noClasses().that().resideInAPackage("io.sluice.gateway.api..")
        .should().dependOnClassesThat().resideInAPackage("io.sluice.gateway.platform..")
        .check(MAIN);
  }

  @Test
  void onlyTheLauncherWritesToTheConsole() {
    noClasses().that().doNotHaveFullyQualifiedName(SluiceMain.class.getName())
        .should().accessField(System.class, "out")
        .orShould().accessField(System.class, "err")
        .because("the gateway logs through SLF4J; the access log has its own writer")
        .check(MAIN);
  }

  @Test
  void mainCodeNeverAwaitsAFuture() {
    noClasses().should().callMethod(Future.class, "await")
        .orShould().callMethod(Future.class, "await", long.class, java.util.concurrent.TimeUnit.class)
        .because("Future.await blocks; on an event loop it deadlocks (tests may use it)")
        .check(MAIN);
  }
}
