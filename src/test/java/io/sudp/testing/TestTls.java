package io.sudp.testing;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A throw-away certificate authority and a server certificate for {@code localhost} and {@code
 * 127.0.0.1}, made with openssl at test time, plus bcrypt password files made with htpasswd.
 * Nothing secret is ever committed.
 */
public final class TestTls {
  private final Path dir;

  private TestTls(Path dir) {
    this.dir = dir;
  }

  public static TestTls create(Path dir) throws IOException, InterruptedException {
    String openssl = RealProcess.program("openssl", "openssl");
    Files.createDirectories(dir);
    TestTls tls = new TestTls(dir);
    Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    tls.run(
        openssl,
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-days",
        "30",
        "-subj",
        "/CN=SUDP test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem");
    tls.issue(openssl, "/CN=localhost", "server", 30, "-extfile", "san.ext");
    tls.issue(openssl, "/CN=sudp-client", "client", 30);
    return tls;
  }

  /**
   * Another certificate for {@code localhost} and {@code 127.0.0.1} signed by the CA, as a renewal
   * brings one: {@code NAME.pem} and {@code NAME.key} ({@link #certificate}, {@link #key}), valid
   * for {@code days} days (-1: it ended yesterday), with a serial number of its own.
   */
  public void issueServer(String name, int days) throws IOException, InterruptedException {
    issue(
        RealProcess.program("openssl", "openssl"),
        "/CN=localhost",
        name,
        days,
        "-extfile",
        "san.ext");
  }

  public Path certificate(String name) {
    return dir.resolve(name + ".pem");
  }

  public Path key(String name) {
    return dir.resolve(name + ".key");
  }

  /**
   * A P-256 key {@code NAME.key} and its certificate {@code NAME.pem} for {@code subject}, signed
   * by the CA for {@code days} days; {@code extensions} are openssl x509 options such as an
   * extension file.
   */
  private void issue(String openssl, String subject, String name, int days, String... extensions)
      throws IOException, InterruptedException {
    run(
        openssl,
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-subj",
        subject,
        "-keyout",
        name + ".key",
        "-out",
        name + ".csr");
    List<String> sign =
        new ArrayList<>(
            List.of(
                openssl,
                "x509",
                "-req",
                "-in",
                name + ".csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                Integer.toString(days)));
    sign.addAll(List.of(extensions));
    sign.addAll(List.of("-out", name + ".pem"));
    run(sign.toArray(String[]::new));
  }

  private void run(String... command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(List.of(command))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("openssl.log").toFile())
            .start();
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", command) + " failed: " + Files.readString(dir.resolve("openssl.log")));
    }
  }

  /** The (first) certificate in {@code pem}. */
  public static X509Certificate x509(Path pem) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  /** The serial number of the (first) certificate in {@code pem}. */
  public static BigInteger serial(Path pem) throws IOException, GeneralSecurityException {
    return x509(pem).getSerialNumber();
  }

  /**
   * The serial number of the certificate a new TLS connection to {@code localhost:port} is shown,
   * verified against this CA and the name {@code localhost}; a context of its own each time, so no
   * earlier session is resumed.
   */
  public BigInteger servedSerial(int port) throws IOException, GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, TrustCa.managers(caCertificate()), null);
    try (SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket("localhost", port)) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      socket.setSSLParameters(parameters);
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
  }

  public Path caCertificate() {
    return dir.resolve("ca.pem");
  }

  public Path serverCertificate() {
    return certificate("server");
  }

  public Path serverKey() {
    return key("server");
  }

  public Path clientCertificate() {
    return dir.resolve("client.pem");
  }

  public Path clientKey() {
    return dir.resolve("client.key");
  }

  /**
   * A PKCS#12 keystore (password {@code changeit}) with a server certificate for localhost signed
   * by a CA of its own, made with keytool; {@code expired}: the certificate ran out yesterday.
   * Returns the keystore; its CA certificate is {@code NAME-ca.pem} beside it.
   */
  public Path keystore(String name, boolean expired) throws IOException, InterruptedException {
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    String ca = name + "-ca.p12";
    String store = name + ".p12";
    run(
        keytool,
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=" + name + " CA",
        "-ext",
        "bc:c",
        "-validity",
        "10",
        "-keystore",
        ca,
        "-storetype",
        "PKCS12",
        "-storepass",
        "changeit");
    run(
        keytool,
        "-exportcert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        ca,
        "-storepass",
        "changeit",
        "-file",
        name + "-ca.pem");
    run(
        keytool,
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=localhost",
        "-validity",
        "10",
        "-keystore",
        store,
        "-storetype",
        "PKCS12",
        "-storepass",
        "changeit");
    run(
        keytool,
        "-certreq",
        "-alias",
        "server",
        "-keystore",
        store,
        "-storepass",
        "changeit",
        "-file",
        name + ".csr");
    run(
        keytool,
        "-gencert",
        "-alias",
        "ca",
        "-keystore",
        ca,
        "-storepass",
        "changeit",
        "-infile",
        name + ".csr",
        "-outfile",
        name + ".cer",
        "-rfc",
        "-ext",
        "san=dns:localhost,ip:127.0.0.1",
        "-startdate",
        expired ? "-3d" : "-1d",
        "-validity",
        expired ? "1" : "10");
    run(
        keytool,
        "-importcert",
        "-alias",
        "ca",
        "-file",
        name + "-ca.pem",
        "-keystore",
        store,
        "-storepass",
        "changeit",
        "-noprompt");
    run(
        keytool,
        "-importcert",
        "-alias",
        "server",
        "-file",
        name + ".cer",
        "-keystore",
        store,
        "-storepass",
        "changeit",
        "-noprompt");
    return dir.resolve(store);
  }

  /** The CA certificate of a keystore made by {@link #keystore}. */
  public Path keystoreCa(String name) {
    return dir.resolve(name + "-ca.pem");
  }

  /** An htpasswd file with bcrypt entries, as {@code htpasswd -B} makes them: user, password… */
  public Path htpasswd(String... usersAndPasswords) throws IOException, InterruptedException {
    String htpasswd = RealProcess.program("htpasswd", "apache2-utils");
    Path file = dir.resolve("htpasswd");
    for (int i = 0; i < usersAndPasswords.length; i += 2) {
      run(
          htpasswd,
          i == 0 ? "-bcB" : "-bB",
          file.toString(),
          usersAndPasswords[i],
          usersAndPasswords[i + 1]);
    }
    return file;
  }

  /** A file holding a secret, as a client's {@code password-file} expects. */
  public Path secretFile(String name, String secret) throws IOException {
    return Files.writeString(dir.resolve(name), secret + "\n");
  }
}
