/**
 * Data for the journey: the character tokenizer, the names dataset of makemore (with the notebooks' exact
 * 80/10/10 split), the character-level text dataset of nanoGPT, seeded minibatches, and the download
 * cache that fetches the data files on first use.
 *
 * <pre>{@code
 * NamesDataset names = NamesDataset.load(Datasets.names());
 * Examples train = names.examples(names.notebookSplit().train(), 3);
 * Batch batch = Batches.sample(train, new Rng(42), 32);
 * }</pre>
 */
package io.github.gptfromscratch.data;
