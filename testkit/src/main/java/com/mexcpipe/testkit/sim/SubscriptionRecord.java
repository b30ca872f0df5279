package com.mexcpipe.testkit.sim;

import java.time.Instant;

/**
 * One subscribe (or unsubscribe) request as the simulator handled it. {@code refusal} is the {@code rs.error} text sent
 * back (null when accepted); {@code limit} is the depth limit in force (null for ticker/deal).
 */
public record SubscriptionRecord(String method, String symbol, Integer limit, boolean accepted, String refusal, Instant at) {
}
