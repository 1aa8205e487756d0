package io.github.depthsweep.experiments.bench;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.depthsweep.experiments.run.RunFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the time goes, operator by operator: runs some work under PyTorch's profiler, keeps the
 * trace (Chrome trace format: open it in Perfetto or {@code chrome://tracing}) and sums each
 * operator's self time, that is its time less the time of the operators it called.
 *
 * @param ops every operator, the most self time first
 * @param topLevelMs each top-level operator's milliseconds, by name: its whole time, the operators
 *     it called included (a forward operator such as {@code aten::conv2d}, or the autograd node
 *     that runs its backward pass, such as {@code ConvolutionBackward0})
 * @param totalMs the time of all top-level operators
 */
record OpProfile(List<Op> ops, Map<String, Double> topLevelMs, double totalMs) {

    /**
     * One operator's share of the profile.
     *
     * @param name PyTorch's name, e.g. {@code aten::convolution_backward}
     * @param selfMs milliseconds spent in it, less the operators it called
     * @param calls how many times it ran
     */
    record Op(String name, double selfMs, int calls) {}

    /**
     * Runs work under the profiler, writes its trace and returns the summary.
     *
     * @param trace the trace file to write
     * @param work what to profile
     * @return the operators' self times
     * @throws IOException if the trace cannot be read back
     */
    static OpProfile record(Path trace, Runnable work) throws IOException {
        JniUtils.startProfile(false, true, false);
        try {
            work.run();
        } finally {
            JniUtils.stopProfile(trace.toAbsolutePath().toString());
        }
        return read(trace);
    }

    /**
     * Sums the self time of each operator in a trace written by PyTorch's profiler through DJL.
     *
     * @param trace the trace file
     * @return the summary
     * @throws IOException if the file cannot be read
     */
    static OpProfile read(Path trace) throws IOException {
        List<Event> events = new ArrayList<>();
        for (JsonNode node : RunFolder.JSON.readTree(trace.toFile())) {
            events.add(
                    new Event(
                            node.get("name").asText(),
                            node.get("tid").asLong(),
                            node.get("ts").asDouble(),
                            node.get("dur").asDouble()));
        }
        // Parents start first and end last; on ties the longer event is the parent.
        events.sort(
                Comparator.comparingLong(Event::tid)
                        .thenComparingDouble(Event::start)
                        .thenComparing(Comparator.comparingDouble(Event::duration).reversed()));
        Map<String, double[]> byName = new LinkedHashMap<>(); // name -> {self us, calls}
        Map<String, Double> topLevel = new LinkedHashMap<>(); // name -> whole ms
        Deque<double[]> open = new ArrayDeque<>(); // {end, index into selfTimes}
        double[] selfTimes = new double[events.size()];
        double total = 0;
        long tid = Long.MIN_VALUE;
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            if (event.tid() != tid) {
                open.clear();
                tid = event.tid();
            }
            while (!open.isEmpty() && open.peek()[0] <= event.start()) {
                open.pop();
            }
            selfTimes[i] = event.duration();
            if (open.isEmpty()) {
                total += event.duration();
                topLevel.merge(event.name(), event.duration() / 1000, Double::sum);
            } else {
                selfTimes[(int) open.peek()[1]] -= event.duration();
            }
            open.push(new double[] {event.start() + event.duration(), i});
        }
        for (int i = 0; i < events.size(); i++) {
            double[] sums = byName.computeIfAbsent(events.get(i).name(), k -> new double[2]);
            sums[0] += selfTimes[i];
            sums[1]++;
        }
        List<Op> ops = new ArrayList<>();
        byName.forEach((name, sums) -> ops.add(new Op(name, sums[0] / 1000, (int) sums[1])));
        ops.sort(Comparator.comparingDouble(Op::selfMs).reversed());
        return new OpProfile(ops, topLevel, total / 1000);
    }

    private record Event(String name, long tid, double start, double duration) {}
}
