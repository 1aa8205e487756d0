/**
 * What depthsweep's two command lines, the sweep ({@code depthsweep}) and the app ({@code
 * depthsweep-app}), share, so that a user and a scheduler see one behaviour: the exit codes of
 * {@link io.github.depthsweep.cli.ExitCode}, errors as one line ({@link
 * io.github.depthsweep.cli.CommandLines}), the version, and the checks of options both have.
 */
package io.github.depthsweep.cli;
