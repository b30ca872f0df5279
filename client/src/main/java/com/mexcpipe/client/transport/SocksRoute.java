package com.mexcpipe.client.transport;

import com.mexcpipe.client.tor.SocksCredentials;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.java_websocket.client.WebSocketClient;

/**
 * Through a SOCKS5 proxy on 127.0.0.1 with remote DNS: the exchange's hostname goes to the proxy unresolved
 * ({@code setDnsResolver(null)} makes Java-WebSocket connect to an unresolved address, so the JDK's SOCKS client
 * sends the name, ATYP 3). Each connection epoch authenticates with its own username.
 */
public class SocksRoute implements Route {
    private final int port;
    private final SocksCredentials creds;
    private final Proxy proxy;
    private final SSLContext tls;

    public SocksRoute(int port, String userPrefix, SSLContext tls) {
        this.port = port;
        this.creds = SocksCredentials.forPort(port, userPrefix);
        this.proxy = new Proxy(Proxy.Type.SOCKS, new InetSocketAddress("127.0.0.1", port));
        this.tls = tls;
    }

    @Override
    public void configure(WebSocketClient socket, long epoch) {
        creds.epoch(epoch);
        socket.setProxy(proxy);
        socket.setDnsResolver(null);
        if (tls != null) {
            socket.setSocketFactory(tls.getSocketFactory());
        }
    }

    @Override
    public boolean awaitReady(Duration max) throws InterruptedException {
        return true;
    }

    @Override
    public void newCircuit(String reason) {
        // a plain SOCKS proxy has no circuits; the next epoch's credentials still differ
    }

    @Override
    public String describe() {
        return "socks 127.0.0.1:" + port;
    }

    public Proxy proxy() {
        return proxy;
    }
}
