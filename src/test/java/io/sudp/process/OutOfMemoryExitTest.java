package io.sudp.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The guard with its halt action recorded instead of run, so the test JVM lives on. */
class OutOfMemoryExitTest {
  private final List<Integer> halts = new CopyOnWriteArrayList<>();
  private final List<Throwable> passedOn = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
  private final OutOfMemoryExit guard =
      new OutOfMemoryExit((thread, error) -> passedOn.add(error), halts::add, err);
  private Vertx vertx;

  @AfterEach
  void closeVertx() {
    if (vertx != null) {
      vertx
          .close()
          .toCompletionStage()
          .toCompletableFuture()
          .orTimeout(10, TimeUnit.SECONDS)
          .join();
    }
  }

  private static void dieIn(Thread.UncaughtExceptionHandler handler, Throwable error)
      throws InterruptedException {
    Thread thread =
        new Thread(
            () -> {
              if (error instanceof Error fatal) {
                throw fatal;
              }
              throw (RuntimeException) error;
            },
            "victim");
    thread.setUncaughtExceptionHandler(handler);
    thread.start();
    thread.join(10_000);
  }

  private String err() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aThreadDyingOfOutOfMemoryHaltsWithStatus3AfterOneLine() throws Exception {
    dieIn(guard, new OutOfMemoryError("Java heap space"));

    assertThat(halts).containsExactly(3);
    assertThat(passedOn).isEmpty();
    assertThat(err())
        .isEqualTo(
            "sudp: java.lang.OutOfMemoryError: Java heap space in thread"
                + " \"victim\": exiting with status 3 for the supervisor to restart the process\n");
  }

  @Test
  void anOutOfMemoryErrorWrappedAsACauseHaltsToo() throws Exception {
    dieIn(
        guard,
        new IllegalStateException(
            "route failed", new RuntimeException(new OutOfMemoryError("Direct buffer memory"))));

    assertThat(halts).containsExactly(3);
    assertThat(err()).startsWith("sudp: java.lang.OutOfMemoryError: Direct buffer memory");
  }

  @Test
  void otherThrowablesGoToThePreviousHandler() throws Exception {
    IllegalStateException exception = new IllegalStateException("bug");
    StackOverflowError error = new StackOverflowError();
    dieIn(guard, exception);
    dieIn(guard, error);

    assertThat(passedOn).containsExactly(exception, error);
    assertThat(halts).isEmpty();
    assertThat(err()).isEmpty();
  }

  @Test
  void withoutAPreviousHandlerOtherThrowablesArePrintedAsTheJvmPrintsThem() throws Exception {
    dieIn(new OutOfMemoryExit(null, halts::add, err), new IllegalStateException("bug"));

    assertThat(halts).isEmpty();
    assertThat(err())
        .startsWith(
            "Exception in thread \"victim\" java.lang.IllegalStateException:" + " bug\n\tat ");
  }

  @Test
  void anOutOfMemoryErrorFromAVertxHandlerHalts() {
    vertx = Vertx.vertx();
    guard.watch(vertx);

    vertx.runOnContext(
        ignored -> {
          throw new OutOfMemoryError("Java heap space");
        });

    await().atMost(10, TimeUnit.SECONDS).until(() -> !halts.isEmpty());
    assertThat(halts).containsExactly(3);
    assertThat(err())
        .startsWith(
            "sudp: java.lang.OutOfMemoryError: Java heap space in thread"
                + " \"vert.x-eventloop-thread-");
  }

  @Test
  void otherErrorsFromVertxHandlersGoToTheExceptionHandlerSetBefore() {
    vertx = Vertx.vertx();
    vertx.exceptionHandler(passedOn::add);
    guard.watch(vertx);
    IllegalStateException exception = new IllegalStateException("bug");

    vertx.runOnContext(
        ignored -> {
          throw exception;
        });

    await().atMost(10, TimeUnit.SECONDS).until(() -> !passedOn.isEmpty());
    assertThat(passedOn).containsExactly(exception);
    assertThat(halts).isEmpty();
  }

  @Test
  void installingTwiceKeepsOneGuardInFrontOfTheHandlerBefore() throws Exception {
    Thread.UncaughtExceptionHandler original = Thread.getDefaultUncaughtExceptionHandler();
    Thread.UncaughtExceptionHandler before = (thread, error) -> passedOn.add(error);
    Thread.setDefaultUncaughtExceptionHandler(before);
    try {
      OutOfMemoryExit installed = OutOfMemoryExit.install();
      assertThat(Thread.getDefaultUncaughtExceptionHandler()).isSameAs(installed);
      assertThat(OutOfMemoryExit.install()).isSameAs(installed);

      IllegalStateException exception = new IllegalStateException("bug");
      dieIn(null, exception); // the default handler: the installed guard
      assertThat(passedOn).containsExactly(exception);
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(original);
    }
  }
}
