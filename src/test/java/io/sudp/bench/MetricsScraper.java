package io.sudp.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Scrapes {@code /metrics} of the given management ports every second, as Prometheus would. */
final class MetricsScraper implements AutoCloseable {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final HttpClient http = HttpClient.newHttpClient();

  MetricsScraper(int... ports) {
    timer.scheduleAtFixedRate(
        () -> {
          for (int port : ports) {
            try {
              http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
            } catch (Exception e) {
              // a missed scrape changes nothing measured
            }
          }
        },
        1,
        1,
        TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    timer.shutdownNow();
    timer.awaitTermination(5, TimeUnit.SECONDS);
  }
}
