package io.sudp.protocol;

import java.util.List;

/**
 * The wire protocol versions this build speaks, named in the WebSocket handshake as subprotocols.
 * Version 2 adds reverse tunnels to version 1; a connection speaks the one version its handshake
 * chose.
 */
public enum ProtocolVersion {
  V1("sudp.v1"),
  V2("sudp.v2");

  /** Highest first: the order a client offers them in. */
  public static final List<String> OFFERED = List.of(V2.subprotocol, V1.subprotocol);

  private final String subprotocol;

  ProtocolVersion(String subprotocol) {
    this.subprotocol = subprotocol;
  }

  public String subprotocol() {
    return subprotocol;
  }

  /** True when this version carries reverse tunnels (LISTEN, ACCEPT, ...). */
  public boolean hasReverseTunnels() {
    return this == V2;
  }

  /**
   * The highest version named in a {@code Sec-WebSocket-Protocol} header, whatever the order it
   * lists them in; null when it names none this build speaks.
   */
  public static ProtocolVersion highestOffered(String header) {
    if (header == null) {
      return null;
    }
    ProtocolVersion highest = null;
    for (String offered : header.split(",", 16)) {
      ProtocolVersion version = ofSubprotocol(offered.trim());
      if (version != null && (highest == null || version.compareTo(highest) > 0)) {
        highest = version;
      }
    }
    return highest;
  }

  /** The version a handshake chose, by its subprotocol name; null for any other name. */
  public static ProtocolVersion ofSubprotocol(String name) {
    for (ProtocolVersion version : values()) {
      if (version.subprotocol.equals(name)) {
        return version;
      }
    }
    return null;
  }
}
