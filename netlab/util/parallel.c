/* parallel.c: one loop's iterations spread over threads (see parallel.h). */
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "parallel.h"

#define PARALLEL_MAX_THREADS 64

struct loop {
	size_t n;
	atomic_size_t next;
	void (*fn)(size_t i, void *ctx);
	void *ctx;
};

static void *worker(void *arg)
{
	struct loop *l = arg;

	for (size_t i; (i = atomic_fetch_add(&l->next, 1)) < l->n;)
		l->fn(i, l->ctx);
	return NULL;
}

void parallel_for(size_t n, size_t max_threads, size_t per_thread, void (*fn)(size_t i, void *ctx),
		  void *ctx)
{
	struct loop l = { .n = n, .fn = fn, .ctx = ctx };
	pthread_t tid[PARALLEL_MAX_THREADS];
	size_t started = 0;

	if (max_threads > PARALLEL_MAX_THREADS)
		max_threads = PARALLEL_MAX_THREADS;
	if (per_thread == 0)
		per_thread = 1;
	atomic_init(&l.next, 0);
	while (started + 1 < max_threads && (started + 1) * per_thread < n &&
	       pthread_create(&tid[started], NULL, worker, &l) == 0)
		started++;
	worker(&l);
	for (size_t t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
}

size_t parallel_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (size_t)n : 1;
}
