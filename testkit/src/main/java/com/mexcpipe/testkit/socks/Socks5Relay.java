package com.mexcpipe.testkit.socks;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A recording SOCKS5 server on 127.0.0.1 for tests (the "local SOCKS peer"): it accepts no-auth and
 * username/password, records each CONNECT request (address type, host as sent, port, username), and relays to the
 * address a test mapped the requested name to. It never resolves names itself: an unmapped hostname is refused.
 */
public final class Socks5Relay implements AutoCloseable {
    /** One CONNECT as received. {@code atyp}: 1 = IPv4, 3 = domain name, 4 = IPv6. */
    public record Request(int atyp, String host, int port, String user) {
    }

    private final ServerSocket server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, InetSocketAddress> routes = new ConcurrentHashMap<>();
    private final Thread acceptor;
    private volatile boolean closed;

    public Socks5Relay() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "socks5-relay");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Requests for {@code host:port} go to {@code target}. */
    public Socks5Relay route(String host, int port, InetSocketAddress target) {
        routes.put(host.toLowerCase(java.util.Locale.ROOT) + ":" + port, target);
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> handle(s), "socks5-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed) {
                    continue;
                }
                return;
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            DataInputStream in = new DataInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            if (in.readUnsignedByte() != 5) {
                return;
            }
            int n = in.readUnsignedByte();
            byte[] methods = in.readNBytes(n);
            boolean userPass = new String(methods, StandardCharsets.ISO_8859_1).indexOf(2) >= 0;
            String user = null;
            if (userPass) {
                out.write(new byte[] {5, 2});
                out.flush();
                in.readUnsignedByte(); // sub-negotiation version 1
                user = new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.UTF_8);
                in.readNBytes(in.readUnsignedByte()); // password
                out.write(new byte[] {1, 0});
            } else {
                out.write(new byte[] {5, 0});
            }
            out.flush();
            in.readUnsignedByte(); // version
            int cmd = in.readUnsignedByte();
            in.readUnsignedByte(); // reserved
            int atyp = in.readUnsignedByte();
            String host;
            switch (atyp) {
                case 1 -> host = InetAddress.getByAddress(in.readNBytes(4)).getHostAddress();
                case 3 -> host = new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.ISO_8859_1);
                case 4 -> host = InetAddress.getByAddress(in.readNBytes(16)).getHostAddress();
                default -> {
                    return;
                }
            }
            int port = in.readUnsignedShort();
            requests.add(new Request(atyp, host, port, user));
            InetSocketAddress target = routes.get(host.toLowerCase(java.util.Locale.ROOT) + ":" + port);
            if (cmd != 1 || target == null) {
                out.write(new byte[] {5, 4, 0, 1, 0, 0, 0, 0, 0, 0}); // host unreachable
                out.flush();
                return;
            }
            try (Socket upstream = new Socket()) {
                upstream.connect(target, 5000);
                out.write(new byte[] {5, 0, 0, 1, 127, 0, 0, 1, 0, 0});
                out.flush();
                Thread up = pump(client.getInputStream(), upstream.getOutputStream());
                pump(upstream.getInputStream(), out).join();
                up.join(1000);
            }
        } catch (IOException | InterruptedException e) {
            // connection ended
        }
    }

    private static Thread pump(InputStream from, OutputStream to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try {
                int r;
                while ((r = from.read(buf)) > 0) {
                    to.write(buf, 0, r);
                    to.flush();
                }
            } catch (IOException ignored) {
                // either side closed
            }
        }, "socks5-pump");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
    }
}
