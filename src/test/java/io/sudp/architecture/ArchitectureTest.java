package io.sudp.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The package rules of {@code docs/architecture.md}, checked on the compiled main classes: the
 * tunnel core runs without Camel, packages depend on each other one way only, and {@code ops} is a
 * leaf every other package may use.
 */
class ArchitectureTest {

  /**
   * The package map of {@code docs/architecture.md}, top to bottom: a package may use the packages
   * of the rows below its own, never those of its own row or above. A new package must be placed
   * here before it can be used.
   */
  private static final List<List<String>> LAYERS =
      List.of(
          List.of("cli", "embed"),
          List.of("runtime"),
          List.of("management"),
          List.of("process"),
          List.of("config"),
          List.of("camel"),
          List.of("client", "server", "echo"),
          List.of("destination"),
          List.of("transport", "udp"),
          List.of("protocol", "security"),
          List.of("ops", "routes"));

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
            "io.sudp.destination..",
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

  @Test
  void dependenciesPointDownThePackageMap() {
    classes()
        .that()
        .resideInAPackage("io.sudp..")
        .should(onlyUsePackagesBelowTheirOwn())
        .because("docs/architecture.md: dependencies point one way, down the package map")
        .check(MAIN);
  }

  private static ArchCondition<JavaClass> onlyUsePackagesBelowTheirOwn() {
    return new ArchCondition<>("only use packages of the rows below their own") {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        String from = topPackage(origin);
        if (row(from) < 0) {
          events.add(SimpleConditionEvent.violated(origin, from + " is not in the package map"));
          return;
        }
        for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
          String to = topPackage(dependency.getTargetClass());
          if (to != null && !to.equals(from) && row(to) <= row(from)) {
            events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
          }
        }
      }
    };
  }

  /** The package right below {@code io.sudp}, or null for classes outside the project. */
  private static String topPackage(JavaClass type) {
    String name = type.getPackageName();
    if (!name.startsWith("io.sudp.")) {
      return null;
    }
    int end = name.indexOf('.', "io.sudp.".length());
    return end < 0 ? name.substring("io.sudp.".length()) : name.substring("io.sudp.".length(), end);
  }

  private static int row(String topPackage) {
    for (int row = 0; row < LAYERS.size(); row++) {
      if (LAYERS.get(row).contains(topPackage)) {
        return row;
      }
    }
    return -1;
  }
}
