package io.sudp.testing;

import io.sudp.config.ConfigException;
import io.sudp.config.SudpConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes test configurations as real YAML files and loads them the way the command line does. */
public final class Configs {
  private Configs() {}

  public static Path write(Path dir, String name, String yaml) throws IOException {
    return Files.writeString(dir.resolve(name), yaml);
  }

  public static SudpConfig load(Path dir, String name, String yaml)
      throws IOException, ConfigException {
    return SudpConfig.load(write(dir, name, yaml));
  }
}
