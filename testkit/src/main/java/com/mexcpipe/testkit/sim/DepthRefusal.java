package com.mexcpipe.testkit.sim;

import java.time.Instant;

/**
 * A {@code sub.depth.full} refused by the one-depth-per-IP rule: connection {@code connectionId} from {@code ip} asked
 * for {@code symbol} while connection {@code holderConnectionId} from the same IP held a live depth subscription.
 */
public record DepthRefusal(String ip, long connectionId, String symbol, long holderConnectionId, Instant at) {
}
