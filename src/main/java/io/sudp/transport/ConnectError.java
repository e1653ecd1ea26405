package io.sudp.transport;

import io.sudp.ops.ConnectFailure;
import io.vertx.core.http.UpgradeRejectedException;

/**
 * One failed attempt of the client to connect: what it counts as and what the operator reads (a
 * refused upgrade says why, a TLS failure what to fix, a proxy what it answered).
 */
record ConnectError(ConnectFailure cause, String reason) {
  /** Why {@code error} ended an attempt made through {@code proxy} (null: made directly). */
  static ConnectError of(Throwable error, HttpProxy proxy) {
    if (error instanceof UpgradeRejectedException rejected) {
      return new ConnectError(ConnectFailure.UPGRADE, upgradeRefused(rejected.getStatus()));
    }
    String tls = TlsFailure.fromServer(error);
    if (tls != null) {
      return new ConnectError(ConnectFailure.TLS, tls);
    }
    String refusedByProxy = proxy == null ? null : ProxyFailure.describe(error, proxy);
    if (refusedByProxy != null) {
      return new ConnectError(ConnectFailure.PROXY, refusedByProxy);
    }
    return new ConnectError(ConnectFailure.NETWORK, error.getMessage());
  }

  private static String upgradeRefused(int status) {
    return switch (status) {
      case 401 -> "the server refused the credentials (401); check client.auth";
      case 403 -> "the server refused this client (403)";
      case 400 -> "the server refused the upgrade (400): not a SUDP server, or another version";
      case 404 -> "no SUDP endpoint at that path (404)";
      default -> "the server answered " + status + " instead of upgrading";
    };
  }
}
