package com.mexcpipe.common.cli;

import java.util.concurrent.Callable;

/**
 * One CLI subcommand: a small class with {@code int run()}. Exceptions it throws become exit codes in one
 * place, {@link Cli#execute}.
 */
public abstract class Command implements Callable<Integer> {
    @Override
    public final Integer call() throws Exception {
        return run();
    }

    protected abstract int run() throws Exception;
}
