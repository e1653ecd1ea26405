package io.sudp.security;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the {@code Authorization} header of an upgrade request (Basic or Bearer) before the
 * WebSocket exists. bcrypt runs on a worker thread, never on an event loop; a password already
 * verified is recognised by its SHA-256 digest (in constant time) so reconnects stay cheap. Failures
 * are counted and limited per source address.
 */
public final class Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

  /** Why a request was refused. */
  public enum Refusal { BAD_CREDENTIALS, TOO_MANY_FAILURES }

  private final Vertx vertx;
  private final Credentials credentials;
  private final FailureLimiter limiter = new FailureLimiter();
  private final Map<String, byte[]> verified = new ConcurrentHashMap<>();
  private final LongAdder failures = new LongAdder();

  public Authenticator(Vertx vertx, Credentials credentials) {
    this.vertx = vertx;
    this.credentials = credentials;
  }

  /** Failed attempts so far. */
  public long failures() {
    return failures.sum();
  }

  /**
   * The authenticated user name, or a failed future whose message is a {@link Refusal} name.
   *
   * @param source the peer's address, for limiting failures
   */
  public Future<String> authenticate(String authorization, String source) {
    if (limiter.isBlocked(source)) {
      failures.increment();
      return Future.failedFuture(Refusal.TOO_MANY_FAILURES.name());
    }
    return vertx.executeBlocking(() -> check(authorization), false)
        .transform(result -> {
          String user = result.succeeded() ? result.result() : null;
          if (user == null) {
            failures.increment();
            if (limiter.failed(source)) {
              LOG.warn("{}: too many failed authentications; refusing it for a while", source);
            }
            return Future.failedFuture(Refusal.BAD_CREDENTIALS.name());
          }
          return Future.succeededFuture(user);
        });
  }

  private String check(String authorization) throws Exception {
    if (credentials.reloadIfChanged()) {
      verified.clear(); // a password may have changed: verify everyone again
    }
    if (authorization == null) {
      return null;
    }
    if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return credentials.checkToken(authorization.substring(7).strip());
    }
    if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
          StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return null;
    }
    String user = decoded.substring(0, colon);
    String password = decoded.substring(colon + 1);
    byte[] digest = Credentials.sha256(decoded);
    byte[] known = verified.get(user);
    if (known != null && MessageDigest.isEqual(known, digest)) {
      return user;
    }
    String checked = credentials.checkPassword(user, password);
    if (checked != null) {
      verified.put(user, digest);
    }
    return checked;
  }
}
