// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.testkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The rule every plugin obeys: its main code depends on the plugin API, never on the gateway's platform
 * (which may change in any release) or on the test kit.
 */
public final class PluginArchitecture {

  private PluginArchitecture() {}

  /** Fails when a main class in {@code pluginPackage} (or below) uses a platform or test-kit class. */
  public static void assertUsesOnlyThePluginApi(String pluginPackage) {
    JavaClasses classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(pluginPackage);
    if (classes.isEmpty()) {
      throw new AssertionError("no main classes found in " + pluginPackage);
    }
    noClasses()
        .should().dependOnClassesThat().resideInAnyPackage("io.sluice.gateway.platform..", "io.sluice.gateway.testkit..")
        .because("plugins are built on plugin-api alone")
        .check(classes);
  }
}
