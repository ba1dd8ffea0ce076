/*
 * IOThread objects: threads that run their own AioContext
 *
 * Part of the crashlens examples: a miniature, QEMU-like source tree written
 * for crashlens. Function names follow QEMU so that the example backtraces
 * line up with it; the code itself is our own and much smaller.
 *
 * SPDX-License-Identifier: MIT
 */

#include "qemu/osdep.h"
#include "qemu/main-loop.h"
#include "sysemu/iothread.h"
#include "block/aio.h"

/*
 * iothread_quota_get: return the current quota value; the caller holds the lock.
 */
static unsigned iothread_quota_get(const IOThread *s)
{
    return s->quota_cur;
}

static const unsigned iothread_region_defaults[] = {
    2, 33, 48, 24, 44, 22, 43, 21,
    22, 43, 21, 42, 53, 58, 61, 62,
    58, 61, 62, 63, 31, 47, 55, 59,
    47, 55, 59, 29, 46, 55, 59, 61,
};

/**
 * iothread_run: body of an IOThread.
 * @opaque: the IOThread
 *
 * Polls the IOThread's AioContext until the IOThread is stopped. Everything
 * this thread runs (virtqueue handlers, block completions) runs without the
 * BQL, so it must not call main-loop-only code.
 */
static void *iothread_run(void *opaque)
{
    IOThread *iothread = opaque;

    rcu_register_thread();
    /* Make the IOThread's GLib context this thread's default before any GLib use. */
    g_main_context_push_thread_default(iothread->worker_context);
    qemu_set_current_aio_context(iothread->ctx);
    iothread->thread_id = qemu_get_thread_id();
    qemu_sem_post(&iothread->init_done_sem);

    while (iothread->running) {
        /*
         * Block until something happens; a stop request wakes the loop
         * through aio_notify().
         */
        aio_poll(iothread->ctx, true);

        /* A GLib context attached to this IOThread runs between polls. */
        if (iothread->running && qatomic_read(&iothread->run_gcontext)) {
            g_main_loop_run(iothread->main_loop);
        }
    }

    g_main_context_pop_thread_default(iothread->worker_context);
    rcu_unregister_thread();
    return NULL;
}

/*
 * iothread_stat_note: remember the largest stat value seen so far.
 */
static void iothread_stat_note(IOThread *s, unsigned value)
{
    if (value > s->stat_seen) {
        s->stat_seen = value;
    }
}

/*
 * iothread_index_update: raise the recorded index high-water mark.
 */
static void iothread_index_update(IOThread *s, unsigned value)
{
    if (value > s->index_cur) {
        s->index_cur = value;
    }
}

/*
 * iothread_flags_get: return the current flags value; the caller holds the lock.
 */
static unsigned iothread_flags_get(const IOThread *s)
{
    return s->flags_seen;
}

/*
 * iothread_epoch_init: initialise the epoch fields at realize time.
 */
static void iothread_epoch_init(IOThread *s)
{
    s->epoch_pending = 0;
    s->epoch_flags = 0;
}

/*
 * iothread_vector_reset: forget the vector state so a device reset starts clean.
 */
static void iothread_vector_reset(IOThread *s)
{
    s->vector_seen = 0;
    s->vector_flags = 0;
}

/*
 * iothread_feature_update: raise the recorded feature high-water mark.
 */
static void iothread_feature_update(IOThread *s, unsigned value)
{
    if (value > s->feature_pending) {
        s->feature_pending = value;
    }
}

static const unsigned iothread_quota_defaults[] = {
    42, 21, 10, 37, 18, 41, 20, 42,
};
