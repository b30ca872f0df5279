package com.mexcpipe.testkit.tor;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Just enough of tor's control protocol for the harness: cookie AUTHENTICATE and single-line GETINFO. */
final class ControlLite implements Closeable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    private ControlLite(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        this.out = socket.getOutputStream();
    }

    static ControlLite connect(int port, byte[] cookie, Duration timeout) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            ControlLite c = new ControlLite(s);
            c.command("AUTHENTICATE " + HexFormat.of().formatHex(cookie));
            return c;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Sends one command line; returns the reply lines (status code included); throws on a non-2xx status. */
    List<String> command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        List<String> reply = new ArrayList<>();
        while (true) {
            String l = in.readLine();
            if (l == null) {
                throw new IOException("control connection closed after " + reply);
            }
            reply.add(l);
            if (l.length() >= 4 && l.charAt(3) == ' ') {
                if (l.charAt(0) != '2') {
                    String verb = line.split(" ", 2)[0];
                    throw new IOException("tor control " + verb + " failed: " + String.join(" | ", reply));
                }
                return reply;
            }
        }
    }

    /** GETINFO for a key with a one-line value; surrounding quotes are removed. */
    String getInfo(String key) throws IOException {
        for (String l : command("GETINFO " + key)) {
            String prefix = "250-" + key + "=";
            if (l.startsWith(prefix)) {
                String v = l.substring(prefix.length());
                return v;
            }
        }
        throw new IOException("GETINFO " + key + ": no value in reply");
    }

    /** First port in a net/listeners/* value such as {@code "127.0.0.1:40123" "[::1]:40124"}. */
    static int firstListenerPort(String listeners) throws IOException {
        String first = listeners.trim().split("\\s+")[0].replace("\"", "");
        int colon = first.lastIndexOf(':');
        if (colon < 0) {
            throw new IOException("unexpected listener value: " + listeners);
        }
        return Integer.parseInt(first.substring(colon + 1));
    }

    @Override
    public void close() throws IOException {
        try {
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            // closing anyway
        }
        socket.close();
    }
}
