package com.mexcpipe.client.bench;

import com.mexcpipe.client.codec.FrameDecoder;
import com.mexcpipe.client.codec.RowSink;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Frame → rows on a live-shaped corpus ({@link FrameCorpus}): average time per frame, and with {@code -prof gc}
 * allocation per frame. One invocation decodes one frame (cycling through the corpus). Run with
 * {@code client/bench/codec} (see BENCHMARKS.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class CodecBenchmark {
    @Param({"mixed", "depth20"})
    public String corpus;

    /**
     * Distinct frames cycled through: 2,000 (~1.3 MB of text, cache-resident like a frame just read off the socket)
     * or 20,000 (~12 MB, every frame a cache miss: a pessimistic bound).
     */
    @Param({"2000", "20000"})
    public int frames;

    private String[] corpusFrames;
    private int i;
    private final FrameDecoder decoder = new FrameDecoder();
    private Blackhole bh;
    private final RowSink sink = (ts, mt, m) -> bh.consume(m);

    @Setup
    public void setUp(Blackhole blackhole) {
        bh = blackhole;
        List<String> all = FrameCorpus.generate(corpus.equals("depth20") ? frames * 2 : frames, 42);
        if (corpus.equals("depth20")) {
            all = all.stream().filter(f -> f.contains("push.depth.full")).limit(frames).toList();
        }
        this.corpusFrames = all.toArray(String[]::new);
    }

    @Benchmark
    public Object decodeOneFrame() {
        String f = corpusFrames[i];
        i = i + 1 == corpusFrames.length ? 0 : i + 1;
        return decoder.decodeText(f, 0L, sink);
    }
}
