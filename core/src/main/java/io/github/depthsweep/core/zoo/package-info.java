/**
 * depthsweep's trained nets as a DJL model zoo ({@link
 * io.github.depthsweep.core.zoo.DepthsweepModelZoo}, group id {@code io.github.depthsweep}): found
 * by DJL's {@code Criteria} with a group id, an artifact id and filters, loaded offline from this
 * jar.
 */
package io.github.depthsweep.core.zoo;
