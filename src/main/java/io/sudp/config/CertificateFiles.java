package io.sudp.config;

import io.sudp.ops.Failures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What the files of {@code server.tls} hold at one moment (certificate and key, or keystore), links
 * followed, with a digest that tells when any of them changed. Only regular files of at most {@link
 * #MAX_BYTES} are read: a name that leads to a pipe or a device would block or never end.
 */
public final class CertificateFiles {
  /** Larger than any certificate chain or key: such a file is refused before it is read whole. */
  public static final int MAX_BYTES = 1024 * 1024;

  private final List<byte[]> contents;
  private final String digest;

  private CertificateFiles(List<byte[]> contents) {
    this.contents = contents;
    this.digest = digestOf(contents);
  }

  /** Reads {@code tls}'s files now. */
  public static CertificateFiles read(ServerTls tls) throws UnusableCertificate {
    List<byte[]> contents = new ArrayList<>();
    if (tls.keystore() != null) {
      contents.add(readBounded("keystore", tls.keystore()));
    } else {
      contents.add(readBounded("certificate", tls.certificate()));
      contents.add(readBounded("key", tls.key()));
    }
    return new CertificateFiles(List.copyOf(contents));
  }

  /** Equal for equal contents of every file; it names no content. */
  public String digest() {
    return digest;
  }

  /** The bytes of the first file (certificate or keystore) or the second (key). */
  byte[] file(int index) {
    return contents.get(index);
  }

  private static byte[] readBounded(String key, Path file) throws UnusableCertificate {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      if (!attributes.isRegularFile()) {
        throw new UnusableCertificate(key, file, "is not a regular file");
      }
      try (InputStream in = Files.newInputStream(file)) {
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
          throw new UnusableCertificate(
              key,
              file,
              "is larger than " + MAX_BYTES / (1024 * 1024) + " MiB: no certificate or key");
        }
        return bytes;
      }
    } catch (IOException e) {
      throw new UnusableCertificate(key, file, "cannot be read: " + Failures.fileProblem(e));
    }
  }

  private static String digestOf(List<byte[]> contents) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      for (byte[] content : contents) {
        sha256.update(ByteBuffer.allocate(4).putInt(content.length).array());
        sha256.update(content);
      }
      return HexFormat.of().formatHex(sha256.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
