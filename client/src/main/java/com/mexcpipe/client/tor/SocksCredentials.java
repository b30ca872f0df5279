package com.mexcpipe.client.tor;

import java.net.Authenticator;
import java.net.PasswordAuthentication;

/**
 * SOCKS5 username/password for our tor's SocksPort, one username per connection epoch. Tor isolates streams by
 * SOCKS credentials (IsolateSOCKSAuth), so a new epoch really gets a new circuit. The JDK takes SOCKS credentials
 * only from the default {@link Authenticator}; this one answers only for our SOCKS port and defers otherwise.
 */
public final class SocksCredentials extends Authenticator {
    private final int socksPort;
    private final String prefix;
    private volatile String user;

    private SocksCredentials(int socksPort, String prefix) {
        this.socksPort = socksPort;
        this.prefix = prefix;
        this.user = prefix + "-0";
    }

    public static SocksCredentials install(int socksPort, String prefix) {
        SocksCredentials c = new SocksCredentials(socksPort, prefix);
        Authenticator.setDefault(c);
        return c;
    }

    /** Streams opened from now on use epoch {@code epoch}'s credentials. */
    public void epoch(long epoch) {
        user = prefix + "-" + epoch;
    }

    public String user() {
        return user;
    }

    @Override
    protected PasswordAuthentication getPasswordAuthentication() {
        if ("SOCKS5".equals(getRequestingProtocol()) && getRequestingPort() == socksPort) {
            return new PasswordAuthentication(user, "mexc-pipe".toCharArray());
        }
        return null;
    }
}
