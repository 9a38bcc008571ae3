// The floor under issue #16's fan-out numbers: what this machine's loopback sockets allow at best,
// measured the way LoadRun measures posj, with no Java, no JSON and no protocol.
//
// Two processes. The "server" (parent) accepts N connections and runs W event loops, each an epoll
// loop over its share of them (connection i belongs to loop i mod W, as Netty spreads channels):
// it answers every line it reads with a fixed reply, and when told, writes a fixed announcement of
// the size of posj's round result and block to each of its connections, one write() each. The
// "client" (child) is one thread with one epoll loop, as LoadRun is: per round it sends one
// proposal line to each connection and waits for every reply (proposals/s), then asks for an
// announcement and records when each connection's first bytes of it arrive (spread: first to last).
//
//   gcc -O2 -pthread -o fanout-floor fanout-floor.c
//   ./fanout-floor N ROUNDS WRITERS     (N <= 15000; the first 10 rounds are a warm-up)
//
// Prints one line: N, W, rounds, spread p50/p99/max and proposals/s p50. Bounded: every wait on a
// socket has a 60 s deadline; any error ends both processes with a message.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WARMUP 10
#define MAX_LOOPS 16

static int n, rounds, loops;
static int *conns;  // server side
static int loop_pipe[MAX_LOOPS][2];
static char announcement[512];
static size_t announcement_len;
static const char PROPOSAL[] = "{\"type\":\"propose\",\"bpm\":72}\n";
static const char REPLY[] = "{\"type\":\"proposal-accepted\",\"bpm\":72,\"round\":12345}\n";

static void die(const char *what) {
  perror(what);
  kill(0, SIGTERM);
  exit(1);
}

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void write_all(int fd, const char *data, size_t len) {
  while (len > 0) {
    ssize_t w = write(fd, data, len);
    if (w < 0) {
      if (errno == EINTR) continue;
      die("write");
    }
    data += w;
    len -= (size_t)w;
  }
}

// One server event loop: replies to proposals; on a byte from its pipe, announces to its share.
static void *server_loop(void *arg) {
  int id = (int)(long)arg;
  int ep = epoll_create1(0);
  struct epoll_event ev, events[1024];
  char buf[4096];
  ev.events = EPOLLIN;
  ev.data.u32 = (unsigned)n;  // the pipe
  epoll_ctl(ep, EPOLL_CTL_ADD, loop_pipe[id][0], &ev);
  for (int i = id; i < n; i += loops) {
    ev.events = EPOLLIN;
    ev.data.u32 = (unsigned)i;
    if (epoll_ctl(ep, EPOLL_CTL_ADD, conns[i], &ev)) die("epoll_ctl");
  }
  for (;;) {
    int ready = epoll_wait(ep, events, 1024, -1);
    if (ready < 0 && errno != EINTR) die("epoll_wait");
    for (int k = 0; k < ready; k++) {
      unsigned i = events[k].data.u32;
      if (i == (unsigned)n) {
        if (read(loop_pipe[id][0], buf, 1) != 1) return NULL;
        for (int c = id; c < n; c += loops) write_all(conns[c], announcement, announcement_len);
      } else {
        ssize_t r = read(conns[i], buf, sizeof buf);
        if (r <= 0) return NULL;  // the client is gone: the run is over
        for (ssize_t b = 0; b < r; b++) {
          if (buf[b] == '\n') write_all(conns[i], REPLY, sizeof REPLY - 1);
        }
      }
    }
  }
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

// Waits for `want` complete messages of `len` bytes each over the client's sockets; `first`, if
// not NULL, gets each connection's first-byte time.
static void client_wait(int ep, int *sock, size_t len, long *got, double *first) {
  struct epoll_event events[1024];
  char buf[65536];
  int done = 0;
  double deadline = now_ms() + 60000;
  for (int i = 0; i < n; i++) got[i] = 0;
  while (done < n) {
    int ready = epoll_wait(ep, events, 1024, 1000);
    if (ready < 0 && errno != EINTR) die("epoll_wait");
    if (now_ms() > deadline) {
      fprintf(stderr, "fanout-floor: timed out (%d of %d)\n", done, n);
      kill(0, SIGTERM);
      exit(1);
    }
    for (int k = 0; k < ready; k++) {
      int i = (int)events[k].data.u32;
      ssize_t r = read(sock[i], buf, sizeof buf);
      if (r == 0) {
        fprintf(stderr, "fanout-floor: the server closed a connection\n");
        kill(0, SIGTERM);
        exit(1);
      }
      if (r < 0) die("read");
      double t = now_ms();
      if (got[i] == 0 && first != NULL) first[i] = t;
      got[i] += r;
      if (got[i] == (long)len) done++;
    }
  }
}

static void client(struct sockaddr_in address, int to_server) {
  int *sock = calloc((size_t)n, sizeof(int));
  long *got = calloc((size_t)n, sizeof(long));
  double *first = calloc((size_t)n, sizeof(double));
  double *spreads = calloc((size_t)rounds, sizeof(double));
  double *rates = calloc((size_t)rounds, sizeof(double));
  int one = 1;
  int ep = epoll_create1(0);
  for (int i = 0; i < n; i++) {
    sock[i] = socket(AF_INET, SOCK_STREAM, 0);
    if (sock[i] < 0) die("socket");
    if (connect(sock[i], (struct sockaddr *)&address, sizeof address)) die("connect");
    setsockopt(sock[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (unsigned)i};
    epoll_ctl(ep, EPOLL_CTL_ADD, sock[i], &ev);
  }
  for (int r = 0; r < WARMUP + rounds; r++) {
    usleep(20000);
    double start = now_ms();
    for (int i = 0; i < n; i++) write_all(sock[i], PROPOSAL, sizeof PROPOSAL - 1);
    client_wait(ep, sock, sizeof REPLY - 1, got, NULL);
    double rate = n / ((now_ms() - start) / 1e3);
    write_all(to_server, "g", 1);
    client_wait(ep, sock, announcement_len, got, first);
    double lo = first[0], hi = first[0];
    for (int i = 1; i < n; i++) {
      if (first[i] < lo) lo = first[i];
      if (first[i] > hi) hi = first[i];
    }
    if (r >= WARMUP) {
      spreads[r - WARMUP] = hi - lo;
      rates[r - WARMUP] = rate;
    }
  }
  qsort(spreads, (size_t)rounds, sizeof(double), compare);
  qsort(rates, (size_t)rounds, sizeof(double), compare);
  int p99 = (int)(0.99 * rounds + 0.999999) - 1;
  printf(
      "floor: %d connections, %d event loop(s), %d rounds: spread p50 %.3f ms, p99 %.3f ms, max"
      " %.3f ms; proposals/s p50 %.0f\n",
      n, loops, rounds, spreads[rounds / 2], spreads[p99 < 0 ? 0 : p99], spreads[rounds - 1],
      rates[rounds / 2]);
  fflush(stdout);
  for (int i = 0; i < n; i++) close(sock[i]);
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: fanout-floor CONNECTIONS ROUNDS EVENT_LOOPS\n");
    return 2;
  }
  n = atoi(argv[1]);
  rounds = atoi(argv[2]);
  loops = atoi(argv[3]);
  if (n < 1 || n > 15000 || rounds < 1 || rounds > 100000 || loops < 1 || loops > MAX_LOOPS) {
    fprintf(stderr, "fanout-floor: 1..15000 connections, 1..100000 rounds, 1..16 loops\n");
    return 2;
  }
  // A round result and a block line of posj's sizes (protocol version 2).
  snprintf(announcement, sizeof announcement,
           "{\"type\":\"round-result\",\"round\":12345,\"winner\":\"%064d\",\"index\":12}\n"
           "{\"type\":\"block\",\"block\":{\"Index\":12,\"Timestamp\":\"2026-11-30 22:00:00.123456789"
           " +0000 UTC\",\"BPM\":72,\"Hash\":\"%064d\",\"PrevHash\":\"%064d\",\"Validator\":"
           "\"%064d\"}}\n",
           0, 0, 0, 0);
  announcement_len = strlen(announcement);
  setpgid(0, 0);
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (bind(listener, (struct sockaddr *)&address, sizeof address)) die("bind");
  if (listen(listener, 4096)) die("listen");
  socklen_t length = sizeof address;
  getsockname(listener, (struct sockaddr *)&address, &length);
  int go[2];
  if (pipe(go)) die("pipe");
  pid_t child = fork();
  if (child < 0) die("fork");
  if (child == 0) {
    close(listener);
    close(go[0]);
    client(address, go[1]);
    return 0;
  }
  close(go[1]);
  conns = calloc((size_t)n, sizeof(int));
  for (int i = 0; i < n; i++) {
    conns[i] = accept(listener, NULL, NULL);
    if (conns[i] < 0) die("accept");
    setsockopt(conns[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  pthread_t threads[MAX_LOOPS];
  for (int w = 0; w < loops; w++) {
    if (pipe(loop_pipe[w])) die("pipe");
    pthread_create(&threads[w], NULL, server_loop, (void *)(long)w);
  }
  char c;
  while (read(go[0], &c, 1) == 1) {
    for (int w = 0; w < loops; w++) write_all(loop_pipe[w][1], "g", 1);
  }
  int status;
  waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
