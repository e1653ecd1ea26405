package io.sudp.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;

/**
 * A directory of tunnel instances, one YAML file each ({@code name}, {@code listen}, {@code
 * destination}; the name defaults to the file's name without {@code .yaml}), so that adding a
 * tunnel is adding a file; and Camel route files ({@code *.camel.yaml}, {@link RouteFiles}) that
 * declare tunnels as templated routes.
 */
final class InstanceFiles {
  private InstanceFiles() {}

  static List<TunnelConfig> read(
      Path dir, ConfigEnvironment environment, List<String> problems, TunnelChecks checks) {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files =
          list.filter(file -> file.getFileName().toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      problems.add(dir + ": cannot list: " + e.getMessage());
      return List.of();
    }
    List<TunnelConfig> tunnels = new ArrayList<>();
    for (Path file : files) {
      if (file.getFileName().toString().endsWith(RouteFiles.SUFFIX)) {
        tunnels.addAll(RouteFiles.read(file, environment, problems, checks));
        continue;
      }
      ConfigNode root = SudpConfig.readFile(file, environment, problems, new HashSet<>());
      if (root != null) {
        String base = file.getFileName().toString();
        tunnels.add(checks.tunnel(root, base.substring(0, base.length() - ".yaml".length())));
      }
    }
    return tunnels;
  }
}
