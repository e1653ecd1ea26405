package io.sudp.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.mindrot.jbcrypt.BCrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may connect: users with bcrypt password hashes from an htpasswd file (the same file nginx
 * uses) and named bearer tokens from a tokens file ({@code name token} per line). Both files are
 * read again when they change, so credentials rotate without a restart. All comparisons take the
 * same time whatever matches, and an unknown user costs a bcrypt check like a known one.
 */
public final class Credentials {
  private static final Logger LOG = LoggerFactory.getLogger(Credentials.class);
  private static final int DEFAULT_COST = 10;

  private final Path htpasswd;
  private final Path tokens;
  private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of(), null, null, null);

  /**
   * What the files said; {@code dummyHash} is checked when a user is unknown, made with the highest
   * cost among the users' hashes, so that an unknown name takes as long to refuse as a known one
   * (names that exist must not be told apart by time).
   */
  private record Snapshot(
      Map<String, String> passwordHashes,
      Map<String, byte[]> tokenDigests,
      FileTime htpasswdTime,
      FileTime tokensTime,
      String dummyHash) {}

  /**
   * @param htpasswd an htpasswd file with bcrypt entries, or null
   * @param tokens a file of {@code name token} lines, or null
   */
  public Credentials(Path htpasswd, Path tokens) throws IOException {
    this.htpasswd = htpasswd;
    this.tokens = tokens;
    reloadIfChanged();
  }

  /** Reads the files again if they changed since the last read; true if they did. */
  boolean reloadIfChanged() throws IOException {
    Snapshot current = snapshot;
    FileTime htpasswdTime = htpasswd == null ? null : Files.getLastModifiedTime(htpasswd);
    FileTime tokensTime = tokens == null ? null : Files.getLastModifiedTime(tokens);
    if (Objects.equals(htpasswdTime, current.htpasswdTime())
        && Objects.equals(tokensTime, current.tokensTime())) {
      return false;
    }
    Map<String, String> hashes = htpasswd == null ? Map.of() : readHtpasswd(htpasswd);
    Map<String, byte[]> digests = tokens == null ? Map.of() : readTokens(tokens);
    int cost = hashes.values().stream().mapToInt(Credentials::cost).max().orElse(DEFAULT_COST);
    String dummy =
        current.dummyHash() != null && cost(current.dummyHash()) == cost
            ? current.dummyHash()
            : BCrypt.hashpw("sudp", BCrypt.gensalt(cost));
    snapshot = new Snapshot(hashes, digests, htpasswdTime, tokensTime, dummy);
    LOG.info("credentials loaded: {} users, {} tokens", hashes.size(), digests.size());
    return true;
  }

  private static Map<String, String> readHtpasswd(Path file) throws IOException {
    Map<String, String> hashes = new HashMap<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      String hash = colon < 0 ? "" : line.substring(colon + 1);
      if (!hash.matches("\\$2[aby]\\$\\d\\d\\$.{53}")) {
        LOG.warn("{}:{}: not a bcrypt entry (make it with htpasswd -B); ignored", file, i + 1);
        continue;
      }
      // $2y$ and $2b$ (htpasswd, OpenBSD) are the same algorithm as $2a$.
      hashes.put(line.substring(0, colon), "$2a$" + hash.substring(4));
    }
    return Map.copyOf(hashes);
  }

  private static Map<String, byte[]> readTokens(Path file) throws IOException {
    Map<String, byte[]> digests = new HashMap<>();
    tokens(file).forEach((name, token) -> digests.put(name, sha256(token)));
    return Map.copyOf(digests);
  }

  /**
   * The first token of a tokens file ({@code NAME TOKEN} lines): what a command on the same host
   * presents to a port that asks for one, or null if the file has none.
   */
  public static String firstToken(Path file) throws IOException {
    return tokens(file).values().stream().findFirst().orElse(null);
  }

  /** The tokens of the file by name, in the order written; lines that are no token are said. */
  private static Map<String, String> tokens(Path file) throws IOException {
    Map<String, String> tokens = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split("\\s+");
      if (parts.length != 2 || parts[1].length() < 16) {
        LOG.warn(
            "{}:{}: expected 'NAME TOKEN' with a token of 16 characters or more; ignored",
            file,
            i + 1);
        continue;
      }
      tokens.put(parts[0], parts[1]);
    }
    return tokens;
  }

  /**
   * The user whose password this is, or null. Slow on purpose (bcrypt): call off the event loop.
   */
  String checkPassword(String user, String password) {
    Snapshot current = snapshot;
    String hash = current.passwordHashes().get(user);
    boolean matches = BCrypt.checkpw(password, hash != null ? hash : current.dummyHash());
    return hash != null && matches ? user : null;
  }

  /** The cost of a bcrypt hash ({@code $2y$05$...}: 5). */
  private static int cost(String hash) {
    try {
      return Math.max(4, Math.min(20, Integer.parseInt(hash.substring(4, 6))));
    } catch (RuntimeException e) {
      return DEFAULT_COST;
    }
  }

  /** The name of the token, or null; every token is compared, in constant time each. */
  String checkToken(String token) {
    byte[] digest = sha256(token);
    String found = null;
    for (Map.Entry<String, byte[]> entry : snapshot.tokenDigests().entrySet()) {
      if (MessageDigest.isEqual(entry.getValue(), digest)) {
        found = entry.getKey();
      }
    }
    return found;
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
