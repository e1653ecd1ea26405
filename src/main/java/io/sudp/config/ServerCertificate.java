package io.sudp.config;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PfxOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;

/**
 * The server's certificate and key, read the way the TLS stack will read them, so that what would
 * make every handshake fail is said by {@code validate} and at start, with the key and line: files
 * that are no certificate or key, a key that is not the certificate's. When the certificate ends is
 * kept, to warn of it ({@link ServerTls#expiryWarning}).
 */
final class ServerCertificate {
  private static final String[] KEY_TYPES = {"RSA", "EC", "EdDSA", "RSASSA-PSS"};

  private ServerCertificate() {}

  /** Checks {@code tls}; problems go to {@code node}. Its certificate's end, or null. */
  static Instant check(ConfigNode node, ServerTls tls) {
    boolean pem = tls.keystore() == null;
    String where = pem ? "certificate" : "keystore";
    try {
      KeyCertOptions options =
          pem
              ? new PemKeyCertOptions()
                  .setCertValue(read(tls.certificate()))
                  .setKeyValue(read(tls.key()))
              : new PfxOptions().setValue(read(tls.keystore())).setPassword(tls.keystorePassword());
      KeyManagerFactory factory = options.getKeyManagerFactory(null);
      X509KeyManager keys = (X509KeyManager) factory.getKeyManagers()[0];
      String alias = alias(keys);
      if (alias == null) {
        node.problem(where, "holds no private key with its certificate");
        return null;
      }
      X509Certificate certificate = keys.getCertificateChain(alias)[0];
      if (!signs(keys.getPrivateKey(alias), certificate)) {
        node.problem(
            pem ? "key" : "keystore",
            "is not the key of the certificate " + certificate.getSubjectX500Principal());
      }
      return certificate.getNotAfter().toInstant();
    } catch (Exception e) {
      node.problem(where, "cannot be used for TLS: " + e.getMessage());
      return null;
    }
  }

  private static Buffer read(java.nio.file.Path file) throws IOException {
    return Buffer.buffer(Files.readAllBytes(file));
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
