/**
 * The machine under the figures: {@link io.github.depthsweep.experiments.system.Machine} (CPU,
 * cores, threads, allocator), {@link io.github.depthsweep.experiments.system.NativeAllocator}
 * (which C allocator runs, and giving glibc's free pages back), {@link
 * io.github.depthsweep.experiments.system.ResidentMemory} and {@link
 * io.github.depthsweep.experiments.system.StoppedTime} (time the process stood still, left out of
 * epoch times).
 */
package io.github.depthsweep.experiments.system;
