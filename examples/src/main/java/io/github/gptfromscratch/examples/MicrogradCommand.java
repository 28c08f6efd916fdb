package io.github.gptfromscratch.examples;

import io.github.gptfromscratch.autograd.scalar.LabeledPoint;
import io.github.gptfromscratch.autograd.scalar.MaxMarginTraining;
import io.github.gptfromscratch.autograd.scalar.Mlp;
import io.github.gptfromscratch.autograd.scalar.TwoMoons;
import io.github.gptfromscratch.tensor.Rng;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Stage 1 of the journey: micrograd's {@code demo.ipynb} on the scalar {@code Value} engine. An
 * {@code MLP(2, [16, 16, 1])} learns to separate two moons with the hinge loss, then the decision
 * function is drawn over the plane.
 *
 * <pre>{@code
 * gptfs micrograd --samples 100 --noise 0.1 --steps 100 --out runs/micrograd --metrics runs/micrograd/metrics.json
 * }</pre>
 *
 * <p>Writes {@code decision_boundary.png} and {@code loss.png} into {@code --out}.
 */
@Command(name = "micrograd",
        mixinStandardHelpOptions = true,
        description = {
                "Trains micrograd's MLP(2, [16, 16, 1]) on two moons with the scalar Value engine",
                "(hinge loss + L2 1e-4, full-batch SGD, learning rate 1.0 - 0.9*step/steps),",
                "then writes decision_boundary.png and loss.png into the output folder."
        })
public final class MicrogradCommand implements Callable<Integer> {

    private static final List<Integer> LAYER_SIZES = List.of(16, 16, 1);
    private static final double ALPHA = 1e-4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--samples", defaultValue = "100", description = "Number of points, at least 2 (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--noise", defaultValue = "0.1", description = "Standard deviation of the Gaussian noise, >= 0 (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--steps", defaultValue = "100", description = "Training steps, at least 1 (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--seed", defaultValue = "1337", description = "Seed for the data and the initial weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "runs/micrograd", description = "Output folder for the plots (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--metrics", paramLabel = "FILE", description = "Also write the run's results as JSON to FILE.")
    Path metrics;

    @Override
    public Integer call() throws IOException {
        validate();
        // The plots are drawn off-screen; set before the first AWT class loads its toolkit.
        System.setProperty("java.awt.headless", "true");
        PrintWriter console = spec.commandLine().getOut();

        Rng rng = new Rng(seed);
        // Separate streams: changing --samples or --noise does not change the initial weights.
        List<LabeledPoint> data = TwoMoons.generate(samples, noise, rng.split());
        Mlp model = new Mlp(2, LAYER_SIZES, rng.split());
        MaxMarginTraining training = new MaxMarginTraining(model, data, ALPHA);
        console.printf(Locale.ROOT, "%s with %d parameters on %d two-moons points (noise %s, seed %d)%n",
                model, model.parameterCount(), samples, noise, seed);

        long start = System.nanoTime();
        double[] losses = new double[steps];
        double[] accuracies = new double[steps];
        for (int k = 0; k < steps; k++) {
            MaxMarginTraining.Metrics m = training.step(MaxMarginTraining.linearDecay(k, steps));
            losses[k] = m.loss();
            accuracies[k] = m.accuracy();
            console.printf(Locale.ROOT, "step %3d  loss %.6f  accuracy %5.1f%%%n", k, m.loss(), 100 * m.accuracy());
            console.flush();
        }
        MaxMarginTraining.Metrics last = training.evaluate();
        double wallSeconds = (System.nanoTime() - start) / 1e9;
        console.printf(Locale.ROOT, "after %d steps: loss %.6f  accuracy %.1f%%  (%.2f s)%n",
                steps, last.loss(), 100 * last.accuracy(), wallSeconds);

        Files.createDirectories(out);
        Path boundary = out.resolve("decision_boundary.png");
        ImageIO.write(new DecisionBoundaryPlot(training, data).draw(
                model + " on two moons: accuracy " + String.format(Locale.ROOT, "%.1f%%", 100 * last.accuracy())),
                "png", boundary.toFile());
        Path curves = out.resolve("loss.png");
        writeTrainingCurves(losses, accuracies, curves);
        console.printf("wrote %s and %s%n", boundary, curves);

        if (metrics != null) {
            writeMetrics(model, last, wallSeconds);
            console.printf("wrote %s%n", metrics);
        }
        return 0;
    }

    private void validate() {
        if (samples < 2) {
            throw badValue("--samples", samples, "need at least 2 points, one per moon");
        }
        if (!(noise >= 0.0) || Double.isInfinite(noise)) {
            throw badValue("--noise", noise, "must be a finite number >= 0");
        }
        if (steps < 1) {
            throw badValue("--steps", steps, "must be at least 1");
        }
    }

    private ParameterException badValue(String option, Object value, String why) {
        return new ParameterException(spec.commandLine(),
                "Invalid value '" + value + "' for option '" + option + "': " + why);
    }

    private void writeMetrics(Mlp model, MaxMarginTraining.Metrics last, double wallSeconds) throws IOException {
        String json = String.format(Locale.ROOT, """
                {
                  "model": "%s",
                  "params": %d,
                  "samples": %d,
                  "noise": %s,
                  "seed": %d,
                  "steps": %d,
                  "final_loss": %s,
                  "accuracy": %s,
                  "wall_time_s": %.3f
                }
                """, model, model.parameterCount(), samples, noise, seed, steps,
                last.loss(), last.accuracy(), wallSeconds);
        Path parent = metrics.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(metrics, json, StandardCharsets.UTF_8);
    }

    /** Loss (log scale) above accuracy, both against the step, in one PNG. */
    private static void writeTrainingCurves(double[] losses, double[] accuracies, Path file) throws IOException {
        double[] stepAxis = new double[losses.length];
        double[] percent = new double[accuracies.length];
        for (int k = 0; k < losses.length; k++) {
            // XChart puts a tick under every point when all x values are whole numbers; a negligible
            // offset gets its ordinary spacing, and the "0" label pattern hides it.
            stepAxis[k] = k + 1e-9;
            percent[k] = 100 * accuracies[k];
        }
        XYChart loss = curveChart("training loss (hinge + L2)", "loss", new Color(0xC0392B));
        loss.getStyler().setYAxisLogarithmic(true);
        loss.addSeries("loss", stepAxis, losses).setMarker(SeriesMarkers.NONE);
        XYChart accuracy = curveChart("training accuracy", "accuracy (%)", new Color(0x2166AC));
        accuracy.getStyler().setYAxisMin(0.0).setYAxisMax(100.0).setYAxisDecimalPattern("0");
        accuracy.addSeries("accuracy", stepAxis, percent).setMarker(SeriesMarkers.NONE);
        try (OutputStream stream = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(List.of(loss, accuracy), 2, 1, stream, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    private static XYChart curveChart(String title, String yTitle, Color color) {
        XYChart chart = new XYChartBuilder().width(800).height(340).title(title).xAxisTitle("step").yAxisTitle(yTitle).build();
        XYStyler styler = chart.getStyler();
        styler.setLegendVisible(false);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(false);
        styler.setSeriesColors(new Color[] {color});
        styler.setPlotGridLinesColor(new Color(0xE0E0E0));
        styler.setXAxisMin(0.0);
        styler.setXAxisDecimalPattern("0");
        styler.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        return chart;
    }

    /**
     * The classifier's score over the plane as a shaded background, its zero level as a line, and
     * the training points on top: micrograd's contourf + scatter figure, drawn with java.awt.
     */
    private static final class DecisionBoundaryPlot {

        private static final int PLOT_WIDTH = 760;
        private static final int LEFT = 70;
        private static final int RIGHT = 30;
        private static final int TOP = 60;
        private static final int BOTTOM = 90;
        /** Scores are computed on a grid of this many pixels a cell and interpolated in between. */
        private static final int CELL = 4;
        /** Scores beyond ±SATURATION get the full class colour. */
        private static final double SATURATION = 2.0;

        private static final Color NEUTRAL = new Color(0xF7F7F7);
        private static final Color NEGATIVE_SHADE = new Color(0xF4A582);
        private static final Color POSITIVE_SHADE = new Color(0x92C5DE);
        private static final Color NEGATIVE_POINT = new Color(0xB2182B);
        private static final Color POSITIVE_POINT = new Color(0x2166AC);
        private static final Color INK = new Color(0x333333);

        private final MaxMarginTraining training;
        private final List<LabeledPoint> data;
        private final double xMin;
        private final double xMax;
        private final double yMin;
        private final double yMax;
        private final int plotHeight;

        DecisionBoundaryPlot(MaxMarginTraining training, List<LabeledPoint> data) {
            this.training = training;
            this.data = data;
            double margin = 0.5;
            this.xMin = Math.floor(data.stream().mapToDouble(LabeledPoint::x).min().orElseThrow() - margin);
            this.xMax = Math.ceil(data.stream().mapToDouble(LabeledPoint::x).max().orElseThrow() + margin);
            this.yMin = Math.floor(data.stream().mapToDouble(LabeledPoint::y).min().orElseThrow() - margin);
            this.yMax = Math.ceil(data.stream().mapToDouble(LabeledPoint::y).max().orElseThrow() + margin);
            // equal scale on both axes, so the moons stay round
            this.plotHeight = (int) Math.round(PLOT_WIDTH * (yMax - yMin) / (xMax - xMin));
        }

        BufferedImage draw(String title) {
            BufferedImage image = new BufferedImage(LEFT + PLOT_WIDTH + RIGHT, TOP + plotHeight + BOTTOM,
                    BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());

            double[][] scores = scoreGrid();
            shadeBackground(image, scores);
            drawBoundary(g, scores);
            drawAxes(g);
            drawPoints(g);
            drawTitleAndLegend(g, title);
            g.dispose();
            return image;
        }

        /** Scores at every CELL-th pixel of the plot area, indexed [row][column], row 0 at the top. */
        private double[][] scoreGrid() {
            int rows = plotHeight / CELL + 2;
            int columns = PLOT_WIDTH / CELL + 2;
            double[][] scores = new double[rows][columns];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < columns; c++) {
                    scores[r][c] = training.score(dataX(c * CELL), dataY(r * CELL));
                }
            }
            return scores;
        }

        private void shadeBackground(BufferedImage image, double[][] scores) {
            for (int py = 0; py < plotHeight; py++) {
                for (int px = 0; px < PLOT_WIDTH; px++) {
                    double score = interpolate(scores, px, py);
                    double strength = Math.min(1.0, Math.abs(score) / SATURATION);
                    Color shade = mix(NEUTRAL, score < 0 ? NEGATIVE_SHADE : POSITIVE_SHADE, 0.35 + 0.65 * strength);
                    image.setRGB(LEFT + px, TOP + py, shade.getRGB());
                }
            }
        }

        private static double interpolate(double[][] scores, int px, int py) {
            int r = py / CELL;
            int c = px / CELL;
            double fy = (py % CELL) / (double) CELL;
            double fx = (px % CELL) / (double) CELL;
            double top = scores[r][c] * (1 - fx) + scores[r][c + 1] * fx;
            double bottom = scores[r + 1][c] * (1 - fx) + scores[r + 1][c + 1] * fx;
            return top * (1 - fy) + bottom * fy;
        }

        /** The zero level of the score by marching squares over the grid. */
        private void drawBoundary(Graphics2D g, double[][] scores) {
            g.setColor(INK);
            g.setStroke(new BasicStroke(2.0f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.setClip(LEFT, TOP, PLOT_WIDTH, plotHeight);
            for (int r = 0; r + 1 < scores.length; r++) {
                for (int c = 0; c + 1 < scores[r].length; c++) {
                    double[] corners = {scores[r][c], scores[r][c + 1], scores[r + 1][c + 1], scores[r + 1][c]};
                    double[][] cornerPixels = {
                            {c * CELL, r * CELL}, {(c + 1) * CELL, r * CELL},
                            {(c + 1) * CELL, (r + 1) * CELL}, {c * CELL, (r + 1) * CELL}};
                    List<double[]> crossings = new ArrayList<>(4);
                    for (int edge = 0; edge < 4; edge++) {
                        double a = corners[edge];
                        double b = corners[(edge + 1) % 4];
                        if ((a < 0) != (b < 0)) {
                            double t = a / (a - b);
                            double[] p = cornerPixels[edge];
                            double[] q = cornerPixels[(edge + 1) % 4];
                            crossings.add(new double[] {p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])});
                        }
                    }
                    // two crossings: one segment; four (a saddle): two segments, paired along the edge order
                    for (int i = 0; i + 1 < crossings.size(); i += 2) {
                        double[] p = crossings.get(i);
                        double[] q = crossings.get(i + 1);
                        g.draw(new Line2D.Double(LEFT + p[0], TOP + p[1], LEFT + q[0], TOP + q[1]));
                    }
                }
            }
            g.setClip(null);
        }

        private void drawAxes(Graphics2D g) {
            g.setColor(INK);
            g.setStroke(new BasicStroke(1.0f));
            g.drawRect(LEFT, TOP, PLOT_WIDTH, plotHeight);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            FontMetrics fm = g.getFontMetrics();
            for (double x = xMin; x <= xMax + 1e-9; x += 0.5) {
                int px = LEFT + (int) Math.round(pixelX(x));
                g.drawLine(px, TOP + plotHeight, px, TOP + plotHeight + 5);
                String label = tick(x);
                g.drawString(label, px - fm.stringWidth(label) / 2, TOP + plotHeight + 8 + fm.getAscent());
            }
            for (double y = yMin; y <= yMax + 1e-9; y += 0.5) {
                int py = TOP + (int) Math.round(pixelY(y));
                g.drawLine(LEFT - 5, py, LEFT, py);
                String label = tick(y);
                g.drawString(label, LEFT - 8 - fm.stringWidth(label), py + fm.getAscent() / 2 - 1);
            }
        }

        private static String tick(double v) {
            return String.format(Locale.ROOT, "%.1f", v);
        }

        private void drawPoints(Graphics2D g) {
            g.setClip(LEFT, TOP, PLOT_WIDTH, plotHeight);
            g.setStroke(new BasicStroke(1.2f));
            for (LabeledPoint p : data) {
                drawMarker(g, LEFT + pixelX(p.x()), TOP + pixelY(p.y()), p.label() < 0 ? NEGATIVE_POINT : POSITIVE_POINT);
            }
            g.setClip(null);
        }

        private static void drawMarker(Graphics2D g, double cx, double cy, Color fill) {
            double radius = 5.5;
            Ellipse2D dot = new Ellipse2D.Double(cx - radius, cy - radius, 2 * radius, 2 * radius);
            g.setColor(fill);
            g.fill(dot);
            g.setColor(Color.BLACK);
            g.draw(dot);
        }

        private void drawTitleAndLegend(Graphics2D g, String title) {
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
            FontMetrics titleMetrics = g.getFontMetrics();
            g.drawString(title, LEFT + (PLOT_WIDTH - titleMetrics.stringWidth(title)) / 2, TOP - 22);

            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            FontMetrics fm = g.getFontMetrics();
            int baseline = TOP + plotHeight + 62;
            int x = LEFT + 10;
            drawMarker(g, x, baseline - 4, NEGATIVE_POINT);
            x = legendText(g, fm, "class -1 (outer moon)", x + 12, baseline);
            drawMarker(g, x, baseline - 4, POSITIVE_POINT);
            x = legendText(g, fm, "class +1 (inner moon)", x + 12, baseline);
            g.setColor(INK);
            g.setStroke(new BasicStroke(2.0f));
            g.drawLine(x - 6, baseline - 4, x + 18, baseline - 4);
            x = legendText(g, fm, "score = 0", x + 26, baseline);
            swatch(g, x, baseline, NEGATIVE_SHADE);
            x = legendText(g, fm, "score < 0", x + 24, baseline);
            swatch(g, x, baseline, POSITIVE_SHADE);
            legendText(g, fm, "score > 0", x + 24, baseline);
        }

        private static void swatch(Graphics2D g, int x, int baseline, Color color) {
            g.setColor(color);
            g.fillRect(x - 6, baseline - 12, 18, 14);
            g.setColor(INK);
            g.setStroke(new BasicStroke(1.0f));
            g.drawRect(x - 6, baseline - 12, 18, 14);
        }

        /** Draws a legend label and returns where the next entry starts. */
        private static int legendText(Graphics2D g, FontMetrics fm, String text, int x, int baseline) {
            g.setColor(Color.BLACK);
            g.drawString(text, x, baseline);
            return x + fm.stringWidth(text) + 30;
        }

        private double pixelX(double x) {
            return (x - xMin) / (xMax - xMin) * PLOT_WIDTH;
        }

        private double pixelY(double y) {
            return (yMax - y) / (yMax - yMin) * plotHeight;
        }

        private double dataX(double px) {
            return xMin + px / PLOT_WIDTH * (xMax - xMin);
        }

        private double dataY(double py) {
            return yMax - py / plotHeight * (yMax - yMin);
        }

        private static Color mix(Color from, Color to, double t) {
            return new Color(
                    (int) Math.round(from.getRed() + t * (to.getRed() - from.getRed())),
                    (int) Math.round(from.getGreen() + t * (to.getGreen() - from.getGreen())),
                    (int) Math.round(from.getBlue() + t * (to.getBlue() - from.getBlue())));
        }
    }
}
