package io.sudp.runtime;

import io.sudp.config.CertificateFiles;
import io.sudp.config.ServerCertificate;
import io.sudp.config.ServerTls;
import io.sudp.config.UnusableCertificate;
import io.sudp.ops.Failures;
import io.sudp.ops.RateLimitedLog;
import io.sudp.ops.TunnelMetrics;
import io.sudp.transport.ReplaceableKeyManager;
import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts renewed server certificates in service without a restart (ACME clients renew them every few
 * weeks). It reads {@code server.tls}'s files every second, on a worker, and once what they hold
 * has stayed the same from one look to the next (clients write the certificate and the key one
 * after the other; certbot swaps its links one by one) judges it as {@code validate} does: a usable
 * pair serves the next handshakes while established connections keep theirs; another is refused
 * with one log line, and the pair in service stays. Reading the files, rather than waiting for file
 * system events, sees a rename, a link swapped to another target and a network file system alike,
 * for the price of reading two small files a second.
 */
final class CertificateWatch {
  private static final Logger LOG = LoggerFactory.getLogger(CertificateWatch.class);
  private static final long INTERVAL_MS = 1_000;

  private final ServerTls tls;
  private final ReplaceableKeyManager keys;
  private final AtomicBoolean looking = new AtomicBoolean();
  private final AtomicLong applied = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();

  /** Each refusal is logged once per change of the files; this bounds files that keep changing. */
  private final RateLimitedLog refusals = new RateLimitedLog(LOG, 10, Duration.ofMinutes(1));

  private volatile ServerCertificate inService;
  private String inServiceDigest;

  /** What the files held when last judged (put in service or refused). */
  private String judged;

  /** What the files held at the last look, when that was new: judged if the next look agrees. */
  private String settling;

  /** Reads the pair to start with; the server cannot start without one. */
  CertificateWatch(ServerTls tls) throws UnusableCertificate {
    this.tls = tls;
    CertificateFiles files = CertificateFiles.read(tls);
    inService = ServerCertificate.of(tls, files);
    inServiceDigest = files.digest();
    judged = inServiceDigest;
    keys = new ReplaceableKeyManager(inService.keys());
  }

  /** What the server's options take: the pair in service, whichever it is at each handshake. */
  KeyCertOptions keyCertOptions() {
    return keys.options();
  }

  ServerCertificate inService() {
    return inService;
  }

  /** Looks every second, one look at a time, on a worker of {@code vertx}: reading files blocks. */
  void start(Vertx vertx) {
    vertx.setPeriodic(
        INTERVAL_MS,
        id -> {
          if (looking.compareAndSet(false, true)) {
            vertx
                .executeBlocking(
                    () -> {
                      look();
                      return null;
                    },
                    false)
                .onComplete(
                    done -> {
                      looking.set(false);
                      if (done.failed()) {
                        refusals.warn(
                            "server.tls: the certificate files could not be judged: {}",
                            Failures.describe(done.cause()));
                      }
                    });
          }
        });
  }

  /** One look: judges what the files hold once it is the same as at the look before. */
  synchronized void look() {
    Reading now = read();
    if (now.digest().equals(judged)) {
      settling = null;
    } else if (!now.digest().equals(settling)) {
      settling = now.digest();
    } else {
      judge(now);
    }
  }

  /**
   * Judges what the files hold now, without waiting for them to settle: the operator says they are
   * ready ({@code sudp reload}). Nothing happens when they hold what was judged last.
   */
  synchronized void lookNow() {
    Reading now = read();
    if (!now.digest().equals(judged)) {
      judge(now);
    }
  }

  private void judge(Reading now) {
    settling = null;
    judged = now.digest();
    if (now.digest().equals(inServiceDigest)) {
      LOG.info("server.tls: the files hold the certificate in service again");
      return;
    }
    ServerCertificate staying = inService;
    try {
      if (now.problem() != null) {
        throw now.problem();
      }
      ServerCertificate next = ServerCertificate.of(tls, now.files());
      Instant time = Instant.now();
      next.requireValidAt(time);
      keys.replace(next.keys());
      inService = next;
      inServiceDigest = now.digest();
      applied.incrementAndGet();
      LOG.info(
          "server.tls: renewed certificate in service for new connections: {}", next.describe());
      String expiring = ServerTls.expiryWarning(next.expires(), time);
      if (expiring != null) {
        LOG.warn(expiring);
      }
    } catch (UnusableCertificate e) {
      refused.incrementAndGet();
      refusals.warn(
          "server.tls.{} {}: {}; not used, the certificate in service stays: {}",
          e.key(),
          e.file(),
          e.reason(),
          staying.describe());
    }
  }

  private Reading read() {
    try {
      CertificateFiles files = CertificateFiles.read(tls);
      return new Reading(files.digest(), files, null);
    } catch (UnusableCertificate e) {
      return new Reading("unusable: " + e.getMessage(), null, e);
    }
  }

  /** What one look found: the files' contents, or why they could not be read. */
  private record Reading(String digest, CertificateFiles files, UnusableCertificate problem) {}

  /** Renewals put in service and refused, and when the certificate in service ends. */
  void publish(TunnelMetrics metrics) {
    metrics
        .count(
            "sudp.tls.certificate.reloads",
            "renewed certificate files put in service or refused",
            this,
            watch -> watch.applied.get(),
            "result",
            "applied")
        .count(
            "sudp.tls.certificate.reloads",
            "renewed certificate files put in service or refused",
            this,
            watch -> watch.refused.get(),
            "result",
            "refused")
        .gauge(
            "sudp.tls.certificate.expiry.timestamp.seconds",
            "when the certificate in service ends, in seconds since 1970 (Unix time)",
            () -> inService.expires().getEpochSecond());
  }
}
