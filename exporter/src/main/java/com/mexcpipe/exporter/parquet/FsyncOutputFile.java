package com.mexcpipe.exporter.parquet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A local {@link OutputFile} whose stream buffers writes (1 MiB) and, on {@link PositionOutputStream#close()},
 * flushes, {@code fsync}s ({@link FileChannel#force(boolean) force(true)}) and closes the file. No Hadoop
 * {@code FileSystem} involved.
 */
final class FsyncOutputFile implements OutputFile {
    private static final int BUFFER = 1 << 20;

    private final Path path;
    private Stream stream;

    FsyncOutputFile(Path path) {
        this.path = path;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) throws IOException {
        return open(StandardOpenOption.CREATE_NEW);
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
        return open(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private PositionOutputStream open(StandardOpenOption... mode) throws IOException {
        if (stream != null) {
            throw new IllegalStateException("already open: " + path);
        }
        java.util.Set<StandardOpenOption> opts = java.util.EnumSet.of(StandardOpenOption.WRITE);
        opts.addAll(java.util.List.of(mode));
        stream = new Stream(FileChannel.open(path, opts));
        return stream;
    }

    @Override
    public boolean supportsBlockSize() {
        return false;
    }

    @Override
    public long defaultBlockSize() {
        return 0;
    }

    @Override
    public String getPath() {
        return path.toString();
    }

    /** Closes the file without flushing or syncing (used when the write is abandoned); idempotent. */
    void abandon() {
        if (stream != null) {
            stream.abandon();
        }
    }

    private static final class Stream extends PositionOutputStream {
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        private long pos;
        private boolean closed;

        Stream(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public long getPos() {
            return pos;
        }

        @Override
        public void write(int b) throws IOException {
            ensureOpen();
            if (!buffer.hasRemaining()) {
                drain();
            }
            buffer.put((byte) b);
            pos++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ensureOpen();
            if (len >= BUFFER) {
                drain();
                writeFully(ByteBuffer.wrap(b, off, len));
            } else {
                if (buffer.remaining() < len) {
                    drain();
                }
                buffer.put(b, off, len);
            }
            pos += len;
        }

        @Override
        public void flush() throws IOException {
            ensureOpen();
            drain();
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            try {
                drain();
                channel.force(true);
            } finally {
                closed = true;
                channel.close();
            }
        }

        void abandon() {
            if (!closed) {
                closed = true;
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // abandoning: the file is deleted next
                }
            }
        }

        private void drain() throws IOException {
            buffer.flip();
            writeFully(buffer);
            buffer.clear();
        }

        private void writeFully(ByteBuffer b) throws IOException {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }

        private void ensureOpen() throws IOException {
            if (closed) {
                throw new IOException("stream closed");
            }
        }
    }
}
