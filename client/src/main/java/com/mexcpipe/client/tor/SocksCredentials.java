package com.mexcpipe.client.tor;

import java.net.Authenticator;
import java.net.PasswordAuthentication;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SOCKS5 username/password for our tor's SocksPort, one username per connection epoch. Tor isolates streams by
 * SOCKS credentials (IsolateSOCKSAuth), so a new epoch really gets a new circuit. The JDK takes SOCKS credentials
 * only from the default {@link Authenticator}; ours answers by SOCKS port (several clients may share a JVM in tests)
 * and nothing else.
 */
public final class SocksCredentials {
    private static final Map<Integer, SocksCredentials> BY_PORT = new ConcurrentHashMap<>();

    static {
        Authenticator.setDefault(new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                if (!"SOCKS5".equals(getRequestingProtocol())) {
                    return null;
                }
                SocksCredentials c = BY_PORT.get(getRequestingPort());
                return c == null ? null : new PasswordAuthentication(c.user, "mexc-pipe".toCharArray());
            }
        });
    }

    private final String prefix;
    private volatile String user;

    private SocksCredentials(String prefix) {
        this.prefix = prefix;
        this.user = prefix + "-0";
    }

    /** The credentials used for SOCKS port {@code socksPort}; usernames are {@code prefix-<epoch>}. */
    public static SocksCredentials forPort(int socksPort, String prefix) {
        SocksCredentials c = new SocksCredentials(prefix);
        BY_PORT.put(socksPort, c);
        return c;
    }

    /** Streams opened from now on use epoch {@code epoch}'s credentials. */
    public void epoch(long epoch) {
        user = prefix + "-" + epoch;
    }

    public String user() {
        return user;
    }
}
