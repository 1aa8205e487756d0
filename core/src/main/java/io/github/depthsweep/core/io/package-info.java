/**
 * Writing files that readers must never see half-written: {@link
 * io.github.depthsweep.core.io.AtomicFiles} writes a file, or fills a folder, under a hidden
 * temporary name beside it and renames it into place. What it creates gets the permissions of any
 * file the process creates (its umask), so results in a shared folder stay readable to the others
 * who share it.
 */
package io.github.depthsweep.core.io;
