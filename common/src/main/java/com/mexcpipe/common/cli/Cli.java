package com.mexcpipe.common.cli;

import com.mexcpipe.common.ConfigException;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Runs a picocli command tree and maps every exception to an exit code in one place. */
public final class Cli {
    private Cli() {
    }

    /** Parses {@code args}, runs the selected command and returns its exit code; never throws. */
    public static int execute(Object rootCommand, String... args) {
        CommandLine cl = new CommandLine(rootCommand);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler(Cli::handleExecutionException);
        cl.setParameterExceptionHandler(Cli::handleParameterException);
        return cl.execute(args);
    }

    /** {@link #execute} then {@link System#exit} with its result. */
    public static void main(Object rootCommand, String... args) {
        System.exit(execute(rootCommand, args));
    }

    private static int handleParameterException(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("error: " + e.getMessage());
        e.getCommandLine().usage(err);
        err.flush();
        return ExitCodes.USAGE;
    }

    private static int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        int code;
        if (e instanceof ConfigException) {
            err.println("configuration error: " + e.getMessage());
            code = ExitCodes.USAGE;
        } else if (e instanceof UnavailableException) {
            err.println("unavailable: " + e.getMessage());
            code = ExitCodes.UNAVAILABLE;
        } else {
            err.println("internal error: " + e);
            e.printStackTrace(err);
            code = ExitCodes.INTERNAL;
        }
        err.flush();
        return code;
    }
}
