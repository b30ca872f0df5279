package com.mexcpipe.testkit.tor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny TCP "IP echo" server for tests: for every connection it writes the caller's source IP and a newline, then
 * closes. Through the private Tor network the answer is the exit's source address (127.0.0.2, .3, …).
 *
 * <pre>{@code
 * try (IpEchoProbe probe = IpEchoProbe.start()) {
 *     String ip = IpEchoProbe.fetchViaSocks(client.socksPort(), "127.0.0.1", probe.port(), Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class IpEchoProbe implements AutoCloseable {
    private final ServerSocket server;
    private final List<String> peers = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private IpEchoProbe(ServerSocket server) {
        this.server = server;
        this.acceptor = new Thread(this::acceptLoop, "ip-echo-" + server.getLocalPort());
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /** Listens on 127.0.0.1, an ephemeral port. */
    public static IpEchoProbe start() {
        return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    public static IpEchoProbe start(InetSocketAddress bind) {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(bind, 64);
            return new IpEchoProbe(s);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + bind, e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** "127.0.0.1" unless bound elsewhere. */
    public String host() {
        return server.getInetAddress().getHostAddress();
    }

    /** Source IPs of all connections so far, in order. */
    public List<String> peersSeen() {
        return List.copyOf(peers);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                String ip = s.getInetAddress().getHostAddress();
                peers.add(ip);
                OutputStream out = s.getOutputStream();
                out.write((ip + "\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                s.shutdownOutput();
            } catch (SocketException e) {
                if (server.isClosed()) {
                    return;
                }
            } catch (IOException e) {
                // one broken connection; keep serving
            }
        }
    }

    /** Connects to {@code host:port} directly and returns the echoed source IP. */
    public static String fetch(String host, int port, Duration timeout) throws IOException {
        return fetch(Proxy.NO_PROXY, new InetSocketAddress(host, port), timeout);
    }

    /**
     * Connects through the SOCKS5 proxy at 127.0.0.1:{@code socksPort}. The destination is passed unresolved, so tor
     * gets it as a name (an IP literal such as "127.0.0.1" needs no DNS on the exit).
     */
    public static String fetchViaSocks(int socksPort, String host, int port, Duration timeout) throws IOException {
        Proxy proxy = new Proxy(Proxy.Type.SOCKS, new InetSocketAddress(InetAddress.getLoopbackAddress(), socksPort));
        return fetch(proxy, InetSocketAddress.createUnresolved(host, port), timeout);
    }

    /** One echo request through {@code proxy}; the timeout bounds connect (including the SOCKS handshake) and read. */
    public static String fetch(Proxy proxy, InetSocketAddress destination, Duration timeout) throws IOException {
        int ms = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try (Socket s = new Socket(proxy)) {
            s.connect(destination, ms);
            s.setSoTimeout(ms);
            BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            String line = r.readLine();
            if (line == null || line.isBlank()) {
                throw new IOException("no answer from IP echo at " + destination);
            }
            return line.trim();
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // ignore
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
