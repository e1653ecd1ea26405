package io.sudp.security;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Runs password checks (bcrypt: milliseconds each, on purpose) on threads of their own, taking
 * turns between sources: the next check to run is the oldest of the source whose turn it is, so a
 * source that sends many attempts waits for its own, and one that sends one waits for at most one
 * check of each other source. At most {@code capacity} checks wait in all; more are refused. Each
 * answer comes back on the context that asked.
 */
final class PasswordChecks {
  private record Check(Callable<String> work, Context context, Promise<String> answer) {}

  /** The failure of a check refused because {@code capacity} checks wait already. */
  static final class Busy extends RuntimeException {
    Busy() {
      super("too many password checks waiting", null, false, false);
    }
  }

  private final Vertx vertx;
  private final WorkerExecutor workers;
  private final int threads;
  private final int capacity;
  private final Map<String, ArrayDeque<Check>> waiting = new LinkedHashMap<>(); // turn order
  private int queued;
  private int running;

  PasswordChecks(Vertx vertx, int threads, int capacity) {
    this.vertx = vertx;
    this.threads = threads;
    this.capacity = capacity;
    this.workers = vertx.createSharedWorkerExecutor("sudp-password-checks", threads);
  }

  /** The check's answer, or a failed future when {@code capacity} checks wait already. */
  Future<String> submit(String source, Callable<String> work) {
    Promise<String> answer = Promise.promise();
    synchronized (this) {
      if (queued >= capacity) {
        return Future.failedFuture(new Busy());
      }
      queued++;
      waiting
          .computeIfAbsent(source, key -> new ArrayDeque<>())
          .add(new Check(work, vertx.getOrCreateContext(), answer));
    }
    dispatch();
    return answer.future();
  }

  /** Starts the next checks, in turn, while threads are free. */
  private void dispatch() {
    while (true) {
      Check next;
      synchronized (this) {
        if (running >= threads || waiting.isEmpty()) {
          return;
        }
        Iterator<Map.Entry<String, ArrayDeque<Check>>> turns = waiting.entrySet().iterator();
        Map.Entry<String, ArrayDeque<Check>> turn = turns.next();
        next = turn.getValue().poll();
        turns.remove();
        if (!turn.getValue().isEmpty()) {
          waiting.put(turn.getKey(), turn.getValue()); // to the end of the line
        }
        queued--;
        running++;
      }
      Check check = next;
      workers.executeBlocking(check.work(), false).onComplete(result -> finished(check, result));
    }
  }

  private void finished(Check check, AsyncResult<String> result) {
    synchronized (this) {
      running--;
    }
    check.context().runOnContext(ignored -> check.answer().handle(result));
    dispatch();
  }
}
