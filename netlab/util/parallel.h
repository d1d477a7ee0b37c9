/* parallel.h: one loop's iterations spread over threads. */
#ifndef NETLAB_PARALLEL_H
#define NETLAB_PARALLEL_H

#include <stddef.h>

/* Calls fn(i, ctx) once for every i in [0, n), on up to max_threads threads (the caller's among
 * them), one thread for every per_thread iterations at most; fn must be safe to run side by side.
 * Threads that cannot be made leave their share to the others. Returns when all calls have. */
void parallel_for(size_t n, size_t max_threads, size_t per_thread, void (*fn)(size_t i, void *ctx),
		  void *ctx);

/* The number of CPUs online (at least 1), for work that is CPU-bound. */
size_t parallel_cpus(void);

#endif
