package io.github.depthsweep.core.inference;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What DJL's finalizers log about models dropped open while an action runs: DJL's {@code
 * BaseModel.finalize} warns "Model: NAME was not closed explicitly" for each, through SLF4J, which
 * the tests' simple logger writes to {@code System.err}. Earlier leaks are collected first; a model
 * leaked on purpose afterwards shows that the finalizers ran.
 */
final class FinalizerLog {

    private static final String CONTROL = "leaked-on-purpose";

    /** An action that may throw. */
    interface Action {
        void run() throws Exception;
    }

    private FinalizerLog() {}

    /**
     * Runs an action and returns what the finalizers logged of the models it dropped.
     *
     * @param action the action
     * @return the log, the control model's line taken out
     * @throws Exception if the action throws
     */
    static String during(Action action) throws Exception {
        collect(); // whatever earlier tests dropped is reported before this one's
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
            leak();
            for (int i = 0;
                    i < 50 && !captured.toString(StandardCharsets.UTF_8).contains(CONTROL);
                    i++) {
                collect();
            }
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("Model: " + CONTROL + " was not closed explicitly"), log);
        return log.lines()
                .filter(line -> !line.contains(CONTROL))
                .reduce("", (a, b) -> a + b + "\n");
    }

    @SuppressWarnings("resource")
    private static void leak() {
        Model.newInstance(CONTROL);
    }

    private static void collect() throws InterruptedException {
        System.gc();
        System.runFinalization();
        Thread.sleep(20);
    }
}
