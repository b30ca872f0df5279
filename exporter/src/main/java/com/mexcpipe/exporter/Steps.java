package com.mexcpipe.exporter;

/**
 * Named points in the rotation and export where tests inject a crash (throwing from {@link #reached}) and then
 * restart the exporter on the same files and tables. In production it does nothing.
 */
@FunctionalInterface
public interface Steps {
    /** rotate-written, paused-seen, renamed, created, rotated-written, resumed-seen, export-written,
     *  export-verified, export-renamed, export-logged, export-dropped. */
    String[] ALL = {"rotate-written", "paused-seen", "renamed", "created", "rotated-written", "resumed-seen",
        "export-written", "export-verified", "export-renamed", "export-logged", "export-dropped"};

    void reached(String step) throws Exception;

    Steps NONE = step -> { };
}
