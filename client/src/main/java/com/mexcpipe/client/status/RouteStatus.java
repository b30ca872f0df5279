package com.mexcpipe.client.status;

import java.util.List;

/** What the route (Tor) contributes to status, metrics and health. */
public interface RouteStatus {
    /** JSON-serialisable view of tor, or null without tor. */
    Object torView();

    /** JSON-serialisable view of the published exit, or null. */
    Object exitView();

    /** 0..100, or -1 without tor. */
    double bootstrapPercent();

    boolean ready();

    /** Reasons the route is unhealthy (empty when fine). */
    List<String> problems();

    RouteStatus DIRECT = new RouteStatus() {
        @Override
        public Object torView() {
            return java.util.Map.of("enabled", false, "warning", "TOR_ENABLED=false: connecting directly");
        }

        @Override
        public Object exitView() {
            return null;
        }

        @Override
        public double bootstrapPercent() {
            return -1;
        }

        @Override
        public boolean ready() {
            return true;
        }

        @Override
        public List<String> problems() {
            return List.of();
        }
    };
}
