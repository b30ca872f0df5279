package com.mexcpipe.client.rotation;

import com.mexcpipe.client.store.RowCounts;
import java.time.Duration;
import java.util.Optional;

/** What the rotation needs from the batcher: stop and resume inserts. */
public interface InsertGate {
    /** Stops inserts and waits for the one in flight; empty if it did not return within {@code maxWait}. */
    Optional<RowCounts> pause(Duration maxWait);

    /** Inserts again; {@code rotated} starts a new count period. */
    void resume(boolean rotated);
}
