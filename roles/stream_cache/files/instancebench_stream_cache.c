/*
 * instancebench stream_cache: read, write, copy and triad bandwidth with each thread's arrays
 * sized to fit one cache level (or DRAM), every thread on its own slice of memory.
 *
 * Copyright: (c) 2026, instancebench.aws contributors
 * GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
 *
 * usage: instancebench_stream_cache THREADS MIN_MS LEVEL=ELEMENTS...
 *   THREADS   OpenMP threads (the team size reached is printed, never assumed)
 *   MIN_MS    each (kernel, level) is timed in one batch of repetitions lasting at least this long
 *   LEVEL=N   a level's name (l1, l2, l3, dram) and the elements (doubles) of each of a thread's
 *             three arrays x, y, z; the planner (module_utils/_stream_cache.py) chose N
 *
 * Kernels over a thread's n elements (bytes counted as STREAM counts them: what the kernel names,
 * write-allocate traffic not included):
 *   read   s += x[i]          8 n bytes   (the sum is checked: the loads cannot be elided)
 *   write  z[i] = 3           8 n bytes
 *   copy   z[i] = x[i]       16 n bytes
 *   triad  z[i] = x[i] + 3 y[i]   24 n bytes
 * x = 1 and y = 2 never change; after every timed batch each thread checks its z (or its sum) and
 * counts the elements that are wrong.
 *
 * Output, one line each (parsed by plugins/module_utils/_stream_cache.py):
 *   instancebench stream_cache 1
 *   timer_resolution_ns=<n> threads=<team size> asked_threads=<n> min_ms=<n>
 *   result kernel=<k> level=<l> threads=<n> elements=<per thread> reps=<n> seconds=<s> bytes=<all threads, all reps> errors=<n>
 *   end
 */
#define _GNU_SOURCE
#include <errno.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_LEVELS 8
/* Partial sums of the read kernel: four 512-bit (eight 256-bit) registers. */
#define LANES 32
/* Arrays start 1088 bytes apart modulo 4 KiB: x[i], y[i], z[i] never alias in the store buffer. */
#define PAD_ELEMENTS 136
#define ALIGN_ELEMENTS 512

/* The compiler may not keep values in registers across it, nor merge one repetition into the next. */
#define FENCE() __asm__ __volatile__("" ::: "memory")

enum kernel { READ, WRITE, COPY, TRIAD, KERNELS };
static const char *const kernel_names[KERNELS] = {"read", "write", "copy", "triad"};
static const int kernel_words[KERNELS] = {1, 1, 2, 3};

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* reps of one kernel on this thread's arrays; returns the read kernel's sum (0 for the others). */
static double run_kernel(enum kernel k, double *restrict x, double *restrict y, double *restrict z, size_t n, long reps)
{
    long r;
    size_t i, j;
    double acc[LANES] = {0.0}, sum = 0.0;
    for (r = 0; r < reps; r++) {
        switch (k) {
        case READ:
            /* LANES independent sums kept across repetitions: one sum would wait on its own adds, and
             * reducing the lanes once per repetition would cost as much as a pass over L1. */
            for (i = 0; i + LANES <= n; i += LANES)
                for (j = 0; j < LANES; j++)
                    acc[j] += x[i + j];
            for (; i < n; i++)
                acc[0] += x[i];
            break;
        case WRITE:
#pragma omp simd
            for (i = 0; i < n; i++)
                z[i] = 3.0;
            break;
        case COPY:
#pragma omp simd
            for (i = 0; i < n; i++)
                z[i] = x[i];
            break;
        case TRIAD:
#pragma omp simd
            for (i = 0; i < n; i++)
                z[i] = x[i] + 3.0 * y[i];
            break;
        default:
            break;
        }
        FENCE();
    }
    for (j = 0; j < LANES; j++)
        sum += acc[j];
    return sum;
}

/* Wrong elements of this thread's result after a batch (1 for a wrong sum), outside the timing. */
static long wrong_elements(enum kernel k, const double *z, size_t n, long reps, double sum)
{
    long wrong = 0;
    size_t i;
    double want = k == WRITE ? 3.0 : k == COPY ? 1.0 : 7.0;
    if (k == READ)
        /* Whole numbers below 2^53: exact in any order of summation. */
        return sum == (double)n * (double)reps ? 0 : 1;
    for (i = 0; i < n; i++)
        wrong += z[i] != want;
    return wrong;
}

int main(int argc, char **argv)
{
    int asked, team = 0, nlevels = argc - 3, l, k;
    double min_s, res_ns;
    struct timespec res;
    size_t elements[MAX_LEVELS], largest = 0, stride;
    char names[MAX_LEVELS][16];
    double *base;

    if (argc < 4 || nlevels > MAX_LEVELS) {
        fprintf(stderr, "usage: %s THREADS MIN_MS LEVEL=ELEMENTS... (at most %d levels)\n", argv[0], MAX_LEVELS);
        return 2;
    }
    asked = atoi(argv[1]);
    min_s = strtod(argv[2], NULL) / 1000.0;
    if (asked < 1 || min_s <= 0) {
        fprintf(stderr, "bad arguments: THREADS >= 1, MIN_MS > 0\n");
        return 2;
    }
    for (l = 0; l < nlevels; l++) {
        char *eq = strchr(argv[3 + l], '=');
        if (!eq || eq == argv[3 + l] || (size_t)(eq - argv[3 + l]) >= sizeof names[l]) {
            fprintf(stderr, "level %s: use NAME=ELEMENTS, e.g. l1=1024\n", argv[3 + l]);
            return 2;
        }
        memcpy(names[l], argv[3 + l], (size_t)(eq - argv[3 + l]));
        names[l][eq - argv[3 + l]] = '\0';
        elements[l] = strtoull(eq + 1, NULL, 10);
        if (elements[l] < 8) {
            fprintf(stderr, "level %s: at least 8 elements per array\n", names[l]);
            return 2;
        }
        if (elements[l] > largest)
            largest = elements[l];
    }
    stride = (largest + ALIGN_ELEMENTS - 1) / ALIGN_ELEMENTS * ALIGN_ELEMENTS + PAD_ELEMENTS;
    omp_set_num_threads(asked);
    if (posix_memalign((void **)&base, 4096, 3 * stride * sizeof(double) * (size_t)asked)) {
        fprintf(stderr, "cannot allocate %zu bytes: %s\n", 3 * stride * sizeof(double) * (size_t)asked,
                strerror(errno));
        return 1;
    }
    /* Each thread touches its own slice first, so the pages are its own (its NUMA node's). */
#pragma omp parallel
    {
        size_t i, t = (size_t)omp_get_thread_num();
        double *mine = base + 3 * stride * t;
#pragma omp single
        team = omp_get_num_threads();
        for (i = 0; i < stride; i++) {
            mine[i] = 1.0;
            mine[stride + i] = 2.0;
            mine[2 * stride + i] = 0.0;
        }
    }
    clock_getres(CLOCK_MONOTONIC, &res);
    res_ns = (double)res.tv_sec * 1e9 + (double)res.tv_nsec;
    printf("instancebench stream_cache 1\n");
    printf("timer_resolution_ns=%.0f threads=%d asked_threads=%d min_ms=%g\n", res_ns, team, asked, min_s * 1000);
    fflush(stdout);
    for (l = 0; l < nlevels; l++) {
        size_t n = elements[l];
        for (k = 0; k < KERNELS; k++) {
            long reps = 1, wrong = 0;
            double elapsed = 0.0;
            /* Double (or scale) the batch until one lasts min_ms: the short batches warm the level. */
            for (;;) {
                double t0 = 0.0, t1 = 0.0;
                wrong = 0;
#pragma omp parallel reduction(+ : wrong)
                {
                    size_t t = (size_t)omp_get_thread_num();
                    double *x = base + 3 * stride * t;
#pragma omp barrier
#pragma omp master
                    t0 = now_s();
#pragma omp barrier
                    double sum = run_kernel((enum kernel)k, x, x + stride, x + 2 * stride, n, reps);
#pragma omp barrier
#pragma omp master
                    t1 = now_s();
                    wrong += wrong_elements((enum kernel)k, x + 2 * stride, n, reps, sum);
                }
                elapsed = t1 - t0;
                if (elapsed >= min_s)
                    break;
                if (elapsed < min_s / 100)
                    reps *= 8;
                else
                    reps = (long)((double)reps * min_s * 1.2 / elapsed) + 1;
            }
            printf("result kernel=%s level=%s threads=%d elements=%zu reps=%ld seconds=%.6f bytes=%.0f errors=%ld\n",
                   kernel_names[k], names[l], team, n, reps, elapsed,
                   8.0 * kernel_words[k] * (double)n * (double)reps * (double)team, wrong);
            fflush(stdout);
        }
    }
    printf("end\n");
    free(base);
    return 0;
}
