package com.mexcpipe.client.store;

import java.time.Duration;

/**
 * @param flushInterval  a partial batch is sent when its oldest row has waited this long
 * @param batchMaxRows   a batch is sent as soon as it has this many rows
 * @param memoryMaxBytes past this (estimated) size, buffered rows spill to the spool
 * @param spoolMaxBytes  past this size the spool stops growing and {@code add} blocks (loudly)
 * @param retryMin       first retry delay after a failed insert (then doubling, full jitter)
 * @param retryMax       cap of the retry delay for retryable failures
 * @param fatalRetry     delay between attempts after a fatal failure (needs an operator; still retried)
 */
public record BatcherConfig(Duration flushInterval, int batchMaxRows, long memoryMaxBytes, long spoolMaxBytes,
        Duration retryMin, Duration retryMax, Duration fatalRetry) {
}
