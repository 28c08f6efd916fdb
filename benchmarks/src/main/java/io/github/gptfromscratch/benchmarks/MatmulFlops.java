package io.github.gptfromscratch.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A JMH counter of floating-point work: JMH divides it by the measured time, so the secondary result
 * {@code gflop} reads directly in GFLOPS (shown as "ops/s" with a throughput mode in seconds).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class MatmulFlops {

    /** Floating-point operations done in this iteration, in units of 10⁹ (JMH reads public fields). */
    public double gflop;

    /** Starts each iteration from zero. */
    @Setup(Level.Iteration)
    public void reset() {
        gflop = 0;
    }
}
