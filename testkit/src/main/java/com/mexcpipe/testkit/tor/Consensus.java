package com.mexcpipe.testkit.tor;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The private network's microdesc consensus, as the authority serves it: fetched, parsed, checked for completeness. */
final class Consensus {
    private Consensus() {
    }

    /** The current microdesc consensus from the authority's DirPort on 127.0.0.1, or null if there is none yet. */
    static String fetch(int dirPort) {
        try {
            URL url = new URL("http://127.0.0.1:" + dirPort + "/tor/status-vote/current/consensus-microdesc");
            HttpURLConnection c = (HttpURLConnection) url.openConnection(Proxy.NO_PROXY);
            c.setConnectTimeout(2000);
            c.setReadTimeout(3000);
            try {
                if (c.getResponseCode() != 200) {
                    return null;
                }
                try (InputStream in = c.getInputStream()) {
                    return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                }
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Empty if every relay of {@code nickByFingerprint} is listed with the flags clients need (Running, Valid, and
     * Exit for all but {@code authorityNick}); else a description of what is missing.
     */
    static String missing(String consensus, Map<String, String> nickByFingerprint, String authorityNick) {
        Map<String, Set<String>> flagsByFp = flags(consensus);
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> r : nickByFingerprint.entrySet()) {
            Set<String> flags = flagsByFp.get(r.getKey());
            if (flags == null) {
                missing.add(r.getValue() + " (not listed)");
                continue;
            }
            List<String> need = new ArrayList<>(List.of("Running", "Valid"));
            if (!r.getValue().equals(authorityNick)) {
                need.add("Exit");
            }
            need.removeAll(flags);
            if (!need.isEmpty()) {
                missing.add(r.getValue() + " (no " + String.join("/", need) + " flag)");
            }
        }
        return String.join(", ", missing);
    }

    /** Relay fingerprint (hex) → flags, from the "r" and "s" lines of a (microdesc) consensus. */
    static Map<String, Set<String>> flags(String consensus) {
        Map<String, Set<String>> out = new HashMap<>();
        String current = null;
        for (String line : consensus.split("\n")) {
            if (line.startsWith("r ")) {
                String[] f = line.split(" ");
                current = null;
                if (f.length > 2) {
                    try {
                        String b64 = f[2];
                        byte[] id = Base64.getDecoder().decode(b64 + "=".repeat((4 - b64.length() % 4) % 4));
                        current = HexFormat.of().withUpperCase().formatHex(id);
                    } catch (IllegalArgumentException e) {
                        current = null;
                    }
                }
            } else if (line.startsWith("s ") && current != null) {
                out.put(current, new HashSet<>(List.of(line.substring(2).trim().split(" "))));
                current = null;
            }
        }
        return out;
    }
}
