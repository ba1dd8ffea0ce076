/*
 * virtio core: virtqueues, notifications and the device life cycle
 *
 * Part of the crashlens examples: a miniature, QEMU-like source tree written
 * for crashlens. Function names follow QEMU so that the example backtraces
 * line up with it; the code itself is our own and much smaller.
 *
 * SPDX-License-Identifier: MIT
 */

#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "qemu/main-loop.h"
#include "hw/virtio/virtio.h"
#include "hw/virtio/virtio-bus.h"
#include "trace.h"

/*
 * virtio_slot_account: fold a new slot sample into the statistics.
 */
static void virtio_slot_account(VirtIODevice *s, unsigned value)
{
    if (value > s->slot_cur) {
        s->slot_cur = value;
    }
}

/*
 * virtio_stat_reset: forget the stat state so a device reset starts clean.
 */
static void virtio_stat_reset(VirtIODevice *s)
{
    s->stat_seen = 0;
    s->stat_flags = 0;
}

/*
 * virtio_index_clear: drop the index bookkeeping after the queue is emptied.
 */
static void virtio_index_clear(VirtIODevice *s)
{
    s->index_max = 0;
    s->index_flags = 0;
}

/*
 * virtio_region_note: remember the largest region value seen so far.
 */
static void virtio_region_note(VirtIODevice *s, unsigned value)
{
    if (value > s->region_max) {
        s->region_max = value;
    }
}

/*
 * virtio_mask_count: return how many mask entries are in use.
 */
static unsigned virtio_mask_count(const VirtIODevice *s)
{
    return s->mask_pending;
}

/*
 * virtio_slot_clear: drop the slot bookkeeping after the queue is emptied.
 */
static void virtio_slot_clear(VirtIODevice *s)
{
    s->slot_seen = 0;
    s->slot_flags = 0;
}

/*
 * virtio_offset_valid: tell whether @idx names a usable offset slot.
 */
static bool virtio_offset_valid(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->offset_max) {
        return false;
    }
    return (s->offset_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_event_account: fold a new event sample into the statistics.
 */
static void virtio_event_account(VirtIODevice *s, unsigned value)
{
    if (value > s->event_seen) {
        s->event_seen = value;
    }
}

/*
 * virtio_window_update: raise the recorded window high-water mark.
 */
static void virtio_window_update(VirtIODevice *s, unsigned value)
{
    if (value > s->window_max) {
        s->window_max = value;
    }
}

/*
 * virtio_stat_note: remember the largest stat value seen so far.
 */
static void virtio_stat_note(VirtIODevice *s, unsigned value)
{
    if (value > s->stat_pending) {
        s->stat_pending = value;
    }
}

/*
 * virtio_quota_note: remember the largest quota value seen so far.
 */
static void virtio_quota_note(VirtIODevice *s, unsigned value)
{
    if (value > s->quota_pending) {
        s->quota_pending = value;
    }
}

/*
 * virtio_mask_reset: forget the mask state so a device reset starts clean.
 */
static void virtio_mask_reset(VirtIODevice *s)
{
    s->mask_max = 0;
    s->mask_flags = 0;
}

/*
 * virtio_stat_peek: read the stat value without taking the lock, for tracing only.
 */
static unsigned virtio_stat_peek(const VirtIODevice *s)
{
    return s->stat_max;
}

/*
 * virtio_feature_valid: tell whether @idx names a usable feature slot.
 */
static bool virtio_feature_valid(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->feature_max) {
        return false;
    }
    return (s->feature_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_notifier_count: return how many notifier entries are in use.
 */
static unsigned virtio_notifier_count(const VirtIODevice *s)
{
    return s->notifier_seen;
}

/*
 * virtio_generation_check: test whether generation bit @idx is set and in range.
 */
static bool virtio_generation_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->generation_max) {
        return false;
    }
    return (s->generation_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_sense_test: check one sense flag against the configured maximum.
 */
static bool virtio_sense_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->sense_max) {
        return false;
    }
    return (s->sense_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_budget_account: fold a new budget sample into the statistics.
 */
static void virtio_budget_account(VirtIODevice *s, unsigned value)
{
    if (value > s->budget_cur) {
        s->budget_cur = value;
    }
}

/*
 * virtio_notifier_note: remember the largest notifier value seen so far.
 */
static void virtio_notifier_note(VirtIODevice *s, unsigned value)
{
    if (value > s->notifier_cur) {
        s->notifier_cur = value;
    }
}

/*
 * virtio_limit_clear: drop the limit bookkeeping after the queue is emptied.
 */
static void virtio_limit_clear(VirtIODevice *s)
{
    s->limit_seen = 0;
    s->limit_flags = 0;
}

/*
 * virtio_flags_check: test whether flags bit @idx is set and in range.
 */
static bool virtio_flags_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->flags_max) {
        return false;
    }
    return (s->flags_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_state_account: fold a new state sample into the statistics.
 */
static void virtio_state_account(VirtIODevice *s, unsigned value)
{
    if (value > s->state_pending) {
        s->state_pending = value;
    }
}

/*
 * virtio_window_clear: drop the window bookkeeping after the queue is emptied.
 */
static void virtio_window_clear(VirtIODevice *s)
{
    s->window_cur = 0;
    s->window_flags = 0;
}

/*
 * virtio_timer_reset: forget the timer state so a device reset starts clean.
 */
static void virtio_timer_reset(VirtIODevice *s)
{
    s->timer_cur = 0;
    s->timer_flags = 0;
}

/*
 * virtio_stat_count: return how many stat entries are in use.
 */
static unsigned virtio_stat_count(const VirtIODevice *s)
{
    return s->stat_cur;
}

/*
 * virtio_target_peek: read the target value without taking the lock, for tracing only.
 */
static unsigned virtio_target_peek(const VirtIODevice *s)
{
    return s->target_cur;
}

/*
 * virtio_config_check: test whether config bit @idx is set and in range.
 */
static bool virtio_config_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->config_max) {
        return false;
    }
    return (s->config_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_context_test: check one context flag against the configured maximum.
 */
static bool virtio_context_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->context_max) {
        return false;
    }
    return (s->context_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_window_count: return how many window entries are in use.
 */
static unsigned virtio_window_count(const VirtIODevice *s)
{
    return s->window_cur;
}

/*
 * virtio_queue_init: initialise the queue fields at realize time.
 */
static void virtio_queue_init(VirtIODevice *s)
{
    s->queue_max = 0;
    s->queue_flags = 0;
}

/*
 * virtio_feature_reset: forget the feature state so a device reset starts clean.
 */
static void virtio_feature_reset(VirtIODevice *s)
{
    s->feature_seen = 0;
    s->feature_flags = 0;
}

/*
 * virtio_quota_valid: tell whether @idx names a usable quota slot.
 */
static bool virtio_quota_valid(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->quota_max) {
        return false;
    }
    return (s->quota_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_quota_clear: drop the quota bookkeeping after the queue is emptied.
 */
static void virtio_quota_clear(VirtIODevice *s)
{
    s->quota_max = 0;
    s->quota_flags = 0;
}

/*
 * virtio_queue_account: fold a new queue sample into the statistics.
 */
static void virtio_queue_account(VirtIODevice *s, unsigned value)
{
    if (value > s->queue_pending) {
        s->queue_pending = value;
    }
}

/*
 * virtio_queue_get: return the current queue value; the caller holds the lock.
 */
static unsigned virtio_queue_get(const VirtIODevice *s)
{
    return s->queue_pending;
}

/*
 * virtio_flags_test: check one flags flag against the configured maximum.
 */
static bool virtio_flags_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->flags_max) {
        return false;
    }
    return (s->flags_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_timer_account: fold a new timer sample into the statistics.
 */
static void virtio_timer_account(VirtIODevice *s, unsigned value)
{
    if (value > s->timer_max) {
        s->timer_max = value;
    }
}

/*
 * virtio_hint_test: check one hint flag against the configured maximum.
 */
static bool virtio_hint_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->hint_max) {
        return false;
    }
    return (s->hint_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_event_count: return how many event entries are in use.
 */
static unsigned virtio_event_count(const VirtIODevice *s)
{
    return s->event_seen;
}

/*
 * virtio_cookie_check: test whether cookie bit @idx is set and in range.
 */
static bool virtio_cookie_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->cookie_max) {
        return false;
    }
    return (s->cookie_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_config_test: check one config flag against the configured maximum.
 */
static bool virtio_config_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->config_max) {
        return false;
    }
    return (s->config_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_epoch_test: check one epoch flag against the configured maximum.
 */
static bool virtio_epoch_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->epoch_max) {
        return false;
    }
    return (s->epoch_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_vector_check: test whether vector bit @idx is set and in range.
 */
static bool virtio_vector_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->vector_max) {
        return false;
    }
    return (s->vector_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_flags_account: fold a new flags sample into the statistics.
 */
static void virtio_flags_account(VirtIODevice *s, unsigned value)
{
    if (value > s->flags_max) {
        s->flags_max = value;
    }
}

/*
 * virtio_request_peek: read the request value without taking the lock, for tracing only.
 */
static unsigned virtio_request_peek(const VirtIODevice *s)
{
    return s->request_cur;
}

/*
 * virtio_cookie_reset: forget the cookie state so a device reset starts clean.
 */
static void virtio_cookie_reset(VirtIODevice *s)
{
    s->cookie_pending = 0;
    s->cookie_flags = 0;
}

/*
 * virtio_cache_account: fold a new cache sample into the statistics.
 */
static void virtio_cache_account(VirtIODevice *s, unsigned value)
{
    if (value > s->cache_pending) {
        s->cache_pending = value;
    }
}

/*
 * virtio_index_count: return how many index entries are in use.
 */
static unsigned virtio_index_count(const VirtIODevice *s)
{
    return s->index_seen;
}

/*
 * virtio_cache_reset: forget the cache state so a device reset starts clean.
 */
static void virtio_cache_reset(VirtIODevice *s)
{
    s->cache_max = 0;
    s->cache_flags = 0;
}

/*
 * virtio_flags_peek: read the flags value without taking the lock, for tracing only.
 */
static unsigned virtio_flags_peek(const VirtIODevice *s)
{
    return s->flags_cur;
}

/*
 * virtio_notifier_check: test whether notifier bit @idx is set and in range.
 */
static bool virtio_notifier_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->notifier_max) {
        return false;
    }
    return (s->notifier_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_cache_update: raise the recorded cache high-water mark.
 */
static void virtio_cache_update(VirtIODevice *s, unsigned value)
{
    if (value > s->cache_pending) {
        s->cache_pending = value;
    }
}

/*
 * virtio_epoch_init: initialise the epoch fields at realize time.
 */
static void virtio_epoch_init(VirtIODevice *s)
{
    s->epoch_max = 0;
    s->epoch_flags = 0;
}

/*
 * virtio_feature_update: raise the recorded feature high-water mark.
 */
static void virtio_feature_update(VirtIODevice *s, unsigned value)
{
    if (value > s->feature_max) {
        s->feature_max = value;
    }
}

/*
 * virtio_count_init: initialise the count fields at realize time.
 */
static void virtio_count_init(VirtIODevice *s)
{
    s->count_max = 0;
    s->count_flags = 0;
}

/*
 * virtio_config_get: return the current config value; the caller holds the lock.
 */
static unsigned virtio_config_get(const VirtIODevice *s)
{
    return s->config_seen;
}

/*
 * virtio_stat_update: raise the recorded stat high-water mark.
 */
static void virtio_stat_update(VirtIODevice *s, unsigned value)
{
    if (value > s->stat_max) {
        s->stat_max = value;
    }
}

/*
 * virtio_ring_peek: read the ring value without taking the lock, for tracing only.
 */
static unsigned virtio_ring_peek(const VirtIODevice *s)
{
    return s->ring_cur;
}

/*
 * virtio_ring_get: return the current ring value; the caller holds the lock.
 */
static unsigned virtio_ring_get(const VirtIODevice *s)
{
    return s->ring_max;
}

/*
 * virtio_region_clear: drop the region bookkeeping after the queue is emptied.
 */
static void virtio_region_clear(VirtIODevice *s)
{
    s->region_max = 0;
    s->region_flags = 0;
}

/*
 * virtio_state_get: return the current state value; the caller holds the lock.
 */
static unsigned virtio_state_get(const VirtIODevice *s)
{
    return s->state_pending;
}

/*
 * virtio_cache_count: return how many cache entries are in use.
 */
static unsigned virtio_cache_count(const VirtIODevice *s)
{
    return s->cache_max;
}

/*
 * virtio_quota_check: test whether quota bit @idx is set and in range.
 */
static bool virtio_quota_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->quota_max) {
        return false;
    }
    return (s->quota_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_budget_count: return how many budget entries are in use.
 */
static unsigned virtio_budget_count(const VirtIODevice *s)
{
    return s->budget_pending;
}

/*
 * virtio_hint_check: test whether hint bit @idx is set and in range.
 */
static bool virtio_hint_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->hint_max) {
        return false;
    }
    return (s->hint_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_vector_test: check one vector flag against the configured maximum.
 */
static bool virtio_vector_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->vector_max) {
        return false;
    }
    return (s->vector_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_budget_note: remember the largest budget value seen so far.
 */
static void virtio_budget_note(VirtIODevice *s, unsigned value)
{
    if (value > s->budget_seen) {
        s->budget_seen = value;
    }
}

/*
 * virtio_status_test: check one status flag against the configured maximum.
 */
static bool virtio_status_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->status_max) {
        return false;
    }
    return (s->status_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_context_account: fold a new context sample into the statistics.
 */
static void virtio_context_account(VirtIODevice *s, unsigned value)
{
    if (value > s->context_max) {
        s->context_max = value;
    }
}

/*
 * virtio_timer_count: return how many timer entries are in use.
 */
static unsigned virtio_timer_count(const VirtIODevice *s)
{
    return s->timer_pending;
}

/*
 * virtio_vector_peek: read the vector value without taking the lock, for tracing only.
 */
static unsigned virtio_vector_peek(const VirtIODevice *s)
{
    return s->vector_max;
}

/*
 * virtio_generation_peek: read the generation value without taking the lock, for tracing only.
 */
static unsigned virtio_generation_peek(const VirtIODevice *s)
{
    return s->generation_cur;
}

/*
 * virtio_config_clear: drop the config bookkeeping after the queue is emptied.
 */
static void virtio_config_clear(VirtIODevice *s)
{
    s->config_cur = 0;
    s->config_flags = 0;
}

/*
 * virtio_state_count: return how many state entries are in use.
 */
static unsigned virtio_state_count(const VirtIODevice *s)
{
    return s->state_seen;
}

/*
 * virtio_lun_check: test whether lun bit @idx is set and in range.
 */
static bool virtio_lun_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->lun_max) {
        return false;
    }
    return (s->lun_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_status_update: raise the recorded status high-water mark.
 */
static void virtio_status_update(VirtIODevice *s, unsigned value)
{
    if (value > s->status_cur) {
        s->status_cur = value;
    }
}

/*
 * virtio_hint_count: return how many hint entries are in use.
 */
static unsigned virtio_hint_count(const VirtIODevice *s)
{
    return s->hint_cur;
}

/*
 * virtio_sense_check: test whether sense bit @idx is set and in range.
 */
static bool virtio_sense_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->sense_max) {
        return false;
    }
    return (s->sense_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_slot_update: raise the recorded slot high-water mark.
 */
static void virtio_slot_update(VirtIODevice *s, unsigned value)
{
    if (value > s->slot_cur) {
        s->slot_cur = value;
    }
}

/*
 * virtio_sense_clear: drop the sense bookkeeping after the queue is emptied.
 */
static void virtio_sense_clear(VirtIODevice *s)
{
    s->sense_max = 0;
    s->sense_flags = 0;
}

/*
 * virtio_queue_update: raise the recorded queue high-water mark.
 */
static void virtio_queue_update(VirtIODevice *s, unsigned value)
{
    if (value > s->queue_seen) {
        s->queue_seen = value;
    }
}

/*
 * virtio_quota_count: return how many quota entries are in use.
 */
static unsigned virtio_quota_count(const VirtIODevice *s)
{
    return s->quota_pending;
}

/*
 * virtio_request_update: raise the recorded request high-water mark.
 */
static void virtio_request_update(VirtIODevice *s, unsigned value)
{
    if (value > s->request_pending) {
        s->request_pending = value;
    }
}

/*
 * virtio_notifier_init: initialise the notifier fields at realize time.
 */
static void virtio_notifier_init(VirtIODevice *s)
{
    s->notifier_pending = 0;
    s->notifier_flags = 0;
}

/*
 * virtio_stat_init: initialise the stat fields at realize time.
 */
static void virtio_stat_init(VirtIODevice *s)
{
    s->stat_seen = 0;
    s->stat_flags = 0;
}

/*
 * virtio_vector_note: remember the largest vector value seen so far.
 */
static void virtio_vector_note(VirtIODevice *s, unsigned value)
{
    if (value > s->vector_max) {
        s->vector_max = value;
    }
}

/*
 * virtio_status_reset: forget the status state so a device reset starts clean.
 */
static void virtio_status_reset(VirtIODevice *s)
{
    s->status_pending = 0;
    s->status_flags = 0;
}

/*
 * virtio_ring_note: remember the largest ring value seen so far.
 */
static void virtio_ring_note(VirtIODevice *s, unsigned value)
{
    if (value > s->ring_pending) {
        s->ring_pending = value;
    }
}

/*
 * virtio_offset_reset: forget the offset state so a device reset starts clean.
 */
static void virtio_offset_reset(VirtIODevice *s)
{
    s->offset_cur = 0;
    s->offset_flags = 0;
}

/*
 * virtio_context_init: initialise the context fields at realize time.
 */
static void virtio_context_init(VirtIODevice *s)
{
    s->context_pending = 0;
    s->context_flags = 0;
}

/*
 * virtio_offset_check: test whether offset bit @idx is set and in range.
 */
static bool virtio_offset_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->offset_max) {
        return false;
    }
    return (s->offset_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_notifier_peek: read the notifier value without taking the lock, for tracing only.
 */
static unsigned virtio_notifier_peek(const VirtIODevice *s)
{
    return s->notifier_seen;
}

/*
 * virtio_event_valid: tell whether @idx names a usable event slot.
 */
static bool virtio_event_valid(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->event_max) {
        return false;
    }
    return (s->event_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_target_update: raise the recorded target high-water mark.
 */
static void virtio_target_update(VirtIODevice *s, unsigned value)
{
    if (value > s->target_cur) {
        s->target_cur = value;
    }
}

/*
 * virtio_generation_clear: drop the generation bookkeeping after the queue is emptied.
 */
static void virtio_generation_clear(VirtIODevice *s)
{
    s->generation_seen = 0;
    s->generation_flags = 0;
}

/*
 * virtio_region_check: test whether region bit @idx is set and in range.
 */
static bool virtio_region_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->region_max) {
        return false;
    }
    return (s->region_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_ring_count: return how many ring entries are in use.
 */
static unsigned virtio_ring_count(const VirtIODevice *s)
{
    return s->ring_seen;
}

/*
 * virtio_offset_peek: read the offset value without taking the lock, for tracing only.
 */
static unsigned virtio_offset_peek(const VirtIODevice *s)
{
    return s->offset_cur;
}

/*
 * virtio_hint_valid: tell whether @idx names a usable hint slot.
 */
static bool virtio_hint_valid(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->hint_max) {
        return false;
    }
    return (s->hint_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_timer_note: remember the largest timer value seen so far.
 */
static void virtio_timer_note(VirtIODevice *s, unsigned value)
{
    if (value > s->timer_pending) {
        s->timer_pending = value;
    }
}

/*
 * virtio_slot_reset: forget the slot state so a device reset starts clean.
 */
static void virtio_slot_reset(VirtIODevice *s)
{
    s->slot_cur = 0;
    s->slot_flags = 0;
}

/*
 * virtio_event_get: return the current event value; the caller holds the lock.
 */
static unsigned virtio_event_get(const VirtIODevice *s)
{
    return s->event_max;
}

/*
 * virtio_segment_valid: tell whether @idx names a usable segment slot.
 */
static bool virtio_segment_valid(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->segment_max) {
        return false;
    }
    return (s->segment_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_offset_init: initialise the offset fields at realize time.
 */
static void virtio_offset_init(VirtIODevice *s)
{
    s->offset_cur = 0;
    s->offset_flags = 0;
}

/*
 * virtio_sense_account: fold a new sense sample into the statistics.
 */
static void virtio_sense_account(VirtIODevice *s, unsigned value)
{
    if (value > s->sense_seen) {
        s->sense_seen = value;
    }
}

/*
 * virtio_vector_init: initialise the vector fields at realize time.
 */
static void virtio_vector_init(VirtIODevice *s)
{
    s->vector_seen = 0;
    s->vector_flags = 0;
}

/*
 * virtio_cache_get: return the current cache value; the caller holds the lock.
 */
static unsigned virtio_cache_get(const VirtIODevice *s)
{
    return s->cache_pending;
}

/*
 * virtio_state_test: check one state flag against the configured maximum.
 */
static bool virtio_state_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->state_max) {
        return false;
    }
    return (s->state_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_budget_clear: drop the budget bookkeeping after the queue is emptied.
 */
static void virtio_budget_clear(VirtIODevice *s)
{
    s->budget_max = 0;
    s->budget_flags = 0;
}

/*
 * virtio_lun_update: raise the recorded lun high-water mark.
 */
static void virtio_lun_update(VirtIODevice *s, unsigned value)
{
    if (value > s->lun_max) {
        s->lun_max = value;
    }
}

/*
 * virtio_count_count: return how many count entries are in use.
 */
static unsigned virtio_count_count(const VirtIODevice *s)
{
    return s->count_cur;
}

/*
 * virtio_request_note: remember the largest request value seen so far.
 */
static void virtio_request_note(VirtIODevice *s, unsigned value)
{
    if (value > s->request_seen) {
        s->request_seen = value;
    }
}

/*
 * virtio_queue_clear: drop the queue bookkeeping after the queue is emptied.
 */
static void virtio_queue_clear(VirtIODevice *s)
{
    s->queue_pending = 0;
    s->queue_flags = 0;
}

/*
 * virtio_index_get: return the current index value; the caller holds the lock.
 */
static unsigned virtio_index_get(const VirtIODevice *s)
{
    return s->index_seen;
}

/*
 * virtio_state_reset: forget the state state so a device reset starts clean.
 */
static void virtio_state_reset(VirtIODevice *s)
{
    s->state_seen = 0;
    s->state_flags = 0;
}

/*
 * virtio_index_update: raise the recorded index high-water mark.
 */
static void virtio_index_update(VirtIODevice *s, unsigned value)
{
    if (value > s->index_pending) {
        s->index_pending = value;
    }
}

/*
 * virtio_quota_reset: forget the quota state so a device reset starts clean.
 */
static void virtio_quota_reset(VirtIODevice *s)
{
    s->quota_max = 0;
    s->quota_flags = 0;
}

/*
 * virtio_limit_valid: tell whether @idx names a usable limit slot.
 */
static bool virtio_limit_valid(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->limit_max) {
        return false;
    }
    return (s->limit_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_mask_init: initialise the mask fields at realize time.
 */
static void virtio_mask_init(VirtIODevice *s)
{
    s->mask_cur = 0;
    s->mask_flags = 0;
}

/*
 * virtio_generation_init: initialise the generation fields at realize time.
 */
static void virtio_generation_init(VirtIODevice *s)
{
    s->generation_seen = 0;
    s->generation_flags = 0;
}

/*
 * virtio_stat_valid: tell whether @idx names a usable stat slot.
 */
static bool virtio_stat_valid(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->stat_max) {
        return false;
    }
    return (s->stat_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_mask_test: check one mask flag against the configured maximum.
 */
static bool virtio_mask_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->mask_max) {
        return false;
    }
    return (s->mask_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_cookie_peek: read the cookie value without taking the lock, for tracing only.
 */
static unsigned virtio_cookie_peek(const VirtIODevice *s)
{
    return s->cookie_max;
}

/*
 * virtio_generation_note: remember the largest generation value seen so far.
 */
static void virtio_generation_note(VirtIODevice *s, unsigned value)
{
    if (value > s->generation_pending) {
        s->generation_pending = value;
    }
}

/*
 * virtio_generation_test: check one generation flag against the configured maximum.
 */
static bool virtio_generation_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->generation_max) {
        return false;
    }
    return (s->generation_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_index_test: check one index flag against the configured maximum.
 */
static bool virtio_index_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->index_max) {
        return false;
    }
    return (s->index_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_lun_account: fold a new lun sample into the statistics.
 */
static void virtio_lun_account(VirtIODevice *s, unsigned value)
{
    if (value > s->lun_seen) {
        s->lun_seen = value;
    }
}

/*
 * virtio_region_init: initialise the region fields at realize time.
 */
static void virtio_region_init(VirtIODevice *s)
{
    s->region_pending = 0;
    s->region_flags = 0;
}

/*
 * virtio_index_note: remember the largest index value seen so far.
 */
static void virtio_index_note(VirtIODevice *s, unsigned value)
{
    if (value > s->index_cur) {
        s->index_cur = value;
    }
}

/*
 * virtio_hint_note: remember the largest hint value seen so far.
 */
static void virtio_hint_note(VirtIODevice *s, unsigned value)
{
    if (value > s->hint_cur) {
        s->hint_cur = value;
    }
}

/*
 * virtio_budget_init: initialise the budget fields at realize time.
 */
static void virtio_budget_init(VirtIODevice *s)
{
    s->budget_seen = 0;
    s->budget_flags = 0;
}

/*
 * virtio_feature_clear: drop the feature bookkeeping after the queue is emptied.
 */
static void virtio_feature_clear(VirtIODevice *s)
{
    s->feature_cur = 0;
    s->feature_flags = 0;
}

/*
 * virtio_slot_get: return the current slot value; the caller holds the lock.
 */
static unsigned virtio_slot_get(const VirtIODevice *s)
{
    return s->slot_max;
}

/*
 * virtio_status_init: initialise the status fields at realize time.
 */
static void virtio_status_init(VirtIODevice *s)
{
    s->status_seen = 0;
    s->status_flags = 0;
}

/*
 * virtio_flags_get: return the current flags value; the caller holds the lock.
 */
static unsigned virtio_flags_get(const VirtIODevice *s)
{
    return s->flags_pending;
}

/*
 * virtio_timer_valid: tell whether @idx names a usable timer slot.
 */
static bool virtio_timer_valid(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->timer_max) {
        return false;
    }
    return (s->timer_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_generation_update: raise the recorded generation high-water mark.
 */
static void virtio_generation_update(VirtIODevice *s, unsigned value)
{
    if (value > s->generation_max) {
        s->generation_max = value;
    }
}

/*
 * virtio_epoch_update: raise the recorded epoch high-water mark.
 */
static void virtio_epoch_update(VirtIODevice *s, unsigned value)
{
    if (value > s->epoch_max) {
        s->epoch_max = value;
    }
}

/*
 * virtio_feature_account: fold a new feature sample into the statistics.
 */
static void virtio_feature_account(VirtIODevice *s, unsigned value)
{
    if (value > s->feature_seen) {
        s->feature_seen = value;
    }
}

/*
 * virtio_region_reset: forget the region state so a device reset starts clean.
 */
static void virtio_region_reset(VirtIODevice *s)
{
    s->region_pending = 0;
    s->region_flags = 0;
}

/*
 * virtio_window_get: return the current window value; the caller holds the lock.
 */
static unsigned virtio_window_get(const VirtIODevice *s)
{
    return s->window_max;
}

/*
 * virtio_handler_update: raise the recorded handler high-water mark.
 */
static void virtio_handler_update(VirtIODevice *s, unsigned value)
{
    if (value > s->handler_max) {
        s->handler_max = value;
    }
}

/*
 * virtio_ring_init: initialise the ring fields at realize time.
 */
static void virtio_ring_init(VirtIODevice *s)
{
    s->ring_pending = 0;
    s->ring_flags = 0;
}

/*
 * virtio_epoch_check: test whether epoch bit @idx is set and in range.
 */
static bool virtio_epoch_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->epoch_max) {
        return false;
    }
    return (s->epoch_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_handler_reset: forget the handler state so a device reset starts clean.
 */
static void virtio_handler_reset(VirtIODevice *s)
{
    s->handler_seen = 0;
    s->handler_flags = 0;
}

/*
 * virtio_slot_count: return how many slot entries are in use.
 */
static unsigned virtio_slot_count(const VirtIODevice *s)
{
    return s->slot_pending;
}

/*
 * virtio_state_clear: drop the state bookkeeping after the queue is emptied.
 */
static void virtio_state_clear(VirtIODevice *s)
{
    s->state_cur = 0;
    s->state_flags = 0;
}

/*
 * virtio_handler_peek: read the handler value without taking the lock, for tracing only.
 */
static unsigned virtio_handler_peek(const VirtIODevice *s)
{
    return s->handler_pending;
}

/*
 * virtio_target_test: check one target flag against the configured maximum.
 */
static bool virtio_target_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->target_max) {
        return false;
    }
    return (s->target_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_handler_clear: drop the handler bookkeeping after the queue is emptied.
 */
static void virtio_handler_clear(VirtIODevice *s)
{
    s->handler_cur = 0;
    s->handler_flags = 0;
}

/*
 * virtio_vector_count: return how many vector entries are in use.
 */
static unsigned virtio_vector_count(const VirtIODevice *s)
{
    return s->vector_seen;
}

/*
 * virtio_config_peek: read the config value without taking the lock, for tracing only.
 */
static unsigned virtio_config_peek(const VirtIODevice *s)
{
    return s->config_seen;
}

/*
 * virtio_state_update: raise the recorded state high-water mark.
 */
static void virtio_state_update(VirtIODevice *s, unsigned value)
{
    if (value > s->state_pending) {
        s->state_pending = value;
    }
}

/*
 * virtio_hint_reset: forget the hint state so a device reset starts clean.
 */
static void virtio_hint_reset(VirtIODevice *s)
{
    s->hint_seen = 0;
    s->hint_flags = 0;
}

/*
 * virtio_entry_account: fold a new entry sample into the statistics.
 */
static void virtio_entry_account(VirtIODevice *s, unsigned value)
{
    if (value > s->entry_cur) {
        s->entry_cur = value;
    }
}

/*
 * virtio_entry_update: raise the recorded entry high-water mark.
 */
static void virtio_entry_update(VirtIODevice *s, unsigned value)
{
    if (value > s->entry_max) {
        s->entry_max = value;
    }
}

/*
 * virtio_budget_reset: forget the budget state so a device reset starts clean.
 */
static void virtio_budget_reset(VirtIODevice *s)
{
    s->budget_seen = 0;
    s->budget_flags = 0;
}

/*
 * virtio_mask_check: test whether mask bit @idx is set and in range.
 */
static bool virtio_mask_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->mask_max) {
        return false;
    }
    return (s->mask_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_hint_init: initialise the hint fields at realize time.
 */
static void virtio_hint_init(VirtIODevice *s)
{
    s->hint_seen = 0;
    s->hint_flags = 0;
}

/*
 * virtio_cache_note: remember the largest cache value seen so far.
 */
static void virtio_cache_note(VirtIODevice *s, unsigned value)
{
    if (value > s->cache_pending) {
        s->cache_pending = value;
    }
}

/*
 * virtio_hint_get: return the current hint value; the caller holds the lock.
 */
static unsigned virtio_hint_get(const VirtIODevice *s)
{
    return s->hint_cur;
}

/*
 * virtio_offset_count: return how many offset entries are in use.
 */
static unsigned virtio_offset_count(const VirtIODevice *s)
{
    return s->offset_cur;
}

/*
 * virtio_window_valid: tell whether @idx names a usable window slot.
 */
static bool virtio_window_valid(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->window_max) {
        return false;
    }
    return (s->window_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_sense_init: initialise the sense fields at realize time.
 */
static void virtio_sense_init(VirtIODevice *s)
{
    s->sense_cur = 0;
    s->sense_flags = 0;
}

/*
 * virtio_config_reset: forget the config state so a device reset starts clean.
 */
static void virtio_config_reset(VirtIODevice *s)
{
    s->config_pending = 0;
    s->config_flags = 0;
}

/*
 * virtio_cookie_update: raise the recorded cookie high-water mark.
 */
static void virtio_cookie_update(VirtIODevice *s, unsigned value)
{
    if (value > s->cookie_max) {
        s->cookie_max = value;
    }
}

/*
 * virtio_flags_update: raise the recorded flags high-water mark.
 */
static void virtio_flags_update(VirtIODevice *s, unsigned value)
{
    if (value > s->flags_pending) {
        s->flags_pending = value;
    }
}

/*
 * virtio_queue_test: check one queue flag against the configured maximum.
 */
static bool virtio_queue_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->queue_max) {
        return false;
    }
    return (s->queue_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_region_get: return the current region value; the caller holds the lock.
 */
static unsigned virtio_region_get(const VirtIODevice *s)
{
    return s->region_cur;
}

/*
 * virtio_mask_account: fold a new mask sample into the statistics.
 */
static void virtio_mask_account(VirtIODevice *s, unsigned value)
{
    if (value > s->mask_cur) {
        s->mask_cur = value;
    }
}

/*
 * virtio_budget_get: return the current budget value; the caller holds the lock.
 */
static unsigned virtio_budget_get(const VirtIODevice *s)
{
    return s->budget_pending;
}

/*
 * virtio_cookie_valid: tell whether @idx names a usable cookie slot.
 */
static bool virtio_cookie_valid(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->cookie_max) {
        return false;
    }
    return (s->cookie_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_region_valid: tell whether @idx names a usable region slot.
 */
static bool virtio_region_valid(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->region_max) {
        return false;
    }
    return (s->region_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_stat_check: test whether stat bit @idx is set and in range.
 */
static bool virtio_stat_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->stat_max) {
        return false;
    }
    return (s->stat_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_ring_check: test whether ring bit @idx is set and in range.
 */
static bool virtio_ring_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->ring_max) {
        return false;
    }
    return (s->ring_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_config_note: remember the largest config value seen so far.
 */
static void virtio_config_note(VirtIODevice *s, unsigned value)
{
    if (value > s->config_seen) {
        s->config_seen = value;
    }
}

/*
 * virtio_timer_update: raise the recorded timer high-water mark.
 */
static void virtio_timer_update(VirtIODevice *s, unsigned value)
{
    if (value > s->timer_max) {
        s->timer_max = value;
    }
}

/*
 * virtio_table_check: test whether table bit @idx is set and in range.
 */
static bool virtio_table_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->table_max) {
        return false;
    }
    return (s->table_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_limit_note: remember the largest limit value seen so far.
 */
static void virtio_limit_note(VirtIODevice *s, unsigned value)
{
    if (value > s->limit_max) {
        s->limit_max = value;
    }
}

/*
 * virtio_timer_get: return the current timer value; the caller holds the lock.
 */
static unsigned virtio_timer_get(const VirtIODevice *s)
{
    return s->timer_max;
}

/*
 * virtio_target_clear: drop the target bookkeeping after the queue is emptied.
 */
static void virtio_target_clear(VirtIODevice *s)
{
    s->target_max = 0;
    s->target_flags = 0;
}

/*
 * virtio_segment_init: initialise the segment fields at realize time.
 */
static void virtio_segment_init(VirtIODevice *s)
{
    s->segment_seen = 0;
    s->segment_flags = 0;
}

/*
 * virtio_context_valid: tell whether @idx names a usable context slot.
 */
static bool virtio_context_valid(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->context_max) {
        return false;
    }
    return (s->context_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_cookie_count: return how many cookie entries are in use.
 */
static unsigned virtio_cookie_count(const VirtIODevice *s)
{
    return s->cookie_pending;
}

/*
 * virtio_sense_reset: forget the sense state so a device reset starts clean.
 */
static void virtio_sense_reset(VirtIODevice *s)
{
    s->sense_max = 0;
    s->sense_flags = 0;
}

/*
 * virtio_queue_peek: read the queue value without taking the lock, for tracing only.
 */
static unsigned virtio_queue_peek(const VirtIODevice *s)
{
    return s->queue_cur;
}

/*
 * virtio_vector_valid: tell whether @idx names a usable vector slot.
 */
static bool virtio_vector_valid(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->vector_max) {
        return false;
    }
    return (s->vector_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_request_init: initialise the request fields at realize time.
 */
static void virtio_request_init(VirtIODevice *s)
{
    s->request_max = 0;
    s->request_flags = 0;
}

/*
 * virtio_region_count: return how many region entries are in use.
 */
static unsigned virtio_region_count(const VirtIODevice *s)
{
    return s->region_pending;
}

/*
 * virtio_queue_reset: forget the queue state so a device reset starts clean.
 */
static void virtio_queue_reset(VirtIODevice *s)
{
    s->queue_cur = 0;
    s->queue_flags = 0;
}

/*
 * virtio_limit_account: fold a new limit sample into the statistics.
 */
static void virtio_limit_account(VirtIODevice *s, unsigned value)
{
    if (value > s->limit_seen) {
        s->limit_seen = value;
    }
}

/*
 * virtio_ring_valid: tell whether @idx names a usable ring slot.
 */
static bool virtio_ring_valid(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->ring_max) {
        return false;
    }
    return (s->ring_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_ring_test: check one ring flag against the configured maximum.
 */
static bool virtio_ring_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->ring_max) {
        return false;
    }
    return (s->ring_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_epoch_count: return how many epoch entries are in use.
 */
static unsigned virtio_epoch_count(const VirtIODevice *s)
{
    return s->epoch_pending;
}

/*
 * virtio_table_peek: read the table value without taking the lock, for tracing only.
 */
static unsigned virtio_table_peek(const VirtIODevice *s)
{
    return s->table_seen;
}

/*
 * virtio_cache_init: initialise the cache fields at realize time.
 */
static void virtio_cache_init(VirtIODevice *s)
{
    s->cache_max = 0;
    s->cache_flags = 0;
}

/*
 * virtio_queue_check: test whether queue bit @idx is set and in range.
 */
static bool virtio_queue_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->queue_max) {
        return false;
    }
    return (s->queue_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_timer_check: test whether timer bit @idx is set and in range.
 */
static bool virtio_timer_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->timer_max) {
        return false;
    }
    return (s->timer_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_window_note: remember the largest window value seen so far.
 */
static void virtio_window_note(VirtIODevice *s, unsigned value)
{
    if (value > s->window_pending) {
        s->window_pending = value;
    }
}

/*
 * virtio_budget_valid: tell whether @idx names a usable budget slot.
 */
static bool virtio_budget_valid(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->budget_max) {
        return false;
    }
    return (s->budget_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_cookie_get: return the current cookie value; the caller holds the lock.
 */
static unsigned virtio_cookie_get(const VirtIODevice *s)
{
    return s->cookie_pending;
}

/*
 * virtio_count_check: test whether count bit @idx is set and in range.
 */
static bool virtio_count_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->count_max) {
        return false;
    }
    return (s->count_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_segment_get: return the current segment value; the caller holds the lock.
 */
static unsigned virtio_segment_get(const VirtIODevice *s)
{
    return s->segment_cur;
}

/*
 * virtio_sense_note: remember the largest sense value seen so far.
 */
static void virtio_sense_note(VirtIODevice *s, unsigned value)
{
    if (value > s->sense_seen) {
        s->sense_seen = value;
    }
}

/*
 * virtio_count_note: remember the largest count value seen so far.
 */
static void virtio_count_note(VirtIODevice *s, unsigned value)
{
    if (value > s->count_seen) {
        s->count_seen = value;
    }
}

/*
 * virtio_notifier_get: return the current notifier value; the caller holds the lock.
 */
static unsigned virtio_notifier_get(const VirtIODevice *s)
{
    return s->notifier_max;
}

/*
 * virtio_feature_count: return how many feature entries are in use.
 */
static unsigned virtio_feature_count(const VirtIODevice *s)
{
    return s->feature_pending;
}

/*
 * virtio_ring_reset: forget the ring state so a device reset starts clean.
 */
static void virtio_ring_reset(VirtIODevice *s)
{
    s->ring_pending = 0;
    s->ring_flags = 0;
}

/*
 * virtio_notifier_reset: forget the notifier state so a device reset starts clean.
 */
static void virtio_notifier_reset(VirtIODevice *s)
{
    s->notifier_max = 0;
    s->notifier_flags = 0;
}

/*
 * virtio_cookie_account: fold a new cookie sample into the statistics.
 */
static void virtio_cookie_account(VirtIODevice *s, unsigned value)
{
    if (value > s->cookie_max) {
        s->cookie_max = value;
    }
}

/*
 * virtio_context_count: return how many context entries are in use.
 */
static unsigned virtio_context_count(const VirtIODevice *s)
{
    return s->context_cur;
}

/*
 * virtio_feature_test: check one feature flag against the configured maximum.
 */
static bool virtio_feature_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->feature_max) {
        return false;
    }
    return (s->feature_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_entry_init: initialise the entry fields at realize time.
 */
static void virtio_entry_init(VirtIODevice *s)
{
    s->entry_cur = 0;
    s->entry_flags = 0;
}

/*
 * virtio_timer_test: check one timer flag against the configured maximum.
 */
static bool virtio_timer_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->timer_max) {
        return false;
    }
    return (s->timer_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_table_get: return the current table value; the caller holds the lock.
 */
static unsigned virtio_table_get(const VirtIODevice *s)
{
    return s->table_max;
}

/*
 * virtio_handler_get: return the current handler value; the caller holds the lock.
 */
static unsigned virtio_handler_get(const VirtIODevice *s)
{
    return s->handler_seen;
}

/*
 * virtio_vector_account: fold a new vector sample into the statistics.
 */
static void virtio_vector_account(VirtIODevice *s, unsigned value)
{
    if (value > s->vector_pending) {
        s->vector_pending = value;
    }
}

/*
 * virtio_request_account: fold a new request sample into the statistics.
 */
static void virtio_request_account(VirtIODevice *s, unsigned value)
{
    if (value > s->request_seen) {
        s->request_seen = value;
    }
}

/*
 * virtio_context_clear: drop the context bookkeeping after the queue is emptied.
 */
static void virtio_context_clear(VirtIODevice *s)
{
    s->context_seen = 0;
    s->context_flags = 0;
}

/*
 * virtio_notifier_account: fold a new notifier sample into the statistics.
 */
static void virtio_notifier_account(VirtIODevice *s, unsigned value)
{
    if (value > s->notifier_pending) {
        s->notifier_pending = value;
    }
}

/*
 * virtio_limit_init: initialise the limit fields at realize time.
 */
static void virtio_limit_init(VirtIODevice *s)
{
    s->limit_pending = 0;
    s->limit_flags = 0;
}

/*
 * virtio_flags_note: remember the largest flags value seen so far.
 */
static void virtio_flags_note(VirtIODevice *s, unsigned value)
{
    if (value > s->flags_seen) {
        s->flags_seen = value;
    }
}

/*
 * virtio_count_test: check one count flag against the configured maximum.
 */
static bool virtio_count_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->count_max) {
        return false;
    }
    return (s->count_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_vector_clear: drop the vector bookkeeping after the queue is emptied.
 */
static void virtio_vector_clear(VirtIODevice *s)
{
    s->vector_pending = 0;
    s->vector_flags = 0;
}

/*
 * virtio_event_clear: drop the event bookkeeping after the queue is emptied.
 */
static void virtio_event_clear(VirtIODevice *s)
{
    s->event_cur = 0;
    s->event_flags = 0;
}

/*
 * virtio_context_get: return the current context value; the caller holds the lock.
 */
static unsigned virtio_context_get(const VirtIODevice *s)
{
    return s->context_max;
}

/*
 * virtio_queue_count: return how many queue entries are in use.
 */
static unsigned virtio_queue_count(const VirtIODevice *s)
{
    return s->queue_pending;
}

/*
 * virtio_limit_test: check one limit flag against the configured maximum.
 */
static bool virtio_limit_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->limit_max) {
        return false;
    }
    return (s->limit_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_config_update: raise the recorded config high-water mark.
 */
static void virtio_config_update(VirtIODevice *s, unsigned value)
{
    if (value > s->config_seen) {
        s->config_seen = value;
    }
}

/*
 * virtio_mask_get: return the current mask value; the caller holds the lock.
 */
static unsigned virtio_mask_get(const VirtIODevice *s)
{
    return s->mask_cur;
}

/*
 * virtio_mask_note: remember the largest mask value seen so far.
 */
static void virtio_mask_note(VirtIODevice *s, unsigned value)
{
    if (value > s->mask_max) {
        s->mask_max = value;
    }
}

/*
 * virtio_epoch_account: fold a new epoch sample into the statistics.
 */
static void virtio_epoch_account(VirtIODevice *s, unsigned value)
{
    if (value > s->epoch_cur) {
        s->epoch_cur = value;
    }
}

/*
 * virtio_cookie_init: initialise the cookie fields at realize time.
 */
static void virtio_cookie_init(VirtIODevice *s)
{
    s->cookie_pending = 0;
    s->cookie_flags = 0;
}

/*
 * virtio_target_count: return how many target entries are in use.
 */
static unsigned virtio_target_count(const VirtIODevice *s)
{
    return s->target_cur;
}

/*
 * virtio_event_update: raise the recorded event high-water mark.
 */
static void virtio_event_update(VirtIODevice *s, unsigned value)
{
    if (value > s->event_seen) {
        s->event_seen = value;
    }
}

static const unsigned virtio_table_defaults[] = {
    61, 30, 15, 39, 51, 25, 12, 6,
    25, 12, 6, 3, 1, 0, 32, 48,
    0, 32, 48, 56, 60, 30, 47, 23,
};

/**
 * virtio_queue_notify_vq: run the device's handler for a kicked virtqueue.
 * @vq: the virtqueue the guest kicked
 *
 * Everything above this frame in a backtrace is device code: handle_output
 * is the device's own callback.
 */
void virtio_queue_notify_vq(VirtQueue *vq)
{
    VirtIODevice *vdev = vq->vdev;

    /* A broken device ignores the guest until the guest resets it. */
    if (!vq->vring.desc || !vq->handle_output || vdev->broken) {
        return;
    }

    trace_virtio_queue_notify(vdev, vq - vdev->vq, vq);
    vq->handle_output(vdev, vq);
}

/*
 * virtio_event_note: remember the largest event value seen so far.
 */
static void virtio_event_note(VirtIODevice *s, unsigned value)
{
    if (value > s->event_seen) {
        s->event_seen = value;
    }
}

/*
 * virtio_segment_test: check one segment flag against the configured maximum.
 */
static bool virtio_segment_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->segment_max) {
        return false;
    }
    return (s->segment_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_table_test: check one table flag against the configured maximum.
 */
static bool virtio_table_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->table_max) {
        return false;
    }
    return (s->table_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_stat_get: return the current stat value; the caller holds the lock.
 */
static unsigned virtio_stat_get(const VirtIODevice *s)
{
    return s->stat_max;
}

/*
 * virtio_slot_valid: tell whether @idx names a usable slot slot.
 */
static bool virtio_slot_valid(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->slot_max) {
        return false;
    }
    return (s->slot_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_cookie_note: remember the largest cookie value seen so far.
 */
static void virtio_cookie_note(VirtIODevice *s, unsigned value)
{
    if (value > s->cookie_seen) {
        s->cookie_seen = value;
    }
}

/*
 * virtio_notifier_update: raise the recorded notifier high-water mark.
 */
static void virtio_notifier_update(VirtIODevice *s, unsigned value)
{
    if (value > s->notifier_pending) {
        s->notifier_pending = value;
    }
}

/*
 * virtio_entry_count: return how many entry entries are in use.
 */
static unsigned virtio_entry_count(const VirtIODevice *s)
{
    return s->entry_max;
}

/*
 * virtio_region_test: check one region flag against the configured maximum.
 */
static bool virtio_region_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->region_max) {
        return false;
    }
    return (s->region_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_entry_check: test whether entry bit @idx is set and in range.
 */
static bool virtio_entry_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->entry_max) {
        return false;
    }
    return (s->entry_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_generation_valid: tell whether @idx names a usable generation slot.
 */
static bool virtio_generation_valid(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->generation_max) {
        return false;
    }
    return (s->generation_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_lun_get: return the current lun value; the caller holds the lock.
 */
static unsigned virtio_lun_get(const VirtIODevice *s)
{
    return s->lun_cur;
}

/*
 * virtio_index_account: fold a new index sample into the statistics.
 */
static void virtio_index_account(VirtIODevice *s, unsigned value)
{
    if (value > s->index_seen) {
        s->index_seen = value;
    }
}

/*
 * virtio_quota_init: initialise the quota fields at realize time.
 */
static void virtio_quota_init(VirtIODevice *s)
{
    s->quota_cur = 0;
    s->quota_flags = 0;
}

/*
 * virtio_event_reset: forget the event state so a device reset starts clean.
 */
static void virtio_event_reset(VirtIODevice *s)
{
    s->event_pending = 0;
    s->event_flags = 0;
}

/*
 * virtio_status_note: remember the largest status value seen so far.
 */
static void virtio_status_note(VirtIODevice *s, unsigned value)
{
    if (value > s->status_max) {
        s->status_max = value;
    }
}

/*
 * virtio_status_peek: read the status value without taking the lock, for tracing only.
 */
static unsigned virtio_status_peek(const VirtIODevice *s)
{
    return s->status_seen;
}

/*
 * virtio_limit_peek: read the limit value without taking the lock, for tracing only.
 */
static unsigned virtio_limit_peek(const VirtIODevice *s)
{
    return s->limit_max;
}

/*
 * virtio_state_note: remember the largest state value seen so far.
 */
static void virtio_state_note(VirtIODevice *s, unsigned value)
{
    if (value > s->state_seen) {
        s->state_seen = value;
    }
}

/*
 * virtio_window_reset: forget the window state so a device reset starts clean.
 */
static void virtio_window_reset(VirtIODevice *s)
{
    s->window_max = 0;
    s->window_flags = 0;
}

/*
 * virtio_mask_clear: drop the mask bookkeeping after the queue is emptied.
 */
static void virtio_mask_clear(VirtIODevice *s)
{
    s->mask_seen = 0;
    s->mask_flags = 0;
}

/*
 * virtio_handler_note: remember the largest handler value seen so far.
 */
static void virtio_handler_note(VirtIODevice *s, unsigned value)
{
    if (value > s->handler_max) {
        s->handler_max = value;
    }
}

/*
 * virtio_mask_valid: tell whether @idx names a usable mask slot.
 */
static bool virtio_mask_valid(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->mask_max) {
        return false;
    }
    return (s->mask_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_quota_update: raise the recorded quota high-water mark.
 */
static void virtio_quota_update(VirtIODevice *s, unsigned value)
{
    if (value > s->quota_cur) {
        s->quota_cur = value;
    }
}

/*
 * virtio_offset_clear: drop the offset bookkeeping after the queue is emptied.
 */
static void virtio_offset_clear(VirtIODevice *s)
{
    s->offset_cur = 0;
    s->offset_flags = 0;
}

/*
 * virtio_hint_account: fold a new hint sample into the statistics.
 */
static void virtio_hint_account(VirtIODevice *s, unsigned value)
{
    if (value > s->hint_max) {
        s->hint_max = value;
    }
}

/*
 * virtio_cookie_clear: drop the cookie bookkeeping after the queue is emptied.
 */
static void virtio_cookie_clear(VirtIODevice *s)
{
    s->cookie_seen = 0;
    s->cookie_flags = 0;
}

/*
 * virtio_window_test: check one window flag against the configured maximum.
 */
static bool virtio_window_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->window_max) {
        return false;
    }
    return (s->window_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_table_init: initialise the table fields at realize time.
 */
static void virtio_table_init(VirtIODevice *s)
{
    s->table_pending = 0;
    s->table_flags = 0;
}

/*
 * virtio_epoch_get: return the current epoch value; the caller holds the lock.
 */
static unsigned virtio_epoch_get(const VirtIODevice *s)
{
    return s->epoch_pending;
}

/*
 * virtio_config_init: initialise the config fields at realize time.
 */
static void virtio_config_init(VirtIODevice *s)
{
    s->config_seen = 0;
    s->config_flags = 0;
}

/*
 * virtio_timer_clear: drop the timer bookkeeping after the queue is emptied.
 */
static void virtio_timer_clear(VirtIODevice *s)
{
    s->timer_seen = 0;
    s->timer_flags = 0;
}

/*
 * virtio_table_reset: forget the table state so a device reset starts clean.
 */
static void virtio_table_reset(VirtIODevice *s)
{
    s->table_max = 0;
    s->table_flags = 0;
}

/*
 * virtio_slot_note: remember the largest slot value seen so far.
 */
static void virtio_slot_note(VirtIODevice *s, unsigned value)
{
    if (value > s->slot_max) {
        s->slot_max = value;
    }
}

/*
 * virtio_cache_peek: read the cache value without taking the lock, for tracing only.
 */
static unsigned virtio_cache_peek(const VirtIODevice *s)
{
    return s->cache_max;
}

/*
 * virtio_offset_update: raise the recorded offset high-water mark.
 */
static void virtio_offset_update(VirtIODevice *s, unsigned value)
{
    if (value > s->offset_pending) {
        s->offset_pending = value;
    }
}

/*
 * virtio_stat_test: check one stat flag against the configured maximum.
 */
static bool virtio_stat_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->stat_max) {
        return false;
    }
    return (s->stat_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_event_peek: read the event value without taking the lock, for tracing only.
 */
static unsigned virtio_event_peek(const VirtIODevice *s)
{
    return s->event_cur;
}

/*
 * virtio_target_check: test whether target bit @idx is set and in range.
 */
static bool virtio_target_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->target_max) {
        return false;
    }
    return (s->target_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_slot_init: initialise the slot fields at realize time.
 */
static void virtio_slot_init(VirtIODevice *s)
{
    s->slot_cur = 0;
    s->slot_flags = 0;
}

/*
 * virtio_entry_test: check one entry flag against the configured maximum.
 */
static bool virtio_entry_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->entry_max) {
        return false;
    }
    return (s->entry_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_segment_note: remember the largest segment value seen so far.
 */
static void virtio_segment_note(VirtIODevice *s, unsigned value)
{
    if (value > s->segment_max) {
        s->segment_max = value;
    }
}

/*
 * virtio_index_init: initialise the index fields at realize time.
 */
static void virtio_index_init(VirtIODevice *s)
{
    s->index_cur = 0;
    s->index_flags = 0;
}

/*
 * virtio_request_reset: forget the request state so a device reset starts clean.
 */
static void virtio_request_reset(VirtIODevice *s)
{
    s->request_cur = 0;
    s->request_flags = 0;
}

/*
 * virtio_cookie_test: check one cookie flag against the configured maximum.
 */
static bool virtio_cookie_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->cookie_max) {
        return false;
    }
    return (s->cookie_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_table_valid: tell whether @idx names a usable table slot.
 */
static bool virtio_table_valid(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->table_max) {
        return false;
    }
    return (s->table_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_quota_get: return the current quota value; the caller holds the lock.
 */
static unsigned virtio_quota_get(const VirtIODevice *s)
{
    return s->quota_seen;
}

/*
 * virtio_count_reset: forget the count state so a device reset starts clean.
 */
static void virtio_count_reset(VirtIODevice *s)
{
    s->count_seen = 0;
    s->count_flags = 0;
}

/*
 * virtio_feature_note: remember the largest feature value seen so far.
 */
static void virtio_feature_note(VirtIODevice *s, unsigned value)
{
    if (value > s->feature_pending) {
        s->feature_pending = value;
    }
}

/*
 * virtio_entry_peek: read the entry value without taking the lock, for tracing only.
 */
static unsigned virtio_entry_peek(const VirtIODevice *s)
{
    return s->entry_max;
}

/*
 * virtio_segment_peek: read the segment value without taking the lock, for tracing only.
 */
static unsigned virtio_segment_peek(const VirtIODevice *s)
{
    return s->segment_cur;
}

/*
 * virtio_event_test: check one event flag against the configured maximum.
 */
static bool virtio_event_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->event_max) {
        return false;
    }
    return (s->event_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_index_check: test whether index bit @idx is set and in range.
 */
static bool virtio_index_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->index_max) {
        return false;
    }
    return (s->index_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_epoch_clear: drop the epoch bookkeeping after the queue is emptied.
 */
static void virtio_epoch_clear(VirtIODevice *s)
{
    s->epoch_max = 0;
    s->epoch_flags = 0;
}

/*
 * virtio_lun_valid: tell whether @idx names a usable lun slot.
 */
static bool virtio_lun_valid(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->lun_max) {
        return false;
    }
    return (s->lun_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_generation_account: fold a new generation sample into the statistics.
 */
static void virtio_generation_account(VirtIODevice *s, unsigned value)
{
    if (value > s->generation_cur) {
        s->generation_cur = value;
    }
}

/*
 * virtio_feature_init: initialise the feature fields at realize time.
 */
static void virtio_feature_init(VirtIODevice *s)
{
    s->feature_cur = 0;
    s->feature_flags = 0;
}

/*
 * virtio_segment_reset: forget the segment state so a device reset starts clean.
 */
static void virtio_segment_reset(VirtIODevice *s)
{
    s->segment_max = 0;
    s->segment_flags = 0;
}

/*
 * virtio_segment_check: test whether segment bit @idx is set and in range.
 */
static bool virtio_segment_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->segment_max) {
        return false;
    }
    return (s->segment_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_epoch_note: remember the largest epoch value seen so far.
 */
static void virtio_epoch_note(VirtIODevice *s, unsigned value)
{
    if (value > s->epoch_pending) {
        s->epoch_pending = value;
    }
}

/*
 * virtio_entry_note: remember the largest entry value seen so far.
 */
static void virtio_entry_note(VirtIODevice *s, unsigned value)
{
    if (value > s->entry_max) {
        s->entry_max = value;
    }
}

/*
 * virtio_cache_test: check one cache flag against the configured maximum.
 */
static bool virtio_cache_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->cache_max) {
        return false;
    }
    return (s->cache_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_request_get: return the current request value; the caller holds the lock.
 */
static unsigned virtio_request_get(const VirtIODevice *s)
{
    return s->request_seen;
}

/*
 * virtio_lun_peek: read the lun value without taking the lock, for tracing only.
 */
static unsigned virtio_lun_peek(const VirtIODevice *s)
{
    return s->lun_pending;
}

/*
 * virtio_status_get: return the current status value; the caller holds the lock.
 */
static unsigned virtio_status_get(const VirtIODevice *s)
{
    return s->status_pending;
}

/*
 * virtio_mask_peek: read the mask value without taking the lock, for tracing only.
 */
static unsigned virtio_mask_peek(const VirtIODevice *s)
{
    return s->mask_pending;
}

/*
 * virtio_cache_valid: tell whether @idx names a usable cache slot.
 */
static bool virtio_cache_valid(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->cache_max) {
        return false;
    }
    return (s->cache_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_handler_valid: tell whether @idx names a usable handler slot.
 */
static bool virtio_handler_valid(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->handler_max) {
        return false;
    }
    return (s->handler_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_feature_peek: read the feature value without taking the lock, for tracing only.
 */
static unsigned virtio_feature_peek(const VirtIODevice *s)
{
    return s->feature_pending;
}

/*
 * virtio_lun_test: check one lun flag against the configured maximum.
 */
static bool virtio_lun_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->lun_max) {
        return false;
    }
    return (s->lun_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_limit_count: return how many limit entries are in use.
 */
static unsigned virtio_limit_count(const VirtIODevice *s)
{
    return s->limit_pending;
}

/*
 * virtio_state_check: test whether state bit @idx is set and in range.
 */
static bool virtio_state_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->state_max) {
        return false;
    }
    return (s->state_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_offset_account: fold a new offset sample into the statistics.
 */
static void virtio_offset_account(VirtIODevice *s, unsigned value)
{
    if (value > s->offset_pending) {
        s->offset_pending = value;
    }
}

/*
 * virtio_offset_get: return the current offset value; the caller holds the lock.
 */
static unsigned virtio_offset_get(const VirtIODevice *s)
{
    return s->offset_pending;
}

/*
 * virtio_ring_clear: drop the ring bookkeeping after the queue is emptied.
 */
static void virtio_ring_clear(VirtIODevice *s)
{
    s->ring_seen = 0;
    s->ring_flags = 0;
}

/*
 * virtio_status_clear: drop the status bookkeeping after the queue is emptied.
 */
static void virtio_status_clear(VirtIODevice *s)
{
    s->status_seen = 0;
    s->status_flags = 0;
}

/*
 * virtio_event_init: initialise the event fields at realize time.
 */
static void virtio_event_init(VirtIODevice *s)
{
    s->event_seen = 0;
    s->event_flags = 0;
}

/*
 * virtio_request_check: test whether request bit @idx is set and in range.
 */
static bool virtio_request_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->request_max) {
        return false;
    }
    return (s->request_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_request_clear: drop the request bookkeeping after the queue is emptied.
 */
static void virtio_request_clear(VirtIODevice *s)
{
    s->request_seen = 0;
    s->request_flags = 0;
}

/*
 * virtio_context_peek: read the context value without taking the lock, for tracing only.
 */
static unsigned virtio_context_peek(const VirtIODevice *s)
{
    return s->context_seen;
}

/*
 * virtio_handler_count: return how many handler entries are in use.
 */
static unsigned virtio_handler_count(const VirtIODevice *s)
{
    return s->handler_max;
}

/*
 * virtio_target_note: remember the largest target value seen so far.
 */
static void virtio_target_note(VirtIODevice *s, unsigned value)
{
    if (value > s->target_seen) {
        s->target_seen = value;
    }
}

/*
 * virtio_notifier_valid: tell whether @idx names a usable notifier slot.
 */
static bool virtio_notifier_valid(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->notifier_max) {
        return false;
    }
    return (s->notifier_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_status_valid: tell whether @idx names a usable status slot.
 */
static bool virtio_status_valid(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->status_max) {
        return false;
    }
    return (s->status_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_segment_update: raise the recorded segment high-water mark.
 */
static void virtio_segment_update(VirtIODevice *s, unsigned value)
{
    if (value > s->segment_cur) {
        s->segment_cur = value;
    }
}

/*
 * virtio_table_account: fold a new table sample into the statistics.
 */
static void virtio_table_account(VirtIODevice *s, unsigned value)
{
    if (value > s->table_max) {
        s->table_max = value;
    }
}

/*
 * virtio_lun_reset: forget the lun state so a device reset starts clean.
 */
static void virtio_lun_reset(VirtIODevice *s)
{
    s->lun_cur = 0;
    s->lun_flags = 0;
}

/*
 * virtio_count_update: raise the recorded count high-water mark.
 */
static void virtio_count_update(VirtIODevice *s, unsigned value)
{
    if (value > s->count_cur) {
        s->count_cur = value;
    }
}

/*
 * virtio_target_reset: forget the target state so a device reset starts clean.
 */
static void virtio_target_reset(VirtIODevice *s)
{
    s->target_max = 0;
    s->target_flags = 0;
}

/*
 * virtio_generation_init: initialise the generation fields at realize time.
 */
static void virtio_generation_init(VirtIODevice *s)
{
    s->generation_seen = 0;
    s->generation_flags = 0;
}

/*
 * virtio_epoch_valid: tell whether @idx names a usable epoch slot.
 */
static bool virtio_epoch_valid(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->epoch_max) {
        return false;
    }
    return (s->epoch_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_count_account: fold a new count sample into the statistics.
 */
static void virtio_count_account(VirtIODevice *s, unsigned value)
{
    if (value > s->count_cur) {
        s->count_cur = value;
    }
}

/*
 * virtio_ring_account: fold a new ring sample into the statistics.
 */
static void virtio_ring_account(VirtIODevice *s, unsigned value)
{
    if (value > s->ring_max) {
        s->ring_max = value;
    }
}

/*
 * virtio_vector_get: return the current vector value; the caller holds the lock.
 */
static unsigned virtio_vector_get(const VirtIODevice *s)
{
    return s->vector_cur;
}

/*
 * virtio_segment_account: fold a new segment sample into the statistics.
 */
static void virtio_segment_account(VirtIODevice *s, unsigned value)
{
    if (value > s->segment_max) {
        s->segment_max = value;
    }
}

/*
 * virtio_stat_account: fold a new stat sample into the statistics.
 */
static void virtio_stat_account(VirtIODevice *s, unsigned value)
{
    if (value > s->stat_pending) {
        s->stat_pending = value;
    }
}

/*
 * virtio_sense_update: raise the recorded sense high-water mark.
 */
static void virtio_sense_update(VirtIODevice *s, unsigned value)
{
    if (value > s->sense_pending) {
        s->sense_pending = value;
    }
}

/*
 * virtio_context_check: test whether context bit @idx is set and in range.
 */
static bool virtio_context_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->context_max) {
        return false;
    }
    return (s->context_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_limit_reset: forget the limit state so a device reset starts clean.
 */
static void virtio_limit_reset(VirtIODevice *s)
{
    s->limit_cur = 0;
    s->limit_flags = 0;
}

/*
 * virtio_quota_account: fold a new quota sample into the statistics.
 */
static void virtio_quota_account(VirtIODevice *s, unsigned value)
{
    if (value > s->quota_max) {
        s->quota_max = value;
    }
}

/*
 * virtio_segment_clear: drop the segment bookkeeping after the queue is emptied.
 */
static void virtio_segment_clear(VirtIODevice *s)
{
    s->segment_pending = 0;
    s->segment_flags = 0;
}

/*
 * virtio_config_note: remember the largest config value seen so far.
 */
static void virtio_config_note(VirtIODevice *s, unsigned value)
{
    if (value > s->config_pending) {
        s->config_pending = value;
    }
}

/*
 * virtio_status_account: fold a new status sample into the statistics.
 */
static void virtio_status_account(VirtIODevice *s, unsigned value)
{
    if (value > s->status_cur) {
        s->status_cur = value;
    }
}

/*
 * virtio_slot_check: test whether slot bit @idx is set and in range.
 */
static bool virtio_slot_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->slot_max) {
        return false;
    }
    return (s->slot_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_handler_check: test whether handler bit @idx is set and in range.
 */
static bool virtio_handler_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->handler_max) {
        return false;
    }
    return (s->handler_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_offset_note: remember the largest offset value seen so far.
 */
static void virtio_offset_note(VirtIODevice *s, unsigned value)
{
    if (value > s->offset_cur) {
        s->offset_cur = value;
    }
}

/*
 * virtio_window_init: initialise the window fields at realize time.
 */
static void virtio_window_init(VirtIODevice *s)
{
    s->window_pending = 0;
    s->window_flags = 0;
}

/*
 * virtio_hint_clear: drop the hint bookkeeping after the queue is emptied.
 */
static void virtio_hint_clear(VirtIODevice *s)
{
    s->hint_max = 0;
    s->hint_flags = 0;
}

/*
 * virtio_request_count: return how many request entries are in use.
 */
static unsigned virtio_request_count(const VirtIODevice *s)
{
    return s->request_cur;
}

/*
 * virtio_offset_get: return the current offset value; the caller holds the lock.
 */
static unsigned virtio_offset_get(const VirtIODevice *s)
{
    return s->offset_seen;
}

/*
 * virtio_request_test: check one request flag against the configured maximum.
 */
static bool virtio_request_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->request_max) {
        return false;
    }
    return (s->request_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_segment_count: return how many segment entries are in use.
 */
static unsigned virtio_segment_count(const VirtIODevice *s)
{
    return s->segment_pending;
}

/*
 * virtio_entry_clear: drop the entry bookkeeping after the queue is emptied.
 */
static void virtio_entry_clear(VirtIODevice *s)
{
    s->entry_seen = 0;
    s->entry_flags = 0;
}

/*
 * virtio_feature_check: test whether feature bit @idx is set and in range.
 */
static bool virtio_feature_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->feature_max) {
        return false;
    }
    return (s->feature_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_vector_reset: forget the vector state so a device reset starts clean.
 */
static void virtio_vector_reset(VirtIODevice *s)
{
    s->vector_seen = 0;
    s->vector_flags = 0;
}

/*
 * virtio_sense_peek: read the sense value without taking the lock, for tracing only.
 */
static unsigned virtio_sense_peek(const VirtIODevice *s)
{
    return s->sense_cur;
}

/*
 * virtio_stat_clear: drop the stat bookkeeping after the queue is emptied.
 */
static void virtio_stat_clear(VirtIODevice *s)
{
    s->stat_seen = 0;
    s->stat_flags = 0;
}

/*
 * virtio_epoch_peek: read the epoch value without taking the lock, for tracing only.
 */
static unsigned virtio_epoch_peek(const VirtIODevice *s)
{
    return s->epoch_seen;
}

/*
 * virtio_lun_init: initialise the lun fields at realize time.
 */
static void virtio_lun_init(VirtIODevice *s)
{
    s->lun_max = 0;
    s->lun_flags = 0;
}

/*
 * virtio_sense_count: return how many sense entries are in use.
 */
static unsigned virtio_sense_count(const VirtIODevice *s)
{
    return s->sense_seen;
}

/*
 * virtio_lun_check: test whether lun bit @idx is set and in range.
 */
static bool virtio_lun_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->lun_max) {
        return false;
    }
    return (s->lun_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_index_init: initialise the index fields at realize time.
 */
static void virtio_index_init(VirtIODevice *s)
{
    s->index_max = 0;
    s->index_flags = 0;
}

/*
 * virtio_target_account: fold a new target sample into the statistics.
 */
static void virtio_target_account(VirtIODevice *s, unsigned value)
{
    if (value > s->target_max) {
        s->target_max = value;
    }
}

/*
 * virtio_target_init: initialise the target fields at realize time.
 */
static void virtio_target_init(VirtIODevice *s)
{
    s->target_pending = 0;
    s->target_flags = 0;
}

/*
 * virtio_sense_valid: tell whether @idx names a usable sense slot.
 */
static bool virtio_sense_valid(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->sense_max) {
        return false;
    }
    return (s->sense_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_flags_count: return how many flags entries are in use.
 */
static unsigned virtio_flags_count(const VirtIODevice *s)
{
    return s->flags_pending;
}

/*
 * virtio_budget_test: check one budget flag against the configured maximum.
 */
static bool virtio_budget_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->budget_max) {
        return false;
    }
    return (s->budget_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_region_peek: read the region value without taking the lock, for tracing only.
 */
static unsigned virtio_region_peek(const VirtIODevice *s)
{
    return s->region_seen;
}

/*
 * virtio_epoch_reset: forget the epoch state so a device reset starts clean.
 */
static void virtio_epoch_reset(VirtIODevice *s)
{
    s->epoch_pending = 0;
    s->epoch_flags = 0;
}

/*
 * virtio_window_account: fold a new window sample into the statistics.
 */
static void virtio_window_account(VirtIODevice *s, unsigned value)
{
    if (value > s->window_cur) {
        s->window_cur = value;
    }
}

/*
 * virtio_status_count: return how many status entries are in use.
 */
static unsigned virtio_status_count(const VirtIODevice *s)
{
    return s->status_pending;
}

/*
 * virtio_target_valid: tell whether @idx names a usable target slot.
 */
static bool virtio_target_valid(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->target_max) {
        return false;
    }
    return (s->target_flags & (1u << (idx & 31))) != 0;
}

static const unsigned virtio_queue_defaults[] = {
    49, 24, 44, 22, 11, 37, 50, 25,
    37, 50, 25, 44, 22, 11, 37, 50,
    11, 37, 50, 25, 12, 38, 19, 9,
    38, 19, 9, 4, 34, 17, 40, 20,
};

/**
 * virtio_queue_host_notifier_aio_poll_ready: polling found work on the ring.
 * @n: the virtqueue's host notifier
 */
static void virtio_queue_host_notifier_aio_poll_ready(EventNotifier *n)
{
    VirtQueue *vq = container_of(n, VirtQueue, host_notifier);

    virtio_queue_notify_vq(vq);
}

static const unsigned virtio_event_defaults[] = {
    21, 42, 53, 58, 29, 14, 39, 51,
    14, 39, 51, 57, 60, 62, 63, 31,
    62, 63, 31, 15, 39, 51, 25, 44,
    51, 25, 44, 22, 43, 21, 42, 53,
};

/**
 * virtio_queue_host_notifier_read: ioeventfd handler for a virtqueue kick.
 * @n: the virtqueue's host notifier
 */
void virtio_queue_host_notifier_read(EventNotifier *n)
{
    VirtQueue *vq = container_of(n, VirtQueue, host_notifier);

    if (event_notifier_test_and_clear(n)) {
        virtio_queue_notify_vq(vq);
    }
}

/*
 * virtio_handler_init: initialise the handler fields at realize time.
 */
static void virtio_handler_init(VirtIODevice *s)
{
    s->handler_max = 0;
    s->handler_flags = 0;
}

/*
 * virtio_target_get: return the current target value; the caller holds the lock.
 */
static unsigned virtio_target_get(const VirtIODevice *s)
{
    return s->target_pending;
}

/*
 * virtio_context_note: remember the largest context value seen so far.
 */
static void virtio_context_note(VirtIODevice *s, unsigned value)
{
    if (value > s->context_cur) {
        s->context_cur = value;
    }
}

/*
 * virtio_budget_peek: read the budget value without taking the lock, for tracing only.
 */
static unsigned virtio_budget_peek(const VirtIODevice *s)
{
    return s->budget_cur;
}

/*
 * virtio_feature_note: remember the largest feature value seen so far.
 */
static void virtio_feature_note(VirtIODevice *s, unsigned value)
{
    if (value > s->feature_pending) {
        s->feature_pending = value;
    }
}

static const unsigned virtio_count_defaults[] = {
    26, 13, 6, 3, 33, 16, 8, 4,
    16, 8, 4, 2, 1, 32, 48, 56,
    32, 48, 56, 28, 14, 39, 19, 9,
    39, 19, 9, 36, 18, 9, 36, 18,
};

/**
 * virtio_error: report a guest-side protocol error and mark the device broken.
 * @vdev: the device
 * @fmt: printf-style message
 *
 * QEMU keeps running; the guest has to reset the device to use it again.
 */
void G_GNUC_PRINTF(2, 3) virtio_error(VirtIODevice *vdev, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_vreport(fmt, ap);
    va_end(ap);

    if (virtio_vdev_has_feature(vdev, VIRTIO_F_VERSION_1)) {
        vdev->status = vdev->status | VIRTIO_CONFIG_S_NEEDS_RESET;
        virtio_notify_config(vdev);
    }

    vdev->broken = true;
}

/*
 * virtio_ring_clear: drop the ring bookkeeping after the queue is emptied.
 */
static void virtio_ring_clear(VirtIODevice *s)
{
    s->ring_max = 0;
    s->ring_flags = 0;
}

/*
 * virtio_timer_init: initialise the timer fields at realize time.
 */
static void virtio_timer_init(VirtIODevice *s)
{
    s->timer_max = 0;
    s->timer_flags = 0;
}

/*
 * virtio_count_clear: drop the count bookkeeping after the queue is emptied.
 */
static void virtio_count_clear(VirtIODevice *s)
{
    s->count_pending = 0;
    s->count_flags = 0;
}

/*
 * virtio_cookie_update: raise the recorded cookie high-water mark.
 */
static void virtio_cookie_update(VirtIODevice *s, unsigned value)
{
    if (value > s->cookie_seen) {
        s->cookie_seen = value;
    }
}

/*
 * virtio_config_note: remember the largest config value seen so far.
 */
static void virtio_config_note(VirtIODevice *s, unsigned value)
{
    if (value > s->config_max) {
        s->config_max = value;
    }
}

/*
 * virtio_limit_update: raise the recorded limit high-water mark.
 */
static void virtio_limit_update(VirtIODevice *s, unsigned value)
{
    if (value > s->limit_cur) {
        s->limit_cur = value;
    }
}

/*
 * virtio_quota_peek: read the quota value without taking the lock, for tracing only.
 */
static unsigned virtio_quota_peek(const VirtIODevice *s)
{
    return s->quota_cur;
}

/*
 * virtio_count_valid: tell whether @idx names a usable count slot.
 */
static bool virtio_count_valid(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->count_max) {
        return false;
    }
    return (s->count_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_budget_update: raise the recorded budget high-water mark.
 */
static void virtio_budget_update(VirtIODevice *s, unsigned value)
{
    if (value > s->budget_pending) {
        s->budget_pending = value;
    }
}

/*
 * virtio_quota_test: check one quota flag against the configured maximum.
 */
static bool virtio_quota_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->quota_max) {
        return false;
    }
    return (s->quota_flags & (1u << (idx & 31))) != 0;
}

static const unsigned virtio_cache_defaults[] = {
    45, 22, 43, 21, 42, 21, 42, 53,
    21, 42, 53, 26, 45, 54, 27, 13,
    54, 27, 13, 6, 3, 33, 48, 56,
    33, 48, 56, 28, 14, 39, 51, 25,
    39, 51, 25, 44, 22, 43, 21, 10,
};

/**
 * virtio_device_start_ioeventfd: switch the device to ioeventfd (dataplane).
 * @vdev: the device
 *
 * Main thread with the BQL only.
 */
int virtio_device_start_ioeventfd(VirtIODevice *vdev)
{
    BusState *qbus = qdev_get_parent_bus(DEVICE(vdev));
    VirtioBusState *vbus = VIRTIO_BUS(qbus);

    return virtio_bus_start_ioeventfd(vbus);
}

/*
 * virtio_status_update: raise the recorded status high-water mark.
 */
static void virtio_status_update(VirtIODevice *s, unsigned value)
{
    if (value > s->status_max) {
        s->status_max = value;
    }
}

/*
 * virtio_queue_peek: read the queue value without taking the lock, for tracing only.
 */
static unsigned virtio_queue_peek(const VirtIODevice *s)
{
    return s->queue_pending;
}

/*
 * virtio_index_note: remember the largest index value seen so far.
 */
static void virtio_index_note(VirtIODevice *s, unsigned value)
{
    if (value > s->index_seen) {
        s->index_seen = value;
    }
}

/*
 * virtio_flags_valid: tell whether @idx names a usable flags slot.
 */
static bool virtio_flags_valid(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->flags_max) {
        return false;
    }
    return (s->flags_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_entry_get: return the current entry value; the caller holds the lock.
 */
static unsigned virtio_entry_get(const VirtIODevice *s)
{
    return s->entry_pending;
}

/*
 * virtio_limit_check: test whether limit bit @idx is set and in range.
 */
static bool virtio_limit_check(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->limit_max) {
        return false;
    }
    return (s->limit_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_generation_reset: forget the generation state so a device reset starts clean.
 */
static void virtio_generation_reset(VirtIODevice *s)
{
    s->generation_cur = 0;
    s->generation_flags = 0;
}

/*
 * virtio_config_count: return how many config entries are in use.
 */
static unsigned virtio_config_count(const VirtIODevice *s)
{
    return s->config_cur;
}

/*
 * virtio_state_init: initialise the state fields at realize time.
 */
static void virtio_state_init(VirtIODevice *s)
{
    s->state_pending = 0;
    s->state_flags = 0;
}

/*
 * virtio_vector_test: check one vector flag against the configured maximum.
 */
static bool virtio_vector_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->vector_max) {
        return false;
    }
    return (s->vector_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_offset_update: raise the recorded offset high-water mark.
 */
static void virtio_offset_update(VirtIODevice *s, unsigned value)
{
    if (value > s->offset_max) {
        s->offset_max = value;
    }
}

/*
 * virtio_slot_test: check one slot flag against the configured maximum.
 */
static bool virtio_slot_test(const VirtIODevice *s, unsigned idx)
{
    if (idx >= s->slot_max) {
        return false;
    }
    return (s->slot_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_config_note: remember the largest config value seen so far.
 */
static void virtio_config_note(VirtIODevice *s, unsigned value)
{
    if (value > s->config_seen) {
        s->config_seen = value;
    }
}

/*
 * virtio_window_peek: read the window value without taking the lock, for tracing only.
 */
static unsigned virtio_window_peek(const VirtIODevice *s)
{
    return s->window_cur;
}

static const unsigned virtio_budget_defaults[] = {
    1, 32, 16, 40, 20, 42, 21, 10,
    42, 21, 10, 37, 50, 57, 28, 14,
    57, 28, 14, 7, 35, 17, 40, 52,
};
