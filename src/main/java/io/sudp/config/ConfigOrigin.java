package io.sudp.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a configuration's text comes from: a file, or a resource of an application's class path
 * ({@code classpath:NAME}), for an application that embeds SUDP and ships its configuration inside
 * its own jar. Either is validated the same way; problems name it as it was given.
 */
sealed interface ConfigOrigin {
  String CLASSPATH = "classpath:";

  /**
   * {@code location} as a file's path, or a class path resource when it starts {@code classpath:}.
   */
  static ConfigOrigin of(String location, ClassLoader classLoader) {
    return location.startsWith(CLASSPATH)
        ? new Resource(location.substring(CLASSPATH.length()), classLoader)
        : new File(Path.of(location));
  }

  /** How problems name it: the file's path, or {@code classpath:NAME}. */
  String name();

  /** Its last name, without directories: the instance's name when the file names none. */
  String fileName();

  /** Where the relative paths of its values lead. */
  RelativePaths paths();

  /** Its text read and parsed, or null with the problem added to {@code problems}. */
  ConfigFile read(List<String> problems);

  /** A configuration file. */
  record File(Path path) implements ConfigOrigin {
    @Override
    public String name() {
      return path.toString();
    }

    @Override
    public String fileName() {
      return path.getFileName().toString();
    }

    @Override
    public RelativePaths paths() {
      return RelativePaths.of(path);
    }

    @Override
    public ConfigFile read(List<String> problems) {
      return ConfigFile.read(path, problems);
    }
  }

  /**
   * A resource {@code classLoader} finds. It has no directory of its own on disk (it may be inside
   * a jar), so relative paths in it are taken from the working directory.
   */
  record Resource(String resource, ClassLoader classLoader) implements ConfigOrigin {
    @Override
    public String name() {
      return CLASSPATH + resource;
    }

    @Override
    public String fileName() {
      return resource.substring(resource.lastIndexOf('/') + 1);
    }

    @Override
    public RelativePaths paths() {
      return new RelativePaths(Path.of("").toAbsolutePath());
    }

    @Override
    public ConfigFile read(List<String> problems) {
      String path = resource.startsWith("/") ? resource.substring(1) : resource;
      try (InputStream in = classLoader.getResourceAsStream(path)) {
        if (in == null) {
          problems.add(name() + ": cannot read: no such resource on the class path");
          return null;
        }
        return ConfigFile.parse(name(), in.readAllBytes(), problems);
      } catch (IOException e) {
        problems.add(name() + ": cannot read: " + ConfigFile.reason(e));
        return null;
      }
    }
  }
}
