package io.sudp.transport;

import io.sudp.ops.Refusal;

/**
 * The server's client sessions, as the WebSocket server needs them: the server implements it and
 * owns what a session is (its slot, its resume, its expiry and its flows); the WebSocket server
 * only brings connections to it and tells it when they close.
 */
public interface SessionPort {
  /**
   * Decides, before the upgrade, whether a client presenting session id {@code id} (see {@link
   * SessionHeader#idFrom}) as {@code user} (null where the server asks for none) may connect; what
   * it needs is reserved now, atomically.
   */
  Admission admit(String id, String user);

  /** The upgrade did not happen: what the admission reserved is free again. */
  void cancel(Admission admission);

  /**
   * Makes an upgraded connection the one that carries its session, resuming it if it is still
   * there; null if the session it meant to resume ended meanwhile and there is no room for a new
   * one.
   */
  PeerConnection attach(Admission admission, Upgraded connection);

  /**
   * The connection closed, with the close code its peer sent (null: the connection was lost without
   * one); whether its session ends or waits for a resume is the session's to decide.
   */
  void detach(PeerConnection peer, Short closeCode);

  /**
   * Sessions waiting for their client to resume them: one may give way to a client that is here.
   */
  int waitingCount();

  /** Ends every session now (the server stops); their connections are closed by the caller. */
  void endAll();

  /**
   * The session a connection carries, as the connection sees it. The session side implements it and
   * gets it back from {@link PeerConnection#carried()}, so that a message reaches its session
   * without a lookup, and never a newer session of the same id.
   */
  interface Carried {
    /** True once the session has ended: what its connections still send must not start one. */
    boolean ended();
  }

  /** An upgrade that may go ahead, or the reason it may not. */
  interface Admission {
    /** Why the upgrade is refused, or null. */
    Refusal refusal();
  }
}
