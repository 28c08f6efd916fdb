package io.github.gptfromscratch.examples;

import io.github.gptfromscratch.data.CharTokenizer;
import io.github.gptfromscratch.data.NamesDataset;
import io.github.gptfromscratch.data.NotebookSplit;
import io.github.gptfromscratch.models.BigramCounts;
import io.github.gptfromscratch.tensor.Rng;
import io.github.gptfromscratch.tensor.io.SafeTensorFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * makemore part 1: the counting bigram model. As in the lecture, the model counts every bigram of every
 * word ({@code all_loss} is its NLL on them all, 2.4546 on names.txt); a second model counted on the
 * training split alone gives comparable train/val/test losses.
 *
 * <pre>{@code
 * gptfs bigram --metrics runs/bigram/metrics.json
 * }</pre>
 */
@Command(name = "bigram",
        mixinStandardHelpOptions = true,
        description = {
                "Counts makemore part 1's bigrams (with '.' as start and end), smooths them (+1) and",
                "reports the average negative log-likelihood: all_loss over every word as the lecture,",
                "train/val/test for counts of the training split only. Writes model.safetensors and",
                "bigram_counts.png (the lecture's 27x27 heat map) into --out and prints sampled names.",
                "Training options (--steps, --batch-size, --lr) do not apply to counting."
        })
public final class BigramCommand implements Callable<Integer> {

    static final String MODEL = "bigram";
    static final String HEATMAP = "bigram_counts.png";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    CommonOptions common;

    @Option(names = "--smoothing", defaultValue = "1", description = "Added to every count before normalising, >= 0 (default: ${DEFAULT-VALUE}).")
    float smoothing;

    @Override
    public Integer call() throws IOException {
        common.validate();
        if (!(smoothing >= 0) || Float.isInfinite(smoothing)) {
            throw common.badValue("--smoothing", smoothing, "must be a finite number >= 0");
        }
        PrintWriter console = spec.commandLine().getOut();
        Path out = common.outDir();
        Path checkpoint = out.resolve(NameModelRun.CHECKPOINT);
        if (common.sampleOnly()) {
            SafeTensorFile file = NameModelRun.readCheckpoint(checkpoint, MODEL);
            CharTokenizer tokenizer = CharTokenizer.fromString(file.metadata().get("tokenizer"));
            BigramCounts model = BigramCounts.fromCounts(file.floatTensor("counts"), tokenizer,
                    Float.parseFloat(file.metadata().get("smoothing")));
            console.printf("loaded %s from %s%n", MODEL, checkpoint);
            Rng sampler = common.sampleRng(file.metadata(), common.seed(CommonOptions.LECTURE_SEED));
            NameModelRun.printSamples(console, model, tokenizer, sampler, common.sampleCount());
            return 0;
        }

        long start = System.nanoTime();
        NamesDataset dataset = NamesDataset.load(common.dataFile());
        CharTokenizer tokenizer = dataset.tokenizer();
        BigramCounts all = BigramCounts.fit(dataset.words(), tokenizer, smoothing);
        double allLoss = all.nll(dataset.words());
        NotebookSplit split = dataset.notebookSplit();
        BigramCounts trainOnly = BigramCounts.fit(split.train(), tokenizer, smoothing);
        double trainLoss = trainOnly.nll(split.train());
        double valLoss = trainOnly.nll(split.dev());
        double testLoss = trainOnly.nll(split.test());
        double wallSeconds = (System.nanoTime() - start) / 1e9;
        console.printf(Locale.ROOT, "%s: %d words; counts of all words: NLL %.6f over all bigrams%n",
                dataset.source(), dataset.words().size(), allLoss);
        console.printf(Locale.ROOT, "counts of the training split: train %.4f  val %.4f  test %.4f%n",
                trainLoss, valLoss, testLoss);

        Files.createDirectories(out);
        Map<String, String> config = new LinkedHashMap<>();
        config.put("smoothing", Float.toString(smoothing));
        config.putAll(common.samplingMetadata(common.seed(CommonOptions.LECTURE_SEED)));
        NameModelRun.writeCheckpoint(checkpoint, Map.of("counts", all.countTensor()), MODEL, config, tokenizer);
        Path heatmap = out.resolve(HEATMAP);
        BigramHeatmap.write(heatmap, all);
        console.printf("wrote %s and %s%n", checkpoint, heatmap);

        Rng sampler = common.sampleRng(common.seed(CommonOptions.LECTURE_SEED));
        NameModelRun.printSamples(console, all, tokenizer, sampler, common.sampleCount());
        if (common.metricsFile() != null) {
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("all_loss", allLoss);
            extra.put("smoothing", (double) smoothing);
            // A count matrix is not trained: 0 parameters and 0 steps; its size is reported apart.
            extra.put("counts", (long) tokenizer.vocabSize() * tokenizer.vocabSize());
            MetricsFile.write(common.metricsFile(), new MetricsFile.Metrics(MODEL, 0, 0, trainLoss, valLoss,
                    testLoss, wallSeconds, extra));
            console.printf("wrote %s%n", common.metricsFile());
        }
        return 0;
    }
}
