package io.github.depthsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The progress bar: what it draws, and that it erases itself before other output. */
class ProgressTest {

    @Test
    void theLineShowsTheBarCountsRateAndTimeLeft() {
        assertEquals(
                "["
                        + "=".repeat(14)
                        + ">"
                        + " ".repeat(15)
                        + "] 5,000 / 10,000 images  2,500/s  0:02 left",
                Progress.line(5_000, 10_000, "images", 2.0));
        assertEquals(
                "[" + "=".repeat(30) + "] 10,000 / 10,000 images  1,000/s  0:00 left",
                Progress.line(10_000, 10_000, "images", 10.0));
        assertEquals(
                "[" + " ".repeat(30) + "] 0 / 3 test images",
                Progress.line(0, 3, "test images", 0.0));
    }

    @Test
    void itRedrawsInPlaceAndClearsItsLine() {
        StringWriter text = new StringWriter();
        Progress progress = Progress.always(new PrintWriter(text), 100, "images");
        progress.advance(50);
        String drawn = text.toString();
        assertTrue(drawn.startsWith("\r[" + "=".repeat(14) + ">"), drawn);
        progress.clear();
        String cleared = text.toString().substring(drawn.length());
        assertEquals("\r" + " ".repeat(drawn.length() - 1) + "\r", cleared);
        progress.clear(); // nothing left to clear
        assertEquals(drawn.length() + cleared.length(), text.toString().length());
    }

    @Test
    void offATerminalItDrawsNothing() {
        // Tests run with stderr piped to the build, never a terminal.
        StringWriter text = new StringWriter();
        Progress progress = Progress.onTerminal(new PrintWriter(text), 100, "images");
        progress.advance(100);
        progress.clear();
        assertEquals("", text.toString());
    }
}
