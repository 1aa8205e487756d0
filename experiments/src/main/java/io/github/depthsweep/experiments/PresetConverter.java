package io.github.depthsweep.experiments;

import io.github.depthsweep.experiments.sweep.Preset;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code --preset} by {@link Preset#label()}, which picocli's enum conversion cannot: a label
 * may have a dash ({@code he2016-warmup}) where the constant has an underscore.
 */
final class PresetConverter implements ITypeConverter<Preset> {

    @Override
    public Preset convert(String value) {
        try {
            return Preset.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
