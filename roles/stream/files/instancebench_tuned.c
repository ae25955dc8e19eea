/*
 * instancebench.aws: "tuned" STREAM kernels (McCalpin's TUNED hooks), included into a copy of
 * stream.c in place of its stub section, so a, b, c, STREAM_TYPE and STREAM_ARRAY_SIZE are the
 * ones stream.c declares. Results built with these are "tuned" results: reported apart from the
 * standard build, never mixed with it.
 *
 * What is tuned: stores are non-temporal (streaming) where the ISA has them, so the kernels do
 * not read the destination's cache lines before writing them (write-allocate). STREAM counts only
 * the bytes its arrays move, so this shows the memory system's bandwidth without that hidden
 * traffic - the way likwid-bench's stream_mem_* kernels measure it.
 *
 * Paths, chosen by the compiler flags: AVX-512 (64-byte streaming stores), AVX2/AVX (32-byte),
 * otherwise the plain loops (no streaming store path for this ISA yet; the build records which).
 *
 * Copyright: (c) 2026, instancebench.aws contributors
 * GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
 */
/* stream.c defines an abs() macro before this point; the intrinsics headers pull in stdlib.h. */
#pragma push_macro("abs")
#undef abs
#include <stdint.h>
#include <stdio.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#if defined(__AVX__)
#include <immintrin.h>
#endif
#pragma pop_macro("abs")

#if defined(__AVX512F__)
#define IB_WIDTH 8
#define IB_VEC __m512d
#define IB_LOAD(p) _mm512_loadu_pd(p)
#define IB_STORE(p, v) _mm512_stream_pd((p), (v))
#define IB_SET1(x) _mm512_set1_pd(x)
#define IB_MUL(x, y) _mm512_mul_pd((x), (y))
#define IB_ADD(x, y) _mm512_add_pd((x), (y))
#define IB_FMA(x, y, z) _mm512_fmadd_pd((x), (y), (z))
#define IB_FENCE() _mm_sfence()
#elif defined(__AVX__)
#define IB_WIDTH 4
#define IB_VEC __m256d
#define IB_LOAD(p) _mm256_loadu_pd(p)
#define IB_STORE(p, v) _mm256_stream_pd((p), (v))
#define IB_SET1(x) _mm256_set1_pd(x)
#define IB_MUL(x, y) _mm256_mul_pd((x), (y))
#define IB_ADD(x, y) _mm256_add_pd((x), (y))
#if defined(__FMA__)
#define IB_FMA(x, y, z) _mm256_fmadd_pd((x), (y), (z))
#else
#define IB_FMA(x, y, z) _mm256_add_pd(_mm256_mul_pd((x), (y)), (z))
#endif
#define IB_FENCE() _mm_sfence()
#endif

/* Each thread's share [*lo, *hi), split on whole vectors so every thread stores aligned runs. */
static void ib_share(ssize_t n, ssize_t *lo, ssize_t *hi)
{
#ifdef _OPENMP
	ssize_t threads = omp_get_num_threads(), me = omp_get_thread_num();
#else
	ssize_t threads = 1, me = 0;
#endif
	ssize_t chunk = (n + threads - 1) / threads;
	*lo = me * chunk;
	*hi = *lo + chunk < n ? *lo + chunk : n;
	if (*lo > n)
		*lo = n;
}

#if defined(IB_WIDTH)
#define IB_ALIGNED(p) ((((uintptr_t)(p)) & (IB_WIDTH * sizeof(double) - 1)) == 0)
/* Scalar head until the destination is aligned, streaming vectors, scalar tail. */
#define IB_KERNEL(dst, scalar_expr, vector_expr) do {                          \
	ssize_t lo, hi, j;                                                      \
	ib_share(STREAM_ARRAY_SIZE, &lo, &hi);                                  \
	for (j = lo; j < hi && !IB_ALIGNED(&dst[j]); j++)                       \
		dst[j] = scalar_expr;                                           \
	for (; j + IB_WIDTH <= hi; j += IB_WIDTH)                               \
		IB_STORE(&dst[j], vector_expr);                                 \
	for (; j < hi; j++)                                                     \
		dst[j] = scalar_expr;                                           \
	IB_FENCE();                                                             \
} while (0)
#endif

/* Says which path this binary runs, before STREAM's own output: the result records it. */
__attribute__((constructor)) static void instancebench_say_path(void)
{
	printf("instancebench tuned kernels: %s\n",
#if defined(__AVX512F__)
	       "avx512-nontemporal"
#elif defined(__AVX__)
	       "avx-nontemporal"
#else
	       "plain"
#endif
	);
}

void tuned_STREAM_Copy()
{
#if defined(IB_WIDTH)
#pragma omp parallel
	IB_KERNEL(c, a[j], IB_LOAD(&a[j]));
#else
	ssize_t j;
#pragma omp parallel for
	for (j = 0; j < STREAM_ARRAY_SIZE; j++)
		c[j] = a[j];
#endif
}

void tuned_STREAM_Scale(STREAM_TYPE scalar)
{
#if defined(IB_WIDTH)
	IB_VEC s = IB_SET1(scalar);
#pragma omp parallel
	IB_KERNEL(b, scalar * c[j], IB_MUL(s, IB_LOAD(&c[j])));
#else
	ssize_t j;
#pragma omp parallel for
	for (j = 0; j < STREAM_ARRAY_SIZE; j++)
		b[j] = scalar * c[j];
#endif
}

void tuned_STREAM_Add()
{
#if defined(IB_WIDTH)
#pragma omp parallel
	IB_KERNEL(c, a[j] + b[j], IB_ADD(IB_LOAD(&a[j]), IB_LOAD(&b[j])));
#else
	ssize_t j;
#pragma omp parallel for
	for (j = 0; j < STREAM_ARRAY_SIZE; j++)
		c[j] = a[j] + b[j];
#endif
}

void tuned_STREAM_Triad(STREAM_TYPE scalar)
{
#if defined(IB_WIDTH)
	IB_VEC s = IB_SET1(scalar);
#pragma omp parallel
	IB_KERNEL(a, b[j] + scalar * c[j], IB_FMA(s, IB_LOAD(&c[j]), IB_LOAD(&b[j])));
#else
	ssize_t j;
#pragma omp parallel for
	for (j = 0; j < STREAM_ARRAY_SIZE; j++)
		a[j] = b[j] + scalar * c[j];
#endif
}
