/**
 * The machine under the figures: {@link io.github.depthsweep.experiments.system.Machine} (CPU,
 * cores, threads, allocator), {@link io.github.depthsweep.experiments.system.NativeAllocator}
 * (which C allocator runs, and giving glibc's free pages back) and {@link
 * io.github.depthsweep.experiments.system.ResidentMemory}.
 */
package io.github.depthsweep.experiments.system;
