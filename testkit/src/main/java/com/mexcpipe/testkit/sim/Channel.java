package com.mexcpipe.testkit.sim;

/** The three public channels the simulator pushes, with MEXC's request method and push channel names. */
public enum Channel {
    TICKER("sub.ticker", "push.ticker", 1.0),
    DEAL("sub.deal", "push.deal", 5.0),
    DEPTH("sub.depth.full", "push.depth.full", 5.0);

    private final String subMethod;
    private final String pushChannel;
    private final double defaultRate;

    Channel(String subMethod, String pushChannel, double defaultRate) {
        this.subMethod = subMethod;
        this.pushChannel = pushChannel;
        this.defaultRate = defaultRate;
    }

    /** {@code sub.ticker}, {@code sub.deal}, {@code sub.depth.full}. */
    public String subMethod() {
        return subMethod;
    }

    /** {@code push.ticker}, {@code push.deal}, {@code push.depth.full}. */
    public String pushChannel() {
        return pushChannel;
    }

    /** Default frames per second per symbol (roughly the live rates). */
    public double defaultRate() {
        return defaultRate;
    }

    /** The channel for a subscribe method, or null. */
    public static Channel forSubMethod(String method) {
        for (Channel c : values()) {
            if (c.subMethod.equals(method)) {
                return c;
            }
        }
        return null;
    }

    /** The channel for an unsubscribe method ({@code unsub.*}, and MEXC's documented {@code usub.depth.full}), or null. */
    public static Channel forUnsubMethod(String method) {
        if (method == null) {
            return null;
        }
        if (method.startsWith("unsub.")) {
            return forSubMethod("sub." + method.substring(6));
        }
        if (method.startsWith("usub.")) {
            return forSubMethod("sub." + method.substring(5));
        }
        return null;
    }
}
