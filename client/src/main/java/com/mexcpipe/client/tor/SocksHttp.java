package com.mexcpipe.client.tor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A minimal HTTP/1.1 GET through a SOCKS proxy that hands the <em>hostname</em> to the proxy (remote DNS). The JDK's
 * HTTP clients either cannot use SOCKS (java.net.http) or resolve the name locally first when they can
 * (HttpURLConnection), which would leak the lookup. Small responses only (an IP-echo answer).
 */
public final class SocksHttp {
    private static final int MAX_RESPONSE = 64 * 1024;

    public record Response(int status, String body) {
    }

    private SocksHttp() {
    }

    public static Response get(URI url, Proxy proxy, int timeoutMs, SSLSocketFactory tls) throws IOException {
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        boolean https = scheme.equals("https");
        String host = url.getHost();
        int port = url.getPort() > 0 ? url.getPort() : (https ? 443 : 80);
        Socket raw = new Socket(proxy);
        try {
            raw.connect(InetSocketAddress.createUnresolved(host, port), timeoutMs);
            raw.setSoTimeout(timeoutMs);
            Socket s = raw;
            if (https) {
                SSLSocket ssl = (SSLSocket) (tls != null ? tls : (SSLSocketFactory) SSLSocketFactory.getDefault())
                        .createSocket(raw, host, port, true);
                SSLParameters p = ssl.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                if (!host.matches("[0-9.]+") && !host.contains(":")) {
                    p.setServerNames(List.of(new SNIHostName(host)));
                }
                ssl.setSSLParameters(p);
                ssl.startHandshake();
                s = ssl;
            }
            String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
            if (url.getRawQuery() != null) {
                path += "?" + url.getRawQuery();
            }
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + (url.getPort() > 0 ? ":" + port : "")
                    + "\r\nUser-Agent: mexc-pipe\r\nAccept: */*\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return parse(readAll(s.getInputStream()));
        } finally {
            raw.close();
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) > 0) {
            b.write(buf, 0, n);
            if (b.size() > MAX_RESPONSE) {
                throw new IOException("response larger than " + MAX_RESPONSE + " bytes");
            }
        }
        return b.toByteArray();
    }

    static Response parse(byte[] bytes) throws IOException {
        String all = new String(bytes, StandardCharsets.ISO_8859_1);
        int headerEnd = all.indexOf("\r\n\r\n");
        if (!all.startsWith("HTTP/") || headerEnd < 0) {
            throw new IOException("not an HTTP response");
        }
        String[] head = all.substring(0, headerEnd).split("\r\n");
        String[] statusLine = head[0].split(" ", 3);
        int status = Integer.parseInt(statusLine[1]);
        boolean chunked = false;
        for (int i = 1; i < head.length; i++) {
            String h = head[i].toLowerCase(Locale.ROOT);
            if (h.startsWith("transfer-encoding:") && h.contains("chunked")) {
                chunked = true;
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(bytes, headerEnd + 4, bytes.length);
        if (chunked) {
            body = dechunk(body);
        }
        return new Response(status, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < b.length) {
            int lineEnd = indexOfCrlf(b, i);
            if (lineEnd < 0) {
                throw new IOException("bad chunked body");
            }
            String sizeText = new String(b, i, lineEnd - i, StandardCharsets.US_ASCII).split(";")[0].trim();
            int size = Integer.parseInt(sizeText, 16);
            i = lineEnd + 2;
            if (size == 0) {
                break;
            }
            if (i + size > b.length) {
                throw new IOException("truncated chunk");
            }
            out.write(b, i, size);
            i += size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOfCrlf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
