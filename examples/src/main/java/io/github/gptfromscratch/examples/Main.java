package io.github.gptfromscratch.examples;

import io.github.gptfromscratch.data.DatasetUnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command-line entry point: one sub-command per stage of the journey. */
@Command(name = "gptfs",
        mixinStandardHelpOptions = true,
        version = "gpt-from-scratch 0.1.0",
        description = "From a scalar autodiff engine to a GPT, in pure Java.",
        subcommands = {
                CommandLine.HelpCommand.class,
                MicrogradCommand.class,
                BigramCommand.class,
                NeuralBigramCommand.class,
                MlpCommand.class,
                WaveNetCommand.class,
                TransformerCommand.class,
                GptCommand.class,
                SampleCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (0 success, 1 failure, 2 bad usage). */
    public static int run(String... args) {
        // slf4j-simple reads its level once, when the first logger is made: set it before anything logs.
        System.setProperty("java.awt.headless", "true"); // the plots are written to files, never shown
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        if (verbose) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
        }
        try {
            return new CommandLine(new Main()).setExecutionExceptionHandler((e, cmd, parsed) -> {
                // A failure the user can act on (a missing or bad file, a diverged run) is one line naming it;
                // anything else is a bug, and its stack trace is what a report needs.
                if (verbose || !isUserFacing(e)) {
                    e.printStackTrace(cmd.getErr());
                } else {
                    cmd.getErr().println("gptfs " + cmd.getCommandName() + ": " + e.getMessage());
                }
                return 1;
            }).execute(args);
        } catch (OutOfMemoryError e) {
            // The failed allocation's garbage is unreachable by now, so there is room for the message.
            long heapMiB = Runtime.getRuntime().maxMemory() >> 20;
            System.err.println("gptfs: out of memory: the model's activations for this batch do not fit in the JVM heap of "
                    + heapMiB + " MiB. Give the JVM more (GPTFS_JAVA_OPTS=-Xmx16g bin/gptfs ...; bin/gptfs already"
                    + " allows 75% of RAM) or lower --batch-size / --block-size. Nothing was written after the last"
                    + " checkpoint.");
            return 1;
        }
    }

    private static boolean isUserFacing(Exception e) {
        return e.getMessage() != null && (e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException
                || e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof ArithmeticException || e instanceof DatasetUnavailableException);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
