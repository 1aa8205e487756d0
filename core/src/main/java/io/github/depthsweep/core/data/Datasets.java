package io.github.depthsweep.core.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dataset registry: every dataset {@code --dataset} can name, by name. A new MNIST-format
 * dataset is a {@link DatasetInfo} subclass and one line in {@link #ALL}.
 */
public final class Datasets {

    /** Zalando's Fashion-MNIST, the Keras tutorial's dataset. */
    public static final DatasetInfo FASHION_MNIST = new FashionMnistInfo();

    /** LeCun's MNIST digits. */
    public static final DatasetInfo MNIST = new MnistInfo();

    /** Kuzushiji-MNIST's ten hiragana. */
    public static final DatasetInfo KMNIST = new KmnistInfo();

    /** The dataset where none is named, and of model folders and runs that name none. */
    public static final DatasetInfo DEFAULT = FASHION_MNIST;

    private static final Map<String, DatasetInfo> ALL = register(FASHION_MNIST, MNIST, KMNIST);

    private Datasets() {}

    /**
     * Returns the dataset of a name.
     *
     * @param name the name, as {@code --dataset} takes it; null for {@link #DEFAULT}
     * @return the dataset
     * @throws IllegalArgumentException for an unknown name; the message lists the known ones
     */
    public static DatasetInfo byName(String name) {
        if (name == null) {
            return DEFAULT;
        }
        DatasetInfo dataset = ALL.get(name);
        if (dataset == null) {
            throw new IllegalArgumentException(
                    "Unknown dataset '"
                            + name
                            + "': use one of "
                            + String.join(", ", names())
                            + ".");
        }
        return dataset;
    }

    /**
     * Returns the known names, the default first.
     *
     * @return e.g. {@code [fashion-mnist, mnist, kmnist]}
     */
    public static List<String> names() {
        return List.copyOf(ALL.keySet());
    }

    private static Map<String, DatasetInfo> register(DatasetInfo... datasets) {
        Map<String, DatasetInfo> byName = new LinkedHashMap<>();
        for (DatasetInfo dataset : datasets) {
            byName.put(dataset.name(), dataset);
        }
        return byName;
    }
}
