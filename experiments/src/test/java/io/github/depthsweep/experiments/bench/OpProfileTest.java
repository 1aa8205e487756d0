package io.github.depthsweep.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpProfileTest {

    private static String event(String name, long tid, double ts, double dur) {
        return String.format(
                "{\"name\": \"%s\", \"ph\": \"X\", \"ts\": %f, \"dur\": %f, \"tid\": %d,"
                        + " \"pid\": \"CPU Functions\", \"shape\": [], \"cpu mem\": \"0 b\","
                        + " \"args\": {}}",
                name, ts, dur, tid);
    }

    @Test
    void selfTimeIsTimeLessTheOperatorsCalled(@TempDir Path dir) throws Exception {
        // conv (1000 us) calls pad (300 us), which calls fill (100 us); then relu (200 us) on its
        // own; a second thread runs another pad (50 us) that overlaps conv in time only.
        Path trace = dir.resolve("trace.json");
        Files.writeString(
                trace,
                "[\n"
                        + String.join(
                                ",\n",
                                List.of(
                                        event("aten::conv", 1, 0, 1000),
                                        event("aten::pad", 1, 100, 300),
                                        event("aten::fill_", 1, 100, 100),
                                        event("aten::relu", 1, 1000, 200),
                                        event("aten::pad", 2, 500, 50)))
                        + "\n]\n");

        OpProfile profile = OpProfile.read(trace);

        assertEquals(1250, profile.totalMs() * 1000, 1e-6);
        assertEquals(
                List.of(
                        new OpProfile.Op("aten::conv", 0.7, 1),
                        new OpProfile.Op("aten::pad", 0.25, 2),
                        new OpProfile.Op("aten::relu", 0.2, 1),
                        new OpProfile.Op("aten::fill_", 0.1, 1)),
                profile.ops());
        assertEquals(
                Map.of("aten::conv", 1.0, "aten::relu", 0.2, "aten::pad", 0.05),
                profile.topLevelMs());
    }
}
