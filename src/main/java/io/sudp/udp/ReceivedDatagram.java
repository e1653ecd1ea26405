package io.sudp.udp;

import java.net.InetSocketAddress;

/** A datagram a listener received, with the address it came from. */
public record ReceivedDatagram(byte[] payload, InetSocketAddress sender) {}
