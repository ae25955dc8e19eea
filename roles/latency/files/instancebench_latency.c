/*
 * instancebench latency: dependent-load (pointer chase) latency over working sets from MIN to MAX
 * bytes, one cache line per node, so that each load waits for the one before it.
 *
 * Copyright: (c) 2026, instancebench.aws contributors
 * GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
 *
 * usage: instancebench_latency MIN_BYTES MAX_BYTES STEPS_PER_DOUBLING PATTERN PAGES MIN_MS
 *   PATTERN  random (a randomly permuted cycle: no prefetcher helps), sequential (line after
 *            line: the prefetcher's best case) or stride:BYTES (a fixed stride, a multiple of 64)
 *   PAGES    4k (MADV_NOHUGEPAGE) or thp (2 MiB aligned, MADV_HUGEPAGE; whether the kernel
 *            granted huge pages is printed, never assumed)
 *   MIN_MS   each size is timed for at least this long (and at least one lap of its chain)
 *
 * Output, one line each (parsed by plugins/module_utils/_latency.py):
 *   instancebench latency 1
 *   timer_resolution_ns=<n> pattern=<p> pages=<4k|thp> line_bytes=64 max_bytes=<n>
 *   thp_anon_kib=<AnonHugePages of the process after touching the buffer, -1 unknown>
 *   size_bytes=<n> loads=<n> seconds=<s> ns_per_load=<x>     (one per size, smallest first)
 *   end sink=<n>
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define LINE 64
#define HUGE_ALIGN (2UL * 1024 * 1024)

struct node {
    struct node *next;
    char pad[LINE - sizeof(struct node *)];
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
    /* xorshift64*: a fixed seed, so every run chases the same cycle. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dULL;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static long thp_anon_kib(void)
{
    FILE *f = fopen("/proc/self/smaps_rollup", "r");
    char line[256];
    long kib = -1;
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "AnonHugePages: %ld kB", &kib) == 1)
            break;
    fclose(f);
    return kib;
}

/* Link nodes[0..n) into one cycle in the order the pattern asks. */
static void link_chain(struct node *nodes, size_t n, const char *pattern, size_t stride_lines, size_t *order)
{
    size_t i, k = 0;
    if (strcmp(pattern, "random") == 0) {
        for (i = 0; i < n; i++)
            order[i] = i;
        /* Sattolo's algorithm: a uniformly random single cycle through every node. */
        for (i = n - 1; i > 0; i--) {
            size_t j = (size_t)(rng() % i);
            size_t t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    } else {
        size_t step = strcmp(pattern, "sequential") == 0 ? 1 : stride_lines;
        size_t off, j;
        for (off = 0; off < step && off < n; off++)
            for (j = off; j < n; j += step)
                order[k++] = j;
    }
    for (i = 0; i < n; i++)
        nodes[order[i]].next = &nodes[order[(i + 1) % n]];
}

int main(int argc, char **argv)
{
    size_t min_bytes, max_bytes, steps, stride_lines = 1, n_max, *order;
    double min_s, res_ns;
    const char *pattern, *pages;
    struct timespec res;
    struct node *nodes, *p;
    void *buf;
    uintptr_t sink = 0;
    size_t last = 0;
    int k;

    if (argc != 7) {
        fprintf(stderr, "usage: %s MIN_BYTES MAX_BYTES STEPS_PER_DOUBLING random|sequential|stride:BYTES 4k|thp MIN_MS\n",
                argv[0]);
        return 2;
    }
    min_bytes = strtoull(argv[1], NULL, 10);
    max_bytes = strtoull(argv[2], NULL, 10);
    steps = strtoull(argv[3], NULL, 10);
    pattern = argv[4];
    pages = argv[5];
    min_s = strtod(argv[6], NULL) / 1000.0;
    if (strncmp(pattern, "stride:", 7) == 0) {
        size_t stride = strtoull(pattern + 7, NULL, 10);
        if (stride < LINE || stride % LINE) {
            fprintf(stderr, "stride %zu: use a multiple of %d bytes\n", stride, LINE);
            return 2;
        }
        stride_lines = stride / LINE;
        pattern = "stride";
    } else if (strcmp(pattern, "random") && strcmp(pattern, "sequential")) {
        fprintf(stderr, "pattern %s: use random, sequential or stride:BYTES\n", pattern);
        return 2;
    }
    if (min_bytes < 2 * LINE || max_bytes < min_bytes || steps < 1 || min_s <= 0
        || (strcmp(pages, "4k") && strcmp(pages, "thp"))) {
        fprintf(stderr, "bad arguments: MIN_BYTES >= %d, MAX_BYTES >= MIN_BYTES, STEPS >= 1, PAGES 4k or thp, MIN_MS > 0\n",
                2 * LINE);
        return 2;
    }
    if (posix_memalign(&buf, strcmp(pages, "thp") == 0 ? HUGE_ALIGN : 4096, max_bytes)) {
        fprintf(stderr, "cannot allocate %zu bytes: %s\n", max_bytes, strerror(errno));
        return 1;
    }
    /* Ask, then record what was granted: the advice may be refused (THP disabled, no memory). */
    madvise(buf, max_bytes, strcmp(pages, "thp") == 0 ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
    memset(buf, 0, max_bytes);
    nodes = buf;
    n_max = max_bytes / LINE;
    order = malloc(n_max * sizeof *order);
    if (!order) {
        fprintf(stderr, "cannot allocate the order of %zu nodes\n", n_max);
        return 1;
    }
    clock_getres(CLOCK_MONOTONIC, &res);
    res_ns = (double)res.tv_sec * 1e9 + (double)res.tv_nsec;
    printf("instancebench latency 1\n");
    printf("timer_resolution_ns=%.0f pattern=%s pages=%s line_bytes=%d max_bytes=%zu\n", res_ns,
           argv[4], pages, LINE, max_bytes);
    printf("thp_anon_kib=%ld\n", thp_anon_kib());
    fflush(stdout);
    for (k = 0;; k++) {
        /* min_bytes x 2^(k/steps), whole lines; sizes that round to the same line count once. */
        double want = (double)min_bytes * pow(2.0, (double)k / (double)steps);
        size_t size, n, loads = 0, chunk, i;
        double t0, elapsed;
        size = ((size_t)want / LINE) * LINE;
        if (size > max_bytes)
            break;
        if (size <= last)
            continue;
        last = size;
        n = size / LINE;
        link_chain(nodes, n, pattern, stride_lines, order);
        /* Warm up: one lap (at most 4 M loads), so the first timed load is not a cold miss. */
        p = &nodes[order[0]];
        for (i = 0; i < n && i < (4u << 20); i++)
            p = p->next;
        chunk = 1u << 16;
        t0 = now_s();
        do {
            for (i = 0; i < chunk; i += 8) {
                p = p->next; p = p->next; p = p->next; p = p->next;
                p = p->next; p = p->next; p = p->next; p = p->next;
            }
            loads += chunk;
            elapsed = now_s() - t0;
        } while (elapsed < min_s || loads < n);
        sink += (uintptr_t)p;
        printf("size_bytes=%zu loads=%zu seconds=%.6f ns_per_load=%.3f\n", size, loads, elapsed,
               elapsed * 1e9 / (double)loads);
        fflush(stdout);
    }
    printf("end sink=%lu\n", (unsigned long)(sink & 0xffff));
    free(order);
    free(buf);
    return 0;
}
