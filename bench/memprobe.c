// SPDX-License-Identifier: Apache-2.0
// The machine side of issue #14: a fixed pointer chase over 4 MB (memory latency) and an ALU loop (core speed),
// timed in thread CPU time. gcc -O2 -o /tmp/memprobe bench/memprobe.c && REPS=4 taskset -c 0 /tmp/memprobe
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
// A fixed amount of mixed work: pointer chasing over 4 MB (cache-sensitive) and an integer loop (core speed).
int main(void) {
  enum { N = 1 << 20 };
  unsigned *next = malloc(sizeof(unsigned) * N);
  for (unsigned i = 0; i < N; i++) next[i] = i;
  srand(1);
  for (unsigned i = N - 1; i > 0; i--) { unsigned j = rand() % i; unsigned t = next[i]; next[i] = next[j]; next[j] = t; }
  for (int rep = 0; rep < (getenv("REPS") ? atoi(getenv("REPS")) : 1); rep++) {
  struct timespec a, b, c;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
  unsigned p = 0; for (int k = 0; k < 20000000; k++) p = next[p];
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
  volatile unsigned long x = 1; for (long k = 0; k < 300000000; k++) x = x * 6364136223846793005UL + 1442695040888963407UL;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c);
  printf("chase %.1f ns/step  alu %.3f ns/iter %u\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / 2e7,
         ((c.tv_sec - b.tv_sec) * 1e9 + (c.tv_nsec - b.tv_nsec)) / 3e8, p & 1);
  }
  return 0;
}
