package io.sudp.config;

import io.sudp.ops.Failures;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PfxOptions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.X509KeyManager;

/**
 * The server's certificate and key, read the way the TLS stack will read them, so that what would
 * make every handshake fail is said by {@code validate} and at start, with the key and line: files
 * that are no certificate or key, a key that is not the certificate's. The same reading judges
 * renewed files while the server runs; the key manager it made is the one that then serves them.
 */
public final class ServerCertificate {
  private static final String[] KEY_TYPES = {"RSA", "EC", "EdDSA", "RSASSA-PSS"};

  /** Names listed when a certificate is described; a line stays short for a certificate of many. */
  private static final int NAMES_SHOWN = 5;

  private final ServerTls tls;
  private final X509KeyManager keys;
  private final X509Certificate certificate;

  private ServerCertificate(ServerTls tls, X509KeyManager keys, X509Certificate certificate) {
    this.tls = tls;
    this.keys = keys;
    this.certificate = certificate;
  }

  /** Checks {@code tls}; problems go to {@code node}. Its certificate's end, or null. */
  static Instant check(ConfigNode node, ServerTls tls) {
    try {
      return of(tls, CertificateFiles.read(tls)).expires();
    } catch (UnusableCertificate e) {
      node.problem(e.key(), e.reason());
      return null;
    }
  }

  /** The certificate and key {@code files} of {@code tls} hold, if the TLS stack can serve them. */
  public static ServerCertificate of(ServerTls tls, CertificateFiles files)
      throws UnusableCertificate {
    boolean pem = tls.keystore() == null;
    String where = pem ? "certificate" : "keystore";
    KeyCertOptions options =
        pem
            ? new PemKeyCertOptions()
                .setCertValue(Buffer.buffer(files.file(0)))
                .setKeyValue(Buffer.buffer(files.file(1)))
            : new PfxOptions()
                .setValue(Buffer.buffer(files.file(0)))
                .setPassword(tls.keystorePassword());
    X509KeyManager keys;
    try {
      keys = (X509KeyManager) options.getKeyManagerFactory(null).getKeyManagers()[0];
    } catch (Exception e) {
      String blamed = pem && certificatesParse(files.file(0)) ? "key" : where;
      throw new UnusableCertificate(
          blamed, file(tls, blamed), "cannot be used for TLS: " + Failures.describe(e));
    }
    String alias = alias(keys);
    if (alias == null) {
      throw new UnusableCertificate(
          where, file(tls, where), "holds no private key with its certificate");
    }
    X509Certificate certificate = keys.getCertificateChain(alias)[0];
    String owner = pem ? "key" : "keystore";
    try {
      if (!signs(keys.getPrivateKey(alias), certificate)) {
        throw new UnusableCertificate(
            owner,
            file(tls, owner),
            "is not the key of the certificate " + certificate.getSubjectX500Principal());
      }
    } catch (GeneralSecurityException e) {
      throw new UnusableCertificate(
          owner, file(tls, owner), "cannot be used for TLS: " + Failures.describe(e));
    }
    return new ServerCertificate(tls, keys, certificate);
  }

  /** Refuses a certificate that has ended, or not begun, at {@code now}: no client trusts it. */
  public void requireValidAt(Instant now) throws UnusableCertificate {
    String where = tls.keystore() == null ? "certificate" : "keystore";
    try {
      certificate.checkValidity(Date.from(now));
    } catch (CertificateExpiredException e) {
      throw new UnusableCertificate(
          where, file(tls, where), "the certificate expired on " + expires());
    } catch (CertificateNotYetValidException e) {
      throw new UnusableCertificate(
          where,
          file(tls, where),
          "the certificate is not valid before " + certificate.getNotBefore().toInstant());
    }
  }

  /** The key manager that serves this certificate and key in TLS handshakes. */
  public X509KeyManager keys() {
    return keys;
  }

  public Instant expires() {
    return certificate.getNotAfter().toInstant();
  }

  /** The certificate's serial number, hexadecimal: what tells one renewal from another. */
  public String serial() {
    return HexFormat.of().withUpperCase().formatHex(certificate.getSerialNumber().toByteArray());
  }

  /** Subject, names, serial and end, for a log line: a certificate is public, nothing is secret. */
  public String describe() {
    return certificate.getSubjectX500Principal()
        + " ("
        + names()
        + "), serial "
        + serial()
        + ", valid until "
        + expires();
  }

  /** The certificate's DNS names and addresses, the first few of them. */
  private String names() {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
      if (alternatives != null) {
        for (List<?> name : alternatives) {
          if (name.get(1) instanceof String text) {
            names.add(text);
          }
        }
      }
    } catch (GeneralSecurityException e) {
      return "names unreadable";
    }
    if (names.isEmpty()) {
      return "no alternative names";
    }
    String shown = String.join(", ", names.subList(0, Math.min(NAMES_SHOWN, names.size())));
    return names.size() > NAMES_SHOWN
        ? shown + " and " + (names.size() - NAMES_SHOWN) + " more"
        : shown;
  }

  private static Path file(ServerTls tls, String key) {
    return switch (key) {
      case "certificate" -> tls.certificate();
      case "key" -> tls.key();
      default -> tls.keystore();
    };
  }

  /** Whether {@code pem} holds certificates the JDK reads: if so, a failure is the key's. */
  private static boolean certificatesParse(byte[] pem) {
    try {
      return !CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem))
          .isEmpty();
    } catch (Exception e) {
      return false;
    }
  }

  private static String alias(X509KeyManager keys) {
    for (String type : KEY_TYPES) {
      String[] aliases = keys.getServerAliases(type, null);
      if (aliases != null && aliases.length > 0) {
        return aliases[0];
      }
    }
    return null;
  }

  /** Whether a signature made with {@code key} verifies with the certificate's public key. */
  private static boolean signs(PrivateKey key, X509Certificate certificate)
      throws GeneralSecurityException {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "RSASSA-PSS" -> "RSASSA-PSS";
          default -> key.getAlgorithm(); // EdDSA, Ed25519, Ed448
        };
    byte[] probe = "sudp".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance(algorithm);
    if (algorithm.equals("RSASSA-PSS")) {
      return true; // parameters differ per key; the TLS stack checks this one itself
    }
    signer.initSign(key);
    signer.update(probe);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(certificate.getPublicKey());
    verifier.update(probe);
    return verifier.verify(signature);
  }
}
