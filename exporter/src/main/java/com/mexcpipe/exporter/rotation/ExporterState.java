package com.mexcpipe.exporter.rotation;

import com.mexcpipe.common.control.ControlFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What the exporter must remember across restarts, per symbol, in {@code control/.exporter/<base>.json}: the last
 * rotation (the next period's start) and the rotation whose {@code _previous} table is not exported yet.
 */
public final class ExporterState {
    /** The rotation that produced (or is producing) {@code _previous}. */
    public record Pending(String id, Status status, Instant periodStart, Instant renamedAt,
            Map<String, Long> clientCounts, Boolean countsComplete, String file) {
        public Pending withStatus(Status s, Instant renamed) {
            return new Pending(id, s, periodStart, renamed, clientCounts, countsComplete, file);
        }

        public Pending withFile(String f) {
            return new Pending(id, status, periodStart, renamedAt, clientCounts, countsComplete, f);
        }
    }

    public enum Status { RENAMING, RENAMED }

    public record SymbolState(String lastRotationId, Instant lastRotatedAt, Pending pending) {
        static final SymbolState EMPTY = new SymbolState(null, null, null);
    }

    private final ControlFolder folder;
    private final String name;

    public ExporterState(Path controlRoot, String base) {
        this.folder = new ControlFolder(controlRoot.resolve(".exporter"));
        this.name = base + ".json";
    }

    public SymbolState load() {
        return folder.read(name, SymbolState.class).orElse(SymbolState.EMPTY);
    }

    public void save(SymbolState s) throws IOException {
        folder.write(name, s);
    }

    public Optional<Pending> pending() {
        return Optional.ofNullable(load().pending());
    }

    public void savePending(Pending p) throws IOException {
        SymbolState s = load();
        save(new SymbolState(s.lastRotationId(), s.lastRotatedAt(), p));
    }

    /** The rotation finished renaming: remember it as the start of the next period. */
    public void rotated(Pending p) throws IOException {
        save(new SymbolState(p.id(), p.renamedAt(), p));
    }

    public void clearPending() throws IOException {
        SymbolState s = load();
        save(new SymbolState(s.lastRotationId(), s.lastRotatedAt(), null));
    }
}
