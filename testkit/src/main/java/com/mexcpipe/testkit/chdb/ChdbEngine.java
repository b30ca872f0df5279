package com.mexcpipe.testkit.chdb;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One libchdb engine (one storage path, one connection) inside this JVM.
 *
 * <p>Every engine call runs under one lock: the connection is shared, and chDB's C API does not run statements of one
 * connection in parallel. {@link #exclusive} lets a caller hold that lock across several calls (USE, SET, the query,
 * the resets) so that no other request sees its settings. After every call the JVM's signal handlers are put back
 * ({@link SignalGuard}).
 *
 * <p>Load it in a JVM of its own ({@link ChdbProcess}): a process holds one engine with one storage path for its
 * lifetime, and the library is 560 MB of native code with its own threads.
 */
public final class ChdbEngine implements AutoCloseable {
    /**
     * What one statement returned: {@code error} is null on success. {@code resultRows}/{@code resultBytes} describe
     * the result, {@code rowsRead}/{@code bytesRead} what was read from storage.
     */
    public record Result(byte[] data, String error, long resultRows, long resultBytes, long rowsRead, long bytesRead,
            long rowsWritten, long bytesWritten, double elapsedSeconds) {
        static Result failure(String error) {
            return new Result(new byte[0], error, 0, 0, 0, 0, 0, 0, 0);
        }

        public boolean ok() {
            return error == null;
        }

        /** The result as UTF-8 text (for small internal queries). */
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final LibChdb lib;
    private final SignalGuard guard;
    private final Path library;
    private final List<String> takenSignals;
    private Pointer connectionPointer;
    private Pointer connection;

    private ChdbEngine(LibChdb lib, SignalGuard guard, Path library, Pointer connectionPointer, List<String> takenSignals) {
        this.lib = lib;
        this.guard = guard;
        this.library = library;
        this.connectionPointer = connectionPointer;
        this.connection = connectionPointer.getPointer(0);
        this.takenSignals = takenSignals;
    }

    /**
     * Loads {@code library} and connects with storage at {@code path} ({@code clickhouse --path=<path>}).
     *
     * @throws IllegalStateException if the library cannot be loaded or the engine does not start
     */
    public static ChdbEngine open(Path library, Path path) {
        if (!Files.isRegularFile(library)) {
            throw new IllegalStateException("libchdb not found at " + library);
        }
        SignalGuard guard = SignalGuard.capture();
        LibChdb lib;
        try {
            lib = Native.load(library.toAbsolutePath().toString(), LibChdb.class,
                    Map.of(Library.OPTION_STRING_ENCODING, "UTF-8"));
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("cannot load " + library + ": " + e.getMessage(), e);
        } finally {
            guard.restore();
        }
        Pointer handle;
        List<String> taken;
        try {
            handle = lib.chdb_connect(2, new String[] {"clickhouse", "--path=" + path.toAbsolutePath()});
        } finally {
            taken = guard.changed();
            guard.restore();
        }
        if (handle == null || handle.getPointer(0) == null) {
            throw new IllegalStateException("chdb_connect failed for --path=" + path);
        }
        return new ChdbEngine(lib, guard, library, handle, List.copyOf(taken));
    }

    /** The signals whose handlers {@code chdb_connect} had replaced (and that were put back), for the log. */
    public List<String> takenSignals() {
        return takenSignals;
    }

    public Path library() {
        return library;
    }

    /** Runs {@code work} while holding the engine lock, so that a sequence of calls is not interleaved. */
    public <T> T exclusive(Callable<T> work) throws Exception {
        lock.lock();
        try {
            return work.call();
        } finally {
            lock.unlock();
        }
    }

    /** Runs one statement; {@code format} is the output format used when the statement has no FORMAT clause. */
    public Result query(String sql, String format) {
        return query(sql.getBytes(StandardCharsets.UTF_8), format, Map.of());
    }

    /**
     * Runs one statement with query parameters ({@code {name:Type}} placeholders; values are TSV-escaped text, as a
     * server parses {@code param_<name>}).
     */
    public Result query(byte[] sql, String format, Map<String, String> params) {
        byte[] fmt = format.getBytes(StandardCharsets.UTF_8);
        lock.lock();
        try {
            if (connection == null) {
                return Result.failure("Code: 1001. DB::Exception: the chDB engine is closed. (STD_EXCEPTION)");
            }
            Pointer result;
            try {
                if (params.isEmpty()) {
                    result = lib.chdb_query_n(connection, sql, sql.length, fmt, fmt.length);
                } else {
                    int n = params.size();
                    Pointer[] names = new Pointer[n];
                    Pointer[] values = new Pointer[n];
                    long[] nameLens = new long[n];
                    long[] valueLens = new long[n];
                    int i = 0;
                    for (Map.Entry<String, String> e : params.entrySet()) {
                        byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
                        byte[] value = e.getValue().getBytes(StandardCharsets.UTF_8);
                        names[i] = copy(name);
                        nameLens[i] = name.length;
                        values[i] = copy(value);
                        valueLens[i] = value.length;
                        i++;
                    }
                    result = lib.chdb_query_with_params_n(connection, sql, sql.length, fmt, fmt.length,
                            names, nameLens, values, valueLens, n);
                }
            } finally {
                guard.restore();
            }
            return collect(result);
        } finally {
            lock.unlock();
        }
    }

    private Result collect(Pointer result) {
        if (result == null) {
            return Result.failure("Code: 1001. DB::Exception: chDB returned no result. (STD_EXCEPTION)");
        }
        try {
            Pointer error = lib.chdb_result_error(result);
            if (error != null) {
                return Result.failure(error.getString(0, "UTF-8"));
            }
            long length = lib.chdb_result_length(result);
            Pointer buffer = lib.chdb_result_buffer(result);
            byte[] data = length == 0 || buffer == null ? new byte[0] : buffer.getByteArray(0, Math.toIntExact(length));
            return new Result(data, null, lib.chdb_result_rows_read(result), lib.chdb_result_bytes_read(result),
                    lib.chdb_result_storage_rows_read(result), lib.chdb_result_storage_bytes_read(result),
                    lib.chdb_result_rows_written(result), lib.chdb_result_bytes_written(result),
                    lib.chdb_result_elapsed(result));
        } finally {
            lib.chdb_destroy_query_result(result);
            guard.restore();
        }
    }

    private static Pointer copy(byte[] bytes) {
        Memory m = new Memory(Math.max(1, bytes.length));
        m.write(0, bytes, 0, bytes.length);
        return m;
    }

    /** Closes the connection, which shuts the engine down (waits for a running statement). Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (connectionPointer != null) {
                try {
                    lib.chdb_close_conn(connectionPointer);
                } finally {
                    connectionPointer = null;
                    connection = null;
                    guard.restore();
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
