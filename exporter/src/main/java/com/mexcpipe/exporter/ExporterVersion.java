package com.mexcpipe.exporter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The project version the exporter was built from (Maven-filtered {@code version.properties}). */
public final class ExporterVersion {
    private static final String VERSION = load();

    private ExporterVersion() {
    }

    /** e.g. {@code 0.1.0}; {@code unknown} if the resource is missing (never expected in a build). */
    public static String version() {
        return VERSION;
    }

    /** The {@code mexc.producer} value written into export files: {@code mexc-pipe <version>}. */
    public static String producer() {
        return "mexc-pipe " + VERSION;
    }

    private static String load() {
        try (InputStream in = ExporterVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown").trim();
            return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
