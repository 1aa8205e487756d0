package io.github.depthsweep.experiments.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a training step's time goes, per PyTorch's profiler: the operators with the most self time
 * over a few profiled steps, per step, and the trace file for Perfetto or {@code chrome://tracing}.
 *
 * @param trace the trace file
 * @param msPerStep milliseconds per profiled step (the profiler slows a step)
 * @param topOps the operators with the most self time, most first
 */
record ProfileSummary(
        String trace,
        @JsonProperty("ms_per_step") double msPerStep,
        @JsonProperty("top_ops") List<TopOp> topOps) {

    private static final int STEPS = 5;
    private static final int OPS = 12;

    /**
     * Profiles a few training steps of a model.
     *
     * @param model the model
     * @param folder where the trace goes, as {@code MODEL-trace.json}
     * @return the summary
     * @throws IOException if the trace cannot be written or read
     */
    static ProfileSummary of(ModelBench model, Path folder) throws IOException {
        Path trace = folder.resolve(model.name() + "-trace.json");
        OpProfile ops =
                OpProfile.record(
                        trace,
                        () -> {
                            for (int i = 0; i < STEPS; i++) {
                                model.trainStep();
                            }
                        });
        List<TopOp> top = new ArrayList<>();
        for (OpProfile.Op op : ops.ops().subList(0, Math.min(OPS, ops.ops().size()))) {
            top.add(
                    new TopOp(
                            op.name(),
                            op.selfMs() / ops.totalMs(),
                            op.selfMs() / STEPS,
                            op.calls() / STEPS));
        }
        return new ProfileSummary(trace.toString(), ops.totalMs() / STEPS, top);
    }

    /**
     * Prints the summary under a model's row of the table.
     *
     * @param out where to
     */
    void print(PrintWriter out) {
        out.printf(
                "  profile: %.0f ms per step under the profiler (it slows the step); trace %s%n",
                msPerStep, trace);
        for (TopOp op : topOps) {
            out.printf(
                    "    %-40s %5.1f%%  %7.1f ms per step  %4d calls per step%n",
                    op.op(), 100 * op.share(), op.msPerStep(), op.callsPerStep());
        }
    }

    /**
     * One operator of a profile.
     *
     * @param op its name
     * @param share its share of the profiled time
     * @param msPerStep its milliseconds per step
     * @param callsPerStep its calls per step
     */
    record TopOp(
            String op,
            double share,
            @JsonProperty("ms_per_step") double msPerStep,
            @JsonProperty("calls_per_step") int callsPerStep) {}
}
