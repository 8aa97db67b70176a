package io.parley.infra;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One scrape of a service's {@code /q/metrics} (the Prometheus text format), as Prometheus reads it: every sample by
 * its series, the metric name with its labels as written ({@code parley_ws_sends_total{outcome="ack"}}). For tests
 * and the local stack's checks; comments ({@code # HELP}, {@code # TYPE}) are skipped.
 */
public final class MetricsScrape {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Map<String, Double> samples;
    private final String text;

    private MetricsScrape(String text) {
        this.text = text;
        this.samples = parse(text);
    }

    /**
     * Reads {@code url} (a management interface's {@code /q/metrics}).
     *
     * @throws IllegalStateException when it does not answer 200
     */
    public static MetricsScrape of(URI url) throws IOException, InterruptedException {
        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + answer.statusCode());
        }
        return new MetricsScrape(answer.body());
    }

    /** A scrape of text already read. */
    public static MetricsScrape ofText(String text) {
        return new MetricsScrape(text);
    }

    /**
     * The sample of {@code series}: a metric name alone, or with its labels in the order the registry writes them
     * (alphabetical), e.g. {@code parley_ws_closes_total{code="1000"}}; 0 when absent, as Prometheus' {@code rate}
     * treats a series that does not exist yet.
     */
    public double value(String series) {
        return samples.getOrDefault(series, 0.0);
    }

    /** Whether {@code series} is in the scrape. */
    public boolean has(String series) {
        return samples.containsKey(series);
    }

    /** The sum of every series of metric {@code name}, whatever its labels. */
    public double sum(String name) {
        return samples.entrySet().stream()
                .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .mapToDouble(Map.Entry::getValue)
                .sum();
    }

    /** The names of the metrics in the scrape (without labels), sorted. */
    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        for (String series : samples.keySet()) {
            int brace = series.indexOf('{');
            names.add(brace < 0 ? series : series.substring(0, brace));
        }
        return names;
    }

    /** The scrape as read. */
    public String text() {
        return text;
    }

    private static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            // name{labels} value [timestamp] [# {exemplar labels} value [timestamp]] (OpenMetrics 1.0): the series
            // ends at the brace that closes its labels (label values are quoted and may hold spaces, braces and
            // escaped quotes), and an exemplar after the sample is not part of it
            int split = seriesEnd(line);
            if (split < 0 || split >= line.length()) {
                continue;
            }
            String series = line.substring(0, split);
            String[] rest = line.substring(split).trim().split(" ");
            try {
                samples.put(series, Double.parseDouble(rest[0]));
            } catch (NumberFormatException e) {
                // NaN and Inf parse; anything else is not a sample
            }
        }
        return samples;
    }

    /** Where the series (name and labels) of a sample line ends; -1 when the labels are not closed. */
    static int seriesEnd(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        if (i == line.length() || line.charAt(i) == ' ') {
            return i;
        }
        boolean quoted = false;
        for (i++; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '\\') {
                i++; // the escaped character
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '}') {
                return i + 1;
            }
        }
        return -1;
    }
}
