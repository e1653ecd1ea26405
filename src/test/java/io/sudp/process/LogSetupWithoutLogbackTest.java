package io.sudp.process;

import static java.lang.invoke.MethodType.methodType;
import static org.assertj.core.api.Assertions.assertThat;

import io.sudp.config.LoggingConfig;
import java.lang.invoke.MethodHandles;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Embedded in an application whose SLF4J binding is not Logback (here: none at all, so SLF4J's
 * no-op one), the logging calls SUDP makes change nothing and load no Logback class: the library's
 * classes and SLF4J's API alone, in a class loader that cannot see Logback, run them.
 */
class LogSetupWithoutLogbackTest {
  @TempDir Path dir;

  @Test
  void withoutLogbackTheLoggingCallsChangeNothingAndFailNothing() throws Throwable {
    try (URLClassLoader withoutLogback =
        new URLClassLoader(
            new URL[] {location(LogSetup.class), location(LoggerFactory.class)},
            ClassLoader.getPlatformClassLoader())) {
      Class<?> setup = withoutLogback.loadClass(LogSetup.class.getName());
      Class<?> config = withoutLogback.loadClass(LoggingConfig.class.getName());
      Object toFile =
          config
              .getConstructor(String.class, Path.class, long.class, int.class)
              .newInstance("debug", dir.resolve("sudp.log"), 1L << 20, 1);

      // Method handles link one method each, as a call does; reflection would load every type of
      // every signature, the Logback appender of the live view's methods among them.
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      lookup
          .findStatic(setup, "apply", methodType(void.class, config, boolean.class, boolean.class))
          .invoke(toFile, true, true);
      lookup.findStatic(setup, "setLevel", methodType(void.class, String.class)).invoke("debug");
      lookup.findStatic(setup, "setDebug", methodType(void.class, boolean.class)).invoke(true);
      boolean debug =
          (boolean) lookup.findStatic(setup, "isDebug", methodType(boolean.class)).invoke();

      assertThat(debug).isFalse();
      assertThat(dir.resolve("sudp.log")).doesNotExist();
    }
  }

  private static URL location(Class<?> type) {
    return type.getProtectionDomain().getCodeSource().getLocation();
  }
}
