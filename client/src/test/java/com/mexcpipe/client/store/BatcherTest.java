package com.mexcpipe.client.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mexcpipe.common.Row;
import com.mexcpipe.common.RowType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class BatcherTest {
    @TempDir
    Path dir;

    static BatcherConfig cfg(int batch, long memBytes) {
        return new BatcherConfig(Duration.ofMillis(20), batch, memBytes, 1L << 30, Duration.ofMillis(5),
                Duration.ofMillis(40), Duration.ofMillis(100));
    }

    static final RowType[] TYPES = RowType.values();

    static List<Row> rows(int from, int n) {
        List<Row> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add(new Row(1_759_321_623_000L + i, TYPES[i % 4], "row-" + i + (i % 7 == 0 ? "\ttab\nnl ü" : "")));
        }
        return out;
    }

    static void addAll(Batcher b, List<Row> rows) {
        rows.forEach(r -> b.add(r.ts(), r.mt(), r.m()));
    }

    @Test
    void rowsArriveOnceInOrderAndAreCountedByType() throws Exception {
        ScriptedStore store = new ScriptedStore();
        Batcher b = new Batcher(store, new Spool(dir), cfg(100, 1 << 20)).start();
        List<Row> sent = rows(0, 1000);
        addAll(b, sent);
        await().atMost(10, TimeUnit.SECONDS).until(() -> store.stored().size() == 1000);
        assertThat(store.stored()).containsExactlyElementsOf(sent);
        assertThat(b.stats().acked()).isEqualTo(new RowCounts(250, 250, 250, 250));
        assertThat(store.maxConcurrent).as("one insert in flight at a time").isEqualTo(1);
        assertThat(b.close(Duration.ofSeconds(5))).isZero();
    }

    @Test
    void failedInsertsAreRetriedWithTheSameRowsUntilAcknowledged() throws Exception {
        ScriptedStore store = new ScriptedStore();
        store.failNext.set(5);
        Batcher b = new Batcher(store, new Spool(dir), cfg(50, 1 << 20)).start();
        List<Row> sent = rows(0, 300);
        addAll(b, sent);
        await().atMost(10, TimeUnit.SECONDS).until(() -> store.stored().size() == 300);
        assertThat(store.stored()).containsExactlyElementsOf(sent);
        assertThat(b.stats().insertFailures()).isEqualTo(5);
        assertThat(b.stats().consecutiveFailures()).isZero();
        b.close(Duration.ofSeconds(5));
    }

    @Test
    void overTheMemoryBoundRowsSpillAndReplayOldestFirstWhenTheStoreReturns() throws Exception {
        ScriptedStore store = new ScriptedStore();
        store.down.set(true);
        Batcher b = new Batcher(store, new Spool(dir), cfg(100, 20_000)).start();
        List<Row> sent = rows(0, 2000);
        addAll(b, sent);
        Batcher.Stats s = b.stats();
        assertThat(s.spooledRows()).as("spilled to disk").isGreaterThan(1000);
        assertThat(s.spooledRows() + s.bufferedRows()).isEqualTo(2000);
        assertThat(s.lastError()).contains("Connection refused");
        store.down.set(false);
        await().atMost(20, TimeUnit.SECONDS).until(() -> store.stored().size() == 2000);
        assertThat(store.stored()).containsExactlyElementsOf(sent);
        assertThat(b.stats().spooledRows()).isZero();
        b.close(Duration.ofSeconds(5));
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).as("drained segments are deleted").isEmpty();
        }
    }

    @Test
    void shutdownWhileTheStoreIsDownSpoolsEverythingAndTheNextRunSendsItFirst() throws Exception {
        ScriptedStore store = new ScriptedStore();
        store.down.set(true);
        Batcher first = new Batcher(store, new Spool(dir), cfg(100, 1 << 20)).start();
        List<Row> before = rows(0, 777);
        addAll(first, before);
        await().atMost(5, TimeUnit.SECONDS).until(() -> store.attempts.get() > 0); // one batch is in flight/failed
        assertThat(first.close(Duration.ofMillis(300))).isEqualTo(777);

        store.down.set(false);
        Batcher second = new Batcher(store, new Spool(dir), cfg(100, 1 << 20));
        List<Row> after = rows(777, 50);
        addAll(second, after); // new rows arrive before the flusher starts: still sent after the spooled ones
        second.start();
        await().atMost(10, TimeUnit.SECONDS).until(() -> store.stored().size() == 827);
        List<Row> all = new ArrayList<>(before);
        all.addAll(after);
        assertThat(store.stored()).containsExactlyElementsOf(all);
        second.close(Duration.ofSeconds(5));
    }

    @Test
    void aRestartInTheMiddleOfASegmentNeitherLosesNorRepeatsRows() throws Exception {
        Spool spool = new Spool(dir);
        List<Row> sent = rows(0, 250);
        spool.append(0, sent);
        assertThat(spool.peek(100)).containsExactlyElementsOf(sent.subList(0, 100));
        spool.ack(100);
        spool.close();

        Spool reopened = new Spool(dir);
        assertThat(reopened.rows()).isEqualTo(150);
        assertThat(reopened.headSeq()).isEqualTo(100);
        assertThat(reopened.nextSeq()).isEqualTo(250);
        assertThat(reopened.peek(1000)).containsExactlyElementsOf(sent.subList(100, 250));
        reopened.ack(150);
        assertThat(reopened.isEmpty()).isTrue();
    }

    @Test
    void aDamagedSegmentIsMovedAsideNotDeletedAndTheRestDrains() throws Exception {
        Spool spool = new Spool(dir);
        Spool.Segment bad = spool.append(0, rows(0, 10));
        spool.append(10, rows(10, 10));
        spool.close();
        byte[] bytes = Files.readAllBytes(bad.file());
        bytes[20] ^= 0x55;
        Files.write(bad.file(), bytes);

        ScriptedStore store = new ScriptedStore();
        Batcher b = new Batcher(store, new Spool(dir), cfg(100, 1 << 20)).start();
        await().atMost(10, TimeUnit.SECONDS).until(() -> store.stored().size() == 10);
        assertThat(store.stored()).containsExactlyElementsOf(rows(10, 10));
        assertThat(bad.file().resolveSibling(bad.file().getFileName() + ".damaged")).exists();
        b.close(Duration.ofSeconds(5));
    }

    @Test
    void pauseWaitsForTheInsertInFlightThenSendsNothingUntilResumed() throws Exception {
        ScriptedStore store = new ScriptedStore();
        store.holdInsert = new CountDownLatch(1);
        store.insertStarted = new CountDownLatch(1);
        Batcher b = new Batcher(store, new Spool(dir), cfg(10, 1 << 20)).start();
        addAll(b, rows(0, 10));
        assertThat(store.insertStarted.await(5, TimeUnit.SECONDS)).isTrue();

        var pausing = new java.util.concurrent.CompletableFuture<Optional<RowCounts>>();
        Thread t = new Thread(() -> pausing.complete(b.pause(Duration.ofSeconds(10))));
        t.start();
        Thread.sleep(200);
        assertThat(pausing).as("pause must wait for the insert in flight").isNotDone();
        store.holdInsert.countDown();
        assertThat(pausing.get(5, TimeUnit.SECONDS)).contains(new RowCounts(3, 3, 2, 2));

        int attempts = store.attempts.get();
        addAll(b, rows(10, 50));
        Thread.sleep(300);
        assertThat(store.attempts.get()).as("no insert while paused").isEqualTo(attempts);
        assertThat(b.stats().bufferedRows()).isEqualTo(50);

        b.resume(true);
        await().atMost(5, TimeUnit.SECONDS).until(() -> store.stored().size() == 60);
        assertThat(b.stats().ackedThisPeriod().total()).as("a rotation starts a new count").isEqualTo(50);
        assertThat(b.stats().acked().total()).isEqualTo(60);
        b.close(Duration.ofSeconds(5));
    }

    @Test
    void resumeWithoutRotationKeepsCounting() throws Exception {
        ScriptedStore store = new ScriptedStore();
        Batcher b = new Batcher(store, new Spool(dir), cfg(10, 1 << 20)).start();
        addAll(b, rows(0, 20));
        await().atMost(5, TimeUnit.SECONDS).until(() -> store.stored().size() == 20);
        assertThat(b.pause(Duration.ofSeconds(1))).map(RowCounts::total).contains(20L);
        b.resume(false);
        addAll(b, rows(20, 4));
        await().atMost(5, TimeUnit.SECONDS).until(() -> store.stored().size() == 24);
        assertThat(b.stats().ackedThisPeriod().total()).isEqualTo(24);
        b.close(Duration.ofSeconds(5));
    }

    @Test
    void pauseGivesUpWhenTheInsertInFlightDoesNotReturn() throws Exception {
        ScriptedStore store = new ScriptedStore();
        store.holdInsert = new CountDownLatch(1);
        store.insertStarted = new CountDownLatch(1);
        Batcher b = new Batcher(store, new Spool(dir), cfg(10, 1 << 20)).start();
        addAll(b, rows(0, 10));
        assertThat(store.insertStarted.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(b.pause(Duration.ofMillis(200))).isEmpty();
        assertThat(b.paused()).as("a pause that could not be confirmed is withdrawn").isFalse();
        store.holdInsert.countDown();
        await().atMost(5, TimeUnit.SECONDS).until(() -> store.stored().size() == 10);
        b.close(Duration.ofSeconds(5));
    }

    @Test
    void shutdownWhilePausedInsertsNothingAndSpoolsEverything() throws Exception {
        ScriptedStore store = new ScriptedStore();
        Batcher b = new Batcher(store, new Spool(dir), cfg(10, 1 << 20)).start();
        assertThat(b.pause(Duration.ofSeconds(1))).isPresent();
        addAll(b, rows(0, 35));
        assertThat(b.close(Duration.ofSeconds(5))).isEqualTo(35);
        assertThat(store.attempts.get()).isZero();
        Spool s = new Spool(dir);
        assertThat(s.peek(100)).containsExactlyElementsOf(rows(0, 35));
    }

    @Test
    void aRowArrivingAfterShutdownIsSpooledNotDropped() throws Exception {
        ScriptedStore store = new ScriptedStore();
        Batcher b = new Batcher(store, new Spool(dir), cfg(10, 1 << 20)).start();
        addAll(b, rows(0, 5));
        await().atMost(5, TimeUnit.SECONDS).until(() -> store.stored().size() == 5);
        b.close(Duration.ofSeconds(2));
        b.add(1_759_321_623_999L, RowType.DEAL, "late|1|1");
        assertThat(new Spool(dir).peek(10)).containsExactly(new Row(1_759_321_623_999L, RowType.DEAL, "late|1|1"));
    }

    @Test
    void whenMemoryAndSpoolAreFullAddBlocksUntilRowsAreStored() throws Exception {
        ScriptedStore store = new ScriptedStore();
        store.down.set(true);
        BatcherConfig tiny = new BatcherConfig(Duration.ofMillis(20), 50, 5_000, 30_000, Duration.ofMillis(5),
                Duration.ofMillis(20), Duration.ofMillis(50));
        Batcher b = new Batcher(store, new Spool(dir), tiny).start();
        List<Row> sent = rows(0, 2000);
        Thread producer = new Thread(() -> addAll(b, sent));
        producer.start();
        await().atMost(10, TimeUnit.SECONDS).until(() -> b.stats().blocked());
        assertThat(producer.isAlive()).as("producer held, not dropping").isTrue();
        store.down.set(false);
        producer.join(20_000);
        assertThat(producer.isAlive()).isFalse();
        await().atMost(20, TimeUnit.SECONDS).until(() -> store.stored().size() == 2000);
        assertThat(store.stored()).containsExactlyElementsOf(sent);
        b.close(Duration.ofSeconds(5));
    }
}
