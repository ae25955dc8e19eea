/*
 * instancebench gemm: GEMM per precision (DGEMM, SGEMM, bf16 SBGEMM) and BLAS level 1 (DAXPY,
 * DDOT) against the installed CBLAS, timed and checked against a reference computed here.
 *
 * Copyright: (c) 2026, instancebench.aws contributors
 * GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
 *
 * usage: instancebench_gemm gemm KERNELS SIZES MIN_MS
 *          KERNELS  comma list of dgemm, sgemm, sbgemm; SIZES comma list of n (square n x n x n)
 *        instancebench_gemm vector LEVEL N MIN_MS
 *          LEVEL    a label (l1, l2, dram); N elements per vector; runs daxpy and ddot
 * Threads: whatever the BLAS takes from the environment (the job script sets OPENBLAS_NUM_THREADS,
 * OMP_NUM_THREADS, BLIS_NUM_THREADS); the count the BLAS reports is printed.
 * Each case: one untimed call, then batches of calls, doubling, until one batch lasts MIN_MS.
 *
 * Output, one line each (parsed by plugins/module_utils/_gemm.py):
 *   instancebench gemm 1
 *   blas_config=<openblas_get_config(), or unknown>
 *   blas_core=<openblas_get_corename(), or unknown>
 *   blas_threads=<openblas_get_num_threads(), or 0 unknown>
 *   env OPENBLAS_CORETYPE=<value or empty> OPENBLAS_L2_SIZE=<value or empty>
 *   cpu_bf16=<1 when the CPU has AVX-512 BF16 (x86) or BF16 (aarch64), else 0>
 *   timer_resolution_ns=<n>
 *   result kernel=<k> n=<n> calls=<n> seconds=<s> checked=<entries> nonfinite=<n> max_rel_error=<x>
 *   result kernel=<daxpy|ddot> level=<l> n=<n> calls=<n> seconds=<s> bytes_per_call=<n> checked=<n> max_rel_error=<x>
 *   skip kernel=<k> reason=<why>
 *   end
 * max_rel_error: the largest |blas - reference| / sum |terms| over the checked entries, the
 * reference summed in long double from the very inputs the BLAS saw (bf16 inputs as rounded).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cblas.h>
#if defined(__aarch64__)
#include <sys/auxv.h>
#ifndef HWCAP2_BF16
#define HWCAP2_BF16 (1 << 14)
#endif
#endif

#define CHECKED 64

/* OpenBLAS's extras, looked up at run time so the driver links against any CBLAS. */
typedef char *(*string_fn)(void);
typedef int (*int_fn)(void);
typedef void (*sbgemm_fn)(int, int, int, int, int, int, float, const uint16_t *, int, const uint16_t *, int, float,
                          float *, int);

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static double uniform(void)
{
    /* xorshift64*: a fixed seed, the same inputs every run; values in [-1, 1). */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 0x2545f4914f6cdd1dULL) >> 11) / 4503599627370496.0 - 1.0;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static uint16_t to_bf16(float f)
{
    /* Round to nearest even, as cblas_sbstobf16 does (inputs here are finite). */
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    u += 0x7fff + ((u >> 16) & 1);
    return (uint16_t)(u >> 16);
}

static double from_bf16(uint16_t h)
{
    uint32_t u = (uint32_t)h << 16;
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

static int cpu_bf16(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512bf16") ? 1 : 0;
#elif defined(__aarch64__)
    return (getauxval(AT_HWCAP2) & HWCAP2_BF16) ? 1 : 0;
#else
    return 0;
#endif
}

struct gemm_case {
    const char *kernel;
    int n;
    void *a, *b, *c;
    sbgemm_fn sbgemm;
};

static void gemm_call(const struct gemm_case *g)
{
    int n = g->n;
    if (strcmp(g->kernel, "dgemm") == 0)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, g->a, n, g->b, n, 0.0, g->c, n);
    else if (strcmp(g->kernel, "sgemm") == 0)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, g->a, n, g->b, n, 0.0f, g->c, n);
    else
        g->sbgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, g->a, n, g->b, n, 0.0f, g->c, n);
}

static double element(const struct gemm_case *g, const void *m, size_t i)
{
    if (strcmp(g->kernel, "dgemm") == 0)
        return ((const double *)m)[i];
    if (strcmp(g->kernel, "sgemm") == 0)
        return ((const float *)m)[i];
    return from_bf16(((const uint16_t *)m)[i]);
}

static double result_at(const struct gemm_case *g, size_t i)
{
    return strcmp(g->kernel, "dgemm") == 0 ? ((const double *)g->c)[i] : ((const float *)g->c)[i];
}

/* Time `call` in batches, doubling, until one batch lasts min_s; returns that batch's seconds. */
static double timed(void (*call)(void *), void *arg, double min_s, size_t *calls)
{
    size_t k, batch = 1;
    double elapsed;
    call(arg); /* untimed: thread start-up, first touch of the output */
    for (;;) {
        double t0 = now_s();
        for (k = 0; k < batch; k++)
            call(arg);
        elapsed = now_s() - t0;
        if (elapsed >= min_s)
            break;
        /* Aim past min_s from the rate so far, at least doubling. */
        {
            double want = elapsed > 0 ? 1.2 * min_s / (elapsed / (double)batch) : 2.0 * (double)batch;
            batch = want > 2.0 * (double)batch ? (size_t)want : 2 * batch;
        }
    }
    *calls = batch;
    return elapsed;
}

static void gemm_thunk(void *arg)
{
    gemm_call(arg);
}

static int run_gemm(const char *kernel, int n, double min_s, sbgemm_fn sbgemm)
{
    struct gemm_case g = {kernel, n, NULL, NULL, NULL, sbgemm};
    size_t nn = (size_t)n * (size_t)n, i, elem = strcmp(kernel, "dgemm") == 0 ? 8 : strcmp(kernel, "sgemm") == 0 ? 4 : 2;
    size_t calls = 0, nonfinite = 0, t;
    double seconds, worst = 0.0;
    g.a = malloc(nn * elem);
    g.b = malloc(nn * elem);
    g.c = malloc(nn * (elem == 8 ? 8 : 4));
    if (!g.a || !g.b || !g.c) {
        fprintf(stderr, "cannot allocate three %d x %d matrices for %s\n", n, n, kernel);
        return 1;
    }
    for (i = 0; i < 2 * nn; i++) {
        void *m = i < nn ? g.a : g.b;
        size_t j = i < nn ? i : i - nn;
        double v = uniform();
        if (elem == 8)
            ((double *)m)[j] = v;
        else if (elem == 4)
            ((float *)m)[j] = (float)v;
        else
            ((uint16_t *)m)[j] = to_bf16((float)v);
    }
    seconds = timed(gemm_thunk, &g, min_s, &calls);
    /* Every entry finite; CHECKED entries (the corners, then spread at random) against the reference. */
    for (i = 0; i < nn; i++)
        if (!isfinite(result_at(&g, i)))
            nonfinite++;
    for (t = 0; t < CHECKED; t++) {
        size_t row = t == 0 || t == 1 ? 0 : t == 2 || t == 3 ? (size_t)n - 1 : (size_t)((uniform() + 1.0) / 2.0 * n);
        size_t col = t == 0 || t == 2 ? 0 : t == 1 || t == 3 ? (size_t)n - 1 : (size_t)((uniform() + 1.0) / 2.0 * n);
        long double sum = 0.0L, magnitude = 0.0L;
        size_t k;
        row = row >= (size_t)n ? (size_t)n - 1 : row;
        col = col >= (size_t)n ? (size_t)n - 1 : col;
        for (k = 0; k < (size_t)n; k++) {
            long double term = (long double)element(&g, g.a, row * n + k) * (long double)element(&g, g.b, k * n + col);
            sum += term;
            magnitude += fabsl(term);
        }
        if (magnitude > 0) {
            double err = (double)(fabsl((long double)result_at(&g, row * n + col) - sum) / magnitude);
            worst = err > worst || isnan(err) ? err : worst;
        }
    }
    printf("result kernel=%s n=%d calls=%zu seconds=%.6f checked=%d nonfinite=%zu max_rel_error=%.3e\n", kernel, n,
           calls, seconds, CHECKED, nonfinite, worst);
    fflush(stdout);
    free(g.a);
    free(g.b);
    free(g.c);
    return 0;
}

struct vector_case {
    int n;
    double *x, *y, alpha, sink;
    int daxpy;
};

static void vector_thunk(void *arg)
{
    struct vector_case *v = arg;
    if (v->daxpy) {
        cblas_daxpy(v->n, v->alpha, v->x, 1, v->y, 1);
        v->alpha = -v->alpha; /* alternate: y stays where it started, whatever the call count */
    } else {
        v->sink += cblas_ddot(v->n, v->x, 1, v->y, 1);
    }
}

static int run_vector(const char *level, int n, double min_s)
{
    struct vector_case v = {n, NULL, NULL, 0.5, 0.0, 1};
    double *before;
    int pass;
    v.x = malloc((size_t)n * sizeof(double));
    v.y = malloc((size_t)n * sizeof(double));
    before = malloc((size_t)n * sizeof(double));
    if (!v.x || !v.y || !before) {
        fprintf(stderr, "cannot allocate vectors of %d doubles\n", n);
        return 1;
    }
    for (pass = 0; pass < n; pass++) {
        v.x[pass] = uniform();
        v.y[pass] = uniform();
    }
    for (pass = 0; pass < 2; pass++) {
        size_t calls = 0, i;
        double seconds, worst = 0.0;
        v.daxpy = pass == 0;
        seconds = timed(vector_thunk, &v, min_s, &calls);
        if (v.daxpy) {
            /* One more call checked element by element: y = alpha x + y, each with its own terms. */
            memcpy(before, v.y, (size_t)n * sizeof(double));
            cblas_daxpy(n, v.alpha, v.x, 1, v.y, 1);
            for (i = 0; i < (size_t)n; i++) {
                long double term = (long double)v.alpha * v.x[i], ref = term + before[i];
                long double magnitude = fabsl(term) + fabsl((long double)before[i]);
                double err = magnitude > 0 ? (double)(fabsl((long double)v.y[i] - ref) / magnitude) : 0.0;
                worst = err > worst || isnan(err) ? err : worst;
            }
        } else {
            long double sum = 0.0L, magnitude = 0.0L;
            double got = cblas_ddot(n, v.x, 1, v.y, 1);
            for (i = 0; i < (size_t)n; i++) {
                sum += (long double)v.x[i] * v.y[i];
                magnitude += fabsl((long double)v.x[i] * v.y[i]);
            }
            worst = magnitude > 0 ? (double)(fabsl((long double)got - sum) / magnitude) : 0.0;
        }
        printf("result kernel=%s level=%s n=%d calls=%zu seconds=%.6f bytes_per_call=%zu checked=%d max_rel_error=%.3e\n",
               v.daxpy ? "daxpy" : "ddot", level, n, calls, seconds, (size_t)n * sizeof(double) * (v.daxpy ? 3 : 2),
               v.daxpy ? n : 1, worst);
        fflush(stdout);
    }
    if (v.sink == 12345.678)
        printf("sink\n"); /* keep the dot products */
    free(v.x);
    free(v.y);
    free(before);
    return 0;
}

int main(int argc, char **argv)
{
    string_fn config = (string_fn)dlsym(RTLD_DEFAULT, "openblas_get_config");
    string_fn core = (string_fn)dlsym(RTLD_DEFAULT, "openblas_get_corename");
    int_fn threads = (int_fn)dlsym(RTLD_DEFAULT, "openblas_get_num_threads");
    sbgemm_fn sbgemm = (sbgemm_fn)dlsym(RTLD_DEFAULT, "cblas_sbgemm");
    const char *coretype = getenv("OPENBLAS_CORETYPE"), *l2 = getenv("OPENBLAS_L2_SIZE");
    struct timespec res;
    double min_s;
    int status = 0, bf16 = cpu_bf16();

    if (argc != 5 || (strcmp(argv[1], "gemm") && strcmp(argv[1], "vector"))) {
        fprintf(stderr, "usage: %s gemm dgemm,sgemm,sbgemm N[,N...] MIN_MS | %s vector LEVEL N MIN_MS\n", argv[0],
                argv[0]);
        return 2;
    }
    min_s = strtod(argv[4], NULL) / 1000.0;
    if (!(min_s > 0)) {
        fprintf(stderr, "MIN_MS must be above 0, got %s\n", argv[4]);
        return 2;
    }
    clock_getres(CLOCK_MONOTONIC, &res);
    printf("instancebench gemm 1\n");
    printf("blas_config=%s\n", config ? config() : "unknown");
    printf("blas_core=%s\n", core ? core() : "unknown");
    printf("blas_threads=%d\n", threads ? threads() : 0);
    printf("env OPENBLAS_CORETYPE=%s OPENBLAS_L2_SIZE=%s\n", coretype ? coretype : "", l2 ? l2 : "");
    printf("cpu_bf16=%d\n", bf16);
    printf("timer_resolution_ns=%.0f\n", (double)res.tv_sec * 1e9 + (double)res.tv_nsec);
    fflush(stdout);
    if (strcmp(argv[1], "vector") == 0) {
        int n = atoi(argv[3]);
        if (n < 1) {
            fprintf(stderr, "N must be at least 1, got %s\n", argv[3]);
            return 2;
        }
        status = run_vector(argv[2], n, min_s);
    } else {
        char *kernels = strdup(argv[2]), *kernel, *save_k = NULL;
        for (kernel = strtok_r(kernels, ",", &save_k); kernel && !status; kernel = strtok_r(NULL, ",", &save_k)) {
            char *sizes = strdup(argv[3]), *size, *save_s = NULL;
            if (strcmp(kernel, "dgemm") && strcmp(kernel, "sgemm") && strcmp(kernel, "sbgemm")) {
                fprintf(stderr, "kernel %s: use dgemm, sgemm or sbgemm\n", kernel);
                return 2;
            }
            if (strcmp(kernel, "sbgemm") == 0 && (!bf16 || !sbgemm)) {
                printf("skip kernel=sbgemm reason=%s\n", !bf16 ? "the CPU has no bf16 dot-product instructions (AVX-512 "
                       "BF16 or Arm BF16)" : "the BLAS has no cblas_sbgemm (OpenBLAS built without BUILD_BFLOAT16)");
                free(sizes);
                continue;
            }
            for (size = strtok_r(sizes, ",", &save_s); size && !status; size = strtok_r(NULL, ",", &save_s)) {
                int n = atoi(size);
                if (n < 4) {
                    fprintf(stderr, "size %s: use n >= 4\n", size);
                    return 2;
                }
                status = run_gemm(kernel, n, min_s, sbgemm);
            }
            free(sizes);
        }
        free(kernels);
    }
    if (status == 0)
        printf("end\n");
    return status;
}
