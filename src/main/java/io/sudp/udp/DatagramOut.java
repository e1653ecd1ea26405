package io.sudp.udp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.channel.nio.AbstractNioChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * Sends datagrams on Netty UDP channels (NIO or epoll), including empty ones. Netty silently skips
 * writing a zero-length datagram, but UDP carries them and applications (keepalives, probes) use
 * them; this class sends those directly on the channel's socket, on its event loop. The JDK skips
 * them too on connected sockets, so the channels used with it must stay unconnected.
 */
public final class DatagramOut {
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
  private static final ByteBuffer EMPTY_DIRECT = ByteBuffer.allocateDirect(0);
  private static final MethodHandle JAVA_CHANNEL = javaChannelAccessor();

  private DatagramOut() {}

  private static MethodHandle javaChannelAccessor() {
    try {
      var method = AbstractNioChannel.class.getDeclaredMethod("javaChannel");
      method.setAccessible(true);
      return MethodHandles.lookup().unreflect(method);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * Queues {@code payload} for {@code recipient} on {@code channel}, a listening socket whose
   * pipeline encodes {@code byte[]} envelopes (camel-netty's {@code udpByteArrayCodec}). It goes
   * out at the channel's next flush, with the other datagrams queued by then: Netty's epoll
   * transport sends such a run with one {@code sendmmsg} call.
   *
   * @return the write's future, or null for an empty datagram (sent, or failed, on the loop)
   */
  public static ChannelFuture writeBytes(Channel channel, byte[] payload,
      InetSocketAddress recipient) {
    if (payload.length == 0) {
      sendEmpty(channel, recipient);
      return null;
    }
    return channel.write(new DefaultAddressedEnvelope<>(payload, recipient));
  }

  /**
   * Queues {@code payload} for {@code recipient} on {@code channel}, a plain (unconnected) Netty
   * datagram channel, until its next flush, as {@link #writeBytes} does.
   *
   * @return the write's future, or null for an empty datagram (sent, or failed, on the loop)
   */
  public static ChannelFuture writePacket(Channel channel, byte[] payload,
      InetSocketAddress recipient) {
    if (payload.length == 0) {
      sendEmpty(channel, recipient);
      return null;
    }
    ByteBuf datagram = channel.alloc().directBuffer(payload.length).writeBytes(payload);
    return channel.write(new DatagramPacket(datagram, recipient));
  }

  /**
   * True if {@code channel} can take another datagram: false once its queued datagrams exceed
   * its write buffer, after flushing them once.
   */
  public static boolean hasRoom(Channel channel) {
    if (!channel.isWritable()) {
      channel.flush();
    }
    return channel.isWritable();
  }

  private static void sendEmpty(Channel channel, InetSocketAddress recipient) {
    channel.eventLoop().execute(() -> {
      try {
        if (channel instanceof UnixChannel unix && unix.fd() instanceof Socket socket) {
          // An epoll channel: its own socket sends it, as the JDK's does for NIO channels.
          socket.sendTo(EMPTY_DIRECT, 0, 0, recipient.getAddress(), recipient.getPort());
          return;
        }
        DatagramChannel socket = (DatagramChannel) JAVA_CHANNEL.invoke(channel);
        socket.send(EMPTY.duplicate(), recipient);
      } catch (IOException e) {
        channel.pipeline().fireExceptionCaught(e);
      } catch (Throwable e) {
        throw new IllegalStateException("cannot send an empty datagram on " + channel, e);
      }
    });
  }
}
