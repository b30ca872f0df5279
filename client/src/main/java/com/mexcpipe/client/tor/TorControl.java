package com.mexcpipe.client.tor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.freehaven.tor.control.TorControlCommands;
import net.freehaven.tor.control.TorControlConnection;

/** Our tor's control port through jtorctl: cookie auth, bootstrap progress, NEWNYM, circuits and streams. */
public final class TorControl implements AutoCloseable {
    private static final Pattern PROGRESS = Pattern.compile("PROGRESS=(\\d+)");
    private static final Pattern SUMMARY = Pattern.compile("SUMMARY=\"([^\"]*)\"");

    /** One line of {@code stream-status}. */
    public record Stream(String id, String status, String circuitId, String target) {
    }

    /** One line of {@code circuit-status}: id, status and the path's relays ({@code $FP~nick}). */
    public record Circuit(String id, String status, List<String> path) {
        /** The exit: the path's last hop. */
        public Optional<String> exitFingerprint() {
            if (path.isEmpty()) {
                return Optional.empty();
            }
            String hop = path.get(path.size() - 1);
            int tilde = hop.indexOf('~');
            String fp = tilde < 0 ? hop : hop.substring(0, tilde);
            return Optional.of(fp.startsWith("$") ? fp.substring(1) : fp);
        }
    }

    /** A relay as the consensus lists it. */
    public record Relay(String fingerprint, String nickname, String address) {
    }

    private final Socket socket;
    private final TorControlConnection conn;

    private TorControl(Socket socket, TorControlConnection conn) {
        this.socket = socket;
        this.conn = conn;
    }

    /** Connects and authenticates with the cookie file tor wrote into its data directory. */
    public static TorControl open(int port, Path cookieFile, int timeoutMs) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress("127.0.0.1", port), timeoutMs);
            s.setSoTimeout(30_000);
            TorControlConnection c = new TorControlConnection(s);
            c.launchThread(true);
            c.authenticate(Files.readAllBytes(cookieFile));
            return new TorControl(s, c);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Bootstrap percentage and summary from {@code status/bootstrap-phase}. */
    public Bootstrap bootstrap() throws IOException {
        String phase = conn.getInfo("status/bootstrap-phase");
        Matcher p = PROGRESS.matcher(phase);
        Matcher s = SUMMARY.matcher(phase);
        return new Bootstrap(p.find() ? Integer.parseInt(p.group(1)) : 0, s.find() ? s.group(1) : phase,
                phase.startsWith("WARN"));
    }

    public record Bootstrap(int percent, String summary, boolean warning) {
    }

    public String version() throws IOException {
        return conn.getInfo("version");
    }

    /** {@code SIGNAL NEWNYM}: new circuits for new streams (tor rate-limits it to about one per 10 s). */
    public void newnym() throws IOException {
        conn.signal(TorControlCommands.SIGNAL_NEWNYM);
    }

    public void setConf(String key, String value) throws IOException {
        conn.setConf(key, value);
    }

    public void resetConf(String key) throws IOException {
        conn.resetConf(List.of(key));
    }

    public List<Stream> streams() throws IOException {
        List<Stream> out = new ArrayList<>();
        for (String line : conn.getInfo("stream-status").split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length >= 4) {
                out.add(new Stream(f[0], f[1], f[2], f[3]));
            }
        }
        return out;
    }

    public List<Circuit> circuits() throws IOException {
        List<Circuit> out = new ArrayList<>();
        for (String line : conn.getInfo("circuit-status").split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length >= 3 && f[2].startsWith("$")) {
                out.add(new Circuit(f[0], f[1], List.of(f[2].split(","))));
            } else if (f.length >= 2) {
                out.add(new Circuit(f[0], f[1], List.of()));
            }
        }
        return out;
    }

    /** The relay with this fingerprint from the consensus ({@code ns/id/FP}), if known. */
    public Optional<Relay> relay(String fingerprint) {
        try {
            for (String line : conn.getInfo("ns/id/" + fingerprint).split("\n")) {
                if (line.startsWith("r ")) {
                    String[] f = line.split(" ");
                    // r nickname identity digest date time IP ORPort DirPort
                    return Optional.of(new Relay(fingerprint, f[1], f.length > 6 ? f[6] : null));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Tor's GeoIP country code for an address ({@code ip-to-country/IP}), e.g. "de"; "??" when unknown. */
    public String country(String ip) {
        try {
            String c = conn.getInfo("ip-to-country/" + ip);
            return c == null || c.isBlank() ? "??" : c.trim();
        } catch (IOException e) {
            return "??";
        }
    }

    /**
     * The exit relay of the circuit carrying a stream to {@code target} ({@code host:port}), if such a stream is
     * open.
     */
    public Optional<Relay> exitFor(String target) throws IOException {
        for (Stream s : streams()) {
            if (s.target().equalsIgnoreCase(target) && !"0".equals(s.circuitId())) {
                for (Circuit c : circuits()) {
                    if (c.id().equals(s.circuitId())) {
                        Optional<String> fp = c.exitFingerprint();
                        if (fp.isPresent()) {
                            return Optional.of(relay(fp.get()).orElse(new Relay(fp.get(), null, null)));
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
