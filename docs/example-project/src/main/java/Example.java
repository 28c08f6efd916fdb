import io.github.gptfromscratch.autograd.Tape;
import io.github.gptfromscratch.data.Batch;
import io.github.gptfromscratch.data.TextDataset;
import io.github.gptfromscratch.models.Gpt;
import io.github.gptfromscratch.optim.AdamW;
import io.github.gptfromscratch.tensor.Rng;

public class Example {
    public static void main(String[] args) {
        TextDataset data = TextDataset.fromText("demo", "hello world, hello java, hello gpt. ".repeat(50));
        Gpt gpt = new Gpt(new Gpt.Config(data.tokenizer().vocabSize(), 16, 2, 2, 32, 0f, false), new Rng(1));
        AdamW opt = new AdamW(gpt.namedParameters(), new AdamW.Config(0.9, 0.99, 1e-8, 0.1));
        Rng rng = new Rng(2);
        for (int step = 0; step < 100; step++) {
            Batch batch = data.batch(rng, 8, 16, TextDataset.Split.TRAIN);
            opt.zeroGrad();
            try (Tape tape = Tape.record()) {
                tape.backward(gpt.loss(batch.x(), batch.y()));
            }
            opt.step(3e-3);
        }
        gpt.eval();
        int[] out = gpt.generate(data.tokenizer().encode("hello"), 40, 0.8f, 0, rng, true);
        System.out.println(data.tokenizer().decode(out));
    }
}
