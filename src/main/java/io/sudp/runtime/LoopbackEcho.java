package io.sudp.runtime;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;

/**
 * A UDP echo on a loopback port of its own, on a daemon thread: the destination of the {@link
 * DataPathWarmUp}'s tunnel. Closing it closes the socket, which ends the thread.
 */
final class LoopbackEcho implements AutoCloseable {
  private final DatagramSocket socket;
  private final Thread thread;

  LoopbackEcho() throws IOException {
    socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    thread = new Thread(this::echo, "sudp-warm-up-echo");
    thread.setDaemon(true);
  }

  int port() {
    return socket.getLocalPort();
  }

  void start() {
    thread.start();
  }

  private void echo() {
    DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
    try {
      while (true) {
        packet.setLength(65_536);
        socket.receive(packet);
        socket.send(packet);
      }
    } catch (IOException closed) {
      // closed: the warm-up is over
    }
  }

  @Override
  public void close() throws InterruptedException {
    socket.close();
    if (thread.isAlive()) {
      thread.join();
    }
  }
}
