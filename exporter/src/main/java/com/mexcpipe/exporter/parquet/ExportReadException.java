package com.mexcpipe.exporter.parquet;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An export file could not be read to the end: missing, not Parquet, truncated, or corrupt (a page checksum, a
 * decoding error, or value counts that do not add up). The message names the file and what failed.
 */
public final class ExportReadException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public ExportReadException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
    }

    public ExportReadException(Path file, String message) {
        this(file, message, null);
    }

    public Path file() {
        return file;
    }
}
