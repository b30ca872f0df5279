package com.mexcpipe.client.status;

import com.mexcpipe.client.codec.FrameKind;
import com.mexcpipe.client.store.Batcher;
import com.mexcpipe.client.transport.SessionStats;
import com.mexcpipe.common.RowType;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.function.Supplier;

/** Prometheus metrics read from the live components at scrape time (one source of truth, nothing to keep in sync). */
public final class ClientMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public ClientMetrics(String symbol, Supplier<Batcher.Stats> batcher, Supplier<SessionStats> session,
            Supplier<Double> torBootstrap, Supplier<Boolean> torReady) {
        CounterWithCallback.builder().name("mexc_rows_decoded").help("rows decoded from exchange frames")
                .labelNames("symbol", "mt").callback(cb -> {
                    Batcher.Stats s = batcher.get();
                    for (RowType t : RowType.values()) {
                        cb.call(s.added().get(t), symbol, t.label());
                    }
                }).register(registry);
        CounterWithCallback.builder().name("mexc_rows_stored").help("rows acknowledged by ClickHouse")
                .labelNames("symbol", "mt").callback(cb -> {
                    Batcher.Stats s = batcher.get();
                    for (RowType t : RowType.values()) {
                        cb.call(s.acked().get(t), symbol, t.label());
                    }
                }).register(registry);
        CounterWithCallback.builder().name("mexc_frames").help("frames received by kind")
                .labelNames("symbol", "kind").callback(cb -> {
                    SessionStats s = session.get();
                    for (FrameKind k : FrameKind.values()) {
                        cb.call(s.frames(k), symbol, k.name().toLowerCase(Locale.ROOT));
                    }
                }).register(registry);
        CounterWithCallback.builder().name("mexc_reconnects").help("reconnects to the exchange")
                .labelNames("symbol").callback(cb -> cb.call(session.get().reconnects(), symbol)).register(registry);
        CounterWithCallback.builder().name("mexc_new_circuits").help("new Tor circuits requested")
                .labelNames("symbol").callback(cb -> cb.call(session.get().newCircuits(), symbol)).register(registry);
        CounterWithCallback.builder().name("mexc_insert_failures").help("failed ClickHouse inserts (retried)")
                .labelNames("symbol").callback(cb -> cb.call(batcher.get().insertFailures(), symbol))
                .register(registry);
        GaugeWithCallback.builder().name("mexc_buffered_rows").help("rows held in memory, not yet stored")
                .labelNames("symbol").callback(cb -> cb.call(batcher.get().bufferedRows(), symbol)).register(registry);
        GaugeWithCallback.builder().name("mexc_spooled_rows").help("rows in the local spool, not yet stored")
                .labelNames("symbol").callback(cb -> cb.call(batcher.get().spooledRows(), symbol)).register(registry);
        GaugeWithCallback.builder().name("mexc_last_insert_seconds").help("duration of the last insert")
                .labelNames("symbol").callback(cb -> cb.call(batcher.get().lastInsertMillis() / 1000.0, symbol))
                .register(registry);
        GaugeWithCallback.builder().name("mexc_last_frame_age_seconds").help("time since the last exchange frame")
                .labelNames("symbol").callback(cb -> {
                    long at = session.get().lastFrameAt();
                    cb.call(at == 0 ? -1 : (System.currentTimeMillis() - at) / 1000.0, symbol);
                }).register(registry);
        GaugeWithCallback.builder().name("mexc_paused").help("1 while inserts are paused for a rotation")
                .labelNames("symbol").callback(cb -> cb.call(batcher.get().paused() ? 1 : 0, symbol))
                .register(registry);
        GaugeWithCallback.builder().name("mexc_tor_bootstrap_percent").help("tor bootstrap progress (-1 = no tor)")
                .labelNames("symbol").callback(cb -> cb.call(torBootstrap.get(), symbol)).register(registry);
        GaugeWithCallback.builder().name("mexc_tor_ready").help("1 when tor can carry the exchange connection")
                .labelNames("symbol").callback(cb -> cb.call(torReady.get() ? 1 : 0, symbol)).register(registry);
    }

    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public String contentType() {
        return writer.getContentType();
    }
}
