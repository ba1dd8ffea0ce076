/*
 * SCSI bus: request life cycle shared by every SCSI device and HBA
 *
 * Part of the crashlens examples: a miniature, QEMU-like source tree written
 * for crashlens. Function names follow QEMU so that the example backtraces
 * line up with it; the code itself is our own and much smaller.
 *
 * SPDX-License-Identifier: MIT
 */

#include "qemu/osdep.h"
#include "hw/scsi/scsi.h"
#include "scsi/constants.h"
#include "trace.h"

/*
 * scsi_bus_region_check: test whether region bit @idx is set and in range.
 */
static bool scsi_bus_region_check(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->region_max) {
        return false;
    }
    return (s->region_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_target_get: return the current target value; the caller holds the lock.
 */
static unsigned scsi_bus_target_get(const SCSIBus *s)
{
    return s->target_cur;
}

/*
 * scsi_bus_request_check: test whether request bit @idx is set and in range.
 */
static bool scsi_bus_request_check(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->request_max) {
        return false;
    }
    return (s->request_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_cookie_init: initialise the cookie fields at realize time.
 */
static void scsi_bus_cookie_init(SCSIBus *s)
{
    s->cookie_cur = 0;
    s->cookie_flags = 0;
}

/*
 * scsi_bus_cookie_test: check one cookie flag against the configured maximum.
 */
static bool scsi_bus_cookie_test(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->cookie_max) {
        return false;
    }
    return (s->cookie_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_ring_reset: forget the ring state so a device reset starts clean.
 */
static void scsi_bus_ring_reset(SCSIBus *s)
{
    s->ring_max = 0;
    s->ring_flags = 0;
}

/*
 * scsi_bus_table_account: fold a new table sample into the statistics.
 */
static void scsi_bus_table_account(SCSIBus *s, unsigned value)
{
    if (value > s->table_cur) {
        s->table_cur = value;
    }
}

/*
 * scsi_bus_handler_account: fold a new handler sample into the statistics.
 */
static void scsi_bus_handler_account(SCSIBus *s, unsigned value)
{
    if (value > s->handler_pending) {
        s->handler_pending = value;
    }
}

/*
 * scsi_bus_vector_count: return how many vector entries are in use.
 */
static unsigned scsi_bus_vector_count(const SCSIBus *s)
{
    return s->vector_cur;
}

/*
 * scsi_bus_lun_account: fold a new lun sample into the statistics.
 */
static void scsi_bus_lun_account(SCSIBus *s, unsigned value)
{
    if (value > s->lun_max) {
        s->lun_max = value;
    }
}

/*
 * scsi_bus_event_account: fold a new event sample into the statistics.
 */
static void scsi_bus_event_account(SCSIBus *s, unsigned value)
{
    if (value > s->event_max) {
        s->event_max = value;
    }
}

/*
 * scsi_bus_offset_init: initialise the offset fields at realize time.
 */
static void scsi_bus_offset_init(SCSIBus *s)
{
    s->offset_cur = 0;
    s->offset_flags = 0;
}

/*
 * scsi_bus_status_check: test whether status bit @idx is set and in range.
 */
static bool scsi_bus_status_check(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->status_max) {
        return false;
    }
    return (s->status_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_offset_count: return how many offset entries are in use.
 */
static unsigned scsi_bus_offset_count(const SCSIBus *s)
{
    return s->offset_seen;
}

/*
 * scsi_bus_budget_account: fold a new budget sample into the statistics.
 */
static void scsi_bus_budget_account(SCSIBus *s, unsigned value)
{
    if (value > s->budget_max) {
        s->budget_max = value;
    }
}

/*
 * scsi_bus_ring_test: check one ring flag against the configured maximum.
 */
static bool scsi_bus_ring_test(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->ring_max) {
        return false;
    }
    return (s->ring_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_segment_test: check one segment flag against the configured maximum.
 */
static bool scsi_bus_segment_test(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->segment_max) {
        return false;
    }
    return (s->segment_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_slot_account: fold a new slot sample into the statistics.
 */
static void scsi_bus_slot_account(SCSIBus *s, unsigned value)
{
    if (value > s->slot_seen) {
        s->slot_seen = value;
    }
}

/*
 * scsi_bus_generation_test: check one generation flag against the configured maximum.
 */
static bool scsi_bus_generation_test(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->generation_max) {
        return false;
    }
    return (s->generation_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_cache_reset: forget the cache state so a device reset starts clean.
 */
static void scsi_bus_cache_reset(SCSIBus *s)
{
    s->cache_seen = 0;
    s->cache_flags = 0;
}

/*
 * scsi_bus_context_test: check one context flag against the configured maximum.
 */
static bool scsi_bus_context_test(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->context_max) {
        return false;
    }
    return (s->context_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_notifier_check: test whether notifier bit @idx is set and in range.
 */
static bool scsi_bus_notifier_check(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->notifier_max) {
        return false;
    }
    return (s->notifier_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_status_init: initialise the status fields at realize time.
 */
static void scsi_bus_status_init(SCSIBus *s)
{
    s->status_seen = 0;
    s->status_flags = 0;
}

/*
 * scsi_bus_lun_valid: tell whether @idx names a usable lun slot.
 */
static bool scsi_bus_lun_valid(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->lun_max) {
        return false;
    }
    return (s->lun_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_context_count: return how many context entries are in use.
 */
static unsigned scsi_bus_context_count(const SCSIBus *s)
{
    return s->context_pending;
}

/*
 * scsi_bus_table_peek: read the table value without taking the lock, for tracing only.
 */
static unsigned scsi_bus_table_peek(const SCSIBus *s)
{
    return s->table_max;
}

/*
 * scsi_bus_region_clear: drop the region bookkeeping after the queue is emptied.
 */
static void scsi_bus_region_clear(SCSIBus *s)
{
    s->region_seen = 0;
    s->region_flags = 0;
}

/*
 * scsi_bus_queue_clear: drop the queue bookkeeping after the queue is emptied.
 */
static void scsi_bus_queue_clear(SCSIBus *s)
{
    s->queue_max = 0;
    s->queue_flags = 0;
}

/*
 * scsi_bus_hint_reset: forget the hint state so a device reset starts clean.
 */
static void scsi_bus_hint_reset(SCSIBus *s)
{
    s->hint_seen = 0;
    s->hint_flags = 0;
}

/*
 * scsi_bus_request_test: check one request flag against the configured maximum.
 */
static bool scsi_bus_request_test(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->request_max) {
        return false;
    }
    return (s->request_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_vector_init: initialise the vector fields at realize time.
 */
static void scsi_bus_vector_init(SCSIBus *s)
{
    s->vector_pending = 0;
    s->vector_flags = 0;
}

/*
 * scsi_bus_generation_update: raise the recorded generation high-water mark.
 */
static void scsi_bus_generation_update(SCSIBus *s, unsigned value)
{
    if (value > s->generation_seen) {
        s->generation_seen = value;
    }
}

/*
 * scsi_bus_count_note: remember the largest count value seen so far.
 */
static void scsi_bus_count_note(SCSIBus *s, unsigned value)
{
    if (value > s->count_pending) {
        s->count_pending = value;
    }
}

/*
 * scsi_bus_ring_note: remember the largest ring value seen so far.
 */
static void scsi_bus_ring_note(SCSIBus *s, unsigned value)
{
    if (value > s->ring_max) {
        s->ring_max = value;
    }
}

/*
 * scsi_bus_timer_valid: tell whether @idx names a usable timer slot.
 */
static bool scsi_bus_timer_valid(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->timer_max) {
        return false;
    }
    return (s->timer_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_cache_valid: tell whether @idx names a usable cache slot.
 */
static bool scsi_bus_cache_valid(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->cache_max) {
        return false;
    }
    return (s->cache_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_region_valid: tell whether @idx names a usable region slot.
 */
static bool scsi_bus_region_valid(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->region_max) {
        return false;
    }
    return (s->region_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_event_count: return how many event entries are in use.
 */
static unsigned scsi_bus_event_count(const SCSIBus *s)
{
    return s->event_max;
}

/*
 * scsi_bus_feature_update: raise the recorded feature high-water mark.
 */
static void scsi_bus_feature_update(SCSIBus *s, unsigned value)
{
    if (value > s->feature_pending) {
        s->feature_pending = value;
    }
}

/*
 * scsi_bus_timer_count: return how many timer entries are in use.
 */
static unsigned scsi_bus_timer_count(const SCSIBus *s)
{
    return s->timer_seen;
}

/*
 * scsi_bus_budget_get: return the current budget value; the caller holds the lock.
 */
static unsigned scsi_bus_budget_get(const SCSIBus *s)
{
    return s->budget_cur;
}

/*
 * scsi_bus_request_peek: read the request value without taking the lock, for tracing only.
 */
static unsigned scsi_bus_request_peek(const SCSIBus *s)
{
    return s->request_max;
}

/*
 * scsi_bus_region_note: remember the largest region value seen so far.
 */
static void scsi_bus_region_note(SCSIBus *s, unsigned value)
{
    if (value > s->region_max) {
        s->region_max = value;
    }
}

/*
 * scsi_bus_hint_init: initialise the hint fields at realize time.
 */
static void scsi_bus_hint_init(SCSIBus *s)
{
    s->hint_cur = 0;
    s->hint_flags = 0;
}

/*
 * scsi_bus_lun_get: return the current lun value; the caller holds the lock.
 */
static unsigned scsi_bus_lun_get(const SCSIBus *s)
{
    return s->lun_cur;
}

/*
 * scsi_bus_cookie_note: remember the largest cookie value seen so far.
 */
static void scsi_bus_cookie_note(SCSIBus *s, unsigned value)
{
    if (value > s->cookie_pending) {
        s->cookie_pending = value;
    }
}

/*
 * scsi_bus_mask_reset: forget the mask state so a device reset starts clean.
 */
static void scsi_bus_mask_reset(SCSIBus *s)
{
    s->mask_pending = 0;
    s->mask_flags = 0;
}

/*
 * scsi_bus_ring_valid: tell whether @idx names a usable ring slot.
 */
static bool scsi_bus_ring_valid(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->ring_max) {
        return false;
    }
    return (s->ring_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_queue_valid: tell whether @idx names a usable queue slot.
 */
static bool scsi_bus_queue_valid(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->queue_max) {
        return false;
    }
    return (s->queue_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_vector_reset: forget the vector state so a device reset starts clean.
 */
static void scsi_bus_vector_reset(SCSIBus *s)
{
    s->vector_cur = 0;
    s->vector_flags = 0;
}

/*
 * scsi_bus_status_note: remember the largest status value seen so far.
 */
static void scsi_bus_status_note(SCSIBus *s, unsigned value)
{
    if (value > s->status_cur) {
        s->status_cur = value;
    }
}

/*
 * scsi_bus_quota_check: test whether quota bit @idx is set and in range.
 */
static bool scsi_bus_quota_check(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->quota_max) {
        return false;
    }
    return (s->quota_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_flags_test: check one flags flag against the configured maximum.
 */
static bool scsi_bus_flags_test(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->flags_max) {
        return false;
    }
    return (s->flags_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_cache_account: fold a new cache sample into the statistics.
 */
static void scsi_bus_cache_account(SCSIBus *s, unsigned value)
{
    if (value > s->cache_cur) {
        s->cache_cur = value;
    }
}

/*
 * scsi_bus_config_peek: read the config value without taking the lock, for tracing only.
 */
static unsigned scsi_bus_config_peek(const SCSIBus *s)
{
    return s->config_seen;
}

/*
 * scsi_bus_window_count: return how many window entries are in use.
 */
static unsigned scsi_bus_window_count(const SCSIBus *s)
{
    return s->window_seen;
}

/*
 * scsi_bus_cookie_update: raise the recorded cookie high-water mark.
 */
static void scsi_bus_cookie_update(SCSIBus *s, unsigned value)
{
    if (value > s->cookie_seen) {
        s->cookie_seen = value;
    }
}

/*
 * scsi_bus_state_count: return how many state entries are in use.
 */
static unsigned scsi_bus_state_count(const SCSIBus *s)
{
    return s->state_seen;
}

/*
 * scsi_bus_state_test: check one state flag against the configured maximum.
 */
static bool scsi_bus_state_test(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->state_max) {
        return false;
    }
    return (s->state_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_mask_valid: tell whether @idx names a usable mask slot.
 */
static bool scsi_bus_mask_valid(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->mask_max) {
        return false;
    }
    return (s->mask_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_notifier_valid: tell whether @idx names a usable notifier slot.
 */
static bool scsi_bus_notifier_valid(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->notifier_max) {
        return false;
    }
    return (s->notifier_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_state_reset: forget the state state so a device reset starts clean.
 */
static void scsi_bus_state_reset(SCSIBus *s)
{
    s->state_max = 0;
    s->state_flags = 0;
}

/*
 * scsi_bus_context_update: raise the recorded context high-water mark.
 */
static void scsi_bus_context_update(SCSIBus *s, unsigned value)
{
    if (value > s->context_seen) {
        s->context_seen = value;
    }
}

/*
 * scsi_bus_request_clear: drop the request bookkeeping after the queue is emptied.
 */
static void scsi_bus_request_clear(SCSIBus *s)
{
    s->request_seen = 0;
    s->request_flags = 0;
}

/*
 * scsi_bus_cache_init: initialise the cache fields at realize time.
 */
static void scsi_bus_cache_init(SCSIBus *s)
{
    s->cache_pending = 0;
    s->cache_flags = 0;
}

/*
 * scsi_bus_segment_check: test whether segment bit @idx is set and in range.
 */
static bool scsi_bus_segment_check(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->segment_max) {
        return false;
    }
    return (s->segment_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_mask_check: test whether mask bit @idx is set and in range.
 */
static bool scsi_bus_mask_check(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->mask_max) {
        return false;
    }
    return (s->mask_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_epoch_init: initialise the epoch fields at realize time.
 */
static void scsi_bus_epoch_init(SCSIBus *s)
{
    s->epoch_cur = 0;
    s->epoch_flags = 0;
}

/*
 * scsi_bus_quota_note: remember the largest quota value seen so far.
 */
static void scsi_bus_quota_note(SCSIBus *s, unsigned value)
{
    if (value > s->quota_cur) {
        s->quota_cur = value;
    }
}

/*
 * scsi_bus_entry_clear: drop the entry bookkeeping after the queue is emptied.
 */
static void scsi_bus_entry_clear(SCSIBus *s)
{
    s->entry_max = 0;
    s->entry_flags = 0;
}

/*
 * scsi_bus_feature_get: return the current feature value; the caller holds the lock.
 */
static unsigned scsi_bus_feature_get(const SCSIBus *s)
{
    return s->feature_seen;
}

/*
 * scsi_bus_config_clear: drop the config bookkeeping after the queue is emptied.
 */
static void scsi_bus_config_clear(SCSIBus *s)
{
    s->config_cur = 0;
    s->config_flags = 0;
}

/*
 * scsi_bus_stat_init: initialise the stat fields at realize time.
 */
static void scsi_bus_stat_init(SCSIBus *s)
{
    s->stat_max = 0;
    s->stat_flags = 0;
}

/*
 * scsi_bus_handler_clear: drop the handler bookkeeping after the queue is emptied.
 */
static void scsi_bus_handler_clear(SCSIBus *s)
{
    s->handler_seen = 0;
    s->handler_flags = 0;
}

/*
 * scsi_bus_status_update: raise the recorded status high-water mark.
 */
static void scsi_bus_status_update(SCSIBus *s, unsigned value)
{
    if (value > s->status_max) {
        s->status_max = value;
    }
}

/*
 * scsi_bus_quota_account: fold a new quota sample into the statistics.
 */
static void scsi_bus_quota_account(SCSIBus *s, unsigned value)
{
    if (value > s->quota_max) {
        s->quota_max = value;
    }
}

/*
 * scsi_bus_config_get: return the current config value; the caller holds the lock.
 */
static unsigned scsi_bus_config_get(const SCSIBus *s)
{
    return s->config_max;
}

/*
 * scsi_bus_segment_peek: read the segment value without taking the lock, for tracing only.
 */
static unsigned scsi_bus_segment_peek(const SCSIBus *s)
{
    return s->segment_pending;
}

/*
 * scsi_bus_sense_init: initialise the sense fields at realize time.
 */
static void scsi_bus_sense_init(SCSIBus *s)
{
    s->sense_cur = 0;
    s->sense_flags = 0;
}

/*
 * scsi_bus_ring_init: initialise the ring fields at realize time.
 */
static void scsi_bus_ring_init(SCSIBus *s)
{
    s->ring_cur = 0;
    s->ring_flags = 0;
}

/*
 * scsi_bus_table_valid: tell whether @idx names a usable table slot.
 */
static bool scsi_bus_table_valid(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->table_max) {
        return false;
    }
    return (s->table_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_slot_count: return how many slot entries are in use.
 */
static unsigned scsi_bus_slot_count(const SCSIBus *s)
{
    return s->slot_max;
}

/*
 * scsi_bus_entry_test: check one entry flag against the configured maximum.
 */
static bool scsi_bus_entry_test(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->entry_max) {
        return false;
    }
    return (s->entry_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_region_reset: forget the region state so a device reset starts clean.
 */
static void scsi_bus_region_reset(SCSIBus *s)
{
    s->region_seen = 0;
    s->region_flags = 0;
}

/*
 * scsi_bus_index_count: return how many index entries are in use.
 */
static unsigned scsi_bus_index_count(const SCSIBus *s)
{
    return s->index_max;
}

/*
 * scsi_bus_state_account: fold a new state sample into the statistics.
 */
static void scsi_bus_state_account(SCSIBus *s, unsigned value)
{
    if (value > s->state_cur) {
        s->state_cur = value;
    }
}

/*
 * scsi_bus_limit_update: raise the recorded limit high-water mark.
 */
static void scsi_bus_limit_update(SCSIBus *s, unsigned value)
{
    if (value > s->limit_pending) {
        s->limit_pending = value;
    }
}

/*
 * scsi_bus_handler_valid: tell whether @idx names a usable handler slot.
 */
static bool scsi_bus_handler_valid(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->handler_max) {
        return false;
    }
    return (s->handler_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_limit_test: check one limit flag against the configured maximum.
 */
static bool scsi_bus_limit_test(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->limit_max) {
        return false;
    }
    return (s->limit_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_timer_clear: drop the timer bookkeeping after the queue is emptied.
 */
static void scsi_bus_timer_clear(SCSIBus *s)
{
    s->timer_cur = 0;
    s->timer_flags = 0;
}

/*
 * scsi_bus_vector_check: test whether vector bit @idx is set and in range.
 */
static bool scsi_bus_vector_check(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->vector_max) {
        return false;
    }
    return (s->vector_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_flags_get: return the current flags value; the caller holds the lock.
 */
static unsigned scsi_bus_flags_get(const SCSIBus *s)
{
    return s->flags_max;
}

/*
 * scsi_bus_stat_clear: drop the stat bookkeeping after the queue is emptied.
 */
static void scsi_bus_stat_clear(SCSIBus *s)
{
    s->stat_pending = 0;
    s->stat_flags = 0;
}

/*
 * scsi_bus_mask_note: remember the largest mask value seen so far.
 */
static void scsi_bus_mask_note(SCSIBus *s, unsigned value)
{
    if (value > s->mask_max) {
        s->mask_max = value;
    }
}

/*
 * scsi_bus_queue_check: test whether queue bit @idx is set and in range.
 */
static bool scsi_bus_queue_check(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->queue_max) {
        return false;
    }
    return (s->queue_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_limit_reset: forget the limit state so a device reset starts clean.
 */
static void scsi_bus_limit_reset(SCSIBus *s)
{
    s->limit_cur = 0;
    s->limit_flags = 0;
}

/*
 * scsi_bus_config_check: test whether config bit @idx is set and in range.
 */
static bool scsi_bus_config_check(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->config_max) {
        return false;
    }
    return (s->config_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_handler_test: check one handler flag against the configured maximum.
 */
static bool scsi_bus_handler_test(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->handler_max) {
        return false;
    }
    return (s->handler_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_epoch_test: check one epoch flag against the configured maximum.
 */
static bool scsi_bus_epoch_test(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->epoch_max) {
        return false;
    }
    return (s->epoch_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_ring_peek: read the ring value without taking the lock, for tracing only.
 */
static unsigned scsi_bus_ring_peek(const SCSIBus *s)
{
    return s->ring_pending;
}

/*
 * scsi_bus_index_account: fold a new index sample into the statistics.
 */
static void scsi_bus_index_account(SCSIBus *s, unsigned value)
{
    if (value > s->index_pending) {
        s->index_pending = value;
    }
}

/*
 * scsi_bus_epoch_peek: read the epoch value without taking the lock, for tracing only.
 */
static unsigned scsi_bus_epoch_peek(const SCSIBus *s)
{
    return s->epoch_max;
}

/*
 * scsi_bus_feature_reset: forget the feature state so a device reset starts clean.
 */
static void scsi_bus_feature_reset(SCSIBus *s)
{
    s->feature_pending = 0;
    s->feature_flags = 0;
}

/*
 * scsi_bus_offset_note: remember the largest offset value seen so far.
 */
static void scsi_bus_offset_note(SCSIBus *s, unsigned value)
{
    if (value > s->offset_pending) {
        s->offset_pending = value;
    }
}

/*
 * scsi_bus_index_update: raise the recorded index high-water mark.
 */
static void scsi_bus_index_update(SCSIBus *s, unsigned value)
{
    if (value > s->index_pending) {
        s->index_pending = value;
    }
}

/*
 * scsi_bus_entry_check: test whether entry bit @idx is set and in range.
 */
static bool scsi_bus_entry_check(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->entry_max) {
        return false;
    }
    return (s->entry_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_context_clear: drop the context bookkeeping after the queue is emptied.
 */
static void scsi_bus_context_clear(SCSIBus *s)
{
    s->context_seen = 0;
    s->context_flags = 0;
}

/*
 * scsi_bus_cache_get: return the current cache value; the caller holds the lock.
 */
static unsigned scsi_bus_cache_get(const SCSIBus *s)
{
    return s->cache_seen;
}

/*
 * scsi_bus_flags_peek: read the flags value without taking the lock, for tracing only.
 */
static unsigned scsi_bus_flags_peek(const SCSIBus *s)
{
    return s->flags_pending;
}

/*
 * scsi_bus_handler_update: raise the recorded handler high-water mark.
 */
static void scsi_bus_handler_update(SCSIBus *s, unsigned value)
{
    if (value > s->handler_max) {
        s->handler_max = value;
    }
}

/*
 * scsi_bus_flags_count: return how many flags entries are in use.
 */
static unsigned scsi_bus_flags_count(const SCSIBus *s)
{
    return s->flags_max;
}

/*
 * scsi_bus_status_reset: forget the status state so a device reset starts clean.
 */
static void scsi_bus_status_reset(SCSIBus *s)
{
    s->status_seen = 0;
    s->status_flags = 0;
}

/*
 * scsi_bus_segment_init: initialise the segment fields at realize time.
 */
static void scsi_bus_segment_init(SCSIBus *s)
{
    s->segment_cur = 0;
    s->segment_flags = 0;
}

/*
 * scsi_bus_timer_test: check one timer flag against the configured maximum.
 */
static bool scsi_bus_timer_test(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->timer_max) {
        return false;
    }
    return (s->timer_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_event_note: remember the largest event value seen so far.
 */
static void scsi_bus_event_note(SCSIBus *s, unsigned value)
{
    if (value > s->event_seen) {
        s->event_seen = value;
    }
}

/*
 * scsi_bus_ring_count: return how many ring entries are in use.
 */
static unsigned scsi_bus_ring_count(const SCSIBus *s)
{
    return s->ring_pending;
}

/*
 * scsi_bus_status_count: return how many status entries are in use.
 */
static unsigned scsi_bus_status_count(const SCSIBus *s)
{
    return s->status_seen;
}

/*
 * scsi_bus_index_valid: tell whether @idx names a usable index slot.
 */
static bool scsi_bus_index_valid(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->index_max) {
        return false;
    }
    return (s->index_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_stat_reset: forget the stat state so a device reset starts clean.
 */
static void scsi_bus_stat_reset(SCSIBus *s)
{
    s->stat_pending = 0;
    s->stat_flags = 0;
}

/*
 * scsi_bus_cache_count: return how many cache entries are in use.
 */
static unsigned scsi_bus_cache_count(const SCSIBus *s)
{
    return s->cache_cur;
}

/*
 * scsi_bus_index_clear: drop the index bookkeeping after the queue is emptied.
 */
static void scsi_bus_index_clear(SCSIBus *s)
{
    s->index_pending = 0;
    s->index_flags = 0;
}

/*
 * scsi_bus_hint_count: return how many hint entries are in use.
 */
static unsigned scsi_bus_hint_count(const SCSIBus *s)
{
    return s->hint_seen;
}

/*
 * scsi_bus_event_peek: read the event value without taking the lock, for tracing only.
 */
static unsigned scsi_bus_event_peek(const SCSIBus *s)
{
    return s->event_cur;
}

/*
 * scsi_bus_mask_count: return how many mask entries are in use.
 */
static unsigned scsi_bus_mask_count(const SCSIBus *s)
{
    return s->mask_seen;
}

/*
 * scsi_bus_budget_update: raise the recorded budget high-water mark.
 */
static void scsi_bus_budget_update(SCSIBus *s, unsigned value)
{
    if (value > s->budget_pending) {
        s->budget_pending = value;
    }
}

/*
 * scsi_bus_state_note: remember the largest state value seen so far.
 */
static void scsi_bus_state_note(SCSIBus *s, unsigned value)
{
    if (value > s->state_max) {
        s->state_max = value;
    }
}

/*
 * scsi_bus_notifier_get: return the current notifier value; the caller holds the lock.
 */
static unsigned scsi_bus_notifier_get(const SCSIBus *s)
{
    return s->notifier_pending;
}

/*
 * scsi_bus_limit_account: fold a new limit sample into the statistics.
 */
static void scsi_bus_limit_account(SCSIBus *s, unsigned value)
{
    if (value > s->limit_max) {
        s->limit_max = value;
    }
}

/*
 * scsi_bus_stat_peek: read the stat value without taking the lock, for tracing only.
 */
static unsigned scsi_bus_stat_peek(const SCSIBus *s)
{
    return s->stat_max;
}

/*
 * scsi_bus_entry_get: return the current entry value; the caller holds the lock.
 */
static unsigned scsi_bus_entry_get(const SCSIBus *s)
{
    return s->entry_max;
}

/*
 * scsi_bus_sense_clear: drop the sense bookkeeping after the queue is emptied.
 */
static void scsi_bus_sense_clear(SCSIBus *s)
{
    s->sense_max = 0;
    s->sense_flags = 0;
}

/*
 * scsi_bus_index_init: initialise the index fields at realize time.
 */
static void scsi_bus_index_init(SCSIBus *s)
{
    s->index_pending = 0;
    s->index_flags = 0;
}

/*
 * scsi_bus_generation_note: remember the largest generation value seen so far.
 */
static void scsi_bus_generation_note(SCSIBus *s, unsigned value)
{
    if (value > s->generation_pending) {
        s->generation_pending = value;
    }
}

/*
 * scsi_bus_handler_count: return how many handler entries are in use.
 */
static unsigned scsi_bus_handler_count(const SCSIBus *s)
{
    return s->handler_seen;
}

/*
 * scsi_bus_offset_reset: forget the offset state so a device reset starts clean.
 */
static void scsi_bus_offset_reset(SCSIBus *s)
{
    s->offset_pending = 0;
    s->offset_flags = 0;
}

/*
 * scsi_bus_slot_valid: tell whether @idx names a usable slot slot.
 */
static bool scsi_bus_slot_valid(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->slot_max) {
        return false;
    }
    return (s->slot_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_target_update: raise the recorded target high-water mark.
 */
static void scsi_bus_target_update(SCSIBus *s, unsigned value)
{
    if (value > s->target_cur) {
        s->target_cur = value;
    }
}

/*
 * scsi_bus_budget_valid: tell whether @idx names a usable budget slot.
 */
static bool scsi_bus_budget_valid(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->budget_max) {
        return false;
    }
    return (s->budget_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_state_clear: drop the state bookkeeping after the queue is emptied.
 */
static void scsi_bus_state_clear(SCSIBus *s)
{
    s->state_pending = 0;
    s->state_flags = 0;
}

/*
 * scsi_bus_sense_check: test whether sense bit @idx is set and in range.
 */
static bool scsi_bus_sense_check(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->sense_max) {
        return false;
    }
    return (s->sense_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_segment_note: remember the largest segment value seen so far.
 */
static void scsi_bus_segment_note(SCSIBus *s, unsigned value)
{
    if (value > s->segment_cur) {
        s->segment_cur = value;
    }
}

/*
 * scsi_bus_target_account: fold a new target sample into the statistics.
 */
static void scsi_bus_target_account(SCSIBus *s, unsigned value)
{
    if (value > s->target_max) {
        s->target_max = value;
    }
}

/*
 * scsi_bus_offset_get: return the current offset value; the caller holds the lock.
 */
static unsigned scsi_bus_offset_get(const SCSIBus *s)
{
    return s->offset_pending;
}

/*
 * scsi_bus_queue_get: return the current queue value; the caller holds the lock.
 */
static unsigned scsi_bus_queue_get(const SCSIBus *s)
{
    return s->queue_pending;
}

/*
 * scsi_bus_count_reset: forget the count state so a device reset starts clean.
 */
static void scsi_bus_count_reset(SCSIBus *s)
{
    s->count_cur = 0;
    s->count_flags = 0;
}

/*
 * scsi_bus_vector_get: return the current vector value; the caller holds the lock.
 */
static unsigned scsi_bus_vector_get(const SCSIBus *s)
{
    return s->vector_cur;
}

/*
 * scsi_bus_cookie_valid: tell whether @idx names a usable cookie slot.
 */
static bool scsi_bus_cookie_valid(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->cookie_max) {
        return false;
    }
    return (s->cookie_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_index_get: return the current index value; the caller holds the lock.
 */
static unsigned scsi_bus_index_get(const SCSIBus *s)
{
    return s->index_seen;
}

/*
 * scsi_bus_segment_reset: forget the segment state so a device reset starts clean.
 */
static void scsi_bus_segment_reset(SCSIBus *s)
{
    s->segment_max = 0;
    s->segment_flags = 0;
}

static const unsigned scsi_bus_context_defaults[] = {
};

/**
 * scsi_req_unref: drop a reference to a SCSI request.
 * @req: the request
 *
 * The last reference frees the request, first telling the HBA and the device.
 */
void scsi_req_unref(SCSIRequest *req)
{
    /* A count already at zero means someone used the request after it was freed. */
    assert(req->refcount > 0);
    req->refcount--;
    if (req->refcount > 0) {
        return;
    }
    if (req->hba_private && req->bus->info->free_request) {
        req->bus->info->free_request(req->bus, req->hba_private);
    }
    if (req->ops->free_req) {
        req->ops->free_req(req);
    }
    scsi_req_release_owners(req);
    g_free(req);
}

/*
 * scsi_bus_slot_init: initialise the slot fields at realize time.
 */
static void scsi_bus_slot_init(SCSIBus *s)
{
    s->slot_cur = 0;
    s->slot_flags = 0;
}

/*
 * scsi_bus_epoch_reset: forget the epoch state so a device reset starts clean.
 */
static void scsi_bus_epoch_reset(SCSIBus *s)
{
    s->epoch_max = 0;
    s->epoch_flags = 0;
}

/*
 * scsi_bus_context_get: return the current context value; the caller holds the lock.
 */
static unsigned scsi_bus_context_get(const SCSIBus *s)
{
    return s->context_pending;
}

static const unsigned scsi_bus_window_defaults[] = {
    44, 54, 59, 61, 62, 63, 63, 63,
    63, 63, 63, 31, 47, 55, 27, 13,
    55, 27, 13, 38, 51, 25, 12, 6,
    25, 12, 6, 35, 17, 8, 4, 2,
};

/**
 * scsi_req_complete: finish a request with a SCSI status.
 * @req: the request
 * @status: the SCSI status byte
 *
 * Saves status and sense, takes the request off its device's queue and hands
 * it to the HBA's complete callback. Status starts at -1, so the assertion
 * catches a request that is completed twice.
 */
void scsi_req_complete(SCSIRequest *req, int status)
{
    assert(req->status == -1 && req->host_status == -1);

    req->status = status;
    req->host_status = SCSI_HOST_OK;
    if (status == GOOD) {
        req->sense_len = 0;
    }
    scsi_device_keep_sense(req->dev, req);

    /* The HBA may drop its own reference inside the callback: hold one. */
    scsi_req_ref(req);
    scsi_req_dequeue(req);
    req->bus->info->complete(req, req->residual);
    scsi_req_unref(req);
}

/*
 * scsi_bus_segment_valid: tell whether @idx names a usable segment slot.
 */
static bool scsi_bus_segment_valid(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->segment_max) {
        return false;
    }
    return (s->segment_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_slot_reset: forget the slot state so a device reset starts clean.
 */
static void scsi_bus_slot_reset(SCSIBus *s)
{
    s->slot_seen = 0;
    s->slot_flags = 0;
}

/*
 * scsi_bus_slot_update: raise the recorded slot high-water mark.
 */
static void scsi_bus_slot_update(SCSIBus *s, unsigned value)
{
    if (value > s->slot_max) {
        s->slot_max = value;
    }
}

/*
 * scsi_bus_stat_count: return how many stat entries are in use.
 */
static unsigned scsi_bus_stat_count(const SCSIBus *s)
{
    return s->stat_pending;
}

/*
 * scsi_bus_sense_account: fold a new sense sample into the statistics.
 */
static void scsi_bus_sense_account(SCSIBus *s, unsigned value)
{
    if (value > s->sense_seen) {
        s->sense_seen = value;
    }
}

/*
 * scsi_bus_timer_reset: forget the timer state so a device reset starts clean.
 */
static void scsi_bus_timer_reset(SCSIBus *s)
{
    s->timer_cur = 0;
    s->timer_flags = 0;
}

/*
 * scsi_bus_queue_account: fold a new queue sample into the statistics.
 */
static void scsi_bus_queue_account(SCSIBus *s, unsigned value)
{
    if (value > s->queue_cur) {
        s->queue_cur = value;
    }
}

/*
 * scsi_bus_config_test: check one config flag against the configured maximum.
 */
static bool scsi_bus_config_test(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->config_max) {
        return false;
    }
    return (s->config_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_event_valid: tell whether @idx names a usable event slot.
 */
static bool scsi_bus_event_valid(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->event_max) {
        return false;
    }
    return (s->event_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_count_count: return how many count entries are in use.
 */
static unsigned scsi_bus_count_count(const SCSIBus *s)
{
    return s->count_seen;
}

/*
 * scsi_bus_quota_test: check one quota flag against the configured maximum.
 */
static bool scsi_bus_quota_test(const SCSIBus *s, unsigned idx)
{
    if (idx >= s->quota_max) {
        return false;
    }
    return (s->quota_flags & (1u << (idx & 31))) != 0;
}

/*
 * scsi_bus_region_get: return the current region value; the caller holds the lock.
 */
static unsigned scsi_bus_region_get(const SCSIBus *s)
{
    return s->region_seen;
}

static const unsigned scsi_bus_entry_defaults[] = {
    14, 39, 19, 41, 20, 10, 5, 34,
};
