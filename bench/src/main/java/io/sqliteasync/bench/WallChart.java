package io.sqliteasync.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws wall time against prefetch, both axes logarithmic, as a PNG, with nothing but {@code java.awt} in headless
 * mode.
 */
final class WallChart {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 620;
    private static final int LEFT = 80;
    private static final int RIGHT = 290;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;

    /**
     * One line of the chart.
     *
     * @param name the legend text
     * @param color the colour
     * @param dashed whether to dash the line (reference figures)
     * @param prefetch x values
     * @param wall y values in seconds
     */
    record Series(String name, Color color, boolean dashed, double[] prefetch, double[] wall) {
    }

    private WallChart() {
    }

    static void render(Path file, String title, List<Series> series) throws IOException {
        System.setProperty("java.awt.headless", "true");
        double yMin = Double.MAX_VALUE;
        double yMax = 0;
        for (Series s : series) {
            for (double w : s.wall()) {
                yMin = Math.min(yMin, w);
                yMax = Math.max(yMax, w);
            }
        }
        double lo = Math.pow(10, Math.floor(Math.log10(yMin)));
        double hi = Math.pow(10, Math.ceil(Math.log10(yMax)));
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        Axis x = new Axis(1, 65536, LEFT, LEFT + plotW);
        Axis y = new Axis(lo, hi, TOP + plotH, TOP);

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int p = 1; p <= 65536; p *= 4) {
            int px = x.map(p);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(px, TOP, px, TOP + plotH);
            g.setColor(Color.DARK_GRAY);
            g.drawString(Integer.toString(p), px - 8, TOP + plotH + 18);
        }
        for (double d = lo; d <= hi * 1.0001; d *= 10) {
            for (int m = 1; m < 10; m++) {
                double v = d * m;
                if (v > hi * 1.0001) {
                    break;
                }
                int py = y.map(v);
                g.setColor(m == 1 ? new Color(200, 200, 200) : new Color(240, 240, 240));
                g.drawLine(LEFT, py, LEFT + plotW, py);
                if (m == 1 || m == 2 || m == 5) {
                    g.setColor(Color.DARK_GRAY);
                    g.drawString(String.format(Locale.ROOT, v < 1 ? "%.2g s" : "%.0f s", v), 10, py + 4);
                }
            }
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);
        g.drawString("prefetch (rows per round trip, log scale)", LEFT + plotW / 2 - 110, HEIGHT - 18);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, LEFT, 30);

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int legendY = TOP + 10;
        for (Series s : series) {
            g.setColor(s.color());
            g.setStroke(s.dashed()
                    ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f)
                    : new BasicStroke(2.2f));
            int prevX = -1;
            int prevY = -1;
            for (int i = 0; i < s.prefetch().length; i++) {
                int px = x.map(s.prefetch()[i]);
                int py = y.map(s.wall()[i]);
                if (prevX >= 0) {
                    g.drawLine(prevX, prevY, px, py);
                }
                g.fillOval(px - 3, py - 3, 7, 7);
                prevX = px;
                prevY = py;
            }
            g.drawLine(LEFT + plotW + 15, legendY, LEFT + plotW + 45, legendY);
            g.setColor(Color.BLACK);
            g.drawString(s.name(), LEFT + plotW + 52, legendY + 4);
            legendY += 20;
        }
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    /** A logarithmic mapping from values to pixels. */
    private record Axis(double min, double max, int from, int to) {
        int map(double v) {
            double t = (Math.log(v) - Math.log(min)) / (Math.log(max) - Math.log(min));
            return (int) Math.round(from + t * (to - from));
        }
    }
}
