// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

/** House rules for the main code, checked on the compiled classes. */
class ArchitectureTest {

  /** The API and the platform; not the test kit, which is on the test class path only (and may await). */
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.sluice.gateway.api", "io.sluice.gateway.platform");

  @Test
  void thePluginApiDoesNotDependOnThePlatform() {
    noClasses().that().resideInAPackage("io.sluice.gateway.api..")
        .should().dependOnClassesThat().resideInAPackage("io.sluice.gateway.platform..")
        .check(MAIN);
  }

  @Test
  void platformPackagesHaveNoCycles() {
    slices().matching("io.sluice.gateway.platform.(*)..")
        .should().beFreeOfCycles()
        .because("a feature package that needs another must not be needed by it: cycles make them one package")
        .check(MAIN);
  }

  @Test
  void onlyTheCompositionRootUsesTheAdminApi() {
    noClasses().that().resideInAPackage("io.sluice.gateway.platform..")
        .and().resideOutsideOfPackages("io.sluice.gateway.platform", "io.sluice.gateway.platform.admin")
        .should().dependOnClassesThat().resideInAPackage("io.sluice.gateway.platform.admin..")
        .because("the admin API drives the gateway through what the composition root hands it, never the reverse")
        .check(MAIN);
  }

  @Test
  void routingAndPoliciesDoNotKnowTheProxy() {
    noClasses().that().resideInAnyPackage("io.sluice.gateway.platform.route..", "io.sluice.gateway.platform.policy..")
        .should().dependOnClassesThat().resideInAPackage("io.sluice.gateway.platform.proxy..")
        .because("the proxy uses routes and chains; a route or chain that knew the proxy could not have another end")
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
