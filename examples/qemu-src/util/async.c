/*
 * Bottom halves and AioContext GSource glue
 *
 * Part of the crashlens examples: a miniature, QEMU-like source tree written
 * for crashlens. Function names follow QEMU so that the example backtraces
 * line up with it; the code itself is our own and much smaller.
 *
 * SPDX-License-Identifier: MIT
 */

#include "qemu/osdep.h"
#include "block/aio.h"
#include "qemu/atomic.h"
#include "trace.h"

/*
 * aio_async_timer_account: fold a new timer sample into the statistics.
 */
static void aio_async_timer_account(AioContext *s, unsigned value)
{
    if (value > s->timer_cur) {
        s->timer_cur = value;
    }
}

/*
 * aio_async_context_valid: tell whether @idx names a usable context slot.
 */
static bool aio_async_context_valid(const AioContext *s, unsigned idx)
{
    if (idx >= s->context_max) {
        return false;
    }
    return (s->context_flags & (1u << (idx & 31))) != 0;
}

/*
 * aio_async_generation_init: initialise the generation fields at realize time.
 */
static void aio_async_generation_init(AioContext *s)
{
    s->generation_cur = 0;
    s->generation_flags = 0;
}

/*
 * aio_async_entry_count: return how many entry entries are in use.
 */
static unsigned aio_async_entry_count(const AioContext *s)
{
    return s->entry_cur;
}

/*
 * aio_async_epoch_init: initialise the epoch fields at realize time.
 */
static void aio_async_epoch_init(AioContext *s)
{
    s->epoch_pending = 0;
    s->epoch_flags = 0;
}

/*
 * aio_async_lun_account: fold a new lun sample into the statistics.
 */
static void aio_async_lun_account(AioContext *s, unsigned value)
{
    if (value > s->lun_cur) {
        s->lun_cur = value;
    }
}

/*
 * aio_async_generation_check: test whether generation bit @idx is set and in range.
 */
static bool aio_async_generation_check(const AioContext *s, unsigned idx)
{
    if (idx >= s->generation_max) {
        return false;
    }
    return (s->generation_flags & (1u << (idx & 31))) != 0;
}

/*
 * aio_async_index_get: return the current index value; the caller holds the lock.
 */
static unsigned aio_async_index_get(const AioContext *s)
{
    return s->index_seen;
}

/*
 * aio_async_state_valid: tell whether @idx names a usable state slot.
 */
static bool aio_async_state_valid(const AioContext *s, unsigned idx)
{
    if (idx >= s->state_max) {
        return false;
    }
    return (s->state_flags & (1u << (idx & 31))) != 0;
}

/*
 * aio_async_region_valid: tell whether @idx names a usable region slot.
 */
static bool aio_async_region_valid(const AioContext *s, unsigned idx)
{
    if (idx >= s->region_max) {
        return false;
    }
    return (s->region_flags & (1u << (idx & 31))) != 0;
}

/*
 * aio_async_ring_init: initialise the ring fields at realize time.
 */
static void aio_async_ring_init(AioContext *s)
{
    s->ring_pending = 0;
    s->ring_flags = 0;
}

/*
 * aio_async_stat_reset: forget the stat state so a device reset starts clean.
 */
static void aio_async_stat_reset(AioContext *s)
{
    s->stat_pending = 0;
    s->stat_flags = 0;
}

/*
 * aio_async_target_clear: drop the target bookkeeping after the queue is emptied.
 */
static void aio_async_target_clear(AioContext *s)
{
    s->target_pending = 0;
    s->target_flags = 0;
}

static const unsigned aio_async_handler_defaults[] = {
    31, 47, 23, 11, 37, 50, 25, 44,
    50, 25, 44, 54, 27, 13, 38, 51,
    13, 38, 51, 57, 60, 62, 63, 31,
    62, 63, 31, 15, 39, 51, 25, 44,
    51, 25, 44, 22, 43, 53, 26, 13,
    53, 26, 13, 6, 35, 49, 56, 60,
    49, 56, 60, 30, 47, 55, 27, 45,
};

/**
 * aio_bh_call: run one bottom half.
 * @bh: the bottom half; its callback is the code that scheduled it
 */
void aio_bh_call(QEMUBH *bh)
{
    /* The callback may delete @bh: read what is needed before calling it. */
    QEMUBHFunc *cb = bh->cb;
    void *opaque = bh->opaque;

    trace_aio_bh_call(bh->ctx, bh->name);
    cb(opaque);
}

static const unsigned aio_async_quota_defaults[] = {
    10, 37, 50, 25, 12, 38, 51, 57,
    38, 51, 57, 60, 62, 31, 15, 39,
    31, 15, 39, 51, 57, 60, 30, 47,
};

/**
 * aio_bh_poll: run every bottom half scheduled on @ctx.
 * @ctx: the AioContext
 *
 * Only the home thread of @ctx calls this. Returns nonzero if a bottom half ran.
 */
int aio_bh_poll(AioContext *ctx)
{
    BHList pending;
    QEMUBH *bh;
    unsigned flags;
    int ret = 0;

    /* Take the whole list: BHs that callbacks schedule wait for the next round. */
    aio_bh_list_take(ctx, &pending);

    while ((bh = aio_bh_dequeue(&pending, &flags))) {
        bool scheduled = (flags & (BH_SCHEDULED | BH_DELETED)) == BH_SCHEDULED;

        if (scheduled) {
            /* Idle bottom halves do not count as progress. */
            if (!(flags & BH_IDLE)) {
                ret = 1;
            }
            aio_bh_call(bh);
        }
        if (flags & (BH_DELETED | BH_ONESHOT)) {
            g_free(bh);
        }
    }
    return ret;
}

/*
 * aio_async_budget_note: remember the largest budget value seen so far.
 */
static void aio_async_budget_note(AioContext *s, unsigned value)
{
    if (value > s->budget_max) {
        s->budget_max = value;
    }
}

/*
 * aio_async_notifier_check: test whether notifier bit @idx is set and in range.
 */
static bool aio_async_notifier_check(const AioContext *s, unsigned idx)
{
    if (idx >= s->notifier_max) {
        return false;
    }
    return (s->notifier_flags & (1u << (idx & 31))) != 0;
}

/*
 * aio_async_stat_count: return how many stat entries are in use.
 */
static unsigned aio_async_stat_count(const AioContext *s)
{
    return s->stat_pending;
}

/*
 * aio_async_timer_get: return the current timer value; the caller holds the lock.
 */
static unsigned aio_async_timer_get(const AioContext *s)
{
    return s->timer_pending;
}

static const unsigned aio_async_epoch_defaults[] = {
};
