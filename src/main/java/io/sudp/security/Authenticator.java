package io.sudp.security;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Checks the {@code Authorization} header of a request (Basic or Bearer) before anything is done
 * for it. What is cheap is decided where the request arrives: a token (SHA-256, compared in
 * constant time), a password already verified (recognised by its digest), and whether the source
 * may try at all ({@link LoginLimiter}, counted before the check, so attempts made together cannot
 * pass the limit together). Only a new password is checked with bcrypt, on threads of its own
 * (never an event loop, never the worker threads others need), sources taking turns, at most
 * {@value #QUEUED} waiting: guessers cannot make legitimate logins wait behind them.
 */
public final class Authenticator {
  /** Password checks running or waiting, over all sources; more are refused as busy. */
  static final int QUEUED = 64;

  private static final long RELOAD_MS = 1_000;

  /** Why a request was refused. */
  public enum Refusal {
    BAD_CREDENTIALS,
    TOO_MANY_FAILURES,
    BUSY;

    /** The refusal an {@link #authenticate} future failed with. */
    public static Refusal of(Throwable failure) {
      for (Refusal refusal : values()) {
        if (refusal.name().equals(failure.getMessage())) {
          return refusal;
        }
      }
      return BAD_CREDENTIALS;
    }
  }

  private final Credentials credentials;
  private final PasswordChecks checks;
  private final LoginLimiter limiter = new LoginLimiter();
  private final Map<String, byte[]> verified = new ConcurrentHashMap<>();
  private final LongAdder failures = new LongAdder();

  /**
   * Reads the credential files again every second where they changed (off the event loops), so a
   * user or token added, changed or removed counts within a second.
   */
  public Authenticator(Vertx vertx, Credentials credentials) {
    this.credentials = credentials;
    this.checks =
        new PasswordChecks(vertx, Math.max(2, Runtime.getRuntime().availableProcessors()), QUEUED);
    vertx.setPeriodic(RELOAD_MS, id -> vertx.executeBlocking(this::reload, false));
  }

  /** Failed attempts so far. */
  public long failures() {
    return failures.sum();
  }

  /**
   * The authenticated user name, or a failed future whose message is a {@link Refusal} name.
   *
   * @param source the peer's address, for limiting attempts
   */
  public Future<String> authenticate(String authorization, String source) {
    Login login = Login.of(authorization);
    if (login == null) {
      return refused(Refusal.BAD_CREDENTIALS);
    }
    if (isVerified(login)) {
      return Future.succeededFuture(login.user());
    }
    LoginLimiter.Verdict verdict = limiter.begin(source, login.name());
    if (verdict != LoginLimiter.Verdict.GO) {
      return refused(Refusal.TOO_MANY_FAILURES);
    }
    if (login.user() == null) {
      return settle(source, login, credentials.checkToken(login.secret()));
    }
    return checks
        .submit(source, () -> verify(login))
        .transform(
            result -> {
              if (result.failed() && result.cause() instanceof PasswordChecks.Busy) {
                limiter.end(source, login.name(), false);
                return Future.failedFuture(Refusal.BUSY.name());
              }
              return settle(source, login, result.succeeded() ? result.result() : null);
            });
  }

  private boolean isVerified(Login login) {
    byte[] known = login.user() == null ? null : verified.get(login.user());
    return known != null && MessageDigest.isEqual(known, login.digest());
  }

  /**
   * The user if the password is right. Looks at the verified digests again first: when many clients
   * log in with the same credentials at once (a fleet reconnecting after a restart), the first
   * check that succeeds answers all those still waiting, without running bcrypt for each.
   */
  private String verify(Login login) {
    if (isVerified(login)) {
      return login.user();
    }
    String user = credentials.checkPassword(login.user(), login.secret());
    if (user != null) {
      verified.put(user, login.digest());
    }
    return user;
  }

  private Future<String> settle(String source, Login login, String user) {
    limiter.end(source, login.name(), user == null);
    return user != null ? Future.succeededFuture(user) : refused(Refusal.BAD_CREDENTIALS);
  }

  private Future<String> refused(Refusal refusal) {
    failures.increment();
    return Future.failedFuture(refusal.name());
  }

  private Void reload() throws IOException {
    if (credentials.reloadIfChanged()) {
      verified.clear(); // a password may have changed: verify everyone again
    }
    return null;
  }

  /**
   * What an {@code Authorization} header offers: a user and password (Basic), or a token (Bearer,
   * no user), and the digest that recognises it once verified.
   */
  private record Login(String user, String secret, byte[] digest) {
    static Login of(String authorization) {
      if (authorization == null) {
        return null;
      }
      if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return new Login(null, authorization.substring(7).strip(), null);
      }
      if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
        return null;
      }
      String decoded;
      try {
        decoded =
            new String(
                Base64.getDecoder().decode(authorization.substring(6).strip()),
                StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return null;
      }
      int colon = decoded.indexOf(':');
      return colon < 0
          ? null
          : new Login(
              decoded.substring(0, colon),
              decoded.substring(colon + 1),
              Credentials.sha256(decoded));
    }

    /** The name attempts are limited by: the user's, or none for a token. */
    String name() {
      return user == null ? "" : user;
    }
  }
}
