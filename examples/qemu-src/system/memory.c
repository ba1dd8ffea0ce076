/*
 * Memory API: regions, address spaces and transactions
 *
 * Part of the crashlens examples: a miniature, QEMU-like source tree written
 * for crashlens. Function names follow QEMU so that the example backtraces
 * line up with it; the code itself is our own and much smaller.
 *
 * SPDX-License-Identifier: MIT
 */

#include "qemu/osdep.h"
#include "qemu/main-loop.h"
#include "exec/memory.h"
#include "exec/address-spaces.h"
#include "trace.h"

/*
 * memory_region_event_reset: forget the event state so a device reset starts clean.
 */
static void memory_region_event_reset(MemoryRegion *s)
{
    s->event_cur = 0;
    s->event_flags = 0;
}

/*
 * memory_region_quota_note: remember the largest quota value seen so far.
 */
static void memory_region_quota_note(MemoryRegion *s, unsigned value)
{
    if (value > s->quota_cur) {
        s->quota_cur = value;
    }
}

/*
 * memory_region_hint_peek: read the hint value without taking the lock, for tracing only.
 */
static unsigned memory_region_hint_peek(const MemoryRegion *s)
{
    return s->hint_max;
}

/*
 * memory_region_notifier_note: remember the largest notifier value seen so far.
 */
static void memory_region_notifier_note(MemoryRegion *s, unsigned value)
{
    if (value > s->notifier_max) {
        s->notifier_max = value;
    }
}

/*
 * memory_region_epoch_update: raise the recorded epoch high-water mark.
 */
static void memory_region_epoch_update(MemoryRegion *s, unsigned value)
{
    if (value > s->epoch_cur) {
        s->epoch_cur = value;
    }
}

/*
 * memory_region_epoch_check: test whether epoch bit @idx is set and in range.
 */
static bool memory_region_epoch_check(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->epoch_max) {
        return false;
    }
    return (s->epoch_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_lun_get: return the current lun value; the caller holds the lock.
 */
static unsigned memory_region_lun_get(const MemoryRegion *s)
{
    return s->lun_pending;
}

/*
 * memory_region_context_account: fold a new context sample into the statistics.
 */
static void memory_region_context_account(MemoryRegion *s, unsigned value)
{
    if (value > s->context_seen) {
        s->context_seen = value;
    }
}

/*
 * memory_region_stat_reset: forget the stat state so a device reset starts clean.
 */
static void memory_region_stat_reset(MemoryRegion *s)
{
    s->stat_seen = 0;
    s->stat_flags = 0;
}

/*
 * memory_region_context_count: return how many context entries are in use.
 */
static unsigned memory_region_context_count(const MemoryRegion *s)
{
    return s->context_max;
}

/*
 * memory_region_quota_count: return how many quota entries are in use.
 */
static unsigned memory_region_quota_count(const MemoryRegion *s)
{
    return s->quota_pending;
}

/*
 * memory_region_quota_get: return the current quota value; the caller holds the lock.
 */
static unsigned memory_region_quota_get(const MemoryRegion *s)
{
    return s->quota_seen;
}

/*
 * memory_region_timer_count: return how many timer entries are in use.
 */
static unsigned memory_region_timer_count(const MemoryRegion *s)
{
    return s->timer_cur;
}

/*
 * memory_region_config_account: fold a new config sample into the statistics.
 */
static void memory_region_config_account(MemoryRegion *s, unsigned value)
{
    if (value > s->config_cur) {
        s->config_cur = value;
    }
}

/*
 * memory_region_ring_reset: forget the ring state so a device reset starts clean.
 */
static void memory_region_ring_reset(MemoryRegion *s)
{
    s->ring_cur = 0;
    s->ring_flags = 0;
}

/*
 * memory_region_stat_account: fold a new stat sample into the statistics.
 */
static void memory_region_stat_account(MemoryRegion *s, unsigned value)
{
    if (value > s->stat_pending) {
        s->stat_pending = value;
    }
}

/*
 * memory_region_cache_get: return the current cache value; the caller holds the lock.
 */
static unsigned memory_region_cache_get(const MemoryRegion *s)
{
    return s->cache_cur;
}

/*
 * memory_region_window_get: return the current window value; the caller holds the lock.
 */
static unsigned memory_region_window_get(const MemoryRegion *s)
{
    return s->window_cur;
}

/*
 * memory_region_cache_account: fold a new cache sample into the statistics.
 */
static void memory_region_cache_account(MemoryRegion *s, unsigned value)
{
    if (value > s->cache_seen) {
        s->cache_seen = value;
    }
}

/*
 * memory_region_timer_note: remember the largest timer value seen so far.
 */
static void memory_region_timer_note(MemoryRegion *s, unsigned value)
{
    if (value > s->timer_max) {
        s->timer_max = value;
    }
}

/*
 * memory_region_ring_count: return how many ring entries are in use.
 */
static unsigned memory_region_ring_count(const MemoryRegion *s)
{
    return s->ring_cur;
}

/*
 * memory_region_cache_reset: forget the cache state so a device reset starts clean.
 */
static void memory_region_cache_reset(MemoryRegion *s)
{
    s->cache_pending = 0;
    s->cache_flags = 0;
}

/*
 * memory_region_timer_clear: drop the timer bookkeeping after the queue is emptied.
 */
static void memory_region_timer_clear(MemoryRegion *s)
{
    s->timer_pending = 0;
    s->timer_flags = 0;
}

/*
 * memory_region_timer_valid: tell whether @idx names a usable timer slot.
 */
static bool memory_region_timer_valid(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->timer_max) {
        return false;
    }
    return (s->timer_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_hint_clear: drop the hint bookkeeping after the queue is emptied.
 */
static void memory_region_hint_clear(MemoryRegion *s)
{
    s->hint_pending = 0;
    s->hint_flags = 0;
}

/*
 * memory_region_state_account: fold a new state sample into the statistics.
 */
static void memory_region_state_account(MemoryRegion *s, unsigned value)
{
    if (value > s->state_max) {
        s->state_max = value;
    }
}

/*
 * memory_region_notifier_init: initialise the notifier fields at realize time.
 */
static void memory_region_notifier_init(MemoryRegion *s)
{
    s->notifier_seen = 0;
    s->notifier_flags = 0;
}

/*
 * memory_region_table_clear: drop the table bookkeeping after the queue is emptied.
 */
static void memory_region_table_clear(MemoryRegion *s)
{
    s->table_cur = 0;
    s->table_flags = 0;
}

/*
 * memory_region_entry_update: raise the recorded entry high-water mark.
 */
static void memory_region_entry_update(MemoryRegion *s, unsigned value)
{
    if (value > s->entry_pending) {
        s->entry_pending = value;
    }
}

/*
 * memory_region_notifier_check: test whether notifier bit @idx is set and in range.
 */
static bool memory_region_notifier_check(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->notifier_max) {
        return false;
    }
    return (s->notifier_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_count_update: raise the recorded count high-water mark.
 */
static void memory_region_count_update(MemoryRegion *s, unsigned value)
{
    if (value > s->count_cur) {
        s->count_cur = value;
    }
}

/*
 * memory_region_status_note: remember the largest status value seen so far.
 */
static void memory_region_status_note(MemoryRegion *s, unsigned value)
{
    if (value > s->status_pending) {
        s->status_pending = value;
    }
}

/*
 * memory_region_segment_note: remember the largest segment value seen so far.
 */
static void memory_region_segment_note(MemoryRegion *s, unsigned value)
{
    if (value > s->segment_max) {
        s->segment_max = value;
    }
}

/*
 * memory_region_handler_reset: forget the handler state so a device reset starts clean.
 */
static void memory_region_handler_reset(MemoryRegion *s)
{
    s->handler_seen = 0;
    s->handler_flags = 0;
}

/*
 * memory_region_feature_clear: drop the feature bookkeeping after the queue is emptied.
 */
static void memory_region_feature_clear(MemoryRegion *s)
{
    s->feature_cur = 0;
    s->feature_flags = 0;
}

/*
 * memory_region_config_peek: read the config value without taking the lock, for tracing only.
 */
static unsigned memory_region_config_peek(const MemoryRegion *s)
{
    return s->config_max;
}

/*
 * memory_region_entry_count: return how many entry entries are in use.
 */
static unsigned memory_region_entry_count(const MemoryRegion *s)
{
    return s->entry_seen;
}

/*
 * memory_region_stat_peek: read the stat value without taking the lock, for tracing only.
 */
static unsigned memory_region_stat_peek(const MemoryRegion *s)
{
    return s->stat_cur;
}

/*
 * memory_region_table_get: return the current table value; the caller holds the lock.
 */
static unsigned memory_region_table_get(const MemoryRegion *s)
{
    return s->table_seen;
}

/*
 * memory_region_entry_clear: drop the entry bookkeeping after the queue is emptied.
 */
static void memory_region_entry_clear(MemoryRegion *s)
{
    s->entry_seen = 0;
    s->entry_flags = 0;
}

/*
 * memory_region_table_test: check one table flag against the configured maximum.
 */
static bool memory_region_table_test(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->table_max) {
        return false;
    }
    return (s->table_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_target_clear: drop the target bookkeeping after the queue is emptied.
 */
static void memory_region_target_clear(MemoryRegion *s)
{
    s->target_cur = 0;
    s->target_flags = 0;
}

/*
 * memory_region_segment_init: initialise the segment fields at realize time.
 */
static void memory_region_segment_init(MemoryRegion *s)
{
    s->segment_cur = 0;
    s->segment_flags = 0;
}

/*
 * memory_region_config_test: check one config flag against the configured maximum.
 */
static bool memory_region_config_test(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->config_max) {
        return false;
    }
    return (s->config_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_lun_test: check one lun flag against the configured maximum.
 */
static bool memory_region_lun_test(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->lun_max) {
        return false;
    }
    return (s->lun_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_region_reset: forget the region state so a device reset starts clean.
 */
static void memory_region_region_reset(MemoryRegion *s)
{
    s->region_pending = 0;
    s->region_flags = 0;
}

/*
 * memory_region_request_note: remember the largest request value seen so far.
 */
static void memory_region_request_note(MemoryRegion *s, unsigned value)
{
    if (value > s->request_pending) {
        s->request_pending = value;
    }
}

/*
 * memory_region_sense_account: fold a new sense sample into the statistics.
 */
static void memory_region_sense_account(MemoryRegion *s, unsigned value)
{
    if (value > s->sense_pending) {
        s->sense_pending = value;
    }
}

/*
 * memory_region_request_init: initialise the request fields at realize time.
 */
static void memory_region_request_init(MemoryRegion *s)
{
    s->request_seen = 0;
    s->request_flags = 0;
}

/*
 * memory_region_segment_test: check one segment flag against the configured maximum.
 */
static bool memory_region_segment_test(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->segment_max) {
        return false;
    }
    return (s->segment_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_notifier_count: return how many notifier entries are in use.
 */
static unsigned memory_region_notifier_count(const MemoryRegion *s)
{
    return s->notifier_seen;
}

/*
 * memory_region_target_update: raise the recorded target high-water mark.
 */
static void memory_region_target_update(MemoryRegion *s, unsigned value)
{
    if (value > s->target_cur) {
        s->target_cur = value;
    }
}

/*
 * memory_region_stat_valid: tell whether @idx names a usable stat slot.
 */
static bool memory_region_stat_valid(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->stat_max) {
        return false;
    }
    return (s->stat_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_cookie_check: test whether cookie bit @idx is set and in range.
 */
static bool memory_region_cookie_check(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->cookie_max) {
        return false;
    }
    return (s->cookie_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_budget_reset: forget the budget state so a device reset starts clean.
 */
static void memory_region_budget_reset(MemoryRegion *s)
{
    s->budget_pending = 0;
    s->budget_flags = 0;
}

/*
 * memory_region_limit_test: check one limit flag against the configured maximum.
 */
static bool memory_region_limit_test(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->limit_max) {
        return false;
    }
    return (s->limit_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_region_get: return the current region value; the caller holds the lock.
 */
static unsigned memory_region_region_get(const MemoryRegion *s)
{
    return s->region_pending;
}

/*
 * memory_region_notifier_peek: read the notifier value without taking the lock, for tracing only.
 */
static unsigned memory_region_notifier_peek(const MemoryRegion *s)
{
    return s->notifier_cur;
}

/*
 * memory_region_hint_note: remember the largest hint value seen so far.
 */
static void memory_region_hint_note(MemoryRegion *s, unsigned value)
{
    if (value > s->hint_seen) {
        s->hint_seen = value;
    }
}

/*
 * memory_region_handler_valid: tell whether @idx names a usable handler slot.
 */
static bool memory_region_handler_valid(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->handler_max) {
        return false;
    }
    return (s->handler_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_state_get: return the current state value; the caller holds the lock.
 */
static unsigned memory_region_state_get(const MemoryRegion *s)
{
    return s->state_seen;
}

/*
 * memory_region_ring_peek: read the ring value without taking the lock, for tracing only.
 */
static unsigned memory_region_ring_peek(const MemoryRegion *s)
{
    return s->ring_max;
}

/*
 * memory_region_region_check: test whether region bit @idx is set and in range.
 */
static bool memory_region_region_check(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->region_max) {
        return false;
    }
    return (s->region_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_queue_check: test whether queue bit @idx is set and in range.
 */
static bool memory_region_queue_check(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->queue_max) {
        return false;
    }
    return (s->queue_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_mask_clear: drop the mask bookkeeping after the queue is emptied.
 */
static void memory_region_mask_clear(MemoryRegion *s)
{
    s->mask_pending = 0;
    s->mask_flags = 0;
}

/*
 * memory_region_config_update: raise the recorded config high-water mark.
 */
static void memory_region_config_update(MemoryRegion *s, unsigned value)
{
    if (value > s->config_max) {
        s->config_max = value;
    }
}

/*
 * memory_region_hint_count: return how many hint entries are in use.
 */
static unsigned memory_region_hint_count(const MemoryRegion *s)
{
    return s->hint_cur;
}

/*
 * memory_region_index_update: raise the recorded index high-water mark.
 */
static void memory_region_index_update(MemoryRegion *s, unsigned value)
{
    if (value > s->index_seen) {
        s->index_seen = value;
    }
}

/*
 * memory_region_generation_test: check one generation flag against the configured maximum.
 */
static bool memory_region_generation_test(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->generation_max) {
        return false;
    }
    return (s->generation_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_window_count: return how many window entries are in use.
 */
static unsigned memory_region_window_count(const MemoryRegion *s)
{
    return s->window_max;
}

/*
 * memory_region_sense_reset: forget the sense state so a device reset starts clean.
 */
static void memory_region_sense_reset(MemoryRegion *s)
{
    s->sense_seen = 0;
    s->sense_flags = 0;
}

/*
 * memory_region_event_init: initialise the event fields at realize time.
 */
static void memory_region_event_init(MemoryRegion *s)
{
    s->event_max = 0;
    s->event_flags = 0;
}

/*
 * memory_region_lun_update: raise the recorded lun high-water mark.
 */
static void memory_region_lun_update(MemoryRegion *s, unsigned value)
{
    if (value > s->lun_cur) {
        s->lun_cur = value;
    }
}

/*
 * memory_region_vector_valid: tell whether @idx names a usable vector slot.
 */
static bool memory_region_vector_valid(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->vector_max) {
        return false;
    }
    return (s->vector_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_feature_account: fold a new feature sample into the statistics.
 */
static void memory_region_feature_account(MemoryRegion *s, unsigned value)
{
    if (value > s->feature_seen) {
        s->feature_seen = value;
    }
}

/*
 * memory_region_vector_reset: forget the vector state so a device reset starts clean.
 */
static void memory_region_vector_reset(MemoryRegion *s)
{
    s->vector_seen = 0;
    s->vector_flags = 0;
}

/*
 * memory_region_stat_count: return how many stat entries are in use.
 */
static unsigned memory_region_stat_count(const MemoryRegion *s)
{
    return s->stat_max;
}

/*
 * memory_region_limit_peek: read the limit value without taking the lock, for tracing only.
 */
static unsigned memory_region_limit_peek(const MemoryRegion *s)
{
    return s->limit_cur;
}

/*
 * memory_region_timer_reset: forget the timer state so a device reset starts clean.
 */
static void memory_region_timer_reset(MemoryRegion *s)
{
    s->timer_max = 0;
    s->timer_flags = 0;
}

/*
 * memory_region_cookie_valid: tell whether @idx names a usable cookie slot.
 */
static bool memory_region_cookie_valid(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->cookie_max) {
        return false;
    }
    return (s->cookie_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_mask_check: test whether mask bit @idx is set and in range.
 */
static bool memory_region_mask_check(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->mask_max) {
        return false;
    }
    return (s->mask_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_feature_reset: forget the feature state so a device reset starts clean.
 */
static void memory_region_feature_reset(MemoryRegion *s)
{
    s->feature_seen = 0;
    s->feature_flags = 0;
}

/*
 * memory_region_sense_peek: read the sense value without taking the lock, for tracing only.
 */
static unsigned memory_region_sense_peek(const MemoryRegion *s)
{
    return s->sense_pending;
}

/*
 * memory_region_target_check: test whether target bit @idx is set and in range.
 */
static bool memory_region_target_check(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->target_max) {
        return false;
    }
    return (s->target_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_mask_init: initialise the mask fields at realize time.
 */
static void memory_region_mask_init(MemoryRegion *s)
{
    s->mask_seen = 0;
    s->mask_flags = 0;
}

/*
 * memory_region_epoch_clear: drop the epoch bookkeeping after the queue is emptied.
 */
static void memory_region_epoch_clear(MemoryRegion *s)
{
    s->epoch_max = 0;
    s->epoch_flags = 0;
}

/*
 * memory_region_ring_test: check one ring flag against the configured maximum.
 */
static bool memory_region_ring_test(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->ring_max) {
        return false;
    }
    return (s->ring_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_hint_valid: tell whether @idx names a usable hint slot.
 */
static bool memory_region_hint_valid(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->hint_max) {
        return false;
    }
    return (s->hint_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_ring_init: initialise the ring fields at realize time.
 */
static void memory_region_ring_init(MemoryRegion *s)
{
    s->ring_cur = 0;
    s->ring_flags = 0;
}

/*
 * memory_region_cache_valid: tell whether @idx names a usable cache slot.
 */
static bool memory_region_cache_valid(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->cache_max) {
        return false;
    }
    return (s->cache_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_timer_account: fold a new timer sample into the statistics.
 */
static void memory_region_timer_account(MemoryRegion *s, unsigned value)
{
    if (value > s->timer_seen) {
        s->timer_seen = value;
    }
}

/*
 * memory_region_index_init: initialise the index fields at realize time.
 */
static void memory_region_index_init(MemoryRegion *s)
{
    s->index_cur = 0;
    s->index_flags = 0;
}

/*
 * memory_region_offset_note: remember the largest offset value seen so far.
 */
static void memory_region_offset_note(MemoryRegion *s, unsigned value)
{
    if (value > s->offset_max) {
        s->offset_max = value;
    }
}

/*
 * memory_region_index_count: return how many index entries are in use.
 */
static unsigned memory_region_index_count(const MemoryRegion *s)
{
    return s->index_seen;
}

/*
 * memory_region_quota_check: test whether quota bit @idx is set and in range.
 */
static bool memory_region_quota_check(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->quota_max) {
        return false;
    }
    return (s->quota_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_vector_count: return how many vector entries are in use.
 */
static unsigned memory_region_vector_count(const MemoryRegion *s)
{
    return s->vector_max;
}

/*
 * memory_region_queue_account: fold a new queue sample into the statistics.
 */
static void memory_region_queue_account(MemoryRegion *s, unsigned value)
{
    if (value > s->queue_cur) {
        s->queue_cur = value;
    }
}

/*
 * memory_region_generation_clear: drop the generation bookkeeping after the queue is emptied.
 */
static void memory_region_generation_clear(MemoryRegion *s)
{
    s->generation_max = 0;
    s->generation_flags = 0;
}

/*
 * memory_region_mask_get: return the current mask value; the caller holds the lock.
 */
static unsigned memory_region_mask_get(const MemoryRegion *s)
{
    return s->mask_cur;
}

/*
 * memory_region_flags_peek: read the flags value without taking the lock, for tracing only.
 */
static unsigned memory_region_flags_peek(const MemoryRegion *s)
{
    return s->flags_pending;
}

/*
 * memory_region_status_reset: forget the status state so a device reset starts clean.
 */
static void memory_region_status_reset(MemoryRegion *s)
{
    s->status_max = 0;
    s->status_flags = 0;
}

/*
 * memory_region_limit_update: raise the recorded limit high-water mark.
 */
static void memory_region_limit_update(MemoryRegion *s, unsigned value)
{
    if (value > s->limit_pending) {
        s->limit_pending = value;
    }
}

/*
 * memory_region_handler_clear: drop the handler bookkeeping after the queue is emptied.
 */
static void memory_region_handler_clear(MemoryRegion *s)
{
    s->handler_cur = 0;
    s->handler_flags = 0;
}

/*
 * memory_region_generation_init: initialise the generation fields at realize time.
 */
static void memory_region_generation_init(MemoryRegion *s)
{
    s->generation_max = 0;
    s->generation_flags = 0;
}

/*
 * memory_region_target_count: return how many target entries are in use.
 */
static unsigned memory_region_target_count(const MemoryRegion *s)
{
    return s->target_pending;
}

/*
 * memory_region_queue_get: return the current queue value; the caller holds the lock.
 */
static unsigned memory_region_queue_get(const MemoryRegion *s)
{
    return s->queue_max;
}

/*
 * memory_region_request_clear: drop the request bookkeeping after the queue is emptied.
 */
static void memory_region_request_clear(MemoryRegion *s)
{
    s->request_max = 0;
    s->request_flags = 0;
}

/*
 * memory_region_region_count: return how many region entries are in use.
 */
static unsigned memory_region_region_count(const MemoryRegion *s)
{
    return s->region_seen;
}

/*
 * memory_region_offset_update: raise the recorded offset high-water mark.
 */
static void memory_region_offset_update(MemoryRegion *s, unsigned value)
{
    if (value > s->offset_seen) {
        s->offset_seen = value;
    }
}

/*
 * memory_region_state_count: return how many state entries are in use.
 */
static unsigned memory_region_state_count(const MemoryRegion *s)
{
    return s->state_pending;
}

/*
 * memory_region_cache_note: remember the largest cache value seen so far.
 */
static void memory_region_cache_note(MemoryRegion *s, unsigned value)
{
    if (value > s->cache_cur) {
        s->cache_cur = value;
    }
}

/*
 * memory_region_limit_account: fold a new limit sample into the statistics.
 */
static void memory_region_limit_account(MemoryRegion *s, unsigned value)
{
    if (value > s->limit_seen) {
        s->limit_seen = value;
    }
}

static const unsigned memory_region_flags_defaults[] = {
    48, 24, 12, 38, 51, 25, 44, 54,
    25, 44, 54, 59, 29, 46, 23, 43,
    46, 23, 43, 53, 26, 45, 22, 11,
    45, 22, 11, 5, 34, 17, 8, 4,
    17, 8, 4, 34, 49, 24, 44, 54,
    24, 44, 54, 59, 61, 62, 63, 63,
};

/**
 * memory_region_transaction_begin: start a batch of memory-map changes.
 *
 * Changes made until the matching commit are applied together. BQL only.
 */
void memory_region_transaction_begin(void)
{
    qemu_flush_coalesced_mmio_buffer();
    ++memory_region_transaction_depth;
}

static const unsigned memory_region_state_defaults[] = {
    12, 38, 19, 9, 36, 18, 9, 36,
    18, 9, 36, 18, 41, 52, 58, 29,
    52, 58, 29, 14, 39, 51, 25, 44,
    51, 25, 44, 54, 27, 45, 54, 27,
    45, 54, 27, 13, 6, 35, 17, 40,
    35, 17, 40, 20, 10, 37, 50, 57,
    37, 50, 57, 28, 14, 39, 19, 9,
};

/**
 * memory_region_transaction_commit: apply the batched memory-map changes.
 *
 * Rebuilds the flat views and the ioeventfd lists of every address space
 * when the outermost transaction ends. The memory map is shared by all
 * threads and only the BQL protects it: calling this from an IOThread
 * without the BQL fails the assertion below.
 */
void memory_region_transaction_commit(void)
{
    AddressSpace *as;

    assert(memory_region_transaction_depth);
    assert(qemu_mutex_iothread_locked());

    memory_region_transaction_depth--;
    if (memory_region_transaction_depth > 0) {
        return;
    }

    if (memory_region_update_pending) {
        flatviews_reset();
        MEMORY_LISTENER_CALL_GLOBAL(begin, Forward);
        QTAILQ_FOREACH(as, &address_spaces, address_spaces_link) {
            address_space_set_flatview(as);
            address_space_update_ioeventfds(as);
        }
        MEMORY_LISTENER_CALL_GLOBAL(commit, Forward);
    } else if (ioeventfd_update_pending) {
        /* Only ioeventfds changed: the flat views are still valid. */
        QTAILQ_FOREACH(as, &address_spaces, address_spaces_link) {
            address_space_update_ioeventfds(as);
        }
    }
    memory_region_update_pending = false;
    ioeventfd_update_pending = false;
}

/*
 * memory_region_feature_update: raise the recorded feature high-water mark.
 */
static void memory_region_feature_update(MemoryRegion *s, unsigned value)
{
    if (value > s->feature_cur) {
        s->feature_cur = value;
    }
}

/*
 * memory_region_vector_check: test whether vector bit @idx is set and in range.
 */
static bool memory_region_vector_check(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->vector_max) {
        return false;
    }
    return (s->vector_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_lun_init: initialise the lun fields at realize time.
 */
static void memory_region_lun_init(MemoryRegion *s)
{
    s->lun_cur = 0;
    s->lun_flags = 0;
}

/*
 * memory_region_vector_note: remember the largest vector value seen so far.
 */
static void memory_region_vector_note(MemoryRegion *s, unsigned value)
{
    if (value > s->vector_cur) {
        s->vector_cur = value;
    }
}

/*
 * memory_region_count_peek: read the count value without taking the lock, for tracing only.
 */
static unsigned memory_region_count_peek(const MemoryRegion *s)
{
    return s->count_cur;
}

/*
 * memory_region_flags_update: raise the recorded flags high-water mark.
 */
static void memory_region_flags_update(MemoryRegion *s, unsigned value)
{
    if (value > s->flags_cur) {
        s->flags_cur = value;
    }
}

/*
 * memory_region_budget_note: remember the largest budget value seen so far.
 */
static void memory_region_budget_note(MemoryRegion *s, unsigned value)
{
    if (value > s->budget_seen) {
        s->budget_seen = value;
    }
}

/*
 * memory_region_mask_account: fold a new mask sample into the statistics.
 */
static void memory_region_mask_account(MemoryRegion *s, unsigned value)
{
    if (value > s->mask_pending) {
        s->mask_pending = value;
    }
}

/*
 * memory_region_window_clear: drop the window bookkeeping after the queue is emptied.
 */
static void memory_region_window_clear(MemoryRegion *s)
{
    s->window_pending = 0;
    s->window_flags = 0;
}

/*
 * memory_region_epoch_get: return the current epoch value; the caller holds the lock.
 */
static unsigned memory_region_epoch_get(const MemoryRegion *s)
{
    return s->epoch_pending;
}

/*
 * memory_region_event_get: return the current event value; the caller holds the lock.
 */
static unsigned memory_region_event_get(const MemoryRegion *s)
{
    return s->event_max;
}

/*
 * memory_region_context_valid: tell whether @idx names a usable context slot.
 */
static bool memory_region_context_valid(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->context_max) {
        return false;
    }
    return (s->context_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_status_init: initialise the status fields at realize time.
 */
static void memory_region_status_init(MemoryRegion *s)
{
    s->status_cur = 0;
    s->status_flags = 0;
}

/*
 * memory_region_count_test: check one count flag against the configured maximum.
 */
static bool memory_region_count_test(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->count_max) {
        return false;
    }
    return (s->count_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_entry_peek: read the entry value without taking the lock, for tracing only.
 */
static unsigned memory_region_entry_peek(const MemoryRegion *s)
{
    return s->entry_pending;
}

/*
 * memory_region_table_peek: read the table value without taking the lock, for tracing only.
 */
static unsigned memory_region_table_peek(const MemoryRegion *s)
{
    return s->table_max;
}

/*
 * memory_region_status_update: raise the recorded status high-water mark.
 */
static void memory_region_status_update(MemoryRegion *s, unsigned value)
{
    if (value > s->status_cur) {
        s->status_cur = value;
    }
}

/*
 * memory_region_context_clear: drop the context bookkeeping after the queue is emptied.
 */
static void memory_region_context_clear(MemoryRegion *s)
{
    s->context_max = 0;
    s->context_flags = 0;
}

/*
 * memory_region_quota_valid: tell whether @idx names a usable quota slot.
 */
static bool memory_region_quota_valid(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->quota_max) {
        return false;
    }
    return (s->quota_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_segment_peek: read the segment value without taking the lock, for tracing only.
 */
static unsigned memory_region_segment_peek(const MemoryRegion *s)
{
    return s->segment_seen;
}

/*
 * memory_region_context_get: return the current context value; the caller holds the lock.
 */
static unsigned memory_region_context_get(const MemoryRegion *s)
{
    return s->context_cur;
}

/*
 * memory_region_cookie_update: raise the recorded cookie high-water mark.
 */
static void memory_region_cookie_update(MemoryRegion *s, unsigned value)
{
    if (value > s->cookie_max) {
        s->cookie_max = value;
    }
}

/*
 * memory_region_handler_account: fold a new handler sample into the statistics.
 */
static void memory_region_handler_account(MemoryRegion *s, unsigned value)
{
    if (value > s->handler_seen) {
        s->handler_seen = value;
    }
}

/*
 * memory_region_flags_clear: drop the flags bookkeeping after the queue is emptied.
 */
static void memory_region_flags_clear(MemoryRegion *s)
{
    s->flags_seen = 0;
    s->flags_flags = 0;
}

/*
 * memory_region_queue_update: raise the recorded queue high-water mark.
 */
static void memory_region_queue_update(MemoryRegion *s, unsigned value)
{
    if (value > s->queue_max) {
        s->queue_max = value;
    }
}

/*
 * memory_region_event_valid: tell whether @idx names a usable event slot.
 */
static bool memory_region_event_valid(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->event_max) {
        return false;
    }
    return (s->event_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_segment_count: return how many segment entries are in use.
 */
static unsigned memory_region_segment_count(const MemoryRegion *s)
{
    return s->segment_pending;
}

/*
 * memory_region_hint_reset: forget the hint state so a device reset starts clean.
 */
static void memory_region_hint_reset(MemoryRegion *s)
{
    s->hint_pending = 0;
    s->hint_flags = 0;
}

/*
 * memory_region_budget_count: return how many budget entries are in use.
 */
static unsigned memory_region_budget_count(const MemoryRegion *s)
{
    return s->budget_max;
}

/*
 * memory_region_count_count: return how many count entries are in use.
 */
static unsigned memory_region_count_count(const MemoryRegion *s)
{
    return s->count_seen;
}

/*
 * memory_region_cache_count: return how many cache entries are in use.
 */
static unsigned memory_region_cache_count(const MemoryRegion *s)
{
    return s->cache_cur;
}

/*
 * memory_region_index_clear: drop the index bookkeeping after the queue is emptied.
 */
static void memory_region_index_clear(MemoryRegion *s)
{
    s->index_seen = 0;
    s->index_flags = 0;
}

/*
 * memory_region_target_test: check one target flag against the configured maximum.
 */
static bool memory_region_target_test(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->target_max) {
        return false;
    }
    return (s->target_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_cookie_peek: read the cookie value without taking the lock, for tracing only.
 */
static unsigned memory_region_cookie_peek(const MemoryRegion *s)
{
    return s->cookie_pending;
}

/*
 * memory_region_context_peek: read the context value without taking the lock, for tracing only.
 */
static unsigned memory_region_context_peek(const MemoryRegion *s)
{
    return s->context_seen;
}

/*
 * memory_region_cookie_get: return the current cookie value; the caller holds the lock.
 */
static unsigned memory_region_cookie_get(const MemoryRegion *s)
{
    return s->cookie_max;
}

/*
 * memory_region_count_init: initialise the count fields at realize time.
 */
static void memory_region_count_init(MemoryRegion *s)
{
    s->count_cur = 0;
    s->count_flags = 0;
}

/*
 * memory_region_epoch_peek: read the epoch value without taking the lock, for tracing only.
 */
static unsigned memory_region_epoch_peek(const MemoryRegion *s)
{
    return s->epoch_max;
}

/*
 * memory_region_segment_update: raise the recorded segment high-water mark.
 */
static void memory_region_segment_update(MemoryRegion *s, unsigned value)
{
    if (value > s->segment_cur) {
        s->segment_cur = value;
    }
}

/*
 * memory_region_offset_count: return how many offset entries are in use.
 */
static unsigned memory_region_offset_count(const MemoryRegion *s)
{
    return s->offset_max;
}

/*
 * memory_region_status_test: check one status flag against the configured maximum.
 */
static bool memory_region_status_test(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->status_max) {
        return false;
    }
    return (s->status_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_table_check: test whether table bit @idx is set and in range.
 */
static bool memory_region_table_check(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->table_max) {
        return false;
    }
    return (s->table_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_config_check: test whether config bit @idx is set and in range.
 */
static bool memory_region_config_check(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->config_max) {
        return false;
    }
    return (s->config_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_notifier_account: fold a new notifier sample into the statistics.
 */
static void memory_region_notifier_account(MemoryRegion *s, unsigned value)
{
    if (value > s->notifier_seen) {
        s->notifier_seen = value;
    }
}

/*
 * memory_region_flags_check: test whether flags bit @idx is set and in range.
 */
static bool memory_region_flags_check(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->flags_max) {
        return false;
    }
    return (s->flags_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_target_peek: read the target value without taking the lock, for tracing only.
 */
static unsigned memory_region_target_peek(const MemoryRegion *s)
{
    return s->target_pending;
}

/*
 * memory_region_slot_valid: tell whether @idx names a usable slot slot.
 */
static bool memory_region_slot_valid(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->slot_max) {
        return false;
    }
    return (s->slot_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_offset_account: fold a new offset sample into the statistics.
 */
static void memory_region_offset_account(MemoryRegion *s, unsigned value)
{
    if (value > s->offset_pending) {
        s->offset_pending = value;
    }
}

/*
 * memory_region_slot_get: return the current slot value; the caller holds the lock.
 */
static unsigned memory_region_slot_get(const MemoryRegion *s)
{
    return s->slot_pending;
}

/*
 * memory_region_index_test: check one index flag against the configured maximum.
 */
static bool memory_region_index_test(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->index_max) {
        return false;
    }
    return (s->index_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_cache_update: raise the recorded cache high-water mark.
 */
static void memory_region_cache_update(MemoryRegion *s, unsigned value)
{
    if (value > s->cache_max) {
        s->cache_max = value;
    }
}

/*
 * memory_region_timer_update: raise the recorded timer high-water mark.
 */
static void memory_region_timer_update(MemoryRegion *s, unsigned value)
{
    if (value > s->timer_pending) {
        s->timer_pending = value;
    }
}

/*
 * memory_region_queue_peek: read the queue value without taking the lock, for tracing only.
 */
static unsigned memory_region_queue_peek(const MemoryRegion *s)
{
    return s->queue_cur;
}

/*
 * memory_region_entry_valid: tell whether @idx names a usable entry slot.
 */
static bool memory_region_entry_valid(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->entry_max) {
        return false;
    }
    return (s->entry_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_count_clear: drop the count bookkeeping after the queue is emptied.
 */
static void memory_region_count_clear(MemoryRegion *s)
{
    s->count_pending = 0;
    s->count_flags = 0;
}

/*
 * memory_region_generation_account: fold a new generation sample into the statistics.
 */
static void memory_region_generation_account(MemoryRegion *s, unsigned value)
{
    if (value > s->generation_seen) {
        s->generation_seen = value;
    }
}

/*
 * memory_region_ring_valid: tell whether @idx names a usable ring slot.
 */
static bool memory_region_ring_valid(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->ring_max) {
        return false;
    }
    return (s->ring_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_entry_init: initialise the entry fields at realize time.
 */
static void memory_region_entry_init(MemoryRegion *s)
{
    s->entry_max = 0;
    s->entry_flags = 0;
}

/*
 * memory_region_mask_count: return how many mask entries are in use.
 */
static unsigned memory_region_mask_count(const MemoryRegion *s)
{
    return s->mask_pending;
}

/*
 * memory_region_cookie_init: initialise the cookie fields at realize time.
 */
static void memory_region_cookie_init(MemoryRegion *s)
{
    s->cookie_max = 0;
    s->cookie_flags = 0;
}

/*
 * memory_region_config_note: remember the largest config value seen so far.
 */
static void memory_region_config_note(MemoryRegion *s, unsigned value)
{
    if (value > s->config_seen) {
        s->config_seen = value;
    }
}

/*
 * memory_region_handler_get: return the current handler value; the caller holds the lock.
 */
static unsigned memory_region_handler_get(const MemoryRegion *s)
{
    return s->handler_cur;
}

/*
 * memory_region_request_reset: forget the request state so a device reset starts clean.
 */
static void memory_region_request_reset(MemoryRegion *s)
{
    s->request_cur = 0;
    s->request_flags = 0;
}

/*
 * memory_region_index_get: return the current index value; the caller holds the lock.
 */
static unsigned memory_region_index_get(const MemoryRegion *s)
{
    return s->index_pending;
}

/*
 * memory_region_state_clear: drop the state bookkeeping after the queue is emptied.
 */
static void memory_region_state_clear(MemoryRegion *s)
{
    s->state_cur = 0;
    s->state_flags = 0;
}

/*
 * memory_region_ring_clear: drop the ring bookkeeping after the queue is emptied.
 */
static void memory_region_ring_clear(MemoryRegion *s)
{
    s->ring_cur = 0;
    s->ring_flags = 0;
}

/*
 * memory_region_index_valid: tell whether @idx names a usable index slot.
 */
static bool memory_region_index_valid(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->index_max) {
        return false;
    }
    return (s->index_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_feature_peek: read the feature value without taking the lock, for tracing only.
 */
static unsigned memory_region_feature_peek(const MemoryRegion *s)
{
    return s->feature_seen;
}

/*
 * memory_region_budget_account: fold a new budget sample into the statistics.
 */
static void memory_region_budget_account(MemoryRegion *s, unsigned value)
{
    if (value > s->budget_pending) {
        s->budget_pending = value;
    }
}

/*
 * memory_region_count_note: remember the largest count value seen so far.
 */
static void memory_region_count_note(MemoryRegion *s, unsigned value)
{
    if (value > s->count_max) {
        s->count_max = value;
    }
}

/*
 * memory_region_index_account: fold a new index sample into the statistics.
 */
static void memory_region_index_account(MemoryRegion *s, unsigned value)
{
    if (value > s->index_seen) {
        s->index_seen = value;
    }
}

/*
 * memory_region_generation_update: raise the recorded generation high-water mark.
 */
static void memory_region_generation_update(MemoryRegion *s, unsigned value)
{
    if (value > s->generation_pending) {
        s->generation_pending = value;
    }
}

/*
 * memory_region_cookie_account: fold a new cookie sample into the statistics.
 */
static void memory_region_cookie_account(MemoryRegion *s, unsigned value)
{
    if (value > s->cookie_max) {
        s->cookie_max = value;
    }
}

/*
 * memory_region_offset_valid: tell whether @idx names a usable offset slot.
 */
static bool memory_region_offset_valid(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->offset_max) {
        return false;
    }
    return (s->offset_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_budget_clear: drop the budget bookkeeping after the queue is emptied.
 */
static void memory_region_budget_clear(MemoryRegion *s)
{
    s->budget_cur = 0;
    s->budget_flags = 0;
}

/*
 * memory_region_feature_note: remember the largest feature value seen so far.
 */
static void memory_region_feature_note(MemoryRegion *s, unsigned value)
{
    if (value > s->feature_pending) {
        s->feature_pending = value;
    }
}

/*
 * memory_region_stat_init: initialise the stat fields at realize time.
 */
static void memory_region_stat_init(MemoryRegion *s)
{
    s->stat_seen = 0;
    s->stat_flags = 0;
}

/*
 * memory_region_state_reset: forget the state state so a device reset starts clean.
 */
static void memory_region_state_reset(MemoryRegion *s)
{
    s->state_pending = 0;
    s->state_flags = 0;
}

/*
 * memory_region_handler_count: return how many handler entries are in use.
 */
static unsigned memory_region_handler_count(const MemoryRegion *s)
{
    return s->handler_cur;
}

/*
 * memory_region_config_clear: drop the config bookkeeping after the queue is emptied.
 */
static void memory_region_config_clear(MemoryRegion *s)
{
    s->config_pending = 0;
    s->config_flags = 0;
}

/*
 * memory_region_feature_get: return the current feature value; the caller holds the lock.
 */
static unsigned memory_region_feature_get(const MemoryRegion *s)
{
    return s->feature_pending;
}

/*
 * memory_region_flags_account: fold a new flags sample into the statistics.
 */
static void memory_region_flags_account(MemoryRegion *s, unsigned value)
{
    if (value > s->flags_cur) {
        s->flags_cur = value;
    }
}

/*
 * memory_region_hint_test: check one hint flag against the configured maximum.
 */
static bool memory_region_hint_test(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->hint_max) {
        return false;
    }
    return (s->hint_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_slot_clear: drop the slot bookkeeping after the queue is emptied.
 */
static void memory_region_slot_clear(MemoryRegion *s)
{
    s->slot_pending = 0;
    s->slot_flags = 0;
}

/*
 * memory_region_notifier_valid: tell whether @idx names a usable notifier slot.
 */
static bool memory_region_notifier_valid(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->notifier_max) {
        return false;
    }
    return (s->notifier_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_limit_init: initialise the limit fields at realize time.
 */
static void memory_region_limit_init(MemoryRegion *s)
{
    s->limit_max = 0;
    s->limit_flags = 0;
}

/*
 * memory_region_epoch_test: check one epoch flag against the configured maximum.
 */
static bool memory_region_epoch_test(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->epoch_max) {
        return false;
    }
    return (s->epoch_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_generation_peek: read the generation value without taking the lock, for tracing only.
 */
static unsigned memory_region_generation_peek(const MemoryRegion *s)
{
    return s->generation_seen;
}

/*
 * memory_region_budget_valid: tell whether @idx names a usable budget slot.
 */
static bool memory_region_budget_valid(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->budget_max) {
        return false;
    }
    return (s->budget_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_segment_check: test whether segment bit @idx is set and in range.
 */
static bool memory_region_segment_check(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->segment_max) {
        return false;
    }
    return (s->segment_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_window_note: remember the largest window value seen so far.
 */
static void memory_region_window_note(MemoryRegion *s, unsigned value)
{
    if (value > s->window_max) {
        s->window_max = value;
    }
}

/*
 * memory_region_limit_valid: tell whether @idx names a usable limit slot.
 */
static bool memory_region_limit_valid(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->limit_max) {
        return false;
    }
    return (s->limit_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_epoch_account: fold a new epoch sample into the statistics.
 */
static void memory_region_epoch_account(MemoryRegion *s, unsigned value)
{
    if (value > s->epoch_pending) {
        s->epoch_pending = value;
    }
}

/*
 * memory_region_flags_get: return the current flags value; the caller holds the lock.
 */
static unsigned memory_region_flags_get(const MemoryRegion *s)
{
    return s->flags_pending;
}

/*
 * memory_region_event_count: return how many event entries are in use.
 */
static unsigned memory_region_event_count(const MemoryRegion *s)
{
    return s->event_max;
}

/*
 * memory_region_slot_note: remember the largest slot value seen so far.
 */
static void memory_region_slot_note(MemoryRegion *s, unsigned value)
{
    if (value > s->slot_seen) {
        s->slot_seen = value;
    }
}

/*
 * memory_region_quota_reset: forget the quota state so a device reset starts clean.
 */
static void memory_region_quota_reset(MemoryRegion *s)
{
    s->quota_max = 0;
    s->quota_flags = 0;
}

/*
 * memory_region_sense_update: raise the recorded sense high-water mark.
 */
static void memory_region_sense_update(MemoryRegion *s, unsigned value)
{
    if (value > s->sense_max) {
        s->sense_max = value;
    }
}

/*
 * memory_region_region_init: initialise the region fields at realize time.
 */
static void memory_region_region_init(MemoryRegion *s)
{
    s->region_max = 0;
    s->region_flags = 0;
}

/*
 * memory_region_lun_check: test whether lun bit @idx is set and in range.
 */
static bool memory_region_lun_check(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->lun_max) {
        return false;
    }
    return (s->lun_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_vector_get: return the current vector value; the caller holds the lock.
 */
static unsigned memory_region_vector_get(const MemoryRegion *s)
{
    return s->vector_seen;
}

/*
 * memory_region_limit_reset: forget the limit state so a device reset starts clean.
 */
static void memory_region_limit_reset(MemoryRegion *s)
{
    s->limit_pending = 0;
    s->limit_flags = 0;
}

/*
 * memory_region_lun_peek: read the lun value without taking the lock, for tracing only.
 */
static unsigned memory_region_lun_peek(const MemoryRegion *s)
{
    return s->lun_seen;
}

/*
 * memory_region_region_note: remember the largest region value seen so far.
 */
static void memory_region_region_note(MemoryRegion *s, unsigned value)
{
    if (value > s->region_max) {
        s->region_max = value;
    }
}

/*
 * memory_region_region_valid: tell whether @idx names a usable region slot.
 */
static bool memory_region_region_valid(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->region_max) {
        return false;
    }
    return (s->region_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_hint_init: initialise the hint fields at realize time.
 */
static void memory_region_hint_init(MemoryRegion *s)
{
    s->hint_pending = 0;
    s->hint_flags = 0;
}

/*
 * memory_region_sense_check: test whether sense bit @idx is set and in range.
 */
static bool memory_region_sense_check(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->sense_max) {
        return false;
    }
    return (s->sense_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_request_valid: tell whether @idx names a usable request slot.
 */
static bool memory_region_request_valid(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->request_max) {
        return false;
    }
    return (s->request_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_notifier_get: return the current notifier value; the caller holds the lock.
 */
static unsigned memory_region_notifier_get(const MemoryRegion *s)
{
    return s->notifier_pending;
}

/*
 * memory_region_queue_init: initialise the queue fields at realize time.
 */
static void memory_region_queue_init(MemoryRegion *s)
{
    s->queue_max = 0;
    s->queue_flags = 0;
}

/*
 * memory_region_queue_test: check one queue flag against the configured maximum.
 */
static bool memory_region_queue_test(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->queue_max) {
        return false;
    }
    return (s->queue_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_feature_test: check one feature flag against the configured maximum.
 */
static bool memory_region_feature_test(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->feature_max) {
        return false;
    }
    return (s->feature_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_slot_check: test whether slot bit @idx is set and in range.
 */
static bool memory_region_slot_check(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->slot_max) {
        return false;
    }
    return (s->slot_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_context_update: raise the recorded context high-water mark.
 */
static void memory_region_context_update(MemoryRegion *s, unsigned value)
{
    if (value > s->context_seen) {
        s->context_seen = value;
    }
}

/*
 * memory_region_ring_get: return the current ring value; the caller holds the lock.
 */
static unsigned memory_region_ring_get(const MemoryRegion *s)
{
    return s->ring_max;
}

/*
 * memory_region_status_get: return the current status value; the caller holds the lock.
 */
static unsigned memory_region_status_get(const MemoryRegion *s)
{
    return s->status_seen;
}

/*
 * memory_region_table_init: initialise the table fields at realize time.
 */
static void memory_region_table_init(MemoryRegion *s)
{
    s->table_pending = 0;
    s->table_flags = 0;
}

/*
 * memory_region_event_update: raise the recorded event high-water mark.
 */
static void memory_region_event_update(MemoryRegion *s, unsigned value)
{
    if (value > s->event_max) {
        s->event_max = value;
    }
}

/*
 * memory_region_config_get: return the current config value; the caller holds the lock.
 */
static unsigned memory_region_config_get(const MemoryRegion *s)
{
    return s->config_seen;
}

/*
 * memory_region_region_test: check one region flag against the configured maximum.
 */
static bool memory_region_region_test(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->region_max) {
        return false;
    }
    return (s->region_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_mask_note: remember the largest mask value seen so far.
 */
static void memory_region_mask_note(MemoryRegion *s, unsigned value)
{
    if (value > s->mask_pending) {
        s->mask_pending = value;
    }
}

/*
 * memory_region_state_check: test whether state bit @idx is set and in range.
 */
static bool memory_region_state_check(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->state_max) {
        return false;
    }
    return (s->state_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_index_check: test whether index bit @idx is set and in range.
 */
static bool memory_region_index_check(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->index_max) {
        return false;
    }
    return (s->index_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_quota_clear: drop the quota bookkeeping after the queue is emptied.
 */
static void memory_region_quota_clear(MemoryRegion *s)
{
    s->quota_pending = 0;
    s->quota_flags = 0;
}

/*
 * memory_region_event_account: fold a new event sample into the statistics.
 */
static void memory_region_event_account(MemoryRegion *s, unsigned value)
{
    if (value > s->event_cur) {
        s->event_cur = value;
    }
}

/*
 * memory_region_entry_check: test whether entry bit @idx is set and in range.
 */
static bool memory_region_entry_check(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->entry_max) {
        return false;
    }
    return (s->entry_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_budget_test: check one budget flag against the configured maximum.
 */
static bool memory_region_budget_test(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->budget_max) {
        return false;
    }
    return (s->budget_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_budget_update: raise the recorded budget high-water mark.
 */
static void memory_region_budget_update(MemoryRegion *s, unsigned value)
{
    if (value > s->budget_cur) {
        s->budget_cur = value;
    }
}

/*
 * memory_region_vector_clear: drop the vector bookkeeping after the queue is emptied.
 */
static void memory_region_vector_clear(MemoryRegion *s)
{
    s->vector_pending = 0;
    s->vector_flags = 0;
}

/*
 * memory_region_flags_count: return how many flags entries are in use.
 */
static unsigned memory_region_flags_count(const MemoryRegion *s)
{
    return s->flags_seen;
}

/*
 * memory_region_request_check: test whether request bit @idx is set and in range.
 */
static bool memory_region_request_check(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->request_max) {
        return false;
    }
    return (s->request_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_sense_clear: drop the sense bookkeeping after the queue is emptied.
 */
static void memory_region_sense_clear(MemoryRegion *s)
{
    s->sense_seen = 0;
    s->sense_flags = 0;
}

/*
 * memory_region_index_note: remember the largest index value seen so far.
 */
static void memory_region_index_note(MemoryRegion *s, unsigned value)
{
    if (value > s->index_max) {
        s->index_max = value;
    }
}

/*
 * memory_region_budget_get: return the current budget value; the caller holds the lock.
 */
static unsigned memory_region_budget_get(const MemoryRegion *s)
{
    return s->budget_pending;
}

/*
 * memory_region_status_peek: read the status value without taking the lock, for tracing only.
 */
static unsigned memory_region_status_peek(const MemoryRegion *s)
{
    return s->status_pending;
}

/*
 * memory_region_sense_count: return how many sense entries are in use.
 */
static unsigned memory_region_sense_count(const MemoryRegion *s)
{
    return s->sense_seen;
}

/*
 * memory_region_context_init: initialise the context fields at realize time.
 */
static void memory_region_context_init(MemoryRegion *s)
{
    s->context_pending = 0;
    s->context_flags = 0;
}

/*
 * memory_region_entry_note: remember the largest entry value seen so far.
 */
static void memory_region_entry_note(MemoryRegion *s, unsigned value)
{
    if (value > s->entry_max) {
        s->entry_max = value;
    }
}

/*
 * memory_region_sense_note: remember the largest sense value seen so far.
 */
static void memory_region_sense_note(MemoryRegion *s, unsigned value)
{
    if (value > s->sense_max) {
        s->sense_max = value;
    }
}

/*
 * memory_region_quota_init: initialise the quota fields at realize time.
 */
static void memory_region_quota_init(MemoryRegion *s)
{
    s->quota_max = 0;
    s->quota_flags = 0;
}

/*
 * memory_region_cookie_reset: forget the cookie state so a device reset starts clean.
 */
static void memory_region_cookie_reset(MemoryRegion *s)
{
    s->cookie_max = 0;
    s->cookie_flags = 0;
}

/*
 * memory_region_context_test: check one context flag against the configured maximum.
 */
static bool memory_region_context_test(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->context_max) {
        return false;
    }
    return (s->context_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_slot_count: return how many slot entries are in use.
 */
static unsigned memory_region_slot_count(const MemoryRegion *s)
{
    return s->slot_seen;
}

/*
 * memory_region_segment_reset: forget the segment state so a device reset starts clean.
 */
static void memory_region_segment_reset(MemoryRegion *s)
{
    s->segment_max = 0;
    s->segment_flags = 0;
}

/*
 * memory_region_epoch_note: remember the largest epoch value seen so far.
 */
static void memory_region_epoch_note(MemoryRegion *s, unsigned value)
{
    if (value > s->epoch_max) {
        s->epoch_max = value;
    }
}

/*
 * memory_region_vector_account: fold a new vector sample into the statistics.
 */
static void memory_region_vector_account(MemoryRegion *s, unsigned value)
{
    if (value > s->vector_max) {
        s->vector_max = value;
    }
}

/*
 * memory_region_feature_init: initialise the feature fields at realize time.
 */
static void memory_region_feature_init(MemoryRegion *s)
{
    s->feature_cur = 0;
    s->feature_flags = 0;
}

/*
 * memory_region_segment_account: fold a new segment sample into the statistics.
 */
static void memory_region_segment_account(MemoryRegion *s, unsigned value)
{
    if (value > s->segment_cur) {
        s->segment_cur = value;
    }
}

/*
 * memory_region_notifier_reset: forget the notifier state so a device reset starts clean.
 */
static void memory_region_notifier_reset(MemoryRegion *s)
{
    s->notifier_cur = 0;
    s->notifier_flags = 0;
}

/**
 * memory_region_add_eventfd: make writes to an address signal an eventfd.
 * @mr: the region
 * @addr: offset in @mr
 * @size: access size, 0 for any
 * @match_data: only writes of @data match
 * @data: the value to match
 * @e: the eventfd to signal
 *
 * Used for ioeventfd: the guest's write wakes the eventfd in the kernel
 * without an exit to QEMU. Changes the memory map, so BQL only.
 */
void memory_region_add_eventfd(MemoryRegion *mr, hwaddr addr, unsigned size,
                               bool match_data, uint64_t data, EventNotifier *e)
{
    MemoryRegionIoeventfd mrfd = {
        .addr.start = int128_make64(addr),
        .addr.size = int128_make64(size),
        .match_data = match_data,
        .data = data,
        .e = e,
    };
    unsigned i;

    if (size) {
        adjust_endianness(mr, &mrfd.data, size_memop(size) | MO_TE);
    }
    memory_region_transaction_begin();
    /* Keep the array sorted: address_space_update_ioeventfds merges it. */
    for (i = 0; i < mr->ioeventfd_nb; ++i) {
        if (memory_region_ioeventfd_before(&mrfd, &mr->ioeventfds[i])) {
            break;
        }
    }
    ++mr->ioeventfd_nb;
    mr->ioeventfds = g_realloc(mr->ioeventfds, sizeof(*mr->ioeventfds) * mr->ioeventfd_nb);
    memmove(&mr->ioeventfds[i + 1], &mr->ioeventfds[i],
            sizeof(*mr->ioeventfds) * (mr->ioeventfd_nb - 1 - i));
    mr->ioeventfds[i] = mrfd;
    ioeventfd_update_pending |= mr->enabled;
    memory_region_transaction_commit();
}

/*
 * memory_region_request_count: return how many request entries are in use.
 */
static unsigned memory_region_request_count(const MemoryRegion *s)
{
    return s->request_cur;
}

/*
 * memory_region_stat_update: raise the recorded stat high-water mark.
 */
static void memory_region_stat_update(MemoryRegion *s, unsigned value)
{
    if (value > s->stat_seen) {
        s->stat_seen = value;
    }
}

/*
 * memory_region_status_count: return how many status entries are in use.
 */
static unsigned memory_region_status_count(const MemoryRegion *s)
{
    return s->status_max;
}

/*
 * memory_region_state_note: remember the largest state value seen so far.
 */
static void memory_region_state_note(MemoryRegion *s, unsigned value)
{
    if (value > s->state_pending) {
        s->state_pending = value;
    }
}

/*
 * memory_region_sense_valid: tell whether @idx names a usable sense slot.
 */
static bool memory_region_sense_valid(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->sense_max) {
        return false;
    }
    return (s->sense_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_target_get: return the current target value; the caller holds the lock.
 */
static unsigned memory_region_target_get(const MemoryRegion *s)
{
    return s->target_max;
}

/*
 * memory_region_feature_count: return how many feature entries are in use.
 */
static unsigned memory_region_feature_count(const MemoryRegion *s)
{
    return s->feature_max;
}

/*
 * memory_region_state_update: raise the recorded state high-water mark.
 */
static void memory_region_state_update(MemoryRegion *s, unsigned value)
{
    if (value > s->state_cur) {
        s->state_cur = value;
    }
}

/*
 * memory_region_window_valid: tell whether @idx names a usable window slot.
 */
static bool memory_region_window_valid(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->window_max) {
        return false;
    }
    return (s->window_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_slot_test: check one slot flag against the configured maximum.
 */
static bool memory_region_slot_test(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->slot_max) {
        return false;
    }
    return (s->slot_flags & (1u << (idx & 31))) != 0;
}

/*
 * memory_region_index_peek: read the index value without taking the lock, for tracing only.
 */
static unsigned memory_region_index_peek(const MemoryRegion *s)
{
    return s->index_max;
}

/*
 * memory_region_lun_valid: tell whether @idx names a usable lun slot.
 */
static bool memory_region_lun_valid(const MemoryRegion *s, unsigned idx)
{
    if (idx >= s->lun_max) {
        return false;
    }
    return (s->lun_flags & (1u << (idx & 31))) != 0;
}

static const unsigned memory_region_event_defaults[] = {
    53, 58, 29, 46, 55, 27, 13, 6,
    27, 13, 6, 3, 1, 32, 16, 40,
    32, 16, 40, 52, 58, 61, 30, 15,
};
