package io.sudp.server;

import io.sudp.transport.FrameWriter;
import io.sudp.transport.PeerConnection;
import io.sudp.transport.SessionPort;

/**
 * One client session on the server: its slot, its queue of frames for the client, the connection
 * that carries it now and, from its first message, its flow table. {@link ServerSessions} decides
 * when it starts, resumes and ends; {@link ServerNat} reaches its flows through the connection that
 * carries it, so a message finds its own session without a lookup by id, and a message of an ended
 * session can never reach a newer one of the same id.
 *
 * <p>The fields below the flow table are {@link ServerSessions}'s, touched holding this session's
 * lock, which also orders the making of the flow table against the end.
 */
final class ServerSession implements SessionPort.Carried {
  final String key;
  final String user;
  final boolean userCounted;
  final FrameWriter writer;
  private volatile boolean ended;
  private volatile ClientSession flows;
  PeerConnection peer;
  long expiryTimer = -1;

  ServerSession(String key, String user, boolean userCounted, FrameWriter writer) {
    this.key = key;
    this.user = user;
    this.userCounted = userCounted;
    this.writer = writer;
  }

  @Override
  public boolean ended() {
    return ended;
  }

  boolean isWaiting() {
    return peer == null && expiryTimer != -1;
  }

  /**
   * The session's flow table, made by {@code nat} on the first message that needs it; null once the
   * session has ended: a message that was on its way then must not start a table nothing would end.
   */
  ClientSession flows(PeerConnection via, ServerNat nat) {
    ClientSession table = flows;
    if (table == null) {
      synchronized (this) {
        if (ended) {
          return null;
        }
        if (flows == null) {
          flows = nat.flowTable(key, via);
        }
        table = flows;
      }
    }
    return ended ? null : table;
  }

  /** The flow table, or null if the session has sent nothing that needed one. */
  ClientSession flows() {
    return flows;
  }

  /** Ends the session and frees its flows; call holding its lock. False if it had ended already. */
  boolean end() {
    if (ended) {
      return false;
    }
    ended = true;
    ClientSession table = flows;
    if (table != null) {
      table.end();
    }
    return true;
  }
}
