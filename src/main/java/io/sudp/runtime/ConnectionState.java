package io.sudp.runtime;

import java.time.Instant;

/**
 * One client connection as a health check sees it.
 *
 * @param server the server's URL
 * @param lastError why it is down (how the last connection ended, or why the last attempt failed);
 *     null when connected or not known yet
 * @param downSince since when it is down; null when connected
 */
public record ConnectionState(String server, String lastError, Instant downSince) {
  public boolean connected() {
    return downSince == null;
  }
}
