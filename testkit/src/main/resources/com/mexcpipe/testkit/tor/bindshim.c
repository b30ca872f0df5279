/*
 * LD_PRELOAD shim for the exit relays of PrivateTorNetwork.
 *
 * tor ignores OutboundBindAddress / OutboundBindAddressExit when the destination is in 127.0.0.0/8
 * (connection_connect() wraps the bind in `if (!tor_addr_is_loopback(addr))`). To make each exit leave
 * from its own loopback address even towards 127.0.0.1, this shim binds every outgoing IPv4 TCP socket
 * to $TORNET_BIND_SRC (e.g. 127.0.0.2) right before connect(). Optional $TORNET_BIND_DPORT restricts it
 * to one destination port. Bind errors are ignored (connect then proceeds unbound).
 *
 * Build: gcc -shared -fPIC -O2 -o bindshim.so bindshim.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

int connect(int fd, const struct sockaddr *addr, socklen_t len) {
  static int (*real_connect)(int, const struct sockaddr *, socklen_t);
  if (!real_connect) real_connect = (int (*)(int, const struct sockaddr *, socklen_t))dlsym(RTLD_NEXT, "connect");
  const char *src = getenv("TORNET_BIND_SRC");
  if (src && addr && addr->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
    const struct sockaddr_in *dst = (const struct sockaddr_in *)addr;
    const char *dport = getenv("TORNET_BIND_DPORT");
    int type = 0; socklen_t tl = sizeof type;
    getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl);
    if (type == SOCK_STREAM && (!dport || ntohs(dst->sin_port) == (unsigned)atoi(dport))) {
      struct sockaddr_in b; memset(&b, 0, sizeof b);
      b.sin_family = AF_INET;
      if (inet_pton(AF_INET, src, &b.sin_addr) == 1)
        (void)bind(fd, (struct sockaddr *)&b, sizeof b);
    }
  }
  return real_connect(fd, addr, len);
}
