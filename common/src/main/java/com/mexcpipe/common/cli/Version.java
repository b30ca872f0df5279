package com.mexcpipe.common.cli;

import picocli.CommandLine;

/** {@code --version} of every command line: {@code mexc-pipe <command> <version from the jar's manifest>}. */
public final class Version implements CommandLine.IVersionProvider {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public String[] getVersion() {
        String v = spec.userObject().getClass().getPackage().getImplementationVersion();
        return new String[] {"mexc-pipe " + spec.name().replace(".jar", "") + " " + (v == null ? "dev" : v)};
    }
}
