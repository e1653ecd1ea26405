package io.sudp.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package rules of {@code docs/architecture.md}, checked on the compiled main classes: the
 * tunnel core runs without Camel, packages depend on each other one way only, and {@code ops} is a
 * leaf every other package may use.
 */
class ArchitectureTest {

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.sudp");

  @Test
  void tunnelCoreDoesNotDependOnCamel() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.sudp.client..",
            "io.sudp.server..",
            "io.sudp.transport..",
            "io.sudp.protocol..",
            "io.sudp.udp..",
            "io.sudp.echo..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.camel..")
        .because("the core is plain Java; Camel is its adapter (package io.sudp.camel)")
        .check(MAIN);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("io.sudp.(*)..").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void opsDependsOnNothingOfOurs() {
    noClasses()
        .that()
        .resideInAPackage("io.sudp.ops..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("io.sudp..").and(resideOutsideOfPackage("io.sudp.ops..")))
        .because("counters, drop causes and rate-limited logging are used everywhere")
        .check(MAIN);
  }
}
