package io.sudp.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Draws the load sweep as a PNG: delivered datagrams per second (left) and round-trip latency
 * percentiles (right, logarithmic) against the offered load, tunnel and raw UDP side by side.
 */
final class LoadPlot {
  private static final int PANEL = 480;
  private static final int MARGIN = 70;
  private static final int WIDTH = MARGIN * 3 + PANEL * 2 + 30;
  private static final int HEIGHT = 490;
  private static final Color TUNNEL = new Color(0xd6, 0x5f, 0x00);
  private static final Color RAW = new Color(0x1f, 0x5f, 0xb4);

  /** One offered load: what arrived each second and the latency percentiles, in µs. */
  record Point(
      int offered,
      double rawDelivered,
      double tunnelDelivered,
      double rawP50,
      double rawP99,
      double tunnelP50,
      double tunnelP99) {}

  private LoadPlot() {}

  static void write(List<Point> points, String title, Path file) throws IOException {
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString(title, MARGIN, 24);
    double maxLoad = points.stream().mapToDouble(Point::offered).max().orElse(1);
    double maxDelivered =
        Math.max(
            maxLoad,
            points.stream()
                .mapToDouble(p -> Math.max(p.rawDelivered(), p.tunnelDelivered()))
                .max()
                .orElse(1));
    Panel throughput =
        new Panel(
            g,
            MARGIN,
            maxLoad,
            0,
            maxDelivered,
            false,
            "offered datagrams/s",
            "delivered datagrams/s");
    throughput.line(points, Point::rawDelivered, RAW, false);
    throughput.line(points, Point::tunnelDelivered, TUNNEL, false);
    double maxLatency =
        points.stream().mapToDouble(p -> Math.max(p.rawP99(), p.tunnelP99())).max().orElse(1000);
    Panel latency =
        new Panel(
            g,
            MARGIN * 2 + PANEL,
            maxLoad,
            10,
            Math.max(100, maxLatency * 1.5),
            true,
            "offered datagrams/s",
            "round trip, µs (log)");
    latency.line(points, Point::rawP50, RAW, false);
    latency.line(points, Point::rawP99, RAW, true);
    latency.line(points, Point::tunnelP50, TUNNEL, false);
    latency.line(points, Point::tunnelP99, TUNNEL, true);
    legend(g);
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }

  private static void legend(Graphics2D g) {
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    int x = MARGIN;
    int y = 46;
    for (Object[] entry :
        new Object[][] {
          {"tunnel", TUNNEL, false},
          {"raw UDP", RAW, false},
          {"p50 solid, p99 dashed", Color.GRAY, true}
        }) {
      g.setColor((Color) entry[1]);
      g.setStroke(stroke((Boolean) entry[2]));
      g.drawLine(x, y - 4, x + 24, y - 4);
      g.setColor(Color.BLACK);
      g.drawString((String) entry[0], x + 30, y);
      x += 170;
    }
  }

  private static BasicStroke stroke(boolean dashed) {
    return dashed
        ? new BasicStroke(
            2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 5f}, 0f)
        : new BasicStroke(2f);
  }

  /** One chart: axes with ticks, and lines of points. */
  private static final class Panel {
    private final Graphics2D g;
    private final int left;
    private final int top = 80;
    private final int height = HEIGHT - 80 - 60;
    private final double maxX;
    private final double minY;
    private final double maxY;
    private final boolean logY;

    Panel(
        Graphics2D g,
        int left,
        double maxX,
        double minY,
        double maxY,
        boolean logY,
        String xLabel,
        String yLabel) {
      this.g = g;
      this.left = left;
      this.maxX = maxX;
      this.minY = minY;
      this.maxY = maxY;
      this.logY = logY;
      g.setColor(Color.BLACK);
      g.setStroke(new BasicStroke(1f));
      g.drawRect(left, top, PANEL, height);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      for (int i = 0; i <= 5; i++) {
        double x = maxX * i / 5;
        int px = x(x);
        g.drawLine(px, top + height, px, top + height + 4);
        g.drawString(number(x), px - 14, top + height + 17);
      }
      for (double y : ticksY()) {
        int py = y(y);
        g.setColor(new Color(0xe6, 0xe6, 0xe6));
        g.drawLine(left + 1, py, left + PANEL - 1, py);
        g.setColor(Color.BLACK);
        g.drawString(number(y), left - 50, py + 4);
      }
      g.drawString(xLabel, left + PANEL / 2 - 50, top + height + 38);
      g.drawString(yLabel, left, top - 8);
    }

    private double[] ticksY() {
      if (logY) {
        return java.util.stream.DoubleStream.of(10, 100, 1e3, 1e4, 1e5, 1e6, 1e7)
            .filter(tick -> tick <= maxY)
            .toArray();
      }
      double[] ticks = new double[6];
      for (int i = 0; i <= 5; i++) {
        ticks[i] = maxY * i / 5;
      }
      return ticks;
    }

    void line(List<Point> points, ToDoubleFunction<Point> value, Color color, boolean dashed) {
      g.setColor(color);
      g.setStroke(stroke(dashed));
      int[] previous = null;
      for (Point point : points) {
        double v = value.applyAsDouble(point);
        if (v <= 0 || (logY && (v < minY || v > maxY))) {
          continue;
        }
        int[] here = {x(point.offered()), y(v)};
        g.fillOval(here[0] - 3, here[1] - 3, 6, 6);
        if (previous != null) {
          g.drawLine(previous[0], previous[1], here[0], here[1]);
        }
        previous = here;
      }
    }

    private int x(double value) {
      return left + (int) Math.round(PANEL * value / maxX);
    }

    private int y(double value) {
      double share =
          logY
              ? (Math.log10(value) - Math.log10(minY)) / (Math.log10(maxY) - Math.log10(minY))
              : (value - minY) / (maxY - minY);
      return top + height - (int) Math.round(height * Math.max(0, Math.min(1, share)));
    }

    private static String number(double value) {
      return value >= 1e6
          ? String.format(Locale.ROOT, "%.0fM", value / 1e6)
          : value >= 1000
              ? String.format(Locale.ROOT, "%.0fk", value / 1000)
              : String.format(Locale.ROOT, "%.0f", value);
    }
  }
}
