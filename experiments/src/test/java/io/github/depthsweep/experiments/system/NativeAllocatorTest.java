package io.github.depthsweep.experiments.system;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The allocator's part in flat memory: glibc's freed pages go back to the kernel on request. */
class NativeAllocatorTest {

    @Test
    void releaseFreeMemoryHandsGlibcsFreedTensorsBack() {
        assumeTrue(
                NativeAllocator.current() == NativeAllocator.SYSTEM
                        && ResidentMemory.currentMb() != null,
                "glibc's malloc on Linux");
        // 256 MB of 64 KB tensors, below glibc's mmap threshold, so they come from its heap.
        // Keeping every 8th alive leaves holes that free() alone does not return.
        List<NDArray> kept = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            List<NDArray> all = new ArrayList<>();
            for (int i = 0; i < 4096; i++) {
                all.add(manager.ones(new Shape(16_384)));
            }
            for (int i = 0; i < all.size(); i++) {
                if (i % 8 == 0) {
                    kept.add(all.get(i));
                } else {
                    all.get(i).close();
                }
            }
            double beforeMb = ResidentMemory.currentMb();
            NativeAllocator.SYSTEM.releaseFreeMemory();
            double afterMb = ResidentMemory.currentMb();
            // 224 MB were freed; most of it must leave the process
            assertTrue(
                    beforeMb - afterMb > 150,
                    "resident " + beforeMb + " MB before, " + afterMb + " MB after");
            assertTrue(kept.stream().allMatch(a -> a.getFloat(16_383) == 1f), "kept tensors");
        }
    }
}
