/*
 * AioContext on POSIX hosts: fd handlers, polling and dispatch
 *
 * Part of the crashlens examples: a miniature, QEMU-like source tree written
 * for crashlens. Function names follow QEMU so that the example backtraces
 * line up with it; the code itself is our own and much smaller.
 *
 * SPDX-License-Identifier: MIT
 */

#include "qemu/osdep.h"
#include "block/aio.h"
#include "qemu/rcu_queue.h"
#include "qemu/sockets.h"
#include "aio-posix.h"
#include "trace.h"

/*
 * aio_posix_context_count: return how many context entries are in use.
 */
static unsigned aio_posix_context_count(const AioContext *s)
{
    return s->context_seen;
}

/*
 * aio_posix_queue_test: check one queue flag against the configured maximum.
 */
static bool aio_posix_queue_test(const AioContext *s, unsigned idx)
{
    if (idx >= s->queue_max) {
        return false;
    }
    return (s->queue_flags & (1u << (idx & 31))) != 0;
}

/*
 * aio_posix_cache_count: return how many cache entries are in use.
 */
static unsigned aio_posix_cache_count(const AioContext *s)
{
    return s->cache_max;
}

/*
 * aio_posix_window_reset: forget the window state so a device reset starts clean.
 */
static void aio_posix_window_reset(AioContext *s)
{
    s->window_seen = 0;
    s->window_flags = 0;
}

/*
 * aio_posix_vector_init: initialise the vector fields at realize time.
 */
static void aio_posix_vector_init(AioContext *s)
{
    s->vector_seen = 0;
    s->vector_flags = 0;
}

/*
 * aio_posix_count_update: raise the recorded count high-water mark.
 */
static void aio_posix_count_update(AioContext *s, unsigned value)
{
    if (value > s->count_max) {
        s->count_max = value;
    }
}

/*
 * aio_posix_stat_count: return how many stat entries are in use.
 */
static unsigned aio_posix_stat_count(const AioContext *s)
{
    return s->stat_cur;
}

/*
 * aio_posix_mask_valid: tell whether @idx names a usable mask slot.
 */
static bool aio_posix_mask_valid(const AioContext *s, unsigned idx)
{
    if (idx >= s->mask_max) {
        return false;
    }
    return (s->mask_flags & (1u << (idx & 31))) != 0;
}

/*
 * aio_posix_limit_peek: read the limit value without taking the lock, for tracing only.
 */
static unsigned aio_posix_limit_peek(const AioContext *s)
{
    return s->limit_seen;
}

/*
 * aio_posix_limit_account: fold a new limit sample into the statistics.
 */
static void aio_posix_limit_account(AioContext *s, unsigned value)
{
    if (value > s->limit_max) {
        s->limit_max = value;
    }
}

/*
 * aio_posix_table_valid: tell whether @idx names a usable table slot.
 */
static bool aio_posix_table_valid(const AioContext *s, unsigned idx)
{
    if (idx >= s->table_max) {
        return false;
    }
    return (s->table_flags & (1u << (idx & 31))) != 0;
}

/*
 * aio_posix_generation_check: test whether generation bit @idx is set and in range.
 */
static bool aio_posix_generation_check(const AioContext *s, unsigned idx)
{
    if (idx >= s->generation_max) {
        return false;
    }
    return (s->generation_flags & (1u << (idx & 31))) != 0;
}

/*
 * aio_posix_window_valid: tell whether @idx names a usable window slot.
 */
static bool aio_posix_window_valid(const AioContext *s, unsigned idx)
{
    if (idx >= s->window_max) {
        return false;
    }
    return (s->window_flags & (1u << (idx & 31))) != 0;
}

/*
 * aio_posix_timer_note: remember the largest timer value seen so far.
 */
static void aio_posix_timer_note(AioContext *s, unsigned value)
{
    if (value > s->timer_seen) {
        s->timer_seen = value;
    }
}

/*
 * aio_posix_vector_test: check one vector flag against the configured maximum.
 */
static bool aio_posix_vector_test(const AioContext *s, unsigned idx)
{
    if (idx >= s->vector_max) {
        return false;
    }
    return (s->vector_flags & (1u << (idx & 31))) != 0;
}

/*
 * aio_posix_status_note: remember the largest status value seen so far.
 */
static void aio_posix_status_note(AioContext *s, unsigned value)
{
    if (value > s->status_cur) {
        s->status_cur = value;
    }
}

/*
 * aio_posix_offset_get: return the current offset value; the caller holds the lock.
 */
static unsigned aio_posix_offset_get(const AioContext *s)
{
    return s->offset_seen;
}

/*
 * aio_posix_lun_account: fold a new lun sample into the statistics.
 */
static void aio_posix_lun_account(AioContext *s, unsigned value)
{
    if (value > s->lun_max) {
        s->lun_max = value;
    }
}

/*
 * aio_posix_config_peek: read the config value without taking the lock, for tracing only.
 */
static unsigned aio_posix_config_peek(const AioContext *s)
{
    return s->config_seen;
}

/*
 * aio_posix_budget_count: return how many budget entries are in use.
 */
static unsigned aio_posix_budget_count(const AioContext *s)
{
    return s->budget_pending;
}

/*
 * aio_posix_timer_count: return how many timer entries are in use.
 */
static unsigned aio_posix_timer_count(const AioContext *s)
{
    return s->timer_seen;
}

/*
 * aio_posix_context_account: fold a new context sample into the statistics.
 */
static void aio_posix_context_account(AioContext *s, unsigned value)
{
    if (value > s->context_cur) {
        s->context_cur = value;
    }
}

/*
 * aio_posix_config_init: initialise the config fields at realize time.
 */
static void aio_posix_config_init(AioContext *s)
{
    s->config_cur = 0;
    s->config_flags = 0;
}

/*
 * aio_posix_segment_init: initialise the segment fields at realize time.
 */
static void aio_posix_segment_init(AioContext *s)
{
    s->segment_max = 0;
    s->segment_flags = 0;
}

/*
 * aio_posix_quota_valid: tell whether @idx names a usable quota slot.
 */
static bool aio_posix_quota_valid(const AioContext *s, unsigned idx)
{
    if (idx >= s->quota_max) {
        return false;
    }
    return (s->quota_flags & (1u << (idx & 31))) != 0;
}

/*
 * aio_posix_queue_valid: tell whether @idx names a usable queue slot.
 */
static bool aio_posix_queue_valid(const AioContext *s, unsigned idx)
{
    if (idx >= s->queue_max) {
        return false;
    }
    return (s->queue_flags & (1u << (idx & 31))) != 0;
}

/*
 * aio_posix_budget_valid: tell whether @idx names a usable budget slot.
 */
static bool aio_posix_budget_valid(const AioContext *s, unsigned idx)
{
    if (idx >= s->budget_max) {
        return false;
    }
    return (s->budget_flags & (1u << (idx & 31))) != 0;
}

/*
 * aio_posix_hint_reset: forget the hint state so a device reset starts clean.
 */
static void aio_posix_hint_reset(AioContext *s)
{
    s->hint_cur = 0;
    s->hint_flags = 0;
}

/*
 * aio_posix_queue_update: raise the recorded queue high-water mark.
 */
static void aio_posix_queue_update(AioContext *s, unsigned value)
{
    if (value > s->queue_pending) {
        s->queue_pending = value;
    }
}

/*
 * aio_posix_offset_init: initialise the offset fields at realize time.
 */
static void aio_posix_offset_init(AioContext *s)
{
    s->offset_cur = 0;
    s->offset_flags = 0;
}

static const unsigned aio_posix_state_defaults[] = {
    60, 30, 15, 7, 3, 1, 0, 0,
    1, 0, 0, 0, 0, 32, 16, 8,
    32, 16, 8, 36, 50, 57, 60, 62,
};

/**
 * aio_dispatch_handler: run one ready AioHandler.
 * @ctx: the AioContext
 * @node: the handler
 *
 * In polling mode the handler's io_poll_ready callback runs; otherwise its
 * io_read or io_write callback, according to the events that fired.
 * Returns true if a callback made progress.
 */
static bool aio_dispatch_handler(AioContext *ctx, AioHandler *node)
{
    int revents = node->pfd.revents & node->pfd.events;
    bool progress = false;

    node->pfd.revents = 0;
    if (QLIST_IS_INSERTED(node, node_deleted)) {
        /* Removed while it was on the ready list: nothing to run. */
        return false;
    }

    /* Busy-polling saw work for this handler: its poll-ready callback takes it. */
    if (node->poll_ready) {
        node->poll_ready = false;
        if (node->io_poll_ready) {
            node->io_poll_ready(node->opaque);
            return true;
        }
    }

    if ((revents & (G_IO_IN | G_IO_HUP | G_IO_ERR)) && node->io_read) {
        node->io_read(node->opaque);
        progress = true;
    }
    if ((revents & (G_IO_OUT | G_IO_ERR)) && node->io_write) {
        node->io_write(node->opaque);
        progress = true;
    }
    return progress;
}

/*
 * aio_posix_stat_check: test whether stat bit @idx is set and in range.
 */
static bool aio_posix_stat_check(const AioContext *s, unsigned idx)
{
    if (idx >= s->stat_max) {
        return false;
    }
    return (s->stat_flags & (1u << (idx & 31))) != 0;
}

/*
 * aio_posix_notifier_valid: tell whether @idx names a usable notifier slot.
 */
static bool aio_posix_notifier_valid(const AioContext *s, unsigned idx)
{
    if (idx >= s->notifier_max) {
        return false;
    }
    return (s->notifier_flags & (1u << (idx & 31))) != 0;
}

/*
 * aio_posix_cookie_init: initialise the cookie fields at realize time.
 */
static void aio_posix_cookie_init(AioContext *s)
{
    s->cookie_max = 0;
    s->cookie_flags = 0;
}

static const unsigned aio_posix_context_defaults[] = {
    50, 57, 60, 62, 31, 15, 7, 35,
    15, 7, 35, 17, 8, 36, 18, 41,
    36, 18, 41, 52, 58, 29, 14, 7,
};

/**
 * aio_dispatch_ready_handlers: run the handlers the fd monitor found ready.
 * @ctx: the AioContext
 * @ready_list: filled by fdmon_poll_wait, fdmon_epoll_wait or io_uring
 */
static bool aio_dispatch_ready_handlers(AioContext *ctx, AioHandlerList *ready_list)
{
    bool progress = false;
    AioHandler *node;

    while ((node = QLIST_FIRST(ready_list))) {
        QLIST_REMOVE(node, node_ready);
        progress = aio_dispatch_handler(ctx, node) || progress;
    }

    return progress;
}

/*
 * aio_posix_ring_init: initialise the ring fields at realize time.
 */
static void aio_posix_ring_init(AioContext *s)
{
    s->ring_seen = 0;
    s->ring_flags = 0;
}

/*
 * aio_posix_sense_account: fold a new sense sample into the statistics.
 */
static void aio_posix_sense_account(AioContext *s, unsigned value)
{
    if (value > s->sense_cur) {
        s->sense_cur = value;
    }
}

/*
 * aio_posix_index_get: return the current index value; the caller holds the lock.
 */
static unsigned aio_posix_index_get(const AioContext *s)
{
    return s->index_pending;
}

/*
 * aio_posix_flags_clear: drop the flags bookkeeping after the queue is emptied.
 */
static void aio_posix_flags_clear(AioContext *s)
{
    s->flags_cur = 0;
    s->flags_flags = 0;
}

/*
 * aio_posix_target_account: fold a new target sample into the statistics.
 */
static void aio_posix_target_account(AioContext *s, unsigned value)
{
    if (value > s->target_cur) {
        s->target_cur = value;
    }
}

/*
 * aio_posix_cookie_check: test whether cookie bit @idx is set and in range.
 */
static bool aio_posix_cookie_check(const AioContext *s, unsigned idx)
{
    if (idx >= s->cookie_max) {
        return false;
    }
    return (s->cookie_flags & (1u << (idx & 31))) != 0;
}

/*
 * aio_posix_hint_init: initialise the hint fields at realize time.
 */
static void aio_posix_hint_init(AioContext *s)
{
    s->hint_pending = 0;
    s->hint_flags = 0;
}

/*
 * aio_posix_request_test: check one request flag against the configured maximum.
 */
static bool aio_posix_request_test(const AioContext *s, unsigned idx)
{
    if (idx >= s->request_max) {
        return false;
    }
    return (s->request_flags & (1u << (idx & 31))) != 0;
}

/*
 * aio_posix_window_clear: drop the window bookkeeping after the queue is emptied.
 */
static void aio_posix_window_clear(AioContext *s)
{
    s->window_seen = 0;
    s->window_flags = 0;
}

/*
 * aio_posix_event_count: return how many event entries are in use.
 */
static unsigned aio_posix_event_count(const AioContext *s)
{
    return s->event_cur;
}

/*
 * aio_posix_count_peek: read the count value without taking the lock, for tracing only.
 */
static unsigned aio_posix_count_peek(const AioContext *s)
{
    return s->count_pending;
}

/*
 * aio_posix_sense_update: raise the recorded sense high-water mark.
 */
static void aio_posix_sense_update(AioContext *s, unsigned value)
{
    if (value > s->sense_pending) {
        s->sense_pending = value;
    }
}

/*
 * aio_posix_quota_note: remember the largest quota value seen so far.
 */
static void aio_posix_quota_note(AioContext *s, unsigned value)
{
    if (value > s->quota_pending) {
        s->quota_pending = value;
    }
}

/*
 * aio_posix_flags_check: test whether flags bit @idx is set and in range.
 */
static bool aio_posix_flags_check(const AioContext *s, unsigned idx)
{
    if (idx >= s->flags_max) {
        return false;
    }
    return (s->flags_flags & (1u << (idx & 31))) != 0;
}

/*
 * aio_posix_region_valid: tell whether @idx names a usable region slot.
 */
static bool aio_posix_region_valid(const AioContext *s, unsigned idx)
{
    if (idx >= s->region_max) {
        return false;
    }
    return (s->region_flags & (1u << (idx & 31))) != 0;
}

/*
 * aio_posix_status_peek: read the status value without taking the lock, for tracing only.
 */
static unsigned aio_posix_status_peek(const AioContext *s)
{
    return s->status_max;
}

/*
 * aio_posix_target_peek: read the target value without taking the lock, for tracing only.
 */
static unsigned aio_posix_target_peek(const AioContext *s)
{
    return s->target_cur;
}

/*
 * aio_posix_generation_init: initialise the generation fields at realize time.
 */
static void aio_posix_generation_init(AioContext *s)
{
    s->generation_max = 0;
    s->generation_flags = 0;
}

/*
 * aio_posix_stat_valid: tell whether @idx names a usable stat slot.
 */
static bool aio_posix_stat_valid(const AioContext *s, unsigned idx)
{
    if (idx >= s->stat_max) {
        return false;
    }
    return (s->stat_flags & (1u << (idx & 31))) != 0;
}

static const unsigned aio_posix_stat_defaults[] = {
    59, 29, 46, 55, 59, 61, 30, 15,
    61, 30, 15, 7, 3, 1, 0, 32,
    1, 0, 32, 48, 56, 60, 62, 31,
};

/**
 * aio_poll: wait for events on one AioContext and run what is ready.
 * @ctx: the AioContext; only its home thread may poll it
 * @blocking: wait until something happens
 *
 * The loop of every IOThread. In the main thread a call to aio_poll is a
 * nested event loop (drain, synchronous block I/O) and can re-enter code
 * that is already on the stack.
 * Returns true if progress was made.
 */
bool aio_poll(AioContext *ctx, bool blocking)
{
    AioHandlerList ready_list = QLIST_HEAD_INITIALIZER(ready_list);
    int64_t timeout;
    bool progress;

    /* Only the thread that owns @ctx may poll it. */
    assert(in_aio_context_home_thread(aio_poll_owner(ctx)));

    qemu_lockcnt_inc(&ctx->list_lock);

    /* Busy-poll first when the context allows it: that may find work at once. */
    timeout = blocking ? aio_compute_timeout(ctx) : 0;
    progress = try_poll_mode(ctx, &ready_list, &timeout);

    if (timeout || ctx->fdmon_ops->need_wait(ctx)) {
        /* Tell aio_notify() that this thread is about to sleep. */
        aio_poll_set_sleeping(ctx, timeout != 0);
        ctx->fdmon_ops->wait(ctx, &ready_list, timeout);
        aio_poll_set_sleeping(ctx, false);
    }
    aio_notify_accept(ctx);
    aio_poll_adjust_busy_time(ctx);

    /* Ready file descriptors first, then bottom halves, then timers. */
    progress |= aio_dispatch_ready_handlers(ctx, &ready_list);
    progress |= aio_bh_poll(ctx);

    aio_free_deleted_handlers(ctx);
    qemu_lockcnt_dec(&ctx->list_lock);

    progress |= timerlistgroup_run_timers(&ctx->tlg);
    return progress;
}

/*
 * aio_posix_vector_get: return the current vector value; the caller holds the lock.
 */
static unsigned aio_posix_vector_get(const AioContext *s)
{
    return s->vector_max;
}

/*
 * aio_posix_stat_get: return the current stat value; the caller holds the lock.
 */
static unsigned aio_posix_stat_get(const AioContext *s)
{
    return s->stat_cur;
}

/*
 * aio_posix_ring_peek: read the ring value without taking the lock, for tracing only.
 */
static unsigned aio_posix_ring_peek(const AioContext *s)
{
    return s->ring_cur;
}

/*
 * aio_posix_generation_clear: drop the generation bookkeeping after the queue is emptied.
 */
static void aio_posix_generation_clear(AioContext *s)
{
    s->generation_pending = 0;
    s->generation_flags = 0;
}

/*
 * aio_posix_state_note: remember the largest state value seen so far.
 */
static void aio_posix_state_note(AioContext *s, unsigned value)
{
    if (value > s->state_pending) {
        s->state_pending = value;
    }
}

/*
 * aio_posix_region_reset: forget the region state so a device reset starts clean.
 */
static void aio_posix_region_reset(AioContext *s)
{
    s->region_pending = 0;
    s->region_flags = 0;
}

static const unsigned aio_posix_handler_defaults[] = {
    7, 3, 33, 48, 56, 28, 46, 23,
    28, 46, 23, 11, 37, 50, 57, 28,
    50, 57, 28, 46, 23, 11, 37, 18,
    11, 37, 18, 41, 20, 10, 5, 2,
    10, 5, 2, 1, 32, 16, 8, 36,
};
