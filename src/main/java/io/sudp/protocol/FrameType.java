package io.sudp.protocol;

/**
 * The frame types of the wire protocol; the byte values are part of it. Version 2 adds the last
 * four.
 */
public enum FrameType {
  DATA(0x01),
  OPEN(0x02),
  CLOSE(0x03),
  SESSION(0x04),
  LISTEN(0x05),
  LISTEN_RESULT(0x06),
  ACCEPT(0x07),
  UNLISTEN(0x08);

  private final int code;

  FrameType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
