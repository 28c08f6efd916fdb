package io.github.gptfromscratch.examples;

import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;

/**
 * Reports training progress: a progress bar when a person is watching a terminal, otherwise a log line
 * with step, loss, steps/s and time left every {@code 1/linesPerRun} of the run (log files and CI
 * output stay readable).
 */
final class TrainingProgress implements AutoCloseable {

    private final Logger log;
    private final String task;
    private final int steps;
    private final int logEvery;
    private final long startNanos = System.nanoTime();
    private final ProgressBar bar;
    private double smoothedLoss = Double.NaN;

    TrainingProgress(Logger log, String task, int steps, boolean verbose) {
        this.log = log;
        this.task = task;
        this.steps = steps;
        this.logEvery = Math.max(1, steps / (verbose ? 200 : 20));
        // Only draw a bar for an interactive terminal and when the log lines were not asked for.
        this.bar = System.console() != null && !verbose
                ? new ProgressBarBuilder().setTaskName(task).setInitialMax(steps).setStyle(ProgressBarStyle.ASCII)
                        .setUpdateIntervalMillis(500).continuousUpdate().build()
                : null;
    }

    /** Records that {@code step} (0-based) finished with {@code loss}. */
    void stepDone(int step, double loss, double lr) {
        // An exponential average over ~100 steps: a single minibatch loss is too noisy to read.
        smoothedLoss = Double.isNaN(smoothedLoss) ? loss : 0.99 * smoothedLoss + 0.01 * loss;
        int done = step + 1;
        if (bar != null) {
            bar.stepTo(done);
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", smoothedLoss));
        } else if (done % logEvery == 0 || done == steps || step == 0) {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            double rate = done / Math.max(seconds, 1e-9);
            Duration left = Duration.ofSeconds(Math.round((steps - done) / rate));
            log.info(String.format(Locale.ROOT, "%s step %d/%d  loss %.4f (avg %.4f)  lr %.4g  %.1f steps/s  %s left",
                    task, done, steps, loss, smoothedLoss, lr, rate, format(left)));
        }
    }

    /** Logs a validation loss measured at {@code step}. */
    void validation(int step, double valLoss) {
        validation(step, valLoss, "val");
    }

    /** Logs a held-out loss measured at {@code step}, naming its split ({@code val}, {@code test}). */
    void validation(int step, double heldOutLoss, String split) {
        String line = String.format(Locale.ROOT, "%s step %d  %s loss %.4f", task, step, split, heldOutLoss);
        if (bar != null) {
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f %s %.4f", smoothedLoss, split, heldOutLoss));
        } else {
            log.info(line);
        }
    }

    private static String format(Duration d) {
        return d.toHours() > 0
                ? String.format(Locale.ROOT, "%dh%02dm", d.toHours(), d.toMinutesPart())
                : String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
