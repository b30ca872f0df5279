package com.mexcpipe.testkit.sim;

/** Frame-shape knobs the market model reads (fixed at build time). */
record SimOptions(boolean exponentNumbers, boolean whitespaceVariation, double dealObjectProbability,
        double emptyDepthSideProbability) {
}
