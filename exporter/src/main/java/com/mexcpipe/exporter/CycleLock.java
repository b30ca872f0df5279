package com.mexcpipe.exporter;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * One export cycle at a time across processes: the service and a {@code docker exec … --once} share the control
 * volume, so they take an exclusive lock on {@code control/.exporter/cycle.lock} around each cycle.
 */
public final class CycleLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private CycleLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Waits up to {@code max} for the lock; empty if another cycle still holds it. */
    public static java.util.Optional<CycleLock> acquire(Path controlDir, Duration max) throws IOException,
            InterruptedException {
        Path f = controlDir.resolve(".exporter").resolve("cycle.lock");
        Files.createDirectories(f.getParent());
        FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            try {
                FileLock l = ch.tryLock();
                if (l != null) {
                    return java.util.Optional.of(new CycleLock(ch, l));
                }
            } catch (OverlappingFileLockException e) {
                // held by this JVM
            }
            if (System.nanoTime() >= deadline) {
                ch.close();
                return java.util.Optional.empty();
            }
            Thread.sleep(200);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
