package io.github.gptfromscratch.examples;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The training curve as a PNG: minibatch losses averaged over windows of up to 1000 steps (the
 * lecture's {@code lossi.view(-1, 1000).mean(1)}), and the validation losses as points.
 */
final class LossCurvePlot {

    private static final int WINDOW = 1000;

    private LossCurvePlot() {
    }

    /**
     * @param trainLosses the loss of every step
     * @param valSteps    steps at which the validation loss was measured
     * @param valLosses   those losses
     */
    static void write(Path file, String title, float[] trainLosses, int[] valSteps, double[] valLosses)
            throws IOException {
        write(file, title, trainLosses, valSteps, valLosses, "val (full split, eval mode)");
    }

    /** As above, with the legend of the validation points spelled out (how they were measured). */
    static void write(Path file, String title, float[] trainLosses, int[] valSteps, double[] valLosses, String valLabel)
            throws IOException {
        // Short runs still get ~50 points instead of one.
        int window = Math.max(1, Math.min(WINDOW, trainLosses.length / 50));
        int points = (trainLosses.length + window - 1) / window;
        double[] x = new double[points];
        double[] y = new double[points];
        for (int p = 0; p < points; p++) {
            int from = p * window;
            int to = Math.min(trainLosses.length, from + window);
            double sum = 0;
            for (int i = from; i < to; i++) {
                sum += trainLosses[i];
            }
            x[p] = (from + to) / 2.0;
            y[p] = sum / (to - from);
        }
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle("step")
                .yAxisTitle("loss (cross-entropy, nats)").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(0xE0E0E0));
        chart.getStyler().setSeriesColors(new Color[] {new Color(0x2166AC), new Color(0xC0392B)});
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        XYSeries train = chart.addSeries("train (mean per " + window + " steps)", x, y);
        train.setMarker(SeriesMarkers.NONE);
        train.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        if (valSteps.length > 0) {
            XYSeries val = chart.addSeries(valLabel,
                    Arrays.stream(valSteps).asDoubleStream().toArray(), valLosses);
            val.setMarker(SeriesMarkers.CIRCLE);
            val.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
