package io.sudp.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.sudp.ops.Direction;
import io.sudp.ops.DropCause;
import io.sudp.ops.TrafficCounters;
import io.sudp.protocol.Frame;
import io.sudp.protocol.OutboundData;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The bounded outbound queue of one WebSocket peer. Any thread may offer frames; the socket's event
 * loop drains them, packing every frame that is waiting into as few messages as possible, so a
 * burst costs one thread hop and one flush instead of one per datagram. When the queue is full the
 * frame is refused and the caller counts the drop: memory never grows without bound. On a server,
 * the queue also shares a {@link QueueBudget} with every other, and a queue that cannot send (its
 * peer stopped reading, or is gone and may come back) lets its datagrams expire at their age limit
 * instead of holding them until it can.
 */
public final class FrameWriter {
  /** Frames are packed into messages up to this size; a larger single frame travels alone. */
  static final int BATCH_BYTES = 64 * 1024;

  private final int maxFrames;
  private final long maxBytes;
  private final long maxAgeNanos;
  private final TrafficCounters counters;
  private final Direction direction;
  private final QueueBudget budget;
  private final LongSupplier nanoClock;
  private final Queue<Queued> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queuedFrames = new AtomicInteger();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicBoolean sweepScheduled = new AtomicBoolean();
  private final AtomicLong datagramsWritten = new AtomicLong();
  private final List<Frame> batch = new ArrayList<>();
  private final AtomicReference<CompletableFuture<Void>> emptied = new AtomicReference<>();
  private volatile Target target;
  private volatile EventLoop home;

  private record Target(WebSocketBase socket, EventLoop loop) {}

  /** A frame waiting, when it came, and whether its bytes were taken from the budget's pool. */
  private record Queued(Frame frame, long queuedAtNanos, boolean pooled) {}

  /**
   * @param direction which way the datagrams this writer sends travel, for the counters
   * @param budget what all queues of this end may hold together
   */
  public FrameWriter(
      QueueLimits limits, TrafficCounters counters, Direction direction, QueueBudget budget) {
    this(limits, counters, direction, budget, System::nanoTime);
  }

  /**
   * As the public constructor, with the ages of frames on {@code nanoClock}'s time instead of the
   * JVM's.
   */
  FrameWriter(
      QueueLimits limits,
      TrafficCounters counters,
      Direction direction,
      QueueBudget budget,
      LongSupplier nanoClock) {
    this.maxFrames = limits.frames();
    this.maxBytes = limits.bytes();
    this.maxAgeNanos = limits.maxAge().toNanos();
    this.counters = counters;
    this.direction = direction;
    this.budget = budget;
    this.nanoClock = nanoClock;
  }

  /**
   * Queues a frame; false when the queue (or the budget) is full and the frame is dropped.
   * Datagrams are counted here: as dropped for {@link DropCause#QUEUE_FULL}, or as forwarded once
   * written to the socket.
   */
  public boolean offer(Frame frame) {
    int length = frame.encodedLength();
    int frames = queuedFrames.incrementAndGet();
    long held = queuedBytes.addAndGet(length);
    boolean pooled = held > budget.share();
    if (frames > maxFrames || held > maxBytes || (pooled && !budget.tryTake(length))) {
      queuedFrames.decrementAndGet();
      queuedBytes.addAndGet(-length);
      if (frame instanceof OutboundData) {
        counters.drop(DropCause.QUEUE_FULL);
      }
      return false;
    }
    queue.offer(new Queued(frame, nanoClock.getAsLong(), pooled));
    if (target != null) {
      scheduleDrain();
    } else {
      scheduleSweep();
    }
    return true;
  }

  /** Datagrams written to a socket so far, over every connection this writer served. */
  public long datagramsWritten() {
    return datagramsWritten.get();
  }

  /** Frames waiting to be written. */
  public int depth() {
    return queuedFrames.get();
  }

  /**
   * Starts writing to {@code socket}, whose event loop is {@code loop}: first {@code preamble}, in
   * as few messages as fit the size limit, then whatever is queued. Call on {@code loop}.
   */
  public void attach(WebSocketBase socket, EventLoop loop, List<Frame> preamble) {
    int from = 0;
    while (from < preamble.size()) {
      int to = from;
      int size = 0;
      while (to < preamble.size()
          && (to == from || size + preamble.get(to).encodedLength() <= BATCH_BYTES)) {
        size += preamble.get(to++).encodedLength();
      }
      ByteBuf message = Unpooled.buffer(size, size);
      preamble.subList(from, to).forEach(frame -> frame.encodeTo(message));
      socket.writeBinaryMessage(Buffer.buffer(message));
      from = to;
    }
    home = loop;
    target = new Target(socket, loop);
    socket.drainHandler(ignored -> scheduleDrain());
    scheduleDrain();
  }

  /** Stops writing; queued frames stay queued for the next {@link #attach}, up to their age. */
  public void detach() {
    target = null;
    scheduleSweep();
  }

  /**
   * Completes once everything queued has been handed to the socket, at once if nothing is; for a
   * shutdown that lets the queue drain before it closes the connection. Frames queued while no
   * socket is attached wait for one.
   */
  public CompletableFuture<Void> whenEmpty() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    emptied.set(done);
    if (queuedFrames.get() == 0) {
      done.complete(null);
    }
    scheduleDrain();
    return done;
  }

  /**
   * Waits until every one of {@code writers} is empty or {@code timeout} has passed; returns the
   * frames still queued then (0: all drained).
   */
  public static int awaitEmpty(Collection<FrameWriter> writers, Duration timeout) {
    CompletableFuture<?>[] all =
        writers.stream().map(FrameWriter::whenEmpty).toArray(CompletableFuture<?>[]::new);
    try {
      CompletableFuture.allOf(all).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // reported by what is left
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return writers.stream().mapToInt(FrameWriter::depth).sum();
  }

  /** Drops everything queued, counting its datagrams as dropped for {@code cause}. */
  public void discard(DropCause cause) {
    synchronized (queue) {
      Queued queued;
      while ((queued = queue.poll()) != null) {
        release(queued);
        if (queued.frame() instanceof OutboundData) {
          counters.drop(cause);
        }
      }
    }
  }

  private void scheduleDrain() {
    Target current = target;
    if (current != null && drainScheduled.compareAndSet(false, true)) {
      current.loop().execute(this::drain);
    }
  }

  private void drain() {
    drainScheduled.set(false);
    Target current = target;
    if (current == null) {
      return;
    }
    if (!current.loop().inEventLoop()) { // attached meanwhile to a connection on another loop
      scheduleDrain();
      return;
    }
    WebSocketBase socket = current.socket();
    // A closed socket is left to its close handler, which detaches it: what is queued stays.
    // A full one is resumed by the drain handler once there is room.
    while (takesMore(socket)) {
      ByteBuf message = nextMessage(nanoClock.getAsLong());
      if (message == null) {
        if (emptied.get() != null) { // a shutdown waits: rare, so no write on the usual path
          CompletableFuture<Void> waiting = emptied.getAndSet(null);
          if (waiting != null) {
            waiting.complete(null);
          }
        }
        return;
      }
      socket.writeBinaryMessage(Buffer.buffer(message));
    }
    scheduleSweep(); // it may stay full: what waits must still expire
  }

  /**
   * Whether {@code socket} is open and has room. A socket can be closed from another thread (a
   * server closing its connections as it stops) between the two questions, and Vert.x answers the
   * second with an exception then.
   */
  private static boolean takesMore(WebSocketBase socket) {
    try {
      return !socket.isClosed() && !socket.writeQueueFull();
    } catch (IllegalStateException closedMeanwhile) {
      return false;
    }
  }

  /** Expires what waited too long while nothing could be sent, until the queue is empty. */
  private void scheduleSweep() {
    EventLoop loop = home;
    if (loop != null && maxAgeNanos > 0 && sweepScheduled.compareAndSet(false, true)) {
      loop.schedule(this::sweep, maxAgeNanos, TimeUnit.NANOSECONDS);
    }
  }

  private void sweep() {
    sweepScheduled.set(false);
    long now = nanoClock.getAsLong();
    synchronized (queue) {
      Queued head;
      while ((head = queue.peek()) != null && isExpired(head, now)) {
        queue.poll();
        release(head);
        counters.drop(DropCause.EXPIRED);
      }
    }
    if (!queue.isEmpty()) {
      scheduleSweep();
    }
  }

  /**
   * Packs the frames at the head of the queue into one message of exactly their size, dropping
   * datagrams that waited too long; null when nothing is left to send.
   */
  private ByteBuf nextMessage(long now) {
    synchronized (queue) {
      int size = 0;
      Queued next;
      while ((next = queue.peek()) != null
          && (batch.isEmpty() || size + next.frame().encodedLength() <= BATCH_BYTES)) {
        queue.poll();
        release(next);
        if (isExpired(next, now)) {
          counters.drop(DropCause.EXPIRED);
          continue;
        }
        batch.add(next.frame());
        size += next.frame().encodedLength();
      }
      if (batch.isEmpty()) {
        return null;
      }
      ByteBuf message = Unpooled.buffer(size, size);
      for (Frame frame : batch) {
        frame.encodeTo(message);
        if (frame instanceof OutboundData data) {
          counters.forwarded(direction, data.payload().length);
          datagramsWritten.incrementAndGet();
        }
      }
      batch.clear();
      return message;
    }
  }

  /** Only datagrams expire: control frames (opening and closing flows) always go out. */
  private boolean isExpired(Queued queued, long now) {
    return maxAgeNanos > 0
        && queued.frame() instanceof OutboundData
        && now - queued.queuedAtNanos() > maxAgeNanos;
  }

  private void release(Queued queued) {
    int length = queued.frame().encodedLength();
    queuedFrames.decrementAndGet();
    queuedBytes.addAndGet(-length);
    if (queued.pooled()) {
      budget.release(length);
    }
  }
}
