package com.mexcpipe.common.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mexcpipe.common.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One symbol's control folder, {@code control/<base>/}: atomic writes, tolerant reads. */
public final class ControlFolder {
    private static final Logger log = LoggerFactory.getLogger(ControlFolder.class);
    static final ObjectMapper MAPPER = com.mexcpipe.common.Json.MAPPER;

    private final Path dir;

    public ControlFolder(Path dir) {
        this.dir = dir;
    }

    /** {@code root/<base>} */
    public static ControlFolder of(Path root, String base) {
        return new ControlFolder(root.resolve(base));
    }

    public Path dir() {
        return dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    public void write(String name, Object value) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve(name), MAPPER.writeValueAsBytes(value));
    }

    /** The parsed file, or empty if absent; an unparseable file is logged and treated as absent. */
    public <T> Optional<T> read(String name, Class<T> type) {
        Path f = dir.resolve(name);
        try {
            return Optional.of(MAPPER.readValue(Files.readAllBytes(f), type));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            log.warn("ignoring unreadable control file {}: {}", f, e.toString());
            return Optional.empty();
        }
    }

    public boolean exists(String name) {
        return Files.exists(dir.resolve(name));
    }

    public void delete(String name) throws IOException {
        Files.deleteIfExists(dir.resolve(name));
    }

    /** Removes the four flag files (not heartbeat or exit); in reverse protocol order so a reader never sees a
     *  later step without its earlier ones. */
    public void clearFlags() throws IOException {
        for (String f : List.of(Flags.RESUMED, Flags.ROTATED, Flags.PAUSED, Flags.ROTATE)) {
            Files.deleteIfExists(dir.resolve(f));
        }
        AtomicFiles.fsyncDirectory(dir);
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
