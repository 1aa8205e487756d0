package io.github.depthsweep.experiments.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where a training step's time goes, per PyTorch's profiler: the share of each {@link OpKind}
 * (convolutions against the padding, ReLU and BatchNorm around them), the operators with the most
 * self time over a few profiled steps, per step, and the trace file for Perfetto or {@code
 * chrome://tracing}. Beside them, the optimizer's update, timed by the clock in as many steps
 * without the profiler: Adam's operators have no kind of their own in the trace.
 *
 * @param trace the trace file
 * @param msPerStep milliseconds per profiled step (the profiler slows a step)
 * @param kinds each kind's share of the profiled operators' time, in {@link OpKind}'s order
 * @param topOps the operators with the most self time, most first
 * @param update the optimizer's update against the whole step, timed without the profiler
 */
record ProfileSummary(
        String trace,
        @JsonProperty("ms_per_step") double msPerStep,
        List<KindShare> kinds,
        @JsonProperty("top_ops") List<TopOp> topOps,
        UpdateShare update) {

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
        Map<OpKind, Double> byKind = new EnumMap<>(OpKind.class);
        ops.topLevelMs().forEach((op, ms) -> byKind.merge(OpKind.of(op), ms, Double::sum));
        List<KindShare> kinds = new ArrayList<>();
        byKind.forEach(
                (kind, ms) ->
                        kinds.add(new KindShare(kind.label(), ms / ops.totalMs(), ms / STEPS)));
        double forwardBackward = 0;
        double update = 0;
        for (int i = 0; i < STEPS; i++) {
            ModelBench.StepTimes times = model.timedTrainStep();
            forwardBackward += times.forwardBackward();
            update += times.update();
        }
        return new ProfileSummary(
                trace.toString(),
                ops.totalMs() / STEPS,
                kinds,
                top,
                new UpdateShare(
                        1000 * update / STEPS,
                        1000 * (forwardBackward + update) / STEPS,
                        update / (forwardBackward + update)));
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
        out.println(
                "    by kind: "
                        + kinds.stream()
                                .map(k -> String.format("%s %.1f%%", k.kind(), 100 * k.share()))
                                .collect(Collectors.joining(", ")));
        out.printf(
                "    optimizer update: %.1f ms of a %.1f ms step (%.1f%%), timed without the"
                        + " profiler%n",
                update.msPerStep(), update.stepMs(), 100 * update.share());
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

    /**
     * One kind of operator's part of a profile.
     *
     * @param kind the kind, as {@link OpKind#label()} names it
     * @param share its share of the profiled operators' time
     * @param msPerStep its milliseconds per step, under the profiler
     */
    record KindShare(String kind, double share, @JsonProperty("ms_per_step") double msPerStep) {}

    /**
     * The optimizer's update ({@code Trainer.step}) against the whole training step.
     *
     * @param msPerStep the update's milliseconds per step
     * @param stepMs the whole step's milliseconds
     * @param share the update's share of the step
     */
    record UpdateShare(
            @JsonProperty("ms_per_step") double msPerStep,
            @JsonProperty("step_ms") double stepMs,
            double share) {}
}
