package io.sudp.transport;

import io.vertx.core.net.KeyCertOptions;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * The server's certificate and key for TLS handshakes, replaceable while the server runs: each
 * handshake takes the pair in service when it begins, and connections already made keep theirs. The
 * pair is swapped here, under the TLS stack, rather than with Vert.x's {@code
 * HttpServer.updateSSLOptions}: Vert.x 4.5 builds the new SSL context in the background and closes
 * every connection accepted meanwhile. The alias a handshake chooses names the pair it chose, so a
 * swap in the middle of a handshake cannot give it one pair's certificate and the other's key.
 */
public final class ReplaceableKeyManager extends X509ExtendedKeyManager {
  /** A pair in service and the number of its replacement, which its aliases carry. */
  private record Pair(long generation, X509KeyManager keys) {
    String alias(String inner) {
      return inner == null ? null : generation + ":" + inner;
    }
  }

  private volatile Pair current;

  /** The one before: a handshake that chose its alias just before a swap still finds its pair. */
  private volatile Pair previous;

  public ReplaceableKeyManager(X509KeyManager keys) {
    current = new Pair(1, keys);
    previous = current;
  }

  /** Serves the handshakes that begin from now on with {@code keys}. */
  public synchronized void replace(X509KeyManager keys) {
    previous = current;
    current = new Pair(previous.generation() + 1, keys);
  }

  /** What a Vert.x server's options take: this key manager. */
  public KeyCertOptions options() {
    return KeyCertOptions.wrap(this);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    Pair pair = current;
    return pair.alias(
        pair.keys() instanceof X509ExtendedKeyManager extended
            ? extended.chooseEngineServerAlias(keyType, issuers, engine)
            : pair.keys().chooseServerAlias(keyType, issuers, null));
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    Pair pair = current;
    return pair.alias(pair.keys().chooseServerAlias(keyType, issuers, socket));
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    Pair pair = current;
    String[] aliases = pair.keys().getServerAliases(keyType, issuers);
    return aliases == null ? null : Arrays.stream(aliases).map(pair::alias).toArray(String[]::new);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    Pair pair = pairOf(alias);
    return pair == null ? null : pair.keys().getCertificateChain(inner(alias));
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    Pair pair = pairOf(alias);
    return pair == null ? null : pair.keys().getPrivateKey(inner(alias));
  }

  /** The pair an alias of ours names, if it is still at hand. */
  private Pair pairOf(String alias) {
    int colon = alias == null ? -1 : alias.indexOf(':');
    if (colon < 0) {
      return null;
    }
    String generation = alias.substring(0, colon);
    for (Pair pair : new Pair[] {current, previous}) {
      if (Long.toString(pair.generation()).equals(generation)) {
        return pair;
      }
    }
    return null;
  }

  private static String inner(String alias) {
    return alias.substring(alias.indexOf(':') + 1);
  }

  /** A server presents no client certificate. */
  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }
}
