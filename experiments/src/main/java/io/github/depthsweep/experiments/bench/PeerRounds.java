package io.github.depthsweep.experiments.bench;

import io.github.depthsweep.experiments.report.Median;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The peers' rates over one model's rounds: each round, every peer runs right after depthsweep's
 * own block of steps, so all see the same drift in the machine's speed and each round's ratio
 * compares neighbours.
 */
final class PeerRounds {

    private final List<PeerBench> peers;
    private final String model;
    private final int steps;
    private final double[][] rates;
    private final double[][] ratios;

    /**
     * Starts the rounds of one model.
     *
     * @param peers the peers, in the order they run
     * @param model e.g. {@code residual-50}
     * @param steps each run's timed steps
     * @param rounds the rounds
     */
    PeerRounds(List<PeerBench> peers, String model, int steps, int rounds) {
        this.peers = peers;
        this.model = model;
        this.steps = steps;
        this.rates = new double[peers.size()][rounds];
        this.ratios = new double[peers.size()][rounds];
    }

    /**
     * Runs every peer once, after depthsweep's block of a round.
     *
     * @param round the round, from 0
     * @param ours depthsweep's training images per second in this round
     * @throws IOException if a peer cannot run or prints no rate
     * @throws InterruptedException if interrupted while waiting for a peer
     */
    void run(int round, double ours) throws IOException, InterruptedException {
        for (int i = 0; i < peers.size(); i++) {
            rates[i][round] = peers.get(i).trainRate(model, steps);
            ratios[i][round] = ours / rates[i][round];
        }
    }

    /**
     * Puts the peers' figures in a model's row: {@code peers}, by name, each with its median {@code
     * train_images_per_s} and {@code ratio} (ours over its), and over several rounds the ratio's
     * {@code ratio_min} and {@code ratio_max}. A single peer's figures also go at the top, as
     * {@code peer_train_images_per_s}, {@code ratio}, {@code ratio_min} and {@code ratio_max}.
     *
     * @param row the row
     */
    void putInto(Map<String, Object> row) {
        Map<String, Object> all = new LinkedHashMap<>();
        for (int i = 0; i < peers.size(); i++) {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("train_images_per_s", Median.of(rates[i]));
            figures.put("ratio", Median.of(ratios[i]));
            if (ratios[i].length > 1) {
                figures.put("ratio_min", Arrays.stream(ratios[i]).min().orElseThrow());
                figures.put("ratio_max", Arrays.stream(ratios[i]).max().orElseThrow());
            }
            all.put(peers.get(i).name(), figures);
        }
        if (rates.length > 0 && rates[0].length > 1) {
            row.put("rounds", rates[0].length);
        }
        if (peers.size() == 1) {
            cast(all.values().iterator().next())
                    .forEach(
                            (key, value) ->
                                    row.put(
                                            key.equals("train_images_per_s") ? "peer_" + key : key,
                                            value));
        }
        row.put("peers", all);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object figures) {
        return (Map<String, Object>) figures;
    }

    /**
     * Returns the table's header for the peers' columns: a rate and a ratio per peer.
     *
     * @param peers the peers
     * @param rounds the rounds, to make room for the ratio's range over several
     * @return the header, or an empty string for no peers
     */
    static String header(List<PeerBench> peers, int rounds) {
        StringBuilder header = new StringBuilder();
        for (PeerBench peer : peers) {
            header.append(
                    String.format(
                            "   %" + width(peer) + "s  %-" + ratioWidth(rounds) + "s",
                            peer.name() + " img/s",
                            rounds == 1 ? "ratio" : "ratio (range)"));
        }
        return header.toString();
    }

    /**
     * Returns a row's peer columns, under {@link #header}.
     *
     * @param peers the peers
     * @param rounds the rounds
     * @param row the row, with the figures {@link #putInto} put in it
     * @return the columns
     */
    static String columns(List<PeerBench> peers, int rounds, Map<String, Object> row) {
        Map<String, Object> all = cast(row.get("peers"));
        StringBuilder columns = new StringBuilder();
        for (PeerBench peer : peers) {
            Map<String, Object> figures = cast(all.get(peer.name()));
            String ratio = String.format("%5.2fx", figures.get("ratio"));
            if (rounds > 1) {
                ratio +=
                        String.format(
                                " (%.2f-%.2f)", figures.get("ratio_min"), figures.get("ratio_max"));
            }
            columns.append(
                    String.format(
                            "   %" + width(peer) + ".1f  %-" + ratioWidth(rounds) + "s",
                            figures.get("train_images_per_s"),
                            ratio));
        }
        return columns.toString();
    }

    private static int width(PeerBench peer) {
        return Math.max(10, peer.name().length() + " img/s".length());
    }

    private static int ratioWidth(int rounds) {
        return rounds == 1 ? 6 : 18;
    }
}
