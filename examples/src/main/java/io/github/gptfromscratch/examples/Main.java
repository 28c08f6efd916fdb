package io.github.gptfromscratch.examples;

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
        if (java.util.Arrays.asList(args).contains("--verbose")) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
        }
        return new CommandLine(new Main()).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
