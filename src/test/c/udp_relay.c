/*
 * The smallest UDP relay for one flow, as fast as a relay process can be: one thread, epoll,
 * recvmmsg/sendmmsg in runs, nothing else. Two in a row give a two-process tunnel's floor that no
 * framework or language runtime raises (io.sudp.bench.RelayChain).
 *
 *   udp_relay LISTEN_PORT TARGET_PORT      (both on 127.0.0.1)
 *
 * Datagrams to LISTEN_PORT go to TARGET_PORT from a socket of their own; what comes back goes to
 * the latest sender.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#define RUN 64
#define SIZE 65536

static struct mmsghdr msgs[RUN];
static struct iovec iovs[RUN];
static struct sockaddr_in from[RUN];
static char buffers[RUN][SIZE];

static int udp_socket(int port) {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  int size = 4 << 20;
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(port)};
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  if (fd < 0 || bind(fd, (struct sockaddr *)&address, sizeof address) != 0) {
    perror("udp_relay: bind");
    exit(1);
  }
  return fd;
}

/* Reads a run from `in` and sends it on `out`, to `to` (or connected when NULL); 0 when empty. */
static int relay(int in, int out, struct sockaddr_in *to, int remember) {
  for (int i = 0; i < RUN; i++) {
    iovs[i].iov_base = buffers[i];
    iovs[i].iov_len = SIZE;
    memset(&msgs[i].msg_hdr, 0, sizeof msgs[i].msg_hdr);
    msgs[i].msg_hdr.msg_iov = &iovs[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
    msgs[i].msg_hdr.msg_name = &from[i];
    msgs[i].msg_hdr.msg_namelen = sizeof from[i];
  }
  int n = recvmmsg(in, msgs, RUN, 0, NULL);
  if (n <= 0) {
    return 0;
  }
  if (remember) {
    *to = from[n - 1];
  }
  for (int i = 0; i < n; i++) {
    iovs[i].iov_len = msgs[i].msg_len;
    msgs[i].msg_hdr.msg_name = remember ? NULL : to;
    msgs[i].msg_hdr.msg_namelen = remember ? 0 : sizeof *to;
  }
  sendmmsg(out, msgs, n, 0);
  return n;
}

/* Reads and forgets what is waiting on `fd`. */
static void drop(int fd) {
  while (recv(fd, buffers[0], SIZE, 0) >= 0) {
  }
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: udp_relay LISTEN_PORT TARGET_PORT\n");
    return 2;
  }
  int front = udp_socket(atoi(argv[1]));
  int back = udp_socket(0);
  struct sockaddr_in target = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[2]))};
  target.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(back, (struct sockaddr *)&target, sizeof target) != 0) {
    perror("udp_relay: connect");
    return 1;
  }
  struct sockaddr_in sender = {0};
  int epoll = epoll_create1(0);
  struct epoll_event front_event = {.events = EPOLLIN, .data.fd = front};
  struct epoll_event back_event = {.events = EPOLLIN, .data.fd = back};
  epoll_ctl(epoll, EPOLL_CTL_ADD, front, &front_event);
  epoll_ctl(epoll, EPOLL_CTL_ADD, back, &back_event);
  struct epoll_event ready[2];
  for (;;) {
    int n = epoll_wait(epoll, ready, 2, -1);
    for (int i = 0; i < n; i++) {
      if (ready[i].data.fd == front) {
        while (relay(front, back, &sender, 1) == RUN) {
        }
      } else if (sender.sin_port != 0) {
        while (relay(back, front, &sender, 0) == RUN) {
        }
      } else {
        drop(back); /* no sender yet: nowhere to send a reply */
      }
    }
  }
}
