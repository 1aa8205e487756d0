package io.github.depthsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The top command: usage, and one-line errors for command lines it cannot parse. */
class AppCommandTest {

    @Test
    void withoutASubcommandItShowsTheThreeCommands() {
        Cli.Result result = Cli.run();
        assertEquals(0, result.exitCode());
        for (String command : new String[] {"predict", "evaluate", "bench"}) {
            assertTrue(result.out().contains(command), result.out());
        }
    }

    @Test
    void badCommandLinesAreOneLineErrorsWithExitCode2() {
        for (String[] args :
                new String[][] {
                    {"classify"},
                    {"predict"},
                    {"predict", "--model", "x", "--invert", "sometimes", "samples"},
                    {"bench", "--model", "x", "--iterations", "many"}
                }) {
            Cli.Result result = Cli.run(args);
            assertEquals(2, result.exitCode(), String.join(" ", args));
            assertEquals(1, result.err().lines().count(), result.err());
            assertTrue(result.err().startsWith("error: "), result.err());
            assertTrue(result.err().contains("--help"), result.err());
        }
    }
}
