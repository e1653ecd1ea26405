package io.sudp.config;

import io.sudp.transport.ClientSecurity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * Reads {@code client.tls} and {@code client.auth}. Secrets come only from a file or an environment
 * variable, never from the configuration itself, and no message ever prints one.
 */
final class ClientSecurityReader {
  private ClientSecurityReader() {}

  static ClientSecurity read(ConfigNode client) {
    ConfigEnvironment environment = client.environment();
    Path ca = null;
    Path certificate = null;
    Path key = null;
    boolean insecure = false;
    ConfigNode tls = client.section("tls");
    if (tls != null) {
      ca = tls.readableFile("ca");
      certificate = tls.readableFile("certificate");
      key = tls.readableFile("key");
      if (tls.has("certificate") != tls.has("key")) {
        tls.problem(tls.has("key") ? "certificate" : "key", "give certificate and key together");
      }
      insecure = Boolean.parseBoolean(tls.string("insecure", "false"));
      tls.rejectUnknownKeys();
    }
    String authorization = null;
    ConfigNode auth = client.section("auth");
    if (auth != null) {
      authorization = authorization(auth, environment);
      auth.rejectUnknownKeys();
    }
    return new ClientSecurity(ca, certificate, key, insecure, authorization);
  }

  /**
   * {@code client.credentials}: named sets of credentials (the keys of {@code auth}) that tunnels
   * going to other servers refer to; each is {@code base} (the client's TLS settings) with its own
   * authorization.
   */
  static Map<String, ClientSecurity> credentials(ConfigNode client, ClientSecurity base) {
    Map<String, ClientSecurity> named = new java.util.LinkedHashMap<>();
    ConfigNode all = client.section("credentials");
    if (all == null) {
      return named;
    }
    for (String name : all.keys()) {
      ConfigNode entry = all.section(name);
      if (entry == null) {
        continue;
      }
      named.put(
          name,
          new ClientSecurity(
              base.caFile(),
              base.certificate(),
              base.key(),
              base.insecure(),
              authorization(entry, client.environment())));
      entry.rejectUnknownKeys();
    }
    return named;
  }

  private static String authorization(ConfigNode auth, ConfigEnvironment environment) {
    if (auth.has("token-file") || auth.has("token-env")) {
      String token = secret(auth, "token", environment);
      return token == null ? null : "Bearer " + token;
    }
    String username = auth.string("username", null);
    String password = secret(auth, "password", environment);
    if (username == null || password == null) {
      return null;
    }
    if (username.indexOf(':') >= 0) {
      auth.problem("username", "must not contain ':'");
    }
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** A secret from {@code NAME-file} or {@code NAME-env}: exactly one of them. */
  static String secret(ConfigNode node, String name, ConfigEnvironment environment) {
    boolean fromFile = node.has(name + "-file");
    boolean fromEnv = node.has(name + "-env");
    if (fromFile == fromEnv) {
      node.problem(
          name + "-file",
          fromFile
              ? "give " + name + "-file or " + name + "-env, not both"
              : "required: "
                  + name
                  + "-file (a file holding it) or "
                  + name
                  + "-env (an environment variable holding it)");
      node.string(name + "-file", "");
      node.string(name + "-env", "");
      return null;
    }
    if (fromEnv) {
      String variable = node.string(name + "-env", "");
      String value = environment.get(variable);
      if (value == null || value.isEmpty()) {
        node.problem(name + "-env", "environment variable " + variable + " is not set");
        return null;
      }
      return value;
    }
    Path file = node.readableFile(name + "-file");
    if (file == null) {
      return null;
    }
    try {
      String value = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (value.isEmpty()) {
        node.problem(name + "-file", file + " is empty");
        return null;
      }
      return value;
    } catch (IOException e) {
      node.problem(name + "-file", "cannot read " + file + ": " + e.getMessage());
      return null;
    }
  }
}
