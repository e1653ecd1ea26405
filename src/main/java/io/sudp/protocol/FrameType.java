package io.sudp.protocol;

/** The frame types of wire protocol version 1; the byte values are part of the protocol. */
public enum FrameType {
  DATA(0x01),
  OPEN(0x02),
  CLOSE(0x03),
  SESSION(0x04);

  private final int code;

  FrameType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
